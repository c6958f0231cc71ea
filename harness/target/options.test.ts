// The command line of an existing cluster and of the fault backends: what it refuses (exit 2, before
// anything starts) and that the repro line gives the same settings, and the same program, back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunFlags } from '../cli/run.ts';
import { programFor, reproCommand } from '../run/settings.ts';
import { serializeProgram } from '../workload/index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'target-options-'));
const config = path.join(dir, 'client.properties');
fs.writeFileSync(config, 'security.protocol=SASL_PLAINTEXT\nsasl.username=alice\nsasl.password=${KAFKA_EOS_TEST_SECRET}\n');
const nodes = path.join(dir, 'nodes.json');
fs.writeFileSync(nodes, JSON.stringify({ commands: { start: 'systemctl start kafka' }, nodes: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'] }));
process.env['KAFKA_EOS_TEST_SECRET'] = 'hunter2';

const usage = (pattern: RegExp) => expect.objectContaining({ exitCode: 2, message: expect.stringMatching(pattern) as unknown });
const parse = (...argv: string[]) => parseRunFlags('run', argv);

describe('existing-cluster flags', () => {
  it('are absent from the settings of a usual run', () => {
    expect(parse('--seed', '3').cluster).toBeUndefined();
  });

  it('refuse combinations that cannot apply, saying what to do instead', () => {
    expect(() => parse('--bootstrap', 'k:9092', '--kafka-version', '3.9.2')).toThrow(usage(/--kafka-version chooses the Kafka of a cluster the harness starts/));
    expect(() => parse('--bootstrap', 'k:9092', '--target', 'model')).toThrow(usage(/--bootstrap is about a real cluster/));
    expect(() => parse('--client-config', config)).toThrow(usage(/--client-config applies to an existing cluster; add --bootstrap/));
    expect(() => parse('--keep-topics')).toThrow(usage(/--keep-topics applies to an existing cluster/));
    expect(() => parse('--bootstrap', 'k:9092', '--nemesis', 'kill')).toThrow(usage(/--nemesis needs faults, and the fault backend is none \(the default with --bootstrap\): add --faults ssh/));
    expect(() => parse('--bootstrap', 'k:9092', '--workload', 'endtxn-race')).toThrow(usage(/--workload endtxn-race needs faults/));
    expect(() => parse('--bootstrap', 'k:9092', '--faults', 'docker')).toThrow(usage(/--faults docker drives the containers of a cluster the harness starts/));
    expect(() => parse('--faults', 'ssh', '--nodes-file', nodes)).toThrow(usage(/--faults ssh drives the nodes of an existing cluster/));
    expect(() => parse('--bootstrap', 'k:9092', '--faults', 'ssh')).toThrow(usage(/--faults ssh needs --nodes-file/));
    expect(() => parse('--bootstrap', 'k:9092', '--nodes-file', nodes)).toThrow(usage(/--nodes-file is read by the ssh fault backend, and this run's is none/));
    expect(() => parse('--bootstrap', 'k')).toThrow(usage(/'k' is not host:port/));
    expect(() => parse('--bootstrap', 'k:9092', '--namespace-prefix', 'a b')).toThrow(usage(/--namespace-prefix 'a b' may only hold/));
    expect(() => parse('--bootstrap', 'k:9092', '--client-config', path.join(dir, 'nope'))).toThrow(usage(/cannot read it \(ENOENT\)/));
    expect(() => parse('--bootstrap', 'k:9092', '--faults', 'ssh', '--nodes-file', config)).toThrow(usage(/--nodes-file .*: not JSON/));
    expect(() => parse('--faults', 'none', '--nemesis', 'pause')).toThrow(usage(/--nemesis needs faults, and the fault backend is none: add/));
    expect(() => parse('--faults', 'none', '--nemesis', 'leader-move')).toThrow(usage(/--nemesis needs faults, and the fault backend is none: add/));
    expect(() => parse('--bootstrap', 'k:9092', '--faults', 'ssh', '--nodes-file', nodes, '--nemesis', 'leader-move'))
      .toThrow(usage(/--nemesis leader-move needs a preferred-leader election on the ssh nodes, and .* has no commands.electLeaders: add e.g. "electLeaders"/));
  });

  it('give the ssh backend\'s node count to the program', () => {
    const s = parse('--bootstrap', 'k:9092', '--faults', 'ssh', '--nodes-file', nodes, '--nemesis', 'partition');
    expect(s.cluster).toMatchObject({ faults: 'ssh', nodeCount: 5 });
    expect(programFor(s).nodes).toEqual([1, 2, 3, 4, 5]);
  });

  it('come back from the repro line, which names the files but holds none of their contents', () => {
    const s = parse('--seed', '9', '--target', 'kafka', '--bootstrap', 'a:9092,b:9093', '--client-config', config, '--faults', 'ssh', '--nodes-file', nodes,
      '--nemesis', 'kill,pause', '--replication', '2', '--namespace-prefix', 'team-x.', '--keep-topics');
    const line = reproCommand(s);
    expect(line).toContain(`--bootstrap a:9092,b:9093 --client-config ${config} --faults ssh --nodes-file ${nodes} --replication 2 --namespace-prefix team-x. --keep-topics`);
    expect(line).not.toContain('hunter2');
    const back = parseRunFlags('run', line.slice('npx kafka-eos run '.length).split(' '));
    expect(back).toEqual(s);
    expect(serializeProgram(programFor(back))).toBe(serializeProgram(programFor(s)));
  });
});
