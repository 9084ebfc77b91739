import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Backlog } from '../../src/core/backlog';
import { HistoryEntry, ItemSnapshot, Timeline } from '../../src/core/history/history';
import { EmptyReport, ReportOptions, defaultRelease, defaultSprint, releaseBurn, sprintBurndown, velocityReport } from '../../src/views/reports/reports';
import { Sprint } from '../../src/core/types';
import { BurndownDay, ReleaseBurn, SprintBurndown } from '../../src/protocol/reportsProtocol';
import { memoryBacklog } from './helpers';

// Histories are written by hand: each item is a list of versions, as the git adapter would read
// them (`fromHistory` true) or as the working tree gives them today (`fromHistory` false).
// 2026-11-16 is a Monday: sprint S-14 runs two working weeks, 16th to 27th.

const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const TODAY = '2026-11-25';
const HISTORY: ReportOptions = { today: TODAY, unit: 'points', hasHistory: true };
const NO_HISTORY: ReportOptions = { ...HISTORY, hasHistory: false };
const NO_HISTORY_NOTE = 'Without git history, scope changes the files do not date are shown on the first day they are known, marked “date unknown”.';

interface SprintSpec {
  id: string;
  name?: string;
  start?: string;
  end?: string;
  state?: string;
  goal?: string;
  /** [id, estimate]; an empty list records an empty commitment, undefined records none. */
  committed?: [string, number?][];
}

function sprintsYml(specs: SprintSpec[]): string {
  const lines = ['sprints:'];
  for (const s of specs) {
    lines.push(`  - id: ${s.id}`, `    name: ${s.name ?? `Sprint ${s.id.slice(2)}`}`);
    if (s.start) lines.push(`    start: '${s.start}'`);
    if (s.end) lines.push(`    end: '${s.end}'`);
    if (s.goal) lines.push(`    goal: ${s.goal}`);
    lines.push(`    state: ${s.state ?? 'closed'}`);
    if (s.committed?.length === 0) lines.push('    committed: []');
    else if (s.committed) {
      lines.push('    committed:');
      for (const [id, estimate] of s.committed) lines.push(estimate === undefined ? `      - {id: ${id}}` : `      - {id: ${id}, estimate: ${estimate}}`);
    }
  }
  return lines.join('\n') + '\n';
}

function releasesYml(specs: { id: string; name?: string; date?: string }[]): string {
  const lines = ['releases:'];
  for (const r of specs) {
    lines.push(`  - id: ${r.id}`, `    name: ${r.name ?? `Release ${r.id}`}`);
    if (r.date) lines.push(`    date: '${r.date}'`);
  }
  return lines.join('\n') + '\n';
}

async function backlogWith(sprints: SprintSpec[], releases: { id: string; name?: string; date?: string }[] = []): Promise<Backlog> {
  const files: Record<string, string> = { 'backlog/config.yml': config, 'backlog/sprints.yml': sprintsYml(sprints) };
  if (releases.length > 0) files['backlog/releases.yml'] = releasesYml(releases);
  const { backlog } = await memoryBacklog(files);
  return backlog();
}

/** Item BL-n as one version: 3 points, estimated, not done, in no sprint, unless `fields` says. */
function snap(n: number, fields: Partial<ItemSnapshot> = {}): ItemSnapshot {
  return { key: `BL-${n}`, id: `BL-${n}`, title: `Item ${n}`, points: 3, estimated: true, done: false, ...fields };
}

/** A version of BL-n from the history (a commit) dated `date`. */
function v(n: number, date: string, fields: Partial<ItemSnapshot> = {}, fromHistory = true): HistoryEntry {
  return { date, snapshot: snap(n, fields), fromHistory };
}

/** BL-n as the working tree has it today, with nothing known before. */
function now(n: number, fields: Partial<ItemSnapshot> = {}, today = TODAY): HistoryEntry {
  return v(n, today, fields, false);
}

/** A version of BL-n from the history that added its file: the item did not exist before `date`. */
function born(n: number, date: string, fields: Partial<ItemSnapshot> = {}): HistoryEntry {
  return { ...v(n, date, fields), created: true };
}

function gone(date: string, fromHistory = true): HistoryEntry {
  return { date, snapshot: undefined, fromHistory };
}

function timeline(tracks: Record<number, HistoryEntry[]>): Timeline {
  return new Map(Object.entries(tracks).map(([n, entries]) => [`BL-${n}`, entries]));
}

function drawn<T extends object>(r: T | EmptyReport): T {
  if ('empty' in r) assert.fail(`expected a report, got: ${r.empty}`);
  return r;
}

function col<K extends keyof BurndownDay>(b: SprintBurndown, key: K): BurndownDay[K][] {
  return b.days.map((d) => d[key]);
}

function dayOf(b: SprintBurndown, date: string): BurndownDay {
  const d = b.days.find((x) => x.date === date);
  assert.ok(d, `no day ${date}`);
  return d;
}

const S14 = { id: 'S-14', start: '2026-11-16', end: '2026-11-27', state: 'active' };
const IN = { sprint: 'S-14' };

describe('reports', () => {
  describe('sprint burndown', () => {
    /**
     * Committed: BL-1 (3), BL-2 (5), BL-3 (2). BL-1 is done on the 17th, recorded on the 18th;
     * BL-4 (2) comes in on day 3; BL-2 leaves on day 5; BL-3 is done on the 24th.
     */
    async function scopeChangeSprint(options: ReportOptions = HISTORY): Promise<SprintBurndown> {
      const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2', 5], ['BL-3', 2]] }]);
      const t = timeline({
        1: [v(1, '2026-11-10', IN), v(1, '2026-11-18', { ...IN, done: true, completedDate: '2026-11-17' })],
        2: [v(2, '2026-11-10', { ...IN, points: 5 }), v(2, '2026-11-20', { points: 5 })],
        3: [v(3, '2026-11-10', { ...IN, points: 2 }), v(3, '2026-11-24', { ...IN, points: 2, done: true, completedDate: '2026-11-24' })],
        4: [v(4, '2026-11-18', { ...IN, points: 2 })],
      });
      return drawn(sprintBurndown(b, 'S-14', t, options));
    }

    it('draws an added item on the day it came in and a removed one on the day it left', async () => {
      const b = await scopeChangeSprint();
      assert.deepEqual(col(b, 'added'), [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual(col(b, 'removed'), [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
      assert.deepEqual(b.changes, [
        { date: '2026-11-18', id: 'BL-4', title: 'Item 4', kind: 'added', delta: 2, dateKnown: true },
        { date: '2026-11-20', id: 'BL-2', title: 'Item 2', kind: 'removed', delta: -5, dateKnown: true },
      ]);
    });

    it('keeps scope changes out of the burn: remaining falls only on the completed_date days', async () => {
      const b = await scopeChangeSprint();
      assert.deepEqual(col(b, 'scope'), [10, 10, 12, 12, 7, 7, 7, 7, 7, 7, null, null]);
      assert.deepEqual(col(b, 'completed'), [0, 3, 3, 3, 3, 3, 3, 3, 5, 5, null, null]);
      assert.deepEqual(col(b, 'remaining'), [10, 7, 9, 9, 4, 4, 4, 4, 2, 2, null, null]);
      assert.deepEqual([b.scopeNow, b.completedNow, b.remainingNow], [7, 5, 2]);
    });

    it('carries the sprint itself: name, dates, state, recorded commitment', async () => {
      const b = await scopeChangeSprint();
      assert.deepEqual(
        [b.sprintId, b.name, b.start, b.end, b.state, b.unit, b.committed, b.committedSource],
        ['S-14', 'Sprint 14', '2026-11-16', '2026-11-27', 'active', 'points', 10, 'recorded'],
      );
      assert.deepEqual(b.notes, []);
    });

    it('counts items instead of points in the items unit', async () => {
      const b = await scopeChangeSprint({ ...HISTORY, unit: 'items' });
      assert.equal(b.committed, 3);
      assert.deepEqual(col(b, 'scope'), [3, 3, 4, 4, 3, 3, 3, 3, 3, 3, null, null]);
      assert.deepEqual(col(b, 'completed'), [0, 1, 1, 1, 1, 1, 1, 1, 2, 2, null, null]);
      assert.deepEqual(b.changes.map((c) => [c.id, c.delta]), [['BL-4', 1], ['BL-2', -1]]);
    });

    it('shows raised and lowered estimates during the sprint as added and removed scope', async () => {
      const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2', 5]] }]);
      const t = timeline({
        1: [v(1, '2026-11-10', IN), v(1, '2026-11-18', { ...IN, points: 5 })],
        2: [v(2, '2026-11-10', { ...IN, points: 5 }), v(2, '2026-11-19', { ...IN, points: 3 })],
      });
      const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
      assert.deepEqual(col(r, 'scope').slice(0, 5), [8, 8, 10, 8, 8]);
      assert.deepEqual([dayOf(r, '2026-11-18').added, dayOf(r, '2026-11-19').removed], [2, 2]);
      assert.deepEqual(r.changes, [
        { date: '2026-11-18', id: 'BL-1', title: 'Item 1', kind: 're-estimated', delta: 2, dateKnown: true },
        { date: '2026-11-19', id: 'BL-2', title: 'Item 2', kind: 're-estimated', delta: -2, dateKnown: true },
      ]);
    });

    it('takes the recorded commitment over the versions before the start; what joined shows on the first day', async () => {
      const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2', 2]] }]);
      // The history says BL-1 weighed 5 and BL-2 was in no sprint (the planning commit landed
      // late): the commitment Start Sprint recorded wins. BL-3 joined unannounced.
      const t = timeline({ 1: [v(1, '2026-11-10', { ...IN, points: 5 })], 2: [v(2, '2026-11-10', { points: 2 })], 3: [v(3, '2026-11-12', { ...IN, points: 1 })] });
      const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
      assert.equal(r.committed, 5);
      assert.deepEqual([r.days[0].scope, r.days[0].added, r.days[0].removed], [6, 1, 0]);
      assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.delta]), [['2026-11-16', 'BL-3', 'added', 1]]);
      // A version after the start does change a committed item.
      const later = timeline({ 1: [v(1, '2026-11-10', { ...IN, points: 5 }), v(1, '2026-11-17', { points: 5 })], 2: [v(2, '2026-11-10', { points: 2 })] });
      const r2 = drawn(sprintBurndown(b, 'S-14', later, HISTORY));
      assert.deepEqual(r2.changes.map((c) => [c.date, c.id, c.kind, c.delta]), [['2026-11-17', 'BL-1', 'removed', -3]]);
    });

    it('shows a deleted item as removed on the day it was deleted, and no longer in remaining', async () => {
      const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2', 5]] }]);
      const t = timeline({ 1: [v(1, '2026-11-10', IN)], 2: [v(2, '2026-11-10', { ...IN, points: 5 }), gone('2026-11-19')] });
      const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
      assert.deepEqual(col(r, 'remaining').slice(0, 5), [8, 8, 8, 3, 3]);
      assert.deepEqual(r.changes, [{ date: '2026-11-19', id: 'BL-2', title: 'Item 2', kind: 'removed', delta: -5, dateKnown: true }]);
    });

    describe('without history', () => {
      async function noHistorySprint(): Promise<SprintBurndown> {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 2], ['BL-2', 5], ['BL-3', 1]] }]);
        const t = timeline({
          1: [now(1, IN)],
          2: [now(2, IN)],
          3: [now(3, { ...IN, points: 1, done: true, completedDate: '2026-11-18' })],
          5: [now(5, { ...IN, points: 2 })],
        });
        return drawn(sprintBurndown(b, 'S-14', t, NO_HISTORY));
      }

      it('shows re-estimates of committed items on today, marked date unknown', async () => {
        const b = await noHistorySprint();
        const reestimates = b.changes.filter((c) => c.kind === 're-estimated');
        assert.deepEqual(reestimates, [
          { date: TODAY, id: 'BL-1', title: 'Item 1', kind: 're-estimated', delta: 1, dateKnown: false },
          { date: TODAY, id: 'BL-2', title: 'Item 2', kind: 're-estimated', delta: -2, dateKnown: false },
        ]);
      });

      it('shows an uncommitted item as added today, date unknown, and keeps the committed scope until then', async () => {
        const b = await noHistorySprint();
        assert.deepEqual(b.changes.find((c) => c.id === 'BL-5'), { date: TODAY, id: 'BL-5', title: 'Item 5', kind: 'added', delta: 2, dateKnown: false });
        assert.deepEqual(col(b, 'scope'), [8, 8, 8, 8, 8, 8, 8, 8, 8, 9, null, null]);
        assert.deepEqual([dayOf(b, TODAY).added, dayOf(b, TODAY).removed], [3, 2]);
      });

      it('counts an item done per its completed_date from that day, though only today knows it', async () => {
        const b = await noHistorySprint();
        assert.deepEqual(col(b, 'completed').slice(0, 4), [0, 0, 1, 1]);
        assert.deepEqual(col(b, 'remaining').slice(0, 4), [8, 8, 7, 7]);
        assert.ok(!b.changes.some((c) => c.id === 'BL-3'), 'completion is not a scope change');
      });

      it('says so in a note', async () => {
        const b = await noHistorySprint();
        assert.deepEqual(b.notes, [NO_HISTORY_NOTE]);
      });

      it('keeps a committed item the backlog no longer has until today, then shows it removed', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-9', 4]] }]);
        const r = drawn(sprintBurndown(b, 'S-14', timeline({ 1: [now(1, IN)] }), NO_HISTORY));
        assert.equal(r.committed, 7);
        assert.equal(r.days[0].remaining, 7);
        assert.deepEqual(r.changes, [{ date: TODAY, id: 'BL-9', title: '', kind: 'removed', delta: -4, dateKnown: false }]);
        assert.equal(r.remainingNow, 3);
      });
    });

    describe('items created during the sprint', () => {
      it('shows an item created on day 3 as added that day, date known, and not in the current items taken as committed', async () => {
        const b = await backlogWith([S14]);
        const t = timeline({ 1: [now(1, IN)], 2: [now(2, { ...IN, points: 5 })], 3: [now(3, { ...IN, points: 2, createdDate: '2026-11-18' })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, NO_HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [8, 'current']);
        assert.deepEqual(r.changes, [{ date: '2026-11-18', id: 'BL-3', title: 'Item 3', kind: 'added', delta: 2, dateKnown: true }]);
        assert.deepEqual(col(r, 'scope'), [8, 8, 10, 10, 10, 10, 10, 10, 10, 10, null, null]);
        assert.deepEqual(col(r, 'added'), [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      });

      it('keeps an item the history saw being added on day 3 out of the scope of the first day', async () => {
        const b = await backlogWith([S14]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN)], 2: [v(2, '2026-11-10', { ...IN, points: 5 })], 3: [born(3, '2026-11-18', { ...IN, points: 2 })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [8, 'history']);
        assert.deepEqual(r.changes, [{ date: '2026-11-18', id: 'BL-3', title: 'Item 3', kind: 'added', delta: 2, dateKnown: true }]);
      });

      it('still takes a first version the history did not see created as held since forever', async () => {
        // A cut history: BL-3's first version may be a move of an item that was there all along.
        const b = await backlogWith([S14]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN)], 3: [v(3, '2026-11-18', { ...IN, points: 2 })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual([r.committed, r.changes], [5, []]);
      });

      it('ignores a created_date later than the first version', async () => {
        const b = await backlogWith([S14]);
        const t = timeline({ 1: [v(1, '2026-11-10', { ...IN, createdDate: '2026-11-20' })], 2: [v(2, '2026-11-10', { ...IN, points: 5 })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual([r.committed, r.changes], [8, []]);
      });

      it('with a recorded commitment, dates an uncommitted item by its creation when it was created in the sprint', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2', 5]] }]);
        const t = timeline({
          1: [now(1, IN)],
          // Committed, though its created_date is later: the record wins, from the first day.
          2: [now(2, { ...IN, points: 5, createdDate: '2026-11-18' })],
          5: [now(5, { ...IN, points: 2, createdDate: '2026-11-18' })],
          // Created before the sprint: when it came in is not known.
          6: [now(6, { ...IN, points: 1, createdDate: '2026-11-02' })],
          7: [now(7, { ...IN, points: 4, createdDate: TODAY })],
        });
        const r = drawn(sprintBurndown(b, 'S-14', t, NO_HISTORY));
        assert.equal(r.committed, 8);
        assert.deepEqual(col(r, 'scope'), [8, 8, 10, 10, 10, 10, 10, 10, 10, 15, null, null]);
        assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.delta, c.dateKnown]), [
          ['2026-11-18', 'BL-5', 'added', 2, true],
          [TODAY, 'BL-6', 'added', 1, false],
          [TODAY, 'BL-7', 'added', 4, true],
        ]);
      });
    });

    describe('a sprint over before today', () => {
      const LATER = '2026-12-05';
      const CLOSED = { ...S14, state: 'closed' };

      /**
       * No history; today is after the sprint. BL-1 (committed 3) was done on the 18th; BL-5 (2)
       * came in at some unknown time and was done on the 20th; BL-6 (committed 4) was done after
       * the sprint; BL-7 (committed 2) was carried over to S-15.
       */
      async function closedSprint() {
        const b = await backlogWith([{ ...CLOSED, committed: [['BL-1', 3], ['BL-6', 4], ['BL-7', 2]] }]);
        const t = timeline({
          1: [now(1, { ...IN, done: true, completedDate: '2026-11-18' }, LATER)],
          5: [now(5, { ...IN, points: 2, done: true, completedDate: '2026-11-20' }, LATER)],
          6: [now(6, { ...IN, points: 4, done: true, completedDate: '2026-12-01' }, LATER)],
          7: [now(7, { sprint: 'S-15', points: 2 }, LATER)],
        });
        const options = { ...NO_HISTORY, today: LATER };
        return { burndown: drawn(sprintBurndown(b, 'S-14', t, options)), velocity: velocityReport(b, t, options) };
      }

      it('takes what the files say now as the sprint’s last day: an uncommitted item is added then, date unknown', async () => {
        const { burndown } = await closedSprint();
        assert.deepEqual(burndown.changes, [{ date: '2026-11-27', id: 'BL-5', title: 'Item 5', kind: 'added', delta: 2, dateKnown: false }]);
        assert.deepEqual(col(burndown, 'scope'), [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 11]);
        assert.deepEqual(col(burndown, 'added'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
      });

      it('counts it done by its completed_date, and work done after the sprint as not done in it', async () => {
        const { burndown, velocity } = await closedSprint();
        assert.deepEqual(col(burndown, 'completed'), [0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 5]);
        assert.deepEqual(col(burndown, 'remaining'), [9, 9, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
        assert.deepEqual(velocity.sprints.map((s) => [s.sprintId, s.committed, s.completed]), [['S-14', 9, 5]]);
      });

      it('leaves an item carried over to another sprint in this one’s remaining work', async () => {
        const { burndown } = await closedSprint();
        assert.ok(!burndown.changes.some((c) => c.id === 'BL-7'));
        assert.deepEqual([burndown.scopeNow, burndown.completedNow, burndown.remainingNow], [11, 5, 6]);
      });

      it('draws the demo’s Sprint 12: a story created mid-sprint is added on its day and all 23 points are done', async () => {
        const S12 = { id: 'S-12', start: '2026-10-19', end: '2026-10-30' };
        const b = await backlogWith([{ ...S12, committed: [['BL-53', 5], ['BL-54', 8], ['BL-55', 5], ['BL-56', 3]] }]);
        const item = (n: number, points: number, createdDate: string, completedDate: string) => [now(n, { sprint: 'S-12', points, done: true, createdDate, completedDate })];
        const t = timeline({
          53: item(53, 5, '2026-09-18', '2026-10-23'),
          54: item(54, 8, '2026-10-01', '2026-10-29'),
          55: item(55, 5, '2026-09-25', '2026-10-27'),
          56: item(56, 3, '2026-10-19', '2026-10-21'),
          57: item(57, 2, '2026-10-22', '2026-10-28'),
        });
        const r = drawn(sprintBurndown(b, 'S-12', t, NO_HISTORY));
        assert.deepEqual(r.changes, [{ date: '2026-10-22', id: 'BL-57', title: 'Item 57', kind: 'added', delta: 2, dateKnown: true }]);
        assert.deepEqual(col(r, 'remaining'), [21, 21, 18, 20, 15, 15, 15, 15, 10, 8, 0, 0]);
        assert.deepEqual([r.committed, r.scopeNow, r.completedNow, r.remainingNow], [21, 23, 23, 0]);
        const velocity = velocityReport(b, t, NO_HISTORY);
        assert.deepEqual(velocity.sprints.map((s) => [s.sprintId, s.committed, s.completed]), [['S-12', 21, 23]]);
      });

      it('shows an uncommitted edit of an item the history knows on the last day, date unknown, unless a later commit dates it', async () => {
        const b = await backlogWith([{ ...CLOSED, committed: [['BL-1', 3], ['BL-2', 3]] }]);
        const t = timeline({
          1: [v(1, '2026-11-10', IN), now(1, { ...IN, points: 5 }, LATER)],
          // Committed after the sprint: the working tree's later edit is after it too.
          2: [v(2, '2026-11-10', IN), v(2, '2026-12-01', { ...IN, points: 1 }), now(2, { ...IN, points: 8 }, LATER)],
        });
        const r = drawn(sprintBurndown(b, 'S-14', t, { ...HISTORY, today: LATER }));
        assert.deepEqual(r.changes, [{ date: '2026-11-27', id: 'BL-1', title: 'Item 1', kind: 're-estimated', delta: 2, dateKnown: false }]);
        assert.deepEqual([r.scopeNow, r.remainingNow], [8, 8]);
      });

      it('counts a done item with no completed_date as done on the last day', async () => {
        const b = await backlogWith([{ ...CLOSED, committed: [['BL-1', 3]] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN), now(1, { ...IN, done: true }, LATER)] });
        const r = drawn(sprintBurndown(b, 'S-14', t, { ...HISTORY, today: LATER }));
        assert.deepEqual(col(r, 'completed').slice(-2), [0, 3]);
        assert.deepEqual(velocityReport(b, t, { ...HISTORY, today: LATER }).sprints[0].completed, 3);
      });
    });

    it('lists a committed item whose file is gone on the last day of a sprint that is over, not after it', async () => {
      const b = await backlogWith([{ ...S14, state: 'closed', committed: [['BL-1', 3], ['BL-9', 4]] }]);
      const r = drawn(sprintBurndown(b, 'S-14', timeline({ 1: [now(1, IN, '2026-12-05')] }), { ...NO_HISTORY, today: '2026-12-05' }));
      assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.delta, c.dateKnown]), [['2026-11-27', 'BL-9', 'removed', -4, false]]);
      assert.equal(r.remainingNow, 3);
    });

    describe('committed scope', () => {
      it('sums the recorded estimates, and an item’s points at the start when its estimate is missing', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3], ['BL-2']] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN)], 2: [v(2, '2026-11-10', { ...IN, points: 8 })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [11, 'recorded']);
      });

      it('takes the scope at the end of the first day when nothing was recorded, with history', async () => {
        const b = await backlogWith([S14]);
        const t = timeline({
          1: [v(1, '2026-11-10', IN)],
          2: [v(2, '2026-11-10', { ...IN, points: 5 })],
          4: [v(4, '2026-11-10', { points: 2 }), v(4, '2026-11-18', { ...IN, points: 2 })],
        });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [8, 'history']);
        assert.deepEqual(r.days[0].added, 0);
        assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.delta]), [['2026-11-18', 'BL-4', 2]]);
        assert.deepEqual(r.notes, ['This sprint recorded no committed scope; its scope at the end of its first day is used.']);
      });

      it('takes the current items as committed with neither a record nor history', async () => {
        const b = await backlogWith([S14]);
        const r = drawn(sprintBurndown(b, 'S-14', timeline({ 1: [now(1, IN)], 2: [now(2, { ...IN, points: 5 })] }), NO_HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [8, 'current']);
        assert.deepEqual(r.changes, []);
        assert.deepEqual(col(r, 'scope').slice(0, 10), [8, 8, 8, 8, 8, 8, 8, 8, 8, 8]);
        assert.ok(r.notes.includes('This sprint recorded no committed scope and there is no history: its current items that existed when it started are taken as committed.'));
      });

      it('treats an empty recorded list as a commitment of nothing', async () => {
        const b = await backlogWith([{ ...S14, committed: [] }]);
        const r = drawn(sprintBurndown(b, 'S-14', timeline({ 1: [v(1, '2026-11-10', IN)] }), HISTORY));
        assert.deepEqual([r.committed, r.committedSource], [0, 'recorded']);
        // BL-1 was in the sprint when it started, though the record leaves it out: added on the first day.
        assert.deepEqual(r.changes.map((c) => [c.date, c.kind, c.delta]), [['2026-11-16', 'added', 3]]);
      });
    });

    describe('ideal line', () => {
      async function idealOf(sprint: SprintSpec, committed: number, options: Partial<ReportOptions> = {}): Promise<number[]> {
        const b = await backlogWith([{ ...sprint, committed: [['BL-1', committed]] }]);
        return col(drawn(sprintBurndown(b, sprint.id, timeline({ 1: [v(1, '2026-11-01', IN)] }), { ...HISTORY, ...options })), 'ideal');
      }

      it('starts at committed, falls by an even step each workday, is flat over the weekend and ends at 0', async () => {
        assert.deepEqual(await idealOf(S14, 9), [9, 8, 7, 6, 5, 5, 5, 4, 3, 2, 1, 0]);
      });

      it('rounds to two decimals', async () => {
        assert.deepEqual((await idealOf(S14, 10)).slice(0, 3), [10, 8.89, 7.78]);
      });

      it('falls every day when the team works every day', async () => {
        const ideal = await idealOf(S14, 11, { nonWorkingDays: [] });
        assert.deepEqual(ideal, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      });

      it('is committed on the first day then 0 for a sprint with one workday', async () => {
        assert.deepEqual(await idealOf({ ...S14, id: 'S-14', start: '2026-11-20', end: '2026-11-22' }, 4), [4, 0, 0]);
        assert.deepEqual(await idealOf({ ...S14, id: 'S-14', start: '2026-11-20', end: '2026-11-20' }, 4), [4]);
      });

      it('stays at committed over a weekend start and reaches 0 on the only workday', async () => {
        assert.deepEqual(await idealOf({ ...S14, id: 'S-14', start: '2026-11-21', end: '2026-11-23' }, 4), [4, 4, 0]);
      });

      it('marks weekends as days off', async () => {
        const b = await backlogWith([S14]);
        const r = drawn(sprintBurndown(b, 'S-14', new Map(), HISTORY));
        assert.deepEqual(col(r, 'workday'), [true, true, true, true, true, false, false, true, true, true, true, true]);
      });
    });

    describe('days to come and sprints not started', () => {
      it('leaves the figures of days after today empty but draws their ideal', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 9]] }]);
        const r = drawn(sprintBurndown(b, 'S-14', timeline({ 1: [v(1, '2026-11-10', { ...IN, points: 9 })] }), HISTORY));
        assert.deepEqual(dayOf(r, '2026-11-26'), { date: '2026-11-26', workday: true, remaining: null, completed: null, scope: null, ideal: 1, added: 0, removed: 0 });
        assert.equal(dayOf(r, TODAY).remaining, 9);
      });

      it('shows a sprint not started yet with its current items as its scope and no figures', async () => {
        const b = await backlogWith([{ id: 'S-15', start: '2026-11-30', end: '2026-12-11', state: 'planned' }]);
        const t = timeline({ 1: [v(1, '2026-11-20', { sprint: 'S-15' })], 2: [v(2, '2026-11-20', { sprint: 'S-15', points: 5 })] });
        const r = drawn(sprintBurndown(b, 's-15', t, HISTORY));
        assert.deepEqual([r.committed, r.committedSource, r.scopeNow, r.completedNow, r.remainingNow], [8, 'current', 8, 0, 8]);
        assert.ok(r.days.every((d) => d.scope === null && d.remaining === null));
        assert.deepEqual(r.notes, ['Sprint 15 has not started yet: its current items are shown as its scope.']);
      });

      it('takes the figures of the last day once the sprint is over', async () => {
        const b = await backlogWith([{ ...S14, state: 'closed', committed: [['BL-1', 3], ['BL-2', 3]] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN), v(1, '2026-11-20', { ...IN, done: true })], 2: [v(2, '2026-11-10', IN), v(2, '2026-12-01', { sprint: 'S-15' })] });
        const r = drawn(sprintBurndown(b, 'S-14', t, { ...HISTORY, today: '2026-12-05' }));
        assert.deepEqual([r.scopeNow, r.completedNow, r.remainingNow], [6, 3, 3]);
        assert.ok(r.days.every((d) => d.scope !== null));
        assert.deepEqual(r.changes, [], 'moving to the next sprint after the end is no change of this sprint');
      });
    });

    describe('nothing to draw', () => {
      it('names an unknown sprint', async () => {
        const b = await backlogWith([S14]);
        assert.deepEqual(sprintBurndown(b, 'S-99', new Map(), HISTORY), { empty: 'There is no sprint S-99 in sprints.yml.' });
      });

      it('asks for dates when a sprint has none', async () => {
        const b = await backlogWith([{ id: 'S-14', state: 'planned', start: '2026-11-16' }]);
        const r = sprintBurndown(b, 'S-14', new Map(), HISTORY);
        assert.ok('empty' in r && /no start and end dates/.test(r.empty), JSON.stringify(r));
      });

      it('refuses a sprint that ends before it starts', async () => {
        const b = await backlogWith([{ ...S14, start: '2026-11-27', end: '2026-11-16' }]);
        const r = sprintBurndown(b, 'S-14', new Map(), HISTORY);
        assert.ok('empty' in r && /ends before it starts/.test(r.empty));
      });

      it('refuses a ten-year sprint instead of drawing thousands of days', async () => {
        const b = await backlogWith([{ ...S14, start: '2026-01-01', end: '2035-12-31' }]);
        const r = sprintBurndown(b, 'S-14', new Map(), HISTORY);
        assert.ok('empty' in r && /3652 days/.test(r.empty), JSON.stringify(r));
      });
    });

    describe('done runs', () => {
      it('counts an item done from its completed_date when the commit came later', async () => {
        const b = await scopeChangeSprint();
        assert.deepEqual([dayOf(b, '2026-11-16').completed, dayOf(b, '2026-11-17').completed], [0, 3]);
      });

      it('does not count a reopened item as completed after it was reopened', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3]] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN), v(1, '2026-11-17', { ...IN, done: true, completedDate: '2026-11-17' }), v(1, '2026-11-19', IN)] });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual(col(r, 'completed').slice(0, 6), [0, 3, 3, 0, 0, 0]);
        assert.deepEqual(col(r, 'remaining').slice(0, 6), [3, 0, 0, 3, 3, 3]);
      });

      it('does not let a stale completed_date reach back past the last version that said not done', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3]] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN), v(1, '2026-11-18', IN), v(1, '2026-11-20', { ...IN, done: true, completedDate: '2026-11-12' })] });
        assert.deepEqual(col(drawn(sprintBurndown(b, 'S-14', t, HISTORY)), 'completed').slice(0, 5), [0, 0, 3, 3, 3]);
      });

      it('takes an item done when the commit says so when it has no completed_date', async () => {
        const b = await backlogWith([{ ...S14, committed: [['BL-1', 3]] }]);
        const t = timeline({ 1: [v(1, '2026-11-10', IN), v(1, '2026-11-19', { ...IN, done: true })] });
        assert.deepEqual(col(drawn(sprintBurndown(b, 'S-14', t, HISTORY)), 'completed').slice(0, 5), [0, 0, 0, 3, 3]);
      });
    });

    it('reads a version dated with a time of day as of that day', async () => {
      const b = await backlogWith([{ ...S14, committed: [['BL-1', 3]] }]);
      const t = timeline({ 1: [v(1, '2026-11-10T08:00:00Z', IN), v(1, '2026-11-18T17:45:00+01:00', { ...IN, done: true })] });
      const r = drawn(sprintBurndown(b, 'S-14', t, { ...HISTORY, today: '2026-11-25T23:59:00Z' }));
      assert.deepEqual(col(r, 'completed').slice(0, 4), [0, 0, 3, 3]);
      assert.equal(dayOf(r, TODAY).remaining, 0);
    });

    describe('notes', () => {
      it('counts items without an estimate in points, and done items whose day is guessed', async () => {
        const b = await backlogWith([{ ...S14, committed: [] }]);
        const t = timeline({
          1: [v(1, '2026-11-10', { ...IN, points: 0, estimated: false })],
          2: [v(2, '2026-11-10', { ...IN, points: 0, estimated: false })],
          3: [v(3, '2026-11-10', IN), v(3, '2026-11-20', { ...IN, done: true, completedDate: '2026-11-20', completedGuessed: true })],
        });
        const r = drawn(sprintBurndown(b, 'S-14', t, HISTORY));
        assert.deepEqual(r.notes, ['2 items have no estimate and count 0 points.', '1 done item has no completed_date; its updated_date is used as the day it was done.']);
        const items = drawn(sprintBurndown(b, 'S-14', t, { ...HISTORY, unit: 'items' }));
        assert.ok(!items.notes.some((n) => n.includes('estimate')), 'counting items, an estimate does not matter');
      });
    });

    describe('properties', () => {
      const DATES = ['2026-11-10', '2026-11-14', '2026-11-16', '2026-11-17', '2026-11-19', '2026-11-21', '2026-11-24', '2026-11-27', '2026-11-30'];
      const snapArb = fc.option(
        fc.record({
          sprint: fc.constantFrom('S-14', 'S-14', 'S-15', undefined),
          points: fc.constantFrom(0, 0.5, 1, 2, 3, 5, 8),
          done: fc.boolean(),
          completedDate: fc.option(fc.constantFrom(...DATES), { nil: undefined }),
          createdDate: fc.option(fc.constantFrom(...DATES), { nil: undefined, freq: 2 }),
        }),
        { nil: undefined, freq: 8 },
      );
      const entryArb = fc.record({ date: fc.constantFrom(...DATES), snapshot: snapArb, fromHistory: fc.boolean(), created: fc.boolean() });
      const itemArb = fc.array(entryArb, { minLength: 1, maxLength: 4 });
      const scenario = fc.record({
        items: fc.array(itemArb, { minLength: 0, maxLength: 6 }),
        committed: fc.option(fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.option(fc.constantFrom(1, 2.5, 3, 5), { nil: undefined })), { maxLength: 5 }), { nil: undefined }),
        today: fc.constantFrom('2026-11-12', ...DATES, '2026-12-20'),
        unit: fc.constantFrom<ReportOptions['unit']>('points', 'items'),
        hasHistory: fc.boolean(),
      });

      type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

      /** The item's versions as the timeline holds them; only a first version can be the file's creation. */
      function entriesOf(n: number, entries: Scenario['items'][number]): HistoryEntry[] {
        const sorted = [...entries].sort((a, c) => a.date.localeCompare(c.date));
        return sorted.map((e, i) => ({
          date: e.date,
          fromHistory: e.fromHistory,
          created: i === 0 && e.created ? true : undefined,
          snapshot: e.snapshot && snap(n, { ...e.snapshot, completedDate: e.snapshot.done ? e.snapshot.completedDate : undefined }),
        }));
      }

      function run(s: Scenario, extra?: [number, HistoryEntry[]]): SprintBurndown {
        const b = new Backlog('/ws/backlog', '/ws');
        const sprint: Sprint = { id: 'S-14', name: 'Sprint 14', start: S14.start, end: S14.end, state: 'active', committed: (s.committed ?? []).map(([n, estimate]) => ({ id: `BL-${n}`, estimate })), hasCommitted: s.committed !== undefined, line: 0 };
        b.sprints = [sprint];
        const t: Timeline = new Map();
        s.items.forEach((entries, k) => t.set(`BL-${k + 1}`, entriesOf(k + 1, entries)));
        if (extra) t.set(`BL-${extra[0]}`, extra[1]);
        return drawn(sprintBurndown(b, 'S-14', t, { today: s.today, unit: s.unit, hasHistory: s.hasHistory }));
      }

      it('every day, scope is remaining plus completed and nothing is negative', () => {
        fc.assert(
          fc.property(scenario, (s) => {
            for (const d of run(s).days) {
              if (d.scope === null) continue;
              assert.equal(d.scope, (d.remaining ?? NaN) + (d.completed ?? NaN));
              assert.ok(d.remaining! >= 0 && d.completed! >= 0 && d.added >= 0 && d.removed >= 0);
            }
          }),
        );
      });

      it('committed plus every day’s added minus removed is the scope now, and so is the change list', () => {
        fc.assert(
          fc.property(scenario, (s) => {
            const r = run(s);
            const computed = r.days.filter((d) => d.scope !== null);
            if (computed.length === 0) return;
            const net = computed.reduce((sum, d) => sum + d.added - d.removed, 0);
            assert.equal(r.committed + net, computed[computed.length - 1].scope);
            assert.equal(r.committed + r.changes.reduce((sum, c) => sum + c.delta, 0), r.scopeNow);
          }),
        );
      });

      it('an uncommitted item changes nothing before it was created', () => {
        fc.assert(
          fc.property(scenario, itemArb, (s, entries) => {
            // BL-99 is never in the recorded commitment; its first version is its creation.
            const versions = entriesOf(99, entries);
            versions[0] = { ...versions[0], created: true };
            const born = versions[0].date;
            const without = run(s);
            const withIt = run(s, [99, versions]);
            const before = (r: SprintBurndown) => r.days.filter((d) => d.date < born);
            assert.deepEqual(before(withIt), before(without));
            if (born > S14.start) assert.equal(withIt.committed, without.committed);
          }),
        );
      });

      it('the ideal line never rises, starts at committed and ends at 0', () => {
        fc.assert(
          fc.property(scenario, fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { maxLength: 7 }), (s, off) => {
            const b = new Backlog('/ws/backlog', '/ws');
            b.sprints = [{ id: 'S-14', name: 'S', start: S14.start, end: S14.end, state: 'active', committed: [{ id: 'BL-1', estimate: 7 }], hasCommitted: true, line: 0 }];
            const ideal = col(drawn(sprintBurndown(b, 'S-14', new Map(), { today: s.today, unit: 'points', hasHistory: true, nonWorkingDays: off })), 'ideal');
            assert.equal(ideal[0], 7);
            assert.equal(ideal[ideal.length - 1], 0);
            for (let i = 1; i < ideal.length; i++) assert.ok(ideal[i] <= ideal[i - 1], `ideal rises on day ${i}: ${ideal.join(', ')}`);
          }),
        );
      });
    });
  });

  describe('release burn-up', () => {
    // S-0 ran before the release had any work; S-1 to S-3 are closed, S-4 runs. Two-week cadence.
    const SPRINTS: SprintSpec[] = [
      { id: 'S-0', start: '2026-09-21', end: '2026-10-02' },
      { id: 'S-1', start: '2026-10-05', end: '2026-10-16' },
      { id: 'S-2', start: '2026-10-19', end: '2026-10-30' },
      { id: 'S-3', start: '2026-11-02', end: '2026-11-13' },
      { id: 'S-4', start: '2026-11-16', end: '2026-11-27', state: 'active' },
    ];
    const R = { release: 'R-1' };
    const RELEASE_TODAY = '2026-11-20';
    /**
     * R-1 gets BL-1 (3), BL-2 (5), BL-4 (8), BL-5 (5) on 10-03. BL-3 (2) joins in S-2, BL-4 leaves
     * in S-3, BL-5 is raised to 8 and BL-7 (2) joins in S-4. BL-6 is other work done in S-2.
     */
    const history = timeline({
      1: [v(1, '2026-09-01'), v(1, '2026-10-03', { ...R, sprint: 'S-1' }), v(1, '2026-10-14', { ...R, sprint: 'S-1', done: true, completedDate: '2026-10-14' })],
      2: [v(2, '2026-09-01', { points: 5 }), v(2, '2026-10-03', { ...R, sprint: 'S-1', points: 5 }), v(2, '2026-10-19', { ...R, sprint: 'S-2', points: 5 }), v(2, '2026-10-28', { ...R, sprint: 'S-2', points: 5, done: true })],
      3: [v(3, '2026-09-01', { points: 2 }), v(3, '2026-10-22', { ...R, sprint: 'S-3', points: 2 }), v(3, '2026-11-10', { ...R, sprint: 'S-3', points: 2, done: true })],
      4: [v(4, '2026-09-01', { points: 8 }), v(4, '2026-10-03', { ...R, points: 8 }), v(4, '2026-11-05', { points: 8 })],
      5: [v(5, '2026-09-01', { points: 5 }), v(5, '2026-10-03', { ...R, points: 5 }), v(5, '2026-11-16', { ...R, sprint: 'S-4', points: 5 }), v(5, '2026-11-18', { ...R, sprint: 'S-4', points: 8 })],
      6: [v(6, '2026-09-01', { sprint: 'S-2', points: 4 }), v(6, '2026-10-27', { sprint: 'S-2', points: 4, done: true })],
      7: [v(7, '2026-09-01', { points: 2 }), v(7, '2026-11-17', { ...R, sprint: 'S-4', points: 2 }), v(7, '2026-11-19', { ...R, sprint: 'S-4', points: 2, done: true })],
    });
    const OPTS: ReportOptions = { today: RELEASE_TODAY, unit: 'points', hasHistory: true };

    /** `date` null makes a release without a date. */
    async function burn(date: string | null = '2026-12-18', sprints = SPRINTS, options = OPTS, t = history): Promise<ReleaseBurn> {
      const b = await backlogWith(sprints, [{ id: 'R-1', name: 'Trailhead 1.0', date: date ?? undefined }]);
      return drawn(releaseBurn(b, 'R-1', t, options));
    }

    it('gives no forecast, and says why, when the remaining work would take centuries', async () => {
      // A typo'd estimate of a billion points must not run the forecast off the calendar.
      const t = new Map(history);
      t.set('BL-8', [v(8, '2026-10-03', { ...R, points: 1e9 })]);
      const r = await burn('2026-12-18', SPRINTS, OPTS, t);
      assert.equal(r.forecastSprints, undefined);
      assert.equal(r.forecastDate, undefined);
      assert.ok(r.notes.some((n) => /more than 260 sprints/.test(n)), r.notes.join(' / '));
    });

    it('shows at most 52 sprints, the most recent, for a release that has run for years', async () => {
      const many: SprintSpec[] = Array.from({ length: 80 }, (_, i) => {
        const start = new Date(Date.UTC(2023, 0, 2) + i * 14 * 86_400_000).toISOString().slice(0, 10);
        const end = new Date(Date.UTC(2023, 0, 13) + i * 14 * 86_400_000).toISOString().slice(0, 10);
        return { id: `S-${i + 1}`, start, end };
      });
      const t = timeline({ 1: [v(1, '2022-12-01', { ...R, points: 3 })] });
      const r = await burn('2026-12-18', many, OPTS, t);
      assert.equal(r.columns.length, 52);
      assert.deepEqual([r.columns[0].sprintId, r.columns[51].sprintId], ['S-29', 'S-80']);
    });

    it('has one column per sprint from the first with release work, at its end or today', async () => {
      const r = await burn();
      assert.deepEqual(r.columns.map((c) => [c.sprintId, c.date, c.state]), [
        ['S-1', '2026-10-16', 'closed'],
        ['S-2', '2026-10-30', 'closed'],
        ['S-3', '2026-11-13', 'closed'],
        ['S-4', RELEASE_TODAY, 'active'],
      ]);
    });

    it('shows scope, completed and remaining per column, and the baseline before the first', async () => {
      const r = await burn();
      assert.equal(r.baseline, 21);
      assert.deepEqual(r.columns.map((c) => [c.scope, c.completed, c.remaining]), [
        [21, 3, 18],
        [23, 8, 15],
        [15, 10, 5],
        [20, 12, 8],
      ]);
      assert.deepEqual([r.scopeNow, r.completedNow, r.remainingNow], [20, 12, 8]);
    });

    it('shows scope that came in and left during each sprint, with the change list', async () => {
      const r = await burn();
      assert.deepEqual(r.columns.map((c) => [c.added, c.removed]), [[0, 0], [2, 0], [0, 8], [5, 0]]);
      assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.delta, c.dateKnown]), [
        ['2026-10-30', 'BL-3', 'added', 2, true],
        ['2026-11-13', 'BL-4', 'removed', -8, true],
        [RELEASE_TODAY, 'BL-5', 're-estimated', 3, true],
        [RELEASE_TODAY, 'BL-7', 'added', 2, true],
      ]);
    });

    it('counts items in the items unit', async () => {
      const r = await burn('2026-12-18', SPRINTS, { ...OPTS, unit: 'items' });
      assert.equal(r.baseline, 4);
      assert.deepEqual(r.columns.map((c) => [c.scope, c.completed, c.added, c.removed]), [[4, 1, 0, 0], [5, 2, 1, 0], [4, 3, 0, 1], [5, 4, 1, 0]]);
    });

    it('forecasts with the mean velocity of the last three closed sprints, all work counted', async () => {
      const r = await burn();
      // S-1: BL-1 (3). S-2: BL-2 (5) and BL-6 (4), not in the release. S-3: BL-3 (2). S-0 is older.
      assert.deepEqual([r.velocity, r.velocitySprints], [4.67, ['S-1', 'S-2', 'S-3']]);
      assert.equal(r.forecastSprints, 2);
    });

    it('lets the sprint under way count as the first forecast sprint, then adds the cadence', async () => {
      const r = await burn();
      assert.deepEqual([r.forecastDate, r.onTrack], ['2026-12-11', true]);
      assert.deepEqual(r.notes, []);
    });

    it('is not on track when the forecast lands after the release date', async () => {
      const r = await burn('2026-12-04');
      assert.deepEqual([r.forecastDate, r.onTrack], ['2026-12-11', false]);
    });

    it('counts forecast sprints from the end of the last closed sprint when none runs', async () => {
      const sprints = SPRINTS.map((s) => (s.id === 'S-4' ? { ...s, state: 'planned' } : s));
      const r = await burn('2026-12-18', sprints, { ...OPTS, today: '2026-11-14' });
      assert.deepEqual(r.columns.map((c) => c.sprintId), ['S-1', 'S-2', 'S-3']);
      assert.deepEqual([r.remainingNow, r.forecastSprints, r.forecastDate], [5, 2, '2026-12-11']);
    });

    it('takes the cadence from the sprints’ starts', async () => {
      // Three-week sprints; 3 points done in each; 6 left: two sprints after 11-06.
      const sprints: SprintSpec[] = [
        { id: 'S-1', start: '2026-09-07', end: '2026-09-25' },
        { id: 'S-2', start: '2026-09-28', end: '2026-10-16' },
        { id: 'S-3', start: '2026-10-19', end: '2026-11-06' },
      ];
      const t = timeline({
        1: [v(1, '2026-09-01', { sprint: 'S-1' }), v(1, '2026-09-20', { sprint: 'S-1', done: true })],
        2: [v(2, '2026-09-01', { sprint: 'S-2' }), v(2, '2026-10-01', { sprint: 'S-2', done: true })],
        3: [v(3, '2026-09-01', { sprint: 'S-3' }), v(3, '2026-11-02', { sprint: 'S-3', done: true })],
        4: [v(4, '2026-09-01', { ...R, points: 6 })],
      });
      const r = await burn('2026-12-18', sprints, { ...OPTS, today: '2026-11-10' }, t);
      assert.deepEqual([r.velocity, r.forecastSprints, r.forecastDate, r.onTrack], [3, 2, '2026-12-18', true]);
    });

    it('gives no forecast, and says why, when no sprint has closed', async () => {
      const r = await burn('2026-12-18', [SPRINTS[4]]);
      assert.deepEqual(r.columns.map((c) => c.sprintId), ['S-4']);
      assert.deepEqual([r.velocity, r.velocitySprints, r.forecastSprints, r.forecastDate, r.onTrack], [undefined, [], undefined, undefined, undefined]);
      assert.deepEqual(r.notes, ['No sprint has closed yet, so there is no velocity to forecast with.']);
    });

    it('forecasts but cannot judge a release without a date', async () => {
      const r = await burn(null);
      assert.deepEqual([r.date, r.forecastSprints, r.forecastDate, r.onTrack], [undefined, 2, '2026-12-11', undefined]);
      assert.deepEqual(r.notes, ['This release has no date, so the forecast cannot say whether it is on track.']);
    });

    it('is on track with nothing to forecast once all its work is done', async () => {
      const t = timeline({ 1: [v(1, '2026-09-01', { ...R, sprint: 'S-1' }), v(1, '2026-10-10', { ...R, sprint: 'S-1', done: true })] });
      const r = await burn('2026-12-18', SPRINTS, OPTS, t);
      assert.deepEqual([r.remainingNow, r.forecastSprints, r.forecastDate, r.onTrack], [0, 0, undefined, true]);
      assert.equal(r.columns[0].sprintId, 'S-0', 'its work was there since S-0');
    });

    it('leaves out sprints that start after the release date', async () => {
      const r = await burn('2026-11-01');
      assert.deepEqual(r.columns.map((c) => c.sprintId), ['S-1', 'S-2']);
    });

    it('says when there is nothing to draw', async () => {
      const b = await backlogWith(SPRINTS, [{ id: 'R-1', date: '2026-12-18' }, { id: 'R-2' }]);
      assert.deepEqual(releaseBurn(b, 'R-9', history, OPTS), { empty: 'There is no release R-9 in releases.yml or milestones/.' });
      assert.deepEqual(releaseBurn(b, 'R-2', history, OPTS), { empty: 'No sprint has started with work for Release R-2 yet.' });
    });

    it('without history, takes the working tree’s items as the release’s scope since forever', async () => {
      const t = timeline({ 1: [now(1, { ...R, points: 3 }, RELEASE_TODAY)], 2: [now(2, { ...R, points: 2 }, RELEASE_TODAY)] });
      const r = await burn('2026-12-18', SPRINTS, { ...OPTS, hasHistory: false }, t);
      assert.deepEqual(r.changes, []);
      assert.deepEqual([r.baseline, r.columns[0].sprintId, r.scopeNow], [5, 'S-0', 5]);
      assert.ok(r.notes.includes(NO_HISTORY_NOTE));
    });

    it('shows an item the history saw created in S-2 as added in S-2’s column, not in the baseline', async () => {
      const t = timeline({ 1: [v(1, '2026-09-01', { ...R, sprint: 'S-1' })], 8: [born(8, '2026-10-21', { ...R, sprint: 'S-2' })] });
      const r = await burn('2026-12-18', SPRINTS, OPTS, t);
      assert.equal(r.baseline, 3);
      assert.deepEqual(r.columns.map((c) => [c.sprintId, c.scope, c.added]), [['S-0', 3, 0], ['S-1', 3, 0], ['S-2', 6, 3], ['S-3', 6, 0], ['S-4', 6, 0]]);
      assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.delta, c.dateKnown]), [['2026-10-30', 'BL-8', 'added', 3, true]]);
    });

    it('without history, places an item by its created_date: added in that sprint’s column, date known', async () => {
      const t = timeline({ 1: [now(1, { ...R, sprint: 'S-1' }, RELEASE_TODAY)], 8: [now(8, { ...R, sprint: 'S-2', createdDate: '2026-10-21' }, RELEASE_TODAY)] });
      const r = await burn('2026-12-18', SPRINTS, { ...OPTS, hasHistory: false }, t);
      assert.equal(r.baseline, 3);
      assert.deepEqual(r.columns.map((c) => c.added), [0, 0, 3, 0, 0]);
      assert.deepEqual(r.changes.map((c) => [c.date, c.id, c.kind, c.dateKnown]), [['2026-10-30', 'BL-8', 'added', true]]);
    });

    it('shows an uncommitted edit of an item the history knows in the sprint under way, date known', async () => {
      const t = timeline({ 1: [v(1, '2026-09-01', { ...R, points: 2 }), now(1, { ...R, points: 5 }, RELEASE_TODAY)] });
      const r = await burn('2026-12-18', SPRINTS, OPTS, t);
      assert.deepEqual(r.changes.map((c) => [c.date, c.kind, c.delta, c.dateKnown]), [[RELEASE_TODAY, 're-estimated', 3, true]]);
      assert.deepEqual(r.columns.map((c) => c.added), [0, 0, 0, 0, 3]);
    });
  });

  describe('velocity', () => {
    async function velocityFixture() {
      const b = await backlogWith([
        { id: 'S-1', start: '2026-10-05', end: '2026-10-16' },
        { id: 'S-2', start: '2026-10-19', end: '2026-10-30', committed: [['BL-2', 5], ['BL-3', 3]] },
        { id: 'S-3', start: '2026-11-02', end: '2026-11-13' },
        { id: 'S-4', start: '2026-11-16', end: '2026-11-27', state: 'active' },
        { id: 'S-5', start: '2026-11-30', end: '2026-12-11', state: 'planned' },
      ]);
      const t = timeline({
        // Done in S-1, then carried into S-2 by mistake: not S-2's velocity.
        1: [v(1, '2026-10-01', { sprint: 'S-1' }), v(1, '2026-10-12', { sprint: 'S-1', done: true }), v(1, '2026-10-20', { sprint: 'S-2', done: true })],
        2: [v(2, '2026-10-01', { sprint: 'S-1', points: 5 }), v(2, '2026-10-19', { sprint: 'S-2', points: 5 }), v(2, '2026-10-28', { sprint: 'S-2', points: 5, done: true })],
        3: [v(3, '2026-10-01', { sprint: 'S-2' }), v(3, '2026-10-29', { sprint: 'S-2', done: true })],
        4: [v(4, '2026-10-01', { sprint: 'S-3', points: 8 }), v(4, '2026-11-12', { sprint: 'S-3', points: 8, done: true })],
        5: [v(5, '2026-11-01', { sprint: 'S-4', points: 2 }), v(5, '2026-11-18', { sprint: 'S-4', points: 2, done: true })],
      });
      return velocityReport(b, t, { ...OPTS_V, unit: 'points' });
    }
    const OPTS_V: ReportOptions = { today: '2026-11-20', unit: 'points', hasHistory: true };

    it('shows committed against completed for each sprint that ran, not the planned one', async () => {
      const r = await velocityFixture();
      assert.deepEqual(r.sprints.map((s) => [s.sprintId, s.state, s.committed, s.committedSource, s.completed]), [
        ['S-1', 'closed', 8, 'history', 3],
        ['S-2', 'closed', 8, 'recorded', 8],
        ['S-3', 'closed', 8, 'history', 8],
        ['S-4', 'active', 2, 'history', 2],
      ]);
    });

    it('does not count work finished in an earlier sprint as this sprint’s velocity', async () => {
      const r = await velocityFixture();
      assert.equal(r.sprints.find((s) => s.sprintId === 'S-2')?.completed, 8);
    });

    it('averages the last three closed sprints and says the sprint under way will grow', async () => {
      const r = await velocityFixture();
      assert.deepEqual([r.average, r.averageOver], [6.33, ['S-1', 'S-2', 'S-3']]);
      assert.deepEqual(r.notes, ['Sprint 4 is still under way: its completed figure will grow.']);
    });

    it('shows the last ten sprints and averages the last three closed', async () => {
      const sprints: SprintSpec[] = Array.from({ length: 12 }, (_, k) => {
        const start = new Date(Date.UTC(2026, 0, 5 + 14 * k)).toISOString().slice(0, 10);
        const end = new Date(Date.UTC(2026, 0, 16 + 14 * k)).toISOString().slice(0, 10);
        return { id: `S-${k + 1}`, start, end };
      });
      const t = timeline(Object.fromEntries(sprints.map((s, k): [number, HistoryEntry[]] => [k + 1, [v(k + 1, '2025-12-01', { sprint: s.id, points: k + 1 }), v(k + 1, s.end!, { sprint: s.id, points: k + 1, done: true })]])));
      const r = velocityReport(await backlogWith(sprints), t, { ...OPTS_V, today: '2026-12-31' });
      assert.deepEqual(r.sprints.map((s) => s.sprintId), ['S-3', 'S-4', 'S-5', 'S-6', 'S-7', 'S-8', 'S-9', 'S-10', 'S-11', 'S-12']);
      assert.deepEqual(r.sprints.map((s) => s.completed), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.deepEqual([r.average, r.averageOver], [11, ['S-10', 'S-11', 'S-12']]);
    });

    it('has no average before a sprint closed', async () => {
      const b = await backlogWith([{ id: 'S-1', start: '2026-11-16', end: '2026-11-27', state: 'active' }]);
      const r = velocityReport(b, timeline({ 1: [now(1, { sprint: 'S-1', done: true, completedDate: '2026-11-18' }, '2026-11-20')] }), { ...OPTS_V, hasHistory: false });
      assert.deepEqual([r.average, r.averageOver, r.sprints[0].completed, r.sprints[0].committedSource], [undefined, [], 3, 'current']);
      assert.ok(r.notes.some((n) => n.startsWith('Without git history')));
    });

    it('counts items in the items unit and notes unestimated work in points', async () => {
      const b = await backlogWith([{ id: 'S-1', start: '2026-11-02', end: '2026-11-13', committed: [['BL-1', 3], ['BL-2']] }]);
      const t = timeline({
        1: [v(1, '2026-10-01', { sprint: 'S-1' }), v(1, '2026-11-05', { sprint: 'S-1', done: true })],
        2: [v(2, '2026-10-01', { sprint: 'S-1', points: 0, estimated: false }), v(2, '2026-11-06', { sprint: 'S-1', points: 0, estimated: false, done: true })],
      });
      const items = velocityReport(b, t, { ...OPTS_V, unit: 'items' });
      assert.deepEqual([items.sprints[0].committed, items.sprints[0].completed, items.average], [2, 2, 2]);
      assert.deepEqual(items.notes, []);
      const points = velocityReport(b, t, OPTS_V);
      assert.deepEqual([points.sprints[0].committed, points.sprints[0].completed], [3, 3]);
      assert.deepEqual(points.notes, ['1 item has no estimate and counts 0 points.']);
    });
  });

  describe('defaults', () => {
    it('picks the active sprint, else the last that started, else the first', async () => {
      const planned = { id: 'S-3', start: '2026-12-01', end: '2026-12-14', state: 'planned' };
      const started = [
        { id: 'S-2', start: '2026-11-02', end: '2026-11-13' },
        { id: 'S-1', start: '2026-10-05', end: '2026-10-16' },
      ];
      assert.equal(defaultSprint(await backlogWith([...started, planned, { ...S14 }]), TODAY)?.id, 'S-14');
      assert.equal(defaultSprint(await backlogWith([...started, planned]), TODAY)?.id, 'S-2');
      assert.equal(defaultSprint(await backlogWith([planned, { id: 'S-4' }]), TODAY)?.id, 'S-3');
      assert.equal(defaultSprint(await backlogWith([]), TODAY), undefined);
    });

    it('picks the next release by date, else the last dated, else the first', async () => {
      const releases = [{ id: 'R-1', date: '2026-10-01' }, { id: 'R-2', date: '2026-12-18' }, { id: 'R-3', date: '2027-03-12' }, { id: 'R-4' }];
      assert.equal(defaultRelease(await backlogWith([], releases), TODAY)?.id, 'R-2');
      assert.equal(defaultRelease(await backlogWith([], releases), '2026-12-18')?.id, 'R-2');
      assert.equal(defaultRelease(await backlogWith([], releases), '2027-06-01')?.id, 'R-3');
      assert.equal(defaultRelease(await backlogWith([], [{ id: 'R-4' }, { id: 'R-5' }]), TODAY)?.id, 'R-4');
    });
  });
});
