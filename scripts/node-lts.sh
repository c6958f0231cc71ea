#!/usr/bin/env bash
# Runs a command under Node.js 24 LTS (scripts/provision-node-lts.sh installs it when missing): Node 24
# goes first on PATH, so `node`, and the npm/npx scripts that start with `#!/usr/bin/env node`, and
# anything the command spawns by name run on it too. Used by `npm run test:mutation` (StrykerJS needs
# Node >= 22) and `npm run test:unit:node24`.
#   bash scripts/node-lts.sh node node_modules/vitest/vitest.mjs run --project unit
set -euo pipefail
node24=$(bash "$(dirname "$0")/provision-node-lts.sh")
PATH="$(dirname "$node24"):$PATH"
export PATH
exec "$@"
