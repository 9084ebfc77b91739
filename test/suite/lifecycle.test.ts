// Losing and creating the whole backlog: a branch switch that deletes it, "Initialize Backlog",
// and a burst of new files. Each test writes (or removes) the backlog it starts from.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, fixtureUri, readDisk, restoreFixtureBacklog, revertAndClose, syncBacklog, waitFor } from './helpers';

const backlogProblems = () => vscode.languages.getDiagnostics().flatMap(([, diags]) => diags.filter((d) => d.source === 'Backlog Atlas'));

/** Deletes the workspace's backlog (and any other) and waits until the index has none. */
async function removeBacklog(api: ExtensionApi): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const folder of ['backlog', 'packages']) await vscode.workspace.fs.delete(fixtureUri(folder), { recursive: true, useTrash: false }).then(undefined, () => undefined);
  await waitFor('the index to have no backlog', () => api.index.roots().length === 0, 20_000);
  await api.whenIdle();
}

describe('Backlog Atlas when the backlog comes and goes', () => {
  it('forgets a backlog folder that was deleted, problems included', async function () {
    this.timeout(40_000);
    const api = await extensionApi();
    // The fixture's backlog, with FX-5 broken on purpose: a problem to lose.
    await restoreFixtureBacklog(api);
    assert.equal(api.index.roots().length, 1);
    await waitFor('the problem on fx-5', () => backlogProblems().length > 0);
    await vscode.workspace.fs.delete(fixtureUri('backlog'), { recursive: true });
    await waitFor('the index to drop the deleted backlog', () => api.index.roots().length === 0, 15_000);
    await waitFor('every Backlog Atlas problem to go', () => backlogProblems().length === 0);
  });

  it('creates a backlog with "Initialize Backlog" and opens its first item', async function () {
    this.timeout(40_000);
    const api = await extensionApi();
    await removeBacklog(api);
    await vscode.commands.executeCommand('backlogAtlas.initialize');
    try {
      // The watcher reports the new folder and files after the command is done, and the index
      // reads them again; wait for it to settle before looking.
      const item = await waitFor('the example item BL-1 in the index', () => api.index.item('BL-1'));
      await api.whenIdle();
      const roots = api.index.roots();
      assert.equal(roots.length, 1);
      const config = await readDisk(fixtureUri('backlog', 'config.yml'));
      assert.match(config, /^task_prefix: "bl"$/m);
      assert.doesNotMatch(config, /done_statuses/, "our settings go to atlas.yml, where Backlog.md's saves cannot drop them");
      assert.match(await readDisk(fixtureUri('backlog', 'atlas.yml')), /^done_statuses: \["Done"\]$/m);
      assert.deepEqual(roots[0].config.statuses, ['To Do', 'In Progress', 'Done']);
      assert.equal(item.type, 'story');
      assert.equal(vscode.window.activeTextEditor?.document.uri.path, item.path, 'the example item should be open');
      assert.equal(api.index.diagnostics().size, 0, 'a new backlog should have no problems');
    } finally {
      await revertAndClose();
    }
  });

  it('reads a burst of new files (a git checkout) with one rescan', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    // A backlog of one item, read in full: syncBacklog waits until the index holds each file's
    // text and then until it is idle, so the setup's own changes have been read before the burst.
    const start = {
      'config.yml': 'project_name: "Burst"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\ndone_statuses: ["Done"]\n',
      'tasks/bl-1 - First.md': '---\nid: BL-1\ntitle: First\nstatus: To Do\n---\n',
    };
    await syncBacklog(api, start, (b) => b.items().length === 1);
    const count = 520;
    // A rebuild from scratch names no paths; a root read again for a late change of config.yml
    // or an item folder names them, and is not the rescan this test looks for.
    let rescans = 0;
    const started = Date.now();
    // What the index did when, for the failure message: `+ms paths(full)`.
    const changes: string[] = [];
    const listening = api.index.onDidChange((change) => {
      if (change.full && change.paths.length === 0) rescans++;
      changes.push(`+${Date.now() - started}ms ${change.paths.length}${change.full ? ' full' : ''}`);
    });
    try {
      // Straight to disk, as git writes them: within a moment even on a busy machine. Written
      // through VS Code (a round trip each) they can take longer than the watcher's burst window.
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          fs.promises.writeFile(fixtureUri('backlog', 'tasks', `bl-${i + 100} - Burst-${i}.md`).fsPath, `---\nid: BL-${i + 100}\ntitle: Burst ${i}\nstatus: To Do\n---\n`),
        ),
      );
      const written = Date.now() - started;
      // More than 500 changes at once are read by one full rescan, not file by file. It comes a
      // moment after the last change; a folder event may have had the index read the new files
      // before it, so the rescan itself is waited for, not just the files.
      await waitFor('a rescan of the backlog', () => rescans >= 1, 20_000).catch((e: Error) => {
        throw new Error(`${e.message}: the burst was read file by file instead (written in ${written} ms; index changes: ${changes.join(', ')})`);
      });
      await waitFor('every new file in the index', () => api.index.roots()[0]?.items().length === count + 1, 30_000);
    } finally {
      listening.dispose();
    }
  });
});
