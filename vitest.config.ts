import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure (model, checker, generator) and fast; `integration` drives a real
// Kafka cluster in Docker, so it runs its files one at a time (2 cores cannot host two clusters)
// and its global setup provisions the engine and the image first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['properties/**/*.test.ts', 'model/**/*.test.ts', 'jepsen-style/**/*.test.ts',
            'harness/**/*.test.ts', 'reports/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
