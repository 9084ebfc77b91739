// The backlogAtlas.roots setting: a monorepo's extra backlog folders. Each test writes the
// backlog it configures and starts with the setting unset; the setting is removed after each.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor, writeDisk } from './helpers';

describe('the backlogAtlas.roots setting', () => {
  const setting = () => vscode.workspace.getConfiguration('backlogAtlas');
  const appRoot = () => fixtureUri('packages', 'app', 'backlog').path;

  beforeEach(async function () {
    this.timeout(30_000);
    const api = await extensionApi();
    if (setting().inspect('roots')?.workspaceValue !== undefined) await setting().update('roots', undefined, vscode.ConfigurationTarget.Workspace);
    await writeDisk(fixtureUri('packages', 'app', 'backlog', 'config.yml'), 'project_name: "App"\ntask_prefix: "app"\n');
    await writeDisk(fixtureUri('packages', 'app', 'backlog', 'tasks', 'app-1 - Checkout.md'), '---\nid: APP-1\ntitle: Checkout\n---\n');
    await waitFor('no configured backlog in the index', () => !api.index.roots().some((b) => b.root === appRoot()), 15_000);
  });

  afterEach(async () => {
    await setting().update('roots', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('indexes a backlog in a configured folder, and forgets it when the setting goes', async () => {
    const api = await extensionApi();
    assert.ok(!api.index.roots().some((b) => b.root === appRoot()), 'not a root until configured');

    await setting().update('roots', ['packages/app/backlog'], vscode.ConfigurationTarget.Workspace);
    const app = await waitFor('the configured backlog in the index', () => api.index.roots().find((b) => b.root === appRoot()), 15_000);
    assert.equal(app.item('APP-1')?.title, 'Checkout');
    assert.equal(app.config.projectName, 'App');

    await setting().update('roots', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the backlog to be dropped with the setting', () => !api.index.roots().some((b) => b.root === appRoot()), 15_000);
  });

  it('ignores entries that point outside the workspace folder', async function () {
    this.timeout(30_000);
    const api = await extensionApi();
    // A real backlog beside the workspace folder (in the run's temporary folder), so that a
    // setting taken as given would show up as a root.
    const outside = vscode.Uri.joinPath(fixtureUri(), '..', 'elsewhere');
    await writeDisk(vscode.Uri.joinPath(outside, 'config.yml'), 'project_name: "Elsewhere"\ntask_prefix: "el"\n');
    await writeDisk(vscode.Uri.joinPath(outside, 'tasks', 'el-1 - Outside.md'), '---\nid: EL-1\ntitle: Outside\n---\n');
    try {
      await setting().update('roots', ['../elsewhere', '/etc', 'packages/app/backlog'], vscode.ConfigurationTarget.Workspace);
      await waitFor('the valid entry to be used', () => api.index.roots().some((b) => b.root === appRoot()), 15_000);
      await api.whenIdle();
      const roots = api.index.roots().map((b) => b.root);
      assert.ok(roots.every((r) => r.startsWith(fixtureUri().path + '/')), roots.join(', '));
      assert.equal(api.index.item('EL-1'), undefined, 'an item from outside the workspace folder was read');
    } finally {
      await vscode.workspace.fs.delete(outside, { recursive: true, useTrash: false });
    }
  });
});

// Backlog.md's backlog.config.yml at a folder's top can put the backlog anywhere
// (`backlog_directory`): that backlog is found, and followed live like any other.
describe('a backlog.config.yml that names the backlog folder', () => {
  const rootConfig = () => fixtureUri('backlog.config.yml');
  const planning = () => fixtureUri('planning');

  afterEach(async function () {
    this.timeout(30_000);
    const api = await extensionApi();
    for (const uri of [rootConfig(), planning()]) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    await waitFor('the planning backlog to be gone', () => !api.index.roots().some((b) => b.root === planning().path), 15_000);
  });

  // The config makes the folder and its tasks/ together, as `mkdir -p` does: VS Code's recursive
  // watcher missed such a folder now and then (one full run in six), and PL-2 was never seen.
  // The folder watcher (src/node/folderWatcher.ts) watches it itself.
  it('reads the folder it names, and follows that folder and the config file as they change', async function () {
    this.timeout(45_000);
    const api = await extensionApi();
    await writeDisk(vscode.Uri.joinPath(planning(), 'tasks', 'pl-1 - First.md'), '---\nid: PL-1\ntitle: First\nstatus: To Do\n---\n');
    // The config file comes last, as a person adding Backlog.md's config would: only it makes
    // planning/ a backlog, so the index must notice it.
    await writeDisk(rootConfig(), 'backlog_directory: planning\nproject_name: "Planning"\ntask_prefix: "pl"\nstatuses: ["To Do", "Done"]\n');
    const root = await waitFor('the backlog the config file names', () => api.index.roots().find((b) => b.root === planning().path), 15_000);
    assert.equal(root.item('PL-1')?.title, 'First');
    assert.equal(root.config.projectName, 'Planning');

    // A file added there later is seen, as in backlog/.
    await writeDisk(vscode.Uri.joinPath(planning(), 'tasks', 'pl-2 - Second.md'), '---\nid: PL-2\ntitle: Second\nstatus: Done\n---\n');
    await waitFor('the new item in the planning backlog', () => api.index.item('PL-2')?.title === 'Second', 15_000);

    // The config file changed: its project name is read again.
    await writeDisk(rootConfig(), 'backlog_directory: planning\nproject_name: "Plans"\ntask_prefix: "pl"\nstatuses: ["To Do", "Done"]\n');
    await waitFor('the new project name', () => api.index.roots().find((b) => b.root === planning().path)?.config.projectName === 'Plans', 15_000);
  });
});
