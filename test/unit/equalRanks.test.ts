// Equal ranks after a merge: the neighbours that share a rank are spread apart, in the order they
// show, and no other item (nor its file) changes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareItems, freshRanks, Ordered, spreadEqualRanks } from '../../src/core/rules/rank';
import { itemText, memoryBacklog } from './helpers';

const PRIORITIES = ['high', 'medium', 'low'];
const sorted = (xs: Ordered[]) => [...xs].sort((a, b) => compareItems(a, b, PRIORITIES));

describe('equal ranks', () => {
  it('gives only the tied items new ranks, keeping the order they show, tight against their neighbours', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 40 }), (slots) => {
        const ranks = freshRanks(7);
        const items = sorted(slots.map((s, n) => ({ id: `BL-${n + 1}`, rank: ranks[s] })));
        const ties = spreadEqualRanks(items);
        const changed = new Map(ties.map((t) => [t.item.id, t.rank]));
        // Exactly the items after the first of each run of equal ranks.
        assert.equal(changed.size, items.filter((i, n) => n > 0 && items[n - 1].rank === i.rank).length);
        const after = items.map((i) => ({ ...i, rank: changed.get(i.id) ?? i.rank }));
        // The order is the one shown before, and no two ranks are equal any more.
        assert.deepEqual(sorted(after).map((i) => i.id), items.map((i) => i.id));
        assert.equal(new Set(after.map((i) => i.rank)).size, after.length);
        assert.deepEqual(spreadEqualRanks(sorted(after)), []);
      }),
    );
  });

  it('leaves items with an ordinal to it, and finds nothing to do in a clean order', () => {
    assert.deepEqual(spreadEqualRanks([{ id: 'A', rank: 'a0', ordinal: 1000 }, { id: 'B', rank: 'a0', ordinal: 2000 }]), []);
    assert.deepEqual(spreadEqualRanks([{ id: 'A', rank: 'a0' }, { id: 'B', rank: 'a1' }, { id: 'C' }]), []);
  });

  it('warns on the tied items and the writer changes only their rank lines', async () => {
    const files = {
      'backlog/config.yml': 'project_name: "E"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n',
      'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do', rank: 'a0' }),
      'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', status: 'To Do', rank: 'a1' }),
      'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', status: 'To Do', rank: 'a1' }),
      'backlog/tasks/bl-4 - D.md': itemText({ id: 'BL-4', title: 'D', status: 'To Do', rank: 'a2' }),
    };
    const { writer, apply, backlog, ws } = await memoryBacklog(files);
    assert.deepEqual(
      backlog().crossFileDiagnostics().filter((d) => d.code === 'equal-rank').map((d) => [d.path, d.line]),
      [['/ws/backlog/tasks/bl-3 - C.md', 4]],
    );
    const r = await writer.spreadEqualRanks('/ws/backlog');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.operations.map((o) => (o.kind === 'edit' ? o.path : '')), ['/ws/backlog/tasks/bl-3 - C.md']);
    await apply(r.operations);
    const c = new TextDecoder().decode(await ws.read('/ws/backlog/tasks/bl-3 - C.md'));
    assert.match(c, /^---\nid: BL-3\ntitle: C\nstatus: To Do\nrank: a1V\n---\n$/);
    assert.deepEqual(backlog().allOrdered().map((i) => i.id), ['BL-1', 'BL-2', 'BL-3', 'BL-4']);
    assert.equal(backlog().crossFileDiagnostics().filter((d) => d.code === 'equal-rank').length, 0);
  });
});
