import { smallConfig } from './config.ts';
import { explore } from './search.ts';
import * as v from '../../properties/model/variants.ts';
const configs = {
  A: (tv: 1 | 2) => { const c = smallConfig(tv, 'java', { delays: 0, failovers: 1 }); return { ...c, producers: c.producers.slice(0, 1) }; },
  B: (tv: 1 | 2) => smallConfig(tv, 'java', { delays: 0, failovers: 0 }),
};
const variants = [undefined, ...Object.values(v).filter((x) => typeof x === 'object' && 'name' in x)] as any[];
for (const [name, mk] of Object.entries(configs)) for (const tv of [1, 2] as const) for (const variant of variants) {
  const r = explore(mk(tv), { bound: 60, variant, maxStates: 300_000 });
  console.log(name, `TV${tv}`, variant?.name ?? 'model', r.counterexample ? `caught d${r.counterexample.actions.length} ${r.states}` : r.stopped ? `stopped ${r.states}` : `clean ${r.states}${r.exhausted ? ' exhausted' : ''} d${r.depth}`);
}
