import * as assert from 'assert';
import { DropTarget, Dragged, planDrop } from '../../src/core/rules/treeDrops';
import { memoryBacklog, PLANNING_FILES } from './helpers';

const files = PLANNING_FILES;

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
