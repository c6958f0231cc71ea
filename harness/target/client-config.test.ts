import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../cli/exit-codes.ts';
import { loadClientConfig, recordOf } from './client-config.ts';
import { parseProperties } from './properties.ts';
import { kafkajsConnection } from './kafkajs-connection.ts';
import { driverSecurity } from './driver-security.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-config-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const usage = (pattern: RegExp) => expect.objectContaining({ exitCode: 2, message: expect.stringMatching(pattern) as unknown });

describe('properties syntax', () => {
  it('reads Java properties: separators, comments, continuations, escapes', () => {
    const entries = parseProperties('# c\n! c\n a = 1\nb:2\nc 3\nd=x\\\n   y\ne=tab\\there\nf\n');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['a', '1', 3], ['b', '2', 4], ['c', '3', 5], ['d', 'xy', 6], ['e', 'tab\there', 8], ['f', '', 9],
    ]);
  });
});

describe('--client-config', () => {
  const env = { ALICE_PW: 's3cr3t "quoted"', EMPTY: '' };

  it('takes SASL from a JAAS line, the password from the environment', () => {
    const f = file('jaas.properties', 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n' +
      'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n  username="alice" password="${ALICE_PW}";\n');
    const c = loadClientConfig(f, env);
    expect(c.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'alice', password: 's3cr3t "quoted"' });
    expect(kafkajsConnection(c)).toEqual({ sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 's3cr3t "quoted"' } });
    expect(driverSecurity(c)).toMatchObject({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice' }, tls: null });
  });

  it('records the file and the mechanisms, never a credential', () => {
    const f = file('plain.properties', 'security.protocol=SASL_PLAINTEXT\nsasl.username=alice\nsasl.password=${ALICE_PW}\n');
    const record = recordOf(loadClientConfig(f, env));
    expect(record).toEqual({ file: f, securityProtocol: 'SASL_PLAINTEXT', saslMechanism: 'PLAIN', tls: false });
    expect(JSON.stringify(record)).not.toContain('s3cr3t');
    expect(JSON.stringify(record)).not.toContain('alice');
  });

  it('reads TLS material from PEM files next to the config', () => {
    file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const f = file('tls.properties', 'security.protocol=SSL\nssl.ca.location=ca.pem\nssl.endpoint.identification.algorithm=\n');
    const c = loadClientConfig(f, env);
    expect(c.tls).toMatchObject({ ca: expect.stringContaining('BEGIN CERTIFICATE') as unknown, verifyHostname: false, cert: null });
    const ssl = kafkajsConnection(c).ssl as { ca: string[]; checkServerIdentity?: unknown; rejectUnauthorized: boolean };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toHaveLength(1);
    expect(typeof ssl.checkServerIdentity).toBe('function');
  });

  it('refuses what it cannot honour in every client, naming the fix', () => {
    expect(() => loadClientConfig(path.join(dir, 'missing.properties'), env)).toThrow(usage(/cannot read it \(ENOENT\)/));
    expect(() => loadClientConfig(file('a', 'security.protocol=SASL_SSL\nsasl.username=a\nsasl.password=${NOT_SET_ANYWHERE}\n'), env))
      .toThrow(usage(/line 3: the environment variable NOT_SET_ANYWHERE is not set; fix: export NOT_SET_ANYWHERE=/));
    expect(() => loadClientConfig(file('b', 'client.dns.lookup=use_all_dns_ips\n'), env)).toThrow(usage(/line 1: 'client.dns.lookup' is not a property every client/));
    expect(() => loadClientConfig(file('c', 'security.protocol=SSL\nssl.truststore.location=t.jks\nssl.truststore.type=JKS\n'), env)).toThrow(usage(/keytool -exportcert -rfc/));
    expect(() => loadClientConfig(file('d', 'security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI\n'), env)).toThrow(usage(/GSSAPI is not supported/));
    expect(() => loadClientConfig(file('e', 'sasl.username=a\nsasl.password=b\n'), env)).toThrow(usage(/does not authenticate with SASL/));
    expect(() => loadClientConfig(file('f', 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="b";\n'), env))
      .toThrow(usage(/does not match sasl.mechanism=PLAIN/));
    expect(() => loadClientConfig(file('g', 'security.protocol=SSL\nssl.ca.location=nope.pem\n'), env)).toThrow(usage(/cannot read .*nope.pem \(ENOENT\)/));
    expect(() => loadClientConfig(file('h', 'security.protocol=SASL_PLAINTEXT\nsasl.username=a\n'), env)).toThrow(usage(/needs a user and a password/));
  });

  it('keeps a literal ${ when written $${, and an empty variable is a value, not an error', () => {
    const c = loadClientConfig(file('i', 'security.protocol=SASL_PLAINTEXT\nsasl.username=$${x}\nsasl.password=${EMPTY}\n'), env);
    expect(c.sasl).toMatchObject({ username: '${x}', password: '' });
  });

  it('fails as a CliError, which the command line turns into exit 2', () => {
    try {
      loadClientConfig(file('j', 'nonsense=1\n'), env);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CliError);
    }
  });
});
