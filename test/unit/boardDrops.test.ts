// What a drop on the sprint board writes: the dragged cards' status (with the completion date the
// writer's setField stamps), their order when dropped next to a card, and nothing else.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planBoardDrop } from '../../src/core/rules/boardDrops';
import { itemText, memoryBacklog } from './helpers';

const FILES: Record<string, string> = {
  'backlog/config.yml': 'task_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/tasks/bl-1 - a.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do', rank: 'a0' }),
  'backlog/tasks/bl-2 - b.md': itemText({ id: 'BL-2', title: 'B', status: 'In Progress', rank: 'a1' }),
  'backlog/tasks/bl-3 - c.md': itemText({ id: 'BL-3', title: 'C', status: 'Done', completed_date: "'2026-11-01'", rank: 'a2' }),
  'backlog/tasks/bl-4 - d.md': itemText({ id: 'BL-4', title: 'D', status: 'In Progress', rank: 'a3' }),
};
const TODAY = '2026-11-21';

describe('sprint board drops', () => {
  it('writes the status of a card dragged to another column, as config.yml spells it', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(planBoardDrop(b, [b.item('BL-1')!], { status: 'in progress' }, TODAY), { kind: 'move', status: 'In Progress', moves: [{ itemIds: ['BL-1'], target: {}, alsoSet: { status: 'In Progress' } }] });
  });

  it('stamps completed_date on the way into Done and removes it on the way out, as setField does', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(planBoardDrop(b, [b.item('BL-2')!], { status: 'Done' }, TODAY), { kind: 'move', status: 'Done', moves: [{ itemIds: ['BL-2'], target: {}, alsoSet: { status: 'Done', completed_date: TODAY } }] });
    assert.deepEqual(planBoardDrop(b, [b.item('BL-3')!], { status: 'To Do' }, TODAY), { kind: 'move', status: 'To Do', moves: [{ itemIds: ['BL-3'], target: {}, alsoSet: { status: 'To Do', completed_date: null } }] });
  });

  it('orders a card within its column by the backlog’s rank, and writes no status', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(planBoardDrop(b, [b.item('BL-4')!], { status: 'In Progress', before: 'BL-2' }, TODAY), { kind: 'move', status: 'In Progress', moves: [{ itemIds: ['BL-4'], target: { before: 'BL-2' }, alsoSet: {} }] });
    assert.deepEqual(planBoardDrop(b, [b.item('BL-4')!], { status: 'In Progress' }, TODAY), { kind: 'nothing' });
    assert.deepEqual(planBoardDrop(b, [b.item('BL-4')!], { status: 'In Progress', after: 'BL-4' }, TODAY), { kind: 'nothing' });
  });

  it('moves several cards in backlog order; cards needing different dates keep their ranks', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(planBoardDrop(b, [b.item('BL-4')!, b.item('BL-1')!], { status: 'Done', after: 'BL-3' }, TODAY), {
      kind: 'move',
      status: 'Done',
      moves: [{ itemIds: ['BL-1', 'BL-4'], target: { after: 'BL-3' }, alsoSet: { status: 'Done', completed_date: TODAY } }],
    });
    const mixed = planBoardDrop(b, [b.item('BL-3')!, b.item('BL-1')!], { status: 'In Progress', before: 'BL-2' }, TODAY);
    assert.deepEqual(mixed, {
      kind: 'move',
      status: 'In Progress',
      moves: [
        { itemIds: ['BL-1'], target: {}, alsoSet: { status: 'In Progress' } },
        { itemIds: ['BL-3'], target: {}, alsoSet: { status: 'In Progress', completed_date: null } },
      ],
    });
  });

  it('refuses a status config.yml does not list, and a card that is gone', async () => {
    const { backlog } = await memoryBacklog(FILES);
    const b = backlog();
    assert.deepEqual(planBoardDrop(b, [b.item('BL-1')!], { status: 'Blocked' }, TODAY), { kind: 'refuse', message: '"Blocked" is not a status of this backlog: To Do, In Progress, Done.' });
    assert.deepEqual(planBoardDrop(b, [b.item('BL-1')!], { status: 'Done', before: 'BL-9' }, TODAY), { kind: 'refuse', message: 'BL-9 is no longer in the backlog.' });
  });

  it('a drop written by the writer changes only the dragged files’ status and order lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(['BL-1', 'BL-2', 'BL-3', 'BL-4'], { minLength: 1 }),
        fc.constantFrom('To Do', 'In Progress', 'Done'),
        fc.constantFrom<(string | undefined)[]>(undefined, 'BL-1', 'BL-2', 'BL-3', 'BL-4'),
        fc.boolean(),
        async (ids, status, anchor, before) => {
          const { backlog, writer, apply, ws } = await memoryBacklog(FILES);
          const b = backlog();
          const paths = Object.keys(FILES).filter((p) => p.includes('/tasks/')).map((p) => `/ws/${p}`);
          const texts = new Map(paths.map((p) => [p, ws.text(p)]));
          const plan = planBoardDrop(b, ids.map((id) => b.item(id)!), { status, ...(anchor === undefined ? {} : before ? { before: anchor } : { after: anchor }) }, TODAY);
          if (plan.kind !== 'move') return;
          for (const move of plan.moves) {
            const r = await writer.moveItems(move.itemIds, move.target, move.alsoSet);
            assert.ok(r.ok, r.ok ? '' : r.message);
            await apply(r.operations);
          }
          for (const p of paths) {
            const id = /bl-(\d+)/.exec(p)![1];
            const changed = diffLines(texts.get(p)!, ws.text(p));
            if (!ids.includes(`BL-${id}`)) assert.deepEqual(changed, [], `${p} was not dragged`);
            else for (const line of changed) assert.match(line, /^(status|rank|completed_date|ordinal|updated_date):/, `${p}: ${line}`);
          }
          for (const id of ids) assert.equal(backlog().item(id)!.status, status);
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** The lines of `after` that `before` does not have, and the other way round. */
function diffLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return [...b.filter((l) => !a.includes(l)), ...a.filter((l) => !b.includes(l))];
}
