// Shared by the in-VS-Code tests: reaching the extension's API and the fixture's files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Backlog } from '../../src/core/backlog';
import { classify } from '../../src/core/backlogIndex';
import { contentHash } from '../../src/core/text';
import { commentSyntaxFor, todosInText } from '../../src/core/todo/todo';
import type { ExtensionApi } from '../../src/extension';

export const EXTENSION_ID = 'backlog-atlas.backlog-atlas';

/** The activated extension's API, after its first read of the workspace has finished. */
export async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  await api.whenIdle();
  return api;
}

/** A file of the fixture workspace (test/fixtures/workspace, copied for each run). */
export function fixtureUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has no workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export function taskUri(fileName: string): vscode.Uri {
  return fixtureUri('backlog', 'tasks', fileName);
}

export async function readDisk(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function writeDisk(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Polls until `probe` returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Throws away unsaved text and closes the active editor, without the "save changes?" dialog. */
export async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/**
 * Pins the extension's clock to `spec` (a day, an instant or an offset, see `parseClockSpec`)
 * for the enclosing `describe`, and puts it back on BACKLOG_ATLAS_NOW after. Call it inside the
 * `describe`: the tests then mean the same thing on any day and with any BACKLOG_ATLAS_NOW.
 */
export function pinClock(spec: string): void {
  let api: ExtensionApi | undefined;
  before(async () => {
    api = await extensionApi();
    api.setClock(spec);
  });
  after(() => api?.setClock(undefined));
}

/**
 * The repository's fixture workspace, which the runners copy for each run: the compiled suite
 * sits in out/test/suite, next to test/ in the repository.
 */
const FIXTURE_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace');

/** Every file below `folder` of the fixture as the repository has it, by '/'-separated path relative to that folder. */
export function fixtureFiles(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) out[`${prefix}${entry.name}`] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
    }
  };
  const dir = path.join(FIXTURE_DIR, ...folder.split('/'));
  assert.ok(fs.existsSync(dir), `the fixture has no ${folder}/ (looked in ${dir})`);
  walk(dir, '');
  return out;
}

/** Every file below a folder of the workspace, by '/'-separated path relative to it, with its text; empty when the folder is missing. */
export async function workspaceFiles(dir: vscode.Uri): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return out;
  }
  for (const [name, type] of entries) {
    const uri = vscode.Uri.joinPath(dir, name);
    if (type & vscode.FileType.Directory) for (const [k, v] of await workspaceFiles(uri)) out.set(`${name}/${k}`, v);
    else out.set(name, await readDisk(uri));
  }
  return out;
}

/** Makes the files below `dir` exactly `files`: deletes the others, rewrites those whose text differs, leaves the rest alone. */
async function syncFolder(dir: vscode.Uri, files: Record<string, string>): Promise<void> {
  let now = await workspaceFiles(dir);
  if ([...now.keys()].filter((rel) => !Object.hasOwn(files, rel)).length > 50) {
    // Hundreds of files (the burst test's) go faster with their folder than one by one.
    await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false });
    now = new Map();
  }
  for (const rel of now.keys()) {
    if (!Object.hasOwn(files, rel)) await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, ...rel.split('/')), { useTrash: false });
  }
  for (const [rel, text] of Object.entries(files)) {
    if (now.get(rel) !== text) await writeDisk(vscode.Uri.joinPath(dir, ...rel.split('/')), text);
  }
}

/**
 * Makes the workspace's backlog exactly `files` (paths under `backlog/`), writing only what
 * differs, drops every other backlog (`packages/`), and waits until the index holds that one
 * backlog with every file's current text, and `ready` (if given) agrees. Cheap when the backlog is
 * already as asked, so suites call it before each test: each then starts from the same files,
 * whatever ran before it. Editors with unsaved changes to these files must be closed first.
 */
export async function syncBacklog(api: ExtensionApi, files: Record<string, string>, ready?: (backlog: Backlog) => boolean): Promise<void> {
  await vscode.workspace.fs.delete(fixtureUri('packages'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  const dir = fixtureUri('backlog');
  await syncFolder(dir, files);
  const wanted = new Map(Object.entries(files).filter(([rel]) => classify(rel) !== undefined).map(([rel, text]) => [`${dir.path}/${rel}`, contentHash(text)]));
  const state = () => {
    const roots = api.index.roots();
    const b = roots.find((r) => r.root === dir.path);
    const stale = [...wanted].filter(([p, hash]) => b?.files.get(p)?.hash !== hash).map(([p]) => p.slice(dir.path.length + 1));
    const extra = b ? [...b.files.keys()].filter((p) => !wanted.has(p)).map((p) => p.slice(dir.path.length + 1)) : [];
    return { roots: roots.map((r) => r.root), stale, extra, ready: b !== undefined && (ready?.(b) ?? true) };
  };
  const settled = () => {
    const s = state();
    return s.roots.length === 1 && s.roots[0] === dir.path && s.stale.length === 0 && s.extra.length === 0 && s.ready;
  };
  const wait = () =>
    waitFor('the index to read the backlog as written', settled, 20_000).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(state())}; ${await describeFiles([...state().stale, ...state().extra].map((rel) => vscode.Uri.joinPath(dir, ...rel.split('/'))))}`);
    });
  // No "Backlog: Refresh" fallback: an index that never catches up with the disk is the bug a
  // user would meet (a file that lingers in the views), so setup fails and says which files.
  await wait();
  await api.whenIdle();
  // A change seen late (a folder event, say) may have had the index read something again.
  if (!settled()) await wait();
}

/** For a failure message: whether each file is on disk, and whether VS Code holds a document for it. */
async function describeFiles(uris: vscode.Uri[]): Promise<string> {
  const parts = await Promise.all(
    uris.map(async (uri) => {
      const onDisk = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return `${vscode.workspace.asRelativePath(uri)}: ${onDisk ? 'on disk' : 'not on disk'}, ${doc ? (doc.isDirty ? 'dirty document' : 'clean document') : 'no document'}`;
    }),
  );
  return parts.join('; ');
}

/**
 * Replaces the workspace's backlog with `files` (paths under `backlog/`) and waits until the
 * index has read them, as `ready` judges: `syncBacklog`, for a `ready` that also looks at a
 * backlog that is not there.
 */
export async function replaceBacklog(api: ExtensionApi, files: Record<string, string>, ready: (backlog: Backlog | undefined) => boolean): Promise<void> {
  await syncBacklog(api, files, ready);
}

/**
 * Puts files of the fixture's code back as the repository has them (paths relative to the
 * workspace folder), and waits until the TODO index holds what their text says.
 */
export async function restoreCode(api: ExtensionApi, paths: readonly string[]): Promise<void> {
  const original = fixtureFiles('src');
  for (const p of paths) {
    assert.ok(p.startsWith('src/') && Object.hasOwn(original, p.slice(4)), `${p} is not a file of the fixture's src/`);
    const uri = fixtureUri(...p.split('/'));
    const text = original[p.slice(4)];
    if ((await readDisk(uri).catch(() => undefined)) !== text) await writeDisk(uri, text);
  }
  await api.todoIndex.whenIdle();
  for (const p of paths) await waitForTodos(api, fixtureUri(...p.split('/')));
}

/** `line:column TAG ref` for each TODO, to compare lists. */
function todoKeys(todos: readonly { line: number; column: number; tag: string; ref?: { id: string } }[]): string[] {
  return todos.map((t) => `${t.line}:${t.column} ${t.tag} ${t.ref?.id ?? '-'}`);
}

/** Waits until the TODO index holds, for `uri`, the TODOs its text on disk has for the current matcher. */
export async function waitForTodos(api: ExtensionApi, uri: vscode.Uri): Promise<void> {
  const syntax = commentSyntaxFor(uri.path);
  assert.ok(syntax, `no comment syntax for ${uri.path}`);
  const text = await readDisk(uri);
  const state = () => ({
    expected: todoKeys(todosInText(api.todoIndex.matcher(), text, syntax)),
    indexed: todoKeys(api.todoIndex.all().filter((t) => t.uri.toString() === uri.toString())),
  });
  const what = `the TODO index to read ${vscode.workspace.asRelativePath(uri)}`;
  const same = () => {
    const s = state();
    return JSON.stringify(s.expected) === JSON.stringify(s.indexed);
  };
  // No rescan fallback, as in syncBacklog: a TODO index that misses a change is a bug to see.
  await waitFor(what, same, 20_000).catch((e: Error) => {
    throw new Error(`${e.message}: ${JSON.stringify(state())}`);
  });
}

/**
 * Puts the fixture's backlog back as the repository has it (test/fixtures/workspace/backlog,
 * FX-5 broken on purpose) and waits until the index has read it. Closes every editor first, so
 * that no open document stands in for a file on disk.
 */
export async function restoreFixtureBacklog(api: ExtensionApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await syncBacklog(api, fixtureFiles('backlog'));
}

/** What the tests drive of a backlog webview panel. */
export interface TestPanel<Options> {
  receive(raw: unknown): Promise<void>;
  whenDrawn(): Promise<number>;
  readonly currentOptions: Options;
}

/**
 * The panel `command` opens, with `options` set and drawn by its page: a new panel when none is
 * open, else the open one, revealed. Tests that share one panel (a new page costs seconds in the
 * test host) each start from the same options this way.
 */
export async function showPanel<O, P extends TestPanel<O>>(command: string, current: () => P | undefined, options: O): Promise<P> {
  const before = current();
  await vscode.commands.executeCommand(command);
  const panel = current();
  assert.ok(panel, `no panel after ${command}`);
  // A new page sends `ready` once loaded and is drawn from it; set the options after that.
  if (panel !== before) await panel.whenDrawn();
  const drawn = panel.whenDrawn();
  await panel.receive({ type: 'setOptions', options });
  await drawn;
  assert.deepEqual(panel.currentOptions, options);
  return panel;
}

/**
 * Opens a new panel with `command`, closing the one open first, and resolves with it and the
 * number of cards its page drew first.
 */
export async function openNewPanel<P extends TestPanel<unknown> & { dispose(): void }>(command: string, current: () => P | undefined): Promise<{ panel: P; cards: number }> {
  const old = current();
  if (old) {
    old.dispose();
    await waitFor('the old panel to close', () => current() === undefined);
  }
  await vscode.commands.executeCommand(command);
  const panel = current();
  assert.ok(panel, `no panel after ${command}`);
  assert.notEqual(panel, old, 'the command handed out the closed panel');
  // The command returns once the panel exists; its page has not loaded yet, so this cannot miss the first paint.
  return { panel, cards: await panel.whenDrawn() };
}

/** Waits until the active tab is the item editor on the file whose path ends with `pathEnd`, and returns its URI. */
export async function waitForItemEditor(pathEnd: string, timeoutMs = 10_000): Promise<vscode.Uri> {
  return waitFor(
    `${pathEnd} in the item editor`,
    () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputCustom && input.viewType === 'backlogAtlas.item' && input.uri.path.endsWith(pathEnd) && input.uri;
    },
    timeoutMs,
  );
}
