// The backlogAtlas.roots setting: a monorepo's extra backlog folders. Runs after the other files
// (name order); it adds its own backlog and removes the setting again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor, writeDisk } from './helpers';

describe('the backlogAtlas.roots setting', () => {
  const setting = () => vscode.workspace.getConfiguration('backlogAtlas');
  const appRoot = () => fixtureUri('packages', 'app', 'backlog').path;

  after(async () => {
    await setting().update('roots', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('indexes a backlog in a configured folder, and forgets it when the setting goes', async () => {
    const api = await extensionApi();
    await writeDisk(fixtureUri('packages', 'app', 'backlog', 'config.yml'), 'project_name: "App"\ntask_prefix: "app"\n');
    await writeDisk(fixtureUri('packages', 'app', 'backlog', 'tasks', 'app-1 - Checkout.md'), '---\nid: APP-1\ntitle: Checkout\n---\n');
    assert.ok(!api.index.roots().some((b) => b.root === appRoot()), 'not a root until configured');

    await setting().update('roots', ['packages/app/backlog'], vscode.ConfigurationTarget.Workspace);
    const app = await waitFor('the configured backlog in the index', () => api.index.roots().find((b) => b.root === appRoot()), 15_000);
    assert.equal(app.item('APP-1')?.title, 'Checkout');
    assert.equal(app.config.projectName, 'App');

    await setting().update('roots', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the backlog to be dropped with the setting', () => !api.index.roots().some((b) => b.root === appRoot()), 15_000);
  });

  it('ignores entries that point outside the workspace folder', async () => {
    const api = await extensionApi();
    await setting().update('roots', ['../elsewhere', '/etc', 'packages/app/backlog'], vscode.ConfigurationTarget.Workspace);
    await waitFor('the valid entry to be used', () => api.index.roots().some((b) => b.root === appRoot()), 15_000);
    const roots = api.index.roots().map((b) => b.root);
    assert.ok(roots.every((r) => r.startsWith(fixtureUri().path)), roots.join(', '));
  });
});
