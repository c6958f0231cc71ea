// What one verification run is asked to do, apart from how the command line spells it: the settings a
// `run` (or each seed of a `campaign`) is given, the program they generate, and the one-line command that
// gives the same settings back (the repro line). The command line parses into this; repro, shrink and
// campaign build on it.
import { DEFAULT_OPTIONS, generateProgram, type NemesisFamily } from '../workload/index.ts';
import { DEFAULT_KAFKA_VERSION } from '../docker/versions.ts';
import type { ClientFix } from '../kafka-runner/client-fixes.ts';
import type { Target } from './verdict-file.ts';
import type { Workload } from './choices.ts';
import { targetFlags, type TargetSettings } from '../target/settings.ts';
import { formatClientSpec, isDefaultClients, type ClientSpec } from '../clients/spec.ts';
import type { ForensicsMode } from '../forensics/modes.ts';
import { experimentEnvAssignments } from './experiment-env.ts';

export { MUTATIONS, TARGETS, WORKLOADS, type Workload } from './choices.ts';

const ENDTXN_RACE_NEMESIS: NemesisFamily[] = ['pause', 'partition'];

export interface RunSettings {
  seed: number;
  target: Target;
  timeLimitSeconds: number;
  nemesis: NemesisFamily[];
  mutate: string | null;
  kafkaVersion: string;
  txnVersion: 1 | 2;
  rateHz: number | undefined;
  workers: number | undefined;
  nemesisIntervalSeconds: number | undefined;
  out: string | undefined;
  clientFixes: ClientFix[];
  workload: Workload;
  /** An existing cluster and the fault backend (harness/target); absent: the harness' own cluster, docker faults. */
  cluster?: TargetSettings;
  /** `--client`: the client libraries judged, each on its own cluster; absent: kafkajs alone. */
  clients?: ClientSpec[];
  /** End-of-run forensics and the hanging-transaction detector (docs/forensics.md); absent: auto. */
  forensics?: ForensicsMode;
}

/** The one-line command that runs the same program again. */
export function reproCommand(p: RunSettings, env: NodeJS.ProcessEnv = process.env): string {
  return [...experimentEnvAssignments(env), 'npx kafka-eos run', `--seed ${p.seed}`, ...runFlags(p)].join(' ');
}

/** The flags (but the seed) that give these settings back, in a fixed order: a campaign records them. */
export function runFlags(p: RunSettings): string[] {
  const parts = [`--target ${p.target}`, `--time-limit ${p.timeLimitSeconds}`];
  if (p.nemesis.length > 0) parts.push(`--nemesis ${p.nemesis.join(',')}`);
  const cluster = p.target !== 'model';
  if (p.mutate) parts.push(`--mutate ${p.mutate}`);
  // Flags that cannot apply are refused by the command line, so the line leaves them out.
  if (cluster && !p.cluster?.bootstrap.length && p.kafkaVersion !== DEFAULT_KAFKA_VERSION) parts.push(`--kafka-version ${p.kafkaVersion}`);
  if (p.txnVersion !== 2) parts.push(`--txn-version ${p.txnVersion}`);
  if (p.rateHz !== undefined) parts.push(`--rate ${p.rateHz}`);
  if (p.workers !== undefined) parts.push(`--workers ${p.workers}`);
  if (p.nemesisIntervalSeconds !== undefined && (p.nemesis.length > 0 || p.workload === 'endtxn-race')) parts.push(`--nemesis-interval ${p.nemesisIntervalSeconds}`);
  if (p.workload !== 'standard') parts.push(`--workload ${p.workload}`);
  if (cluster && p.clients && !isDefaultClients(p.clients)) parts.push(`--client ${p.clients.map(formatClientSpec).join(',')}`);
  if (cluster && p.clientFixes.length > 0) parts.push(`--client-fix ${p.clientFixes.join(',')}`);
  parts.push(...targetFlags(p.cluster));
  // Forensics can turn an unseen into an inconclusive reason: a mode other than the default is part of the run.
  if (cluster && p.forensics !== undefined && p.forensics !== 'auto') parts.push(`--forensics ${p.forensics}`);
  return parts;
}

export function programFor(p: RunSettings) {
  const race = p.workload === 'endtxn-race';
  const workers = p.workers ?? DEFAULT_OPTIONS.workers;
  return generateProgram(p.seed, {
    timeLimitMs: p.timeLimitSeconds * 1000, mutate: p.mutate, txnVersion: p.txnVersion,
    nemesis: race && p.nemesis.length === 0 ? ENDTXN_RACE_NEMESIS : p.nemesis,
    ...(race ? { transactionalWorkers: workers, abortP: 0.5, maxMops: 2, crashP: 0, reassignP: 0, partitionKinds: ['client-isolation'], nemesisIntervalMs: 3_000 } : {}),
    ...(p.cluster?.nodeCount ? { nodes: p.cluster.nodeCount } : {}),
    ...(p.rateHz !== undefined ? { rateHz: p.rateHz } : {}),
    ...(p.workers !== undefined ? { workers: p.workers } : {}),
    ...(p.nemesisIntervalSeconds !== undefined ? { nemesisIntervalMs: p.nemesisIntervalSeconds * 1000 } : {}),
  });
}
