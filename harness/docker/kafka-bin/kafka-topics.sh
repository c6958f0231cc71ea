#!/bin/sh
# For a person exploring a cluster from inside a node (docker exec).
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256m}" KAFKA_LOG_OPTS="-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand "$@"
