package kafkaeos;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Java client driver (docs/client-drivers.md): JSON lines on stdin, replies on stdout, logs on
 * stderr. One JVM per worker slot; every `open` gets fresh KafkaProducer/KafkaConsumer objects. Reads
 * requests on the main thread and never blocks it on Kafka: ops run on their process' own thread.
 */
public final class Driver {
  /** The newest protocol version this driver speaks; 2 added init's `security`. */
  static final int PROTOCOL_VERSION = 2;
  static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(daemon("deadlines"));
  static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(daemon("closer"));
  private static PrintStream out;
  private static Settings settings;
  private static final Map<Long, Proc> procs = new ConcurrentHashMap<>();

  /** Where an op's completion goes: stdout, unless the process was abandoned meanwhile. */
  interface Reply {
    void complete(Map<String, Object> body);
  }

  public static void main(String[] args) throws Exception {
    // Whatever a library prints must not reach stdout, which carries the protocol only.
    out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) continue;
      handle(line);
    }
    // The harness went away (EOF on stdin): nothing of this driver may outlive it.
    for (Proc p : procs.values()) p.abandon();
    System.exit(0);
  }

  @SuppressWarnings("unchecked")
  private static void handle(String line) {
    Map<String, Object> m;
    try {
      m = (Map<String, Object>) Json.parse(line);
    } catch (RuntimeException e) {
      System.err.println("driver: unreadable request: " + e.getMessage());
      return;
    }
    long id = ((Number) m.get("msg_id")).longValue();
    String type = (String) m.get("type");
    try {
      switch (type) {
        case "init": init(id, m); break;
        case "open": {
          long process = ((Number) m.get("process")).longValue();
          procs.put(process, new Proc(settings, process, (String) m.get("transactional_id"), (String) m.get("group_id")));
          send(reply(id, "open_ok", process));
          break;
        }
        case "invoke": {
          long process = ((Number) m.get("process")).longValue();
          Proc p = procs.get(process);
          if (p == null) {
            send(error(id, "unknown-process", "no open process " + process));
            break;
          }
          p.invoke((Map<String, Object>) m.get("op"), ((Number) m.get("deadline_ms")).longValue(), body -> {
            if (p.isAbandoned()) return;
            body.put("in_reply_to", id);
            send(body);
          });
          break;
        }
        case "abandon": {
          long process = ((Number) m.get("process")).longValue();
          Proc p = procs.remove(process);
          if (p != null) p.abandon();
          send(reply(id, "abandon_ok", process));
          break;
        }
        case "shutdown": {
          for (Proc p : procs.values()) p.abandon();
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("type", "shutdown_ok");
          r.put("in_reply_to", id);
          send(r);
          System.exit(0);
          break;
        }
        default: send(error(id, "unknown-type", "unknown request type " + type));
      }
    } catch (RuntimeException e) {
      send(error(id, "bad-request", e.toString()));
    }
  }

  @SuppressWarnings("unchecked")
  private static void init(long id, Map<String, Object> m) {
    List<Object> offered = (List<Object>) m.get("protocol_versions");
    int version = offered.stream().mapToInt(v -> ((Number) v).intValue()).filter(v -> v >= 1 && v <= PROTOCOL_VERSION).max().orElse(-1);
    if (version < 0) {
      send(error(id, "unsupported-protocol", "this driver speaks protocol versions 1 to " + PROTOCOL_VERSION + ", offered " + offered));
      return;
    }
    settings = new Settings(m);
    Map<String, Object> client = new LinkedHashMap<>();
    client.put("name", "java");
    client.put("library", "org.apache.kafka:kafka-clients");
    client.put("version", clientVersion());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "init_ok");
    r.put("in_reply_to", id);
    r.put("protocol_version", version);
    r.put("client", client);
    send(r);
  }

  /** kafka-clients' own version, from the properties file every release carries (AppInfoParser moved between versions). */
  private static String clientVersion() {
    try (java.io.InputStream in = Driver.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) p.load(in);
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static Map<String, Object> reply(long id, String type, long process) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", type);
    r.put("in_reply_to", id);
    r.put("process", process);
    return r;
  }

  private static Map<String, Object> error(long id, String code, String text) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("type", "error");
    r.put("in_reply_to", id);
    r.put("code", code);
    r.put("text", text);
    return r;
  }

  static synchronized void send(Map<String, Object> message) {
    out.print(Json.write(message));
    out.print('\n');
    out.flush();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

}
