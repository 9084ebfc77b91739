// What New Sprint proposes: the next name, dates that follow the last sprint, and capacity from
// the velocity of the last closed sprints.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_CAPACITY, isDay, sprintDefaults, sprintEnd, VELOCITY_SPRINTS } from '../../src/core/rules/sprintDefaults';
import { itemText, memoryBacklog } from './helpers';

const CONFIG = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const DAY_MS = 86_400_000;

interface SprintSpec {
  name: string;
  state: 'planned' | 'active' | 'closed';
  end?: string;
  /** Estimates of the sprint's done items, and of one that is not done. */
  done?: number[];
  open?: number;
}

/** A backlog whose sprints.yml lists `sprints` as S-1, S-2, …, with their items. */
async function backlogOf(sprints: readonly SprintSpec[]) {
  const files: Record<string, string> = { 'backlog/config.yml': CONFIG };
  if (sprints.length > 0) {
    const lines = sprints.map((s, k) => `  - {id: S-${k + 1}, name: '${s.name}', state: ${s.state}${s.end !== undefined ? `, end: '${s.end}'` : ''}}`);
    files['backlog/sprints.yml'] = ['sprints:', ...lines, ''].join('\n');
  }
  let n = 0;
  sprints.forEach((s, k) => {
    const items = [...(s.done ?? []).map((e) => ({ e, status: 'Done' })), ...(s.open !== undefined ? [{ e: s.open, status: 'To Do' }] : [])];
    for (const { e, status } of items) {
      n++;
      files[`backlog/tasks/bl-${n} - I.md`] = itemText({ id: `BL-${n}`, title: `Item ${n}`, type: 'story', status, estimate: e, sprint: `S-${k + 1}` });
    }
  });
  const { backlog } = await memoryBacklog(files);
  return backlog();
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

describe('New Sprint defaults', () => {
  const today = new Date('2026-11-21T09:30:00Z');

  it('starts a first sprint today, for two weeks, at the default capacity', async () => {
    const d = sprintDefaults(await backlogOf([]), today);
    assert.deepEqual(d, { name: 'Sprint 1', start: '2026-11-21', end: '2026-12-04', capacity: DEFAULT_CAPACITY, capacityReason: 'no closed sprint yet to measure velocity' });
  });

  it("takes today's date as UTC sees it, as every date the extension writes", async () => {
    assert.equal(sprintDefaults(await backlogOf([]), new Date('2026-03-01T23:30:00Z')).start, '2026-03-01');
  });

  it('follows the last sprint: the day after it ends, and the next number in the names', async () => {
    const d = sprintDefaults(
      await backlogOf([
        { name: 'Sprint 1', state: 'active', end: '2026-11-27' },
        { name: 'Sprint 2', state: 'planned', end: '2026-12-11' },
      ]),
      today,
    );
    assert.deepEqual([d.name, d.start, d.end], ['Sprint 3', '2026-12-12', '2026-12-25']);
  });

  const names: [why: string, names: string[], expected: string][] = [
    ['a series that started late goes on from its highest number', ['Sprint 14', 'Sprint 15'], 'Sprint 16'],
    ['names without a number count the sprints', ['Kickoff', 'Hardening'], 'Sprint 3'],
    ['the count wins over a lower number', ['Sprint 1', 'Kickoff', 'Polish'], 'Sprint 4'],
    ['a number inside a name is no number in the series', ['2026 planning'], 'Sprint 2'],
  ];
  for (const [why, list, expected] of names) {
    it(`names the sprint: ${why}`, async () => {
      const d = sprintDefaults(await backlogOf(list.map((name) => ({ name, state: 'planned' as const }))), today);
      assert.equal(d.name, expected);
    });
  }

  const dates: [why: string, lastEnd: string, start: string, end: string][] = [
    ['over a year end', '2026-12-31', '2027-01-01', '2027-01-14'],
    ['into a leap day', '2028-02-28', '2028-02-29', '2028-03-13'],
    ['over a month end', '2027-01-31', '2027-02-01', '2027-02-14'],
  ];
  for (const [why, lastEnd, start, end] of dates) {
    it(`counts dates ${why}`, async () => {
      const d = sprintDefaults(await backlogOf([{ name: 'Sprint 1', state: 'closed', end: lastEnd }]), today);
      assert.deepEqual([d.start, d.end], [start, end]);
    });
  }

  it('offers the average done in the last three closed sprints, rounded, as capacity', async () => {
    const d = sprintDefaults(
      await backlogOf([
        // The oldest closed sprint is left out: only the last three say how the team works now.
        { name: 'Sprint 1', state: 'closed', end: '2026-09-04', done: [40] },
        { name: 'Sprint 2', state: 'closed', end: '2026-09-18', done: [3, 2], open: 8 },
        { name: 'Sprint 3', state: 'closed', end: '2026-10-02', done: [8] },
        { name: 'Sprint 4', state: 'closed', end: '2026-10-16', done: [13] },
        { name: 'Sprint 5', state: 'active', end: '2026-10-30', done: [21] },
      ]),
      today,
    );
    // (5 + 8 + 13) / 3 = 8.67: unfinished points and the active sprint do not count.
    assert.equal(d.capacity, 9);
    assert.equal(d.capacityReason, 'the average completed in the last 3 closed sprints');
  });

  it('says one closed sprint when there is one', async () => {
    const d = sprintDefaults(await backlogOf([{ name: 'Sprint 1', state: 'closed', end: '2026-11-06', done: [5] }]), today);
    assert.deepEqual([d.capacity, d.capacityReason], [5, 'the average completed in the last 1 closed sprint']);
  });

  it('keeps the default capacity when the closed sprints finished no points', async () => {
    const d = sprintDefaults(await backlogOf([{ name: 'Sprint 1', state: 'closed', end: '2026-11-06', open: 5 }]), today);
    assert.deepEqual([d.capacity, d.capacityReason], [DEFAULT_CAPACITY, 'no points completed in recent sprints to measure velocity']);
  });

  it('gives no end for a start that is no date', () => {
    assert.equal(sprintEnd('someday'), '');
    assert.equal(isDay('2026-02-30'), false);
    assert.equal(isDay('2028-02-29'), true);
  });

  // 2000-01-01 to 2099-12-31, as days since 1970.
  const dayNumber = fc.integer({ min: 10_957, max: 47_481 });

  it('property: a sprint ends a valid day, 13 days after it starts, later for a later start', () => {
    fc.assert(
      fc.property(dayNumber, dayNumber, (a, b) => {
        const [x, y] = [dayOf(a), dayOf(b)];
        assert.ok(isDay(sprintEnd(x)));
        assert.equal(daysBetween(x, sprintEnd(x)), 13);
        assert.equal(Math.sign(sprintEnd(x).localeCompare(sprintEnd(y))), Math.sign(x.localeCompare(y)));
      }),
    );
  });

  it('property: the new sprint follows every sprint, in name and dates, and its capacity is the recent pace', async () => {
    const spec = fc.record({
      name: fc.oneof(fc.integer({ min: 1, max: 60 }).map((k) => `Sprint ${k}`), fc.constantFrom('Kickoff', 'Hardening', 'Sprint')),
      state: fc.constantFrom('planned', 'active', 'closed'),
      done: fc.array(fc.integer({ min: 0, max: 13 }), { maxLength: 3 }),
      open: fc.option(fc.integer({ min: 1, max: 13 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(dayNumber, { maxLength: 8 }).chain((ends) => fc.tuple(fc.constant(ends), fc.array(spec, { minLength: ends.length, maxLength: ends.length }))),
        dayNumber,
        async ([ends, specs], todayNumber) => {
          const sprints: SprintSpec[] = specs.map((s, k) => ({ ...s, end: dayOf(ends[k]) }));
          const d = sprintDefaults(await backlogOf(sprints), new Date(todayNumber * DAY_MS + 12 * 3_600_000));

          const numbers = sprints.flatMap((s) => /(\d+)$/.exec(s.name)?.[1] ?? []).map(Number);
          assert.equal(d.name, `Sprint ${Math.max(sprints.length, ...numbers) + 1}`);

          const lastEnd = sprints.map((s) => s.end!).sort().pop();
          assert.equal(d.start, lastEnd === undefined ? dayOf(todayNumber) : dayOf(Math.max(...ends) + 1));
          assert.ok(sprints.every((s) => s.end! < d.start), 'no overlap with any sprint');
          assert.equal(d.end, sprintEnd(d.start));

          const recent = sprints
            .filter((s) => s.state === 'closed')
            .sort((a, b) => a.end!.localeCompare(b.end!))
            .slice(-VELOCITY_SPRINTS)
            .map((s) => (s.done ?? []).reduce((n, p) => n + p, 0));
          if (recent.length === 0 || Math.round(recent.reduce((n, p) => n + p, 0) / recent.length) === 0) {
            assert.equal(d.capacity, DEFAULT_CAPACITY);
          } else {
            assert.ok(Number.isInteger(d.capacity));
            assert.ok(d.capacity >= Math.min(...recent) && d.capacity <= Math.max(...recent), `${d.capacity} within ${recent.join(', ')}`);
            assert.ok(Math.abs(d.capacity - recent.reduce((n, p) => n + p, 0) / recent.length) <= 0.5, 'the rounded mean');
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
