import * as assert from 'assert';
import { DropTarget, Dragged, planDrop } from '../../src/core/rules/treeDrops';
import { itemText, memoryBacklog } from './helpers';

const files = {
  'backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/sprints.yml': [
    'sprints:',
    "  - {id: S-1, name: Sprint 1, state: closed}",
    "  - {id: S-2, name: Sprint 2, state: active, capacity: 5, end: '2026-11-25'}",
    "  - {id: S-3, name: Sprint 3, state: planned, start: '2026-11-30'}",
    '',
  ].join('\n'),
  'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n",
  'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
  'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'Epic A', type: 'epic', rank: 'a0' }),
  'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', type: 'story', epic: 'BL-1', estimate: 3, sprint: 'S-2', rank: 'a1', status: 'Done' }),
  'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', type: 'bug', size: 'S', sprint: 'S-2', rank: 'a2', labels: '[ui]' }),
  'backlog/tasks/bl-4 - D.md': itemText({ id: 'BL-4', title: 'Offline D', type: 'story', rank: 'a3', milestone: 'm-1' }),
  'backlog/tasks/bl-5 - E.md': itemText({ id: 'BL-5', title: 'E', type: 'opportunity', rank: 'a4' }),
};

describe('tree drops', () => {
  it('plans drops: fields that change, the place in the order, and refusals', async () => {
    const { backlog } = await memoryBacklog(files);
    const b = backlog();
    const item = (id: string) => b.item(id)!;
    const drag = (from: Dragged['from'], ...ids: string[]): Dragged[] => ids.map((id) => ({ item: item(id), from }));
    const list = (l: DropTarget & { kind: 'list' }) => l;
    const product = { kind: 'product' } as const;
    // Onto an empty planned sprint: only the field changes.
    assert.deepStrictEqual(planDrop(b, drag({ kind: 'sprint', id: 'S-2' }, 'BL-3'), list({ kind: 'list', list: { kind: 'sprint', id: 'S-3' }, items: [] })), {
      kind: 'move', itemIds: ['BL-3'], target: {}, alsoSet: { sprint: 'S-3' },
    });
    // Several items keep the backlog's order, whatever the selection's.
    const onto = planDrop(b, drag(product, 'BL-4', 'BL-1'), { kind: 'item', list: { kind: 'sprint', id: 'S-2' }, item: item('BL-3') });
    assert.deepStrictEqual(onto, { kind: 'move', itemIds: ['BL-1', 'BL-4'], target: { before: 'BL-3' }, alsoSet: { sprint: 'S-2' } });
    // Reordering within a list writes no field.
    assert.deepStrictEqual(planDrop(b, drag(product, 'BL-4'), { kind: 'item', list: product, item: item('BL-1') }), { kind: 'move', itemIds: ['BL-4'], target: { before: 'BL-1' }, alsoSet: {} });
    // Back to the product backlog from a sprint clears the sprint; the item keeps its priority.
    assert.deepStrictEqual(planDrop(b, drag({ kind: 'sprint', id: 'S-2' }, 'BL-3'), list({ kind: 'list', list: product, items: b.productBacklog() })), {
      kind: 'move', itemIds: ['BL-3'], target: {}, alsoSet: { sprint: null },
    });
    // Onto the header of the list the item is in already: to the end of that list.
    assert.deepStrictEqual(planDrop(b, drag(product, 'BL-1'), list({ kind: 'list', list: product, items: b.productBacklog() })), {
      kind: 'move', itemIds: ['BL-1'], target: { after: 'BL-4' }, alsoSet: {},
    });
    // A milestone item moved to a releases.yml release leaves the milestone.
    assert.deepStrictEqual(planDrop(b, drag(product, 'BL-4'), list({ kind: 'list', list: { kind: 'release', id: 'R-1' }, items: [] })), {
      kind: 'move', itemIds: ['BL-4'], target: {}, alsoSet: { release: 'R-1', milestone: null },
    });
    const refused = (p: ReturnType<typeof planDrop>) => p.kind === 'refuse';
    assert.ok(refused(planDrop(b, drag(product, 'BL-4'), { kind: 'item', list: product, item: item('BL-4') })), 'onto itself');
    assert.ok(refused(planDrop(b, drag(product, 'BL-4'), list({ kind: 'list', list: { kind: 'sprint', id: 'S-1' }, items: [] }))), 'closed sprint');
    assert.ok(refused(planDrop(b, drag({ kind: 'opportunities' }, 'BL-5'), list({ kind: 'list', list: { kind: 'sprint', id: 'S-3' }, items: [] }))), 'opportunity into a sprint');
    assert.ok(refused(planDrop(b, drag(product, 'BL-4'), list({ kind: 'list', list: { kind: 'opportunities' }, items: [] }))), 'a story among opportunities');
  });
});
