// Planning by drag-and-drop in the Sprints view of the demo workspace (a temporary copy).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unstamped } from './files';
import type { UiTestContext } from '../host/runUi';
import { backlogPane, drag, openBacklog, rowTexts, setPaneOpen } from './panes';

/** Lines that differ between two texts, as [before, after] pairs (same line count). */
function lineChanges(before: string, after: string): [string, string][] {
  const a = unstamped(before).split('\n');
  const b = unstamped(after).split('\n');
  assert.equal(b.length, a.length, 'a move changes values, it adds or removes no line here');
  return a.flatMap((line, n): [string, string][] => (line === b[n] ? [] : [[line, b[n]]]));
}

export async function dragsAStoryFromOneSprintToTheNext({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  await openBacklog(page);
  // The Sprints view gets the room: the drag needs both rows on screen.
  const layout = { releases: await setPaneOpen(page, 'Releases', false), product: await setPaneOpen(page, 'Product Backlog', false), techDebt: await setPaneOpen(page, 'Tech Debt', false) };
  const sprints = backlogPane(page, 'Sprints');
  const story = sprints.locator('.monaco-list-row', { hasText: 'Elevation profile for a route' });
  const target = sprints.locator('.monaco-list-row', { hasText: 'Sprint 15' });
  await story.waitFor({ state: 'visible', timeout: 30_000 });
  await target.waitFor({ state: 'visible' });

  const tasks = path.join(workspaceDir, 'backlog', 'tasks');
  const file = path.join(tasks, 'bl-16 - Elevation-profile-for-a-route.md');
  const snapshot = () => new Map(fs.readdirSync(tasks).map((name) => [name, fs.readFileSync(path.join(tasks, name), 'utf8')]));
  const before = snapshot();
  const points = (rows: string[], sprint: string) => Number(/ \d+\/(\d+) pts/.exec(rows.find((r) => r.startsWith(sprint)) ?? '')?.[1]);
  const beforeRows = await rowTexts(sprints);

  await drag(page, story, target);
  const deadline = Date.now() + 15_000;
  while (fs.readFileSync(file, 'utf8') === before.get(path.basename(file))) {
    assert.ok(Date.now() < deadline, 'the drop did not reach the file');
    await page.waitForTimeout(100);
  }
  const after = snapshot();
  for (const [name, text] of before) if (name !== path.basename(file)) assert.equal(after.get(name), text, `${name} must not change`);
  // Planning into another sprint rewrites exactly one line: the story keeps its rank.
  const changes = lineChanges(before.get(path.basename(file))!, after.get(path.basename(file))!);
  assert.deepEqual(changes, [['sprint: S-14', 'sprint: S-15']]);

  // The tree follows: Sprint 15 gains the story's points and, opened, lists it in backlog
  // order: first, since it was ranked above every story planned for Sprint 15.
  // A click on a sprint row opens or closes it.
  await sprints.locator('.monaco-list-row', { hasText: 'Sprint 14' }).click();
  await sprints.locator('.monaco-list-row', { hasText: 'Sprint 15' }).click();
  let rows: string[] = [];
  for (let i = 0; i < 50; i++) {
    rows = await rowTexts(sprints);
    if (rows.some((t) => t.startsWith('Elevation profile for a route'))) break;
    await page.waitForTimeout(100);
  }
  const s15 = rows.findIndex((t) => t.startsWith('Sprint 15'));
  const s13 = rows.findIndex((t) => t.startsWith('Sprint 13'));
  const moved = rows.findIndex((t) => t.startsWith('Elevation profile for a route'));
  assert.ok(moved === s15 + 1 && moved < s13, rows.join(' | '));
  assert.equal(points(rows, 'Sprint 14'), points(beforeRows, 'Sprint 14') - 3);
  assert.equal(points(rows, 'Sprint 15'), points(beforeRows, 'Sprint 15') + 3);
  assert.match(rows[moved], /BL-16 · 3 pts · In Progress$/);
  await screenshot('sprints');
  // Leave the container as it was: Sprint 14 open, the other panes as they were.
  await sprints.locator('.monaco-list-row', { hasText: 'Sprint 14' }).click();
  await setPaneOpen(page, 'Tech Debt', layout.techDebt);
  await setPaneOpen(page, 'Product Backlog', layout.product);
  await setPaneOpen(page, 'Releases', layout.releases);
}
