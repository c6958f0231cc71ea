// The legs of a night: each a campaign over the same seeds with its own flags (the newest Kafka 4.x,
// Kafka 3.9, the Java client, ...). The workflow declares them once, as JSON in its LEGS variable; the
// plan step checks them here and hands them to the shard matrix, the merge matrix and the state step,
// so a leg cannot be added to one job and forgotten in another.
import { DEFAULT_KAFKA_VERSION } from '../../docker/image.ts';

export interface Leg {
  /** Used in artifact and check names: lower case, digits, dots and dashes. */
  name: string;
  /** `kafka-eos campaign` flags, beside the seeds, shard and output directory every leg gets. */
  flags: string;
  /** The Kafka version its cluster runs (from `--kafka-version` in flags, else the harness' default), for the image cache. */
  kafkaVersion: string;
}

const SET_BY_THE_WORKFLOW = ['--seeds', '--shard', '--out'];

export function parseLegs(json: string | undefined): Leg[] {
  const fix = 'set LEGS to a JSON array such as [{"name": "kafka-4", "flags": "--client-fix abort-filter"}]';
  let raw: unknown;
  try { raw = JSON.parse(json ?? ''); } catch { throw new Error(`nightly: LEGS is not JSON; ${fix}`); }
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`nightly: LEGS names no leg; ${fix}`);
  const legs = raw.map((item: { name?: unknown; flags?: unknown }) => {
    if (typeof item?.name !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(item.name)) throw new Error(`nightly: leg name ${JSON.stringify(item?.name)} must be lower case letters, digits, dots and dashes; ${fix}`);
    const flags = item.flags ?? '';
    if (typeof flags !== 'string') throw new Error(`nightly: leg ${item.name}'s flags must be one string`);
    const words = flags.split(/\s+/).filter(Boolean);
    const owned = words.find((w) => SET_BY_THE_WORKFLOW.some((f) => w === f || w.startsWith(`${f}=`)));
    if (owned) throw new Error(`nightly: leg ${item.name} sets ${owned}, which the workflow sets for every leg`);
    const at = words.findIndex((w) => w === '--kafka-version' || w.startsWith('--kafka-version='));
    const version = at < 0 ? DEFAULT_KAFKA_VERSION : words[at]!.includes('=') ? words[at]!.split('=')[1]! : words[at + 1] ?? '';
    return { name: item.name, flags: words.join(' '), kafkaVersion: version };
  });
  const names = legs.map((l) => l.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`nightly: leg ${twice} is declared twice in LEGS`);
  return legs;
}
