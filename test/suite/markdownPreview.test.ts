// Item ids in VS Code's own Markdown preview: the built-in Markdown extension renders with our
// markdown-it plugin (`markdown.api.render` is the preview's renderer, plugins included).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, restoreFixtureBacklog, writeDisk } from './helpers';

const NOTES = ['# Design notes', '', 'Search waits on FX-4 (accents); `FX-4` in code stays code.', '', '```', 'FX-4', '```', ''].join('\n');

describe('item ids in the Markdown preview', () => {
  before(async function () {
    this.timeout(60_000);
    await restoreFixtureBacklog(await extensionApi());
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(fixtureUri('notes'), { recursive: true });
  });

  it('link to the item with its status, from a document and from a string', async function () {
    this.timeout(60_000);
    await writeDisk(fixtureUri('notes', 'design.md'), NOTES);
    const doc = await vscode.workspace.openTextDocument(fixtureUri('notes', 'design.md'));
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', doc);
    assert.match(html, /<a href="\.\.\/backlog\/tasks\/fx-4%20-%20Results-ignore-accents\.md" title="FX-4 · To Do · Results ignore accents" class="backlog-atlas-item"[^>]*>FX-4<\/a>/);
    assert.equal((html.match(/class="backlog-atlas-item"/g) ?? []).length, 1, 'not in the code span or the code block');
    const text = await vscode.commands.executeCommand<string>('markdown.api.render', 'Blocked by FX-2, see `FX-2` and [FX-3](https://example.com).');
    assert.equal((text.match(/class="backlog-atlas-item"/g) ?? []).length, 1, text);
    assert.match(text, /<a href="\/backlog\/tasks\/fx-2%20-%20Index-saved-routes\.md" title="FX-2 · To Do · Index saved routes"/);
  });
});
