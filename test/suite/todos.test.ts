// The TODO index and the Tech Debt view in real VS Code, on the fixture's src/ folder. Every
// test starts from this file's backlog and the fixture's code as the repository has it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ViewKind, ViewNode } from '../../src/vscode/trees/backlogTreeProvider';
import type { DebtNode } from '../../src/vscode/trees/techDebtView';
import type { CodeTodo } from '../../src/vscode/todos/todoIndex';
import { extensionApi, fixtureUri, readDisk, restoreCode, revertAndClose, syncBacklog, waitFor, writeDisk } from './helpers';

/** The fixture files this suite owns; other suites may add TODOs elsewhere. */
const OURS = ['src/search/offline.ts', 'src/tiles/cache.py', 'src/tiles/schema.sql'];

/** `file:line(0-based) TAG ref`, sorted, for TODOs in our files. */
function summary(todos: readonly CodeTodo[]): string[] {
  return todos
    .map((t) => ({ t, rel: vscode.workspace.asRelativePath(t.uri, false) }))
    .filter(({ rel }) => OURS.includes(rel) || rel.startsWith('src/tiles/new'))
    .map(({ t, rel }) => `${rel}:${t.line} ${t.tag}${t.ref ? ` ${t.ref.id}` : ''}`)
    .sort();
}

/** Items for this suite: earlier suites replace the fixture's backlog with their own. */
const ITEMS: Record<string, { title: string; type: string; status: string; rank: string }> = {
  'FX-2': { title: 'Index saved routes', type: 'story', status: 'To Do', rank: 'a0' },
  'FX-3': { title: 'Search box on the map', type: 'story', status: 'To Do', rank: 'a1' },
  'FX-6': { title: 'Untangle the tile cache', type: 'debt', status: 'In Progress', rank: 'a2' },
  'FX-4': { title: 'Results ignore accents', type: 'bug', status: 'To Do', rank: 'a3' },
  'FX-7': { title: 'Drop the old tokenizer', type: 'debt', status: 'Done', rank: 'a4' },
};

const FILES: Record<string, string> = {
  'config.yml': 'project_name: "Todos"\ntask_prefix: "fx"\nstatuses: ["To Do", "In Progress", "Done"]\ndone_statuses: ["Done"]\n',
  ...Object.fromEntries(
    Object.entries(ITEMS).map(([id, it]) => [
      `tasks/${id.toLowerCase()} - ${it.title.replace(/ /g, '-')}.md`,
      ['---', `id: ${id}`, `title: ${it.title}`, `status: ${it.status}`, `type: ${it.type}`, `rank: ${it.rank}`, '---', ''].join('\n'),
    ]),
  ),
};

describe('TODO comments in code', () => {
  let api: ExtensionApi;

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await syncBacklog(api, FILES);
    await vscode.workspace.fs.delete(fixtureUri('src', 'tiles', 'new.rs'), { useTrash: false }).then(undefined, () => undefined);
    // The prefix comes with the backlog: the code is scanned again when it changes.
    await waitFor('the TODO matcher for the FX prefix', () => api.todoIndex.matcher().options.prefixes.join() === 'FX', 20_000);
    await api.todoIndex.ready();
    await api.todoIndex.whenIdle();
    await restoreCode(api, OURS);
    await waitFor('new.rs to leave the TODO index', () => !summary(api.todoIndex.all()).some((t) => t.startsWith('src/tiles/new.rs')), 15_000);
  });

  it('finds every TODO in comments, in several languages, and nothing in strings or identifiers', () => {
    assert.deepEqual(summary(api.todoIndex.all()), [
      'src/search/offline.ts:10 HACK',
      'src/search/offline.ts:2 TODO FX-4',
      'src/search/offline.ts:4 FIXME FX-2',
      'src/tiles/cache.py:0 XXX',
      'src/tiles/cache.py:3 TODO FX-3',
      'src/tiles/schema.sql:1 TODO',
    ]);
    assert.deepEqual(summary(api.todoIndex.byItem('fx-04')), ['src/search/offline.ts:2 TODO FX-4']);
    assert.deepEqual(summary(api.todoIndex.unlinked()), ['src/search/offline.ts:10 HACK', 'src/tiles/cache.py:0 XXX', 'src/tiles/schema.sql:1 TODO']);
    const [fix] = api.todoIndex.todosIn(fixtureUri('src', 'search', 'offline.ts')).filter((t) => t.tag === 'FIXME');
    assert.equal(fix.text, 'index saved routes lazily');
    assert.deepEqual([fix.column, fix.ref?.column, fix.ref?.endColumn], [5, 12, 16]);
    assert.deepEqual(api.todoIndex.matcher().options.prefixes, ['FX']);
  });

  it('follows an open document as it is edited, before it is saved', async () => {
    const uri = fixtureUri('src', 'tiles', 'schema.sql');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    try {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), '-- FIXME(FX-2): one more\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      // todosIn reads the document's current text at once.
      assert.deepEqual(
        api.todoIndex.todosIn(uri).map((t) => `${t.line} ${t.tag} ${t.ref?.id ?? '-'}`),
        ['0 FIXME FX-2', '2 TODO -'],
      );
      await waitFor('the edit in byItem', () => summary(api.todoIndex.byItem('FX-2')).includes('src/tiles/schema.sql:0 FIXME FX-2'));
    } finally {
      await revertAndClose();
    }
    await waitFor('the disk text again after closing', () => !summary(api.todoIndex.byItem('FX-2')).includes('src/tiles/schema.sql:0 FIXME FX-2'));
    assert.deepEqual(summary(api.todoIndex.todosIn(uri)), ['src/tiles/schema.sql:1 TODO']);
  });

  it('picks up a file written on disk, and forgets it when deleted', async () => {
    const uri = fixtureUri('src', 'tiles', 'new.rs');
    await writeDisk(uri, 'fn main() {}\n// BUG(FX-4): tiles flicker\nlet s = "TODO: not this";\n');
    await waitFor('the new file in the index', () => summary(api.todoIndex.byItem('FX-4')).includes('src/tiles/new.rs:1 BUG FX-4'), 15_000);
    assert.deepEqual(summary(api.todoIndex.todosIn(uri)), ['src/tiles/new.rs:1 BUG FX-4']);
    await vscode.workspace.fs.delete(uri);
    await waitFor('the deleted file to leave the index', () => !summary(api.todoIndex.all()).some((s) => s.startsWith('src/tiles/new.rs')), 15_000);
  });

  describe('the Tech Debt view', () => {
    const provider = () => api.techDebt.provider;
    const label = (n: DebtNode) => String(provider().getTreeItem(n).label);
    const description = (n: DebtNode) => String(provider().getTreeItem(n).description ?? '');

    it('lists open debt and bug items with their code references, then the unlinked TODOs by folder and file', async () => {
      provider().refresh();
      const top = provider().getChildren();
      const items = top.filter((n): n is Extract<DebtNode, { kind: 'item' }> => n.kind === 'item');
      // Open debt and bug items in rank order: no stories, and not the finished FX-7.
      assert.deepEqual(
        items.map((n) => n.id),
        ['FX-6', 'FX-4'],
      );
      assert.equal(label(items[0]), 'Untangle the tile cache');
      assert.equal(description(items[0]), 'FX-6 · In Progress');
      assert.equal(top.length, 3);
      assert.equal(top[2].kind, 'unlinked');

      const fx4 = items.find((n) => n.id === 'FX-4')!;
      // Other suites' fixtures may name FX-4 too; this suite checks its own files.
      assert.match(description(fx4), /^FX-4 · To Do · \d+ code references?$/);
      const refs = provider().getChildren(fx4).filter((r) => OURS.some((f) => label(r).startsWith(`${f}:`)));
      assert.deepEqual(
        refs.map((r) => [label(r), description(r)]),
        [['src/search/offline.ts:3', 'fold accents before comparing']],
      );
      const click = provider().getTreeItem(refs[0]).command;
      assert.equal(click?.command, 'vscode.open');
      const options = click?.arguments?.[1] as vscode.TextDocumentShowOptions;
      assert.deepEqual([options.selection?.start.line, options.selection?.start.character], [2, 5]);

      const unlinked = top[top.length - 1];
      assert.equal(label(unlinked), 'Unlinked TODOs');
      const folders = provider().getChildren(unlinked);
      const search = folders.find((f) => label(f) === 'src/search')!;
      const tiles = folders.find((f) => label(f) === 'src/tiles')!;
      assert.deepEqual([description(search), description(tiles)], ['1', '2']);
      const files = provider().getChildren(tiles);
      assert.deepEqual(
        files.map((f) => `${label(f)} ${description(f)}`),
        ['cache.py 1', 'schema.sql 1'],
      );
      assert.deepEqual(
        provider().getChildren(files[1]).map((t) => `${label(t)} | ${description(t)}`),
        ['add an index on the zoom level | TODO · line 2'],
      );
    });

    it('shows an item\'s code references in the other backlog views too', () => {
      const find = (view: ViewKind, id: string): ViewNode | undefined => {
        const p = api.views.providers[view];
        const walk = (nodes: ViewNode[], depth: number): ViewNode | undefined => {
          for (const n of nodes) {
            if (n.kind === 'item' && n.id === id) return n;
            const deeper = depth < 3 && n.kind !== 'code-refs' ? walk(p.getChildren(n), depth + 1) : undefined;
            if (deeper) return deeper;
          }
          return undefined;
        };
        return walk(p.getChildren(), 0);
      };
      const p = api.views.providers.product;
      const fx2 = find('product', 'FX-2');
      assert.ok(fx2, 'FX-2 is in the Product Backlog');
      const group = p.getChildren(fx2).find((n) => n.kind === 'code-refs');
      assert.ok(group, 'FX-2 has a code references row');
      assert.match(String(p.getTreeItem(group).label), /^\d+ code references?$/);
      assert.deepEqual(
        p
          .getChildren(group)
          .map((n): [string, unknown] => [String(p.getTreeItem(n).label), p.getTreeItem(n).description])
          .filter(([l]) => OURS.some((f) => l.startsWith(`${f}:`))),
        [['src/search/offline.ts:5', 'index saved routes lazily']],
      );
    });

    it('links an unlinked TODO dropped onto an item by rewriting its comment, and only that line', async () => {
      const uri = fixtureUri('src', 'tiles', 'schema.sql');
      const before = await readDisk(uri);
      const top = provider().getChildren();
      const tiles = provider().getChildren(top[top.length - 1]).find((f) => label(f) === 'src/tiles')!;
      const schema = provider().getChildren(tiles).find((f) => label(f) === 'schema.sql')!;
      const [todo] = provider().getChildren(schema);
      const fx4 = top.find((n) => n.kind === 'item' && n.id === 'FX-4')!;

      const transfer = new vscode.DataTransfer();
      provider().handleDrag([todo], transfer);
      await provider().handleDrop(fx4, transfer, new vscode.CancellationTokenSource().token);

      const after = await readDisk(uri);
      const a = before.split('\n');
      const b = after.split('\n');
      assert.equal(b.length, a.length);
      const changed = a.flatMap((line, i) => (line === b[i] ? [] : [i]));
      assert.deepEqual(changed, [1]);
      assert.equal(b[1], '-- TODO(FX-4): add an index on the zoom level');
      await waitFor('the link in the index', () => summary(api.todoIndex.byItem('FX-4')).includes('src/tiles/schema.sql:1 TODO FX-4'), 15_000);
      assert.ok(!summary(api.todoIndex.unlinked()).includes('src/tiles/schema.sql:1 TODO'));
    });
  });
});

describe('how the code is scanned', () => {
  it('uses the ripgrep VS Code ships, in a trusted workspace', async function () {
    if (!vscode.workspace.isTrusted) this.skip(); // The untrusted pass checks the other side below.
    const api = await extensionApi();
    await api.todoIndex.ready();
    const rg = await api.todoIndex.scanner.ripgrep();
    assert.ok(rg?.startsWith(vscode.env.appRoot), `ripgrep at ${rg ?? '(none)'}, not under ${vscode.env.appRoot}`);
    assert.equal(api.todoIndex.scanner.lastMethod, 'ripgrep');
  });

  it('finds TODOs without starting a process in an untrusted workspace', async function () {
    if (vscode.workspace.isTrusted) this.skip(); // Only the untrusted pass opens a Restricted Mode window.
    const api = await extensionApi();
    await api.todoIndex.ready();
    assert.equal(api.todoIndex.scanner.lastMethod, 'file system');
    assert.deepEqual(
      api.todoIndex.all().map((t) => `${vscode.workspace.asRelativePath(t.uri, false)}:${t.line} ${t.tag} ${t.ref?.id ?? '-'}`),
      ['src/app.ts:0 TODO BL-1'],
    );
  });
});
