import * as assert from 'assert';
import { Backlog } from '../../src/core/backlog';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile } from '../../src/core/format/itemFile';
import { snapshotOf } from '../../src/core/history/history';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { BacklogConfig, Item, Release, Sprint, Theme } from '../../src/core/types';
import { DEFAULT_ROADMAP_OPTIONS } from '../../src/protocol/roadmapProtocol';
import { buildRoadmapModel } from '../../src/views/roadmap/roadmapModel';
import { assertLinear, assertLinearAsync } from './scaling';

// A backlog's files answer each other's questions: which sprint an item is in, which release,
// whether its status is done, where its priority ranks. A plan file or config.yml can hold
// thousands of entries, so every such question is a lookup, never a scan of the list per item:
// these take n items against n entries, and 16n against 16n, and must grow about 16 times.

const enc = (s: string) => new TextEncoder().encode(s);
const ROOT = '/ws/backlog';

function items(n: number, config: BacklogConfig, fields: (k: number) => string): Item[] {
  const out: Item[] = [];
  for (let k = 0; k < n; k++) {
    const r = parseItemFile(`${ROOT}/tasks/bl-${k}.md`, enc(`---\nid: BL-${k}\ntitle: Item ${k}\n${fields(k)}\n---\n`), { root: ROOT, folder: 'tasks', config });
    out.push(r.item!);
  }
  return out;
}

function backlogOf(parts: { items: Item[]; config?: BacklogConfig; sprints?: Sprint[]; releases?: Release[]; themes?: Theme[] }): Backlog {
  const b = new Backlog(ROOT, '/ws');
  if (parts.config) b.config = parts.config;
  b.sprints = parts.sprints ?? [];
  b.releasesFile = parts.releases ?? [];
  b.roadmap = { goals: (parts.themes ?? []).map((t, k) => ({ id: `G-${k}`, title: t.title, line: 0 })), themes: parts.themes ?? [], milestones: [] };
  for (const i of parts.items) b.byKey.set(i.key, [...(b.byKey.get(i.key) ?? []), i]);
  return b;
}

describe('backlog questions, answered in linear time', function () {
  this.timeout(120_000);

  it('checks items against a config of thousands of statuses, types, priorities and points', () => {
    // Lists ten times as long as the items are many, and every item names their last entries:
    // a search of each list per item would read them all.
    const make = (n: number) => {
      const m = 10 * n;
      const config = defaultConfig();
      config.statuses = Array.from({ length: m }, (_, k) => `Status ${k}`);
      config.types = Array.from({ length: m }, (_, k) => `type${k}`);
      config.priorities = Array.from({ length: m }, (_, k) => `p${k}`);
      config.estimateScale = Array.from({ length: m }, (_, k) => k + 1);
      return { n, config, last: m - 1 };
    };
    const read = ({ n, config, last }: ReturnType<typeof make>) => items(n, config, () => `status: Status ${last}\ntype: type${last}\npriority: p${last}\nestimate: ${last + 1}`);
    assert.deepStrictEqual(read(make(3)).map((i) => [i.status, i.type, i.priority, i.estimate]), Array(3).fill(['Status 29', 'type29', 'p29', 30]));
    assertLinear('config lists', make, read, { size: 150, runs: 2 });
    // A message names the first twenty values of a long list, not all of them for every item.
    const r = parseItemFile(`${ROOT}/tasks/bl-1.md`, enc('---\nid: BL-1\ntitle: A\nstatus: nope\n---\n'), { root: ROOT, folder: 'tasks', config: make(10).config });
    assert.strictEqual(r.diagnostics[0].message, `Status "nope" is not one of config.yml's statuses: ${Array.from({ length: 20 }, (_, k) => `Status ${k}`).join(', ')}, … (100 in all).`);
  });

  it('finds each item’s sprint, release and done status among thousands', () => {
    const make = (n: number) => {
      const config = defaultConfig();
      config.doneStatuses = Array.from({ length: n }, (_, k) => `Done ${k}`);
      config.statuses = [...config.statuses, ...config.doneStatuses];
      const sprints: Sprint[] = Array.from({ length: n }, (_, k) => ({ id: `S-${k}`, name: `Sprint ${k}`, state: 'closed', committed: [], hasCommitted: false, line: k }));
      const releases: Release[] = Array.from({ length: n }, (_, k) => ({ id: `R-${k}`, name: `Release ${k}`, date: '2027-01-01', source: 'releases', path: `${ROOT}/releases.yml`, line: k }));
      return { config, sprints, releases, items: items(n, config, (k) => `status: Done ${k}\nsprint: S-${k}\nrelease: R-${k}\nmilestone: Release ${k}`) };
    };
    const ask = (parts: ReturnType<typeof make>) => {
      const b = backlogOf(parts);
      const answers = [b.crossFileDiagnostics().length];
      for (const s of b.sprints) answers.push(b.rollup(b.sprintBacklog(s.id)).itemsDone);
      for (const r of b.releases()) answers.push(b.releaseBacklog(r.id).length);
      for (const i of b.items()) answers.push(snapshotOf(b, i).release === undefined ? 0 : 1);
      return answers;
    };
    const small = ask(make(20));
    assert.deepStrictEqual(small, [0, ...Array(20).fill(1), ...Array(20).fill(1), ...Array(20).fill(1)]);
    // 100 to 1,600: the old answers were cubic here (each release's backlog resolved every item's
    // release by a scan of the releases), and must fail at 400 rather than run for hours at 1,600.
    assertLinear('sprints, releases and done statuses', make, ask, { size: 100 });
  });

  it('finds releases by the thousands of milestones they stand for', () => {
    const make = (n: number) => {
      const releases: Release[] = Array.from({ length: n }, (_, k) => ({ id: `R-${k}`, name: `Release ${k}`, milestone: `m-${k}`, source: 'releases', path: `${ROOT}/releases.yml`, line: k }));
      const b = backlogOf({ items: [], releases });
      for (let k = 0; k < n; k++) b.milestones.set(`${ROOT}/milestones/m-${k}.md`, { id: `m-${k}`, name: `Milestone ${k}`, source: 'milestone', path: `${ROOT}/milestones/m-${k}.md`, line: 0 });
      return { b, n };
    };
    const ask = ({ b, n }: ReturnType<typeof make>) => {
      b.invalidate();
      const found: (string | undefined)[] = [];
      for (let k = 0; k < n; k++) found.push(b.release(`m-${k}`)?.id);
      return found;
    };
    assert.deepStrictEqual(ask(make(3)), ['R-0', 'R-1', 'R-2'], 'a milestone answers with the release that stands for it');
    assertLinear('releases by milestone', make, ask, { size: 200 });
  });

  it('orders items against thousands of priorities', () => {
    const make = (n: number) => {
      const config = defaultConfig();
      config.priorities = Array.from({ length: n }, (_, k) => `p${k}`);
      return { config, items: items(n, config, (k) => `priority: p${(k * 7919) % n}`) };
    };
    const order = (parts: ReturnType<typeof make>) => backlogOf(parts).allOrdered();
    assert.deepStrictEqual(order(make(5)).map((i) => i.priority), ['p0', 'p1', 'p2', 'p3', 'p4']);
    assertLinear('priorities', make, order, { size: 250 });
  });

  it('builds a roadmap of thousands of themes and goals, with an epic each', () => {
    const make = (n: number) => {
      const themes: Theme[] = Array.from({ length: n }, (_, k) => ({ id: `T-${k}`, title: `Theme ${k}`, kind: 'theme', goal: `G-${k}`, horizon: 'next', line: k }));
      return { themes, items: items(n, defaultConfig(), (k) => `type: epic\ntheme: T-${k}`) };
    };
    const build = (parts: ReturnType<typeof make>) => buildRoadmapModel(backlogOf(parts), DEFAULT_ROADMAP_OPTIONS, { today: '2026-11-21', roots: [], root: '' });
    const model = build(make(3));
    assert.deepStrictEqual(model.themes.map((t) => t.epics.map((e) => e.id)), [['BL-0'], ['BL-1'], ['BL-2']]);
    assert.deepStrictEqual(model.goals.map((g) => g.themeIds), [['T-0'], ['T-1'], ['T-2']]);
    assertLinear('roadmap', make, build, { size: 150 });
  });

  it('indexes thousands of files sharing one id, naming a few of the others in each message', async () => {
    const make = (n: number) => {
      const files: Record<string, string> = {};
      for (let k = 0; k < n; k++) files[`${ROOT}/tasks/bl-1 - copy ${k}.md`] = '---\nid: BL-1\ntitle: Copy\n---\n';
      return files;
    };
    const index = async (files: Record<string, string>) => {
      const i = new BacklogIndex(new MemoryWorkspace(files), { folders: ['/ws'] });
      await i.build();
      return i.diagnostics();
    };
    await assertLinearAsync('one id in many files', make, index, { size: 150, runs: 2 });
    const diags = [...(await index(make(8))).values()].flat();
    assert.strictEqual(diags.length, 8);
    assert.match(diags[0].message, /^The id BL-1 is also used by tasks\/bl-1 - copy \d+\.md(, tasks\/bl-1 - copy \d+\.md){4} and 2 more\. Give one of them a new id\.$/);
  });
});
