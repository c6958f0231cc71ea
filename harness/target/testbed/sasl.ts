// The testbed's security side: the cluster's client listener speaks SASL_PLAINTEXT (PLAIN) and KRaft's
// StandardAuthorizer guards it, with three principals: admin (a super user), alice (all rights on
// names starting with kafka-eos-, the ACLs docs/beyond-one-machine.md asks a platform team to grant)
// and bob (no rights at all). Passwords are made per cluster and written, with a client properties file
// per user that names them as ${ENV} references, to the directory given.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import kafkajs, { type KafkaConfig } from 'kafkajs';
import { kafkajsKafka } from '../../clients/kafkajs/admin.ts';
import type { KafkaCluster, NodeVariant } from '../../cluster/cluster.ts';
import { DEFAULT_NAMESPACE_PREFIX } from '../namespace.ts';

const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

export const TESTBED_USERS = ['admin', 'alice', 'bob'] as const;
export type TestbedUser = (typeof TESTBED_USERS)[number];
export const passwordVariable = (user: TestbedUser) => `KAFKA_EOS_${user.toUpperCase()}_PASSWORD`;

export type Passwords = Record<TestbedUser, string>;

export function newPasswords(): Passwords {
  return Object.fromEntries(TESTBED_USERS.map((u) => [u, randomBytes(12).toString('hex')])) as Passwords;
}

export function saslVariantParts(passwords: Passwords): Required<Pick<NodeVariant, 'brokerOverrides' | 'readinessConnection'>> {
  const users = TESTBED_USERS.map((u) => `user_${u}="${passwords[u]}"`).join(' ');
  return {
    brokerOverrides: {
      'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:SASL_PLAINTEXT',
      'sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.external.sasl.enabled.mechanisms': 'PLAIN',
      'listener.name.external.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`,
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      // Brokers and controllers talk PLAINTEXT among themselves, as ANONYMOUS.
      'super.users': 'User:admin;User:ANONYMOUS',
      'allow.everyone.if.no.acl.found': false,
    },
    readinessConnection: adminConnection(passwords),
  };
}

export function adminConnection(passwords: Passwords): Pick<KafkaConfig, 'sasl'> {
  return { sasl: { mechanism: 'plain', username: 'admin', password: passwords.admin } };
}

/** alice's ACLs: all operations on topics, groups and transactional ids with the default namespace prefix. */
export async function grantAlice(cluster: KafkaCluster, passwords: Passwords): Promise<void> {
  const admin = kafkajsKafka(cluster.brokers, process.stderr, adminConnection(passwords)).admin();
  await admin.connect();
  try {
    await admin.createAcls({
      acl: [AclResourceTypes.TOPIC, AclResourceTypes.GROUP, AclResourceTypes.TRANSACTIONAL_ID].map((resourceType) => ({
        resourceType, resourceName: DEFAULT_NAMESPACE_PREFIX, resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal: 'User:alice', host: '*', operation: AclOperationTypes.ALL, permissionType: AclPermissionTypes.ALLOW,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** DIR/<user>.properties for each user (secrets as ${ENV} references) and DIR/passwords.env to source. */
export function writeClientConfigs(dir: string, passwords: Passwords): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = TESTBED_USERS.map((user) => {
    const file = path.join(dir, `${user}.properties`);
    const credentials = user === 'admin'
      // Both spellings every client accepts: librdkafka's for admin, Java's JAAS line for the others.
      ? ['sasl.username=admin', `sasl.password=\${${passwordVariable(user)}}`]
      : [`sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="\${${passwordVariable(user)}}";`];
    fs.writeFileSync(file, ['# kafka-eos testbed: the password comes from the environment (source passwords.env)',
      'security.protocol=SASL_PLAINTEXT', 'sasl.mechanism=PLAIN', ...credentials].join('\n') + '\n');
    return file;
  });
  fs.writeFileSync(path.join(dir, 'passwords.env'), TESTBED_USERS.map((u) => `export ${passwordVariable(u)}=${passwords[u]}`).join('\n') + '\n', { mode: 0o600 });
  return files;
}
