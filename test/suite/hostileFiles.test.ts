// A backlog in real VS Code with a FIFO, a link to /dev/zero and a link to another item where
// item files belong: the index reads the rest at once and the Problems panel names each (a plain
// read of the FIFO would wait for a writer forever, one of /dev/zero would never end). The files
// are removed with Node's fs after: VS Code's own readFile would block on the FIFO too.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, restoreFixtureBacklog, taskUri, waitFor } from './helpers';

const FIFO = 'fx-90 - Pipe.md';
const ZERO = 'fx-91 - Zero.md';
const LINK = 'fx-92 - Link.md';

function codes(uri: vscode.Uri): string[] {
  return vscode.languages.getDiagnostics(uri).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

/** Resolves with `promise`, or fails after `ms`: an index stuck on a read must fail the test, not hang the suite. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('a backlog holding a FIFO and links where item files belong', () => {
  let api: ExtensionApi;
  const made = [FIFO, ZERO, LINK].map((name) => taskUri(name).fsPath);

  before(async function () {
    if (process.platform === 'win32') this.skip(); // No FIFOs, and links need privileges there.
    this.timeout(60_000);
    api = await extensionApi();
    await restoreFixtureBacklog(api);
  });

  after(async function () {
    this.timeout(30_000);
    for (const p of made) fs.rmSync(p, { force: true });
    if (api) await waitFor('the diagnostics of the removed files to go', () => made.every((p) => codes(vscode.Uri.file(p)).length === 0), 15_000);
  });

  it('reads the rest of the backlog without waiting on them, and names each in the Problems panel', async function () {
    this.timeout(60_000);
    const ids = () => api.index.roots()[0].items().map((i) => i.id).sort();
    const before = ids();
    assert.ok(before.includes('FX-1'));
    execFileSync('mkfifo', [made[0]]);
    fs.symlinkSync('/dev/zero', made[1]);
    fs.symlinkSync(taskUri('fx-1 - Offline-search.md').fsPath, made[2]);
    // The watcher reports each new file; a full read must not wait on them either.
    await within(20_000, 'the index reading the changes', waitFor('the three diagnostics', () => made.every((p) => codes(vscode.Uri.file(p)).length > 0), 15_000));
    const started = Date.now();
    await within(20_000, 'Backlog: Refresh', Promise.resolve(vscode.commands.executeCommand('backlogAtlas.refresh')).then(() => api.whenIdle()));
    const refreshMs = Date.now() - started;

    assert.deepEqual(codes(taskUri(FIFO)), ['not-a-regular-file']);
    assert.match(vscode.languages.getDiagnostics(taskUri(FIFO))[0].message, /FIFO/);
    assert.deepEqual(codes(taskUri(ZERO)), ['symlink']);
    assert.deepEqual(codes(taskUri(LINK)), ['symlink']);
    assert.equal(vscode.languages.getDiagnostics(taskUri(LINK))[0].severity, vscode.DiagnosticSeverity.Error);
    // The items are all there, once each: the link to FX-1 was not read as a second FX-1.
    assert.deepEqual(ids(), before);
    assert.equal(api.index.roots()[0].byKey.get('FX-1')?.length, 1);
    assert.ok(refreshMs < 15_000, `refresh took ${refreshMs} ms`);
  });
});
