package kafkaeos;

import java.util.Map;
import java.util.Properties;

/**
 * Protocol 2's `security` (docs/client-drivers.md) as kafka-clients properties: every producer and
 * consumer of the run gets them. PEM texts go in inline (ssl.truststore.certificates, KIP-651), so the
 * driver reads no file; the JAAS line is built here, with the password quoted as JAAS wants it.
 */
final class Security {
  private Security() {}

  @SuppressWarnings("unchecked")
  static Properties of(Object given) {
    Properties p = new Properties();
    if (!(given instanceof Map)) return p;
    Map<String, Object> sec = (Map<String, Object>) given;
    p.put("security.protocol", (String) sec.get("protocol"));
    if (sec.get("sasl") instanceof Map) {
      Map<String, Object> sasl = (Map<String, Object>) sec.get("sasl");
      String mechanism = (String) sasl.get("mechanism");
      String module = mechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put("sasl.mechanism", mechanism);
      p.put("sasl.jaas.config", module + " required username=" + quote((String) sasl.get("username"))
          + " password=" + quote((String) sasl.get("password")) + ";");
    }
    if (sec.get("tls") instanceof Map) {
      Map<String, Object> tls = (Map<String, Object>) sec.get("tls");
      if (tls.get("ca_pem") instanceof String) {
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.certificates", (String) tls.get("ca_pem"));
      }
      if (tls.get("cert_pem") instanceof String && tls.get("key_pem") instanceof String) {
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.certificate.chain", (String) tls.get("cert_pem"));
        p.put("ssl.keystore.key", (String) tls.get("key_pem"));
        if (tls.get("key_password") instanceof String) p.put("ssl.key.password", (String) tls.get("key_password"));
      }
      if (Boolean.FALSE.equals(tls.get("verify_hostname"))) p.put("ssl.endpoint.identification.algorithm", "");
    }
    return p;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
