import assert from 'node:assert/strict';
import { buildStoryMapModel } from '../../src/views/storyMap/storyMapModel';
import { DEFAULT_STORY_MAP_OPTIONS, SliceView, StoryMapModel, StoryMapOptions, UNMAPPED, UNPLANNED } from '../../src/protocol/storyMapProtocol';
import { itemText, memoryBacklog } from './helpers';
import fc from 'fast-check';
import { releaseBurn } from '../../src/views/reports/reports';
import { timelineOf } from '../../src/core/history/history';
import { dayNumber, formatDayNumber } from '../../src/core/dates';

const TODAY = '2026-11-21';
const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';

const storymap = [
  'activities:',
  '  - id: find',
  '    title: Find a trail',
  '    steps:',
  '      - {id: search, title: Search trails}',
  '      - {id: filter, title: Filter by length}',
  '  - id: hike',
  '    title: Go hiking',
  '    steps:',
  '      - {id: navigate, title: Navigate}',
  '      - {id: Record, title: Record the track}',
  '  - id: share',
  '    title: Share the hike',
  '',
].join('\n');

// Listed out of date order on purpose: the map orders releases by date, undated last.
const releases = [
  'releases:',
  "  - {id: R-2, name: '2.0'}",
  "  - {id: R-1, name: '1.0', date: '2027-01-15', goal: Hikers find a trail}",
  "  - {id: R-0, name: '0.9', date: '2026-10-01'}",
  '',
].join('\n');

// Three closed sprints of two weeks completing 18, 21 and 24 points (velocity 21); S-0 is older
// and does not count, though it comes last in the file. S-5 is undated and goes last.
const sprints = [
  'sprints:',
  "  - {id: S-1, name: Sprint 1, state: closed, start: '2026-10-05', end: '2026-10-18'}",
  "  - {id: S-2, name: Sprint 2, state: closed, start: '2026-10-19', end: '2026-11-01'}",
  "  - {id: S-3, name: Sprint 3, state: closed, start: '2026-11-02', end: '2026-11-15'}",
  "  - {id: S-5, name: Sprint later, state: planned}",
  "  - {id: S-4, name: Sprint 4, state: active, start: '2026-11-16', end: '2026-11-29', capacity: 30, goal: Offline search}",
  "  - {id: S-0, name: Sprint 0, state: closed, start: '2026-09-21', end: '2026-10-04'}",
  '',
].join('\n');

function item(fields: Record<string, string | number>): string {
  return itemText({ status: 'To Do', ...fields });
}

/** Trailmap: stories on steps across releases and sprints, and items the map must leave out. */
function files(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'backlog/config.yml': config,
    'backlog/storymap.yml': storymap,
    'backlog/releases.yml': releases,
    'backlog/sprints.yml': sprints,
    'backlog/milestones/m-1 - Beta.md': itemText({ id: 'm-1', title: 'Beta', due_date: "'2027-03-01'" }),
    // Search, in 1.0: ranked BL-2 before BL-1; the step named in another case still matches.
    'backlog/tasks/bl-1 - Keyword.md': item({ id: 'BL-1', title: 'Search by keyword', type: 'story', step: 'search', release: 'R-1', sprint: 'S-4', estimate: 3, status: 'Done', rank: 'a2' }),
    'backlog/tasks/bl-2 - Nearby.md': item({ id: 'BL-2', title: 'Trails nearby', type: 'story', step: 'SEARCH', release: 'r-1', sprint: 'S-4', size: 'M', rank: 'a1' }),
    // A Backlog.md milestone by title puts BL-3 in the Beta slice.
    'backlog/tasks/bl-3 - Turn.md': item({ id: 'BL-3', title: 'Turn-by-turn', type: 'story', step: 'navigate', milestone: 'Beta', sprint: 'S-5', estimate: 2, rank: 'a3' }),
    // Any type may sit on a step; this one is planned nowhere.
    'backlog/tasks/bl-4 - GPX.md': item({ id: 'BL-4', title: 'Save as GPX', type: 'task', step: 'record', estimate: 1, rank: 'a4' }),
    // Stories without a known step: Unmapped.
    'backlog/tasks/bl-5 - Photos.md': item({ id: 'BL-5', title: 'Trail photos', type: 'story', release: 'R-1', estimate: 1, rank: 'a5' }),
    'backlog/tasks/bl-6 - Weather.md': item({ id: 'BL-6', title: 'Weather on the trail', type: 'story', step: 'nowhere', rank: 'a0' }),
    // Not on the map: a task without a step, an epic, a draft, an opportunity, an archived story,
    // and a completed story without a step.
    'backlog/tasks/bl-7 - Chore.md': item({ id: 'BL-7', title: 'Upgrade the build', type: 'task', rank: 'a6' }),
    'backlog/tasks/bl-8 - Epic.md': item({ id: 'BL-8', title: 'Search epic', type: 'epic', step: 'search', release: 'R-1', rank: 'a7' }),
    'backlog/drafts/bl-9 - Draft.md': item({ id: 'BL-9', title: 'Voice search', type: 'story', step: 'search', release: 'R-1', rank: 'a8' }),
    'backlog/tasks/bl-10 - Idea.md': item({ id: 'BL-10', title: 'Trail quiz', type: 'opportunity', step: 'filter', rank: 'a9' }),
    'backlog/archive/tasks/bl-11 - Old.md': item({ id: 'BL-11', title: 'Old search', type: 'story', step: 'search', release: 'R-1', rank: 'b0' }),
    'backlog/completed/bl-13 - Done.md': item({ id: 'BL-13', title: 'Shipped unmapped', type: 'story', estimate: 8, rank: 'b1' }),
    // Completed on a step: on the map, done, in the past release.
    'backlog/completed/bl-12 - Length.md': item({ id: 'BL-12', title: 'Filter by length', type: 'story', step: 'filter', release: 'R-0', estimate: 2, rank: 'b2' }),
    // An unknown release is unplanned.
    'backlog/tasks/bl-14 - Elev.md': item({ id: 'BL-14', title: 'Filter by elevation', type: 'story', step: 'filter', release: 'R-99', rank: 'b3' }),
    // Sprint history for the velocity: done work by sprint, and one open item that does not count.
    'backlog/completed/bl-20 - S0.md': item({ id: 'BL-20', title: 'Old sprint work', type: 'task', sprint: 'S-0', estimate: 100 }),
    'backlog/completed/bl-21 - S1.md': item({ id: 'BL-21', title: 'Sprint 1 work', type: 'task', sprint: 'S-1', estimate: 18 }),
    'backlog/tasks/bl-22 - S1 left.md': item({ id: 'BL-22', title: 'Sprint 1 leftover', type: 'task', sprint: 'S-1', estimate: 5 }),
    'backlog/completed/bl-23 - S2.md': item({ id: 'BL-23', title: 'Sprint 2 work', type: 'task', sprint: 'S-2', estimate: 21 }),
    'backlog/completed/bl-24 - S3.md': item({ id: 'BL-24', title: 'Sprint 3 work', type: 'task', sprint: 'S-3', estimate: 16 }),
    'backlog/tasks/bl-25 - S3 size.md': item({ id: 'BL-25', title: 'Sprint 3 sized', type: 'task', sprint: 'S-3', size: 'L', status: 'Done' }),
    ...extra,
  };
}

async function model(options: Partial<StoryMapOptions> = {}, f: Record<string, string> = files(), today = TODAY): Promise<StoryMapModel> {
  const { backlog } = await memoryBacklog(f);
  return buildStoryMapModel(backlog(), { ...DEFAULT_STORY_MAP_OPTIONS, ...options }, { today, roots: ['backlog'], root: 'backlog' });
}

function slice(m: StoryMapModel, id: string): SliceView {
  const s = m.slices.find((x) => x.id === id);
  assert.ok(s, `slice ${JSON.stringify(id)} is shown`);
  return s;
}

/** Card ids in one cell: slice by id, step by id (UNMAPPED for the Unmapped column). */
function cell(m: StoryMapModel, sliceId: string, stepId: string): string[] {
  const row = m.rows.find((r) => r.sliceId === sliceId);
  assert.ok(row, `row ${JSON.stringify(sliceId)} exists`);
  const cards = row.cells[stepId];
  assert.ok(cards, `row ${JSON.stringify(sliceId)} has a cell for ${JSON.stringify(stepId)}`);
  return cards.map((c) => c.id);
}

/** Every card on the map, by id. */
function allCards(m: StoryMapModel): string[] {
  return m.rows.flatMap((r) => Object.values(r.cells).flat().map((c) => c.id)).sort();
}

const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('the story map model', () => {
  describe('backbone and cards', () => {
    it('shows activities and steps in file order, with the project name', async () => {
      const m = await model();
      assert.equal(m.projectName, 'Trailmap');
      assert.equal(m.hasStoryMap, true);
      assert.deepEqual(
        m.activities.map((a) => [a.id, a.title, a.steps.map((s) => s.title)]),
        [
          ['find', 'Find a trail', ['Search trails', 'Filter by length']],
          ['hike', 'Go hiking', ['Navigate', 'Record the track']],
          ['share', 'Share the hike', []],
        ],
      );
    });

    it('puts each card under its step, matching the step id in any case, in rank order', async () => {
      const m = await model();
      assert.deepEqual(cell(m, 'R-1', 'search'), ['BL-2', 'BL-1']);
      assert.deepEqual(cell(m, 'm-1', 'navigate'), ['BL-3']);
      // The step is keyed as storymap.yml spells it, though the item says `record`.
      assert.deepEqual(cell(m, UNPLANNED, 'Record'), ['BL-4']);
      assert.deepEqual(cell(m, 'R-0', 'filter'), ['BL-12']);
    });

    it('keeps rank order inside a cell when the ranks change', async () => {
      const m = await model({}, files({ 'backlog/tasks/bl-1 - Keyword.md': item({ id: 'BL-1', title: 'Search by keyword', type: 'story', step: 'search', release: 'R-1', estimate: 3, status: 'Done', rank: 'a0' }) }));
      assert.deepEqual(cell(m, 'R-1', 'search'), ['BL-1', 'BL-2']);
    });

    it('lists stories without a known step as Unmapped, in their slice', async () => {
      const m = await model();
      assert.deepEqual(cell(m, 'R-1', UNMAPPED), ['BL-5']);
      assert.deepEqual(cell(m, UNPLANNED, UNMAPPED), ['BL-6']);
    });

    it('leaves out epics, drafts, opportunities, archived items, tasks without a step and completed unmapped stories', async () => {
      const m = await model();
      assert.deepEqual(allCards(m), ['BL-1', 'BL-12', 'BL-14', 'BL-2', 'BL-3', 'BL-4', 'BL-5', 'BL-6']);
      assert.equal(m.cardCount, 8);
    });

    it('fills each card from its item: points from estimate or size, done by status or folder', async () => {
      const m = await model();
      const search = m.rows.find((r) => r.sliceId === 'R-1')!.cells.search;
      assert.deepEqual(search, [
        { id: 'BL-2', title: 'Trails nearby', type: 'story', status: 'To Do', points: 5, size: 'M', done: false },
        { id: 'BL-1', title: 'Search by keyword', type: 'story', status: 'Done', points: 3, estimate: 3, done: true },
      ]);
      const shipped = m.rows.find((r) => r.sliceId === 'R-0')!.cells.filter[0];
      assert.equal(shipped.done, true, 'completed/ is done whatever the status says');
    });

    it('gives every row a cell for every step and for Unmapped, empty or not', async () => {
      const m = await model();
      const keys = ['search', 'filter', 'navigate', 'Record', UNMAPPED].sort();
      assert.equal(m.rows.length, m.slices.length);
      for (const row of m.rows) {
        assert.deepEqual(Object.keys(row.cells).sort(), keys, `row ${row.sliceId}`);
        for (const cards of Object.values(row.cells)) assert.ok(Array.isArray(cards));
      }
      assert.deepEqual(m.rows.map((r) => r.sliceId), ids(m.slices));
    });

    it('without storymap.yml has no activities but still lists the unmapped stories', async () => {
      const f = files();
      delete f['backlog/storymap.yml'];
      const m = await model({}, f);
      assert.equal(m.hasStoryMap, false);
      assert.deepEqual(m.activities, []);
      for (const row of m.rows) assert.deepEqual(Object.keys(row.cells), [UNMAPPED]);
      // Every story in tasks/ is unmapped now; tasks with a step are no longer on the map.
      assert.deepEqual(cell(m, 'R-1', UNMAPPED), ['BL-2', 'BL-1', 'BL-5']);
      assert.deepEqual(cell(m, UNPLANNED, UNMAPPED), ['BL-6', 'BL-14']);
      assert.deepEqual(cell(m, 'm-1', UNMAPPED), ['BL-3']);
      assert.equal(m.cardCount, 6);
    });

    it('keeps a step named __proto__ as an ordinary cell', async () => {
      const m = await model({}, files({ 'backlog/storymap.yml': "activities:\n  - id: odd\n    steps:\n      - {id: __proto__, title: Odd}\n", 'backlog/tasks/bl-30 - Odd.md': item({ id: 'BL-30', title: 'Odd', type: 'story', step: '__proto__' }) }));
      assert.deepEqual(cell(m, UNPLANNED, '__proto__'), ['BL-30']);
      assert.equal(Object.getPrototypeOf(m.rows[0].cells), Object.prototype);
    });
  });

  describe('sliced by release', () => {
    it('has one slice per release by date, undated and milestones included, then Unplanned last', async () => {
      const m = await model();
      assert.deepEqual(
        m.slices.map((s) => [s.id, s.kind, s.title]),
        [
          ['R-0', 'release', '0.9'],
          ['R-1', 'release', '1.0'],
          ['m-1', 'release', 'Beta'],
          ['R-2', 'release', '2.0'],
          [UNPLANNED, 'unplanned', 'Unplanned'],
        ],
      );
      assert.equal(slice(m, 'R-1').goal, 'Hikers find a trail');
      assert.equal(slice(m, 'R-1').dates, '2027-01-15');
      assert.equal(slice(m, 'R-2').dates, undefined);
    });

    it('resolves a Backlog.md milestone by number too', async () => {
      const m = await model({}, files({ 'backlog/tasks/bl-3 - Turn.md': item({ id: 'BL-3', title: 'Turn-by-turn', type: 'story', step: 'navigate', milestone: 1, rank: 'a3' }) }));
      assert.deepEqual(cell(m, 'm-1', 'navigate'), ['BL-3']);
    });

    it('puts an unknown release in Unplanned', async () => {
      const m = await model();
      assert.deepEqual(cell(m, UNPLANNED, 'filter'), ['BL-14']);
    });

    it('totals the points and items of each row over every column, Unmapped included', async () => {
      const m = await model();
      const r1 = slice(m, 'R-1');
      // BL-1 3 done, BL-2 size M = 5, BL-5 1 (unmapped).
      assert.deepEqual([r1.pointsDone, r1.pointsTotal, r1.itemsDone, r1.itemsTotal], [3, 9, 1, 3]);
      const unplanned = slice(m, UNPLANNED);
      assert.deepEqual([unplanned.pointsDone, unplanned.pointsTotal, unplanned.itemsDone, unplanned.itemsTotal], [0, 1, 0, 3]);
      const empty = slice(m, 'R-2');
      assert.deepEqual([empty.pointsDone, empty.pointsTotal, empty.itemsDone, empty.itemsTotal], [0, 0, 0, 0]);
    });

    it('estimates what a future release can hold from the velocity of the last three closed sprints', async () => {
      const m = await model();
      // (18 + 21 + 24) / 3 = 21 points; Sprint 4, under way, ends 2026-11-29, and one every 14 days
      // after it: 4 of them end by 2027-01-15.
      assert.equal(slice(m, 'R-1').capacity, 84);
      assert.equal(slice(m, 'R-1').capacityLabel, '≈ 84 pts in 4 sprints by its date at 21 per sprint');
      // 7 end by 2027-03-01.
      assert.equal(slice(m, 'm-1').capacity, 147);
    });

    it('gives no release capacity without a date, once the date has passed, or without closed sprints', async () => {
      const m = await model();
      assert.equal(slice(m, 'R-2').capacity, undefined, 'undated');
      assert.equal(slice(m, 'R-0').capacity, undefined, 'passed');
      assert.equal(slice(m, UNPLANNED).capacity, undefined);
      const f = files({ 'backlog/sprints.yml': "sprints:\n  - {id: S-4, name: Sprint 4, state: active, start: '2026-11-16', end: '2026-11-29', capacity: 30}\n" });
      const none = await model({}, f);
      assert.equal(slice(none, 'R-1').capacity, undefined);
      assert.equal(slice(none, 'R-1').capacityLabel, undefined);
    });

    it('gives no release capacity when no sprint says when it ended, as Reports gives no forecast date', async () => {
      const f = files({ 'backlog/sprints.yml': 'sprints:\n  - {id: S-1, name: One, state: closed}\n  - {id: S-2, name: Two, state: closed}\n  - {id: S-3, name: Three, state: closed}\n' });
      const m = await model({}, f);
      assert.equal(slice(m, 'R-1').capacity, undefined);
    });

    it('property: a release is over its capacity exactly when the Reports forecast ends after its date', async () => {

      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), async (daysAhead, open, todayOffset) => {
          const today = formatDayNumber(dayNumber('2026-11-20')! + todayOffset);
          const date = formatDayNumber(dayNumber(today)! + daysAhead);
          const f = files({
            'backlog/releases.yml': `releases:\n  - {id: R-1, name: '1.0', date: '${date}'}\n`,
            'backlog/tasks/bl-90 - Open.md': item({ id: 'BL-90', title: 'Open', type: 'story', status: 'To Do', release: 'R-1', estimate: open }),
          });
          const { backlog } = await memoryBacklog(f);
          const r1 = slice(buildStoryMapModel(backlog(), DEFAULT_STORY_MAP_OPTIONS, { today, roots: ['backlog'], root: 'backlog' }), 'R-1');
          const burn = releaseBurn(backlog(), 'R-1', timelineOf(backlog(), undefined, today), { today, unit: 'points', hasHistory: false });
          assert.ok(!('empty' in burn));
          const remaining = r1.pointsTotal - r1.pointsDone;
          const over = r1.capacity !== undefined && remaining > r1.capacity;
          if (burn.onTrack !== undefined) assert.equal(over, !burn.onTrack, `${remaining} pts left, capacity ${r1.capacity}, forecast ${burn.forecastDate} for ${date}`);
        }),
        { numRuns: 60 },
      );
    });

    it('marks the first release not yet past as the walking skeleton', async () => {
      const m = await model();
      assert.deepEqual(m.slices.filter((s) => s.walkingSkeleton).map((s) => s.id), ['R-1']);
      // On the release day itself it is still the one being built.
      const onTheDay = await model({}, files(), '2027-01-15');
      assert.deepEqual(onTheDay.slices.filter((s) => s.walkingSkeleton).map((s) => s.id), ['R-1']);
      const later = await model({}, files(), '2027-02-01');
      assert.deepEqual(later.slices.filter((s) => s.walkingSkeleton).map((s) => s.id), ['m-1']);
    });

    it('never makes Unplanned the walking skeleton', async () => {
      const m = await model({}, files(), '2030-01-01');
      // Every dated release has passed; the undated 2.0 is still ahead.
      assert.deepEqual(m.slices.filter((s) => s.walkingSkeleton).map((s) => s.id), ['R-2']);
      const f = files({ 'backlog/releases.yml': 'releases: []\n' });
      delete f['backlog/milestones/m-1 - Beta.md'];
      const bare = await model({}, f);
      assert.deepEqual(ids(bare.slices), [UNPLANNED]);
      assert.equal(bare.slices[0].walkingSkeleton, false);
    });
  });

  describe('sliced by sprint', () => {
    it('has one slice per sprint by start date, undated last, then Unplanned', async () => {
      const m = await model({ sliceBy: 'sprint' });
      assert.deepEqual(ids(m.slices), ['S-0', 'S-1', 'S-2', 'S-3', 'S-4', 'S-5', UNPLANNED]);
      assert.ok(m.slices.slice(0, -1).every((s) => s.kind === 'sprint'));
      assert.equal(slice(m, UNPLANNED).kind, 'unplanned');
    });

    it('places cards by their sprint, in any case, and the rest in Unplanned', async () => {
      const m = await model({ sliceBy: 'sprint' }, files({ 'backlog/tasks/bl-2 - Nearby.md': item({ id: 'BL-2', title: 'Trails nearby', type: 'story', step: 'search', sprint: 's-4', size: 'M', rank: 'a1' }) }));
      assert.deepEqual(cell(m, 'S-4', 'search'), ['BL-2', 'BL-1']);
      assert.deepEqual(cell(m, 'S-5', 'navigate'), ['BL-3']);
      assert.deepEqual(cell(m, UNPLANNED, UNMAPPED), ['BL-6', 'BL-5']);
      assert.deepEqual(cell(m, UNPLANNED, 'filter'), ['BL-12', 'BL-14']);
    });

    it('shows a sprint\'s name, goal, dates, state, capacity and totals', async () => {
      const s4 = slice(await model({ sliceBy: 'sprint' }), 'S-4');
      assert.deepEqual(
        { title: s4.title, goal: s4.goal, dates: s4.dates, state: s4.state, capacity: s4.capacity, capacityLabel: s4.capacityLabel },
        { title: 'Sprint 4', goal: 'Offline search', dates: '2026-11-16 – 2026-11-29', state: 'active', capacity: 30, capacityLabel: 'capacity 30' },
      );
      assert.deepEqual([s4.pointsDone, s4.pointsTotal, s4.itemsDone, s4.itemsTotal], [3, 8, 1, 2]);
      const s5 = slice(await model({ sliceBy: 'sprint' }), 'S-5');
      assert.equal(s5.capacity, undefined);
      assert.equal(s5.capacityLabel, undefined);
      assert.equal(s5.dates, undefined);
    });

    it('marks the first sprint not closed as the walking skeleton', async () => {
      const m = await model({ sliceBy: 'sprint' });
      assert.deepEqual(m.slices.filter((s) => s.walkingSkeleton).map((s) => s.id), ['S-4']);
    });
  });

  it('places all of 2,000 cards', async () => {
    const steps = Array.from({ length: 20 }, (_, k) => `      - {id: st-${k}, title: Step ${k}}`);
    const f: Record<string, string> = {
      'backlog/config.yml': config,
      'backlog/releases.yml': "releases:\n  - {id: R-1, name: '1.0', date: '2027-01-15'}\n  - {id: R-2, name: '2.0'}\n",
      'backlog/storymap.yml': ['activities:', '  - id: all', '    title: All', '    steps:', ...steps, ''].join('\n'),
    };
    for (let n = 1; n <= 2000; n++) {
      f[`backlog/tasks/bl-${n} - Story.md`] = item({ id: `BL-${n}`, title: `Story ${n}`, type: 'story', step: n % 21 === 0 ? 'none' : `st-${n % 20}`, ...(n % 3 === 0 ? {} : { release: `R-${1 + (n % 2)}` }), estimate: 1 + (n % 5) });
    }
    const m = await model({}, f);
    assert.equal(m.cardCount, 2000);
    assert.equal(allCards(m).length, 2000);
    assert.equal(m.slices.reduce((sum, s) => sum + s.itemsTotal, 0), 2000);
  });
});
