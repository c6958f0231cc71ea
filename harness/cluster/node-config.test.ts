import { describe, expect, it } from 'vitest';
import { serverProperties } from './node-config.ts';
import { newKraftClusterId } from './cluster.ts';

describe('node configuration', () => {
  it('carries the exactly-once defaults and both listeners', () => {
    const props = Object.fromEntries(serverProperties({ nodeId: 2, nodeCount: 3, externalHostPort: 40123 })
      .trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(props).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
      'advertised.listeners': 'INTERNAL://kafka-2:9092,EXTERNAL://localhost:40123',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'unclean.leader.election.enable': 'false',
      'auto.create.topics.enable': 'false',
    });
  });

  it('never makes a cluster id that kafka-storage would read as an option', () => {
    for (let i = 0; i < 2_000; i++) {
      const id = newKraftClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
