// One definition of each figure (core/figures) and every surface that shows one: the Sprints and
// Releases views, the status bar, the story map, the reports, New Sprint's capacity and the CLI.
import * as assert from 'assert';
import fc from 'fast-check';
import { itemJson, statsOf } from '../../src/cli/cli';
import { Backlog } from '../../src/core/backlog';
import { counts, figurePoints, forecastSprints, isDone, releaseFigures, sprintFigures, tally, velocity } from '../../src/core/figures/figures';
import { BacklogHistory, HistoryEntry, snapshotOf, timelineOf } from '../../src/core/history/history';
import { sprintDefaults } from '../../src/core/rules/sprintDefaults';
import { DEFAULT_STORY_MAP_OPTIONS } from '../../src/protocol/storyMapProtocol';
import { velocityReport } from '../../src/views/reports/reports';
import { buildStoryMapModel } from '../../src/views/storyMap/storyMapModel';
import { listRows, releaseDescription, sprintDescription, sprintStatusText, sprintSummary } from '../../src/views/trees/backlogViewModel';
import { itemText, memoryBacklog } from './helpers';

const TODAY = '2026-11-21';
const CONFIG = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';

const SPRINTS = [
  'sprints:',
  "  - {id: S-1, name: Sprint 1, state: closed, start: '2026-10-19', end: '2026-10-30'}",
  "  - {id: S-2, name: Sprint 2, state: closed, start: '2026-11-02', end: '2026-11-13'}",
  "  - {id: S-3, name: Sprint 3, state: active, start: '2026-11-16', end: '2026-11-27', capacity: 20}",
  '',
].join('\n');

async function backlogOf(items: Record<string, Record<string, string | number>>, extra: Record<string, string> = {}): Promise<Backlog> {
  const files: Record<string, string> = { 'backlog/config.yml': CONFIG, 'backlog/sprints.yml': SPRINTS, 'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-15'}\n", ...extra };
  for (const [path, fields] of Object.entries(items)) files[`backlog/${path}`] = itemText(fields);
  const { backlog } = await memoryBacklog(files);
  return backlog();
}

describe('figures: one definition of each number', () => {
  it('takes an item’s points from its estimate, else its size, and counts no epic, draft, archived item or opportunity', async () => {
    const b = await backlogOf({
      'tasks/bl-1 - a.md': { id: 'BL-1', title: 'Epic', type: 'epic', size: 'XL', sprint: 'S-3' },
      'tasks/bl-2 - b.md': { id: 'BL-2', title: 'Sized', type: 'story', size: 'M', sprint: 'S-3' },
      'tasks/bl-3 - c.md': { id: 'BL-3', title: 'Both', type: 'story', size: 'M', estimate: 2, sprint: 'S-3' },
      'tasks/bl-4 - d.md': { id: 'BL-4', title: 'Idea', type: 'opportunity', estimate: 5, sprint: 'S-3' },
      'drafts/draft-1 - e.md': { id: 'DRAFT-1', title: 'Draft', estimate: 8, sprint: 'S-3' },
      'archive/tasks/bl-5 - f.md': { id: 'BL-5', title: 'Dropped', estimate: 13, sprint: 'S-3', status: 'Done' },
    });
    const points = (id: string) => figurePoints(b.item(id)!, b.config);
    // M is 5 points by default; the estimate wins over the size.
    assert.deepStrictEqual(['BL-1', 'BL-2', 'BL-3', 'BL-4', 'DRAFT-1', 'BL-5'].map(points), [0, 5, 2, 0, 0, 0]);
    assert.deepStrictEqual(b.items().filter(counts).map((i) => i.id).sort(), ['BL-2', 'BL-3']);
    const f = sprintFigures(b, b.sprint('S-3')!);
    assert.deepStrictEqual([f.completed, f.scope], [0, 7]);
  });

  it('never counts an archived item as done: dropped work is not velocity', async () => {
    const b = await backlogOf({
      'tasks/bl-1 - a.md': { id: 'BL-1', title: 'Done', estimate: 3, sprint: 'S-2', status: 'Done' },
      'completed/bl-2 - b.md': { id: 'BL-2', title: 'Completed folder', estimate: 5, sprint: 'S-2', status: 'To Do' },
      'archive/tasks/bl-3 - c.md': { id: 'BL-3', title: 'Archived', estimate: 8, sprint: 'S-2', status: 'Done' },
    });
    assert.deepStrictEqual(['BL-1', 'BL-2', 'BL-3'].map((id) => isDone(b.item(id)!, b.config)), [true, true, false]);
    assert.deepStrictEqual(b.sprintBacklog('S-2').map((i) => i.id), ['BL-1', 'BL-2']);
    assert.strictEqual(sprintFigures(b, b.sprint('S-2')!).completed, 8);
    assert.strictEqual(statsOf(b, '/ws').archived, 1);
  });

  it('counts an item archived during a sprint as scope removed, not done, in the history', async () => {
    const b = await backlogOf({ 'archive/tasks/bl-1 - a.md': { id: 'BL-1', title: 'Dropped', estimate: 8, sprint: 'S-3', status: 'Done' } }, { 'backlog/sprints.yml': SPRINTS.replace("capacity: 20}", 'capacity: 20, committed: [{id: BL-1, estimate: 8}]}') });
    const snap = snapshotOf(b, b.item('BL-1')!);
    assert.strictEqual(snap.sprint, undefined);
    assert.strictEqual(snap.done, false);
    const history: HistoryEntry[] = [{ date: '2026-11-10', snapshot: { ...snap, sprint: 'S-3', done: false }, fromHistory: true, created: true }];
    const timeline = timelineOf(b, { items: new Map([[snap.key, history]]), source: 'git', commits: 1, detail: '' }, TODAY);
    const f = sprintFigures(b, b.sprint('S-3')!, 'points', { timeline, today: TODAY, hasHistory: true });
    assert.deepStrictEqual([f.committed, f.completed, f.scope], [8, 0, 0]);
  });

  it('counts a subtask once, at its own points, and lists it once: under its parent', async () => {
    const b = await backlogOf({
      'tasks/bl-12 - a.md': { id: 'BL-12', title: 'Parent', estimate: 5, sprint: 'S-3' },
      'tasks/bl-12.01 - b.md': { id: 'BL-12.01', title: 'Subtask', estimate: 1, sprint: 'S-3', parent_task_id: 'BL-12', status: 'Done' },
      'tasks/bl-13 - c.md': { id: 'BL-13', title: 'Subtask elsewhere', estimate: 2, sprint: 'S-3', parent_task_id: 'BL-99' },
    });
    const f = sprintFigures(b, b.sprint('S-3')!);
    assert.deepStrictEqual([f.completed, f.scope], [1, 8]);
    assert.deepStrictEqual(listRows(b.sprintBacklog('S-3')).map((i) => i.id), ['BL-12', 'BL-13']);
    // Twice in a list is still once in a tally.
    const twice = [...b.sprintBacklog('S-3'), b.item('BL-12')!];
    assert.strictEqual(tally(twice, b.config).pointsTotal, 8);
  });

  it('keeps items that name each other as parents as rows, rather than losing both', async () => {
    const b = await backlogOf({
      'tasks/bl-1 - a.md': { id: 'BL-1', title: 'A', sprint: 'S-3', parent_task_id: 'BL-2' },
      'tasks/bl-2 - b.md': { id: 'BL-2', title: 'B', sprint: 'S-3', parent_task_id: 'BL-1' },
    });
    assert.deepStrictEqual(listRows(b.sprintBacklog('S-3')).map((i) => i.id).sort(), ['BL-1', 'BL-2']);
  });

  it('lists a subtask under its task in the Product Backlog, while a story keeps its row beside its epic', async () => {
    const b = await backlogOf({
      'tasks/bl-1 - a.md': { id: 'BL-1', title: 'Epic', type: 'epic' },
      'tasks/bl-2 - b.md': { id: 'BL-2', title: 'Story', type: 'story', epic: 'BL-1' },
      'tasks/bl-2.01 - c.md': { id: 'BL-2.01', title: 'Subtask', parent_task_id: 'BL-2' },
      'tasks/bl-3 - d.md': { id: 'BL-3', title: 'Subtask of a done task', parent_task_id: 'BL-9' },
    });
    assert.deepStrictEqual(listRows(b.productBacklog(), ['parent']).map((i) => i.id).sort(), ['BL-1', 'BL-2', 'BL-3']);
  });

  it('puts an item in one release: its `release`, else its milestone', async () => {
    const b = await backlogOf(
      {
        'tasks/bl-1 - a.md': { id: 'BL-1', title: 'Both', estimate: 5, release: 'R-1', milestone: 'm-1' },
        'tasks/bl-2 - b.md': { id: 'BL-2', title: 'Milestone only', estimate: 3, milestone: 'm-1', status: 'Done' },
      },
      { 'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n' },
    );
    assert.strictEqual(releaseDescription(b, b.release('R-1')!), '2027-01-15 · 0/5 pts');
    assert.strictEqual(releaseDescription(b, b.release('m-1')!), '3/3 pts');
  });

  it('makes a release and the Backlog.md milestone it stands for one release', async () => {
    const b = await backlogOf(
      {
        'tasks/bl-1 - a.md': { id: 'BL-1', title: 'Release', estimate: 5, release: 'R-1' },
        'tasks/bl-2 - b.md': { id: 'BL-2', title: 'Milestone only', estimate: 3, milestone: 'm-1', status: 'Done' },
        'tasks/bl-3 - c.md': { id: 'BL-3', title: 'By number', estimate: 2, milestone: '1' },
      },
      {
        'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-15', milestone: m-1}\n  - {id: R-2, name: Two, milestone: m-9}\n",
        'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
      },
    );
    // Listed once, as the release; the milestone answers by id, number and title with it.
    assert.deepStrictEqual(
      b.releases().map((r) => r.id),
      ['R-1', 'R-2'],
    );
    for (const ref of ['m-1', '1', 'Beta', 'R-1']) assert.strictEqual(b.release(ref)?.id, 'R-1', ref);
    assert.deepStrictEqual(
      b.releaseBacklog('R-1').map((i) => i.id),
      ['BL-1', 'BL-2', 'BL-3'],
    );
    assert.strictEqual(releaseDescription(b, b.release('R-1')!), '2027-01-15 · 3/10 pts');
    // A milestone that does not exist is named, on the release that names it.
    const unknown = b.crossFileDiagnostics().filter((d) => d.code === 'unknown-milestone');
    assert.deepStrictEqual(
      unknown.map((d) => [d.path.endsWith('releases.yml'), d.message]),
      [[true, 'No milestone m-9 in milestones/ (or another release already stands for it).']],
    );
  });

  it('averages the last three closed sprints by start date, and forecasts with that average', async () => {
    const sprints = [
      'sprints:',
      "  - {id: S-4, name: Sprint 4, state: closed, start: '2026-11-02', end: '2026-11-13'}",
      "  - {id: S-1, name: Sprint 1, state: closed, start: '2026-10-05', end: '2026-10-16'}",
      "  - {id: S-2, name: Sprint 2, state: closed, start: '2026-10-12', end: '2026-10-23'}",
      "  - {id: S-3, name: Sprint 3, state: closed, start: '2026-10-19', end: '2026-10-30'}",
      "  - {id: S-5, name: Sprint 5, state: active, start: '2026-11-16', end: '2026-11-27'}",
      '',
    ].join('\n');
    const done = (id: string, sprint: string, estimate: number) => ({ id, title: id, estimate, sprint, status: 'Done' });
    const b = await backlogOf(
      {
        'tasks/bl-1 - a.md': done('BL-1', 'S-1', 100),
        'tasks/bl-2 - b.md': done('BL-2', 'S-2', 10),
        'tasks/bl-3 - c.md': done('BL-3', 'S-3', 20),
        'tasks/bl-4 - d.md': done('BL-4', 'S-4', 31),
        'tasks/bl-5 - e.md': done('BL-5', 'S-5', 50),
        'tasks/bl-6 - f.md': { id: 'BL-6', title: 'Open', estimate: 41, release: 'R-1' },
      },
      { 'backlog/sprints.yml': sprints },
    );
    const v = velocity(b);
    assert.deepStrictEqual(v.over.map((s) => s.id), ['S-2', 'S-3', 'S-4']);
    assert.deepStrictEqual(v.completed, [10, 20, 31]);
    assert.ok(Math.abs(v.average! - 61 / 3) < 1e-9);
    // 41 open points at 20.33 a sprint: 3 sprints.
    assert.strictEqual(releaseFigures(b, b.release('R-1')!).forecastSprints, 3);
    assert.strictEqual(sprintDefaults(b, new Date(`${TODAY}T12:00:00Z`)).capacity, 20);
    const map = buildStoryMapModel(b, DEFAULT_STORY_MAP_OPTIONS, { today: TODAY, roots: [], root: b.root });
    assert.match(map.slices.find((s) => s.id === 'R-1')!.capacityLabel ?? '', / at 20\.3 per sprint$/);
  });

  it('forecasts 0 sprints for finished work and none without a pace or past the horizon', () => {
    assert.deepStrictEqual([forecastSprints(0, undefined), forecastSprints(6, 3), forecastSprints(7, 3), forecastSprints(5, undefined), forecastSprints(5, 0), forecastSprints(1e6, 1)], [0, 2, 3, undefined, undefined, undefined]);
  });

  it('gives every surface the same figure for each sprint, release and the average, with and without a history (property)', async () => {
    const sprintIds = ['S-1', 'S-2', 'S-3', 'S-4'];
    const itemArb = fc.record({
      type: fc.constantFrom('story', 'task', 'bug', 'epic', 'opportunity'),
      folder: fc.constantFrom('tasks', 'tasks', 'tasks', 'completed', 'drafts', 'archive/tasks'),
      status: fc.constantFrom('To Do', 'In Progress', 'Done'),
      estimate: fc.option(fc.integer({ min: 0, max: 13 }), { nil: undefined }),
      size: fc.option(fc.constantFrom('XS', 'S', 'M', 'L', 'XL'), { nil: undefined }),
      sprint: fc.option(fc.constantFrom(...sprintIds, 's-2'), { nil: undefined }),
      release: fc.option(fc.constantFrom('R-1', 'R-2', 'm-1'), { nil: undefined }),
      milestone: fc.option(fc.constantFrom('m-1', 'Beta'), { nil: undefined }),
      parent: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
      step: fc.option(fc.constantFrom('find', 'book'), { nil: undefined }),
    });
    const states = fc.tuple(...sprintIds.map(() => fc.constantFrom('closed', 'active', 'planned')));
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { maxLength: 12 }), states, fc.boolean(), async (items, sprintStates, withHistory) => {
        const sprintsYml = ['sprints:', ...sprintIds.map((id, k) => `  - {id: ${id}, name: Sprint ${k + 1}, state: ${sprintStates[k]}, start: '2026-${10 + (k >> 1)}-0${1 + 2 * (k % 2)}', end: '2026-${10 + (k >> 1)}-1${2 * (k % 2)}'}`), ''].join('\n');
        const files: Record<string, string> = {
          'backlog/config.yml': CONFIG,
          'backlog/sprints.yml': sprintsYml,
          'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-15'}\n  - {id: R-2, name: Two}\n",
          'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
          'backlog/storymap.yml': 'activities:\n  - id: plan\n    title: Plan\n    steps:\n      - {id: find, title: Find}\n      - {id: book, title: Book}\n',
        };
        items.forEach((it, k) => {
          const fields: Record<string, string | number> = { id: `BL-${k + 1}`, title: `Item ${k + 1}`, status: it.status, type: it.type };
          if (it.estimate !== undefined) fields.estimate = it.estimate;
          if (it.size !== undefined) fields.size = it.size;
          if (it.sprint !== undefined) fields.sprint = it.sprint;
          if (it.release !== undefined) fields.release = it.release;
          if (it.milestone !== undefined) fields.milestone = it.milestone;
          if (it.parent !== undefined && it.parent !== k + 1) fields.parent_task_id = `BL-${it.parent}`;
          if (it.step !== undefined) fields.step = it.step;
          files[`backlog/${it.folder}/bl-${k + 1} - item.md`] = itemText(fields);
        });
        const { backlog } = await memoryBacklog(files);
        const b = backlog();
        // A history in which every item existed, not done, before the first sprint: the files
        // are then the last version, and each done item was done within its sprint.
        const history: BacklogHistory | undefined = withHistory
          ? { items: new Map(b.items().map((i) => { const s = snapshotOf(b, i); return [s.key, [{ date: '2026-09-01', snapshot: { ...s, done: false, completedDate: undefined }, fromHistory: true, created: true }]]; })), source: 'git', commits: 1, detail: '' }
          : undefined;
        const timeline = timelineOf(b, history, TODAY);
        const reportVelocity = velocityReport(b, timeline, { today: TODAY, unit: 'points', hasHistory: withHistory });
        const stats = statsOf(b, '/ws');
        const listed = b.allOrdered().map((i) => itemJson(b, i, '/ws'));
        const bySprint = buildStoryMapModel(b, { ...DEFAULT_STORY_MAP_OPTIONS, sliceBy: 'sprint' }, { today: TODAY, roots: [], root: b.root });
        const byRelease = buildStoryMapModel(b, DEFAULT_STORY_MAP_OPTIONS, { today: TODAY, roots: [], root: b.root });
        const today = new Date(`${TODAY}T12:00:00Z`);
        for (const s of b.sprints) {
          const f = sprintFigures(b, s);
          const text = `${f.completed}/${f.scope} pts`;
          assert.ok(sprintDescription(sprintSummary(b, s, today)).startsWith(text), `Sprints view of ${s.id}`);
          assert.ok(sprintStatusText(s, sprintSummary(b, s, today)).includes(` · ${text}`), `status bar of ${s.id}`);
          const band = bySprint.slices.find((x) => x.id === s.id)!;
          assert.deepStrictEqual([band.pointsDone, band.pointsTotal], [f.completed, f.scope], `story map band of ${s.id}`);
          const st = stats.sprints.find((x) => x.id === s.id)!;
          assert.deepStrictEqual([st.completed, st.pointsTotal], [f.completed, f.scope], `stats of ${s.id}`);
          const reported = reportVelocity.sprints.find((x) => x.sprintId === s.id);
          if (reported) assert.strictEqual(reported.completed, f.completed, `reports velocity of ${s.id}`);
          if (s.state === 'closed') {
            const fromList = listed.filter((i) => i.done && i.sprint?.toUpperCase() === s.id).reduce((n, i) => n + i.points, 0);
            assert.strictEqual(fromList, f.completed, `list --json of ${s.id}`);
          }
        }
        for (const r of b.releases()) {
          const f = releaseFigures(b, r);
          assert.ok(releaseDescription(b, r).endsWith(`${f.pointsDone}/${f.pointsTotal} pts`), `Releases view of ${r.id}`);
          const band = byRelease.slices.find((x) => x.id === r.id)!;
          assert.deepStrictEqual([band.pointsDone, band.pointsTotal], [f.pointsDone, f.pointsTotal], `story map band of ${r.id}`);
          const st = stats.releases.find((x) => x.id === r.id)!;
          assert.deepStrictEqual([st.pointsDone, st.pointsTotal], [f.pointsDone, f.pointsTotal], `stats of ${r.id}`);
        }
        const v = velocity(b);
        const round2 = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
        assert.strictEqual(reportVelocity.average, round2(v.average), 'reports average');
        assert.deepStrictEqual(reportVelocity.averageOver, v.over.map((s) => s.id));
        assert.strictEqual(stats.velocity.average, v.average, 'stats average');
        // An average that rounds to 0 gives the default capacity instead, said so in the prompt.
        if (v.average !== undefined && Math.round(v.average) > 0) {
          assert.strictEqual(sprintDefaults(b, today).capacity, Math.round(v.average), 'New Sprint capacity');
          const label = byRelease.slices.find((x) => x.id === 'R-1')!.capacityLabel ?? '';
          assert.ok(label.endsWith(` at ${Math.round(v.average * 10) / 10} per sprint`), `story map label ${label}`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
