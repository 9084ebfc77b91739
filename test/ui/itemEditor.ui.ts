// The item editor on the demo: Go to Item opens BL-20 as a form; ticking a criterion and picking
// an estimate are edits of the document, saved with Ctrl+S and taken back with Ctrl+Z, and each
// changes exactly its own line of the file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { readSettled, waitForFileText } from './files';
import { openBacklog } from './panes';
import { closeTab, runCommand, setSideBarVisible, webviewFrame } from './webviews';

const TITLE = 'Turn-by-turn cues without signal';

function file(workspaceDir: string): string {
  return path.join(workspaceDir, 'backlog', 'tasks', 'bl-20 - Turn-by-turn-cues-without-signal.md');
}

/** "Backlog: Go to Item" BL-20: it opens in the item editor; resolves with the form's frame. */
async function openBl20(page: Page): Promise<Frame> {
  await openBacklog(page);
  await runCommand(page, 'Backlog: Go to Item');
  await page.locator('.quick-input-widget input').fill('BL-20');
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: TITLE }).waitFor();
  await page.keyboard.press('Enter');
  return webviewFrame(page, 'main.item-page [data-list="ac"] vscode-checkbox');
}

/** Saves the active editor from the page (the webview passes Ctrl+S to the workbench) and waits until its tab is clean. */
async function save(page: Page): Promise<void> {
  await page.keyboard.press('Control+S');
  await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
}

/** The lines of `after` that differ from `before`, as `before → after`; the files keep their line count here. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, 'the file kept its lines');
  return a.flatMap((line, i) => (line === b[i] ? [] : [`${line} → ${b[i]}`]));
}

export async function ticksACriterionAndUndoesItWithCtrlZ({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  const target = file(workspaceDir);
  const original = readSettled(target);
  const frame = await openBl20(page);
  assert.equal(await frame.locator('.item-header .id').innerText(), 'BL-20');
  await setSideBarVisible(page, false);
  await screenshot('item-editor');
  await setSideBarVisible(page, true);

  const box = frame.locator('vscode-checkbox[data-key="check-ac-2"]');
  await box.click();
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible' });
  assert.equal(readSettled(target), original, 'nothing is written before a save');
  await save(page);
  const ticked = await waitForFileText(target, (t) => t !== original, 'the tick never reached the file');
  assert.deepEqual(changedLines(original, ticked), ['- [ ] #2 Works with the screen off and in airplane mode → - [x] #2 Works with the screen off and in airplane mode']);
  await frame.locator('vscode-checkbox[data-key="check-ac-2"][checked]').waitFor();

  await page.keyboard.press('Control+Z');
  await frame.locator('vscode-checkbox[data-key="check-ac-2"]:not([checked])').waitFor();
  await save(page);
  await waitForFileText(target, (t) => t === original, 'Ctrl+Z and a save did not bring the file back');
  await closeTab(page, 'BL-20');
}

export async function changesOnlyTheEstimateLineWhenAnEstimateIsPicked({ page, workspaceDir }: UiTestContext): Promise<void> {
  const target = file(workspaceDir);
  const original = readSettled(target);
  const frame = await openBl20(page);
  const select = frame.locator('vscode-single-select[data-name="estimate"]');
  await select.click();
  await select.locator('li.option', { hasText: /^\s*13\s*$/ }).click();
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible' });
  await save(page);
  const changed = await waitForFileText(target, (t) => t !== original, 'the estimate never reached the file');
  assert.deepEqual(changedLines(original, changed), ['estimate: 8 → estimate: 13']);
  await frame.locator('.standing dd', { hasText: /^13$/ }).waitFor();

  // Put the demo back for the tests after this one.
  await page.keyboard.press('Control+Z');
  await save(page);
  await waitForFileText(target, (t) => t === original, 'Ctrl+Z and a save did not bring the file back');
  assert.ok(fs.existsSync(target));
  await closeTab(page, 'BL-20');
}

export async function sendsTheTitleAndDescriptionAsTheyAreTyped({ page, workspaceDir }: UiTestContext): Promise<void> {
  const target = file(workspaceDir);
  const original = readSettled(target);
  const frame = await openBl20(page);
  // Typed, not yet left: the tab turns dirty, so Save writes it and closing the tab would ask.
  await frame.locator('vscode-textfield[data-key="field-title"]').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' on foot');
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible' });
  // The form was drawn again with the edit: the focus and the caret stay, and typing goes on.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.type('s');
  await page.keyboard.press('End');
  await page.keyboard.type('!');
  await frame.locator('vscode-textfield[data-key="field-title"]').evaluate((el, want) => {
    if ((el as unknown as { value: string }).value !== want) throw new Error(`the title field holds ${(el as unknown as { value: string }).value}`);
  }, `${TITLE} on foost!`);
  await save(page);
  const titled = await waitForFileText(target, (t) => t.includes('on foost!'), 'the typed title never reached the file');
  assert.deepEqual(changedLines(original, titled).filter((l) => !l.startsWith('updated_date')), [`title: ${TITLE} → title: ${TITLE} on foost!`]);

  // A click on the description opens it with the caret at its end: typing goes in at once.
  await frame.locator('[data-key="show-description"]').click();
  await frame.locator('vscode-textarea[data-key="section-description"]').waitFor();
  await page.keyboard.type(' On every trail.');
  await page.locator('.tab.active.dirty').waitFor({ state: 'visible' });
  await save(page);
  await waitForFileText(target, (t) => t.includes('when I have no signal. On every trail.\n<!-- SECTION:DESCRIPTION:END -->'), 'the typed description never reached the file');
  await frame.locator('vscode-button[data-key="save-description"]').click();
  await frame.locator('[data-key="show-description"]', { hasText: 'On every trail.' }).waitFor();
  await closeTab(page, 'BL-20');
}
