// `kafka-eos cluster up --ssh DIR --sasl DIR`: a local cluster that looks like somebody else's, to try
// (and test) the external target and the ssh fault backend on one machine. --ssh: every node runs an
// SSH server; DIR gets the key pair and nodes.json for --faults ssh. --sasl: the client listener wants
// SASL PLAIN and an authorizer guards it; DIR gets admin/alice/bob.properties and passwords.env.
import type { KafkaCluster, NodeVariant } from '../../cluster/cluster.ts';
import type { KafkaImage } from '../../docker/image.ts';
import { ensureSshImage } from './ssh-image.ts';
import { newKeyPair, sshVariantParts, writeNodesFile } from './ssh-nodes.ts';
import { grantAlice, newPasswords, saslVariantParts, writeClientConfigs } from './sasl.ts';

export interface TestbedOptions {
  ssh?: string;
  sasl?: string;
}

export interface Testbed {
  variant: NodeVariant;
  /** After the cluster is up: nodes.json, ACLs, client configs; answers the files written. */
  finish(cluster: KafkaCluster): Promise<string[]>;
}

export function testbed(o: TestbedOptions): Testbed {
  const publicKey = o.ssh ? newKeyPair(o.ssh) : null;
  const passwords = o.sasl ? newPasswords() : null;
  const ssh = publicKey ? sshVariantParts(publicKey) : null;
  const sasl = passwords ? saslVariantParts(passwords) : null;
  return {
    variant: {
      ...(ssh ? { image: (base: KafkaImage, log: (line: string) => void) => ensureSshImage(base, log), ...ssh } : {}),
      ...(sasl ?? {}),
    },
    finish: async (cluster) => {
      const files: string[] = [];
      if (o.ssh) files.push(await writeNodesFile(o.ssh, cluster));
      if (o.sasl && passwords) {
        await grantAlice(cluster, passwords);
        files.push(...writeClientConfigs(o.sasl, passwords));
      }
      return files;
    },
  };
}
