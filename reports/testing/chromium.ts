// Headless Chromium for the report's browser tests: Debian's `chromium` package driven by
// playwright-core (Playwright's own browser download cannot work on a machine whose only outside
// access is package registries). The flags keep Chromium from reaching for the network, which on a
// closed network makes it stall. A missing browser is an error with the fix, never a skip.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KAFKA_EOS_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh persistent context (own --user-data-dir) on Debian's Chromium. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: the report's browser tests need it. `
      + 'Fix: run `bash scripts/provision-browser.sh` as root (installs Debian\'s chromium), or set KAFKA_EOS_CHROMIUM to a Chromium binary.');
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'kafka-eos-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH, headless: true, args: ARGS, viewport: { width: 1360, height: 900 }, timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
