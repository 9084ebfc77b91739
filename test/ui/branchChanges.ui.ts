// "Backlog Changes on This Branch" on the demo (a git repository on main): a story moved to the
// sprint under way and re-estimated in the working tree shows as two changes and the scope of
// both sprints, as a reviewer would read them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiTestContext } from '../host/runUi';
import { readSettled } from './files';
import { backlogPane, openBacklog, rowTexts, setPaneOpen } from './panes';

const VIEW = 'Backlog Changes on This Branch';

export async function showsWhatTheBranchDidToTheBacklog({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  const file = path.join(workspaceDir, 'backlog', 'tasks', 'bl-20 - Turn-by-turn-cues-without-signal.md');
  const text = readSettled(file);
  assert.match(text, /^sprint: S-15$/m);
  fs.writeFileSync(file, text.replace(/^sprint: S-15$/m, 'sprint: S-14').replace(/^estimate: 8$/m, 'estimate: 5'));
  await openBacklog(page);
  const layout = {
    sprints: await setPaneOpen(page, 'Sprints', false),
    releases: await setPaneOpen(page, 'Releases', false),
    product: await setPaneOpen(page, 'Product Backlog', false),
    changes: await setPaneOpen(page, VIEW, true),
  };
  const pane = backlogPane(page, VIEW);
  await pane.locator('.monaco-list-row', { hasText: 'Re-estimated' }).waitFor({ timeout: 30_000 });
  let rows: string[] = [];
  for (let waited = 0; waited < 10_000; waited += 100) {
    rows = await rowTexts(pane);
    if (rows.some((r) => r.startsWith('Scope per sprint'))) break;
    await page.waitForTimeout(100);
  }
  assert.ok(rows.some((r) => /^2 changes since main merge base [0-9a-f]{7}$/.test(r)), rows.join(' | '));
  assert.ok(rows.includes('BL-20: sprint S-15 → S-14 Turn-by-turn cues without signal'), rows.join(' | '));
  assert.ok(rows.includes('BL-20: 8 → 5 points Turn-by-turn cues without signal'), rows.join(' | '));
  assert.ok(rows.some((r) => /^S-14 Sprint 14 \d+ → \d+ points \(\+5\)$/.test(r)), rows.join(' | '));
  await screenshot('branch-changes');
  for (const [title, open] of [[VIEW, layout.changes], ['Product Backlog', layout.product], ['Releases', layout.releases], ['Sprints', layout.sprints]] as const) {
    await setPaneOpen(page, title, open);
  }
}
