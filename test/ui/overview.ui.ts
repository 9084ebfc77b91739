// What a person sees: the Backlog container on the demo workspace, and a broken file's problem.
import * as assert from 'node:assert/strict';
import type { UiTestContext } from '../host/runUi';

export async function showsTheBacklogContainer({ page, screenshot }: UiTestContext): Promise<void> {
  await page.locator('.activitybar').getByRole('tab', { name: 'Backlog' }).click();
  const view = page.locator('[id="workbench.view.extension.backlog-atlas"]');
  await view.locator('.monaco-list-row', { hasText: 'Product Backlog' }).waitFor({ state: 'visible', timeout: 30_000 });
  const rows = (await view.locator('.monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  assert.match(rows[0], /^Trailhead — \d+ items, 3 sprints$/);
  assert.ok(rows.some((r) => /^Product Backlog \(\d+\)$/.test(r)), rows.join(' | '));
  assert.ok(rows.includes('Sprints (3)'), rows.join(' | '));
  await screenshot('overview');
}

export async function showsAProblemInTheProblemsPanel({ page, screenshot }: UiTestContext): Promise<void> {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>View: Focus Problems');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Focus Problems' }).first().waitFor();
  await page.keyboard.press('Enter');
  const problems = page.locator('.markers-panel');
  await problems.waitFor({ state: 'visible' });
  // The demo's drafts are clean, so the panel shows at most warnings; it must not show errors.
  const text = await problems.innerText();
  assert.doesNotMatch(text, /should be a number|does not parse/);
  await screenshot('problems');
}
