// Kafka's on-disk and on-wire record batch format (magic 2), read as the broker stores it: what the
// forensics' raw read_uncommitted Fetch returns, markers and aborted data included. Pure; reference:
// clients/src/main/java/org/apache/kafka/common/record/DefaultRecordBatch.java and DefaultRecord.java.
import { gunzipSync } from 'node:zlib';

export type MarkerType = 'COMMIT' | 'ABORT';

export interface LogRecord {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

export interface LogBatch {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  transactional: boolean;
  /** Set on a control batch: the transaction marker it carries. */
  marker: MarkerType | null;
  /** A marker's coordinator epoch (EndTxnMarker.CoordinatorEpoch). */
  coordinatorEpoch?: number;
  partitionLeaderEpoch: number;
  maxTimestamp: number;
  /** null when the batch is compressed with a codec Node cannot read (snappy, lz4, zstd). */
  records: LogRecord[] | null;
  compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd' | 'unknown';
}

const HEADER = 61;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

/** Every complete batch in `bytes` (a trailing partial batch, as a fetch may end with, is ignored). */
export function parseBatches(bytes: Buffer): LogBatch[] {
  const out: LogBatch[] = [];
  let pos = 0;
  while (bytes.length - pos >= HEADER) {
    const length = bytes.readInt32BE(pos + 8);
    if (length <= 0 || pos + 12 + length > bytes.length) break;
    out.push(parseBatch(bytes.subarray(pos, pos + 12 + length)));
    pos += 12 + length;
  }
  return out;
}

function parseBatch(b: Buffer): LogBatch {
  const magic = b.readInt8(16);
  if (magic !== 2) throw new Error(`record batch at offset ${b.readBigInt64BE(0)} has magic ${magic}; only magic 2 is read`);
  const baseOffset = Number(b.readBigInt64BE(0));
  const attributes = b.readInt16BE(21);
  const compression = CODECS[attributes & 0x07] ?? 'unknown';
  const control = (attributes & 0x20) !== 0;
  const baseTimestamp = Number(b.readBigInt64BE(27));
  const count = b.readInt32BE(57);
  const body = b.subarray(HEADER);
  const payload = compression === 'none' ? body : compression === 'gzip' ? gunzipSync(body) : null;
  const records = payload === null ? null : parseRecords(payload, count, baseOffset, baseTimestamp);
  const batch: LogBatch = {
    baseOffset,
    lastOffset: baseOffset + b.readInt32BE(23),
    producerId: Number(b.readBigInt64BE(43)),
    producerEpoch: b.readInt16BE(51),
    baseSequence: b.readInt32BE(53),
    transactional: (attributes & 0x10) !== 0,
    marker: null,
    partitionLeaderEpoch: b.readInt32BE(12),
    maxTimestamp: Number(b.readBigInt64BE(35)),
    records,
    compression,
  };
  if (control && records && records.length > 0) {
    const { keyBytes, valueBytes } = rawOf(payload!, count)[0]!;
    // Control record key: version int16, type int16 (0 abort, 1 commit); value: version int16, coordinator epoch int32.
    const type = keyBytes && keyBytes.length >= 4 ? keyBytes.readInt16BE(2) : -1;
    batch.marker = type === 0 ? 'ABORT' : type === 1 ? 'COMMIT' : null;
    if (valueBytes && valueBytes.length >= 6) batch.coordinatorEpoch = valueBytes.readInt32BE(2);
    batch.records = [];
  }
  return batch;
}

interface RawRecord {
  offsetDelta: number;
  timestampDelta: number;
  keyBytes: Buffer | null;
  valueBytes: Buffer | null;
}

function parseRecords(payload: Buffer, count: number, baseOffset: number, baseTimestamp: number): LogRecord[] {
  return rawOf(payload, count).map((r) => ({
    offset: baseOffset + r.offsetDelta,
    key: r.keyBytes?.toString('utf8') ?? null,
    value: r.valueBytes?.toString('utf8') ?? null,
    timestamp: baseTimestamp + r.timestampDelta,
  }));
}

function rawOf(payload: Buffer, count: number): RawRecord[] {
  const r = new VarReader(payload);
  const out: RawRecord[] = [];
  for (let i = 0; i < count && r.pos < payload.length; i++) {
    const length = r.varint();
    const end = r.pos + length;
    r.pos += 1; // attributes (unused)
    const timestampDelta = r.varint();
    const offsetDelta = r.varint();
    const keyBytes = r.bytes();
    const valueBytes = r.bytes();
    out.push({ offsetDelta, timestampDelta, keyBytes, valueBytes });
    r.pos = end; // headers skipped
  }
  return out;
}

/** Zig-zag varints as DefaultRecord writes them (ByteUtils.readVarint / readVarlong). */
class VarReader {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  varint(): number {
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.b[this.pos++];
      if (byte === undefined) throw new Error('record ends inside a varint');
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((raw >> 1n) ^ -(raw & 1n));
  }

  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const out = this.b.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}
