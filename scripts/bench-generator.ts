// Benchmark of the workload generator and the model runner. Prints figures; asserts nothing.
//   npx tsx scripts/bench-generator.ts [reps]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runModel } from '../harness/model-runner/index.ts';
import { generateProgram, serializeProgram } from '../harness/workload/index.ts';

const reps = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cpus, median of ${reps}`);
  for (const timeLimitMs of [60_000, 120_000]) {
    const gen: number[] = [];
    const ser: number[] = [];
    let bytes = 0;
    let ops = 0;
    for (let i = 0; i < reps; i++) {
      const [p, g] = time(() => generateProgram(1000 + i, { timeLimitMs, nemesis: ['partition', 'kill', 'pause'] }));
      const [text, s] = time(() => serializeProgram(p));
      gen.push(g);
      ser.push(s);
      bytes = text.length;
      ops = p.workers.reduce((n, w) => n + w.ops.length, 0);
    }
    console.log(`generate ${timeLimitMs / 1000} s program (${ops} ops, ${(bytes / 1e6).toFixed(1)} MB): generate ${median(gen).toFixed(0)} ms, serialize ${median(ser).toFixed(0)} ms`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-model-'));
  try {
    for (const nemesis of [[], ['partition', 'kill', 'pause']] as const) {
      const rates: number[] = [];
      let last = '';
      for (let i = 0; i < reps; i++) {
        const p = generateProgram(2000 + i, { timeLimitMs: 10_000, nemesis: [...nemesis], nemesisIntervalMs: 2_000 });
        const t0 = performance.now();
        const { stats } = await runModel(p, path.join(dir, `${nemesis.length}-${i}`));
        const wallMs = performance.now() - t0;
        rates.push(stats.ops / (wallMs / 1000));
        last = `${stats.ops} ops (${stats.ok} ok, ${stats.fail} fail, ${stats.info} info), ${stats.modelSteps} model steps, ${wallMs.toFixed(0)} ms wall`;
      }
      console.log(`model run, 10 s program, nemesis [${nemesis.join(',')}]: ${median(rates).toFixed(0)} ops/s of wall time (last: ${last})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
