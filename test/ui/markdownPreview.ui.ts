// Item ids in VS Code's Markdown preview on the demo: the id is a link with the item's status on
// hover, and a click opens the item, as a person reading design notes would use it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiTestContext } from '../host/runUi';
import { runCommand, webviewFrame } from './webviews';

export async function opensAnItemFromItsIdInAMarkdownPreview({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  const notes = path.join(workspaceDir, 'design-notes.md');
  fs.writeFileSync(notes, '# Design notes\n\nSign-in waits on BL-12; `BL-12` in code stays code.\n');
  try {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('design-notes.md');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'design-notes.md' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'design-notes.md' }).waitFor();
    // The tab shows some 400 ms before the editor has the file's text. "Markdown: Open Preview"
    // is offered only while a Markdown editor is active (editorLangId == markdown), and the
    // editor takes the focus when its text comes, which closes a palette opened meanwhile: a
    // person reads the text first, and so does the test.
    await page.locator('.editor-instance .view-lines', { hasText: 'Design notes' }).waitFor();
    await runCommand(page, 'Markdown: Open Preview');
    const frame = await webviewFrame(page, 'a.backlog-atlas-item');
    const link = frame.locator('a.backlog-atlas-item');
    assert.equal(await link.count(), 1, 'the id in the code span stays code');
    assert.equal(await link.innerText(), 'BL-12');
    assert.match((await link.getAttribute('title')) ?? '', /^BL-12 · .+ · Sign in with Google$/);
    await screenshot('markdown-preview-item-link');
    await link.click();
    // The item is Markdown too, so the preview follows the link to it (markdown.preview.openMarkdownLinks).
    await page.locator('.tabs-container .tab', { hasText: 'bl-12 - Sign-in-with-Google.md' }).waitFor({ timeout: 20_000 });
  } finally {
    await runCommand(page, 'View: Close All Editors');
    fs.rmSync(notes, { force: true });
  }
}
