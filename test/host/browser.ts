// Launches Debian's Chromium through playwright-core (never `npx playwright install`:
// it downloads a browser, and this machine has no internet).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export const VIEWPORT = { width: 1400, height: 1050 } as const;

/** Chromium flags for a headless root session on a machine with a closed network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', // root, and no user namespaces in the sandbox
  '--disable-gpu',
  '--disable-quic',
  // Without these Chromium keeps opening connections that the closed network refuses.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.BACKLOG_ATLAS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const context = await browser.newContext({ viewport: { ...VIEWPORT } });
    const page = await context.newPage();
    return {
      browser,
      context,
      page,
      close: async () => {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}
