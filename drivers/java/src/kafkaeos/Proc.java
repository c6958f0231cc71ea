package kafkaeos;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One client process (Jepsen's process): a real KafkaProducer and KafkaConsumer that live and die
 * together, running one op at a time on a thread of their own. docs/client-drivers.md says what each
 * op does and how it completes; this is the Java client doing it. The op's deadline is kept by a
 * timer that answers `info` if the op has not answered by then; the op's thread may still be blocked
 * in the client, and the process is over either way (the harness abandons it).
 */
final class Proc {
  private final Settings s;
  final long process;
  private final String transactionalId;
  private final String groupId;
  private final ExecutorService thread;
  private KafkaProducer<String, String> producer;
  private boolean producerReady;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean abandoned;
  /** Set by the rebalance listener: partitions moved while an op ran (Jepsen: the op fails). */
  private volatile boolean rebalanced;

  Proc(Settings s, long process, String transactionalId, String groupId) {
    this.s = s;
    this.process = process;
    this.transactionalId = transactionalId;
    this.groupId = groupId;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "process-" + process);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the op on the process' thread; exactly one `complete` reaches `reply`, by the deadline. */
  void invoke(Map<String, Object> op, long deadlineMs, Driver.Reply reply) {
    String f = (String) op.get("f");
    Op o = new Op(op, deadlineMs);
    AtomicBoolean answered = new AtomicBoolean();
    java.util.concurrent.ScheduledFuture<?> watchdog = Driver.TIMER.schedule(() -> {
      if (answered.compareAndSet(false, true)) reply.complete(o.result(Errors.timeout(f, deadlineMs)));
    }, deadlineMs, TimeUnit.MILLISECONDS);
    thread.execute(() -> {
      Map<String, Object> result;
      try {
        result = run(o);
      } catch (Throwable t) {
        result = o.result(Errors.classify(t).asType("info", true));
      }
      if (answered.compareAndSet(false, true)) {
        watchdog.cancel(false);
        reply.complete(result);
      }
    });
  }

  /** Lets go of the clients at once, without waiting on Kafka; a running op ends with them. */
  @SuppressWarnings("deprecation") // close(Duration): CloseOptions exists in 4.x only
  void abandon() {
    abandoned = true;
    KafkaProducer<String, String> p = producer;
    if (p != null) Driver.BACKGROUND.execute(() -> quietly(() -> p.close(Duration.ZERO)));
    KafkaConsumer<String, String> c = consumer;
    if (c != null) c.wakeup();
    // KafkaConsumer is single-threaded: it is closed on its own thread, after whatever op runs there.
    thread.execute(() -> {
      if (consumer != null) quietly(() -> consumer.close(Duration.ZERO));
    });
    thread.shutdown();
  }

  private Map<String, Object> run(Op o) throws Exception {
    String f = o.f;
    if (transactionalId != null && !f.equals("crash")) {
      // Fences every older instance of the transactional id before the consumer reads committed offsets.
      try {
        ensureProducer(o);
      } catch (Exception e) {
        Errors c = Errors.classify(e);
        return o.result(c.withPrefix("initTransactions: ").asType(c.type, true));
      }
    }
    switch (f) {
      case "assign": return assign(o);
      case "subscribe": return subscribe(o);
      case "crash": return o.result(Errors.of("info", "crash", true));
      case "poll": return poll(o);
      case "send": return send(o);
      case "txn": return txn(o, false);
      case "copy": return txn(o, true);
      default: throw new IllegalArgumentException("unknown op " + f);
    }
  }

  private KafkaProducer<String, String> ensureProducer(Op o) {
    if (producer != null && producerReady) return producer;
    if (producer == null) {
      Properties p = new Properties();
      p.put("bootstrap.servers", String.join(",", s.bootstrap));
      p.putAll(s.security);
      p.put("client.id", "kafka-eos-p" + process);
      p.put("acks", "all");
      p.put("enable.idempotence", String.valueOf(s.idempotent));
      p.put("max.in.flight.requests.per.connection", "5");
      p.put("linger.ms", "0");
      // Back-to-back transactions meet CONCURRENT_TRANSACTIONS while the coordinator writes the previous
      // markers (tens of ms): retry soon and often, as the runner's kafkajs and franz-go are tuned.
      p.put("retry.backoff.ms", "20");
      p.put("retry.backoff.max.ms", "1000");
      p.put("request.timeout.ms", String.valueOf(s.requestTimeoutMs));
      p.put("delivery.timeout.ms", String.valueOf(Math.max(o.deadlineMs, s.requestTimeoutMs)));
      p.put("max.block.ms", String.valueOf(o.deadlineMs));
      if (transactionalId != null) {
        p.put("transactional.id", transactionalId);
        p.put("transaction.timeout.ms", String.valueOf(s.transactionTimeoutMs));
      }
      p.putAll(s.producerConfig);
      producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
    if (transactionalId != null) producer.initTransactions();
    producerReady = true;
    return producer;
  }

  private KafkaConsumer<String, String> consumer() {
    if (consumer == null) {
      Properties p = new Properties();
      p.put("bootstrap.servers", String.join(",", s.bootstrap));
      p.putAll(s.security);
      p.put("client.id", "kafka-eos-c" + process);
      p.put("group.id", groupId);
      p.put("enable.auto.commit", "false");
      p.put("auto.offset.reset", "earliest");
      p.put("isolation.level", s.readCommitted ? "read_committed" : "read_uncommitted");
      p.put("request.timeout.ms", String.valueOf(Math.max(s.requestTimeoutMs, 5_000)));
      p.putAll(s.consumerConfig);
      consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
    return consumer;
  }

  private Map<String, Object> assign(Op o) {
    KafkaConsumer<String, String> c = consumer();
    Set<TopicPartition> before = new HashSet<>(c.assignment());
    List<TopicPartition> tps = new ArrayList<>();
    for (Object k : o.list()) tps.add(s.tp(((Number) k).intValue()));
    c.assign(tps);
    // Only transactional processes commit offsets; the others start a newly assigned key at the beginning.
    if (transactionalId == null) {
      List<TopicPartition> added = new ArrayList<>(tps);
      added.removeAll(before);
      if (!added.isEmpty()) c.seekToBeginning(added);
    }
    return o.ok(o.list());
  }

  private Map<String, Object> subscribe(Op o) {
    Set<String> topics = new HashSet<>();
    for (Object k : o.list()) topics.add(s.tp(((Number) k).intValue()).topic());
    consumer().subscribe(topics, new ConsumerRebalanceListener() {
      @Override public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) rebalanced = true;
      }
      @Override public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) rebalanced = true;
      }
    });
    return o.ok(o.list());
  }

  private Map<String, Object> poll(Op o) {
    try {
      Map<Integer, List<List<Long>>> polled = pollOnce(o);
      o.set(0, List.of("poll", Settings.polledJson(polled)));
      return o.ok(o.out);
    } catch (Exception e) {
      // Nothing was written; positions move only with returned records: a definite failure.
      Errors c = Errors.classify(e);
      return o.result(Errors.of("fail", c.error, c.endProcess && !c.type.equals("info")));
    }
  }

  /** One consumer.poll within the poll time and the op's deadline; records by key, in offset order. */
  private Map<Integer, List<List<Long>>> pollOnce(Op o) {
    KafkaConsumer<String, String> c = consumer();
    Map<Integer, List<List<Long>>> out = new TreeMap<>();
    if (c.assignment().isEmpty() && c.subscription().isEmpty()) return out;
    long wait = Math.max(0, Math.min(s.pollMs, o.remainingMs()));
    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(wait))) {
      Integer key = s.keyOf(r.topic(), r.partition());
      if (key == null) continue;
      out.computeIfAbsent(key, x -> new ArrayList<>()).add(List.of(r.offset(), Long.parseLong(r.value())));
    }
    return out;
  }

  private Map<String, Object> send(Op o) {
    KafkaProducer<String, String> p;
    try {
      p = ensureProducer(o);
    } catch (Exception e) {
      return o.result(Errors.classify(e).asType(Errors.classify(e).type, true));
    }
    List<Object> mops = o.list();
    for (int i = 0; i < mops.size(); i++) {
      List<?> m = (List<?>) mops.get(i);
      int k = ((Number) m.get(1)).intValue();
      long v = ((Number) m.get(2)).longValue();
      try {
        Long offset = sendOne(p, k, v, o);
        o.set(i, List.of("send", k, pair(offset, v)));
      } catch (Exception e) {
        o.set(i, List.of("send", k, pair(null, v)));
        Errors c = Errors.classify(e);
        // Earlier sends of this op took effect: a later definite failure still leaves the op in doubt.
        return o.result(c.asType(i == 0 ? c.type : "info", false));
      }
    }
    return o.ok(o.out);
  }

  private Long sendOne(KafkaProducer<String, String> p, int key, long value, Op o) throws Exception {
    TopicPartition tp = s.tp(key);
    RecordMetadata md = p.send(new ProducerRecord<>(tp.topic(), tp.partition(), String.valueOf(key), String.valueOf(value)))
        .get(Math.max(1, o.remainingMs()), TimeUnit.MILLISECONDS);
    return md.hasOffset() && md.offset() >= 0 ? md.offset() : null;
  }

  /** A transaction of sends and polls; as a copier, each polled value is also sent to its output key. */
  private Map<String, Object> txn(Op o, boolean copier) {
    KafkaProducer<String, String> p = producer;
    Map<Integer, Long> firstRead = new HashMap<>();
    Map<Integer, Long> nextOffset = new TreeMap<>();
    Errors failure = null;
    rebalanced = false;
    try {
      p.beginTransaction();
    } catch (Exception e) {
      Errors c = Errors.classify(e);
      return o.result(c.withPrefix("beginTransaction: ").asType("fail", !c.type.equals("fail")));
    }
    for (int i = 0; i < o.out.size() && failure == null; i++) {
      List<?> m = (List<?>) o.out.get(i);
      try {
        if (m.get(0).equals("send")) {
          int k = ((Number) m.get(1)).intValue();
          long v = m.get(2) instanceof List ? ((Number) ((List<?>) m.get(2)).get(1)).longValue() : ((Number) m.get(2)).longValue();
          o.set(i, List.of("send", k, pair(null, v)));
          o.set(i, List.of("send", k, pair(sendOne(p, k, v, o), v)));
          continue;
        }
        Map<Integer, List<List<Long>>> polled = pollOnce(o);
        if (copier) polled = copyBatch(polled);
        List<Object> sends = new ArrayList<>();
        for (Map.Entry<Integer, List<List<Long>>> e : polled.entrySet()) {
          for (List<Long> r : e.getValue()) {
            firstRead.putIfAbsent(e.getKey(), r.get(0));
            nextOffset.put(e.getKey(), r.get(0) + 1);
            Integer target = copier ? s.copyTo.get(e.getKey()) : null;
            if (target != null) sends.add(new ArrayList<Object>(List.of("send", target, r.get(1))));
          }
        }
        o.set(i, List.of("poll", Settings.polledJson(polled)));
        o.addAll(sends);
        if (rebalanced) failure = Errors.of("fail", "partitions were revoked or assigned during the transaction", false);
      } catch (Exception e) {
        failure = Errors.classify(e);
      }
    }
    if (failure == null && !nextOffset.isEmpty()) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (Map.Entry<Integer, Long> e : nextOffset.entrySet()) offsets.put(s.tp(e.getKey()), new OffsetAndMetadata(e.getValue()));
      try {
        if (s.offsetsOutsideTxn) consumer().commitSync(offsets, Duration.ofMillis(Math.max(1, o.remainingMs())));
        else p.sendOffsetsToTransaction(offsets, consumer().groupMetadata());
      } catch (Exception e) {
        failure = Errors.classify(e).withPrefix("sendOffsets: ");
      }
    }
    if (failure == null && !o.abort) {
      try {
        p.commitTransaction();
        return o.ok(o.out);
      } catch (Exception e) {
        // The commit was attempted: only a definite failure is a definite abort. Retire the process.
        Errors c = Errors.classify(e).withPrefix("commit: ");
        rollback(firstRead, copier, o);
        return o.result(c.asType(c.type, true));
      }
    }
    boolean abortFailed = false;
    try {
      p.abortTransaction();
    } catch (Exception e) {
      abortFailed = true;
    }
    boolean rolledBack = rollback(firstRead, copier, o);
    // Commit never attempted: nothing of this transaction can become visible, whatever the abort says.
    if (failure == null) return o.result(Errors.of("fail", "aborted on purpose", abortFailed || !rolledBack));
    return o.result(failure.asType("fail", failure.endProcess || abortFailed || !rolledBack));
  }

  /** The first copy_batch_max records, keys ascending; keys cut short are sought back to the first left out. */
  private Map<Integer, List<List<Long>>> copyBatch(Map<Integer, List<List<Long>>> polled) {
    Map<Integer, List<List<Long>>> batch = new TreeMap<>();
    int room = s.copyBatchMax;
    for (Map.Entry<Integer, List<List<Long>>> e : polled.entrySet()) {
      List<List<Long>> pairs = e.getValue();
      if (pairs.isEmpty()) continue;
      List<List<Long>> taken = new ArrayList<>(pairs.subList(0, Math.min(room, pairs.size())));
      room -= taken.size();
      if (!taken.isEmpty()) batch.put(e.getKey(), taken);
      if (taken.size() < pairs.size()) consumer().seek(s.tp(e.getKey()), pairs.get(taken.size()).get(0));
    }
    return batch;
  }

  /**
   * Jepsen's clients seek back to the first offset the op read; a copier rewinds to its group's
   * committed offsets. False when the committed offsets could not be read (the process must end).
   */
  private boolean rollback(Map<Integer, Long> firstRead, boolean toCommitted, Op o) {
    KafkaConsumer<String, String> c = consumer();
    try {
      if (!toCommitted) {
        for (Map.Entry<Integer, Long> e : firstRead.entrySet()) {
          TopicPartition tp = s.tp(e.getKey());
          if (c.assignment().contains(tp)) c.seek(tp, e.getValue());
        }
        return true;
      }
      Set<TopicPartition> assigned = c.assignment();
      if (assigned.isEmpty()) return true;
      Map<TopicPartition, OffsetAndMetadata> committed = c.committed(assigned, Duration.ofMillis(Math.max(1, o.remainingMs())));
      for (TopicPartition tp : assigned) {
        OffsetAndMetadata m = committed.get(tp);
        c.seek(tp, m == null ? 0 : m.offset());
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The transaction version and producer id/epoch the client holds now (reflection: no public API). */
  Map<String, Object> txnState() {
    if (transactionalId == null || producer == null) return null;
    try {
      Object tm = field(producer, "transactionManager");
      if (tm == null) return null;
      Map<String, Object> out = new LinkedHashMap<>();
      Object v2 = fieldOrNull(tm, "isTransactionV2Enabled");
      out.put("version", Boolean.TRUE.equals(v2) ? 2 : 1);
      Object ide = field(tm, "producerIdAndEpoch");
      if (ide != null) {
        out.put("producer_id", ((Number) field(ide, "producerId")).longValue());
        out.put("epoch", ((Number) field(ide, "epoch")).longValue());
      }
      return out;
    } catch (Exception e) {
      return null;
    }
  }

  private static Object fieldOrNull(Object o, String name) {
    try {
      return field(o, name);
    } catch (Exception e) {
      return null;
    }
  }

  private static Object field(Object o, String name) throws Exception {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look further up
      }
    }
    throw new NoSuchFieldException(name);
  }

  private static List<Object> pair(Long offset, long value) {
    List<Object> p = new ArrayList<>(2);
    p.add(offset);
    p.add(value);
    return p;
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      // the process is over; its clients' complaints no longer matter
    }
  }

  boolean isAbandoned() {
    return abandoned;
  }

  /** An op in flight: its invoked value, rewritten in place as mops complete (read by the watchdog). */
  final class Op {
    final String f;
    final long deadlineMs;
    final long deadlineNanos;
    final boolean abort;
    final List<Object> out;
    private final Object value;

    @SuppressWarnings("unchecked")
    Op(Map<String, Object> op, long deadlineMs) {
      this.f = (String) op.get("f");
      this.deadlineMs = deadlineMs;
      this.deadlineNanos = System.nanoTime() + deadlineMs * 1_000_000;
      this.abort = Boolean.TRUE.equals(op.get("abort"));
      this.value = f.equals("copy") ? List.of(List.of("poll")) : op.get("value");
      this.out = value instanceof List && !(f.equals("assign") || f.equals("subscribe")) ? new ArrayList<>((List<Object>) value) : null;
    }

    long remainingMs() {
      return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @SuppressWarnings("unchecked")
    List<Object> list() {
      return (List<Object>) value;
    }

    synchronized void set(int i, Object mop) {
      out.set(i, mop);
    }

    synchronized void addAll(List<Object> mops) {
      out.addAll(mops);
    }

    synchronized Map<String, Object> ok(Object v) {
      return complete("ok", v instanceof List ? new ArrayList<>((List<?>) v) : v, null, false, false);
    }

    synchronized Map<String, Object> result(Errors e) {
      Object v = f.equals("crash") ? null : f.equals("assign") || f.equals("subscribe") ? value : new ArrayList<>(out);
      return complete(e.type, v, e.error, e.endProcess || e.type.equals("info"), e.fenced);
    }

    private Map<String, Object> complete(String outcome, Object v, String error, boolean end, boolean fenced) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "complete");
      m.put("process", process);
      m.put("outcome", outcome);
      m.put("value", v);
      if (error != null) m.put("error", error);
      m.put("end_process", end);
      m.put("fenced", fenced);
      // The transaction version is settled when a transaction begins (KafkaProducer reads the brokers'
      // finalized transaction.version then): only a txn or copy op can tell it.
      Map<String, Object> txn = f.equals("txn") || f.equals("copy") ? txnState() : null;
      if (txn != null) m.put("txn", txn);
      return m;
    }
  }
}
