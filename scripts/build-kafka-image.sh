#!/usr/bin/env bash
# Builds the project's Kafka image without any image registry:
#   1. a Debian bookworm base with a Java 17 JRE (and iptables, for the nemesis), made by mmdebstrap and
#      `docker import`; it is also the image of the short-lived firewall helpers;
#   2. org.apache.kafka:kafka_2.13:<version> and its runtime dependencies, resolved by Maven from Maven Central;
#   3. both assembled with the official image's layout (/opt/kafka/bin, /opt/kafka/libs) by `docker commit`.
# Each image is built only when missing; Docker caches them. Exit codes: 0 built or present, 2 unknown
# Kafka version, 3 could not build (no mmdebstrap/apt, Maven or Docker failed).
# Usage: build-kafka-image.sh KAFKA_VERSION
set -euo pipefail

version="${1:?usage: build-kafka-image.sh KAFKA_VERSION}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
base_image="${KAFKA_EOS_BASE_IMAGE:-kafka-eos-base:bookworm-jre17-v1}"
kafka_image="kafka-eos-kafka:${version}-v1"
label="kafka-eos-harness.image"

log() { printf 'build-kafka-image: %s\n' "$*" >&2; }
die() { log "$2"; [ -n "${3:-}" ] && log "fix: $3"; exit "$1"; }
has_image() { docker image inspect "$1" >/dev/null 2>&1; }

work="$(mktemp -d)"
cleanup() {
  [ -n "${assembly:-}" ] && docker rm -f "$assembly" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

build_base() {
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 ||
      die 3 "mmdebstrap is missing and cannot be installed (needs root and apt-get)" "apt-get install mmdebstrap"
    log "installing mmdebstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >&2; } ||
      die 3 "apt-get install mmdebstrap failed" "check that Debian's package mirror is reachable"
  fi
  log "building base image $base_image with mmdebstrap (Debian bookworm, OpenJDK 17 JRE)"
  mmdebstrap --quiet --variant=apt --format=tar \
    --include=openjdk-17-jre-headless,iptables,iproute2,procps,ca-certificates-java \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    bookworm "$work/rootfs.tar" >&2 || die 3 "mmdebstrap failed (output above)" "check that Debian's package mirror is reachable"
  docker import \
    --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "LABEL $label=base" \
    "$work/rootfs.tar" "$base_image" >/dev/null || die 3 "docker import of the base image failed" "check 'docker info'"
  rm -f "$work/rootfs.tar"
}

resolve_jars() {
  log "resolving org.apache.kafka:kafka_2.13:$version and its runtime dependencies with Maven"
  sed "s/@KAFKA_VERSION@/$version/g" "$root/harness/docker/kafka-libs.pom.xml" > "$work/pom.xml"
  # -U: retry versions Maven remembers as missing, so a release published since the last try resolves.
  if ! mvn -B -q -U -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$work/opt/kafka/libs" > "$work/mvn.log" 2>&1; then
    if grep -qE "Could not (find|resolve|transfer) artifact org.apache.kafka|not found in" "$work/mvn.log"; then
      grep -m1 -oE "(Could not find artifact|artifacts could not be resolved:) [^ ,]+( was not found in [^ ]+)?" "$work/mvn.log" >&2 || tail -n 5 "$work/mvn.log" >&2
      die 2 "Kafka version '$version' does not resolve on Maven Central (Maven's words above)" \
        "pick a released version, e.g. 4.4.0 or 3.9.2 (list: org/apache/kafka/kafka_2.13/maven-metadata.xml)"
    fi
    tail -n 20 "$work/mvn.log" >&2
    die 3 "Maven failed to resolve Kafka $version (output above)" "check that Maven Central is reachable ('mvn -v', ~/.m2/settings.xml)"
  fi
}

assemble() {
  mkdir -p "$work/opt/kafka/bin" "$work/opt/kafka/config" "$work/var/lib/kafka"
  cp "$root"/harness/docker/kafka-bin/*.sh "$work/opt/kafka/bin/"
  chmod 0755 "$work"/opt/kafka/bin/*.sh
  chmod 0777 "$work/var/lib/kafka"
  assembly="$(docker create --label "$label=assembly" "$base_image" true)"
  tar -C "$work" -cf - opt var | docker cp - "$assembly:/"
  docker commit \
    --change "ENV PATH=/opt/kafka/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "WORKDIR /opt/kafka" \
    --change "LABEL $label=kafka" \
    --change "LABEL kafka-eos-harness.kafka-version=$version" \
    --change 'CMD ["/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/config/server.properties"]' \
    "$assembly" "$kafka_image" >/dev/null || die 3 "docker commit failed" "check 'docker info'"
}

command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 ||
  die 3 "no Docker engine answers" "run scripts/provision-docker.sh (as root)"
has_image "$base_image" || build_base
if has_image "$kafka_image"; then
  log "$kafka_image is already built"
else
  command -v mvn >/dev/null 2>&1 || die 3 "Maven (mvn) is missing" "apt-get install maven"
  resolve_jars
  assemble
  log "built $kafka_image"
fi
echo "$kafka_image"
