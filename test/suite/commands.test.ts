// The planning commands in real VS Code, on the fixture workspace: what each one writes to disk.
// Prompts are answered through each command's optional second argument (see `CommandAnswers` in
// src/vscode/commands/itemCommands.ts), so no quick pick or dialog opens. Every test starts from the
// fixture's backlog as the repository has it (test/fixtures/workspace/backlog), put back before
// it, and from a clock pinned inside sprint S-1 (2026-01-05 to 01-16).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { sprintDefaults } from '../../src/core/rules/sprintDefaults';
import type { TreeNode } from '../../src/views/trees/treeNodes';
import { extensionApi, fixtureUri, pinClock, readDisk, restoreFixtureBacklog, taskUri, waitFor, waitForItemEditor } from './helpers';

const FX2 = 'fx-2 - Index-saved-routes.md';
const FX3 = 'fx-3 - Search-box-on-the-map.md';
const FX4 = 'fx-4 - Results-ignore-accents.md';

/**
 * The lines that differ between two texts (the span between their common first and last lines),
 * apart from `updated_date`: the writer stamps it on each edit as Backlog.md does (the Move to
 * Sprint test checks the stamp), and the lines each command changes are what these tests are about.
 */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const stamp = /^updated_date: .*\r?\n/m;
  const a = before.replace(stamp, '').split('\n');
  const b = after.replace(stamp, '').split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

/** Runs `command` and returns how the file changed. */
async function changeOf(uri: vscode.Uri, command: () => Thenable<unknown>): Promise<{ removed: string[]; added: string[] }> {
  const before = await readDisk(uri);
  await command();
  return changedLines(before, await readDisk(uri));
}

describe('Backlog commands', () => {
  let api: ExtensionApi;
  let root: string;
  const item = (id: string): TreeNode => ({ kind: 'item', root, id, list: { kind: 'product' } });
  const sprint = (id: string): TreeNode => ({ kind: 'sprint', root, id });
  const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(`backlogAtlas.${command}`, ...args);

  pinClock('2026-01-12T09:30Z');

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(30_000);
    await restoreFixtureBacklog(api);
    root = api.index.roots()[0].root;
  });

  it('registers every planning command', async () => {
    const commands = await vscode.commands.getCommands(true);
    const ids = ['newItem', 'moveToSprint', 'moveToRelease', 'setStatus', 'setEstimate', 'setSize', 'promoteToProductBacklog', 'newSprint', 'startSprint', 'completeSprint', 'newRelease', 'goToItem', 'rebalanceRanks', 'newMilestone', 'renameMilestone', 'removeMilestone', 'archiveMilestone'];
    for (const id of ids) assert.ok(commands.includes(`backlogAtlas.${id}`), `backlogAtlas.${id} is not registered`);
  });

  it('Move to Sprint adds one line to the item, and to the product backlog removes it', async () => {
    const uri = taskUri(FX4);
    assert.deepEqual(await changeOf(uri, () => run('moveToSprint', item('FX-4'), { sprint: 'S-2' })), { removed: [], added: ['sprint: S-2'] });
    assert.equal(api.index.item('FX-4')?.sprint, 'S-2');
    // As Backlog.md does on each edit, at the pinned clock.
    assert.match(await readDisk(uri), /^updated_date: '2026-01-12 09:30'$/m);
    assert.deepEqual(await changeOf(uri, () => run('moveToSprint', item('FX-4'), { sprint: null })), { removed: ['sprint: S-2'], added: [] });
  });

  it('Move to Sprint moves every selected row of a multi-selection', async () => {
    const before2 = await readDisk(taskUri(FX2));
    const before3 = await readDisk(taskUri(FX3));
    const before4 = await readDisk(taskUri(FX4));
    // From a context menu VS Code passes the clicked row and then every selected row; the
    // answers go third.
    await run('moveToSprint', item('FX-2'), [item('FX-2'), item('FX-4')], { sprint: null });
    assert.deepEqual(changedLines(before2, await readDisk(taskUri(FX2))), { removed: ['sprint: S-1'], added: [] });
    assert.deepEqual(changedLines(before4, await readDisk(taskUri(FX4))), { removed: [], added: [] }, 'FX-4 had no sprint to remove');
    assert.equal(await readDisk(taskUri(FX3)), before3, 'FX-3 was not selected');
    // A right-click outside the selection acts on the clicked row alone.
    await run('moveToSprint', item('FX-3'), [item('FX-2'), item('FX-4')], { sprint: 'S-2' });
    assert.deepEqual(changedLines(before3, await readDisk(taskUri(FX3))), { removed: ['sprint: S-1'], added: ['sprint: S-2'] });
    assert.equal(await readDisk(taskUri(FX4)), before4);
  });

  it('Set Status, Set Estimate and Set Size change exactly the one line', async () => {
    const uri = taskUri(FX4);
    assert.deepEqual(await changeOf(uri, () => run('setStatus', item('FX-4'), { status: 'In Progress' })), { removed: ['status: To Do'], added: ['status: In Progress'] });
    assert.deepEqual(await changeOf(uri, () => run('setEstimate', item('FX-4'), { estimate: 8 })), { removed: ['estimate: 2'], added: ['estimate: 8'] });
    assert.deepEqual(await changeOf(uri, () => run('setEstimate', item('FX-4'), { estimate: null })), { removed: ['estimate: 8'], added: [] });
    assert.deepEqual(await changeOf(uri, () => run('setSize', item('FX-4'), { size: 'M' })), { removed: [], added: ['size: M'] });
  });

  it('works on the item open in the active editor when run from the palette', async () => {
    // FX-3, not FX-4: a closed editor's document lives on for a while, and extension.test.ts
    // needs FX-4 to have no document when it checks writes to closed files.
    const uri = taskUri(FX3);
    await vscode.window.showTextDocument(uri);
    assert.deepEqual(await changeOf(uri, () => run('setEstimate', undefined, { estimate: 8 })), { removed: ['estimate: 5'], added: ['estimate: 8'] });
  });

  it('refuses a sprint that does not exist and leaves the file alone', async () => {
    const uri = taskUri(FX4);
    assert.deepEqual(await changeOf(uri, () => run('moveToSprint', item('FX-4'), { sprint: 'S-9' })), { removed: [], added: [] });
  });

  it('New Item creates the file, opens it, and Promote turns an opportunity into a story', async () => {
    await run('newItem', undefined, { type: 'story', title: 'Share a route', sprint: 'S-2' });
    const story = await waitFor('FX-6 in the index', () => api.index.item('FX-6'));
    assert.equal((await waitForItemEditor(story.path)).path, story.path, 'the new item should be open in the item editor');
    const text = await readDisk(fixtureUri().with({ path: story.path }));
    assert.match(text, /^title: Share a route$/m);
    assert.match(text, /^type: story$/m);
    assert.match(text, /^sprint: S-2$/m);
    // Created today by the extension's clock, which the suite pinned.
    assert.match(text, /^created_date: '2026-01-12 09:\d\d'$/m);

    await run('newItem', undefined, { type: 'opportunity', title: 'Offline maps' });
    const idea = await waitFor('FX-7 in the index', () => api.index.item('FX-7'));
    const ideaUri = fixtureUri().with({ path: idea.path });
    assert.doesNotMatch(await readDisk(ideaUri), /^sprint:/m, 'an opportunity is not planned into a sprint');
    const promoted = await changeOf(ideaUri, () => run('promoteToProductBacklog', { kind: 'item', root, id: 'FX-7', list: { kind: 'opportunities' } }));
    assert.deepEqual(promoted, { removed: ['type: opportunity'], added: ['type: story'] });
  });

  it('New Release creates releases.yml and Move to Release points an item at it', async () => {
    await run('newRelease', undefined, { name: 'Search 1.0', date: '2026-03-01', goal: 'Find any saved route offline' });
    const release = await waitFor('R-1 in the index', () => api.index.roots()[0].release('R-1'));
    assert.equal(release.name, 'Search 1.0');
    assert.equal(release.date, '2026-03-01');
    assert.deepEqual(await changeOf(taskUri(FX4), () => run('moveToRelease', item('FX-4'), { release: 'R-1' })), { removed: [], added: ['release: R-1'] });
  });

  it('adds, renames and removes a Backlog.md milestone, and Undo takes the removal back', async () => {
    const exists = (...segments: string[]) => vscode.workspace.fs.stat(fixtureUri('backlog', ...segments)).then(() => true, () => false);
    await run('newMilestone', undefined, { name: 'Beta', date: '2026-02-20' });
    const added = await waitFor('m-0 in the index', () => api.index.roots()[0].release('m-0'));
    assert.deepEqual([added.name, added.date, added.source], ['Beta', '2026-02-20', 'milestone']);
    assert.equal(await readDisk(fixtureUri('backlog', 'milestones', 'm-0 - beta.md')), '---\nid: m-0\ntitle: "Beta"\ndue_date: "2026-02-20"\n---\n\n## Description\n\nMilestone: Beta\n');

    await run('renameMilestone', { kind: 'release', root, id: 'm-0' }, { name: 'Public beta' });
    await waitFor('the renamed milestone', () => api.index.roots()[0].release('m-0')?.name === 'Public beta');
    assert.ok(await exists('milestones', 'm-0 - public-beta.md'));
    assert.ok(!(await exists('milestones', 'm-0 - beta.md')), 'the old file name is gone');

    await run('removeMilestone', undefined, { release: 'm-0', handling: 'clear' });
    await waitFor('the milestone archived', () => api.index.roots()[0].release('m-0')?.archived === true);
    assert.ok(await exists('archive', 'milestones', 'm-0 - public-beta.md'));

    await run('undo');
    await waitFor('the milestone back in milestones/', () => api.index.roots()[0].release('m-0')?.archived !== true);
    assert.ok(await exists('milestones', 'm-0 - public-beta.md'));
  });

  it('New Sprint appends a planned sprint, with defaults that follow the last sprint', async () => {
    const defaults = sprintDefaults(api.index.roots()[0], new Date('2026-01-10T12:00:00Z'));
    // No closed sprint yet, so no velocity: the default capacity.
    assert.deepEqual(
      { name: defaults.name, start: defaults.start, end: defaults.end, capacity: defaults.capacity },
      { name: 'Sprint 3', start: '2026-01-31', end: '2026-02-13', capacity: 30 },
    );
    const uri = fixtureUri('backlog', 'sprints.yml');
    const before = await readDisk(uri);
    await run('newSprint', undefined, { name: 'Sprint 3', start: '2026-02-02', end: '2026-02-13', goal: 'Share routes', capacity: 25 });
    const created = await waitFor('S-3 in the index', () => api.index.roots()[0].sprint('S-3'));
    assert.deepEqual(
      { name: created.name, start: created.start, end: created.end, goal: created.goal, capacity: created.capacity, state: created.state },
      { name: 'Sprint 3', start: '2026-02-02', end: '2026-02-13', goal: 'Share routes', capacity: 25, state: 'planned' },
    );
    const after = await readDisk(uri);
    assert.ok(after.startsWith(before.replace(/\n$/, '')), 'the existing sprints must stay as they were');
  });

  it('Complete Sprint moves the unfinished items on, and Start Sprint records the committed scope', async () => {
    await run('setStatus', item('FX-2'), { status: 'Done' });
    const before2 = await readDisk(taskUri(FX2));
    // Done today, by the extension's clock: the burndown reads this.
    assert.match(before2, /^completed_date: '2026-01-12'$/m);
    const before3 = await readDisk(taskUri(FX3));
    await run('completeSprint', sprint('S-1'), { moveUnfinishedTo: 'S-2' });
    assert.equal(await readDisk(taskUri(FX2)), before2, 'a done item stays with the sprint it was done in');
    assert.deepEqual(changedLines(before3, await readDisk(taskUri(FX3))), { removed: ['sprint: S-1'], added: ['sprint: S-2'] });
    await api.whenIdle();
    const backlog = api.index.roots()[0];
    assert.equal(backlog.sprint('S-1')?.state, 'closed');
    // The closed sprint's 3 done points are now the team's velocity, New Sprint's capacity.
    assert.equal(sprintDefaults(backlog, api.clock.now()).capacity, 3);

    // An empty answers object: no confirmation dialog.
    await run('startSprint', sprint('S-2'), {});
    await api.whenIdle();
    const started = api.index.roots()[0].sprint('S-2');
    assert.equal(started?.state, 'active');
    assert.deepEqual(started?.committed, [{ id: 'FX-3', estimate: 5 }]);
    assert.match(await readDisk(fixtureUri('backlog', 'sprints.yml')), /committed:/);
  });

  it('Rebalance Ranks rewrites only rank and ordinal lines and keeps the order', async () => {
    const moved = await api.writer.moveItem('FX-4', { top: true });
    assert.ok(moved.ok, moved.ok ? '' : moved.message);
    assert.ok(await api.applier.apply(moved.operations));
    await api.whenIdle();
    const order = api.index.roots()[0].allOrdered().map((i) => i.id);
    assert.deepEqual(order, ['FX-4', 'FX-1', 'FX-2', 'FX-3']);
    const files = ['fx-1 - Offline-search.md', FX2, FX3, FX4].map((f) => taskUri(f));
    const before = await Promise.all(files.map(readDisk));
    await run('rebalanceRanks', undefined, {});
    await api.whenIdle();
    for (const [n, uri] of files.entries()) {
      const change = changedLines(before[n], await readDisk(uri));
      assert.ok(change.removed.length <= 2 && change.added.length <= 2, `${uri.path}: ${JSON.stringify(change)}`);
      for (const line of [...change.removed, ...change.added]) assert.match(line, /^(rank|ordinal): /);
    }
    assert.deepEqual(api.index.roots()[0].allOrdered().map((i) => i.id), order);
    // Both orders in step, so that Backlog.md's board shows the same order.
    assert.deepEqual(api.index.roots()[0].allOrdered().map((i) => [i.rank, i.ordinal]), [['a0', 1000], ['a1', 2000], ['a2', 3000], ['a3', 4000]]);
  });

  it('links an item’s dependencies, documents and web references, and nothing else', async () => {
    const guide = fixtureUri('backlog', 'docs', 'guide.md');
    await vscode.workspace.fs.writeFile(guide, new TextEncoder().encode('# Guide\n'));
    const uri = fixtureUri('backlog', 'tasks', 'fx-9 - Linked.md');
    const text = ['---', 'id: FX-9', 'title: Linked', 'status: To Do', 'dependencies: [FX-2, FX-99]', 'documentation: [guide.md, missing.md, ../../../../../etc/passwd]', 'references:', '  - https://example.com/spec', '  - command:workbench.action.quit', '---', ''].join('\n');
    try {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      await waitFor('FX-9 in the index', () => api.index.item('FX-9'));
      // As a person sees them: in the item's editor.
      const editor = await vscode.window.showTextDocument(uri);
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
      const shown = links
        .filter((l) => l.target !== undefined && !(l.target.scheme === 'file' && l.target.path === uri.path))
        .map((l) => [editor.document.getText(l.range), l.target!.scheme === 'file' ? l.target!.path.slice(fixtureUri().path.length + 1) : l.target!.toString(true)]);
      assert.deepEqual(shown, [
        ['FX-2', `backlog/tasks/${FX2}`],
        ['guide.md', 'backlog/docs/guide.md'],
        ['https://example.com/spec', 'https://example.com/spec'],
      ]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri, { useTrash: false });
      await vscode.workspace.fs.delete(guide, { useTrash: false });
    }
  });

  it('Go to Item opens the item in the item editor, or as text at its title with the editor off', async () => {
    await run('goToItem', undefined, { item: 'FX-3' });
    assert.equal((await waitForItemEditor(taskUri(FX3).path)).path, taskUri(FX3).path);
    const settings = vscode.workspace.getConfiguration('backlogAtlas');
    await settings.update('openItemsInEditor', false, vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await run('goToItem', undefined, { item: 'FX-3' });
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.path, taskUri(FX3).path);
      assert.equal(editor?.selection.active.line, 2);
    } finally {
      await settings.update('openItemsInEditor', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('finds items by id and title in Go to Symbol in Workspace', async () => {
    const byId = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'FX-3');
    const found = byId.find((s) => s.name === 'FX-3 Search box on the map');
    assert.ok(found, `FX-3 not among ${byId.map((s) => s.name).join(', ')}`);
    assert.equal(found.location.uri.path, taskUri(FX3).path);
    assert.equal(found.location.range.start.line, 2);
    const byTitle = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'accents');
    assert.ok(byTitle.some((s) => s.name === 'FX-4 Results ignore accents'));
  });
});
