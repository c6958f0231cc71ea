// The last line of defence for "no container outlives a run". If the harness' main thread stops
// turning its event loop (seen: kafkajs' fetch manager spinning on microtasks once brokers vanish),
// neither timers nor Ctrl-C handlers run any more. A worker thread has its own event loop: it watches a
// heartbeat the main thread writes, and after `stallMs` without one it removes the cluster with the
// docker CLI and kills the process (the history, written line by line, stays a valid prefix).
import { Worker } from 'node:worker_threads';
import { LABEL } from '../docker/labels.ts';

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { execFileSync } = require('node:child_process');
const { writeSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const inspector = require('node:inspector');
const beat = new Float64Array(workerData.heartbeat);
const say = (line) => { try { writeSync(2, 'kafka-eos watchdog: ' + line + '\\n'); } catch {} };
const docker = (args) => { try { return execFileSync('docker', args, { encoding: 'utf8', timeout: 60000 }); } catch { return ''; } };
// The inspector reaches a spinning main thread through V8 interrupts, so its stack can be read from here.
function captureStack() {
  return new Promise((resolve) => {
    const session = new inspector.Session();
    session.connectToMainThread();
    const done = (lines) => { clearTimeout(timer); try { session.disconnect(); } catch {} resolve(lines); };
    const timer = setTimeout(() => done(['(the main thread did not pause within 5 s)']), 5000);
    session.on('Debugger.paused', (m) => {
      const frames = m.params.callFrames.map((f) => 'at ' + (f.functionName || '(anonymous)') + ' (' + f.url + ':' + (f.location.lineNumber + 1) + ')');
      session.post('Debugger.resume', () => done(frames));
    });
    session.post('Debugger.enable', () => session.post('Debugger.pause'));
  });
}
const interval = setInterval(async () => {
  const stalled = Date.now() - beat[0];
  if (beat[0] === 0 || stalled < workerData.stallMs) return;
  clearInterval(interval);
  say('the harness made no progress for ' + Math.round(stalled / 1000) + ' s; removing cluster ' + workerData.clusterId + ' and stopping');
  if (workerData.reportDir) {
    const file = join(workerData.reportDir, 'stall-stack.txt');
    const frames = await captureStack();
    try { writeFileSync(file, frames.join('\\n') + '\\n'); say('the stalled thread\\'s stack: ' + file); } catch {}
  }
  const ids = docker(['ps', '-aq', '--filter', 'label=' + workerData.label + '=' + workerData.clusterId]).split('\\n').filter(Boolean);
  if (ids.length > 0) docker(['rm', '-f', '-v', ...ids]);
  docker(['network', 'rm', workerData.clusterId]);
  process.kill(process.pid, 'SIGKILL');
}, 1000);
`;

export interface Watchdog {
  stop(): Promise<void>;
}

export function startWatchdog(clusterId: string, stallMs = 90_000, reportDir?: string): Watchdog {
  const heartbeat = new SharedArrayBuffer(8);
  const beat = new Float64Array(heartbeat);
  beat[0] = Date.now();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { heartbeat, stallMs, clusterId, label: LABEL.cluster, reportDir } });
  worker.unref();
  const timer = setInterval(() => { beat[0] = Date.now(); }, 500);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await worker.terminate();
    },
  };
}
