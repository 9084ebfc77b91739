// Restricted Mode. These tests run only in the untrusted pass (`npm run test:untrusted`, which
// opens test/fixtures/untrusted with Workspace Trust on); in the trusted pass they are skipped.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor } from './helpers';

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

  it("ignores the workspace's backlogAtlas.roots until the folder is trusted", async () => {
    const api = await extensionApi();
    assert.equal(vscode.workspace.isTrusted, false);
    // The repository's settings ask for packages/app/backlog; Restricted Mode must not honour it.
    const roots = api.index.roots().map((b) => b.root);
    assert.deepEqual(roots, [fixtureUri('backlog').path]);
  });
});
