// `--client kafkajs|java|franz-go[@VERSION][,...]`: which client libraries a run judges. Pure and light
// (the command line's help loads it): the syntax of a version is checked here, before anything starts;
// whether the version exists is the driver build's question (exit 2 too, still before any cluster).
import { InvalidArgumentError } from 'commander';
import { CLIENT_NAMES, type ClientName } from './client.ts';

export interface ClientSpec {
  name: ClientName;
  /** As the user gave it, or the default; kafkajs is the installed one. */
  version: string;
  /**
   * `+carry-on` (franz-go): after an op that completes `info`, the worker goes on with the same client
   * objects, as an application that meets an error goes on with its producer (RunClients.carryOn).
   */
  carryOn?: boolean;
}

/** Clients whose driver can carry on after an `info` (the `continue` request). */
const CARRY_ON_CLIENTS: readonly ClientName[] = ['franz-go'];

/** Newest 4.x kafka-clients on Maven Central when this was written (the Kafka image's default too). */
export const DEFAULT_JAVA_CLIENT_VERSION = '4.4.0';
/** Newest franz-go release seen on the Go module proxy when this was written. */
export const DEFAULT_FRANZ_GO_VERSION = 'v1.22.3';
export const DEFAULT_CLIENTS: readonly ClientSpec[] = [{ name: 'kafkajs', version: 'installed' }];

const VERSION_SYNTAX: Record<ClientName, { re: RegExp; example: string }> = {
  kafkajs: { re: /^installed$/, example: 'none: kafkajs is the version package.json pins' },
  java: { re: /^\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/, example: `a kafka-clients release such as ${DEFAULT_JAVA_CLIENT_VERSION} or 3.9.1` },
  'franz-go': { re: /^v?\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/, example: `a franz-go release such as ${DEFAULT_FRANZ_GO_VERSION} or v1.22.1` },
};

/** One `name[@version][+carry-on]`. */
export function parseClientSpec(raw: string): ClientSpec {
  const [base, ...modes] = raw.trim().split('+');
  const unknownMode = modes.find((m) => m !== 'carry-on');
  if (unknownMode !== undefined) throw new InvalidArgumentError(`unknown client mode '+${unknownMode}' in '${raw}': the one mode is +carry-on (franz-go)`);
  const spec = parseNameAndVersion(base!, raw);
  if (modes.length === 0) return spec;
  if (!CARRY_ON_CLIENTS.includes(spec.name)) throw new InvalidArgumentError(`+carry-on is for ${CARRY_ON_CLIENTS.join(', ')}: its driver keeps a client across processes; ${spec.name}'s does not`);
  return { ...spec, carryOn: true };
}

function parseNameAndVersion(text: string, raw: string): ClientSpec {
  const [name, version, extra] = text.split('@');
  if (!(CLIENT_NAMES as readonly string[]).includes(name ?? '') || extra !== undefined) {
    throw new InvalidArgumentError(`unknown client '${raw}': choose ${CLIENT_NAMES.join(', ')}, optionally with @VERSION (e.g. java@${DEFAULT_JAVA_CLIENT_VERSION})`);
  }
  const n = name as ClientName;
  if (version === undefined || version === '') return { name: n, version: defaultVersion(n) };
  if (n === 'kafkajs') throw new InvalidArgumentError(`kafkajs takes no version: the harness runs the one package.json pins (drop '@${version}')`);
  if (!VERSION_SYNTAX[n].re.test(version)) throw new InvalidArgumentError(`'${version}' is not a ${n} version: give ${VERSION_SYNTAX[n].example}`);
  return { name: n, version: n === 'franz-go' && !version.startsWith('v') ? `v${version}` : version };
}

/** A comma-separated list, each client at most once (the same client twice would compare it with itself). */
export function parseClientSpecs(raw: string): ClientSpec[] {
  const specs = raw.split(',').map((s) => s.trim()).filter(Boolean).map(parseClientSpec);
  if (specs.length === 0) throw new InvalidArgumentError(`name at least one client: ${CLIENT_NAMES.join(', ')}`);
  const seen = new Set<string>();
  for (const s of specs) {
    const key = formatClientSpec(s);
    if (seen.has(key)) throw new InvalidArgumentError(`${key} is named twice`);
    seen.add(key);
  }
  return specs;
}

export function defaultVersion(name: ClientName): string {
  return name === 'java' ? DEFAULT_JAVA_CLIENT_VERSION : name === 'franz-go' ? DEFAULT_FRANZ_GO_VERSION : 'installed';
}

/** `java@4.4.0`, `kafkajs`, `franz-go@v1.22.1+carry-on`: what `--client` takes back (repro lines pin the version). */
export function formatClientSpec(s: ClientSpec): string {
  return `${s.name === 'kafkajs' ? 'kafkajs' : `${s.name}@${s.version}`}${s.carryOn ? '+carry-on' : ''}`;
}

export const isDefaultClients = (specs: readonly ClientSpec[]) => specs.length === 1 && specs[0]!.name === 'kafkajs';

/** A directory name for a client's run beside the others': `java-4.4.0`. */
export function clientSlug(s: ClientSpec): string {
  return formatClientSpec(s).replace('@', '-').replace('+', '-');
}

/** The client a recorded verdict ran (older verdicts, without clientName, ran kafkajs). */
export function clientSpecOfVerdict(v: { clientName?: string; clientVersion?: string; client?: string } | null | undefined): ClientSpec {
  const name = (CLIENT_NAMES as readonly string[]).includes(v?.clientName ?? '') ? (v!.clientName as ClientName) : 'kafkajs';
  const spec: ClientSpec = { name, version: name === 'kafkajs' ? 'installed' : v?.clientVersion ?? defaultVersion(name) };
  return v?.client?.includes(CARRY_ON_LABEL) ? { ...spec, carryOn: true } : spec;
}

/** What a carrying-on client's label says (and how a recorded verdict tells it). */
export const CARRY_ON_LABEL = '(carries on after errors)';

/** The clients a recorded run judged: each client of a multi-client run, or its one client. */
export function recordedClients(v: { clientName?: string; clientVersion?: string; client?: string; clients?: Array<{ clientName: string; clientVersion: string; client: string }> } | null | undefined): ClientSpec[] {
  if (v?.clients && v.clients.length > 0) return v.clients.map((c) => clientSpecOfVerdict(c));
  return [clientSpecOfVerdict(v)];
}
