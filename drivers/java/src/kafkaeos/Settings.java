package kafkaeos;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;

/** What `init` says about the run (docs/client-drivers.md), plus client configuration overrides. */
final class Settings {
  final List<String> bootstrap;
  private final TopicPartition[] keys;
  private final Map<String, Integer> keyOf = new HashMap<>();
  final Map<Integer, Integer> copyTo = new HashMap<>();
  final boolean readCommitted;
  final boolean idempotent;
  final boolean offsetsOutsideTxn;
  final long pollMs;
  final int copyBatchMax;
  final long requestTimeoutMs;
  final long transactionTimeoutMs;
  /** KAFKA_EOS_CLIENT_CONFIG="producer.request.timeout.ms=5000,consumer.fetch.max.wait.ms=100": experiments only. */
  final Properties producerConfig = new Properties();
  final Properties consumerConfig = new Properties();
  /** Protocol 2's `security` (--client-config): every client of the run connects with it. */
  final Properties security;

  @SuppressWarnings("unchecked")
  Settings(Map<String, Object> init) {
    bootstrap = (List<String>) init.get("bootstrap_servers");
    List<Object> ks = (List<Object>) init.get("keys");
    keys = new TopicPartition[ks.size()];
    for (Object o : ks) {
      Map<String, Object> k = (Map<String, Object>) o;
      int key = ((Number) k.get("key")).intValue();
      keys[key] = new TopicPartition((String) k.get("topic"), ((Number) k.get("partition")).intValue());
      keyOf.put(keys[key].topic() + "/" + keys[key].partition(), key);
    }
    for (Object o : (List<Object>) init.get("copy_to")) {
      List<Object> pair = (List<Object>) o;
      copyTo.put(((Number) pair.get(0)).intValue(), ((Number) pair.get(1)).intValue());
    }
    readCommitted = Boolean.TRUE.equals(init.get("read_committed"));
    idempotent = Boolean.TRUE.equals(init.get("idempotent"));
    offsetsOutsideTxn = Boolean.TRUE.equals(init.get("offsets_outside_txn"));
    pollMs = ((Number) init.get("poll_ms")).longValue();
    copyBatchMax = ((Number) init.get("copy_batch_max")).intValue();
    security = Security.of(init.get("security"));
    // Jepsen's Kafka client: a request that hangs is given up after 3 s and retried on a fresh connection.
    requestTimeoutMs = 3_000;
    transactionTimeoutMs = 30_000;
    String extra = System.getenv("KAFKA_EOS_CLIENT_CONFIG");
    if (extra != null) {
      for (String item : extra.split(",")) {
        String[] kv = item.trim().split("=", 2);
        if (kv.length != 2) continue;
        if (kv[0].startsWith("producer.")) producerConfig.put(kv[0].substring(9), kv[1]);
        else if (kv[0].startsWith("consumer.")) consumerConfig.put(kv[0].substring(9), kv[1]);
      }
    }
  }

  TopicPartition tp(int key) {
    return keys[key];
  }

  Integer keyOf(String topic, int partition) {
    return keyOf.get(topic + "/" + partition);
  }

  /** `{"key": [[offset, value], ...]}` as the protocol writes polled records. */
  static Map<String, Object> polledJson(Map<Integer, List<List<Long>>> polled) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<List<Long>>> e : polled.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
    return out;
  }
}
