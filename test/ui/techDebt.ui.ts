// The Tech Debt view on the demo: debt and bugs with the code that mentions them, and the
// TODOs no item tracks yet.
import * as assert from 'node:assert/strict';
import type { UiTestContext } from '../host/runUi';
import { backlogPane, openBacklog, rowTexts, setPaneOpen } from './panes';

export async function showsDebtWithItsCodeAndTheUnlinkedTodos({ page, screenshot }: UiTestContext): Promise<void> {
  await openBacklog(page);
  const layout = {
    sprints: await setPaneOpen(page, 'Sprints', false),
    releases: await setPaneOpen(page, 'Releases', false),
    product: await setPaneOpen(page, 'Product Backlog', false),
    techDebt: await setPaneOpen(page, 'Tech Debt', true),
  };
  const pane = backlogPane(page, 'Tech Debt');
  const unlinked = pane.locator('.monaco-list-row', { hasText: 'Unlinked TODOs' });
  await unlinked.waitFor({ state: 'visible', timeout: 30_000 });
  // The GPX parser debt (BL-26) is named by a HACK comment in src/routes/gpx.ts.
  const debt = pane.locator('.monaco-list-row', { hasText: 'Replace the hand-rolled GPX parser' });
  await debt.locator('.monaco-tl-twistie').click();
  let rows: string[] = [];
  for (let waited = 0; waited < 10_000; waited += 100) {
    rows = await rowTexts(pane);
    if (rows.some((r) => r.includes('gpx.ts:10'))) break;
    await page.waitForTimeout(100);
  }
  assert.ok(rows.some((r) => r.includes('gpx.ts:10')), rows.join(' | '));
  assert.match(rows.find((r) => r.startsWith('Unlinked TODOs')) ?? '', /\d/);
  await unlinked.locator('.monaco-tl-twistie').click();
  // Open, its folders show under it.
  await pane.locator('.monaco-list-row[aria-expanded="true"]', { hasText: 'Unlinked TODOs' }).waitFor();
  await pane.locator('.monaco-list-row[aria-level="2"]').last().waitFor();
  await screenshot('tech-debt');
  for (const [title, open] of [['Tech Debt', layout.techDebt], ['Product Backlog', layout.product], ['Releases', layout.releases], ['Sprints', layout.sprints]] as const) {
    await setPaneOpen(page, title, open);
  }
}
