// The editor's TODO features in real VS Code: links, hover, diagnostics, quick fixes, completion
// and the code-reference lens. Every test starts from this file's own backlog and source files
// (src/editor/), written before it; the source files are removed after the last, since
// todos.test.ts counts the TODOs of the workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, fixtureUri, readDisk, revertAndClose, syncBacklog, waitFor, waitForTodos, workspaceFiles, writeDisk } from './helpers';

const HOSTILE = '<img src=x onerror=alert(1)> [link](command:evil)';

const BACKLOG: Record<string, string> = {
  'config.yml': [
    'project_name: "Todo editor"',
    'task_prefix: "fx"',
    'default_status: "To Do"',
    'statuses: ["To Do", "In Progress", "Done"]',
    'done_statuses: ["Done"]',
    'types: [epic, story, task, bug, spike, debt, improvement, opportunity]',
    '',
  ].join('\n'),
  'sprints.yml': "sprints:\n  - {id: S-1, name: Sprint 1, start: '2026-01-05', end: '2026-01-16', state: active}\n",
  'tasks/fx-1 - Offline-search.md': item('FX-1', 'Offline search', 'In Progress', ['type: epic', 'sprint: S-1', 'estimate: 5'], 'Search the saved routes without a connection.', ['- [x] #1 Works offline', '- [ ] #2 Fast']),
  'tasks/fx-2 - Ship-the-index.md': item('FX-2', 'Ship the index', 'Done', ['type: story'], 'Shipped.'),
  'archive/tasks/fx-3 - Old-idea.md': item('FX-3', 'Old idea', 'To Do', ['type: story'], 'Dropped.'),
  'tasks/fx-4 - Hostile.md': item('FX-4', HOSTILE, 'To Do', ['type: bug'], 'Runs <script>alert(1)</script> and [more](command:workbench.action.quit).'),
};

function item(id: string, title: string, status: string, extra: string[], description: string, ac: string[] = []): string {
  return [
    '---',
    `id: ${id}`,
    `title: '${title}'`,
    `status: ${status}`,
    ...extra,
    '---',
    '',
    '## Description',
    '',
    '<!-- SECTION:DESCRIPTION:BEGIN -->',
    description,
    '<!-- SECTION:DESCRIPTION:END -->',
    '',
    '## Acceptance Criteria',
    '<!-- AC:BEGIN -->',
    ...ac,
    '<!-- AC:END -->',
    '',
  ].join('\n');
}

// No tag word on the first line: it would be a TODO of its own.
// Go, not TypeScript: hovers and completions are asked of every provider of the language, and
// TypeScript's wait for its server to load the project, which took over 20 s on a loaded machine.
// Go has no provider in the test host but ours; its comments are C's, like TypeScript's.
const NOTES = [
  '// Fixture of todoEditor.test.ts.',
  '// TODO(FX-1): cache the offline index',
  'const limit = 10 // FIXME [FX-1] make the limit a setting',
  '// TODO(FX-2): stale, the item is done',
  '// HACK(FX-3): the item was dropped',
  '// TODO(FX-999): no such item',
  '// TODO(FX-4): hostile title',
  '// TODO: debounce map redraws',
  '// TODO(',
  '',
].join('\n');

const MORE = ['# FIXME: retry on 503', 'x = 1  # XXX remove once the API v2 ships', ''].join('\n');

/**
 * Deletes a folder's files through a workspace edit, so that VS Code also lets go of the
 * documents it holds for them (the TODO index counts open documents), then the folder.
 */
async function deleteTree(dir: vscode.Uri): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  for (const path of (await workspaceFiles(dir)).keys()) edit.deleteFile(vscode.Uri.joinPath(dir, ...path.split('/')), { ignoreIfNotExists: true });
  await vscode.workspace.applyEdit(edit);
  await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false }).then(undefined, () => undefined);
}

function lineOf(text: string, needle: string): number {
  const n = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(n >= 0, `no line with ${needle}`);
  return n;
}

/** The range of `id` on the line holding `needle`. */
function idRange(needle: string, id: string): vscode.Range {
  const line = lineOf(NOTES, needle);
  const column = NOTES.split('\n')[line].indexOf(id);
  return new vscode.Range(line, column, line, column + id.length);
}

function todoDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Backlog Atlas');
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('TODO comments in the editor', () => {
  let api: ExtensionApi;
  const backlogDir = () => fixtureUri('backlog');
  const notes = () => fixtureUri('src', 'editor', 'notes.go');
  const more = () => fixtureUri('src', 'editor', 'more.py');

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await syncBacklog(api, BACKLOG, (b) => b.item('FX-3')?.folder === 'archive');
    for (const [uri, text] of [[notes(), NOTES], [more(), MORE]] as const) {
      if ((await readDisk(uri).catch(() => undefined)) !== text) await writeDisk(uri, text);
    }
    // Diagnostics and lenses are for open documents.
    await vscode.workspace.openTextDocument(notes());
    await waitFor('the TODO matcher for the FX prefix', () => api.todoIndex.matcher().options.prefixes.join() === 'FX', 20_000);
    await api.todoIndex.whenIdle();
    await waitForTodos(api, notes());
    await waitForTodos(api, more());
  });

  after(async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await deleteTree(fixtureUri('src', 'editor'));
    await waitFor('the TODO index to forget the test files', () => api.todoIndex.all().every((t) => !t.uri.path.includes('/src/editor/')), 20_000);
  });

  it('links a referenced id to its item file, and only ids the backlog has', async () => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', notes());
    const fx1 = api.index.item('FX-1')!;
    const link = links.find((l) => l.range.isEqual(idRange('cache the offline index', 'FX-1')));
    assert.ok(link, `no link on FX-1 among ${links.map((l) => JSON.stringify(l.range)).join(', ')}`);
    assert.equal(link.target?.path, fx1.path);
    assert.ok(!links.some((l) => l.range.isEqual(idRange('no such item', 'FX-999'))), 'a missing id must not be a link');
  });

  it('shows the item in a hover, escaping its text', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes(), idRange('cache the offline index', 'FX-1').start.translate(0, 1));
    // Every punctuation character is escaped; what a person reads is the text without them.
    const text = hoverText(hovers).replace(/\\([!-/:-@[-`{-~])/g, '$1');
    for (const part of ['Offline search', 'Status: In Progress', 'Sprint: Sprint 1 (S-1)', 'Estimate: 5 points', 'Acceptance criteria: 1/2 done', 'Search the saved routes without a connection.']) {
      assert.ok(text.includes(part), `the hover lacks "${part}": ${text}`);
    }

    const hostile = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes(), idRange('hostile title', 'FX-4').start));
    assert.match(hostile, /\\<img/);
    assert.doesNotMatch(hostile, /(?<!\\)<(img|script)/, `raw HTML in the hover: ${hostile}`);
    assert.doesNotMatch(hostile, /(?<!\\)\]\((?!\\)/, `a live link in the hover: ${hostile}`);
    for (const h of await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', notes(), idRange('hostile title', 'FX-4').start)) {
      for (const c of h.contents) if (c instanceof vscode.MarkdownString) assert.ok(!c.isTrusted && !c.supportHtml, 'the hover must be untrusted and without HTML');
    }
  });

  it('warns on references to missing, done and dropped items, on the id', async () => {
    const diags = await waitFor('three TODO diagnostics', () => (todoDiagnostics(notes()).length === 3 ? todoDiagnostics(notes()) : undefined));
    const byCode = new Map(diags.map((d) => [String(d.code), d]));
    assert.deepEqual([...byCode.keys()].sort(), ['todo-done-item', 'todo-dropped-item', 'todo-missing-item']);
    assert.ok(byCode.get('todo-missing-item')!.range.isEqual(idRange('no such item', 'FX-999')));
    assert.ok(byCode.get('todo-done-item')!.range.isEqual(idRange('the item is done', 'FX-2')));
    assert.ok(byCode.get('todo-dropped-item')!.range.isEqual(idRange('the item was dropped', 'FX-3')));
    assert.equal(byCode.get('todo-done-item')!.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('completes open item ids after TODO(, in rank order', async () => {
    const line = NOTES.split('\n').indexOf('// TODO(');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', notes(), new vscode.Position(line, '// TODO('.length), '(');
    const ids = list.items.map((c) => (typeof c.label === 'string' ? c.label : c.label.label)).filter((l) => /^FX-\d+$/.test(l));
    // FX-2 is done and FX-3 dropped: not offered.
    assert.deepEqual(ids, ['FX-1', 'FX-4']);
    const fx1 = list.items.find((c) => (typeof c.label === 'string' ? c.label : c.label.label) === 'FX-1')!;
    assert.equal(typeof fx1.label === 'string' ? undefined : fx1.label.description, 'Offline search');
  });

  it('counts code references in a lens at the top of the item file', async () => {
    const fx1 = vscode.Uri.joinPath(backlogDir(), 'tasks', 'fx-1 - Offline-search.md');
    // The lens command needs the document loaded ("Illegal argument" otherwise).
    await vscode.workspace.openTextDocument(fx1);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fx1);
    const lens = lenses.find((l) => /code reference/.test(l.command?.title ?? ''));
    assert.ok(lens?.command, 'no code-reference lens');
    assert.equal(lens.command.title, '2 code references');
    assert.equal(lens.command.command, 'editor.action.showReferences');
    assert.equal(lens.range.start.line, 0);
    const locations = lens.command.arguments?.[2] as vscode.Location[];
    assert.deepEqual(locations.map((l) => [l.uri.path, l.range.start.line]), [
      [notes().path, 1],
      [notes().path, 2],
    ]);
  });

  it('removes a stale reference, or links it to another item, with quick fixes', async () => {
    const doc = await vscode.workspace.openTextDocument(notes());
    await vscode.window.showTextDocument(doc);
    try {
      const range = idRange('no such item', 'FX-999');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes(), range);
      const titles = actions.map((a) => a.title);
      assert.ok(titles.includes('Link to another item…'), titles.join(', '));
      const remove = actions.find((a) => a.title === 'Remove the reference');
      assert.ok(remove?.edit);
      assert.ok(await vscode.workspace.applyEdit(remove.edit));
      assert.equal(doc.lineAt(range.start.line).text, '// TODO: no such item');

      // "Link to another item…" on the done item's reference, the pick answered.
      const done = idRange('the item is done', 'FX-2');
      const linkActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes(), done);
      const link = linkActions.find((a) => a.title === 'Link to another item…');
      assert.ok(link?.command);
      await vscode.commands.executeCommand(link.command.command, ...(link.command.arguments ?? []), { item: 'FX-1' });
      assert.equal(doc.lineAt(done.start.line).text, '// TODO(FX-1): stale, the item is done');
    } finally {
      await revertAndClose();
    }
  });

  it('creates a debt item from an unlinked TODO and writes its id into the comment', async () => {
    const line = lineOf(NOTES, 'debounce map redraws');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes(), new vscode.Range(line, 4, line, 4));
    const create = actions.find((a) => a.title === 'Create Backlog Item from TODO');
    assert.ok(create?.command, `no create action among ${actions.map((a) => a.title).join(', ')}`);
    await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));
    const after = await readDisk(notes());
    const before = NOTES.split('\n');
    const changed = after.split('\n').map((l, n) => [n, l] as const).filter(([n, l]) => l !== before[n]);
    assert.equal(changed.length, 1, `one line should change: ${JSON.stringify(changed)}`);
    const m = /^\/\/ TODO\((FX-\d+)\): debounce map redraws$/.exec(changed[0][1]);
    assert.ok(m, changed[0][1]);
    await api.whenIdle();
    const created = api.index.item(m[1]);
    assert.ok(created, `${m[1]} is not in the index`);
    assert.equal(created.type, 'debt');
    assert.equal(created.title, 'Debounce map redraws');
    assert.match(created.description, /src\/editor\/notes\.go:8/);
    assert.match(await readDisk(vscode.Uri.joinPath(backlogDir(), 'tasks', `${m[1].toLowerCase()} - Debounce-map-redraws.md`)), /^type: debt$/m);
  });

  it('forgets the new item when its file is deleted right after it was made (an undo)', async function () {
    this.timeout(30_000);
    const line = lineOf(NOTES, 'debounce map redraws');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes(), new vscode.Range(line, 4, line, 4));
    const create = actions.find((a) => a.title === 'Create Backlog Item from TODO');
    assert.ok(create?.command);
    await vscode.commands.executeCommand(create.command.command, ...(create.command.arguments ?? []));
    // The id the command wrote into this TODO's line, not another line's.
    const id = /TODO\((FX-\d+)\): debounce map redraws/.exec((await readDisk(notes())).split('\n')[line])?.[1];
    assert.ok(id, 'no id written into the comment');
    const item = api.index.item(id);
    assert.ok(item, `${id} is not in the index`);
    // Gone at once, as an undo of the create does. (When VS Code folds "created, then deleted"
    // into no event, only the applier's second read catches it; that race cannot be forced here.)
    await vscode.workspace.fs.delete(vscode.Uri.file(item.path), { useTrash: false });
    await waitFor(`${id} to leave the index`, () => api.index.item(id) === undefined, 15_000);
  });

  // This failed in one full run in four on a loaded machine, the delete never reported. The
  // likeliest cause: suites make the backlog's folders anew with their parents, and VS Code's
  // recursive watcher then misses tasks/ now and then; the folder watcher
  // (src/node/folderWatcher.ts) now watches it too. The DIAG lines say more if it fails again.
  it('forgets an item whose file is deleted while it is open in an editor', async function () {
    this.timeout(30_000);
    const item = api.index.item('FX-1');
    assert.ok(item, 'FX-1 is not in the index');
    await vscode.window.showTextDocument(vscode.Uri.file(item.path));
    await vscode.workspace.fs.delete(vscode.Uri.file(item.path), { useTrash: false });
    await waitFor('FX-1 to leave the index', () => api.index.item('FX-1') === undefined, 15_000).catch(async (e) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.path === item.path);
      console.log(`DIAG: doc=${doc ? (doc.isDirty ? 'dirty' : 'clean') : 'none'} onDisk=${await vscode.workspace.fs.stat(vscode.Uri.file(item.path)).then(() => 'yes', () => 'no')}`);
      await api.index.applyChanges([{ kind: 'changed', path: item.path }]);
      console.log(`DIAG: after a re-read FX-1 is ${api.index.item('FX-1') ? 'still there' : 'gone'}`);
      throw e;
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reopens a done item from its diagnostic, and the warning goes', async () => {
    const range = idRange('the item is done', 'FX-2');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes(), range);
    const reopen = actions.find((a) => a.title === 'Reopen FX-2');
    assert.ok(reopen?.command, actions.map((a) => a.title).join(', '));
    await vscode.commands.executeCommand(reopen.command.command, ...(reopen.command.arguments ?? []));
    await api.whenIdle();
    assert.equal(api.index.item('FX-2')?.status, 'To Do');
    await waitFor('the done-item warning to go', () => !todoDiagnostics(notes()).some((d) => d.code === 'todo-done-item'));
  });

  it('creates items for every unlinked TODO of a file, answers given', async () => {
    await vscode.commands.executeCommand('backlogAtlas.createItemsFromTodos', more(), { all: true });
    const lines = (await readDisk(more())).split('\n');
    assert.match(lines[0], /^# FIXME\(FX-\d+\): retry on 503$/);
    assert.match(lines[1], /^x = 1 {2}# XXX\(FX-\d+\) remove once the API v2 ships$/);
    await api.whenIdle();
    const id = /\((FX-\d+)\)/.exec(lines[1])![1];
    assert.equal(api.index.item(id)?.title, 'Remove once the API v2 ships');
  });
});
