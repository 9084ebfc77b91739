// Helpers for webview panels in the UI tests (not a test file: the runner loads only *.ui.ts).
import type { Frame, Page } from 'playwright-core';
import { backlogPane, openBacklog } from './panes';

/** Runs a command from the palette by its full title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    // F1 pressed while a webview has the focus may stay in its frame: give the focus back to
    // the workbench first (the top page's active element is then the webview's iframe).
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  await input.fill(`>${title}`);
  try {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  } catch (e) {
    // Say what the palette showed instead, so a failure names its cause.
    const open = await input.isVisible();
    const rows = open ? await page.locator('.quick-input-list .monaco-list-row').allInnerTexts() : [];
    const state = open ? `it showed "${await input.inputValue()}" with rows ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ')))}` : 'it had closed';
    throw new Error(`the palette never offered "${title}": ${state}. ${(e as Error).message}`);
  }
  await page.keyboard.press('Enter');
}

/** Shows or hides the primary side bar, and waits until it has. */
export async function setSideBarVisible(page: Page, visible: boolean): Promise<void> {
  const bar = page.locator('.part.sidebar');
  if ((await bar.isVisible()) !== visible) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
  await bar.waitFor({ state: visible ? 'visible' : 'hidden' });
}

/** Shows or hides the panel (Problems, Output…), and waits until it has. */
export async function setPanelVisible(page: Page, visible: boolean): Promise<void> {
  const panel = page.locator('.part.panel');
  if ((await panel.isVisible()) !== visible) await runCommand(page, 'View: Toggle Panel Visibility');
  await panel.waitFor({ state: visible ? 'visible' : 'hidden' });
}

/**
 * Switches between the light and dark themes, and waits until the workbench and, when given,
 * a webview page have taken the new colours (VS Code tells pages by their body's class).
 */
export async function toggleTheme(page: Page, frame?: Frame): Promise<void> {
  const wasDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.locator(wasDark ? '.monaco-workbench.vs' : '.monaco-workbench.vs-dark').waitFor();
  if (frame) await frame.locator(wasDark ? 'body.vscode-light' : 'body.vscode-dark').waitFor();
}

/**
 * The frame that holds a webview page: VS Code nests the page in an inner iframe of the
 * webview's iframe. Found by an element only that page has. The wait is long: in code-server a
 * webview opened soon after another can wait up to 30 s for its resources, when a request to the
 * shared service worker times out (microsoft/vscode#172870; posit-dev/positron#4448 sees the same).
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 50_000): Promise<Frame> {
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

/** Closes an editor tab by its title and waits until it is gone, so the next test starts clean. */
export async function closeTab(page: Page, title: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: title });
  await tab.hover();
  await tab.locator('.codicon-close').click();
  await tab.waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * Opens a panel from its command once the backlog is read (the command shows only then; the
 * Product Backlog's rows say it is), and returns the frame of its page once `selector` is there.
 */
export async function openPanel(page: Page, command: string, selector: string): Promise<Frame> {
  await openBacklog(page);
  await backlogPane(page, 'Product Backlog').locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
  await runCommand(page, command);
  return webviewFrame(page, selector);
}
