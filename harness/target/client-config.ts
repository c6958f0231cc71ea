// --client-config FILE: how every client reaches an existing cluster (security protocol, SASL, TLS), in
// Kafka's own properties syntax. Secrets stay out of the file: `${NAME}` in a value is replaced by the
// environment variable NAME when a run starts. The result is one normalized description that each
// client maps onto its own settings (kafkajs in-process, the drivers through the protocol's `init`), so
// only properties every client under test can honour are accepted; anything else is refused by name.
// What a run records about it (ClientConfigRecord) holds no value that could be a secret.
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../cli/exit-codes.ts';
import { parseProperties, type PropertyEntry } from './properties.ts';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** The normalized connection settings; `sasl` and `tls` carry secrets and go only to clients. */
export interface ClientConnection {
  /** The file as given on the command line (what verdict.json and the repro line name). */
  file: string;
  securityProtocol: SecurityProtocol;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
  /** PEM texts, read from the files the properties name. */
  tls: { ca: string | null; cert: string | null; key: string | null; keyPassword: string | null; verifyHostname: boolean } | null;
}

/** What verdict.json says about the connection: names and mechanisms, never a credential. */
export interface ClientConfigRecord {
  file: string;
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanism | null;
  tls: boolean;
}

const SUPPORTED: Record<string, string> = {
  'security.protocol': SECURITY_PROTOCOLS.join(' | '),
  'sasl.mechanism': SASL_MECHANISMS.join(' | '),
  'sasl.username': 'the SASL user (librdkafka spelling)',
  'sasl.password': 'its password, e.g. ${KAFKA_PASSWORD}',
  'sasl.jaas.config': 'Java spelling: ...LoginModule required username="u" password="${KAFKA_PASSWORD}";',
  'ssl.ca.location': 'PEM file of the CA certificates to trust',
  'ssl.truststore.location': 'the same, with ssl.truststore.type=PEM',
  'ssl.truststore.type': 'PEM (JKS and PKCS12 are Java-only)',
  'ssl.certificate.location': 'PEM client certificate (mutual TLS)',
  'ssl.key.location': 'PEM private key of that certificate',
  'ssl.key.password': 'the key\'s passphrase',
  'ssl.endpoint.identification.algorithm': 'https (default) or empty to skip host name checks',
};

export function recordOf(c: ClientConnection): ClientConfigRecord {
  return { file: c.file, securityProtocol: c.securityProtocol, saslMechanism: c.sasl?.mechanism ?? null, tls: c.tls !== null };
}

/**
 * Reads and checks FILE. Every problem is a usage error (exit 2) naming the file, the line and the fix;
 * `env` is where `${NAME}` references are looked up (process.env at run time).
 */
export function loadClientConfig(file: string, env: NodeJS.ProcessEnv = process.env): ClientConnection {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`--client-config ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); fix: give the path of a properties file`);
  }
  const where = (e: PropertyEntry) => `--client-config ${file} line ${e.line}`;
  const entries = new Map<string, PropertyEntry>();
  for (const e of parseProperties(text)) {
    if (!(e.key in SUPPORTED)) {
      throw usageError(`${where(e)}: '${e.key}' is not a property every client under test can honour; supported: ${Object.keys(SUPPORTED).join(', ')}`);
    }
    entries.set(e.key, e);
  }
  // Expanded field by field, after any parsing: a secret may hold the quotes a JAAS line is made of.
  const props: Props = {
    has: (key) => entries.has(key),
    keys: () => [...entries.keys()],
    get: (key) => {
      const e = entries.get(key);
      return e === undefined ? undefined : expandEnv(e.value, env, where(e));
    },
    expandIn: (key, raw) => expandEnv(raw, env, where(entries.get(key)!)),
    raw: (key) => entries.get(key)?.value,
  };
  return normalize(file, props);
}

interface Props {
  has(key: string): boolean;
  keys(): string[];
  /** The value with ${NAME} references expanded. */
  get(key: string): string | undefined;
  /** Expands references in a part of `key`'s raw value. */
  expandIn(key: string, raw: string): string;
  raw(key: string): string | undefined;
}

/** `${NAME}` → env[NAME]; `$${` stays a literal `${`. An unset variable is an error, never an empty secret. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(/\$?\$\{([^}]*)\}/g, (whole, name: string) => {
    if (whole.startsWith('$$')) return whole.slice(1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usageError(`${where}: '\${${name}}' is not an environment variable name`);
    const v = env[name];
    if (v === undefined) throw usageError(`${where}: the environment variable ${name} is not set; fix: export ${name}=... before the run (secrets come from the environment, not the file)`);
    return v;
  });
}

function normalize(file: string, props: Props): ClientConnection {
  const bad = (message: string) => usageError(`--client-config ${file}: ${message}`);
  const protocol = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) throw bad(`security.protocol=${protocol} is not one of ${SECURITY_PROTOCOLS.join(', ')}`);
  const securityProtocol = protocol as SecurityProtocol;
  const usesSasl = securityProtocol.startsWith('SASL_');
  const usesTls = securityProtocol.endsWith('SSL');
  const saslKeys = ['sasl.mechanism', 'sasl.username', 'sasl.password', 'sasl.jaas.config'].filter((k) => props.has(k));
  if (!usesSasl && saslKeys.length > 0) throw bad(`${saslKeys.join(', ')} given, but security.protocol=${securityProtocol} does not authenticate with SASL; fix: security.protocol=SASL_SSL or SASL_PLAINTEXT`);
  const tlsKeys = props.keys().filter((k) => k.startsWith('ssl.'));
  if (!usesTls && tlsKeys.length > 0) throw bad(`${tlsKeys.join(', ')} given, but security.protocol=${securityProtocol} does not use TLS; fix: security.protocol=SSL or SASL_SSL`);
  return {
    file,
    securityProtocol,
    sasl: usesSasl ? saslOf(props, bad) : null,
    tls: usesTls ? tlsOf(file, props, bad) : null,
  };
}

function saslOf(props: Props, bad: (m: string) => Error): NonNullable<ClientConnection['sasl']> {
  const mechanism = (props.get('sasl.mechanism') ?? 'PLAIN').toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw bad(`sasl.mechanism=${mechanism} is not supported by every client; choose ${SASL_MECHANISMS.join(', ')} (OAUTHBEARER and GSSAPI are not)`);
  }
  let username = props.get('sasl.username');
  let password = props.get('sasl.password');
  const jaas = props.raw('sasl.jaas.config');
  if (jaas !== undefined) {
    if (username !== undefined || password !== undefined) throw bad('give either sasl.jaas.config or sasl.username/sasl.password, not both');
    const module = /^\s*([\w.$]+)\s+required\b/.exec(jaas)?.[1] ?? '';
    const expected = mechanism === 'PLAIN' ? /PlainLoginModule$/ : /ScramLoginModule$/;
    if (!expected.test(module)) throw bad(`sasl.jaas.config names '${module || '(no login module)'}', which does not match sasl.mechanism=${mechanism}`);
    const option = (name: string) => {
      const raw = jaasOption(jaas, name);
      return raw === undefined ? undefined : props.expandIn('sasl.jaas.config', raw);
    };
    username = option('username');
    password = option('password');
  }
  if (!username || password === undefined) throw bad(`SASL ${mechanism} needs a user and a password: sasl.username and sasl.password, or username="..." password="..." in sasl.jaas.config`);
  return { mechanism: mechanism as SaslMechanism, username, password };
}

function jaasOption(jaas: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

function tlsOf(file: string, props: Props, bad: (m: string) => Error): NonNullable<ClientConnection['tls']> {
  const type = (props.get('ssl.truststore.type') ?? 'PEM').toUpperCase();
  if (type !== 'PEM') {
    throw bad(`ssl.truststore.type=${type} is readable by the Java client only; fix: export the CA as PEM ` +
      `(keytool -exportcert -rfc -alias <ca> -keystore <truststore> -file ca.pem) and set ssl.ca.location=ca.pem`);
  }
  if (props.has('ssl.ca.location') && props.has('ssl.truststore.location')) throw bad('give either ssl.ca.location or ssl.truststore.location, not both');
  const read = (key: string): string | null => {
    const given = props.get(key);
    if (given === undefined || given === '') return null;
    const resolved = path.resolve(path.dirname(file), given);
    try {
      const pem = fs.readFileSync(resolved, 'utf8');
      if (!pem.includes('-----BEGIN ')) throw bad(`${key}=${given}: ${resolved} is not a PEM file (no -----BEGIN line)`);
      return pem;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code) throw bad(`${key}=${given}: cannot read ${resolved} (${(error as NodeJS.ErrnoException).code})`);
      throw error;
    }
  };
  const cert = read('ssl.certificate.location');
  const key = read('ssl.key.location');
  if ((cert === null) !== (key === null)) throw bad('mutual TLS needs both ssl.certificate.location and ssl.key.location');
  const algorithm = props.get('ssl.endpoint.identification.algorithm') ?? 'https';
  if (algorithm !== '' && algorithm.toLowerCase() !== 'https') throw bad(`ssl.endpoint.identification.algorithm=${algorithm}: use https or leave it empty`);
  return {
    ca: read('ssl.ca.location') ?? read('ssl.truststore.location'),
    cert, key, keyPassword: props.get('ssl.key.password') ?? null,
    verifyHostname: algorithm !== '',
  };
}
