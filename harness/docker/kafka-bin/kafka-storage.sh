#!/bin/sh
# Usage: kafka-storage.sh format -t CLUSTER_ID -c server.properties [--ignore-formatted]
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256m}" exec /opt/kafka/bin/kafka-run-class.sh kafka.tools.StorageTool "$@"
