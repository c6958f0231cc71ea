// Minimal repro of the dropped transaction marker (docs/bug-finding.md): one 3-node cluster, one
// transaction aborted while one of its partitions has no leader. Prints what the brokers say and exits
// 1 if the partition is left with a hanging transaction, 0 if not.
// With --then-commit, a new instance of the transactional id then commits a transaction on the same
// partition, and the record the first one aborted becomes committed (exit 1 as well).
//   npx tsx scripts/repro-dropped-marker.ts [--kafka-version 4.4.0] [--then-commit]
import '../harness/docker/env.ts';
import { startCluster } from '../harness/cluster/cluster.ts';
import { kafkaTools } from '../harness/forensics/jvm.ts';
import { droppedMarkerScenario } from '../harness/forensics/scenarios/dropped-marker.ts';

const at = process.argv.indexOf('--kafka-version');
const kafkaVersion = at > 0 ? process.argv[at + 1] : undefined;
const started = Date.now();
const log = (line: string) => process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s  ${line}\n`);
const cluster = await startCluster({ nodes: 3, ...(kafkaVersion ? { kafkaVersion } : {}), log });
let code = 2;
try {
  const o = await droppedMarkerScenario(cluster, await kafkaTools(cluster.image.name), log, { thenCommit: process.argv.includes('--then-commit') });
  const lines = (await Promise.all(cluster.nodes.map((n) => cluster.logs(n.id, 5_000)))).join('\n').split('\n')
    .filter((l) => l.includes(o.transactionalId) && /marker|leader endpoint/i.test(l));
  console.log(`Kafka ${cluster.image.version}: ${o.transactionalId}, coordinator node ${o.coordinator}, ends ${o.coordinatorState}`);
  console.log(`  paired-0 batches: ${JSON.stringify(o.paired.markers)} (null = data, then the markers)`);
  console.log(`  lonely-0: leader ${o.lonely.leader}, high watermark ${o.lonely.highWatermark}, last stable offset ${o.lonely.lastStableOffset}, batches ${JSON.stringify(o.lonely.markers)}`);
  for (const l of lines) console.log(`  coordinator log: ${l.trim()}`);
  console.log(o.hanging ? '  => HANGING: the abort completed without a marker on lonely-0; read_committed readers of it are stuck for good'
    : '  => no hanging transaction: lonely-0 got its marker');
  if (o.adoption) {
    const m = o.adoption.marker;
    console.log(`  then a new instance committed on lonely-0: the aborted record at offset 0 is now ${o.adoption.abortedRecord}` +
      (m ? ` (by the ${m.type} marker at offset ${m.offset}, epoch ${m.producerEpoch})` : '') + `, LSO ${o.adoption.lastStableOffset}`);
    if (o.adoption.abortedRecord === 'committed') console.log('  => ABORTED DATA COMMITTED: a read_committed consumer of lonely-0 now returns the record its producer aborted');
  }
  code = o.hanging || o.adoption?.abortedRecord === 'committed' ? 1 : 0;
} finally {
  await cluster.stop();
}
process.exit(code);
