#!/usr/bin/env bash
# Makes sure a Docker engine answers. When none does: installs Debian's docker.io (and iptables) if missing,
# starts dockerd in the background and waits for its socket. Nothing starts the engine for us, in CI neither.
# Exit 0 when an engine answers; exit 3 (the harness' "could not do its job") with the fix otherwise.
set -euo pipefail

log() { printf 'provision-docker: %s\n' "$*" >&2; }
die() { log "$1"; log "fix: $2"; exit 3; }

engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }

if engine_answers; then
  log "a Docker engine already answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "no Docker engine answers and installing or starting one needs root" \
  "run this script as root, or start a Docker engine yourself and make 'docker info' work for this user"

if ! command -v dockerd >/dev/null 2>&1 || ! command -v iptables >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "dockerd is missing and there is no apt-get to install it" \
    "install a Docker engine with your system's package manager, start it, and run again"
  log "installing Debian's docker.io and iptables"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || die "apt-get update failed" "check that Debian's package mirror is reachable"
  apt-get install -y -qq docker.io iptables >&2 || die "apt-get install docker.io failed" \
    "read the apt output above; the package must come from Debian's repositories"
fi

log "starting dockerd in the background (log: /var/log/kafka-eos-dockerd.log)"
# setsid: dockerd must outlive this script and the shell that ran it.
setsid nohup dockerd >/var/log/kafka-eos-dockerd.log 2>&1 < /dev/null &

for _ in $(seq 1 60); do
  if engine_answers; then
    log "Docker engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
    exit 0
  fi
  sleep 1
done
tail -n 20 /var/log/kafka-eos-dockerd.log >&2 || true
die "dockerd did not answer within 60 s (its last log lines are above)" \
  "read /var/log/kafka-eos-dockerd.log; a common cause is a kernel without the needed cgroup or iptables support"
