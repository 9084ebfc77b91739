// Planning by drag-and-drop in the demo workspace (a temporary copy): a reorder, a multi-select
// drag, and a drop onto a file with unsaved changes. Runs after overview.ui.ts and before
// sprints.ui.ts (file name order), and leaves the stories that one drags alone.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { readSettled, unstamped } from './files';
import { backlogPane, drag, openBacklog, setPaneOpen, setRowExpanded, settle } from './panes';
import { closeTab } from './webviews';

const TASKS = (workspaceDir: string) => path.join(workspaceDir, 'backlog', 'tasks');
const FILES = {
  apple: 'bl-13 - Sign-in-with-Apple.md',
  attribution: 'bl-28 - Map-attribution-covers-the-zoom-buttons-on-small-screens.md',
  deleteAccount: 'bl-25 - Delete-my-account.md',
  prefetch: 'bl-30 - Tile-prefetch-gives-up-on-HTTP-503.md',
};

/** Lines only one of the two texts has: what an edit removed and added. */
function changedLines(before: string, after: string): string[] {
  const a = unstamped(before).split('\n');
  const b = unstamped(after).split('\n');
  return [...a.filter((l) => !b.includes(l)), ...b.filter((l) => !a.includes(l))];
}

function read(dir: string, name: string): string {
  return readSettled(path.join(dir, name));
}

/** Waits until a file differs from `before`, and returns its new text. */
async function changed(page: Page, dir: string, name: string, before: string): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 100) {
    const now = readSettled(path.join(dir, name));
    if (now !== before) return now;
    await page.waitForTimeout(100);
  }
  throw new Error(`${name} did not change`);
}

/** Waits until a tree row shows as selected. */
async function assertSelected(row: Locator): Promise<void> {
  for (let waited = 0; (await row.getAttribute('aria-selected')) !== 'true'; waited += 100) {
    assert.ok(waited < 10_000, `${String(row)} is not selected`);
    await row.page().waitForTimeout(100);
  }
}

function row(page: Page, view: string, text: string) {
  return backlogPane(page, view).locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * Opens the container and arranges it as a person planning would: Releases and Tech Debt
 * closed and Sprint 14 folded, so that the product backlog's rows and Sprint 15 are on screen
 * together. `restore` puts it back as it was.
 */
async function ready(page: Page): Promise<{ restore(): Promise<void> }> {
  await openBacklog(page);
  const releases = await setPaneOpen(page, 'Releases', false);
  const techDebt = await setPaneOpen(page, 'Tech Debt', false);
  const sprint14 = row(page, 'Sprints', 'Sprint 14');
  await sprint14.waitFor({ state: 'visible', timeout: 30_000 });
  const expanded = await setRowExpanded(sprint14, false);
  await row(page, 'Product Backlog', 'Sign in with Apple').waitFor({ state: 'visible', timeout: 30_000 });
  await row(page, 'Sprints', 'Sprint 15').waitFor({ state: 'visible' });
  return {
    restore: async () => {
      await setRowExpanded(sprint14, expanded);
      await setPaneOpen(page, 'Tech Debt', techDebt);
      await setPaneOpen(page, 'Releases', releases);
    },
  };
}

export async function reordersTheProductBacklogByWritingOneRank({ page, workspaceDir }: UiTestContext): Promise<void> {
  const pane = await ready(page);
  const dir = TASKS(workspaceDir);
  const before = read(dir, FILES.attribution);
  const others = Object.values(FILES).filter((f) => f !== FILES.attribution).map((f) => [f, read(dir, f)] as const);
  const moved = row(page, 'Product Backlog', 'Map attribution covers');
  await moved.waitFor({ state: 'visible' });
  await drag(page, moved, row(page, 'Product Backlog', 'Sign in with Apple'));
  const after = await changed(page, dir, FILES.attribution, before);
  const lines = changedLines(before, after);
  assert.equal(lines.length, 2, lines.join(' | '));
  assert.ok(lines.every((l) => l.startsWith('rank: ')), lines.join(' | '));
  for (const [name, text] of others) assert.equal(read(dir, name), text, `${name} must not change`);
  // The tree follows: the story now sits just above the one it was dropped on (top-level rows:
  // a drag that lingers over a story unfolds its code references).
  for (let waited = 0; ; waited += 100) {
    const texts = await backlogPane(page, 'Product Backlog').locator('.monaco-list-row[aria-level="1"] .label-name').allInnerTexts();
    const at = texts.findIndex((t) => t.startsWith('Map attribution covers'));
    if (at >= 0 && texts[at + 1]?.startsWith('Sign in with Apple')) break;
    assert.ok(waited < 10_000, texts.join(' | '));
    await page.waitForTimeout(100);
  }
  await pane.restore();
}

export async function plansTwoSelectedStoriesIntoASprintAtOnce({ page, workspaceDir }: UiTestContext): Promise<void> {
  const pane = await ready(page);
  const dir = TASKS(workspaceDir);
  const before = { a: read(dir, FILES.prefetch), b: read(dir, FILES.deleteAccount) };
  const first = row(page, 'Product Backlog', 'Tile prefetch gives up');
  const second = row(page, 'Product Backlog', 'Delete my account');
  // Selected as a person does, and seen selected: a refresh in between would drag one story.
  await settle(page);
  await first.click();
  await second.click({ modifiers: ['Control'] });
  for (const story of [first, second]) await assertSelected(story);
  await drag(page, first, row(page, 'Sprints', 'Sprint 15'));
  const a = await changed(page, dir, FILES.prefetch, before.a);
  const b = await changed(page, dir, FILES.deleteAccount, before.b);
  assert.deepEqual(changedLines(before.a, a), ['sprint: S-15']);
  assert.deepEqual(changedLines(before.b, b), ['sprint: S-15']);
  await pane.restore();
}

export async function keepsUnsavedTextWhenItsItemIsDropped({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  const pane = await ready(page);
  const dir = TASKS(workspaceDir);
  const onDisk = read(dir, FILES.apple);
  // Open the story with "Go to Item", then type into it without saving.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Backlog: Go to Item');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Go to Item' }).first().click();
  await page.locator('.quick-input-widget input').fill('BL-13');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sign in with Apple' }).first().click();
  // It opens in the item editor; the test is about text, so "Open as Text" in the editor's title.
  await page.locator('.editor-actions .action-label[aria-label^="Open as Text"]').click();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines').waitFor({ state: 'visible' });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('Unsaved note: ask Apple about private relay addresses.');
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible' });

  await drag(page, row(page, 'Product Backlog', 'Sign in with Apple'), row(page, 'Sprints', 'Sprint 15'));
  // The change goes into the open editor: its text has both, it stays unsaved, the disk keeps its bytes.
  for (let waited = 0; ; waited += 100) {
    // Monaco draws spaces as no-break spaces.
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    if (/sprint:\s+S-15/.test(text)) {
      assert.match(text, /Unsaved note: ask Apple about private relay addresses\./);
      break;
    }
    assert.ok(waited < 15_000, `the editor never showed the new sprint: ${text}`);
    await page.waitForTimeout(100);
  }
  assert.ok(await page.locator('.tab.active.dirty').isVisible(), 'the editor still has unsaved changes');
  assert.equal(read(dir, FILES.apple), onDisk, 'nothing was saved for the user');
  await screenshot('unsaved-drop');
  // Leave no dirty editor behind for the next test: revert it.
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>File: Revert File');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Revert File' }).first().click();
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+W');
  // The item editor's tab, when "Open as Text" did not replace it, goes too.
  if ((await page.locator('.tabs-container .tab', { hasText: 'bl-13' }).count()) > 0) await closeTab(page, 'bl-13');
  await pane.restore();
}
