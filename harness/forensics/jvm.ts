// Runs Kafka's own Java code on the host: the forensics tool (java/KafkaForensics.java) and Kafka's
// DumpLogSegments. The classpath is the broker image's own /opt/kafka/libs, copied out once per image,
// so the admin client and the dump tool are exactly the broker's version (an image from KAFKA_IMAGE
// included); KAFKA_EOS_KAFKA_LIBS names a directory of jars instead (a cluster run elsewhere).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerode } from '../docker/engine.ts';
import { ownedLabels } from '../docker/labels.ts';

const SOURCE = fileURLToPath(new URL('./java/KafkaForensics.java', import.meta.url));
const MAIN_CLASS = 'KafkaForensics';

/** Small, short-lived JVMs: C1 only, serial GC, quiet logging (the admin client warns on every lost connection). */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xms32m', '-Xmx256m', '-Xshare:auto',
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=error', '-Dlog4j2.level=error'];

/** Why forensics cannot run here, with the fix; the run goes on without them and says so. */
export class ForensicsUnavailable extends Error {
  override name = 'ForensicsUnavailable';
}

export interface KafkaTools {
  libsDir: string;
  classesDir: string;
}

export function cacheRoot(): string {
  return process.env['KAFKA_EOS_CACHE'] ?? path.join(process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'kafka-eos');
}

const toolsByImage = new Map<string, Promise<KafkaTools>>();

/** The image's jars and the compiled tool, prepared once per image (cached on disk across runs). */
export function kafkaTools(imageName: string): Promise<KafkaTools> {
  let tools = toolsByImage.get(imageName);
  if (!tools) {
    tools = prepare(imageName);
    toolsByImage.set(imageName, tools);
    tools.catch(() => toolsByImage.delete(imageName));
  }
  return tools;
}

async function prepare(imageName: string): Promise<KafkaTools> {
  requireJdk();
  const libsDir = process.env['KAFKA_EOS_KAFKA_LIBS'] ?? await imageLibs(imageName);
  return { libsDir, classesDir: compile(libsDir) };
}

function requireJdk(): void {
  for (const tool of ['java', 'javac']) {
    const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (probe.error || probe.status !== 0) {
      throw new ForensicsUnavailable(`no '${tool}' on PATH: forensics run Kafka's own admin client on the host JVM; ` +
        'fix: install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless)');
    }
  }
}

async function imageLibs(imageName: string): Promise<string> {
  const docker = await dockerode();
  const image = await docker.getImage(imageName).inspect();
  const dir = path.join(cacheRoot(), 'kafka-libs', `${imageName.replace(/[^A-Za-z0-9.-]+/g, '_')}-${image.Id.replace('sha256:', '').slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  // A container that is created, never started, and removed at once: only its file system is read.
  const container = await docker.createContainer({
    Image: imageName, Entrypoint: ['true'], Labels: ownedLabels('kafka-eos-tools', 'tools-helper'),
  });
  try {
    const archive = await container.getArchive({ path: '/opt/kafka/libs' });
    await untar(archive, staging);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
  const libs = path.join(staging, 'libs');
  if (!fs.existsSync(libs) || !fs.readdirSync(libs).some((f) => f.startsWith('kafka-clients-'))) {
    throw new ForensicsUnavailable(`image ${imageName} has no kafka-clients jar in /opt/kafka/libs; fix: set KAFKA_EOS_KAFKA_LIBS to a directory of Kafka's jars`);
  }
  fs.writeFileSync(path.join(libs, '.complete'), `${imageName}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(libs, dir);
  fs.rmSync(staging, { recursive: true, force: true });
  return dir;
}

function untar(archive: NodeJS.ReadableStream, into: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-x', '-C', into], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    tar.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    tar.on('error', (e) => reject(new ForensicsUnavailable(`could not run tar to unpack Kafka's jars: ${e.message}`)));
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new ForensicsUnavailable(`tar failed unpacking Kafka's jars: ${err.trim()}`))));
    archive.pipe(tar.stdin);
  });
}

/** Compiles the tool against these jars, once per (source, jars) pair. */
function compile(libsDir: string): string {
  const source = fs.readFileSync(SOURCE);
  const jars = fs.readdirSync(libsDir).filter((f) => f.endsWith('.jar')).sort().join(',');
  const id = createHash('sha256').update(source).update(jars).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot(), 'forensics-classes', id);
  if (fs.existsSync(path.join(dir, `${MAIN_CLASS}.class`))) return dir;
  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const javac = spawnSync('javac', ['-nowarn', '-d', staging, '-cp', path.join(libsDir, '*'), SOURCE], { encoding: 'utf8' });
  if (javac.status !== 0) {
    throw new ForensicsUnavailable(`javac could not compile ${path.basename(SOURCE)} against ${libsDir}:\n${(javac.stderr || javac.stdout).trim().split('\n').slice(0, 8).join('\n')}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}

function classpath(tools: KafkaTools): string {
  return [tools.classesDir, path.join(tools.libsDir, '*')].join(path.delimiter);
}

export interface JavaResult {
  stdout: string;
  stderr: string;
  code: number | null;
  timedOut: boolean;
}

/** Runs the tool to completion (killed after `timeoutMs`). */
export function runTool(tools: KafkaTools, args: string[], timeoutMs: number): Promise<JavaResult> {
  return runJava(['-cp', classpath(tools), MAIN_CLASS, ...args], timeoutMs);
}

/** Runs one of Kafka's own main classes (e.g. kafka.tools.DumpLogSegments) with the image's jars. */
export function runKafkaClass(tools: KafkaTools, mainClass: string, args: string[], timeoutMs: number): Promise<JavaResult> {
  return runJava(['-cp', path.join(tools.libsDir, '*'), mainClass, ...args], timeoutMs);
}

function runJava(args: string[], timeoutMs: number): Promise<JavaResult> {
  return new Promise((resolve) => {
    const child = spawn('java', [...JVM_FLAGS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => err.push(Buffer.from(e.message)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, timedOut });
    });
  });
}

/** Starts the tool as a long-lived child (the detector's `watch`); it exits when its stdin closes. */
export function spawnTool(tools: KafkaTools, args: string[]): ChildProcess {
  return spawn('java', [...JVM_FLAGS, '-cp', classpath(tools), MAIN_CLASS, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}
