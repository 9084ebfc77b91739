// The language-model tools in real VS Code, called as Copilot's agent mode calls them: through
// vscode.lm.invokeTool. Outside a chat (no toolInvocationToken) VS Code asks a write's
// confirmation in a modal dialog, but in an extension test run its DialogService answers every
// confirmation itself ("refused to show confirmation dialog in tests", confirmed), so what the
// question says is checked through the tools' own prepareInvocation (`api.agentTools`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, pinClock, readDisk, restoreFixtureBacklog, taskUri, waitFor } from './helpers';

const FX2 = 'fx-2 - Index-saved-routes.md';
const FX4 = 'fx-4 - Results-ignore-accents.md';

/** The confirmation VS Code would show before `name` runs with `input`, as text. */
async function confirmation(api: ExtensionApi, name: string, input: Record<string, unknown>): Promise<string> {
  const prepared = await api.agentTools.prepareByName(name, input);
  const c = prepared.confirmationMessages;
  return c ? `${c.title}\n${typeof c.message === 'string' ? c.message : c.message.value}` : '';
}

async function call(name: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  return JSON.parse(text) as Record<string, unknown>;
}

describe('the language-model tools', () => {
  let api: ExtensionApi;
  pinClock('2026-01-08T10:00Z');

  before(async function () {
    this.timeout(60_000);
    api = await extensionApi();
    await restoreFixtureBacklog(api);
  });

  afterEach(async function () {
    this.timeout(60_000);
    await restoreFixtureBacklog(api);
  });

  it('are all registered, writes only where the workspace is trusted', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('backlog_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), ['backlog_create', 'backlog_get', 'backlog_health', 'backlog_list', 'backlog_move', 'backlog_sprint', 'backlog_todos', 'backlog_update']);
    assert.ok(ours.every((t) => t.description.length > 40 && t.inputSchema !== undefined));
  });

  it('read the backlog without asking: list, get, sprint, health, todos', async function () {
    this.timeout(60_000);
    assert.equal(await confirmation(api, 'backlog_list', {}), '', 'reads ask nothing');
    const listed = (await call('backlog_list', { sprint: 'active' })) as { items: { id: string; estimate: number }[] };
    assert.deepEqual(listed.items.map((i) => [i.id, i.estimate]), [['FX-2', 3], ['FX-3', 5]]);
    await api.todoIndex.ready();
    const got = (await call('backlog_get', { id: 'fx-2' })) as { title: string; acceptanceCriteria: unknown[]; codeReferences: { path: string; line: number }[] };
    assert.equal(got.title, 'Index saved routes');
    assert.deepEqual(got.acceptanceCriteria, [{ index: 1, checked: false, text: 'A saved route is found by name without a connection' }]);
    assert.deepEqual(got.codeReferences.map((r) => `${r.path}:${r.line}`).sort(), ['src/docs/loader.py:4', 'src/search/offline.ts:5']);
    const sprint = (await call('backlog_sprint', {})) as { id: string; goal: string; daysLeft: number; capacity: number; points: { committed: number } };
    assert.deepEqual([sprint.id, sprint.goal, sprint.daysLeft, sprint.capacity, sprint.points.committed], ['S-1', 'Search works offline', 8, 20, 8]);
    const health = (await call('backlog_health', {})) as { bands: { band: string }[] };
    assert.equal(health.bands.length, 3);
    const todos = (await call('backlog_todos', { path: 'src/tiles' })) as { todos: { path: string; item?: string }[] };
    assert.ok(todos.todos.length > 0 && todos.todos.every((t) => t.path.startsWith('src/tiles/') && t.item === undefined), JSON.stringify(todos));
  });

  it('update an item after the user confirms the files and fields, as one undo step', async function () {
    this.timeout(60_000);
    const before = await readDisk(taskUri(FX2));
    const asked = await confirmation(api, 'backlog_update', { id: 'FX-2', estimate: 8, check: [1] });
    for (const said of [`backlog/tasks/${FX2}`, 'estimate', 'acceptance criteria', 'FX-2']) assert.ok(asked.includes(said), `the question names ${said}: ${asked}`);
    const answer = await call('backlog_update', { id: 'FX-2', estimate: 8, check: [1] });
    assert.deepEqual(answer.files, [`backlog/tasks/${FX2}`]);
    const after = await readDisk(taskUri(FX2));
    assert.match(after, /^updated_date: '?2026-01-08 10:00'?$/m);
    assert.equal(after.replace(/^updated_date: .*\n/m, ''), before.replace('estimate: 3', 'estimate: 8').replace('- [ ] #1', '- [x] #1'), 'only the estimate and the checkbox changed');
    await vscode.commands.executeCommand('backlogAtlas.undo');
    let now = after;
    await waitFor('the undo on disk', () => {
      void readDisk(taskUri(FX2)).then((t) => (now = t));
      return now === before;
    });
  });

  it('create and move items, naming the new file and the sprint in the question', async function () {
    this.timeout(60_000);
    assert.match(await confirmation(api, 'backlog_create', { title: 'Share a route', type: 'story', estimate: 2, sprint: 'S-2' }), /backlog\/tasks\/fx-6 - Share-a-route\.md \(new\)/);
    const created = await call('backlog_create', { title: 'Share a route', type: 'story', estimate: 2, sprint: 'S-2' });
    assert.equal(created.id, 'FX-6');
    const text = await readDisk(taskUri('fx-6 - Share-a-route.md'));
    assert.match(text, /^title: Share a route$/m);
    assert.match(text, /^sprint: S-2$/m);
    const before = await readDisk(taskUri(FX4));
    assert.match(await confirmation(api, 'backlog_move', { id: 'FX-4', sprint: 'S-2' }), /Files: backlog\/tasks\/fx-4 - Results-ignore-accents\.md\nFields: sprint/);
    await call('backlog_move', { id: 'FX-4', sprint: 'S-2' });
    const moved = await readDisk(taskUri(FX4));
    assert.match(moved, /^sprint: S-2$/m);
    assert.equal(moved.replace(/^sprint: S-2\n/m, '').replace(/^updated_date: .*\n/m, ''), before.replace(/^sprint: .*\n/m, ''));
  });

  it('refuse malformed arguments without asking and without writing', async function () {
    this.timeout(60_000);
    const before = await readDisk(taskUri(FX2));
    await assert.rejects(async () => vscode.lm.invokeTool('backlog_update', { input: { id: 'FX-2', estimate: 'five' }, toolInvocationToken: undefined }), /"estimate" must be a number/);
    await assert.rejects(async () => vscode.lm.invokeTool('backlog_move', { input: { id: 'FX-2', sideways: true }, toolInvocationToken: undefined }), /Unknown argument "sideways"/);
    await assert.rejects(async () => vscode.lm.invokeTool('backlog_get', { input: { id: 'FX-99' }, toolInvocationToken: undefined }), /No item FX-99/);
    assert.equal(await readDisk(taskUri(FX2)), before);
  });
});
