// A ClientConnection in kafkajs' terms (its `ssl` and `sasl` options), for the kafkajs client under
// test and for the harness' own admin client alike.
import type { KafkaConfig } from 'kafkajs';
import type { ClientConnection } from './client-config.ts';

export function kafkajsConnection(c: ClientConnection | null | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!c) return {};
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (c.tls) {
    out.ssl = {
      rejectUnauthorized: true,
      ...(c.tls.ca ? { ca: [c.tls.ca] } : {}),
      ...(c.tls.cert ? { cert: c.tls.cert } : {}),
      ...(c.tls.key ? { key: c.tls.key } : {}),
      ...(c.tls.keyPassword ? { passphrase: c.tls.keyPassword } : {}),
      ...(c.tls.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  if (c.sasl) {
    const { username, password } = c.sasl;
    out.sasl = c.sasl.mechanism === 'PLAIN' ? { mechanism: 'plain', username, password }
      : c.sasl.mechanism === 'SCRAM-SHA-256' ? { mechanism: 'scram-sha-256', username, password }
        : { mechanism: 'scram-sha-512', username, password };
  }
  return out;
}
