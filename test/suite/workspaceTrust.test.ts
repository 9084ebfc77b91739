// Restricted Mode. These tests run only in the untrusted pass (`npm run test:untrusted`, which
// opens test/fixtures/untrusted with Workspace Trust on); in the trusted pass they are skipped.
import * as assert from 'node:assert/strict';
import type * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, fixtureUri, waitFor } from './helpers';

describe('in an untrusted workspace', () => {
  before(function () {
    // Skipped in the trusted pass: that workspace is trusted, so there is nothing to check here.
    if (vscode.workspace.isTrusted) this.skip();
  });

  it('reads the backlog and reports its problems', async () => {
    const api = await extensionApi();
    const backlog = await waitFor('the backlog in the index', () => api.index.roots().find((b) => b.root === fixtureUri('backlog').path), 15_000);
    assert.equal(backlog.item('BL-1')?.title, 'Read me in Restricted Mode');
    const uri = fixtureUri('backlog', 'tasks', 'bl-1 - Read-me-in-Restricted-Mode.md');
    await waitFor('the estimate problem', () => vscode.languages.getDiagnostics(uri).some((d) => /estimate/.test(d.message)));
  });

  it('offers agents only the read tools: a write tool has no implementation', async () => {
    await extensionApi();
    const read = await vscode.lm.invokeTool('backlog_get', { input: { id: 'BL-1' }, toolInvocationToken: undefined });
    const text = read.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.equal((JSON.parse(text) as { title: string }).title, 'Read me in Restricted Mode');
    const before = fs.readFileSync(fixtureUri('backlog', 'tasks', 'bl-1 - Read-me-in-Restricted-Mode.md').fsPath, 'utf8');
    await assert.rejects(async () => vscode.lm.invokeTool('backlog_update', { input: { id: 'BL-1', status: 'Done' }, toolInvocationToken: undefined }), /backlog_update/);
    assert.equal(fs.readFileSync(fixtureUri('backlog', 'tasks', 'bl-1 - Read-me-in-Restricted-Mode.md').fsPath, 'utf8'), before);
  });

  it('runs no git for the reports, and says why the charts have no history', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    await vscode.commands.executeCommand('backlogAtlas.openReports');
    const panel = api.reports.current!;
    await panel.whenDrawn();
    assert.equal(panel.lastModel?.history.source, 'none');
    assert.match(panel.lastModel?.history.detail ?? '', /untrusted workspace/);
    panel.dispose();
  });

  it('starts no process at all: not to read, scan for TODOs or draw the reports', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const recording = recordProcesses();
    try {
      await vscode.commands.executeCommand('backlogAtlas.refresh');
      await api.whenIdle();
      await vscode.commands.executeCommand('backlogAtlas.rescanTodos');
      await api.todoIndex.whenIdle();
      // The reports ask for the git history; the page need not draw for that (a second page in
      // one Restricted Mode session takes code-server half a minute to load).
      await vscode.commands.executeCommand('backlogAtlas.openReports');
      const panel = api.reports.current!;
      await panel.whenHistoryRead();
      panel.dispose();
    } finally {
      recording.stop();
    }
    assert.deepEqual(recording.calls, []);
    assert.equal(api.processesStarted(), 0, 'processes started since the extension loaded');
  });

  it('reads no branches: new ids come from the working tree, and the branch view says why it is empty', async () => {
    const api = await extensionApi();
    const root = fixtureUri('backlog').path;
    const before = api.processesStarted();
    const made = await api.writer.createItem(root, { title: 'Numbered here' });
    assert.ok(made.ok, made.ok ? '' : made.message);
    assert.equal(made.itemId, 'BL-2');
    await api.branchChanges.refresh();
    const r = api.branchChanges.result(root);
    assert.ok(r && !r.ok);
    assert.match(r.error, /Trust the workspace/);
    assert.equal(api.processesStarted(), before);
  });

  it("ignores the workspace's backlogAtlas.roots until the folder is trusted", async () => {
    const api = await extensionApi();
    assert.equal(vscode.workspace.isTrusted, false);
    // The repository's settings ask for packages/app/backlog; Restricted Mode must not honour it.
    const roots = api.index.roots().map((b) => b.root);
    assert.deepEqual(roots, [fixtureUri('backlog').path]);
  });
});

describe('in a trusted workspace', () => {
  before(function () {
    if (!vscode.workspace.isTrusted) this.skip();
  });

  it('starts rg for the TODO scan through the one place processes start, as the untrusted pass would see', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const before = api.processesStarted();
    const recording = recordProcesses();
    try {
      await vscode.commands.executeCommand('backlogAtlas.rescanTodos');
      await api.todoIndex.whenIdle();
    } finally {
      recording.stop();
    }
    // What the untrusted pass checks is empty would not be empty here: the recording sees the bundle's calls.
    assert.ok(recording.calls.some((c) => /^spawn \S*rg(\.exe)?$/.test(c)), JSON.stringify(recording.calls));
    assert.ok(api.processesStarted() > before);
  });
});

/**
 * Records every child_process call made from the extension's bundle until `stop()`. Node's
 * module object is shared by everything in the extension host, so the bundle's calls come
 * through here; the test's own and other extensions' are told apart by the stack.
 */
function recordProcesses(): { calls: string[]; stop(): void } {
  const bundle = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist');
  assert.ok(fs.existsSync(path.join(bundle, 'extension.js')), `no extension bundle in ${bundle}`);
  const cp = createRequire(__filename)('node:child_process') as Record<string, unknown> & typeof childProcess;
  const names = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
  const saved = new Map(names.map((n) => [n, cp[n]]));
  const calls: string[] = [];
  for (const n of names) {
    const original = saved.get(n) as (...args: unknown[]) => unknown;
    cp[n] = function (this: unknown, ...args: unknown[]) {
      if ((new Error().stack ?? '').includes(bundle)) calls.push(`${n} ${String(args[0])}`);
      return original.apply(this, args);
    } as never;
  }
  return {
    calls,
    stop: () => {
      for (const [n, original] of saved) cp[n] = original as never;
    },
  };
}
