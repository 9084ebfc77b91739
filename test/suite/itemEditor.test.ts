// The item editor in real VS Code: an item opens as a form over its Markdown document, each
// change made in the form is an edit of the document (dirty, undone by VS Code's undo, nothing
// written until saved), a message the page should never send changes nothing, and a file that
// does not parse shows its problems, never a form.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ItemEditor } from '../../src/vscode/editors/itemEditor';
import { extensionApi, fixtureUri, pinClock, readDisk, revertAndClose, syncBacklog, waitFor } from './helpers';

const FILES: Record<string, string> = {
  'config.yml': ['project_name: "Editor"', 'task_prefix: "ed"', 'statuses: ["To Do", "In Progress", "Done"]', ''].join('\n'),
  'sprints.yml': ['sprints:', "  - {id: S-1, name: Sprint 1, state: active, start: '2026-11-16', end: '2026-11-27'}", ''].join('\n'),
  'tasks/ed-1 - Search.md': [
    '---',
    'id: ED-1',
    'title: Search',
    'status: To Do',
    'estimate: 3',
    'dependencies: [ED-2]',
    '---',
    '',
    '## Description',
    '',
    '<!-- SECTION:DESCRIPTION:BEGIN -->',
    'Find a saved route by **name**.',
    '<!-- SECTION:DESCRIPTION:END -->',
    '',
    '## Acceptance Criteria',
    '<!-- AC:BEGIN -->',
    '- [ ] #1 Typing filters the list',
    '- [ ] #2 Accents are ignored',
    '<!-- AC:END -->',
    '',
  ].join('\n'),
  'tasks/ed-2 - Index.md': ['---', 'id: ED-2', 'title: Index', 'status: Done', '---', '', ''].join('\n'),
  'tasks/ed-3 - Broken.md': ['---', 'id: ED-3', 'title: [unclosed', 'status: To Do', '---', '', ''].join('\n'),
};

const uriOf = (name: string) => fixtureUri('backlog', 'tasks', name);

describe('the item editor', () => {
  let api: ExtensionApi;

  pinClock('2026-11-20');

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, FILES, (b) => b.items().length === 2);
  });

  afterEach(async () => {
    // Unsaved form edits are thrown away, so that the next test starts from the files on disk.
    // The editors stay open: a new page costs seconds in the test host.
    for (const editor of api.itemEditor.editors) {
      if (!editor.document.isDirty) continue;
      editor.panel.reveal();
      await waitFor('the editor to be active', () => editor.panel.active);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  after(async () => {
    for (let i = 0; i < 4 && vscode.window.tabGroups.activeTabGroup.activeTab; i++) await revertAndClose();
  });

  /** Opens `name` as a click in a Backlog view does, and resolves once its page has drawn the form. */
  async function open(name: string): Promise<ItemEditor> {
    const uri = uriOf(name);
    await vscode.commands.executeCommand('backlogAtlas.openItem', uri);
    const editor = await waitFor(`the item editor of ${name}`, () => api.itemEditor.editorOf(uri), 20_000);
    if (!editor.lastModel) await editor.whenDrawn();
    // An editor left open by an earlier test shows the file as the suite wrote it again.
    await waitFor(`the document of ${name} to read as on disk`, () => editor.document.getText() === FILES[`tasks/${name}`]);
    await waitFor('the form to show the document', () => editor.lastModel?.kind !== 'form' || editor.lastModel.fields.estimate === (/^estimate: (\d+)$/m.exec(editor.document.getText())?.[1] ?? ''));
    return editor;
  }

  it('opens an item clicked in a view as a form over its document', async function () {
    this.timeout(60_000);
    const editor = await open('ed-1 - Search.md');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom && tab.input.viewType === 'backlogAtlas.item', 'the tab is the item editor');
    const m = editor.lastModel;
    assert.ok(m?.kind === 'form');
    assert.deepEqual([m.id, m.title, m.fields.status, m.fields.estimate], ['ED-1', 'Search', 'To Do', '3']);
    assert.deepEqual(m.acceptanceCriteria.map((c) => `${c.index} ${c.checked} ${c.text}`), ['1 false Typing filters the list', '2 false Accents are ignored']);
    assert.match(m.descriptionHtml, /<strong>name<\/strong>/);
    assert.deepEqual(m.dependencies.map((d) => `${d.id} ${d.status}`), ['ED-2 Done']);
  });

  it('ticks a criterion as an edit of the document: dirty, on disk only when saved, and undone by Undo', async function () {
    this.timeout(60_000);
    const editor = await open('ed-1 - Search.md');
    const before = editor.document.getText();
    const onDisk = await readDisk(editor.document.uri);
    await editor.receive({ type: 'check', list: 'ac', index: 2, checked: true });
    const after = editor.document.getText();
    assert.equal(after, before.replace('- [ ] #2 Accents', '- [x] #2 Accents'), 'exactly that box changed');
    assert.ok(editor.document.isDirty, 'the document is dirty, as after typing');
    assert.equal(await readDisk(editor.document.uri), onDisk, 'nothing is written before a save');
    await waitFor('the form to show the box ticked', () => editor.lastModel?.kind === 'form' && editor.lastModel.acceptanceCriteria[1].checked);
    await vscode.commands.executeCommand('undo');
    await waitFor('Undo to take the tick back', () => editor.document.getText() === before);
    assert.ok(!editor.document.isDirty, 'undone to the saved text, the document is clean again');
  });

  it('changes only the estimate line when the estimate is picked, and saves it', async function () {
    this.timeout(60_000);
    const editor = await open('ed-1 - Search.md');
    const before = editor.document.getText();
    await editor.receive({ type: 'setField', key: 'estimate', value: '5' });
    assert.equal(editor.document.getText(), before.replace('estimate: 3', 'estimate: 5'));
    await editor.document.save();
    assert.equal(await readDisk(editor.document.uri), before.replace('estimate: 3', 'estimate: 5'));
    await waitFor('the index to read the new estimate', () => api.index.item('ED-1')?.estimate === 5);
  });

  it('changes nothing for messages the page should never send', async function () {
    this.timeout(60_000);
    const editor = await open('ed-1 - Search.md');
    const before = editor.document.getText();
    for (const bad of [
      null,
      { type: 'check', list: 'ac', index: '1', checked: true },
      { type: 'check', list: 'notes', index: 1, checked: true },
      { type: 'setField', key: 'id', value: 'ED-9' },
      { type: 'setField', key: 'status', value: { a: 1 } },
      { type: 'setField', key: 'status', value: 'Nope' },
      { type: 'checkText', list: 'ac', index: 1, text: 'two\nlines' },
      { type: 'checkRemove', list: 'ac', index: 9 },
      { type: 'setSection', section: 'comments', content: 'x' },
      { type: 'openItem', id: '../../etc/passwd' },
    ]) {
      await editor.receive(bad);
    }
    assert.equal(editor.document.getText(), before);
    assert.ok(!editor.document.isDirty);
  });

  it('shows the problems and the text of a file that does not parse, never a form', async function () {
    this.timeout(60_000);
    const editor = await open('ed-3 - Broken.md');
    const m = editor.lastModel;
    assert.ok(m?.kind === 'problems', `a file that does not parse shows its problems, not ${m?.kind}`);
    assert.ok(m.problems.length > 0 && m.problems.every((p) => p.line >= 1));
    assert.equal(m.text, FILES['tasks/ed-3 - Broken.md']);
    const before = editor.document.getText();
    await editor.receive({ type: 'setField', key: 'status', value: 'Done' });
    assert.equal(editor.document.getText(), before, 'no change is made to a file that does not parse');
  });

  it('follows the document: text typed in the text editor shows in the form', async function () {
    this.timeout(60_000);
    const editor = await open('ed-1 - Search.md');
    const doc = editor.document;
    const we = new vscode.WorkspaceEdit();
    const line = doc.getText().split('\n').indexOf('title: Search');
    we.replace(doc.uri, new vscode.Range(line, 7, line, 13), 'Find routes');
    assert.ok(await vscode.workspace.applyEdit(we));
    await waitFor('the form to show the new title', () => editor.lastModel?.kind === 'form' && editor.lastModel.title === 'Find routes');
  });
});
