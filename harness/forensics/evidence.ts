// The broker's own evidence, kept when a run is not valid (or always, on request): every node's server
// log, the segments of the run's partitions, __transaction_state, __consumer_offsets and __cluster_metadata
// from every replica, and Kafka's own dump of each (DumpLogSegments with the matching decoders).
// Written under kafka/evidence/<node>/; raw segments and logs gzipped.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { KafkaCluster, KafkaNode } from '../cluster/cluster.ts';
import { DATA_DIR } from '../cluster/node-config.ts';
import { dockerode } from '../docker/engine.ts';
import { containerLogs } from '../docker/logs.ts';
import { runKafkaClass, type KafkaTools } from './jvm.ts';

export interface EvidenceResult {
  dir: string;
  files: number;
  bytes: number;
  errors: string[];
  tookMs: number;
}

const INTERNAL = ['__transaction_state', '__consumer_offsets', '__cluster_metadata'];

export async function keepBrokerEvidence(cluster: KafkaCluster, tools: KafkaTools | null, dir: string, topics: readonly string[]): Promise<EvidenceResult> {
  const started = Date.now();
  const errors: string[] = [];
  fs.mkdirSync(dir, { recursive: true });
  await Promise.all(cluster.nodes.map(async (node) => {
    const nodeDir = path.join(dir, node.alias);
    fs.mkdirSync(nodeDir, { recursive: true });
    try {
      fs.writeFileSync(path.join(nodeDir, 'server.log.gz'), gzipSync(await containerLogs(node.container.getId())));
    } catch (error) {
      errors.push(`${node.alias} server log: ${(error as Error).message}`);
    }
    try {
      await copySegments(node, [...topics, ...INTERNAL], path.join(nodeDir, 'data'));
    } catch (error) {
      errors.push(`${node.alias} segments: ${(error as Error).message}`);
    }
  }));
  if (tools) errors.push(...await dumpSegments(tools, dir));
  else errors.push('no JDK for DumpLogSegments: the raw segments are kept undumped');
  for (const file of walk(dir).filter((f) => f.endsWith('.log'))) {
    fs.writeFileSync(`${file}.gz`, gzipSync(fs.readFileSync(file)));
    fs.rmSync(file);
  }
  const files = walk(dir);
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  fs.writeFileSync(path.join(dir, 'README.txt'), readme(errors));
  return { dir, files: files.length, bytes, errors, tookMs: Date.now() - started };
}

/** tar of the partitions' directories inside the node (index files left out: Kafka preallocates them to 10 MB). */
async function copySegments(node: KafkaNode, prefixes: readonly string[], into: string): Promise<void> {
  fs.mkdirSync(into, { recursive: true });
  const patterns = prefixes.map((p) => `'${p.replace(/'/g, '')}'-*`).join(' ');
  const script = `cd ${DATA_DIR} && tar -cf - --exclude='*.index' --exclude='*.timeindex' --exclude='*.deleted' ${patterns} 2>/dev/null; exit 0`;
  const docker = await dockerode();
  const exec = await docker.getContainer(node.container.getId()).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = new PassThrough();
  docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
  stream.on('end', () => stdout.end());
  await new Promise<void>((resolve, reject) => {
    const tar = spawn('tar', ['-x', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    tar.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar: ${err.trim() || `exit ${code}`}`))));
    stdout.pipe(tar.stdin);
  });
}

/** Kafka's own reading of every kept segment, beside it as <segment>.dump.txt. */
async function dumpSegments(tools: KafkaTools, dir: string): Promise<string[]> {
  const logs = walk(dir).filter((f) => f.endsWith('.log') && f.includes(`${path.sep}data${path.sep}`));
  const groups: Array<[string[], string[]]> = [
    [logs.filter((f) => !INTERNAL.some((i) => f.includes(`${path.sep}${i}-`))), ['--print-data-log']],
    [logs.filter((f) => f.includes(`${path.sep}__transaction_state-`)), ['--transaction-log-decoder']],
    [logs.filter((f) => f.includes(`${path.sep}__consumer_offsets-`)), ['--offsets-decoder']],
    [logs.filter((f) => f.includes(`${path.sep}__cluster_metadata-`)), ['--cluster-metadata-decoder']],
  ];
  const errors: string[] = [];
  await Promise.all(groups.filter(([files]) => files.length > 0).map(async ([files, flags]) => {
    let result = await runKafkaClass(tools, 'org.apache.kafka.tools.DumpLogSegments', ['--files', files.join(','), ...flags], 120_000);
    if (/ClassNotFound|Could not find or load main class/.test(result.stderr)) {
      result = await runKafkaClass(tools, 'kafka.tools.DumpLogSegments', ['--files', files.join(','), ...flags], 120_000); // 3.x
    }
    if (result.code !== 0) errors.push(`DumpLogSegments ${flags[0]} exited ${result.code}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    for (const [file, text] of splitDump(result.stdout)) fs.writeFileSync(`${file}.dump.txt`, text);
  }));
  return errors;
}

/** DumpLogSegments prints "Dumping <file>" before each file's contents. */
export function splitDump(output: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | null = null;
  let lines: string[] = [];
  const flush = () => { if (current) out.set(current, lines.join('\n') + '\n'); };
  for (const line of output.split('\n')) {
    const m = /^Dumping (\S+)$/.exec(line);
    if (m) {
      flush();
      current = m[1]!;
      lines = [line];
    } else if (current) {
      lines.push(line);
    }
  }
  flush();
  return out;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function readme(errors: string[]): string {
  return [
    'The brokers\' own evidence of this run (kept by kafka-eos forensics):',
    '  <node>/server.log.gz                      the node\'s server log (zcat it)',
    '  <node>/data/<topic>-<p>/<segment>.log.gz   the raw segment as that replica stored it',
    '  <node>/data/<topic>-<p>/<segment>.log.dump.txt   Kafka\'s DumpLogSegments of it (producer ids, epochs,',
    '      sequences, control records; __transaction_state decoded as transaction metadata,',
    '      __consumer_offsets as offset commits, __cluster_metadata as KRaft records: leaders, ISR, fencing)',
    ...(errors.length > 0 ? ['', 'What could not be kept:', ...errors.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}
