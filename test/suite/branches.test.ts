// A backlog that lives on branches, in real VS Code over a real repository: a new item takes the
// id after those on other branches, and "Backlog Changes on This Branch" shows what the branch
// did to the backlog, following the files and HEAD as they change. The fixture folder becomes a
// repository for this file only; it is removed after.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, fixtureFiles, fixtureUri, restoreFixtureBacklog, waitFor } from './helpers';

/** When the commits are made: the extension's "now" (BACKLOG_ATLAS_NOW moves it a year either way). */
let commitDate: string | undefined;

function git(cwd: string, args: string[]): string {
  // A branch counts while its last commit is within active_branch_days of the extension's today,
  // so commits are dated by that clock, not the system's.
  const dates = commitDate ? { GIT_AUTHOR_DATE: commitDate, GIT_COMMITTER_DATE: commitDate } : {};
  const env = { ...process.env, ...dates, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  return execFileSync('git', args, { cwd, env, stdio: 'pipe' }).toString('utf8');
}

describe('a backlog on branches', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  const folder = fixtureUri().fsPath;
  const root = fixtureUri('backlog').path;
  const taskFile = (name: string) => path.join(folder, 'backlog', 'tasks', name);
  const backlog = () => api.index.roots().find((b) => b.root === root);

  before(async function () {
    if (!vscode.workspace.isTrusted) this.skip();
    api = await extensionApi();
    commitDate = api.clock.now().toISOString();
    await restoreFixtureBacklog(api);
    fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    git(folder, ['init', '-q', '-b', 'main']);
    git(folder, ['add', 'backlog']);
    git(folder, ['commit', '-q', '-m', 'the backlog']);
  });

  after(async () => {
    if (!api) return;
    fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    await restoreFixtureBacklog(api);
  });

  it('gives a new item the id after the ids on other branches', async () => {
    // A branch created FX-6; the user is back on main, where FX-6 is not in the working tree.
    git(folder, ['checkout', '-q', '-b', 'feature/routes']);
    fs.writeFileSync(taskFile('fx-6 - Branch-work.md'), '---\nid: FX-6\ntitle: Branch work\nstatus: To Do\n---\n');
    git(folder, ['add', 'backlog']);
    git(folder, ['commit', '-q', '-m', 'FX-6 on a branch']);
    git(folder, ['checkout', '-q', 'main']);
    await waitFor('FX-6 to leave the working tree', () => backlog() && !backlog()!.item('FX-6'), 20_000);
    const made = await api.applier.write(() => api.writer.createItem(root, { title: 'Made on main' }));
    try {
      assert.equal(made?.itemId, 'FX-7');
      assert.ok(fs.existsSync(taskFile('fx-7 - Made-on-main.md')));
    } finally {
      // Whatever it made goes, so that a failure here does not show up in the tests below.
      const file = made?.itemId !== undefined ? backlog()?.item(made.itemId)?.path : undefined;
      if (file) fs.rmSync(file);
      git(folder, ['branch', '-q', '-D', 'feature/routes']);
      await waitFor('the new item to be gone', () => backlog() && (made?.itemId === undefined || !backlog()!.item(made.itemId)), 20_000);
    }
  });

  it('shows what the branch did to the backlog, and follows file and HEAD changes', async () => {
    git(folder, ['checkout', '-q', '-b', 'plan-sprint-2']);
    await vscode.commands.executeCommand(`${'backlogAtlas.branchChanges'}.focus`);
    const view = api.branchChanges;
    const fx2 = taskFile('fx-2 - Index-saved-routes.md');
    const text = fixtureFiles('backlog')['tasks/fx-2 - Index-saved-routes.md'];
    // The branch moves FX-2 to Sprint 2 and re-estimates it, on disk as any editor would.
    fs.writeFileSync(fx2, text.replace('sprint: S-1', 'sprint: S-2').replace('estimate: 3', 'estimate: 5'));
    const result = await waitFor(
      'the view to show the move and the re-estimate',
      () => {
        const r = view.result(root);
        return r?.ok && r.diff.changes.length === 2 && r;
      },
      20_000,
    );
    assert.deepEqual(
      result.diff.changes.map((c) => `${c.id} ${c.kind}`),
      ['FX-2 moved', 'FX-2 re-estimated'],
    );
    assert.equal(result.base.name, 'main');
    const rows = view.getChildren().map((n) => view.getTreeItem(n));
    assert.deepEqual(
      rows.map((r) => r.label),
      ['2 changes since main', 'Moved', 'Re-estimated', 'Scope per sprint'],
    );
    const moved = view.getChildren(view.getChildren()[1]).map((n) => view.getTreeItem(n));
    assert.deepEqual(
      moved.map((r) => [r.label, r.description]),
      [['FX-2: sprint S-1 → S-2', 'Index saved routes']],
    );
    const scope = view.getChildren(view.getChildren()[3]).map((n) => view.getTreeItem(n));
    assert.deepEqual(
      scope.map((r) => r.label),
      ['S-1 Sprint 1', 'S-2 Sprint 2'],
    );
    assert.match(String(scope[0].description), /^\d+ → \d+ points \(-3\)$/);
    assert.match(String(scope[1].description), /^\d+ → \d+ points \(\+5\)$/);
    // The branch commits and the user goes back to main: HEAD moves, and there is nothing to show.
    git(folder, ['commit', '-q', '-am', 'plan FX-2']);
    git(folder, ['checkout', '-q', 'main']);
    await waitFor('the view to follow HEAD back to main', () => {
      const r = view.result(root);
      return r?.ok && r.diff.changes.length === 0;
    }, 20_000);
    assert.match(String(view.getTreeItem(view.getChildren()[0]).label), /^No changes since main$/);
  });

  it('repairs a duplicate id from its quick fix, with its references and TODOs, in one step that can be undone', async () => {
    // After a merge two files say FX-3; the second also names an epic, FX-1, which stays.
    const theirs = taskFile('fx-3 - Theirs.md');
    const theirsText = '---\nid: FX-3\ntitle: Theirs\nstatus: To Do\nepic: FX-1\n---\n\nKept as written.\n';
    fs.writeFileSync(theirs, theirsText);
    const uri = vscode.Uri.file(theirs);
    const problem = await waitFor('the duplicate-id error', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'duplicate-id'), 20_000).catch((e: Error) => {
      const seen = vscode.languages.getDiagnostics().map(([u, ds]) => `${u.toString()}: ${ds.map((d) => String(d.code)).join(',')}`);
      throw new Error(`${e.message}; FX-3 in ${JSON.stringify(backlog()?.byKey.get('FX-3')?.map((i) => i.path))}; problems: ${seen.join(' | ')}; looked at ${uri.toString()}`);
    });
    await vscode.window.showTextDocument(uri);
    // The light bulb's fixes, as the user would open them: the diagnostics are published again
    // whenever the index changes (the editor just opened, say), so ask until they are offered.
    let actions: vscode.CodeAction[] = [];
    const offered = () => actions.some((a) => a.title === 'Give this item a new id (references stay with the other)');
    for (const deadline = Date.now() + 20_000; !offered() && Date.now() < deadline; ) {
      const range = vscode.languages.getDiagnostics(uri).find((d) => d.code === 'duplicate-id')?.range ?? problem.range;
      actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
      if (!offered()) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const codes = vscode.languages.getDiagnostics(uri).map((d) => String(d.code));
    assert.ok(offered(), `offered: ${actions.map((a) => a.title).join(' / ')}; problems: ${codes.join(', ')}`);
    const fix = actions.find((a) => a.title === 'Give this item a new id and move the references to it');
    assert.ok(fix?.command, actions.map((a) => a.title).join(' / '));
    await api.todoIndex.ready();
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const renamed = taskFile('fx-6 - Theirs.md');
    await waitFor('FX-6 in its renamed file', () => backlog()?.item('FX-6')?.path === vscode.Uri.file(renamed).path, 20_000);
    assert.equal(fs.existsSync(theirs), false);
    assert.match(fs.readFileSync(renamed, 'utf8'), /^---\nid: FX-6\ntitle: Theirs\nstatus: To Do\nepic: FX-1\nupdated_date: '?\d{4}-\d\d-\d\d \d\d:\d\d'?\n---\n\nKept as written\.\n$/);
    // The TODO in code that named FX-3 follows it.
    const cache = path.join(folder, 'src', 'tiles', 'cache.py');
    const code = fixtureFiles('src')['tiles/cache.py'];
    assert.equal(fs.readFileSync(cache, 'utf8'), code.replace('TODO(FX-3)', 'TODO(FX-6)'));
    await waitFor('the duplicate-id error to go', () => !vscode.languages.getDiagnostics().some(([, ds]) => ds.some((d) => d.code === 'duplicate-id')), 20_000);
    // One undo puts the file back under its name, as it was.
    await vscode.commands.executeCommand('backlogAtlas.undo');
    await waitFor('the file back as it was', () => fs.existsSync(theirs) && !fs.existsSync(renamed), 20_000);
    assert.equal(fs.readFileSync(theirs, 'utf8'), theirsText);
    assert.equal(fs.readFileSync(cache, 'utf8'), code);
    fs.rmSync(theirs);
    await waitFor('the duplicate gone', () => backlog()?.byKey.get('FX-3')?.length === 1, 20_000);
  });

  it('spreads equal ranks apart from the warning’s quick fix, changing only the tied item', async () => {
    // A merge left FX-8 at FX-2's place: the same rank.
    const tied = taskFile('fx-8 - Tied.md');
    fs.writeFileSync(tied, '---\nid: FX-8\ntitle: Tied\nstatus: To Do\nrank: a1\n---\n');
    const uri = vscode.Uri.file(tied);
    const warning = await waitFor('the equal-rank warning', () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'equal-rank'), 20_000);
    assert.match(warning.message, /FX-8 has the same rank as FX-2/);
    const before = fixtureFiles('backlog');
    await vscode.window.showTextDocument(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, warning.range);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const fix = actions.find((a) => a.title === 'Spread the equal ranks apart');
    assert.ok(fix?.command, actions.map((a) => a.title).join(' / '));
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor('FX-8 ranked after FX-2', () => backlog()?.item('FX-8')?.rank !== 'a1' && backlog()?.item('FX-8'), 20_000);
    assert.match(fs.readFileSync(tied, 'utf8'), /^---\nid: FX-8\ntitle: Tied\nstatus: To Do\nrank: a1\w+\n---\n$/);
    const order = backlog()!.allOrdered().map((i) => i.id);
    assert.equal(order.indexOf('FX-8'), order.indexOf('FX-2') + 1);
    // No other file changed.
    for (const [rel, text] of Object.entries(before)) if (rel.startsWith('tasks/')) assert.equal(fs.readFileSync(path.join(folder, 'backlog', rel), 'utf8'), text, rel);
    fs.rmSync(tied);
    await waitFor('FX-8 gone', () => backlog() && !backlog()!.item('FX-8'), 20_000);
  });
});
