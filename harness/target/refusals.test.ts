// What an existing cluster's refusals read like, from kafkajs' own error classes as its admin client
// throws them (the integration tests meet the real ones).
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { explainRefusal } from './refusals.ts';
import type { ClientConnection } from './client-config.ts';

type ErrorClass = new (...args: any[]) => Error;
const { KafkaJSProtocolError, KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError, KafkaJSAggregateError } = kafkajs as unknown as Record<
  'KafkaJSProtocolError' | 'KafkaJSConnectionError' | 'KafkaJSNumberOfRetriesExceeded' | 'KafkaJSSASLAuthenticationError' | 'KafkaJSAggregateError', ErrorClass>;

const connection: ClientConnection = { file: 'bob.properties', securityProtocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'bob', password: 'pw' }, tls: null };
const ctx = { bootstrap: ['k1:9092'], connection, namespacePrefix: 'kafka-eos-', doing: "creating the run's topics" };
const protocolError = (type: string, code: number) => new KafkaJSProtocolError({ type, code, message: `${type} message` });

describe('refusals of an existing cluster', () => {
  it('name the ACL, the principal and the kafka-acls command that fixes it', () => {
    const e = explainRefusal(new KafkaJSAggregateError('Topic creation errors', [protocolError('TOPIC_AUTHORIZATION_FAILED', 29)]), ctx);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/refused ACLs while creating the run's topics: TOPIC_AUTHORIZATION_FAILED \(topic\) for User:bob/);
    expect(e.message).toContain('--allow-principal User:bob --operation All --resource-pattern-type prefixed --topic kafka-eos- --group kafka-eos- --transactional-id kafka-eos-');
    expect(e.message).not.toContain('pw');
  });

  it('tell an unreachable cluster from refused credentials', () => {
    const unreachable = new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { retryCount: 2, retryTime: 300 });
    expect(explainRefusal(unreachable, { ...ctx, doing: 'connecting' }).message).toMatch(/^cannot reach the cluster at k1:9092 while connecting: Connection error: connect ECONNREFUSED.*Fix: check --bootstrap/);
    const refused = new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed: Authentication failed: Invalid username or password');
    expect(explainRefusal(refused, { ...ctx, doing: 'connecting' }).message).toMatch(/refused our credentials while connecting \(SASL PLAIN as bob, from --client-config bob.properties\)/);
  });

  it('says when the cluster is too small', () => {
    expect(explainRefusal(protocolError('INVALID_REPLICATION_FACTOR', 38), ctx).message).toMatch(/too small for the run's replication/);
  });
});
