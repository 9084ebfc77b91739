// Losing and creating the whole backlog: a branch switch that deletes it, "Initialize Backlog",
// and a burst of new files. Runs after extension.test.ts (files run in name order), because it
// replaces the fixture's backlog.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, readDisk, revertAndClose, waitFor, writeDisk } from './helpers';

describe('Backlog Atlas when the backlog comes and goes', () => {
  it('forgets a backlog folder that was deleted, problems included', async () => {
    const api = await extensionApi();
    assert.equal(api.index.roots().length, 1);
    await vscode.workspace.fs.delete(fixtureUri('backlog'), { recursive: true });
    await waitFor('the index to drop the deleted backlog', () => api.index.roots().length === 0, 15_000);
    await waitFor('every Backlog Atlas problem to go', () =>
      vscode.languages.getDiagnostics().every(([, diags]) => diags.every((d) => d.source !== 'Backlog Atlas')),
    );
  });

  it('creates a backlog with "Initialize Backlog" and opens its first item', async () => {
    const api = await extensionApi();
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
      assert.match(config, /^done_statuses: \["Done"\]$/m);
      assert.deepEqual(roots[0].config.statuses, ['To Do', 'In Progress', 'Done']);
      assert.equal(item.type, 'story');
      assert.equal(vscode.window.activeTextEditor?.document.uri.path, item.path, 'the example item should be open');
      assert.equal(api.index.diagnostics().size, 0, 'a new backlog should have no problems');
    } finally {
      await revertAndClose();
    }
  });

  it('reads a burst of new files (a git checkout) with one rescan', async () => {
    const api = await extensionApi();
    // Let the previous test's folder events settle first: a re-read of the whole root that is
    // still queued would pick up the new files itself, and the burst would then prove nothing.
    await api.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await api.whenIdle();
    const count = 520;
    let rebuilds = 0;
    const listening = api.index.onDidChange((change) => {
      if (change.full) rebuilds++;
    });
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        writeDisk(
          fixtureUri('backlog', 'tasks', `bl-${i + 100} - Burst-${i}.md`),
          `---\nid: BL-${i + 100}\ntitle: Burst ${i}\nstatus: To Do\n---\n`,
        ),
      ),
    );
    try {
      await waitFor('every new file in the index', () => api.index.roots()[0]?.items().length === count + 1, 30_000);
      // More than 500 changes at once are read by one full rescan, not file by file.
      assert.ok(rebuilds >= 1, 'the burst was read file by file instead of by a rescan');
    } finally {
      listening.dispose();
    }
  });
});
