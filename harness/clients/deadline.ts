// An op that hangs (a partition swallowed the request, kafkajs retries forever) must still complete in
// the history: after the deadline it is `info`, and its clients are abandoned, not awaited.

export class DeadlineExceeded extends Error {
  constructor(readonly ms: number, readonly what: string) {
    super(`${what} took longer than ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms, what)), ms);
  });
  // The abandoned promise may still reject later; nobody is listening then, so swallow it.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
