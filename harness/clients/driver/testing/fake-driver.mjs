// A stand-in driver for the protocol's unit tests: speaks docs/client-drivers.md without Kafka, and
// misbehaves on request. Mode (argv[2]): good, garbage, missing-field, exit-mid-op, hang, wrong-value,
// bad-version, fail-definite, noisy-stdout. Every send gets offset = its position in the driver's log.
import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'good';
let offset = 0;
const out = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  const reply = (body) => out({ in_reply_to: m.msg_id, ...body });
  switch (m.type) {
    case 'init':
      if (mode === 'bad-version') return reply({ type: 'error', code: 'unsupported-protocol', text: `I speak version 99 only, offered ${m.protocol_versions}` });
      if (mode === 'noisy-stdout') process.stdout.write('SLF4J: No logger found\n');
      return reply({ type: 'init_ok', protocol_version: 1, client: { name: 'fake', version: '0.0.1' } });
    case 'open':
      return reply({ type: 'open_ok', process: m.process });
    case 'abandon':
      return reply({ type: 'abandon_ok', process: m.process });
    case 'continue':
      return reply({ type: 'continue_ok', process: m.new_process });
    case 'shutdown':
      reply({ type: 'shutdown_ok' });
      return process.exit(0);
    case 'invoke':
      return invoke(m, reply);
  }
});

function invoke(m, reply) {
  const { op } = m;
  switch (mode) {
    case 'garbage': return process.stdout.write('Exception in thread "main" java.lang.NullPointerException\n');
    case 'missing-field': return reply({ type: 'complete', process: m.process, outcome: 'ok', value: [], fenced: false });
    case 'exit-mid-op':
      process.stderr.write('driver: giving up on this op\n');
      return process.exit(3);
    case 'hang': return undefined;
    case 'fail-definite':
      return reply({ type: 'complete', process: m.process, outcome: 'fail', value: op.value, error: 'PRODUCER_FENCED: fenced', end_process: true, fenced: true });
  }
  if (op.f === 'send' || (op.f === 'txn' && op.value.every(([f]) => f === 'send'))) {
    const value = op.value.map(([, k, v]) => ['send', k, [offset++, mode === 'wrong-value' ? v + 1 : v]]);
    return reply({ type: 'complete', process: m.process, outcome: 'ok', value, end_process: false, fenced: false, txn: { version: 2, producer_id: 7, epoch: 3 } });
  }
  if (op.f === 'assign' || op.f === 'subscribe') return reply({ type: 'complete', process: m.process, outcome: 'ok', value: op.value, end_process: false, fenced: false });
  if (op.f === 'crash') return reply({ type: 'complete', process: m.process, outcome: 'info', value: null, error: 'crash', end_process: true, fenced: false });
  return reply({ type: 'complete', process: m.process, outcome: 'ok', value: [['poll', {}]], end_process: false, fenced: false });
}
