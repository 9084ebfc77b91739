// Shared by the in-VS-Code tests: reaching the extension's API and the fixture's files.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Backlog } from '../../src/core/backlog';
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
 * Replaces the workspace's backlog with `files` (paths under `backlog/`) and waits until the
 * index has read them, as `ready` judges. Suites run in one window and earlier ones leave their
 * own backlogs behind, so each suite that needs particular files writes them first.
 */
export async function replaceBacklog(api: ExtensionApi, files: Record<string, string>, ready: (backlog: Backlog | undefined) => boolean): Promise<void> {
  await vscode.workspace.fs.delete(fixtureUri('backlog'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  await vscode.workspace.fs.delete(fixtureUri('packages'), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  await waitFor('the old backlog to go', () => api.index.roots().length === 0, 20_000);
  for (const [path, text] of Object.entries(files)) await writeDisk(fixtureUri('backlog', ...path.split('/')), text);
  await waitFor('the new backlog in the index', () => ready(api.index.roots()[0]), 20_000);
  await api.whenIdle();
}
