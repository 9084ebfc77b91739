// The Sprints, Releases and Product Backlog trees and their drag-and-drop, in real VS Code.
// Every test starts from this file's own backlog, written before it (a drop changes files), on a
// clock pinned inside the active sprint S-2 (2026-01-19 to 01-30).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { itemTooltip, type ViewKind, type ViewNode } from '../../src/vscode/trees/backlogTreeProvider';
import { parseItemFile } from '../../src/core/format/itemFile';
import { extensionApi, fixtureUri, pinClock, readDisk, revertAndClose, syncBacklog, waitFor, writeDisk } from './helpers';

const FILES: Record<string, string> = {
  'config.yml': [
    'project_name: "Views"',
    'task_prefix: "vw"',
    'statuses: ["To Do", "In Progress", "Done"]',
    'done_statuses: ["Done"]',
    'types: [epic, story, task, bug, spike, debt, improvement, opportunity]',
    '',
  ].join('\n'),
  'sprints.yml': [
    'sprints:',
    "  - {id: S-1, name: Sprint 1, start: '2026-01-05', end: '2026-01-16', capacity: 10, state: closed}",
    "  - {id: S-2, name: Sprint 2, start: '2026-01-19', end: '2026-01-30', goal: 'Plan a <b>trip</b>', capacity: 10, state: active}",
    "  - {id: S-3, name: Sprint 3, start: '2026-02-02', end: '2026-02-13', capacity: 10, state: planned}",
    '',
  ].join('\n'),
  'releases.yml': ['releases:', "  - {id: R-1, name: Views 1.0, date: '2027-01-15', goal: First release}", ''].join('\n'),
  'milestones/m-1 - beta.md': ['---', 'id: m-1', 'title: "Beta"', "due_date: '2027-03-01'", '---', '', 'The beta.', ''].join('\n'),
};

interface ItemSpec {
  id: string;
  title: string;
  extra: string[];
}

const ITEMS: ItemSpec[] = [
  { id: 'VW-1', title: 'Trip planning', extra: ['type: epic', 'rank: a0'] },
  { id: 'VW-2', title: 'Pick a date', extra: ['type: story', 'epic: VW-1', 'estimate: 3', 'sprint: S-2', 'release: R-1', 'rank: a1'] },
  { id: 'VW-3', title: 'Invite friends', extra: ['type: story', 'epic: VW-1', 'estimate: 5', 'sprint: S-2', 'rank: a2'], },
  { id: 'VW-4', title: 'Dates shift by a day', extra: ['type: bug', 'size: M', 'sprint: S-2', 'rank: a3'] },
  { id: 'VW-5', title: 'Clean up the packing list code', extra: ['type: task', 'estimate: 2', "assignee: ['@maria']", 'rank: a4'] },
  { id: 'VW-6', title: 'Weather on the trip page', extra: ['type: story', 'estimate: 1', 'rank: a5'] },
  { id: 'VW-7', title: 'Sell gear to other hikers', extra: ['type: opportunity', 'rank: a6'] },
  { id: 'VW-8', title: 'Use <b>bold</b> [link](command:workbench.action.quit)', extra: ['type: story', 'estimate: 2', 'milestone: m-1', 'rank: a7'] },
  { id: 'VW-9', title: 'Sign in', extra: ['type: story', 'estimate: 3', 'sprint: S-1', 'rank: a8'] },
];

const STATUS: Record<string, string> = { 'VW-3': 'Done', 'VW-9': 'Done', 'VW-2': 'In Progress' };

function fileName(spec: ItemSpec): string {
  return `${spec.id.toLowerCase()} - ${spec.title.replace(/[<>:"/\\|?*]/g, '-').replace(/[()[\]]/g, '').replace(/\s+/g, '-')}.md`;
}

/** The backlog every test starts from, by path under backlog/. */
const BACKLOG: Record<string, string> = {
  ...FILES,
  ...Object.fromEntries(
    ITEMS.map((spec) => [
      `tasks/${fileName(spec)}`,
      ['---', `id: ${spec.id}`, `title: '${spec.title}'`, `status: ${STATUS[spec.id] ?? 'To Do'}`, ...spec.extra, '---', '', '## Description', '', '<!-- SECTION:DESCRIPTION:BEGIN -->', `About ${spec.id}: *not* a [link](command:workbench.action.quit).`, '<!-- SECTION:DESCRIPTION:END -->', '', '## Acceptance Criteria', '<!-- AC:BEGIN -->', '- [x] #1 One', '- [ ] #2 Two', '<!-- AC:END -->', ''].join('\n'),
    ]),
  ),
};

function itemUri(id: string): vscode.Uri {
  return fixtureUri('backlog', 'tasks', fileName(ITEMS.find((i) => i.id === id)!));
}

const token = new vscode.CancellationTokenSource().token;

describe('the backlog views', () => {
  let api: ExtensionApi;

  pinClock('2026-01-26');
  /** A file as an edit leaves it: `updated_date` stamped last in the front matter, as the clock says. */
  const stamped = (text: string) => text.replace(/\n---\n/, "\nupdated_date: '2026-01-26 00:00'\n---\n");

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, BACKLOG, (b) => b.items().length === ITEMS.length && b.releases().length === 2);
    // The views redraw a moment after the index changes (changes come in runs).
    await waitFor('the views to show this backlog', () => /^\$\(rocket\) Sprint 2 · 5\/13 pts/.test(api.views.statusBar.text));
  });

  const children = (view: ViewKind, node?: ViewNode) => api.views.providers[view].getChildren(node);
  const labels = (view: ViewKind, nodes: ViewNode[]) => nodes.map((n) => String(api.views.providers[view].getTreeItem(n).label));
  const ids = (nodes: ViewNode[]) => nodes.map((n) => (n.kind === 'item' || n.kind === 'sprint' || n.kind === 'release' ? n.id : n.kind === 'group' ? n.label : n.kind));
  const sprintNode = (id: string) => children('sprints').find((n) => n.kind === 'sprint' && n.id === id)!;
  const releaseNode = (id: string) => children('releases').find((n) => n.kind === 'release' && n.id === id)!;
  const productItem = (id: string) => children('product').find((n) => n.kind === 'item' && n.id === id)!;
  const sprintItem = (sprint: string, id: string) => children('sprints', sprintNode(sprint)).find((n) => n.kind === 'item' && n.id === id)!;

  /** Drags rows out of one view and drops them in another, as the workbench does. */
  async function dragAndDrop(from: ViewKind, nodes: ViewNode[], to: ViewKind, target: ViewNode | undefined): Promise<void> {
    const transfer = new vscode.DataTransfer();
    await api.views.controllers[from].handleDrag(nodes, transfer);
    await api.views.controllers[to].handleDrop(target, transfer, token);
    await api.whenIdle();
  }

  it('lists sprints active first (expanded, with its backlog in rank order), then planned, then closed', () => {
    const sprints = children('sprints');
    assert.deepEqual(ids(sprints), ['S-2', 'S-3', 'S-1']);
    const active = api.views.providers.sprints.getTreeItem(sprints[0]);
    assert.equal(active.label, 'Sprint 2');
    assert.equal(active.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.equal(active.contextValue, 'sprint.active');
    // 3 + 5 (done) + M (5) = 13 points against a capacity of 10: over, so a warning icon.
    // The clock is pinned four days before the sprint's end.
    assert.equal(active.description, '5/13 pts of 10 · 4d left');
    assert.equal((active.iconPath as vscode.ThemeIcon).id, 'warning');
    const tip = active.tooltip as vscode.MarkdownString;
    assert.equal(tip.isTrusted, false);
    assert.ok(!tip.value.includes('<b>'), `the goal's HTML must be escaped: ${tip.value}`);
    assert.equal(api.views.providers.sprints.getTreeItem(sprints[1]).description, '0/0 pts of 10 · starts in 7d');
    assert.equal(api.views.providers.sprints.getTreeItem(sprints[2]).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(api.views.providers.sprints.getTreeItem(sprints[2]).contextValue, 'sprint.closed');
    assert.deepEqual(ids(children('sprints', sprints[0])), ['VW-2', 'VW-3', 'VW-4']);
    assert.deepEqual(ids(children('sprints', sprints[2])), ['VW-9']);
  });

  it('lists releases by date with progress, and their backlogs', () => {
    const releases = children('releases');
    assert.deepEqual(ids(releases), ['R-1', 'm-1']);
    assert.deepEqual(labels('releases', releases), ['Views 1.0', 'Beta']);
    assert.equal(api.views.providers.releases.getTreeItem(releases[0]).description, '2027-01-15 · 0/3 pts');
    assert.equal(api.views.providers.releases.getTreeItem(releases[0]).contextValue, 'release');
    assert.deepEqual(ids(children('releases', releases[0])), ['VW-2']);
    assert.deepEqual(ids(children('releases', releases[1])), ['VW-8']);
  });

  it('lists the product backlog in rank order, where each item is planned, and opportunities last', () => {
    const rows = children('product');
    assert.deepEqual(ids(rows), ['VW-1', 'VW-2', 'VW-4', 'VW-5', 'VW-6', 'VW-8', 'Opportunities']);
    const p = api.views.providers.product;
    assert.equal(p.getTreeItem(rows[1]).description, 'VW-2 · 3 pts · In Progress · Sprint 2, Views 1.0');
    assert.equal(p.getTreeItem(rows[2]).description, 'VW-4 · M · To Do · Sprint 2');
    const opportunities = children('product', rows[6]);
    assert.deepEqual(ids(opportunities), ['VW-7']);
    assert.equal(p.getTreeItem(opportunities[0]).contextValue, 'backlogItem.opportunity');
    // The epic expands to its stories, done ones included.
    const epic = p.getTreeItem(rows[0]);
    assert.equal(epic.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal((epic.iconPath as vscode.ThemeIcon).id, 'symbol-class');
    assert.deepEqual(ids(children('product', rows[0])), ['VW-2', 'VW-3']);
    // Rows keep their ids across refreshes, and a story under its epic has an id of its own.
    assert.equal(p.getTreeItem(children('product')[1]).id, p.getTreeItem(rows[1]).id);
    assert.notEqual(p.getTreeItem(children('product', rows[0])[0]).id, p.getTreeItem(rows[1]).id);
  });

  it('draws item rows with a type icon, an open command and an escaped tooltip', () => {
    const p = api.views.providers.product;
    const node = productItem('VW-8');
    const row = p.getTreeItem(node);
    assert.equal(row.label, 'Use <b>bold</b> [link](command:workbench.action.quit)');
    assert.equal((row.iconPath as vscode.ThemeIcon).id, 'bookmark');
    assert.equal(row.contextValue, 'backlogItem');
    assert.equal(row.command?.command, 'backlogAtlas.openItem');
    assert.equal(row.resourceUri?.path, itemUri('VW-8').path);
    const tip = p.resolveTreeItem(row, node).tooltip as vscode.MarkdownString;
    assert.equal(tip.isTrusted, false);
    assert.equal(tip.supportHtml, false);
    assert.doesNotMatch(tip.value, /\]\(command:/, 'no command link may survive from user text');
    assert.doesNotMatch(tip.value, /<b>/);
    // appendText turns spaces into &nbsp;.
    assert.match(tip.value.replace(/&nbsp;/g, ' '), /Acceptance criteria: 1\/2 done/);
    assert.equal((p.getTreeItem(productItem('VW-4')).iconPath as vscode.ThemeIcon).id, 'bug');
  });

  it("shows the rest of what Backlog.md records on a task in its tooltip, as text", () => {
    const backlog = api.index.roots()[0];
    const text = [
      '---',
      'id: VW-20',
      'title: Everything',
      'status: To Do',
      'reporter: "@bob"',
      'references: [https://example.com/spec]',
      'documentation: [docs/offline.md]',
      'due_date: 2026-02-20',
      '---',
      '## Definition of Done',
      '<!-- DOD:BEGIN -->',
      '- [x] #1 Tests pass',
      '- [ ] #2 Docs updated',
      '<!-- DOD:END -->',
      '## Implementation Plan',
      '<!-- SECTION:PLAN:BEGIN -->',
      'Cache tiles, then [draw](command:workbench.action.quit) them.',
      '<!-- SECTION:PLAN:END -->',
      '## Final Summary',
      '<!-- SECTION:FINAL_SUMMARY:BEGIN -->',
      'Shipped behind a flag.',
      '<!-- SECTION:FINAL_SUMMARY:END -->',
      '',
    ].join('\n');
    const { item } = parseItemFile(`${backlog.root}/tasks/vw-20 - Everything.md`, new TextEncoder().encode(text), { root: backlog.root, folder: 'tasks', config: backlog.config });
    assert.ok(item);
    const tip = itemTooltip(backlog, item);
    const shown = tip.value.replace(/&nbsp;/g, ' ').replace(/\\/g, '');
    assert.match(shown, /Definition of Done: 1\/2 done/);
    assert.match(shown, /\*\*Implementation plan\*\*\s+Cache tiles, then \[draw\]\(command:workbench\.action\.quit\) them\./);
    assert.match(shown, /\*\*Final summary\*\*\s+Shipped behind a flag\./);
    assert.match(shown, /References: https:\/\/example\.com\/spec · Documentation: docs\/offline\.md · Reported by @bob/);
    assert.match(shown, /due 2026-02-20/);
    // User text stays text: the command link is escaped, not a link.
    assert.doesNotMatch(tip.value, /\]\(command:/);
    assert.equal(tip.isTrusted, false);
  });

  it('shows the active sprint in the status bar, with the days it has left', () => {
    assert.equal(api.views.statusBar.text, '$(rocket) Sprint 2 · 5/13 pts · 4d left');
  });

  it('counts the days left by the clock, and says when the sprint has ended', () => {
    const description = () => api.views.providers.sprints.getTreeItem(sprintNode('S-2')).description;
    try {
      // setClock redraws the views and the status bar by itself.
      api.setClock('2026-01-30');
      assert.equal(description(), '5/13 pts of 10 · last day');
      api.setClock('2026-02-02');
      assert.equal(description(), '5/13 pts of 10 · ended 3d ago');
      assert.equal(api.views.statusBar.text, '$(rocket) Sprint 2 · 5/13 pts · ended 3d ago');
    } finally {
      api.setClock('2026-01-26');
    }
  });

  it('filters, groups and hides planned items on request', async () => {
    const { options } = api.views;
    try {
      options.update({ filter: { assignee: 'maria' } });
      assert.deepEqual(ids(children('product')), ['VW-5']);
      assert.equal(api.views.treeViews.product.description, 'Filter: @maria');
      options.update({ filter: { text: 'trip' } });
      assert.deepEqual(ids(children('product')), ['VW-1', 'VW-6']);
      options.update({ filter: {}, hidePlanned: true });
      assert.deepEqual(ids(children('product')), ['VW-1', 'VW-5', 'VW-6', 'Opportunities']);
      options.update({ hidePlanned: false, groupBy: 'epic' });
      const groups = children('product');
      assert.deepEqual(ids(groups), ['VW-1 Trip planning', 'No epic', 'Opportunities']);
      assert.deepEqual(ids(children('product', groups[0])), ['VW-2']);
      assert.deepEqual(ids(children('product', groups[1])), ['VW-4', 'VW-5', 'VW-6', 'VW-8']);
      options.update({ groupBy: 'type' });
      assert.deepEqual(ids(children('product')), ['epic', 'story', 'task', 'bug', 'Opportunities']);
    } finally {
      options.update({ filter: {}, groupBy: 'none', hidePlanned: false });
    }
    assert.equal(api.views.treeViews.product.description, undefined);
  });

  it('moves a story to another sprint with a drop that changes one line of one file', async () => {
    const before = new Map(await Promise.all(ITEMS.map(async (i) => [i.id, await readDisk(itemUri(i.id))] as const)));
    await dragAndDrop('sprints', [sprintItem('S-2', 'VW-4')], 'sprints', sprintNode('S-3'));
    assert.deepEqual(ids(children('sprints', sprintNode('S-3'))), ['VW-4']);
    assert.deepEqual(ids(children('sprints', sprintNode('S-2'))), ['VW-2', 'VW-3']);
    for (const spec of ITEMS) {
      const now = await readDisk(itemUri(spec.id));
      if (spec.id !== 'VW-4') assert.equal(now, before.get(spec.id), `${spec.id} must not change`);
      else {
        // The sprint line, and the stamp Backlog.md too puts on an edit; nothing else.
        assert.equal(now, stamped(before.get(spec.id)!.replace('sprint: S-2', 'sprint: S-3')));
      }
    }
  });

  it('moves several items at once, keeping their order, before the item they are dropped on', async () => {
    // VW-4 in S-3 first, to drop onto.
    const moved = await api.writer.setField('VW-4', 'sprint', 'S-3');
    assert.ok(moved.ok && (await api.applier.apply(moved.operations)), 'VW-4 could not be put in S-3');
    await api.whenIdle();
    assert.deepEqual(ids(children('sprints', sprintNode('S-3'))), ['VW-4']);
    // Selected in the other order: the drop keeps the backlog's order, not the clicks'.
    await dragAndDrop('product', [productItem('VW-5'), productItem('VW-2')], 'sprints', sprintItem('S-3', 'VW-4'));
    assert.deepEqual(ids(children('sprints', sprintNode('S-3'))), ['VW-2', 'VW-5', 'VW-4']);
    assert.deepEqual(ids(children('product')).slice(0, 4), ['VW-1', 'VW-2', 'VW-5', 'VW-4']);
    const vw5 = await readDisk(itemUri('VW-5'));
    assert.match(vw5, /^sprint: S-3$/m);
  });

  it('plans a story whose drag lost its own data, from the handles VS Code keeps', async () => {
    // What the workbench delivers when the drop ends the drag before the extension host has
    // answered handleDrag: no items of ours, only its record of the dragged rows' handles.
    const transfer = new vscode.DataTransfer();
    const handle = (node: ViewNode) => `1/${api.views.providers.product.getTreeItem(node).id}`;
    transfer.set('application/vnd.code.tree.backlogatlas.productbacklog', new vscode.DataTransferItem(JSON.stringify({ id: 'backlogAtlas.productBacklog', itemHandles: [handle(productItem('VW-8'))] })));
    await api.views.controllers.sprints.handleDrop(sprintNode('S-3'), transfer, token);
    assert.match(await readDisk(itemUri('VW-8')), /^sprint: S-3$/m);
    assert.deepEqual(ids(children('sprints', sprintNode('S-3'))), ['VW-8']);
  });

  it("reorders within a list by writing the moved item's rank and Backlog.md's ordinal alone", async () => {
    const before = await readDisk(itemUri('VW-8'));
    await dragAndDrop('product', [productItem('VW-8')], 'product', productItem('VW-1'));
    assert.deepEqual(ids(children('product')).slice(0, 2), ['VW-8', 'VW-1']);
    const after = await readDisk(itemUri('VW-8'));
    // To the top of a backlog Backlog.md has not ordered: its first ordinal, so its board agrees.
    assert.equal(after, before.replace(/^rank: .*$/m, after.match(/^rank: .*$/m)![0]).replace(/\n---\n/, '\nordinal: 1000\n---\n'));
    assert.notEqual(after.match(/^rank: .*$/m)![0], before.match(/^rank: .*$/m)![0]);
  });

  it('takes an item out of its sprint when it is dropped back into the product backlog', async () => {
    const before = await readDisk(itemUri('VW-4'));
    await dragAndDrop('sprints', [sprintItem('S-2', 'VW-4')], 'product', undefined);
    // Only the sprint line goes: the item keeps its rank, so its priority is unchanged.
    const after = await readDisk(itemUri('VW-4'));
    assert.equal(after, stamped(before.replace(/^sprint: .*\n/m, '')));
    assert.notEqual(after, before);
    assert.deepEqual(ids(children('sprints', sprintNode('S-2'))), ['VW-2', 'VW-3']);
    assert.deepEqual(ids(children('product')).slice(0, 4), ['VW-1', 'VW-2', 'VW-4', 'VW-5'], 'VW-4 kept its place');
    assert.equal(api.views.providers.product.getTreeItem(productItem('VW-4')).description, 'VW-4 · M · To Do');
  });

  it('moves an item to a release, leaving the release it was in', async () => {
    await dragAndDrop('product', [productItem('VW-8')], 'releases', releaseNode('R-1'));
    const text = await readDisk(itemUri('VW-8'));
    assert.match(text, /^release: R-1$/m);
    assert.doesNotMatch(text, /^milestone:/m);
    assert.deepEqual(ids(children('releases', releaseNode('m-1'))), []);
  });

  it('refuses drops that make no sense and writes nothing', async () => {
    const before = await Promise.all(ITEMS.map((i) => readDisk(itemUri(i.id))));
    await dragAndDrop('product', [productItem('VW-6')], 'product', productItem('VW-6'));
    await dragAndDrop('product', [productItem('VW-6')], 'sprints', sprintNode('S-1'));
    const opportunity = children('product', children('product').find((n) => n.kind === 'group')!)[0];
    await dragAndDrop('product', [opportunity], 'sprints', sprintNode('S-3'));
    await dragAndDrop('product', [opportunity], 'product', productItem('VW-1'));
    assert.deepEqual(await Promise.all(ITEMS.map((i) => readDisk(itemUri(i.id)))), before);
  });

  it('drops onto a file with unsaved changes without losing or saving them', async () => {
    const uri = itemUri('VW-6');
    const onDisk = await readDisk(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    try {
      const typed = '\nNotes typed but not saved.\n';
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, doc.positionAt(doc.getText().length), typed);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await api.whenIdle();
      await dragAndDrop('product', [productItem('VW-6')], 'sprints', sprintNode('S-2'));
      assert.ok(doc.getText().includes(typed), 'the unsaved text is gone');
      assert.match(doc.getText(), /^sprint: S-2$/m);
      assert.ok(doc.isDirty);
      assert.equal(await readDisk(uri), onDisk, 'nothing may reach the disk while the document is dirty');
      assert.ok(ids(children('sprints', sprintNode('S-2'))).includes('VW-6'));
    } finally {
      await revertAndClose();
    }
  });

  it('reveals the active sprint from the status bar', async () => {
    const view = api.views.treeViews.sprints;
    // Another row selected first, so that the command has something to change.
    await view.reveal(sprintNode('S-3'), { select: true });
    await waitFor('S-3 to be selected', () => view.selection.some((n) => n.kind === 'sprint' && n.id === 'S-3'));
    await vscode.commands.executeCommand('backlogAtlas.revealActiveSprint');
    await waitFor('the active sprint to be selected', () => view.selection.some((n) => n.kind === 'sprint' && n.id === 'S-2'));
  });

  it('shows one row per backlog when the workspace has several', async () => {
    const setting = vscode.workspace.getConfiguration('backlogAtlas');
    await writeDisk(fixtureUri('packages', 'two', 'backlog', 'config.yml'), 'project_name: "Two"\ntask_prefix: "two"\n');
    await writeDisk(fixtureUri('packages', 'two', 'backlog', 'sprints.yml'), "sprints:\n  - {id: S-1, name: Two's sprint, state: planned}\n");
    try {
      await setting.update('roots', ['packages/two/backlog'], vscode.ConfigurationTarget.Workspace);
      await waitFor('two backlogs', () => api.index.roots().length === 2, 15_000);
      const roots = children('sprints');
      assert.deepEqual(roots.map((n) => n.kind), ['root', 'root']);
      assert.deepEqual(labels('sprints', roots).sort(), ['Two', 'Views']);
      const two = roots.find((n) => labels('sprints', [n])[0] === 'Two')!;
      assert.deepEqual(labels('sprints', children('sprints', two)), ["Two's sprint"]);
      assert.deepEqual(api.views.providers.sprints.getParent(children('sprints', two)[0]), two);
    } finally {
      await setting.update('roots', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor('one backlog again', () => api.index.roots().length === 1, 15_000);
    }
  });
});
