// The Backlog Health view on the demo: the 20/30/50 bands and the findings to groom.
import * as assert from 'node:assert/strict';
import type { UiTestContext } from '../host/runUi';
import { backlogPane, openBacklog, rowTexts, setPaneOpen } from './panes';

export async function showsTheBandsAndFindingsOfTheDemo({ page, screenshot }: UiTestContext): Promise<void> {
  await openBacklog(page);
  const layout = {
    sprints: await setPaneOpen(page, 'Sprints', false),
    releases: await setPaneOpen(page, 'Releases', false),
    product: await setPaneOpen(page, 'Product Backlog', false),
    health: await setPaneOpen(page, 'Backlog Health', true),
  };
  const pane = backlogPane(page, 'Backlog Health');
  await pane.locator('.monaco-list-row', { hasText: 'Refinement (20/30/50)' }).waitFor({ timeout: 30_000 });
  let rows: string[] = [];
  for (let waited = 0; waited < 10_000; waited += 100) {
    rows = await rowTexts(pane);
    if (rows.some((r) => r.startsWith('Top 20%'))) break;
    await page.waitForTimeout(100);
  }
  assert.ok(rows.some((r) => /^Top 20% \d+ of \d+ ready$/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => r.startsWith('Remaining 50%')), rows.join(' | '));
  await screenshot('health');
  for (const [title, open] of [['Backlog Health', layout.health], ['Product Backlog', layout.product], ['Releases', layout.releases], ['Sprints', layout.sprints]] as const) {
    await setPaneOpen(page, title, open);
  }
}
