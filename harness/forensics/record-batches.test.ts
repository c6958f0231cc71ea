// The batch parser against Kafka's own reading of the same bytes: a segment kept from a real run
// (seed 3, copier output partition, with commit and abort markers) and DumpLogSegments' dump of it.
import fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseBatches } from './record-batches.ts';

const fixture = (name: string) => gunzipSync(fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** DumpLogSegments' batch lines: offsets, producer, epoch, sequence, flags; and each record's payload or marker. */
function kafkaDump(): Array<{ base: number; last: number; pid: number; epoch: number; seq: number; txn: boolean; control: boolean; items: string[] }> {
  const out: ReturnType<typeof kafkaDump> = [];
  for (const line of fixture('t0-copy-0.dump.txt.gz').toString('utf8').split('\n')) {
    const b = /^baseOffset: (\d+) lastOffset: (\d+) .*baseSequence: (-?\d+) .*producerId: (-?\d+) producerEpoch: (-?\d+) .*isTransactional: (\w+) isControl: (\w+)/.exec(line);
    if (b) out.push({ base: +b[1]!, last: +b[2]!, seq: +b[3]!, pid: +b[4]!, epoch: +b[5]!, txn: b[6] === 'true', control: b[7] === 'true', items: [] });
    const r = /^\| offset: (\d+) .*(?:payload: (\S+)|endTxnMarker: (\w+) coordinatorEpoch: (\d+))$/.exec(line);
    if (r) out.at(-1)!.items.push(r[2] !== undefined ? `${r[1]}=${r[2]}` : `${r[1]}:${r[3]}@${r[4]}`);
  }
  return out;
}

describe('parseBatches', () => {
  it('reads a real segment exactly as Kafka\'s DumpLogSegments does', () => {
    const ours = parseBatches(fixture('t0-copy-0.log.gz'));
    const theirs = kafkaDump();
    expect(theirs.length).toBeGreaterThan(100);
    expect(theirs.filter((b) => b.control).length).toBeGreaterThan(10);
    expect(ours.map((b) => ({
      base: b.baseOffset, last: b.lastOffset, pid: b.producerId, epoch: b.producerEpoch, seq: b.baseSequence, txn: b.transactional, control: b.marker !== null,
      items: b.marker ? [`${b.baseOffset}:${b.marker}@${b.coordinatorEpoch}`] : (b.records ?? []).map((r) => `${r.offset}=${r.value}`),
    }))).toEqual(theirs);
  });

  it('reads a null key and a null value (length -1, zig-zag encoded as 1)', () => {
    const segment = fixture('t0-copy-0.log.gz');
    const first = segment.subarray(0, 12 + segment.readInt32BE(8));
    const header = Buffer.from(first.subarray(0, 61));
    // attributes 0, timestampDelta 0, offsetDelta 0, key -1, value -1, no headers
    const body = Buffer.from([0x00, 0x00, 0x00, 0x01, 0x01, 0x00]);
    const record = Buffer.concat([Buffer.from([body.length << 1]), body]);
    header.writeInt32BE(1, 57);
    const batch = Buffer.concat([header, record]);
    batch.writeInt32BE(batch.length - 12, 8);
    expect(parseBatches(batch)[0]!.records).toEqual([{ offset: Number(first.readBigInt64BE(0)), key: null, value: null, timestamp: Number(first.readBigInt64BE(27)) }]);
  });

  it('ignores a partial batch at the end (a fetch cut by its byte limit)', () => {
    const whole = fixture('t0-copy-0.log.gz');
    const all = parseBatches(whole);
    const cut = parseBatches(whole.subarray(0, whole.length - 7));
    expect(cut).toEqual(all.slice(0, -1));
  });

  it('decompresses gzip batches and reports codecs it cannot read', () => {
    const segment = fixture('t0-copy-0.log.gz');
    const [first] = parseBatches(segment);
    const plain = segment.subarray(0, 12 + segment.readInt32BE(8));
    const body = plain.subarray(61);
    const zipped = gzipSync(body);
    const gz = Buffer.concat([plain.subarray(0, 61), zipped]);
    gz.writeInt32BE(gz.length - 12, 8);
    gz.writeInt16BE(plain.readInt16BE(21) | 1, 21);
    expect(parseBatches(gz)[0]!.records).toEqual(first!.records);
    const lz4 = Buffer.from(gz);
    lz4.writeInt16BE(plain.readInt16BE(21) | 3, 21);
    expect(parseBatches(lz4)[0]).toMatchObject({ compression: 'lz4', records: null, baseOffset: first!.baseOffset });
  });
});
