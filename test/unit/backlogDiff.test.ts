// What a branch did to the backlog: the pure diff (a backlog against itself is empty; changes made
// are reported exactly), and `backlog-atlas diff` on a real repository, read from git without a checkout.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { diffBacklogs, longestIncreasing } from '../../src/core/branches/backlogDiff';
import { diffMarkdown } from '../../src/views/branches/backlogDiffText';
import { itemText, memoryBacklog } from './helpers';
import { scratchRepo, ScratchRepo } from './scratchRepo';

const CONFIG = 'project_name: "D"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const SPRINTS = 'sprints:\n  - {id: S-1, name: Sprint 1, state: active}\n  - {id: S-2, name: Sprint 2, state: planned}\n';
const NOW = clockFromSetting('2026-11-21T09:30Z').clock;

interface Spec {
  n: number;
  estimate?: number;
  sprint?: string;
  status?: string;
  rank: string;
}

function files(specs: Spec[]): Record<string, string> {
  const out: Record<string, string> = { 'backlog/config.yml': CONFIG, 'backlog/sprints.yml': SPRINTS };
  for (const s of specs) {
    const fields: Record<string, string | number> = { id: `BL-${s.n}`, title: `Story ${s.n}`, status: s.status ?? 'To Do', type: 'story', rank: s.rank };
    if (s.estimate !== undefined) fields.estimate = s.estimate;
    if (s.sprint !== undefined) fields.sprint = s.sprint;
    out[`backlog/tasks/bl-${s.n} - Story-${s.n}.md`] = itemText(fields);
  }
  return out;
}

const rank = (n: number) => `a${String(n).padStart(3, '0')}`;

describe('backlog diff', () => {
  const specs = fc
    .array(fc.record({ estimate: fc.option(fc.constantFrom(1, 2, 3, 5, 8), { nil: undefined }), sprint: fc.option(fc.constantFrom('S-1', 'S-2'), { nil: undefined }) }), { minLength: 1, maxLength: 25 })
    .map((xs) => xs.map((x, i): Spec => ({ ...x, n: i + 1, rank: rank(i) })));

  it('finds nothing between a backlog and itself', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (s) => {
        const a = await memoryBacklog(files(s));
        const b = await memoryBacklog(files(s));
        assert.deepEqual(diffBacklogs(a.backlog(), b.backlog()), { changes: [], scope: [] });
      }),
      { numRuns: 40 },
    );
  });

  it('reports exactly the sprint moves and re-estimates made, and the scope they change', async () => {
    await fc.assert(
      fc.asyncProperty(specs, fc.infiniteStream(fc.record({ move: fc.boolean(), estimate: fc.option(fc.constantFrom(13, 21), { nil: undefined }) })), async (s, edits) => {
        const expected = new Set<string>();
        const after = s.map((x) => {
          const e = edits.next().value;
          const y = { ...x };
          if (e.move) {
            y.sprint = x.sprint === 'S-2' ? 'S-1' : 'S-2';
            expected.add(`BL-${x.n} moved`);
          }
          if (e.estimate !== undefined) {
            y.estimate = e.estimate;
            expected.add(`BL-${x.n} re-estimated`);
          }
          return y;
        });
        const diff = diffBacklogs((await memoryBacklog(files(s))).backlog(), (await memoryBacklog(files(after))).backlog());
        assert.deepEqual(new Set(diff.changes.map((c) => `${c.id} ${c.kind}`)), expected);
        assert.equal(diff.changes.length, expected.size);
        const points = (xs: Spec[], sprint: string) => xs.filter((x) => x.sprint === sprint).reduce((t, x) => t + (x.estimate ?? 0), 0);
        for (const sprint of ['S-1', 'S-2']) {
          const change = diff.scope.find((c) => c.sprint === sprint);
          assert.deepEqual(change ? [change.from, change.to] : [points(s, sprint), points(s, sprint)], [points(s, sprint), points(after, sprint)]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reports the item that moved in the order, not the ones an addition shifted', async () => {
    const s: Spec[] = [1, 2, 3, 4, 5].map((n) => ({ n, rank: rank(n) }));
    // BL-5 dragged to the top, and BL-6 added at the top.
    const after: Spec[] = [{ n: 6, rank: rank(0) }, { ...s[4], rank: `${rank(0)}m` }, ...s.slice(0, 4)];
    const diff = diffBacklogs((await memoryBacklog(files(s))).backlog(), (await memoryBacklog(files(after))).backlog());
    assert.deepEqual(
      diff.changes.map((c) => [c.id, c.kind]),
      [
        ['BL-5', 're-ranked'],
        ['BL-6', 'added'],
      ],
    );
  });

  it('finds a longest increasing run in n log n', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1000 })), (xs) => {
        const kept = [...longestIncreasing(xs)].sort((a, b) => a - b).map((i) => xs[i]);
        for (let i = 1; i < kept.length; i++) assert.ok(kept[i - 1] < kept[i]);
        // No longer run exists: checked by the quadratic definition.
        const best = xs.map(() => 1);
        for (let i = 0; i < xs.length; i++) for (let j = 0; j < i; j++) if (xs[j] < xs[i]) best[i] = Math.max(best[i], best[j] + 1);
        assert.equal(kept.length, Math.max(0, ...best));
      }),
    );
  });

  it('escapes titles in the Markdown for a pull-request comment', async () => {
    const a = await memoryBacklog(files([]));
    const b = await memoryBacklog({ ...files([]), 'backlog/tasks/bl-1 - x.md': itemText({ id: 'BL-1', title: '"<img src=x> | @team **now**"', status: 'To Do' }) });
    const md = diffMarkdown(diffBacklogs(a.backlog(), b.backlog()), { name: 'main', commit: 'c'.repeat(40) });
    assert.match(md, /\| BL-1 \| \\<img src=x\\> \\\| \\@team \\\*\\\*now\\\*\\\* \| added \|/);
  });
});

describe('backlog-atlas diff', () => {
  let repo: ScratchRepo;
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, repo.dir, { out: (l) => out.push(l), err: (l) => err.push(l) }, NOW);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeEach(() => {
    repo = scratchRepo('atlas-diff-');
    const base: Spec[] = [
      { n: 1, estimate: 3, sprint: 'S-1', rank: rank(1) },
      { n: 2, estimate: 2, sprint: 'S-1', rank: rank(2) },
      { n: 3, estimate: 3, sprint: 'S-1', rank: rank(3) },
      { n: 4, estimate: 5, rank: rank(4) },
    ];
    for (const [p, t] of Object.entries(files(base))) repo.write(p, t);
    repo.commit('backlog', '2026-11-10T10:00:00Z');
    repo.git(['branch', 'plan-sprint-2']);
    // main moves on: what main did since the branch left is not the branch's change.
    repo.write('backlog/tasks/bl-9 - On-main.md', itemText({ id: 'BL-9', title: 'On main', status: 'To Do' }));
    repo.commit('main moves on', '2026-11-13T10:00:00Z');
    repo.git(['checkout', '-q', 'plan-sprint-2']);
    // The branch moves two stories to Sprint 2 (one committed, one not yet) and re-estimates one.
    const moved = files([
      { n: 1, estimate: 3, sprint: 'S-2', rank: rank(1) },
      { n: 2, estimate: 2, sprint: 'S-2', rank: rank(2) },
      { n: 3, estimate: 8, sprint: 'S-1', rank: rank(3) },
    ]);
    repo.write('backlog/tasks/bl-1 - Story-1.md', moved['backlog/tasks/bl-1 - Story-1.md']);
    repo.commit('move BL-1', '2026-11-14T10:00:00Z');
    repo.write('backlog/tasks/bl-2 - Story-2.md', moved['backlog/tasks/bl-2 - Story-2.md']);
    repo.write('backlog/tasks/bl-3 - Story-3.md', moved['backlog/tasks/bl-3 - Story-3.md']);
  });
  afterEach(() => repo.dispose());

  it('lists exactly the two moves and the re-estimate, with the scope per sprint', async () => {
    const r = await cli(['diff', 'main', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(
      json.changes.map((c: { id: string; kind: string; from?: string; to?: string }) => [c.id, c.kind, c.from, c.to]),
      [
        ['BL-1', 'moved', 'S-1', 'S-2'],
        ['BL-2', 'moved', 'S-1', 'S-2'],
        ['BL-3', 're-estimated', '3', '8'],
      ],
    );
    assert.deepEqual(json.scope, [
      { sprint: 'S-1', name: 'Sprint 1', from: 8, to: 8 - 3 - 2 + 5 },
      { sprint: 'S-2', name: 'Sprint 2', from: 0, to: 5 },
    ].filter((s) => s.from !== s.to));
    assert.match(json.base.commit, /^[0-9a-f]{40}$/);
  });

  it('writes Markdown for a pull-request comment, and plain lines', async () => {
    const md = await cli(['diff', 'main', '--markdown']);
    assert.equal(md.code, 0, md.err);
    assert.match(md.out, /^### Backlog changes on this branch/);
    assert.match(md.out, /\| BL-1 \| Story 1 \| sprint S-1 → S-2 \|/);
    assert.match(md.out, /\| S-2 Sprint 2 \| 0 \| 5 \| \+5 \|/);
    const text = await cli(['diff', 'main']);
    assert.match(text.out, /BL-3 +re-estimated +3 → 8 points +Story 3/);
    assert.match(text.out, /3 changes to the backlog since main/);
  });

  it('says so when nothing changed, and refuses a base that is an option or unknown', async () => {
    repo.git(['checkout', '-q', '--', '.']);
    assert.match((await cli(['diff', 'plan-sprint-2', '--', 'backlog'])).out, /No changes to the backlog since plan-sprint-2/);
    const opt = await cli(['diff', '--', '--output=/tmp/x']);
    assert.equal(opt.code, 2);
    const unknown = await cli(['diff', 'no-such-branch']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /No merge base of no-such-branch/);
  });
});
