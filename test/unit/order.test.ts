import * as assert from 'assert';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as path from 'path';
import { generateNKeysBetween } from 'fractional-indexing';
import { compareItems, Ordered, placeBetween } from '../../src/core/rules/rank';
import { itemText, memoryBacklog } from './helpers';

const PRIORITIES = ['high', 'medium', 'low'];

/** The Backlog.md fixture's files, as memoryBacklog takes them. */
async function backlogMdFiles(): Promise<Record<string, string>> {
  const root = path.resolve(__dirname, '../fixtures/backlogmd');
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (p.includes(`${path.sep}backlog${path.sep}`)) out[path.relative(root, p).split(path.sep).join('/')] = await fs.readFile(p, 'utf8');
    }
  };
  await walk(root);
  return out;
}

/** Items with some ordinals, some ranks, some priorities: every mix the two tools leave behind. */
const itemsArb = fc.integer({ min: 1, max: 9 }).chain((n) => {
  const ranks = generateNKeysBetween(null, null, n);
  return fc.tuple(
    fc.array(fc.tuple(fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 6000 }), { nil: undefined }), fc.constantFrom(undefined, 'high', 'low')), { minLength: n, maxLength: n }),
  ).map(([spec]) => spec.map(([r, ordinal, priority], k): Ordered => ({ id: `BL-${k + 1}`, rank: r === undefined ? undefined : ranks[r], ordinal, priority })));
});

const sorted = (items: Ordered[]) => [...items].sort((a, b) => compareItems(a, b, PRIORITIES));
const tier = (i: Ordered | undefined) => (i === undefined ? 0 : i.ordinal !== undefined ? 0 : i.rank !== undefined ? 1 : 2);

describe("the order shared with Backlog.md's ordinal", () => {
  it("orders by Backlog.md's ordinal first, then rank, then priority, then id", () => {
    const items: Ordered[] = [
      { id: 'BL-1', rank: 'a0' },
      { id: 'BL-2', ordinal: 2000, rank: 'a5' },
      { id: 'BL-3', priority: 'high' },
      { id: 'BL-4', ordinal: 1000 },
      { id: 'BL-5', rank: 'Zz' },
    ];
    assert.deepStrictEqual(sorted(items).map((i) => i.id), ['BL-4', 'BL-2', 'BL-5', 'BL-1', 'BL-3']);
  });

  it('property: a move lands exactly where asked, or is refused saying to rebalance; nothing else moves', () => {
    fc.assert(
      fc.property(itemsArb, fc.nat(), fc.nat(), (items, m, a) => {
        const x = items[m % items.length];
        const rest = sorted(items.filter((i) => i !== x));
        const at = a % (rest.length + 1);
        const r = placeBetween(rest, at, [x], PRIORITIES);
        const prev = rest[at - 1];
        const next = rest[at];
        const noRoomAtTop = prev === undefined && next?.ordinal === 0;
        const tie = prev !== undefined && next !== undefined && ((prev.ordinal !== undefined && prev.ordinal === next.ordinal) || (tier(prev) === 1 && prev.rank === next.rank));
        if (!r.ok) {
          assert.match(r.message, /Rebalance Ranks/);
          assert.ok(tier(prev) === 2 || tie || noRoomAtTop, `refused only among unordered items or ties: ${r.message}`);
          return;
        }
        const p = r.places[0];
        const moved: Ordered = { ...x, rank: p.rank === undefined ? x.rank : p.rank ?? undefined, ordinal: p.ordinal === undefined ? x.ordinal : p.ordinal ?? undefined };
        const after = sorted([...rest, moved]);
        assert.strictEqual(after.indexOf(moved), at, 'the moved item is where it was dropped');
        assert.deepStrictEqual(after.filter((i) => i !== moved), rest, 'every other item keeps its place');
        if (p.ordinal !== undefined && p.ordinal !== null) assert.ok(Number.isFinite(p.ordinal) && p.ordinal > 0, 'an ordinal Backlog.md accepts');
      }),
      { numRuns: 3000 },
    );
  });

  it('property: a move through the writer changes one file, the moved item\'s', async () => {
    await fc.assert(
      fc.asyncProperty(itemsArb, fc.nat(), fc.nat(), async (items, m, a) => {
        const files: Record<string, string> = { 'backlog/config.yml': 'task_prefix: "bl"\n' };
        for (const i of items) {
          const fields: Record<string, string | number> = { id: i.id, title: i.id };
          if (i.rank !== undefined) fields.rank = i.rank;
          if (i.ordinal !== undefined) fields.ordinal = i.ordinal;
          if (i.priority !== undefined) fields.priority = i.priority;
          files[`backlog/tasks/${i.id.toLowerCase()}.md`] = itemText(fields);
        }
        const { writer, apply, backlog } = await memoryBacklog(files);
        const order = backlog().allOrdered();
        const x = order[m % order.length];
        const rest = order.filter((i) => i !== x);
        const at = a % (rest.length + 1);
        const r = await writer.moveItem(x.id, at === 0 ? { top: true } : { after: rest[at - 1].id });
        if (!r.ok) return;
        assert.ok(r.operations.length <= 1, `one move, one file: ${r.operations.length}`);
        for (const op of r.operations) assert.strictEqual(op.kind === 'edit' && op.path, x.path);
        await apply(r.operations);
        assert.strictEqual(backlog().allOrdered().findIndex((i) => i.id === x.id), at);
      }),
      { numRuns: 150 },
    );
  });

  it('one drag in a Backlog.md backlog writes one file, with an ordinal Backlog.md orders the same way', async () => {
    const { writer, apply, backlog } = await memoryBacklog(await backlogMdFiles());
    // TASK-12 has no ordinal; TASK-4 sits between TASK-3.02 (2500) and TASK-5 (4000) on 3000.
    const r = await writer.moveItem('TASK-12', { before: 'TASK-4' });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepStrictEqual(r.operations.map((o) => o.kind === 'edit' && path.basename(o.path)), ['task-12 - Client-side-search-lunr.js.md']);
    await apply(r.operations);
    const b = backlog();
    assert.strictEqual(b.item('TASK-12')!.ordinal, 2750);
    const ids = b.productBacklog().map((i) => i.id);
    assert.strictEqual(ids[ids.indexOf('TASK-4') - 1], 'TASK-12');
  });

  it('refuses to slot an item between items neither tool orders, and says what to do', async () => {
    const { writer } = await memoryBacklog({
      'backlog/config.yml': 'task_prefix: "bl"\n',
      'backlog/tasks/bl-1.md': itemText({ id: 'BL-1', title: 'A' }),
      'backlog/tasks/bl-2.md': itemText({ id: 'BL-2', title: 'B' }),
      'backlog/tasks/bl-3.md': itemText({ id: 'BL-3', title: 'C' }),
      'backlog/tasks/bl-4.md': itemText({ id: 'BL-4', title: 'D', rank: 'a0' }),
    });
    const r = await writer.moveItem('BL-1', { after: 'BL-2' });
    assert.strictEqual(r.ok, false);
    assert.match(r.ok ? '' : r.message, /BL-2 and the items after it have no place of their own.*Move it above BL-2, or run "Rebalance Ranks"/);
    // To the top of a backlog Backlog.md never ordered: one file, first for Backlog.md too.
    const top = await writer.moveItem('BL-3', { top: true });
    assert.ok(top.ok);
    assert.strictEqual(top.operations.length, 1);
    assert.match(top.operations[0].kind === 'edit' ? top.operations[0].edits[0].newText : '', /ordinal: 1000/);
  });

  it('rebalancing writes ranks and ordinals in the order shown, so both tools agree from then on', async () => {
    const files = await backlogMdFiles();
    // The fixture's unquoted `@jo` is there to be reported; a file with it is never rewritten.
    const task8 = 'backlog/tasks/task-8 - Watch-mode-ignores-new-files.md';
    files[task8] = files[task8].replace('assignee: @jo', "assignee: '@jo'");
    const { writer, apply, backlog } = await memoryBacklog(files);
    const before = backlog().allOrdered().map((i) => i.id);
    const r = await writer.rebalance('/ws/backlog');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    const after = backlog().allOrdered();
    assert.deepStrictEqual(after.map((i) => i.id), before);
    assert.deepStrictEqual(after.map((i) => i.ordinal), after.map((_, k) => 1000 * (k + 1)));
  });
});
