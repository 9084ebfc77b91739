// The sprint board's model: columns from config.yml, the scope the picker names, lanes, filters,
// WIP limits, hidden empty columns, and the header's figures as core/figures gives them.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildBoardModel, BoardContext } from '../../src/views/board/boardModel';
import { BoardModel, BoardOptions, DEFAULT_BOARD_OPTIONS, LANE_CHOICES, LaneBy } from '../../src/protocol/boardProtocol';
import { sprintFigures } from '../../src/core/figures/figures';
import { itemText, memoryBacklog } from './helpers';

const CONFIG = 'project_name: "Board"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Review", "Done"]\npriorities: [high, medium, low]\nwip_limits:\n  in progress: 1\n';
const SPRINTS = "sprints:\n  - {id: S-1, name: Sprint 1, state: closed, start: '2026-10-26', end: '2026-11-06'}\n  - {id: S-2, name: Sprint 2, state: active, start: '2026-11-09', end: '2026-11-20', goal: Ship routes, capacity: 20}\n  - {id: S-3, name: Sprint 3, state: planned}\n";
const AC = '\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 one\n- [ ] #2 two\n<!-- AC:END -->\n';

const FILES: Record<string, string> = {
  'backlog/config.yml': CONFIG,
  'backlog/sprints.yml': SPRINTS,
  'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n",
  'backlog/tasks/bl-1 - a.md': itemText({ id: 'BL-1', title: 'Epic', type: 'epic', status: 'To Do' }),
  'backlog/tasks/bl-2 - b.md': itemText({ id: 'BL-2', title: 'Search', type: 'story', status: 'To Do', sprint: 'S-2', estimate: 3, assignee: '["@alice"]', labels: '[ui]', priority: 'high', epic: 'BL-1', rank: 'a0' }, AC),
  'backlog/tasks/bl-3 - c.md': itemText({ id: 'BL-3', title: 'Filter', type: 'bug', status: 'In Progress', sprint: 'S-2', size: 'S', assignee: '["@bob"]', dependencies: '[BL-2]', rank: 'a1' }),
  'backlog/tasks/bl-4 - d.md': itemText({ id: 'BL-4', title: 'Save', type: 'story', status: 'done', sprint: 'S-2', estimate: 5, release: 'R-1', rank: 'a2' }),
  'backlog/tasks/bl-5 - e.md': itemText({ id: 'BL-5', title: 'Share', type: 'story', status: 'Blocked', sprint: 'S-2', estimate: 1, rank: 'a3' }),
  'backlog/tasks/bl-6 - f.md': itemText({ id: 'BL-6', title: 'Unplanned', type: 'task', status: 'In Progress', release: 'R-1', rank: 'a4' }),
};

const ctx = (extra: Partial<BoardContext> = {}): BoardContext => ({ today: '2026-11-18', roots: ['backlog'], root: 'backlog', codeRefs: (id) => (id === 'BL-2' ? 2 : 0), ...extra });
const opts = (o: Partial<BoardOptions> = {}): BoardOptions => ({ ...DEFAULT_BOARD_OPTIONS, ...o });

/** Where each card is: `status/lane`. */
function where(m: BoardModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lane of m.lanes) lane.cells.forEach((cards, c) => cards.forEach((card) => (out[card.id] = `${m.columns[c].status}/${lane.id}`)));
  return out;
}

describe('sprint board model', () => {
  it('shows the active sprint in config.yml’s columns, with a column for a status it no longer lists', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const m = buildBoardModel(backlog(), opts(), ctx());
    assert.deepEqual(m.columns.map((c) => [c.status, c.count, c.limit ?? null, c.unknown ?? false]), [
      ['To Do', 1, null, false],
      ['In Progress', 1, 1, false],
      ['Review', 0, null, false],
      ['Done', 1, null, false],
      ['Blocked', 1, null, true],
    ]);
    assert.deepEqual(where(m), { 'BL-2': 'To Do/', 'BL-3': 'In Progress/', 'BL-4': 'Done/', 'BL-5': 'Blocked/' });
  });

  it('numbers the cards in backlog order across columns and lanes, where a drop on a column puts one', async () => {
    const { backlog } = await memoryBacklog(FILES);
    for (const lanes of LANE_CHOICES) {
      const m = buildBoardModel(backlog(), opts({ scope: 'backlog', lanes }), ctx());
      const cards = m.lanes.flatMap((l) => l.cells.flat());
      const byOrder = [...cards].sort((a, b) => a.order - b.order).map((c) => c.id);
      assert.deepEqual(byOrder, backlog().allOrdered().filter((i) => cards.some((c) => c.id === i.id)).map((i) => i.id), lanes);
      // Within each cell, the cards already stand in that order.
      for (const lane of m.lanes) for (const cell of lane.cells) assert.deepEqual(cell.map((c) => c.order), [...cell.map((c) => c.order)].sort((a, b) => a - b));
    }
  });

    it('puts on each card what the team needs at the daily scrum', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const cards = buildBoardModel(backlog(), opts(), ctx()).lanes[0].cells.flat();
    const search = cards.find((c) => c.id === 'BL-2')!;
    assert.deepEqual(
      { points: search.points, assignee: search.assignee, labels: search.labels, priority: search.priority, ac: [search.acDone, search.acTotal], refs: search.codeRefs, blocked: search.blockedBy },
      { points: 3, assignee: ['@alice'], labels: ['ui'], priority: 'high', ac: [1, 2], refs: 2, blocked: [] },
    );
    const filter = cards.find((c) => c.id === 'BL-3')!;
    assert.deepEqual([filter.size, filter.points, filter.blockedBy], ['S', 2, ['BL-2']]);
    assert.equal(cards.find((c) => c.id === 'BL-4')!.done, true);
  });

  it('gives the header core/figures’ points, the days left and the burndown', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    const h = buildBoardModel(b, opts(), ctx()).header;
    const f = sprintFigures(b, b.sprint('S-2')!);
    assert.deepEqual([h.id, h.goal, h.daysLeft, h.ended, h.pointsDone, h.pointsTotal, h.committed, h.capacity], ['S-2', 'Ship routes', 2, false, f.completed, f.scope, f.committed, 20]);
    assert.equal(h.burndown?.remaining.length, 12);
    assert.equal(h.burndown?.remaining[11], null, 'days still to come have no remaining work yet');
  });

  it('says an active sprint whose end has passed is over', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const h = buildBoardModel(backlog(), opts(), ctx({ today: '2026-11-23' })).header;
    assert.deepEqual([h.daysLeft, h.ended], [-3, true]);
  });

  it('switches to another sprint, a release or the whole backlog', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(Object.keys(where(buildBoardModel(b, opts({ scope: 'sprint', scopeId: 'S-3' }), ctx()))), []);
    assert.deepEqual(where(buildBoardModel(b, opts({ scope: 'release', scopeId: 'R-1' }), ctx())), { 'BL-4': 'Done/', 'BL-6': 'In Progress/' });
    assert.deepEqual(Object.keys(where(buildBoardModel(b, opts({ scope: 'backlog' }), ctx()))).sort(), ['BL-1', 'BL-2', 'BL-3', 'BL-4', 'BL-5', 'BL-6']);
    const scopes = buildBoardModel(b, opts(), ctx()).scopes.map((s) => `${s.scope}:${s.id}`);
    assert.deepEqual(scopes, ['sprint:S-2', 'sprint:S-3', 'sprint:S-1', 'release:R-1', 'backlog:']);
  });

  it('cuts the board into lanes by assignee, epic or priority', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const lanes = (by: LaneBy) => buildBoardModel(backlog(), opts({ lanes: by }), ctx()).lanes.map((l) => `${l.title}:${l.cells.flat().map((c) => c.id).join(',')}`);
    assert.deepEqual(lanes('assignee'), ['@alice:BL-2', '@bob:BL-3', 'Unassigned:BL-4,BL-5']);
    assert.deepEqual(lanes('epic'), ['BL-1 Epic:BL-2', 'No epic:BL-3,BL-4,BL-5']);
    assert.deepEqual(lanes('priority'), ['high:BL-2', 'No priority:BL-3,BL-4,BL-5']);
  });

  it('filters by text, assignee, label, type and "only mine", and counts WIP whatever it hides', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const ids = (o: Partial<BoardOptions>, me?: string) => Object.keys(where(buildBoardModel(backlog(), opts(o), ctx({ me }))));
    assert.deepEqual(ids({ text: 'filt' }), ['BL-3']);
    assert.deepEqual(ids({ text: 'bl-5' }), ['BL-5']);
    assert.deepEqual(ids({ assignee: 'alice' }), ['BL-2']);
    assert.deepEqual(ids({ label: 'UI' }), ['BL-2']);
    assert.deepEqual(ids({ type: 'bug' }), ['BL-3']);
    assert.deepEqual(ids({ onlyMine: true }, 'Bob'), ['BL-3']);
    assert.deepEqual(ids({ onlyMine: true }), [], 'nobody is "me" until git or the setting says who');
    const m = buildBoardModel(backlog(), opts({ text: 'search' }), ctx());
    assert.equal(m.columns[1].count, 1, 'the In Progress column still counts its hidden card');
  });

  it('leaves out empty columns when config.yml says hide_empty_columns', async () => {
    const { backlog } = await memoryBacklog({ ...FILES, 'backlog/config.yml': CONFIG + 'hide_empty_columns: true\n' });
    assert.deepEqual(buildBoardModel(backlog(), opts(), ctx()).columns.map((c) => c.status), ['To Do', 'In Progress', 'Done', 'Blocked']);
  });

  it('puts every card in exactly one column and lane, whatever the items and options', async () => {
    const statuses = ['To Do', 'In Progress', 'Done', 'Odd'];
    const arbItem = fc.record({
      status: fc.constantFrom(...statuses, 'to do', 'DONE'),
      assignee: fc.constantFrom('', '["@a"]', '["@b", "@a"]', '["A"]'),
      priority: fc.constantFrom('', 'high', 'low', 'urgent'),
      epic: fc.constantFrom('', 'BL-1', 'BL-99'),
      sprint: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbItem, { maxLength: 25 }), fc.constantFrom(...LANE_CHOICES), fc.boolean(), async (items, lanes, hide) => {
        const files: Record<string, string> = {
          'backlog/config.yml': `task_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n${hide ? 'hide_empty_columns: true\n' : ''}`,
          'backlog/sprints.yml': 'sprints:\n  - {id: S-1, name: One, state: active}\n',
        };
        items.forEach((it, n) => {
          const fields: Record<string, string> = { id: `BL-${n + 2}`, title: `T${n}`, status: it.status };
          if (it.assignee) fields.assignee = it.assignee;
          if (it.priority) fields.priority = it.priority;
          if (it.epic) fields.epic = it.epic;
          if (it.sprint) fields.sprint = 'S-1';
          files[`backlog/tasks/bl-${n + 2} - t.md`] = itemText(fields);
        });
        const { backlog } = await memoryBacklog(files);
        const m = buildBoardModel(backlog(), opts({ lanes, scope: 'backlog' }), ctx());
        const seen = m.lanes.flatMap((l) => l.cells.flat().map((c) => c.id));
        assert.equal(new Set(seen).size, seen.length, 'no card twice');
        assert.deepEqual(seen.sort(), items.map((_, n) => `BL-${n + 2}`).sort(), 'every card once');
        for (const l of m.lanes) assert.equal(l.cells.length, m.columns.length);
        m.lanes.forEach((l) => l.cells.forEach((cards, c) => cards.forEach((card) => assert.equal(card.status.toLowerCase().replace(/\s/g, ''), m.columns[c].status.toLowerCase().replace(/\s/g, '')))));
      }),
      { numRuns: 60 },
    );
  });

  it('property: the columns add up to the header’s points, in every scope, epics and all', async () => {
    const arbItem = fc.record({
      type: fc.constantFrom('story', 'bug', 'epic', 'opportunity', 'task'),
      status: fc.constantFrom('To Do', 'In Progress', 'Done', 'Odd'),
      points: fc.constantFrom('estimate: 3', 'estimate: 0', 'size: XL', 'size: S', ''),
      sprint: fc.boolean(),
      release: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbItem, { maxLength: 20 }), fc.constantFrom('sprint', 'release', 'backlog') as fc.Arbitrary<BoardOptions['scope']>, async (items, scope) => {
        const files: Record<string, string> = {
          'backlog/config.yml': 'task_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
          'backlog/sprints.yml': 'sprints:\n  - {id: S-1, name: One, state: active}\n',
          'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n",
        };
        items.forEach((it, n) => {
          const fields: Record<string, string> = { id: `BL-${n + 1}`, title: `T${n}`, status: it.status, type: it.type };
          if (it.points) fields[it.points.split(': ')[0]] = it.points.split(': ')[1];
          if (it.sprint) fields.sprint = 'S-1';
          if (it.release) fields.release = 'R-1';
          files[`backlog/tasks/bl-${n + 1} - t.md`] = itemText(fields);
        });
        const { backlog } = await memoryBacklog(files);
        const m = buildBoardModel(backlog(), opts({ scope, scopeId: scope === 'sprint' ? 'S-1' : scope === 'release' ? 'R-1' : '' }), ctx());
        assert.equal(
          m.columns.reduce((sum, c) => sum + c.points, 0),
          m.header.pointsTotal,
          `${scope}: ${m.columns.map((c) => `${c.status} ${c.points}`).join(', ')}`,
        );
      }),
      { numRuns: 80 },
    );
  });
});
