#!/usr/bin/env bash
# Makes sure Debian's headless Chromium is installed for the report's browser tests (reports/*.browser.test.ts).
# playwright-core drives it; Playwright's own browser download cannot work here (only Debian's packages are
# reachable), so the browser must come from apt. Exit 0 when /usr/bin/chromium runs; exit 3 (the harness'
# "could not do its job") with the fix otherwise.
set -euo pipefail

CHROMIUM=${KAFKA_EOS_CHROMIUM:-/usr/bin/chromium}
log() { printf 'provision-browser: %s\n' "$*" >&2; }
die() { log "$1"; log "fix: $2"; exit 3; }

browser_runs() { [ -x "$CHROMIUM" ] && timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --version >/dev/null 2>&1; }

if browser_runs; then
  log "Chromium is present: $("$CHROMIUM" --version 2>/dev/null)"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "$CHROMIUM is missing and installing it needs root" \
  "run this script as root, or 'sudo apt-get install chromium' yourself (or set KAFKA_EOS_CHROMIUM to a Chromium binary)"
command -v apt-get >/dev/null 2>&1 || die "$CHROMIUM is missing and there is no apt-get to install it" \
  "install Chromium with your system's package manager and set KAFKA_EOS_CHROMIUM to its binary"

log "installing Debian's chromium (and fonts so that screenshots show text)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || die "apt-get update failed" "check that Debian's package mirror is reachable"
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation >&2 \
  || die "apt-get install chromium failed" "read the apt output above; the package must come from Debian's repositories"

browser_runs || die "$CHROMIUM was installed but does not start" \
  "run '$CHROMIUM --headless --no-sandbox --disable-gpu --version' and read its error"
log "Chromium is ready: $("$CHROMIUM" --version 2>/dev/null)"
