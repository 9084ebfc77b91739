import * as assert from 'assert';
import fc from 'fast-check';
import { prepareTimelineSteps, tracksOf } from '../../src/core/figures/timeline';
import { BacklogHistory, HistoryEntry, ItemSnapshot, Timeline, timelineSteps } from '../../src/core/history/history';
import { finish, Slices, Steps } from '../../src/core/steps';
import { ReportsModel, ReportsOptions } from '../../src/protocol/reportsProtocol';
import { buildReportsModel, ReportsContext, reportsModelSteps } from '../../src/views/reports/reportsModel';
import { itemText, memoryBacklog } from './helpers';
import { buildReportsModelBefore, timelineBefore, tracksBefore } from './reportsBefore';

// The Reports panel runs the timeline, what figures read of it and the model a slice per turn of
// the event loop, and a new state may start while an older one is half done: the figures must
// be those of the code that built them in one call (reportsBefore.ts), however small the slices
// and however the steps of two states interleave.

const SPRINTS = ['S-1', 'S-2', 'S-3', 'S-4'];
const RELEASES = ['R-1', 'R-2'];
/** Mondays two weeks apart: S-n starts on the n-th and ends on the Friday of its second week. */
const STARTS = ['2026-09-07', '2026-09-21', '2026-10-05', '2026-10-19'];
const DAYS = ['2026-09-01', '2026-09-08', '2026-09-18', '2026-09-25', '2026-10-02', '2026-10-07', '2026-10-16', '2026-10-20', '2026-10-28'];

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const sprintArb = fc.record({
  state: fc.constantFrom('closed', 'closed', 'active', 'planned'),
  committed: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 4 }), { nil: undefined, freq: 3 }),
});
const itemArb = fc.record({
  status: fc.constantFrom('To Do', 'In Progress', 'Done'),
  sprint: fc.option(fc.constantFrom(...SPRINTS), { nil: undefined }),
  release: fc.option(fc.constantFrom(...RELEASES), { nil: undefined, freq: 2 }),
  estimate: fc.option(fc.constantFrom(1, 2, 3, 5, 8), { nil: undefined, freq: 4 }),
  completed: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
});
const versionArb = fc.record({
  date: fc.constantFrom(...DAYS),
  gone: fc.boolean(),
  sprint: fc.option(fc.constantFrom(...SPRINTS), { nil: undefined }),
  release: fc.option(fc.constantFrom(...RELEASES), { nil: undefined, freq: 2 }),
  points: fc.constantFrom(0, 1, 2, 3, 5),
  done: fc.boolean(),
  completed: fc.option(fc.constantFrom(...DAYS), { nil: undefined }),
});
const optionsArb = fc.record({
  report: fc.constantFrom<ReportsOptions['report']>('burndown', 'release', 'velocity'),
  sprint: fc.constantFrom('', ...SPRINTS),
  release: fc.constantFrom('', ...RELEASES),
  unit: fc.constantFrom<ReportsOptions['unit']>('points', 'items'),
  releaseMode: fc.constantFrom<ReportsOptions['releaseMode']>('burnup', 'burndown'),
  root: fc.constant(''),
});
const scenario = fc.record({
  sprints: fc.array(sprintArb, { minLength: 2, maxLength: 4 }),
  releaseDates: fc.tuple(fc.option(fc.constantFrom(...DAYS, '2026-12-18'), { nil: undefined }), fc.option(fc.constantFrom(...DAYS, '2026-12-18'), { nil: undefined })),
  items: fc.array(itemArb, { maxLength: 10 }),
  // BL-1 to BL-10: past versions, some for items the backlog no longer has.
  history: fc.array(fc.array(versionArb, { maxLength: 5 }), { minLength: 10, maxLength: 10 }),
  today: fc.constantFrom(...DAYS, '2026-11-20'),
  options: fc.tuple(optionsArb, optionsArb),
  slice: fc.integer({ min: 1, max: 5 }),
  // Which of the two states takes each next turn.
  turns: fc.array(fc.boolean(), { maxLength: 200 }),
  exportAt: fc.option(fc.nat(40), { nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function backlogOf(s: Scenario) {
  const files: Record<string, string> = { 'backlog/config.yml': 'project_name: "Steps"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n' };
  const sprints = ['sprints:'];
  s.sprints.forEach((sp, k) => {
    sprints.push(`  - id: ${SPRINTS[k]}`, `    name: Sprint ${k + 1}`, `    start: '${STARTS[k]}'`, `    end: '${addDays(STARTS[k], 11)}'`, `    state: ${sp.state}`);
    if (sp.committed) sprints.push(`    committed: [${sp.committed.map((n) => `{id: BL-${n}}`).join(', ')}]`);
  });
  files['backlog/sprints.yml'] = sprints.join('\n') + '\n';
  files['backlog/releases.yml'] = ['releases:', ...RELEASES.flatMap((id, k) => [`  - id: ${id}`, `    name: Release ${k + 1}`, ...(s.releaseDates[k] ? [`    date: '${s.releaseDates[k]}'`] : [])])].join('\n') + '\n';
  s.items.forEach((it, k) => {
    const fields: Record<string, string | number> = { id: `BL-${k + 1}`, title: `Item ${k + 1}`, status: it.status, created_date: "'2026-09-01'" };
    if (it.sprint) fields.sprint = it.sprint;
    if (it.release) fields.release = it.release;
    if (it.estimate !== undefined) fields.estimate = it.estimate;
    if (it.completed && it.status === 'Done') fields.completed_date = `'${it.completed}'`;
    files[`backlog/tasks/bl-${k + 1} - item-${k + 1}.md`] = itemText(fields);
  });
  return (await memoryBacklog(files)).backlog();
}

function historyOf(s: Scenario): BacklogHistory {
  const items: Timeline = new Map();
  s.history.forEach((versions, k) => {
    if (versions.length === 0) return;
    const key = `BL-${k + 1}`;
    const sorted = [...versions].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    items.set(
      key,
      sorted.map((v, i): HistoryEntry => {
        const snapshot: ItemSnapshot = { key, id: key, title: `Item ${k + 1}`, sprint: v.sprint, release: v.release, points: v.points, estimated: v.points > 0, done: v.done, completedDate: v.done ? v.completed : undefined };
        return { date: v.date, snapshot: v.gone ? undefined : snapshot, fromHistory: true, created: i === 0 ? true : undefined };
      }),
    );
  });
  return { items, source: 'git', commits: 10, detail: '' };
}

/** Runs two computations a step at a time, in the turns' order, then whatever is left of each. */
function interleave<A, B>(a: Steps<A>, b: Steps<B>, turns: boolean[], between: (turn: number) => void): [A, B] {
  let ra: IteratorResult<void, A> | undefined;
  let rb: IteratorResult<void, B> | undefined;
  let turn = 0;
  const next = (first: boolean) => {
    between(turn++);
    if (first ? ra?.done : rb?.done) return;
    if (first) ra = a.next();
    else rb = b.next();
  };
  for (const t of turns) next(t);
  while (!ra?.done) next(true);
  while (!rb?.done) next(false);
  return [ra.value, rb.value];
}

describe('the Reports panel in steps', () => {
  it('builds the timeline, its tracks and every report as they were built in one call (property)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const b = await backlogOf(s);
        const history = historyOf(s);
        const before = timelineBefore(b, history, s.today);
        // The timeline alone: a turn each of its slices, against the one built in one call.
        const steps = timelineSteps(b, history, s.today, new Slices(s.slice));
        let r = steps.next();
        while (!r.done) r = steps.next();
        const timeline = r.value;
        assert.deepStrictEqual([...timeline], [...before]);

        const ctx = (t: Timeline): ReportsContext => ({ today: s.today, roots: ['backlog'], root: 'backlog', timeline: t, hasHistory: true, historyStatus: { source: 'git', detail: '' }, nonWorkingDays: [0, 6] });
        // Two states over the same timeline, as when the options change while the first is still
        // being built: each prepares the timeline (the first to finish keeps its tracks), then
        // builds its model. An export may ask for the whole model in one call in between.
        function* state(options: ReportsOptions): Steps<ReportsModel> {
          yield* prepareTimelineSteps(timeline, new Slices(s.slice));
          return yield* reportsModelSteps(b, options, ctx(timeline), new Slices(s.slice));
        }
        const exported: ReportsModel[] = [];
        const [first, second] = interleave(state(s.options[0]), state(s.options[1]), s.turns, (turn) => {
          if (turn === s.exportAt) exported.push(buildReportsModel(b, s.options[0], ctx(timeline)));
        });
        assert.deepStrictEqual(tracksOf(timeline), tracksBefore(timeline));
        assert.deepStrictEqual(first, buildReportsModelBefore(b, s.options[0], ctx(before)));
        assert.deepStrictEqual(second, buildReportsModelBefore(b, s.options[1], ctx(before)));
        for (const m of exported) assert.deepStrictEqual(m, first);
      }),
      { numRuns: 300 },
    );
  });

  it('yields after every slice and not once more: all at once is the same as a step at a time', () => {
    function* counted(n: number, slices: Slices): Steps<number> {
      let done = 0;
      for (let i = 0; i < n; i++) {
        done++;
        if (slices.count()) yield;
      }
      if (slices.close()) yield;
      return done;
    }
    fc.assert(
      fc.property(fc.nat(50), fc.integer({ min: 1, max: 7 }), (n, size) => {
        const steps = counted(n, new Slices(size));
        let turns = 0;
        let r = steps.next();
        while (!r.done) {
          turns++;
          r = steps.next();
        }
        assert.equal(r.value, n);
        assert.equal(turns, Math.ceil(n / size));
        assert.equal(finish(counted(n, new Slices(size))), n);
      }),
    );
  });
});
