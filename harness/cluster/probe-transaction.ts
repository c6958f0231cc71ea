// One short transaction of the readiness and preflight probes (kafkajs): connect a transactional producer,
// run the body inside a transaction and commit it, or abort it when the body or the commit fails (the
// error goes on to the caller, which names the step), and always disconnect. A probe that left its
// transaction open would hold the partition's last stable offset until the transaction timed out.
import type { Producer, Transaction } from 'kafkajs';

export async function commitProbe(producer: Producer, body: (txn: Transaction) => Promise<unknown>): Promise<void> {
  await producer.connect();
  try {
    const txn = await producer.transaction();
    try {
      await body(txn);
      await txn.commit();
    } catch (error) {
      await txn.abort().catch(() => undefined);
      throw error;
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}
