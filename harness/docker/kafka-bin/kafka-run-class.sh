#!/bin/sh
# Minimal stand-in for Kafka's own launcher: the jars come from Maven Central, not the release tarball,
# so the image ships these few scripts with the official image's names and paths.
: "${KAFKA_HEAP_OPTS:=-Xms256m -Xmx768m}"
: "${KAFKA_JVM_PERFORMANCE_OPTS:=-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
: "${KAFKA_LOG_OPTS:=-Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn -Dorg.slf4j.simpleLogger.log.state.change.logger=warn}"
# shellcheck disable=SC2086
exec java $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_LOG_OPTS $KAFKA_OPTS -cp "/opt/kafka/libs/*" "$@"
