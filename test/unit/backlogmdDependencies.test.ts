import * as assert from 'assert';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { dependencyCycles } from '../../src/core/rules/dependencies';
import { blockedText, blockersTooltip, itemDescription } from '../../src/views/trees/backlogViewModel';
import { itemText, memoryBacklog } from './helpers';
import { assertLinear } from './scaling';
import { tempDir } from './tempDir';

const CONFIG = 'statuses: ["To Do", "In Progress", "Done"]\ntask_prefix: "task"\n';
const task = (n: number, fields: Record<string, string | number> = {}) => [`backlog/tasks/task-${n} - T.md`, itemText({ id: `TASK-${n}`, title: `T${n}`, ...fields })] as const;

/** Every cycle found by trying every path: the reference the linear search is held to. */
function naiveCyclic(nodes: string[], edges: Map<string, string[]>): Set<string> {
  const reaches = (from: string, to: string) => {
    const seen = new Set<string>();
    const todo = [...(edges.get(from) ?? [])];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (n === to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(...(edges.get(n) ?? []));
    }
    return false;
  };
  return new Set(nodes.filter((n) => reaches(n, n)));
}

describe('dependencies, checked and shown as Backlog.md reads them', () => {
  it('blocks an item on an open dependency, and on one that names nothing or was archived', async () => {
    const { backlog } = await memoryBacklog({
      'backlog/config.yml': CONFIG,
      ...Object.fromEntries([
        task(1),
        task(2, { dependencies: '[TASK-1]' }),
        task(3, { dependencies: '[TASK-4]', status: 'In Progress' }),
        task(4, { status: 'done' }),
        task(5, { dependencies: '[TASK-99, TASK-6]' }),
        task(7, { dependencies: '[task-01]', status: 'Done' }),
      ]),
      'backlog/archive/tasks/task-6 - Gone.md': itemText({ id: 'TASK-6', title: 'Gone' }),
      'backlog/completed/task-8 - C.md': itemText({ id: 'TASK-8', title: 'C', status: 'In Progress' }),
      'backlog/tasks/task-9 - D.md': itemText({ id: 'TASK-9', title: 'D', dependencies: '[TASK-8]' }),
    });
    const b = backlog();
    const by = (id: string) => b.blockers(b.item(id)!).map((x) => `${x.id} ${x.reason}`);
    assert.deepStrictEqual(by('TASK-2'), ['TASK-1 open']);
    assert.deepStrictEqual(by('TASK-3'), [], 'a dependency in any case of the done status is done');
    assert.deepStrictEqual(by('TASK-5'), ['TASK-99 missing', 'TASK-6 archived']);
    assert.deepStrictEqual(by('TASK-7'), [], 'a done item is not blocked');
    assert.deepStrictEqual(by('TASK-9'), [], 'an item in completed/ is done whatever its status says');
    assert.deepStrictEqual(b.productBacklog().filter((i) => b.isReady(i)).map((i) => i.id), ['TASK-1', 'TASK-3', 'TASK-9']);
    assert.strictEqual(blockedText(b, b.item('TASK-5')!), 'blocked by TASK-99, TASK-6');
    assert.strictEqual(itemDescription(b.item('TASK-2')!, '', blockedText(b, b.item('TASK-2')!)), 'TASK-2 · To Do · blocked by TASK-1');
    assert.strictEqual(blockersTooltip(b, b.item('TASK-5')!), 'Blocked by TASK-99 (no such item), TASK-6 (archived)');
    assert.strictEqual(blockersTooltip(b, b.item('TASK-2')!), 'Blocked by TASK-1 (To Do)');
  });

  it('warns on the dependencies line of a missing or archived dependency, and on each item of a cycle, naming it', async () => {
    const { index } = await memoryBacklog({
      'backlog/config.yml': CONFIG,
      ...Object.fromEntries([task(1, { dependencies: '[TASK-2]' }), task(2, { dependencies: '[TASK-3]' }), task(3, { dependencies: '[TASK-1]' }), task(4, { dependencies: '[TASK-4]' }), task(5, { dependencies: '[TASK-42]' }), task(6, { dependencies: '[TASK-7]' })]),
      'backlog/archive/tasks/task-7 - Gone.md': itemText({ id: 'TASK-7', title: 'Gone' }),
      'backlog/completed/task-10 - Old.md': itemText({ id: 'TASK-10', title: 'Old', status: 'Done', dependencies: '[task-404, TASK-7, TASK-11]' }),
      'backlog/completed/task-11 - Old.md': itemText({ id: 'TASK-11', title: 'Old', status: 'Done', dependencies: '[TASK-10]' }),
    });
    // Finished work (TASK-10, TASK-11) is blocked by nothing: its dangling links and loops are not reported.
    const found = [...index.diagnostics().values()].flat().map((d) => `${d.path.split('/').pop()}:${d.line} ${d.code} ${d.message}`).sort();
    assert.deepStrictEqual(found, [
      'task-1 - T.md:3 dependency-cycle Dependency cycle: TASK-1 → TASK-2 → TASK-3 → TASK-1. None of these can start; remove one of the dependencies.',
      'task-2 - T.md:3 dependency-cycle Dependency cycle: TASK-1 → TASK-2 → TASK-3 → TASK-1. None of these can start; remove one of the dependencies.',
      'task-3 - T.md:3 dependency-cycle Dependency cycle: TASK-1 → TASK-2 → TASK-3 → TASK-1. None of these can start; remove one of the dependencies.',
      'task-4 - T.md:3 dependency-cycle Dependency cycle: TASK-4 → TASK-4. None of these can start; remove one of the dependencies.',
      'task-5 - T.md:3 unknown-dependency No item TASK-42 in this backlog: Backlog.md counts TASK-5 as blocked until the dependency is removed or the item exists.',
      'task-6 - T.md:3 archived-dependency TASK-7 is archived (archive/tasks/task-7 - Gone.md): Backlog.md counts TASK-6 as blocked by it. Remove the dependency.',
    ]);
    assert.ok([...index.diagnostics().values()].flat().every((d) => d.severity === 'warning'));
  });

  it('property: the items found in cycles are exactly those that reach themselves', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }), (n, pairs) => {
        const nodes = Array.from({ length: n }, (_, k) => `N${k}`);
        const edges = new Map<string, string[]>();
        for (const [a, b] of pairs) {
          const from = nodes[a % n];
          edges.set(from, [...(edges.get(from) ?? []), nodes[b % n]]);
        }
        const found = dependencyCycles(nodes, (k) => edges.get(k) ?? []);
        assert.deepStrictEqual(new Set(found.flatMap((c) => c.members)), naiveCyclic(nodes, edges));
        for (const { members, cycle } of found) {
          // The cycle shown is a real one: each step is a dependency, inside the group, back to its start.
          assert.strictEqual(cycle[0], cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) assert.ok(edges.get(cycle[i])!.includes(cycle[i + 1]) && members.includes(cycle[i]));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a cycle through a chain of 100,000 items in linear time, without running out of stack', () => {
    // A ring of `size` items, each depending on the next: one cycle holding all of them.
    const ring = (size: number) => ({ nodes: Array.from({ length: size }, (_, k) => `N${k}`), size });
    const cycles = ({ nodes, size }: ReturnType<typeof ring>) => {
      const found = dependencyCycles(nodes, (k) => [`N${(Number(k.slice(1)) + 1) % size}`]);
      assert.strictEqual(found.length, 1);
      assert.strictEqual(found[0].members.length, size);
    };
    // Growth, not a time limit: a loaded machine slows both sizes alike; a quadratic search fails.
    assertLinear('a cycle through a chain', ring, cycles, { size: 6_250, factor: 16 });
  });

  it('checks the dependencies of a backlog of 20,000 chained items at once, the cycle named in a bounded message', async () => {
    const n = 20_000;
    const files: Record<string, string> = { 'backlog/config.yml': CONFIG };
    for (let k = 1; k <= n; k++) files[`backlog/tasks/task-${k} - T.md`] = itemText({ id: `TASK-${k}`, title: 'T', dependencies: `[TASK-${k === n ? 1 : k + 1}]` });
    const { index, backlog } = await memoryBacklog(files);
    const t = performance.now();
    const diags = [...index.diagnostics().values()].flat();
    assert.ok(performance.now() - t < 5000);
    assert.strictEqual(diags.length, n);
    assert.match(diags[0].message, /^Dependency cycle: TASK-\d+ → (TASK-\d+ → ){10}… → TASK-\d+\. /);
    assert.strictEqual(backlog().productBacklog().filter((i) => backlog().isReady(i)).length, 0);
  });
});

describe('backlog-atlas list --ready and blockedBy', () => {
  it('lists only the open items nothing blocks, and says what blocks the others', async () => {
    const dir = await tempDir('atlas-ready-');
    const files: Record<string, string> = {
      'backlog/config.yml': CONFIG,
      ...Object.fromEntries([task(1), task(2, { dependencies: '[TASK-1]' }), task(3, { status: 'Done' }), task(4, { dependencies: '[TASK-3]' })]),
    };
    for (const [rel, text] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
    }
    const run = async (args: string[]) => {
      const out: string[] = [];
      const code = await runCli(args, dir, { out: (l) => out.push(l), err: () => undefined });
      assert.strictEqual(code, 0);
      return out.join('\n');
    };
    const ready = JSON.parse(await run(['list', '--ready', '--json'])) as { id: string; blockedBy: string[] }[];
    assert.deepStrictEqual(ready.map((i) => i.id), ['TASK-1', 'TASK-4']);
    const all = JSON.parse(await run(['list', '--json'])) as { id: string; blockedBy: string[] }[];
    assert.deepStrictEqual(all.map((i) => [i.id, i.blockedBy]), [['TASK-1', []], ['TASK-2', ['TASK-1']], ['TASK-4', []]]);
    assert.match(await run(['list']), /TASK-2 .* T2 \(blocked by TASK-1\)$/m);
  });
});
