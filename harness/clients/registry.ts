// From a `--client` spec to the client library behind the boundary.
import type { ClientKind } from './client.ts';
import { franzGoClient, franzGoDriverCommand } from './franz-go.ts';
import { javaClient, javaDriverCommand } from './java.ts';
import { kafkajsClient } from './kafkajs/index.ts';
import type { ClientSpec } from './spec.ts';
import { driverClient } from './driver/driver-client.ts';
import type { DriverCommand } from './driver/driver-process.ts';

export function clientKindOf(spec: ClientSpec): ClientKind {
  switch (spec.name) {
    case 'kafkajs': return kafkajsClient();
    case 'java': return javaClient(spec.version);
    case 'franz-go': return franzGoClient(spec.version, spec.carryOn === true);
  }
}

/**
 * Builds (or finds cached) every driver the specs need, before anything else starts: a missing
 * toolchain is exit 3 and a version that does not exist exit 2, with no cluster started for nothing.
 */
export async function prepareClients(specs: readonly ClientSpec[] | undefined, log: (line: string) => void): Promise<void> {
  for (const spec of specs ?? []) await clientKindOf(spec).prepare(log);
}

/** Any driver speaking docs/client-drivers.md, given as a shell command (the conformance kit's `--driver-command`). */
export function commandClient(command: string): ClientKind {
  return driverClient({
    description: { name: 'driver', version: 'as it says', label: `driver \`${command}\`` },
    prepare: async () => undefined,
    command: () => ({ command: 'sh', args: ['-c', `exec ${command}`] }),
  });
}

/** The command line of one driver process of an out-of-process client, after prepare (null for kafkajs). */
export function driverCommandOf(spec: ClientSpec): DriverCommand | null {
  return spec.name === 'java' ? javaDriverCommand(spec.version) : spec.name === 'franz-go' ? franzGoDriverCommand(spec.version) : null;
}
