// Why an existing cluster would not have the run, in words that name the cause and the fix: the cluster
// cannot be reached, refused our credentials, is too small, or its ACLs deny what the run must do.
// Every one is a harness error (exit 3): nothing is wrong with the command line, and nothing was checked.
import { harnessError, type CliError } from '../cli/exit-codes.ts';
import type { ClientConnection } from './client-config.ts';

export interface RefusalContext {
  bootstrap: string[];
  connection: ClientConnection | null;
  namespacePrefix: string;
  /** What the harness was doing, e.g. `creating the run's topics`. */
  doing: string;
}

interface KafkaishError { name?: string; message?: string; type?: string; code?: string | number; cause?: unknown; originalError?: unknown; errors?: unknown[] }

/** The innermost errors of kafkajs' wrappers (retries exceeded, aggregates). */
export function rootErrors(error: unknown): KafkaishError[] {
  const e = error as KafkaishError;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return e.errors.flatMap(rootErrors);
  if (e?.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause) return rootErrors(e.cause);
  if (e?.originalError) return rootErrors(e.originalError);
  return [e];
}

const AUTHZ = /_AUTHORIZATION_FAILED$/;

export function principalOf(c: ClientConnection | null): string {
  if (c?.sasl) return `User:${c.sasl.username}`;
  if (c?.tls?.cert) return 'the principal of the client certificate';
  return 'User:ANONYMOUS (no --client-config authenticates this client)';
}

/** The ACLs a run needs, as the kafka-acls command that grants them. */
export function aclFix(ctx: Pick<RefusalContext, 'bootstrap' | 'connection' | 'namespacePrefix'>): string {
  const principal = ctx.connection?.sasl ? `User:${ctx.connection.sasl.username}` : 'User:<principal>';
  return `kafka-acls.sh --bootstrap-server ${ctx.bootstrap[0]} --command-config <admin.properties> --add --allow-principal ${principal} ` +
    `--operation All --resource-pattern-type prefixed --topic ${ctx.namespacePrefix} --group ${ctx.namespacePrefix} --transactional-id ${ctx.namespacePrefix}`;
}

/** A CliError (exit 3) that explains `error`, met while `ctx.doing`; unknown errors keep their message. */
export function explainRefusal(error: unknown, ctx: RefusalContext): CliError {
  const roots = rootErrors(error);
  const first = roots[0] ?? {};
  const at = `the cluster at ${ctx.bootstrap.join(',')}`;
  const said = [...new Set(roots.map((r) => r.message ?? String(r)))].join('; ').slice(0, 400);
  const config = ctx.connection ? `--client-config ${ctx.connection.file}` : 'no --client-config';
  const authz = roots.find((r) => typeof r.type === 'string' && AUTHZ.test(r.type));
  if (authz) {
    const what = authz.type!.replace(AUTHZ, '').toLowerCase().replace('_', ' ');
    return harnessError(`${at} refused ACLs while ${ctx.doing}: ${authz.type} (${what}) for ${principalOf(ctx.connection)}. ` +
      `A run needs all operations on topics, groups and transactional ids that start with '${ctx.namespacePrefix}'. Fix: ${aclFix(ctx)}`);
  }
  if (roots.some((r) => r.name === 'KafkaJSSASLAuthenticationError' || r.type === 'SASL_AUTHENTICATION_FAILED')) {
    const sasl = ctx.connection?.sasl;
    return harnessError(`${at} refused our credentials while ${ctx.doing} (${sasl ? `SASL ${sasl.mechanism} as ${sasl.username}, from ${config}` : config}): ${said}. ` +
      'Fix: check the user and password (the environment variables the file names) and the mechanisms the listener enables');
  }
  if (roots.some((r) => r.type === 'INVALID_REPLICATION_FACTOR')) {
    return harnessError(`${at} is too small for the run's replication while ${ctx.doing}: ${said}. Fix: --replication N with N no more than its brokers`);
  }
  if (roots.some((r) => r.type === 'POLICY_VIOLATION')) {
    return harnessError(`${at}'s create-topic policy refused the run's topics: ${said}. Fix: allow topics starting with '${ctx.namespacePrefix}' (or choose --namespace-prefix)`);
  }
  if (roots.some(isConnectionProblem)) {
    const tlsHint = ctx.connection ? `the security settings of ${config}` : 'whether the listener needs TLS or SASL (then give --client-config FILE)';
    return harnessError(`cannot reach ${at} while ${ctx.doing}: ${said}. ` +
      `Fix: check --bootstrap (host:port of a listener this machine can reach, as the brokers advertise it) and ${tlsHint}`);
  }
  return harnessError(`${at} failed while ${ctx.doing}: ${first.name ?? 'Error'}: ${said}`);
}

function isConnectionProblem(e: KafkaishError): boolean {
  return ['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'KafkaJSNoBrokerAvailableError', 'KafkaJSTimeout'].includes(e.name ?? '') ||
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|Connection (timeout|error)|Closed connection|socket|TLS|SSL|certificate/i.test(e.message ?? '');
}
