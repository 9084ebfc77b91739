// Undo after a drop in the Sprints view (issue 17): the story's file is not open in any editor,
// so the notification's Undo button is the way back, and the file must be back byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { backlogPane, drag, openBacklog, rowTexts, setPaneOpen, setRowExpanded } from './panes';
import { runCommand } from './webviews';

const STORY = 'Show an offline badge on saved routes';

export async function undoesADropOnAClosedFileFromTheNotification({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  await openBacklog(page);
  const layout = { releases: await setPaneOpen(page, 'Releases', false), product: await setPaneOpen(page, 'Product Backlog', false), techDebt: await setPaneOpen(page, 'Tech Debt', false) };
  const sprints = backlogPane(page, 'Sprints');
  const sprint14 = sprints.locator('.monaco-list-row', { hasText: 'Sprint 14' });
  await sprint14.waitFor({ state: 'visible', timeout: 30_000 });
  const wasOpen = await setRowExpanded(sprint14, true);
  const story = sprints.locator('.monaco-list-row', { hasText: STORY });
  const target = sprints.locator('.monaco-list-row', { hasText: 'Sprint 15' });
  await story.waitFor({ state: 'visible' });

  const file = path.join(workspaceDir, 'backlog', 'tasks', 'bl-15 - Show-an-offline-badge-on-saved-routes.md');
  const before = fs.readFileSync(file);
  const underSprint14 = async () => {
    const rows = await rowTexts(sprints);
    const at = rows.findIndex((t) => t.startsWith('Sprint 14'));
    const next = rows.findIndex((t, i) => i > at && /^Sprint \d+ /.test(t));
    return rows.slice(at + 1, next === -1 ? undefined : next).some((t) => t.startsWith(STORY));
  };
  assert.ok(await underSprint14(), 'the story starts in Sprint 14');

  await drag(page, story, target);
  const toast = page.locator('.notification-toast', { hasText: 'Moved BL-15 to Sprint 15' });
  await toast.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(fs.readFileSync(file, 'utf8'), /^sprint: S-15$/m, 'the drop reached the file');
  await waitForRows(sprints, async () => !(await underSprint14()), 'the story has not left Sprint 14');
  await screenshot('undo-offered');

  await toast.getByRole('button', { name: 'Undo' }).click();
  await page.locator('.notification-toast', { hasText: 'Undone: Moved BL-15 to Sprint 15' }).waitFor({ state: 'visible', timeout: 15_000 });
  assert.ok(fs.readFileSync(file).equals(before), 'the file is not back byte for byte');
  await waitForRows(sprints, underSprint14, 'the story is not back under Sprint 14');
  await screenshot('undone');

  await runCommand(page, 'Notifications: Clear All Notifications');
  await setRowExpanded(sprint14, wasOpen);
  await setPaneOpen(page, 'Tech Debt', layout.techDebt);
  await setPaneOpen(page, 'Product Backlog', layout.product);
  await setPaneOpen(page, 'Releases', layout.releases);
}

/** Waits until the tree's rows pass `test`, as they redraw after a write; fails with the rows after 10 s. */
async function waitForRows(pane: Locator, test: () => Promise<boolean>, what: string): Promise<void> {
  for (const start = Date.now(); !(await test()); ) {
    assert.ok(Date.now() - start < 10_000, `${what}: ${(await rowTexts(pane)).join(' | ')}`);
    await pane.page().waitForTimeout(100);
  }
}
