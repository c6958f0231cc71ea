// The fault state machine over hands that only write down what they were asked: which rules each
// node's firewall gets, and in which order nodes are killed, started, paused, resumed.
import { describe, expect, it } from 'vitest';
import { FaultController, type NodeHands } from './controller.ts';
import { firewallRemovalScript, firewallScript, HEALED, type FirewallRules } from './iptables.ts';

function recordingHands() {
  const calls: string[] = [];
  const rules = new Map<number, FirewallRules>();
  const hands: NodeHands = {
    name: 'ssh',
    nodeIds: [1, 2, 3],
    addresses: async () => new Map([[1, '10.0.0.1'], [2, '10.0.0.2'], [3, '10.0.0.3']]),
    setFirewall: async (n, r) => { rules.set(n, r); },
    kill: async (n, paused) => { calls.push(`kill ${n}${paused ? ' (paused)' : ''}`); },
    start: async (n) => { calls.push(`start ${n}`); },
    pause: async (n) => { calls.push(`pause ${n}`); },
    resume: async (n) => { calls.push(`resume ${n}`); },
    stop: async (n, paused) => { calls.push(`stop ${n}${paused ? ' (paused)' : ''}`); return 'graceful' as const; },
    electPreferredLeaders: async (via, _started, tries) => { calls.push(`elect via ${via}${tries === 1 ? ' (1 try)' : ''}`); return 'elected'; },
    close: async () => { calls.push('close'); },
  };
  return { hands, calls, rules };
}

describe('the fault controller', () => {
  it('turns a partition op into each node dropping its peers across the cut', async () => {
    const { hands, rules } = recordingHands();
    const f = new FaultController(hands);
    await f.inject({ f: 'start-partition', value: { kind: 'one', isolated: [3], grudge: { 1: [3], 2: [3], 3: [1, 2] } } });
    expect(rules.get(1)).toEqual({ dropFrom: ['10.0.0.3'], isolateClient: false });
    expect(rules.get(3)).toEqual({ dropFrom: ['10.0.0.1', '10.0.0.2'], isolateClient: false });
    expect(f.describe()).toBe('partition one {3}');
    await f.inject({ f: 'stop-partition', value: null });
    expect([...rules.values()]).toEqual([HEALED, HEALED, HEALED]);
  });

  it('never pauses a dead node, unfreezes before it kills, and heals everything at the end', async () => {
    const { hands, calls, rules } = recordingHands();
    const f = new FaultController(hands);
    await f.inject({ f: 'pause', value: { nodes: [2] } });
    await f.inject({ f: 'kill', value: { nodes: [2] } });
    await f.inject({ f: 'pause', value: { nodes: [2] } });
    await f.isolateClient([1]);
    expect(f.state()).toEqual({ partition: null, clientIsolated: [1], killed: [2], paused: [], stopped: [] });
    expect(rules.has(2)).toBe(false); // a dead node gets no rules...
    await f.heal();
    expect(calls).toEqual(['pause 2', 'kill 2 (paused)', 'start 2']);
    expect(rules.get(2)).toEqual(HEALED); // ...until it is back
    expect(f.describe()).toBe('none');
    await f.close();
    expect(calls.at(-1)).toBe('close');
  });

  it('sealed at the end of a run: the pause under way lands before the heal, and no fault starts after it', async () => {
    const { hands, calls } = recordingHands();
    let land!: () => void;
    hands.pause = (n) => new Promise<void>((resolve) => { land = () => { calls.push(`pause ${n}`); resolve(); }; });
    const f = new FaultController(hands);
    const pausing = f.inject({ f: 'pause', value: { nodes: [2] } });
    const sealed = f.seal().then(() => f.heal());
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([]); // the heal waits for the pause the nemesis began
    land();
    await Promise.all([pausing, sealed]);
    expect(calls).toEqual(['pause 2', 'resume 2']);
    expect(f.state().paused).toEqual([]);
    await expect(f.inject({ f: 'kill', value: { nodes: [1] } })).rejects.toThrow(/no new faults: the run is ending/);
    expect(calls).toEqual(['pause 2', 'resume 2']);
  });

  it('leader-move: a graceful stop, then the start and a preferred election run on a node that was up all along', async () => {
    const { hands, calls, rules } = recordingHands();
    const f = new FaultController(hands);
    await f.inject({ f: 'start-leader-move', value: { nodes: [1] } });
    expect(f.state().stopped).toEqual([1]);
    expect(f.describe()).toBe('shut down 1');
    await f.inject({ f: 'start-partition', value: { kind: 'one', isolated: [3], grudge: { 1: [3], 2: [3], 3: [1, 2] } } });
    expect(rules.has(1)).toBe(false); // a stopped node has no namespace to put rules in...
    await f.inject({ f: 'pause', value: { nodes: [1] } }); // ...nor a process to freeze
    await f.inject({ f: 'stop-leader-move', value: { nodes: [1] } });
    expect(rules.get(1)).toEqual({ dropFrom: ['10.0.0.3'], isolateClient: false }); // back with the partition's rules
    expect(calls).toEqual(['stop 1', 'start 1', 'elect via 2']);
    expect(f.state().stopped).toEqual([]);
  });

  it('leader-move: thaws a paused node to shut it down, elects nothing when nothing was stopped, and the heal starts a stopped node', async () => {
    const { hands, calls } = recordingHands();
    const f = new FaultController(hands);
    await f.inject({ f: 'pause', value: { nodes: [2] } });
    await f.inject({ f: 'start-leader-move', value: { nodes: [2] } });
    expect(f.state()).toMatchObject({ paused: [], stopped: [2] });
    await f.inject({ f: 'stop-leader-move', value: { nodes: [1, 3] } }); // the final heal's op names every node
    await f.inject({ f: 'kill', value: { nodes: [3] } });
    await f.inject({ f: 'start-leader-move', value: { nodes: [3] } }); // a dead node has nothing to shut down
    await f.heal();
    expect(calls).toEqual(['pause 2', 'stop 2 (paused)', 'kill 3', 'start 3', 'start 2']);
    expect(f.describe()).toBe('none');
  });

  it('leader-move: the election runs on the one live node, or the op fails saying why', async () => {
    const { hands, calls } = recordingHands();
    const f = new FaultController(hands);
    await f.inject({ f: 'kill', value: { nodes: [2] } });
    await f.inject({ f: 'start-leader-move', value: { nodes: [3] } });
    await f.inject({ f: 'stop-leader-move', value: { nodes: [3] } });
    expect(calls.at(-1)).toBe('elect via 1 (1 try)'); // node 2 is down: its partitions cannot be elected, retries would only wait
    hands.electPreferredLeaders = async () => { throw new Error('3 replica(s) could not be elected'); };
    await f.inject({ f: 'start-leader-move', value: { nodes: [1] } });
    await expect(f.inject({ f: 'stop-leader-move', value: { nodes: [1] } })).rejects.toThrow(/could not be elected/);
    expect(f.state()).toMatchObject({ killed: [2], stopped: [] }); // started all the same
  });

  it('leader-move with a lagging follower (an experiment\'s knob): the next live node is frozen before the shutdown and thawed after', async () => {
    const { hands, calls } = recordingHands();
    const f = new FaultController(hands, { lagMs: 5 });
    await f.inject({ f: 'kill', value: { nodes: [1] } });
    await f.inject({ f: 'start-leader-move', value: { nodes: [3] } }); // after 3 comes 1 (dead), then 2
    expect(calls).toEqual(['kill 1', 'pause 2', 'stop 3', 'resume 2']);
    expect(f.state()).toMatchObject({ paused: [], stopped: [3] });
    await f.inject({ f: 'start-leader-move', value: { nodes: [2] } }); // no live node left to freeze
    expect(calls.slice(4)).toEqual(['stop 2']);
    const g = new FaultController({ ...hands, stop: async () => { throw new Error('docker stop failed'); } }, { lagMs: 5 });
    await expect(g.inject({ f: 'start-leader-move', value: { nodes: [1] } })).rejects.toThrow(/docker stop failed/);
    expect(calls.slice(5)).toEqual(['pause 2', 'resume 2']); // thawed all the same
  });

  it('a controlled shutdown that ended by SIGKILL after its grace: the node counts as stopped (the rejoin starts it), and the op fails saying it was a kill', async () => {
    const { hands, calls } = recordingHands();
    const f = new FaultController({ ...hands, stop: async (n) => { calls.push(`stop ${n}`); return 'killed'; } });
    await expect(f.inject({ f: 'start-leader-move', value: { nodes: [2] } })).rejects.toThrow(/node 2's controlled shutdown outlasted its grace and was ended by SIGKILL: this leader move was a kill/);
    expect(f.state()).toMatchObject({ stopped: [2] });
    await f.inject({ f: 'stop-leader-move', value: { nodes: [2] } });
    expect(calls).toEqual(['stop 2', 'start 2', 'elect via 1']);
  });

  it('refuses a node it does not know', async () => {
    const f = new FaultController(recordingHands().hands);
    await expect(f.inject({ f: 'kill', value: { nodes: [4] } })).rejects.toThrow(/no node 4 \(nodes 1,2,3\)/);
  });
});

describe('iptables scripts', () => {
  it('drop peers by address and the client listener by port, in chains of our own', () => {
    const s = firewallScript({ dropFrom: ['10.0.0.2'], isolateClient: true }, [9092, 9093], 'sudo -n iptables');
    expect(s).toContain('sudo -n iptables -w -A KAFKA_EOS_IN -s 10.0.0.2 -j DROP');
    expect(s).toContain('-A KAFKA_EOS_IN -p tcp --dport 9093 -j DROP');
    expect(s).toContain('-A KAFKA_EOS_OUT -p tcp --sport 9092 -j DROP');
    expect(firewallScript(HEALED, [9092])).not.toContain('DROP');
    expect(firewallRemovalScript()).toContain('-X KAFKA_EOS_IN');
  });
});
