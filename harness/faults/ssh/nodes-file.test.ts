import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMANDS, fillTemplate, parseNodesFile } from './nodes-file.ts';

const parse = (o: unknown) => parseNodesFile('/etc/kafka-eos/nodes.json', JSON.stringify(o));

describe('the ssh nodes file', () => {
  it('numbers nodes in order, fills in defaults, resolves the key beside the file', () => {
    const f = parse({ user: 'ops', identityFile: 'key', commands: { start: 'systemctl start kafka' }, nodes: ['10.0.0.1', { host: 'b.example', address: '10.0.0.2', port: 2222 }] });
    expect(f.nodes).toEqual([
      { id: 1, host: '10.0.0.1', port: 22, user: 'ops', address: '10.0.0.1' },
      { id: 2, host: 'b.example', port: 2222, user: 'ops', address: '10.0.0.2' },
    ]);
    expect(f.identityFile).toBe('/etc/kafka-eos/key');
    expect(f.clientPorts).toEqual([9092]);
    expect(f.commands.kill).toBe(DEFAULT_COMMANDS.kill);
    expect(f.commands.stop).toBe(DEFAULT_COMMANDS.stop);
    expect(f.commands.electLeaders).toBeNull();
    expect(parse({ commands: { start: 's', electLeaders: 'elect' }, nodes: ['a'] }).commands.electLeaders).toBe('elect');
    expect(fillTemplate('echo {node} {host} {address}', f.nodes[1]!)).toBe('echo 2 b.example 10.0.0.2');
  });

  it('refuses what would make faults go wrong, naming the field', () => {
    const ok = { commands: { start: 's' }, nodes: ['a', 'b'] };
    expect(() => parseNodesFile('n.json', '{')).toThrow(/n.json: not JSON/);
    expect(() => parse({ nodes: ['a'] })).toThrow(/commands.start is required/);
    expect(() => parse({ ...ok, nodes: [] })).toThrow(/"nodes" must list 1 to 9 nodes/);
    expect(() => parse({ ...ok, nodes: ['a', { host: 'b', address: 'a' }] })).toThrow(/two nodes have the address a/);
    expect(() => parse({ ...ok, nodes: ['-oProxyCommand=x'] })).toThrow(/is not a host name/);
    expect(() => parse({ ...ok, nodes: [{ host: 'a', address: '1.2.3.4; rm -rf /' }] })).toThrow(/not an address iptables can match/);
    expect(() => parse({ ...ok, commands: { start: 's', reboot: 'x' } })).toThrow(/unknown template\(s\) reboot; known: kill, start, pause, resume, stop, electLeaders/);
    expect(() => parse({ ...ok, commands: { start: 's', electLeaders: '' } })).toThrow(/"commands.electLeaders" must be a non-empty string/);
    expect(() => parse({ ...ok, clientPorts: [0] })).toThrow(/clientPorts\[0\]/);
    expect(() => parse({ ...ok, hosts: [] })).toThrow(/unknown field\(s\) hosts/);
  });
});
