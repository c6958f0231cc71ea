// Child process for writer.test.ts: appends client events as fast as it can until it is killed.
import { realClock } from './clock.ts';
import { openHistory } from './writer.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: killedWriter.child.ts HISTORY');
const h = openHistory(file, realClock());
for (let i = 0; ; i++) {
  const process_ = i % 8;
  h.invoke(process_, 'send', [['send', i % 5, i]]);
  h.complete(process_, 'ok', 'send', [['send', i % 5, [i, i]]]);
  if (i === 2000) console.log('ready');
}
