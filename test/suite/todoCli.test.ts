// The command line and the editor find the same TODOs in the same folder: `backlog-atlas todos`
// (the built dist/cli.js, with ripgrep and without) against the extension's TODO index and each
// of the editor's two ways to scan (VS Code's ripgrep, and reading files through workspace.fs).
// The fixture has TODOs in a hidden folder (.github/workflows/ci.yml), a Python docstring
// (src/docs/loader.py) and plain source files; the trusted and the untrusted pass both run here.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { scanTodos } from '../../src/cli/todoScan';
import type { ExtensionApi } from '../../src/extension';
import type { ScanMethod } from '../../src/vscode/todos/todoScanner';
import { EXTENSION_ID, extensionApi, fixtureUri, restoreFixtureBacklog, waitFor } from './helpers';

/** One TODO as `backlog-atlas todos --json` prints it (lines and columns from 1), without the item's title. */
interface Listed {
  path: string;
  line: number;
  column: number;
  tag: string;
  ref?: string;
  text: string;
}

const key = (t: Listed) => `${t.path}:${t.line}:${t.column} ${t.tag}${t.ref ? `(${t.ref})` : ''} ${t.text}`;
const keys = (todos: readonly Listed[]) => todos.map(key).sort();

function folder(): vscode.Uri {
  return fixtureUri();
}

/** `backlog-atlas todos --json` run as a program in the workspace folder. */
async function cliTodos(env: Record<string, string | undefined>): Promise<Listed[]> {
  const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  // The extension host may be Electron: run it as plain Node.
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'todos', '--json'], { cwd: folder().fsPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', BACKLOG_ATLAS_NO_CACHE: '1', ...env }, maxBuffer: 64 << 20 });
  return (JSON.parse(stdout) as (Listed & { item?: string })[]).map(({ path: p, line, column, tag, ref, text }) => ({ path: p, line, column, tag, ...(ref ? { ref } : {}), text }));
}

/** Editor-side TODOs (zero-based, with a Uri) as the command line lists them. */
function fromEditor(todos: readonly { uri: vscode.Uri; line: number; column: number; tag: string; ref?: { id: string }; text: string }[]): Listed[] {
  return todos.map((t) => ({ path: path.relative(folder().fsPath, t.uri.fsPath).split(path.sep).join('/'), line: t.line + 1, column: t.column + 1, tag: t.tag, ...(t.ref ? { ref: t.ref.id } : {}), text: t.text }));
}

/** Backlog roots inside the folder, relative to it: neither side scans them. */
function backlogFolders(api: ExtensionApi): string[] {
  const base = folder().path;
  return api.index.roots().flatMap((b) => (b.root.startsWith(`${base}/`) ? [b.root.slice(base.length + 1)] : []));
}

/** One of the editor's two ways to scan, run on its own over the whole folder. */
async function editorScan(api: ExtensionApi, method: ScanMethod): Promise<Listed[]> {
  const scanner = api.todoIndex.scanner;
  const found: { uri: vscode.Uri; line: number; column: number; tag: string; ref?: { id: string }; text: string }[] = [];
  const source = new vscode.CancellationTokenSource();
  // `lastMethod` tells other tests how the index scanned; this scan is not the index's.
  const indexMethod = scanner.lastMethod;
  try {
    await scanner.scanFolder(folder(), api.todoIndex.matcher(), scanner.scopeFor(folder(), backlogFolders(api)), source.token, (uri, todos) => found.push(...todos.map((t) => ({ ...t, uri }))), method);
    assert.equal(scanner.lastMethod, method);
  } finally {
    scanner.lastMethod = indexMethod;
    source.dispose();
  }
  return fromEditor(found);
}

/** The fixture's backlog, no editor open, and the TODO index settled on the files as they are. */
async function settle(): Promise<ExtensionApi> {
  const api = await extensionApi();
  await restoreFixtureBacklog(api);
  await waitFor('the TODO matcher for the FX prefix', () => api.todoIndex.matcher().options.prefixes.join() === 'FX', 20_000);
  await api.todoIndex.ready();
  await api.todoIndex.whenIdle();
  return api;
}

/** Waits until the index lists what the command line printed, and fails with both lists if it never does. */
async function indexMatches(api: ExtensionApi, expected: readonly Listed[]): Promise<void> {
  const want = JSON.stringify(keys(expected));
  await waitFor('the TODO index to list what the command line lists', () => JSON.stringify(keys(fromEditor(api.todoIndex.all()))) === want, 15_000).catch((e: Error) => {
    throw new Error(`${e.message}\ncommand line: ${want}\neditor:       ${JSON.stringify(keys(fromEditor(api.todoIndex.all())))}`);
  });
}

describe('the command line and the editor', () => {
  it('find the same TODOs in a trusted workspace, with ripgrep and without, hidden folders and docstrings included', async function () {
    if (!vscode.workspace.isTrusted) this.skip(); // The untrusted pass runs the test below.
    this.timeout(120_000);
    const api = await settle();
    const rg = await api.todoIndex.scanner.ripgrep();
    assert.ok(rg, 'VS Code ships a ripgrep');

    // The program, given VS Code's own rg, and with no rg to be found at all.
    const withRg = await cliTodos({ BACKLOG_ATLAS_RG: rg });
    const withoutRg = await cliTodos({ BACKLOG_ATLAS_RG: undefined, PATH: '' });
    assert.deepEqual(keys(withoutRg), keys(withRg), 'the command line without rg finds what it finds with rg');

    const found = keys(withRg);
    assert.ok(found.includes('.github/workflows/ci.yml:7:9 TODO(FX-3) cache the tiles between runs'), `the hidden folder's TODO, in ${JSON.stringify(found)}`);
    assert.ok(found.includes('src/docs/loader.py:4:7 TODO(FX-2) a comment line in a docstring counts, as a search shows it'), 'the docstring comment line');
    assert.ok(found.includes('src/search/offline.ts:3:6 TODO(FX-4) fold accents before comparing'), 'a plain source file');
    assert.ok(!found.some((k) => k.startsWith('src/docs/loader.py:5:')), 'prose in a docstring is no TODO');
    assert.ok(!found.some((k) => k.startsWith('backlog/')), 'backlog items are not code');

    // The scan function itself, told which way to go, so that both ways surely ran.
    const matcher = api.todoIndex.matcher();
    const skipDirs = api.index.roots().map((b) => b.root);
    for (const option of [rg, null]) {
      const direct = await scanTodos([folder().fsPath], matcher, { rg: option, skipDirs });
      assert.deepEqual(keys(fromEditor(direct.map((t) => ({ ...t, uri: vscode.Uri.file(t.path) })))), found, `scanTodos with rg ${option ?? 'none'}`);
    }

    // The editor: its index (which scanned with VS Code's ripgrep), and each way on its own.
    assert.equal(api.todoIndex.scanner.lastMethod, 'ripgrep');
    await indexMatches(api, withRg);
    assert.deepEqual(keys(await editorScan(api, 'ripgrep')), found, "the editor's ripgrep scan");
    assert.deepEqual(keys(await editorScan(api, 'file system')), found, "the editor's workspace.fs scan");
  });

  it('find the same TODOs in an untrusted workspace, where the editor starts no process', async function () {
    if (vscode.workspace.isTrusted) this.skip(); // Only the untrusted pass opens a Restricted Mode window.
    this.timeout(60_000);
    const api = await extensionApi();
    await api.todoIndex.ready();
    await api.todoIndex.whenIdle();
    assert.equal(api.todoIndex.scanner.lastMethod, 'file system');
    const withRg = await cliTodos({});
    const withoutRg = await cliTodos({ BACKLOG_ATLAS_RG: undefined, PATH: '' });
    assert.deepEqual(keys(withoutRg), keys(withRg));
    assert.ok(withRg.length > 0, 'the fixture has TODOs');
    await indexMatches(api, withRg);
  });
});
