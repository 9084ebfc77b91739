// Helpers for webview panels in the UI tests (not a test file: the runner loads only *.ui.ts).
import type { Frame, Page } from 'playwright-core';

/** Runs a command from the palette by its full title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * The frame that holds a webview page: VS Code nests the page in an inner iframe of the
 * webview's iframe. Found by an element only that page has.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame has ${selector}`);
}
