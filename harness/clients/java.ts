// The Java driver (drivers/java): the official org.apache.kafka:kafka-clients at any version on Maven
// Central, resolved by Maven as the Kafka image is, compiled with javac once per (version, driver
// source) into ~/.cache/kafka-eos/drivers, then one long-lived JVM for all worker slots.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT, harnessError } from '../cli/exit-codes.ts';
import type { ClientKind } from './client.ts';
import { driverClient } from './driver/driver-client.ts';
import type { DriverCommand } from './driver/driver-process.ts';
import { DEFAULT_JAVA_CLIENT_VERSION } from './spec.ts';
import { buildOnce, driverCacheRoot, requireTools, runStep, sourcesDigest, tailOf } from './toolchain.ts';

const DRIVER_DIR = fileURLToPath(new URL('../../drivers/java', import.meta.url));
/**
 * One JVM serves every worker slot (the driver runs each process on threads of its own). A JVM per slot
 * paid class loading and JIT fourteen times over on two cores shared with three brokers: the first ops
 * of a run timed out (assign median 5.7 s, 7 of 22 `info` at 10 s) and harness CPU was 9.2 ms per op
 * against kafkajs' 1.8 (docs/client-drivers.md, "Costs").
 */
export const JAVA_SLOTS_PER_DRIVER = Number.MAX_SAFE_INTEGER;
/** Small footprint, serial GC (one collector thread, no concurrent work); C2 on, since one JVM warms up once. */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-Xss512k', '-Xmx512m', '-XX:-UsePerfData',
  '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Dorg.slf4j.simpleLogger.showDateTime=true'];

const cacheDir = (version: string) => path.join(driverCacheRoot(), `java-${version}-${sourcesDigest(DRIVER_DIR)}`);

export function javaClient(version = DEFAULT_JAVA_CLIENT_VERSION): ClientKind {
  const dir = cacheDir(version);
  return driverClient({
    description: { name: 'java', version, label: `java (kafka-clients) ${version}` },
    prepare: (log) => buildJavaDriver(version, dir, log),
    command: () => javaDriverCommand(version),
    slotsPerDriver: JAVA_SLOTS_PER_DRIVER,
  });
}

/** One driver JVM's command line (the driver must be built). */
export function javaDriverCommand(version: string): DriverCommand {
  const dir = cacheDir(version);
  return {
    command: javaBinary(),
    args: [...JVM_FLAGS, ...extraJvmFlags(), '-cp', `${path.join(dir, 'classes')}:${fs.readFileSync(path.join(dir, 'classpath.txt'), 'utf8').trim()}`, 'kafkaeos.Driver'],
  };
}

/**
 * KAFKA_EOS_JAVA_OPTS="-XX:TieredStopAtLevel=1 ...": JVM flags for experiments (docs/client-drivers.md),
 * after the driver's own, so that HotSpot lets them win.
 */
export function extraJvmFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['KAFKA_EOS_JAVA_OPTS'] ?? '').split(/\s+/).filter((flag) => flag !== '');
}

function javaBinary(): string {
  const home = process.env['JAVA_HOME'];
  return home && fs.existsSync(path.join(home, 'bin', 'java')) ? path.join(home, 'bin', 'java') : 'java';
}

async function buildJavaDriver(version: string, dir: string, log: (line: string) => void): Promise<void> {
  const java = { command: javaBinary(), versionArgs: ['-version'], install: 'install a JDK 11 or newer (Debian: apt-get install openjdk-17-jdk-headless), or set JAVA_HOME' };
  if (fs.existsSync(path.join(dir, 'READY')) && classpathPresent(dir)) return requireTools(`java@${version}`, [java]);
  requireTools(`java@${version}`, [
    java,
    { command: 'javac', versionArgs: ['-version'], install: 'install a JDK, not only a JRE (Debian: apt-get install openjdk-17-jdk-headless)' },
    { command: 'mvn', versionArgs: ['-v'], install: 'install Maven (Debian: apt-get install maven); it resolves kafka-clients from Maven Central' },
  ]);
  fs.rmSync(path.join(dir, 'READY'), { force: true }); // a classpath whose jars left ~/.m2 is rebuilt
  const started = Date.now();
  log(`building the Java driver for kafka-clients ${version} (once; cached in ${dir})`);
  await buildOnce(dir, async (into) => {
    fs.writeFileSync(path.join(into, 'pom.xml'), fs.readFileSync(path.join(DRIVER_DIR, 'pom.xml'), 'utf8').replaceAll('@CLIENT_VERSION@', version));
    // -U: retry versions Maven remembers as missing, so a release published since the last try resolves.
    const mvn = await runStep('mvn', ['-B', '-q', '-U', '-Dstyle.color=never', '-f', path.join(into, 'pom.xml'), 'dependency:build-classpath',
      '-DincludeScope=runtime', `-Dmdep.outputFile=${path.join(into, 'classpath.txt')}`], { timeoutMs: 300_000 });
    if (mvn.code !== 0) {
      if (/Could not (find|resolve|transfer) artifact org\.apache\.kafka|org\.apache\.kafka:kafka-clients:jar:\S+ (was not found|is missing)|not found in/.test(mvn.output)) {
        throw new CliError(`--client java@${version}: kafka-clients ${version} does not resolve on Maven Central. ` +
          `Fix: pick a released version, e.g. ${DEFAULT_JAVA_CLIENT_VERSION} or 3.9.1 (list: https://repo1.maven.org/maven2/org/apache/kafka/kafka-clients/). Maven said: ${mavenReason(mvn.output)}`, EXIT.usage);
      }
      throw harnessError(`Maven could not resolve kafka-clients ${version} for the Java driver. Fix: check that Maven Central is reachable ('mvn -v', ~/.m2/settings.xml). Maven said:\n  ${tailOf(mvn.output)}`);
    }
    const classpath = fs.readFileSync(path.join(into, 'classpath.txt'), 'utf8').trim();
    const sources = fs.readdirSync(path.join(DRIVER_DIR, 'src', 'kafkaeos')).filter((f) => f.endsWith('.java')).map((f) => path.join(DRIVER_DIR, 'src', 'kafkaeos', f));
    const javac = await runStep('javac', ['--release', '11', '-nowarn', '-d', path.join(into, 'classes'), '-cp', classpath, ...sources], { timeoutMs: 300_000 });
    if (javac.code !== 0) throw harnessError(`javac could not compile the Java driver against kafka-clients ${version}:\n  ${tailOf(javac.output, 12)}`);
  });
  log(`Java driver for kafka-clients ${version} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function classpathPresent(dir: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, 'classpath.txt'), 'utf8').trim().split(':').every((jar) => fs.existsSync(jar));
  } catch {
    return false;
  }
}

/** Maven's sentence about the missing artifact, without its banner lines. */
function mavenReason(output: string): string {
  return output.replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => /Could not (find|resolve)|was not found/.test(l))?.replace(/^\[ERROR\]\s*/, '').slice(0, 400) ?? tailOf(output, 4);
}
