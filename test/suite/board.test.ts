// The sprint board panel in real VS Code: the page draws the active sprint's cards in their
// status columns, a drop lands on disk as exactly its status line, an undo takes it back, and a
// message the page should never send changes nothing; the header's burndown opens Reports, and a
// sprint past its end is completed from the header. The same board as a view. Every test starts
// from this file's own backlog, on a clock pinned inside the active sprint unless it says.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_BOARD_OPTIONS, type BoardOptions } from '../../src/protocol/boardProtocol';
import type { BoardPanel } from '../../src/vscode/panels/boardPanel';
import { extensionApi, fixtureUri, openNewPanel, pinClock, readDisk, showPanel, syncBacklog, waitFor } from './helpers';

const item = (id: string, title: string, extra: string[]) => ['---', `id: ${id}`, `title: ${title}`, ...extra, '---', '', ''].join('\n');

const FILES: Record<string, string> = {
  'config.yml': ['project_name: "Board"', 'task_prefix: "sb"', 'statuses: ["To Do", "In Progress", "Done"]', 'wip_limits:', '  In Progress: 1', ''].join('\n'),
  'sprints.yml': ['sprints:', "  - {id: S-1, name: Sprint 1, state: active, start: '2026-11-16', end: '2026-11-27', goal: Routes offline, capacity: 10}", ''].join('\n'),
  'tasks/sb-1 - Search.md': item('SB-1', 'Search', ['status: To Do', 'sprint: S-1', 'estimate: 3', "rank: 'a0'"]),
  'tasks/sb-2 - Filter.md': item('SB-2', 'Filter', ['status: In Progress', 'sprint: S-1', 'estimate: 2', "rank: 'a1'"]),
  'tasks/sb-3 - Save.md': item('SB-3', 'Save', ['status: To Do', 'sprint: S-1', 'estimate: 5', 'dependencies: [SB-1]', "rank: 'a2'"]),
  'tasks/sb-4 - Later.md': item('SB-4', 'Later', ['status: To Do', "rank: 'a3'"]),
};

describe('the sprint board panel', () => {
  let api: ExtensionApi;
  let panel: BoardPanel;

  pinClock('2026-11-20');

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, FILES, (b) => b.items().length === 4 && b.sprints.length === 1);
  });

  after(() => api.board.current?.dispose());

  const open = async () => (panel = await showPanel<BoardOptions, BoardPanel>('backlogAtlas.openBoard', () => api.board.current, DEFAULT_BOARD_OPTIONS));
  const columnOf = (id: string) => {
    const m = panel.lastModel!;
    for (const lane of m.lanes) for (const [c, cards] of lane.cells.entries()) if (cards.some((x) => x.id === id)) return m.columns[c].status;
    return 'nowhere';
  };

  it('opens from its command on the active sprint, each card in its status column', async function () {
    this.timeout(30_000);
    const opened = await openNewPanel('backlogAtlas.openBoard', () => api.board.current);
    panel = opened.panel;
    assert.equal(opened.cards, 3, 'the page drew the sprint’s three cards');
    const m = panel.lastModel!;
    assert.deepEqual([m.header.title, m.header.goal, m.header.daysLeft, m.header.pointsTotal, m.header.capacity], ['Sprint 1', 'Routes offline', 7, 10, 10]);
    assert.deepEqual(['SB-1', 'SB-2', 'SB-3', 'SB-4'].map(columnOf), ['To Do', 'In Progress', 'To Do', 'nowhere']);
    assert.deepEqual(m.columns.map((c) => `${c.status} ${c.count}/${c.limit ?? '-'}`), ['To Do 2/-', 'In Progress 1/1', 'Done 0/-']);
    assert.deepEqual(m.lanes[0].cells[0].find((c) => c.id === 'SB-3')?.blockedBy, ['SB-1']);
  });

  it('writes only the status line when a card is dropped in another column, and an undo puts it back', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'sb-1 - Search.md');
    const other = fixtureUri('backlog', 'tasks', 'sb-3 - Save.md');
    const before = await readDisk(uri);
    const otherBefore = await readDisk(other);
    const drawn = panel.whenDrawn();
    await panel.receive({ type: 'move', ids: ['SB-1'], status: 'In Progress' });
    await api.whenIdle();
    // The status line, and `updated_date` stamped as Backlog.md stamps each edit.
    const after = await readDisk(uri);
    assert.equal(after.replace(/^updated_date: .*\n/m, ''), before.replace('status: To Do', 'status: In Progress'));
    assert.match(after, /^updated_date: '2026-11-20 00:00'$/m);
    assert.equal(await readDisk(other), otherBefore, 'no other file changed');
    await drawn;
    assert.equal(columnOf('SB-1'), 'In Progress');
    await waitFor('the In Progress column over its WIP limit', () => panel.lastModel!.columns[1].count === 2 && panel.lastModel!.columns[1].limit === 1);

    await vscode.commands.executeCommand('backlogAtlas.undo');
    await api.whenIdle();
    assert.equal(await readDisk(uri), before);
    await waitFor('SB-1 back in To Do on the board', () => columnOf('SB-1') === 'To Do');
  });

  it('stamps completed_date when a card is dropped on Done, and orders it next to a card', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'sb-3 - Save.md');
    const before = await readDisk(uri);
    await panel.receive({ type: 'move', ids: ['SB-3'], status: 'Done' });
    await api.whenIdle();
    const after = await readDisk(uri);
    assert.match(after, /^status: Done$/m);
    assert.match(after, /^completed_date: '?2026-11-20'?$/m);
    // Back in To Do, above SB-1: only its place changes (rank, and Backlog.md's ordinal in step),
    // besides the `updated_date` the first move stamped.
    await panel.receive({ type: 'move', ids: ['SB-3'], status: 'To Do', before: 'SB-1' });
    await api.whenIdle();
    const moved = await readDisk(uri);
    const changed = moved.split('\n').filter((l) => !before.split('\n').includes(l));
    assert.deepEqual(changed.map((l) => l.split(':')[0]).sort(), ['ordinal', 'rank', 'updated_date'], moved);
  });

  it('refuses a message the page should never send, and changes nothing', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'sb-1 - Search.md');
    const before = await readDisk(uri);
    await panel.receive({ type: 'move', ids: ['../../etc/passwd'], status: 'Done' });
    await panel.receive({ type: 'move', ids: ['SB-1'], status: 'Done\nrank: zz' });
    await panel.receive({ type: 'move', ids: ['SB-1'], status: 'Shipped' });
    await api.whenIdle();
    assert.equal(await readDisk(uri), before);
  });

  it('opens the Reports panel on the sprint’s burndown from the header’s small burndown', async function () {
    this.timeout(60_000);
    await open();
    assert.ok(panel.lastModel!.header.burndown, 'the header draws a burndown for the active sprint');
    await panel.receive({ type: 'openBurndown', sprint: 'S-1' });
    const reports = await waitFor('the Reports panel', () => api.reports.current);
    assert.equal(reports.currentOptions.report, 'burndown');
    assert.equal(reports.currentOptions.sprint, 'S-1');
    await waitFor('the Reports panel to draw Sprint 1’s burndown', () => reports.lastModel !== undefined && JSON.stringify(reports.lastModel).includes('Sprint 1'), 30_000);
    reports.dispose();
  });

  it('shows another sprint, a release or the whole backlog from the picker', async function () {
    this.timeout(30_000);
    await open();
    // A redraw the index scheduled before the change of scope may reach the page first (with the
    // sprint's 3 cards): the page then draws the whole backlog next.
    const drawn = panel.whenDrawn((cards) => cards === 4);
    await panel.receive({ type: 'setOptions', options: { ...DEFAULT_BOARD_OPTIONS, scope: 'backlog' } });
    await drawn;
    assert.equal(columnOf('SB-4'), 'To Do');
  });
});

describe('the sprint board once the sprint’s end has passed', () => {
  let api: ExtensionApi;
  let panel: BoardPanel;

  // Sprint 1 ended on 2026-11-27.
  pinClock('2026-11-30');

  before(async function () {
    this.timeout(60_000);
    api = await extensionApi();
    await syncBacklog(api, FILES, (b) => b.items().length === 4 && b.sprints.length === 1);
  });

  after(() => api.board.current?.dispose());

  it('says so in the header and completes the sprint from its button', async function () {
    this.timeout(60_000);
    panel = await showPanel<BoardOptions, BoardPanel>('backlogAtlas.openBoard', () => api.board.current, DEFAULT_BOARD_OPTIONS);
    const header = panel.lastModel!.header;
    assert.deepEqual([header.title, header.ended, header.daysLeft], ['Sprint 1', true, -3]);
    const sprints = fixtureUri('backlog', 'sprints.yml');
    const search = fixtureUri('backlog', 'tasks', 'sb-1 - Search.md');
    // The button runs Complete Sprint, which asks where the three unfinished items go: the
    // Product Backlog is the only choice here, as there is no planned sprint.
    const completing = panel.receive({ type: 'completeSprint', sprint: 'S-1' });
    await waitFor('Sprint 1 closed in sprints.yml', () => {
      void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return api.index.roots()[0].sprint('S-1')?.state === 'closed';
    }, 20_000);
    await completing;
    assert.match(await readDisk(sprints), /state: closed/);
    assert.doesNotMatch(await readDisk(search), /^sprint:/m, 'the unfinished item went back to the product backlog');
    await waitFor('the board to no longer offer Complete Sprint', () => panel.lastModel?.header.ended === false);
  });
});

describe('the sprint board view', () => {
  let api: ExtensionApi;

  pinClock('2026-11-20');

  before(async function () {
    this.timeout(60_000);
    api = await extensionApi();
    await syncBacklog(api, FILES, (b) => b.items().length === 4 && b.sprints.length === 1);
  });

  it('shows the active sprint’s cards in the Backlog container, and a drop from it writes the status', async function () {
    this.timeout(90_000);
    await vscode.commands.executeCommand('backlogAtlas.boardView.focus');
    const board = await waitFor('the board view to resolve', () => api.boardView.current, 30_000);
    // Its page says `ready` once loaded and is drawn then; options sent before that are drawn too.
    const drawn = board.whenDrawn();
    await board.receive({ type: 'setOptions', options: DEFAULT_BOARD_OPTIONS });
    assert.equal(await drawn, 3, 'the view drew the sprint’s three cards');
    const m = board.lastModel!;
    assert.equal(m.header.title, 'Sprint 1');
    assert.deepEqual(m.columns.map((c) => c.status), ['To Do', 'In Progress', 'Done']);

    const uri = fixtureUri('backlog', 'tasks', 'sb-1 - Search.md');
    const before = await readDisk(uri);
    await board.receive({ type: 'move', ids: ['SB-1'], status: 'In Progress' });
    await api.whenIdle();
    assert.equal((await readDisk(uri)).replace(/^updated_date: .*\n/m, ''), before.replace('status: To Do', 'status: In Progress'));
    // It follows the files as the panel does: the change is drawn in the view.
    await waitFor('SB-1 in In Progress in the view', () => board.lastModel!.lanes[0].cells[1].some((c) => c.id === 'SB-1'));
    await vscode.commands.executeCommand('backlogAtlas.undo');
    await api.whenIdle();
    assert.equal(await readDisk(uri), before);
  });
});
