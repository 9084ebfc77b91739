// Helpers of the UI tests (not a test file: the runner loads only *.ui.ts).
import type { Locator, Page } from 'playwright-core';

/** Opens the Backlog container unless it is open (clicking its tab again would close it). */
export async function openBacklog(page: Page): Promise<void> {
  if (await page.locator('[id="workbench.view.extension.backlog-atlas"]').isVisible()) return;
  await page.locator('.activitybar').getByRole('tab', { name: 'Backlog' }).click();
}

/** One view (pane) of the Backlog container, by its title. */
export function backlogPane(page: Page, title: string): Locator {
  const container = page.locator('[id="workbench.view.extension.backlog-atlas"]');
  return container.locator('.pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
}

/** Each visible row as `label description`. */
export async function rowTexts(pane: Locator): Promise<string[]> {
  // No named functions inside: tsx wraps them in a helper that does not exist in the page.
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) =>
      [row.querySelector('.label-name')?.textContent, row.querySelector('.label-description')?.textContent]
        .map((t) => (t ?? '').replace(/\s+/g, ' ').trim())
        .join(' ')
        .trim(),
    ),
  );
}
