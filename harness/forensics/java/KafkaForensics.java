// What the brokers themselves say about a run's partitions and transactions, through Kafka's own admin
// API and a raw read_uncommitted Fetch: no code of the client under test is involved, so the answer
// serves every client the harness drives. Compiled and run on the host JVM against the image's own jars
// (harness/forensics/jvm.ts); it names no record class, because 4.4 moved them to another package.
//
//   snapshot --bootstrap B --timeout-ms T --topics a,b [--read a:0:FROM,...] [--read-bytes N]
//       one JSON document: leaders and ISR, HW/LSO/log start, open transactions per partition
//       (DescribeProducers), every transactional id the coordinators know (ListTransactions,
//       DescribeTransactions), and the raw record batches from FROM to the high watermark.
//   watch --bootstrap B --interval-ms I --timeout-ms T --topics a,b
//       one JSON line per poll with the open transactions (partition and coordinator views); exits when
//       its standard input closes, so it never outlives the harness.
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestUtils;

public final class KafkaForensics {
  /** Fetch v12: the newest that still names topics (v13 wants topic ids); every 3.x and 4.x broker serves it. */
  private static final short FETCH_VERSION = 12;
  private static final Set<TransactionState> OPEN = Set.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
      TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    String mode = args.length > 0 ? args[0] : "";
    int timeoutMs = Integer.parseInt(o.getOrDefault("timeout-ms", "3000"));
    Admin admin = Admin.create(adminProps(o.get("bootstrap"), timeoutMs));
    List<String> topics = List.of(o.getOrDefault("topics", "").split(",")).stream().filter(s -> !s.isEmpty()).toList();
    if (mode.equals("snapshot")) {
      System.out.println(new Snapshot(admin, topics, timeoutMs, o).take());
    } else if (mode.equals("watch")) {
      watch(admin, topics, timeoutMs, Integer.parseInt(o.getOrDefault("interval-ms", "3000")));
    } else {
      System.err.println("usage: KafkaForensics snapshot|watch --bootstrap HOST:PORT,... --topics a,b [...]");
      System.exit(2);
    }
    // No admin.close(): it waits for requests still pending on a silent broker. Nothing is left to say.
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  private static Properties adminProps(String bootstrap, int timeoutMs) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-eos-forensics");
    // Half the call's bound per request: a call that met a silent broker (paused, cut off) is retried on
    // another within its bound (metadata, listings), while one that must reach that broker fails in time.
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(500, timeoutMs / 2)));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
    p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "1000");
    p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "2000");
    return p;
  }

  // ---------------------------------------------------------------------------------------- snapshot

  private static final class Snapshot {
    private final Admin admin;
    private final List<String> topics;
    private final int timeoutMs;
    private final Map<String, String> o;
    private final long deadline;
    private final List<String> errors = new ArrayList<>();

    Snapshot(Admin admin, List<String> topics, int timeoutMs, Map<String, String> o) {
      this.admin = admin;
      this.topics = topics;
      this.timeoutMs = timeoutMs;
      this.o = o;
      this.deadline = System.currentTimeMillis() + timeoutMs;
    }

    String take() {
      long started = System.currentTimeMillis();
      Json out = new Json().begin();
      out.field("takenAtMs", started);
      Map<String, TopicDescription> described = describeTopics();
      List<TopicPartition> partitions = new ArrayList<>();
      Map<TopicPartition, TopicPartitionInfo> info = new LinkedHashMap<>();
      for (String t : topics) {
        TopicDescription d = described.get(t);
        if (d == null) continue;
        for (TopicPartitionInfo p : d.partitions()) {
          TopicPartition tp = new TopicPartition(t, p.partition());
          partitions.add(tp);
          info.put(tp, p);
        }
      }
      // The reads run in parallel, each within its own time bound, so a silent leader delays only its own.
      Map<TopicPartition, java.util.concurrent.Future<String>> reads = startReads(info);
      // Fire every admin request at once: each partition's answer (or error) is awaited separately below.
      ListOffsetsResult hw = admin.listOffsets(specs(partitions, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED));
      ListOffsetsResult lso = admin.listOffsets(specs(partitions, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
      ListOffsetsResult start = admin.listOffsets(specs(partitions, OffsetSpec.earliest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED));
      DescribeProducersResult producers = admin.describeProducers(partitions);
      Map<Integer, Collection<TransactionListing>> listings = listTransactions(new ListTransactionsOptions());
      Map<String, TransactionListing> byId = new LinkedHashMap<>();
      listings.values().forEach(c -> c.forEach(l -> byId.put(l.transactionalId(), l)));
      DescribeTransactionsResult descriptions = byId.isEmpty() ? null : admin.describeTransactions(byId.keySet());

      out.key("partitions").beginArray();
      for (TopicPartition tp : partitions) {
        TopicPartitionInfo p = info.get(tp);
        out.begin().field("topic", tp.topic()).field("partition", tp.partition());
        out.field("leader", p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id());
        out.key("isr").ids(p.isr()).key("replicas").ids(p.replicas());
        offset(out, "highWatermark", hw, tp);
        offset(out, "lastStableOffset", lso, tp);
        offset(out, "logStartOffset", start, tp);
        try {
          List<ProducerState> active = await(producers.partitionResult(tp)).activeProducers();
          out.key("producers").beginArray();
          for (ProducerState s : active) producer(out.begin(), s).end();
          out.endArray();
        } catch (Exception e) {
          out.field("producersError", message(e));
        }
        java.util.concurrent.Future<String> read = reads.get(tp);
        if (read != null) {
          try {
            out.key("read").raw(read.get());
          } catch (Exception e) {
            out.key("read").begin().field("error", message(e)).end();
          }
        }
        out.end();
      }
      out.endArray();

      transactions(out, byId, descriptions, listings, errors, deadline);
      out.field("tookMs", System.currentTimeMillis() - started);
      return out.end().toString();
    }

    private Map<TopicPartition, java.util.concurrent.Future<String>> startReads(Map<TopicPartition, TopicPartitionInfo> info) {
      Map<TopicPartition, java.util.concurrent.Future<String>> out = new HashMap<>();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      });
      for (Map.Entry<TopicPartition, long[]> e : reads().entrySet()) {
        TopicPartitionInfo p = info.get(e.getKey());
        if (p == null) continue;
        Node leader = p.leader();
        long readDeadline = System.currentTimeMillis() + timeoutMs;
        out.put(e.getKey(), pool.submit(() -> {
          Json json = new Json();
          if (leader == null || leader.isEmpty()) return json.begin().field("error", "no leader to read from").end().toString();
          read(json, leader, e.getKey(), e.getValue()[0], e.getValue()[1], readDeadline);
          return json.toString();
        }));
      }
      pool.shutdown();
      return out;
    }

    private Map<String, TopicDescription> describeTopics() {
      Map<String, TopicDescription> out = new HashMap<>();
      if (topics.isEmpty()) return out;
      for (Map.Entry<String, KafkaFuture<TopicDescription>> e : admin.describeTopics(topics).topicNameValues().entrySet()) {
        try {
          out.put(e.getKey(), await(e.getValue()));
        } catch (Exception ex) {
          errors.add("describeTopics " + e.getKey() + ": " + message(ex));
        }
      }
      return out;
    }

    private Map<Integer, Collection<TransactionListing>> listTransactions(ListTransactionsOptions options) {
      return KafkaForensics.listTransactions(admin, options, errors, deadline);
    }

    /** --read topic:partition:from[:to],... ; `to` defaults to the high watermark. */
    private Map<TopicPartition, long[]> reads() {
      Map<TopicPartition, long[]> out = new HashMap<>();
      for (String spec : o.getOrDefault("read", "").split(",")) {
        if (spec.isEmpty()) continue;
        String[] f = spec.split(":");
        long to = f.length > 3 ? Long.parseLong(f[3]) : Long.MAX_VALUE;
        out.put(new TopicPartition(f[0], Integer.parseInt(f[1])), new long[] {Long.parseLong(f[2]), to});
      }
      return out;
    }

    private void offset(Json out, String name, ListOffsetsResult r, TopicPartition tp) {
      try {
        out.field(name, await(r.partitionResult(tp)).offset());
      } catch (Exception e) {
        out.field(name, (String) null).field(name + "Error", message(e));
      }
    }

    /** Raw read_uncommitted Fetch from the leader: batches as the broker stores them, markers included. */
    private void read(Json out, Node leader, TopicPartition tp, long from, long to, long deadline) {
      out.begin().field("from", from).field("leaderHost", leader.host() + ":" + leader.port());
      int budget = Integer.parseInt(o.getOrDefault("read-bytes", String.valueOf(8 << 20)));
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(leader.host(), leader.port()), (int) Math.max(200, deadline - System.currentTimeMillis()));
        socket.setSoTimeout((int) Math.max(200, deadline - System.currentTimeMillis()));
        DataOutputStream w = new DataOutputStream(socket.getOutputStream());
        DataInputStream r = new DataInputStream(socket.getInputStream());
        java.io.ByteArrayOutputStream batches = new java.io.ByteArrayOutputStream();
        long offset = from;
        int correlation = 1;
        FetchResponseData.PartitionData last = null;
        while (batches.size() < budget && System.currentTimeMillis() < deadline) {
          FetchResponseData.PartitionData pd = fetchOnce(w, r, tp, offset, correlation++);
          last = pd;
          if (pd.errorCode() != Errors.NONE.code()) break;
          ByteBuffer buf = recordsBuffer(pd.records());
          long next = completeBatches(buf, batches);
          if (next < 0 || next >= pd.highWatermark()) {
            if (next >= 0) offset = next;
            break;
          }
          offset = next;
          if (offset > to) break;
        }
        if (last == null || (last.errorCode() == Errors.NONE.code() && offset < last.highWatermark() && offset <= to && batches.size() < budget)) {
          out.field("error", "the read ran out of time at offset " + offset + (last == null ? " before the leader answered" : ", below the high watermark " + last.highWatermark()));
        }
        if (last != null) {
          out.field("errorCode", Errors.forCode(last.errorCode()).name());
          out.field("highWatermark", last.highWatermark()).field("lastStableOffset", last.lastStableOffset());
          out.field("logStartOffset", last.logStartOffset());
          out.key("abortedTransactions").beginArray();
          if (last.abortedTransactions() != null) {
            for (FetchResponseData.AbortedTransaction a : last.abortedTransactions()) {
              out.begin().field("producerId", a.producerId()).field("firstOffset", a.firstOffset()).end();
            }
          }
          out.endArray();
        }
        out.field("nextOffset", offset);
        out.field("batches", Base64.getEncoder().encodeToString(batches.toByteArray()));
      } catch (Exception e) {
        out.field("error", message(e));
      }
      out.end();
    }

    private FetchResponseData.PartitionData fetchOnce(DataOutputStream w, DataInputStream r, TopicPartition tp, long offset, int correlation) throws Exception {
      FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
          .setIsolationLevel(IsolationLevel.READ_UNCOMMITTED.id()).setSessionId(0).setSessionEpoch(-1)
          .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(tp.topic()).setPartitions(List.of(
              new FetchRequestData.FetchPartition().setPartition(tp.partition()).setFetchOffset(offset)
                  .setPartitionMaxBytes(1 << 20).setCurrentLeaderEpoch(-1).setLogStartOffset(-1)))));
      RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.FETCH.id).setRequestApiVersion(FETCH_VERSION)
          .setClientId("kafka-eos-forensics").setCorrelationId(correlation);
      ByteBuffer body = RequestUtils.serialize(header, ApiKeys.FETCH.requestHeaderVersion(FETCH_VERSION), request, FETCH_VERSION);
      byte[] bytes = new byte[body.remaining()];
      body.get(bytes);
      w.writeInt(bytes.length);
      w.write(bytes);
      w.flush();
      byte[] response = new byte[r.readInt()];
      r.readFully(response);
      ByteBufferAccessor in = new ByteBufferAccessor(ByteBuffer.wrap(response));
      new ResponseHeaderData(in, ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION));
      FetchResponseData data = new FetchResponseData(in, FETCH_VERSION);
      if (data.errorCode() != Errors.NONE.code()) throw new IllegalStateException("fetch: " + Errors.forCode(data.errorCode()).name());
      return data.responses().get(0).partitions().get(0);
    }
  }

  /** MemoryRecords.buffer(), by reflection: the class moved to another package in 4.4. */
  static ByteBuffer recordsBuffer(Object records) throws Exception {
    if (records == null) return ByteBuffer.allocate(0);
    return ((ByteBuffer) records.getClass().getMethod("buffer").invoke(records)).duplicate();
  }

  /** Copies the complete batches (a fetch may end in a partial one) and returns the offset after them, or -1. */
  static long completeBatches(ByteBuffer buf, java.io.ByteArrayOutputStream out) {
    long next = -1;
    int pos = buf.position();
    while (buf.limit() - pos >= 61) { // a v2 batch header is 61 bytes
      long baseOffset = buf.getLong(pos);
      int length = buf.getInt(pos + 8);
      if (length <= 0 || pos + 12 + length > buf.limit()) break;
      int lastOffsetDelta = buf.getInt(pos + 23);
      byte[] batch = new byte[12 + length];
      buf.get(pos, batch);
      out.write(batch, 0, batch.length);
      next = baseOffset + lastOffsetDelta + 1;
      pos += 12 + length;
    }
    return next;
  }

  // ---------------------------------------------------------------------------------------- watch

  private static void watch(Admin admin, List<String> topics, int timeoutMs, int intervalMs) throws Exception {
    Thread stdinWatcher = new Thread(() -> {
      try {
        InputStream in = System.in;
        while (in.read() >= 0) { /* the harness never writes; EOF means it is gone */ }
      } catch (Exception ignored) { }
      Runtime.getRuntime().halt(0);
    });
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    List<TopicPartition> partitions = new ArrayList<>();
    for (;;) {
      long started = System.currentTimeMillis();
      long deadline = started + Math.min(timeoutMs, intervalMs);
      List<String> errors = new ArrayList<>();
      if (partitions.isEmpty()) partitions = partitionsOf(admin, topics, errors);
      Json out = new Json().begin().field("atMs", started);
      DescribeProducersResult producers = partitions.isEmpty() ? null : admin.describeProducers(partitions);
      Map<Integer, Collection<TransactionListing>> listings = listTransactions(admin, new ListTransactionsOptions().filterStates(OPEN), errors, deadline);
      Map<String, TransactionListing> ids = new LinkedHashMap<>();
      listings.values().forEach(c -> c.forEach(l -> ids.put(l.transactionalId(), l)));
      DescribeTransactionsResult descriptions = ids.isEmpty() ? null : admin.describeTransactions(ids.keySet());
      List<String> unanswered = new ArrayList<>();
      out.key("producers").beginArray();
      for (TopicPartition tp : partitions) {
        try {
          for (ProducerState s : await(producers.partitionResult(tp), deadline).activeProducers()) {
            if (s.currentTransactionStartOffset().isEmpty()) continue;
            producer(out.begin().field("topic", tp.topic()).field("partition", tp.partition()), s).end();
          }
        } catch (Exception e) {
          unanswered.add(tp.topic() + "-" + tp.partition());
          errors.add("describeProducers " + tp + ": " + message(e));
        }
      }
      out.endArray();
      out.key("partitions").beginArray();
      for (TopicPartition tp : partitions) out.string(tp.topic() + "-" + tp.partition());
      out.endArray();
      out.key("unanswered").beginArray();
      for (String tp : unanswered) out.string(tp);
      out.endArray();
      transactions(out, ids, descriptions, listings, errors, deadline);
      System.out.println(out.field("tookMs", System.currentTimeMillis() - started).end());
      System.out.flush();
      long rest = started + intervalMs - System.currentTimeMillis();
      if (rest > 0) Thread.sleep(rest);
    }
  }

  private static List<TopicPartition> partitionsOf(Admin admin, List<String> topics, List<String> errors) {
    List<TopicPartition> out = new ArrayList<>();
    try {
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
        for (TopicPartitionInfo p : d.partitions()) out.add(new TopicPartition(d.name(), p.partition()));
      }
    } catch (Exception e) {
      errors.add("describeTopics: " + message(e));
      return List.of();
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------- shared

  /** Per broker, so that one broker down (killed, paused, cut off) still leaves the others' answers. */
  static Map<Integer, Collection<TransactionListing>> listTransactions(Admin admin, ListTransactionsOptions options, List<String> errors, long deadline) {
    Map<Integer, Collection<TransactionListing>> out = new LinkedHashMap<>();
    try {
      for (Map.Entry<Integer, KafkaFuture<Collection<TransactionListing>>> e : await(admin.listTransactions(options).byBrokerId(), deadline).entrySet()) {
        try {
          out.put(e.getKey(), await(e.getValue(), deadline));
        } catch (Exception ex) {
          errors.add("listTransactions broker " + e.getKey() + ": " + message(ex));
        }
      }
    } catch (Exception e) {
      errors.add("listTransactions: " + message(e));
    }
    return out;
  }

  /** The listed transactions with their descriptions, the brokers that answered, and every error met. */
  static void transactions(Json out, Map<String, TransactionListing> listed, DescribeTransactionsResult descriptions,
      Map<Integer, Collection<TransactionListing>> listings, List<String> errors, long deadline) {
    out.key("transactions").beginArray();
    for (TransactionListing l : listed.values()) {
      out.begin().field("transactionalId", l.transactionalId()).field("producerId", l.producerId()).field("state", l.state().toString());
      try {
        describeTxn(out, await(descriptions.description(l.transactionalId()), deadline));
      } catch (Exception e) {
        out.field("describeError", message(e));
      }
      out.end();
    }
    out.endArray();
    out.key("listedBy").beginArray();
    for (Integer broker : listings.keySet()) out.number(broker);
    out.endArray();
    out.key("errors").beginArray();
    for (String e : errors) out.string(e);
    out.endArray();
  }

  static Json producer(Json out, ProducerState s) {
    out.field("producerId", s.producerId()).field("producerEpoch", s.producerEpoch()).field("lastSequence", s.lastSequence())
        .field("lastTimestamp", s.lastTimestamp());
    if (s.coordinatorEpoch().isPresent()) out.field("coordinatorEpoch", s.coordinatorEpoch().getAsInt());
    if (s.currentTransactionStartOffset().isPresent()) out.field("txnStartOffset", s.currentTransactionStartOffset().getAsLong());
    return out;
  }

  static Json describeTxn(Json out, TransactionDescription d) {
    out.field("coordinatorId", d.coordinatorId()).field("describedState", d.state().toString()).field("describedProducerId", d.producerId())
        .field("producerEpoch", d.producerEpoch()).field("timeoutMs", d.transactionTimeoutMs());
    if (d.transactionStartTimeMs().isPresent()) out.field("startTimeMs", d.transactionStartTimeMs().getAsLong());
    out.key("partitions").beginArray();
    for (TopicPartition tp : d.topicPartitions()) out.string(tp.topic() + "-" + tp.partition());
    return out.endArray();
  }

  private static <T> Map<TopicPartition, T> specs(List<TopicPartition> partitions, T spec) {
    Map<TopicPartition, T> out = new LinkedHashMap<>();
    for (TopicPartition tp : partitions) out.put(tp, spec);
    return out;
  }

  private static <T> T await(KafkaFuture<T> f) throws Exception {
    return f.get(30, TimeUnit.SECONDS); // bounded by the admin client's own request timeouts
  }

  private static <T> T await(KafkaFuture<T> f, long deadline) throws Exception {
    return f.get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
  }

  static String message(Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String m = cause.getMessage();
    return cause.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected an option, got " + args[i]);
      out.put(args[i].substring(2), args[i + 1]);
    }
    if (!out.containsKey("bootstrap")) {
      System.err.println("KafkaForensics: --bootstrap HOST:PORT,... is required");
      System.exit(2);
    }
    return out;
  }

  /** A JSON writer just big enough for this tool (no library: the classpath is the broker's own). */
  static final class Json {
    private final StringBuilder b = new StringBuilder();
    private boolean first = true;

    Json begin() { comma(); b.append('{'); first = true; return this; }
    Json end() { b.append('}'); first = false; return this; }
    Json beginArray() { comma(); b.append('['); first = true; return this; }
    Json endArray() { b.append(']'); first = false; return this; }
    Json key(String k) { comma(); quote(k); b.append(':'); first = true; return this; }
    Json field(String k, long v) { return key(k).number(v); }
    Json field(String k, String v) { return key(k).string(v); }
    Json number(long v) { comma(); b.append(v); first = false; return this; }
    Json string(String v) {
      comma();
      if (v == null) b.append("null"); else quote(v);
      first = false;
      return this;
    }
    /** A value already written as JSON by another Json. */
    Json raw(String json) { comma(); b.append(json); first = false; return this; }
    Json ids(List<Node> nodes) {
      beginArray();
      for (Node n : nodes) number(n.id());
      return endArray();
    }
    private void comma() { if (!first) b.append(','); first = false; }
    private void quote(String s) {
      b.append('"');
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      b.append('"');
    }
    @Override public String toString() { return b.toString(); }
  }
}
