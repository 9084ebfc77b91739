// Undo (issue 17): every change the extension makes is one step to take back, from a tree as from
// an editor, restoring exactly the bytes that were there, and refusing when a file changed since.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ViewKind, ViewNode } from '../../src/vscode/trees/backlogTreeProvider';
import { extensionApi, fixtureUri, pinClock, revertAndClose, syncBacklog, waitFor } from './helpers';

const ITEM = (id: string, title: string, extra: string[]) =>
  ['---', `id: ${id}`, `title: '${title}'`, 'status: To Do', ...extra, '---', '', '## Description', '', `About ${id}.  `, ''].join('\r\n');

/** Files under backlog/, with CRLF and a trailing space, which must come back as they were. */
const BACKLOG: Record<string, string> = {
  'config.yml': 'project_name: "Undo"\ntask_prefix: "un"\nstatuses: ["To Do", "In Progress", "Done"]\ndone_statuses: ["Done"]\n',
  'sprints.yml': "sprints:\n  - {id: S-1, name: Sprint 1, start: '2026-01-19', end: '2026-01-30', state: active}\n  - {id: S-2, name: Sprint 2, start: '2026-02-02', end: '2026-02-13', state: planned}\n",
  'tasks/un-1 - Pack.md': ITEM('UN-1', 'Pack', ['type: story', 'estimate: 3', 'sprint: S-1', 'rank: a0']),
  'tasks/un-2 - Walk.md': ITEM('UN-2', 'Walk', ['type: story', 'estimate: 2', 'rank: a1']),
  'tasks/un-3 - Rest.md': ITEM('UN-3', 'Rest', ['type: story', 'estimate: 1', 'rank: a2']),
};

const uri = (rel: string) => fixtureUri('backlog', ...rel.split('/'));
const disk = async (rel: string) => Buffer.from(await vscode.workspace.fs.readFile(uri(rel)));
const exists = async (u: vscode.Uri) => vscode.workspace.fs.stat(u).then(() => true, () => false);
const token = new vscode.CancellationTokenSource().token;

describe('undoing a change', () => {
  let api: ExtensionApi;

  pinClock('2026-01-26');

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, BACKLOG, (b) => b.items().length === 3);
  });

  afterEach(async () => {
    while (vscode.window.activeTextEditor) await revertAndClose();
  });

  const children = (view: ViewKind, node?: ViewNode) => api.views.providers[view].getChildren(node);
  const ids = (nodes: ViewNode[]) => nodes.flatMap((n) => (n.kind === 'item' ? [n.id] : []));
  const sprintNode = (id: string) => children('sprints').find((n) => n.kind === 'sprint' && n.id === id)!;
  const productItem = (id: string) => children('product').find((n) => n.kind === 'item' && n.id === id)!;

  async function dropOnSprint(id: string, sprint: string): Promise<void> {
    const transfer = new vscode.DataTransfer();
    await api.views.controllers.product.handleDrag([productItem(id)], transfer);
    await api.views.controllers.sprints.handleDrop(sprintNode(sprint), transfer, token);
    await api.whenIdle();
  }

  async function undo(): Promise<void> {
    await vscode.commands.executeCommand('backlogAtlas.undo');
    await api.whenIdle();
  }

  it('takes back a drop onto a sprint, byte for byte, when the file is not open', async () => {
    const before = await disk('tasks/un-2 - Walk.md');
    await dropOnSprint('UN-2', 'S-2');
    assert.deepEqual(ids(children('sprints', sprintNode('S-2'))), ['UN-2']);
    assert.equal(api.applier.history.lastDone()?.label, 'Moved UN-2 to Sprint 2');
    await undo();
    assert.ok((await disk('tasks/un-2 - Walk.md')).equals(before), 'the file is not back byte for byte');
    await waitFor('UN-2 back in the product backlog', () => ids(children('product')).includes('UN-2') && ids(children('sprints', sprintNode('S-2'))).length === 0);
    // And again, from the Redo the undo offers.
    await vscode.commands.executeCommand('backlogAtlas.redo');
    await api.whenIdle();
    assert.match((await disk('tasks/un-2 - Walk.md')).toString('utf8'), /^sprint: S-2\r$/m);
  });

  it('takes back a title change, which keeps the file where it is', async () => {
    const before = await disk('tasks/un-1 - Pack.md');
    const r = await api.writer.setTitle('UN-1', 'Pack light');
    assert.ok(r.ok && (await api.applier.apply(r.operations, undefined, r.summary)));
    assert.match((await disk('tasks/un-1 - Pack.md')).toString('utf8'), /^title: 'Pack light'\r$/m);
    await undo();
    assert.ok((await disk('tasks/un-1 - Pack.md')).equals(before), 'CRLF and the title must be back as they were');
    await waitFor('the title back in the views', () => api.index.item('UN-1')?.title === 'Pack');
  });

  it('completes a done item from its row (to completed/, as Backlog.md does) and takes it back', async () => {
    await syncBacklog(api, { ...BACKLOG, 'tasks/un-1 - Pack.md': BACKLOG['tasks/un-1 - Pack.md'].replace('status: To Do', 'status: Done') }, (b) => b.item('UN-1')?.status === 'Done');
    const before = await disk('tasks/un-1 - Pack.md');
    // Done work stays in its sprint's list, where the row is clicked.
    const row = children('sprints', sprintNode('S-1')).find((n) => n.kind === 'item' && n.id === 'UN-1')!;
    await vscode.commands.executeCommand('backlogAtlas.completeItem', row, [row]);
    await api.whenIdle();
    assert.ok((await disk('completed/un-1 - Pack.md')).equals(before), 'the file moved as it was');
    assert.ok(!(await exists(uri('tasks/un-1 - Pack.md'))));
    await waitFor('UN-1 in completed/', () => api.index.item('UN-1')?.folder === 'completed');
    assert.equal(api.applier.history.lastDone()?.label, 'Completed UN-1');
    await undo();
    assert.ok((await disk('tasks/un-1 - Pack.md')).equals(before), 'back in tasks/, byte for byte');
    assert.ok(!(await exists(uri('completed/un-1 - Pack.md'))));
    await waitFor('UN-1 back in tasks/', () => api.index.item('UN-1')?.folder === 'tasks');
  });

  it("moves Backlog Atlas's settings out of config.yml from the hint's quick fix, and takes it back", async () => {
    const before = await disk('config.yml');
    const hint = await waitFor('the hint on done_statuses', () => vscode.languages.getDiagnostics(uri('config.yml')).find((d) => d.code === 'atlas-setting-in-config'));
    const doc = await vscode.workspace.openTextDocument(uri('config.yml'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(hint.range.start.line, hint.range.start.character, hint.range.end.line, hint.range.end.character));
    const fix = actions.find((a) => a.title === 'Move Backlog Atlas settings to atlas.yml');
    assert.ok(fix?.command, 'the quick fix is offered');
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await api.whenIdle();
    assert.doesNotMatch((await disk('config.yml')).toString('utf8'), /done_statuses/);
    assert.match((await disk('atlas.yml')).toString('utf8'), /^done_statuses: \["Done"\]$/m);
    await waitFor('the hint gone', () => !vscode.languages.getDiagnostics(uri('config.yml')).some((d) => d.code === 'atlas-setting-in-config'));
    await undo();
    assert.ok((await disk('config.yml')).equals(before), 'config.yml back as it was');
    assert.ok(!(await exists(uri('atlas.yml'))), 'atlas.yml removed');
  });

  it('takes back a new item: its file is removed, and nothing else changes', async () => {
    const root = fixtureUri('backlog').path;
    const written = await api.applier.write(() => api.writer.createItem(root, { title: 'Swim', type: 'story' }));
    assert.ok(written?.itemId);
    const created = written.operations.find((op) => op.kind === 'create')!;
    assert.ok(created.kind === 'create' && (await exists(vscode.Uri.file(created.path))));
    await undo();
    assert.ok(!(await exists(vscode.Uri.file(created.path))), 'the new item file is still there');
    await waitFor('the new item gone from the index', () => api.index.item(written.itemId!) === undefined);
  });

  it('refuses, writing nothing, when the file changed on disk since the change', async () => {
    await dropOnSprint('UN-3', 'S-2');
    const edited = Buffer.concat([await disk('tasks/un-3 - Rest.md'), Buffer.from('Edited by hand.\r\n')]);
    await vscode.workspace.fs.writeFile(uri('tasks/un-3 - Rest.md'), edited);
    await api.whenIdle();
    const warnings: string[] = [];
    const show = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (message: string) => {
      warnings.push(message);
      return Promise.resolve(undefined);
    };
    try {
      await undo();
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = show;
    }
    assert.deepEqual(warnings, ['un-3 - Rest.md changed since; nothing was undone.']);
    assert.ok((await disk('tasks/un-3 - Rest.md')).equals(edited), 'the hand edit was overwritten');
  });

  it('takes back a drop onto a file with unsaved text in the editor, keeping that text unsaved', async () => {
    const onDisk = await disk('tasks/un-2 - Walk.md');
    const doc = await vscode.workspace.openTextDocument(uri('tasks/un-2 - Walk.md'));
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), 'Typed, not saved.\r\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typed = doc.getText();
    await api.whenIdle();
    await dropOnSprint('UN-2', 'S-2');
    assert.match(doc.getText(), /^sprint: S-2\r$/m);
    await undo();
    assert.equal(doc.getText(), typed, 'the editor must hold the typed text, without the drop');
    assert.ok(doc.isDirty, 'the typed text must stay unsaved');
    assert.ok((await disk('tasks/un-2 - Walk.md')).equals(onDisk), 'nothing may reach the disk');
  });
});
