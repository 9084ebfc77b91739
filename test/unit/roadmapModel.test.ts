import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildRoadmapModel, layOutLanes } from '../../src/views/roadmap/roadmapModel';
import { DEFAULT_ROADMAP_OPTIONS, RoadmapEpicView, RoadmapModel, RoadmapOptions, RoadmapThemeView, Span, TimelinePlace } from '../../src/protocol/roadmapProtocol';
import { itemText, memoryBacklog } from './helpers';

const TODAY = '2026-11-21';
const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';

const roadmap = [
  '# Where Trailmap is heading',
  'vision: Every hiker finds the way home.',
  'goals:',
  '  - id: G-1',
  '    title: Hikers trust the app',
  '    description: Fewer *lost* hikers.',
  '  - id: G-2',
  '    title: Partners build on us',
  '  - id: G-3',
  '    title: Nothing planned yet',
  'themes:',
  '  - id: T-1',
  '    title: Offline maps',
  '    goal: G-1',
  '    horizon: Now',
  '    description: "Maps **without signal** <script>alert(1)</script>"',
  '  - {id: T-2, title: Winter routes, goal: G-1, quarter: 2026-Q4}',
  '  - {id: T-3, title: Partner API, kind: initiative, goal: G-2, horizon: 2027-Q1}',
  '  - {id: T-4, title: Trail reviews, horizon: 2027-Q2}',
  '  - {id: T-5, title: Night mode, horizon: 2026-Q2}',
  '  - {id: T-6, title: Old sync, horizon: 2026-Q2}',
  '  - {id: T-7, title: Someday, horizon: later}',
  '  - {id: T-8, title: Ideas}',
  '  - {id: T-9, title: Group trips, horizon: next}',
  'milestones:',
  "  - {id: M-1, title: Beta, date: '2027-02-15'}",
  "  - {id: M-2, title: Winter launch, date: '2026-12-01'}",
  '  - {id: M-3, title: Undated}',
  '',
].join('\n');

const releases = "releases:\n  - {id: R-1, name: '1.0', date: '2027-03-01'}\n  - {id: R-2, name: '2.0'}\n";

function item(fields: Record<string, string | number>): string {
  return itemText({ status: 'To Do', ...fields });
}

/** Trailmap: epics under themes with stories, epics without a theme, items straight on themes. */
function files(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'backlog/config.yml': config,
    'backlog/roadmap.yml': roadmap,
    'backlog/releases.yml': releases,
    // T-1, now: an epic with three stories (done by status, open by size, done by folder).
    'backlog/tasks/bl-1 - Tile-cache.md': item({ id: 'BL-1', title: 'Tile cache', type: 'epic', theme: 'T-1', labels: '[maps]', release: 'R-1', status: 'In Progress', rank: 'a0' }),
    'backlog/tasks/bl-2 - Download.md': item({ id: 'BL-2', title: 'Download tiles', type: 'story', epic: 'BL-1', estimate: 3, status: 'Done', rank: 'a1' }),
    'backlog/tasks/bl-3 - Evict.md': item({ id: 'BL-3', title: 'Evict old tiles', type: 'story', epic: 'BL-1', size: 'M', rank: 'a2' }),
    'backlog/completed/bl-4 - Format.md': item({ id: 'BL-4', title: 'Tile format', type: 'story', epic: 'BL-1', estimate: 2, rank: 'a3' }),
    'backlog/drafts/bl-20 - Maybe.md': item({ id: 'BL-20', title: 'Maybe vector tiles', type: 'story', epic: 'BL-1', labels: '[vector]', estimate: 8, rank: 'a4' }),
    // T-1 too, but planned later on its own; aimed at a Backlog.md-style milestone by name.
    'backlog/tasks/bl-5 - Sharing.md': item({ id: 'BL-5', title: 'Map sharing', type: 'epic', theme: 't-1', horizon: 'later', milestone: 'Beta', rank: 'a5' }),
    'backlog/milestones/m-1 - Beta.md': itemText({ id: 'm-1', title: 'Beta', due_date: "'2027-02-20'" }),
    // T-3, next: an epic whose only story carries the label "Offline".
    'backlog/tasks/bl-6 - Webhooks.md': item({ id: 'BL-6', title: 'Webhooks', type: 'epic', theme: 'T-3', rank: 'a6' }),
    'backlog/tasks/bl-7 - Retry.md': item({ id: 'BL-7', title: 'Retry offline', type: 'story', epic: 'BL-6', labels: '[Offline]', estimate: 5, rank: 'a7' }),
    // No theme, an unknown theme, and a done epic without one.
    'backlog/tasks/bl-8 - Loose.md': item({ id: 'BL-8', title: 'Loose epic', type: 'epic', labels: '[maps]', rank: 'a8' }),
    'backlog/tasks/bl-9 - Stray.md': item({ id: 'BL-9', title: 'Stray epic', type: 'epic', theme: 'T-99', horizon: '2027-Q1', rank: 'a9' }),
    'backlog/tasks/bl-10 - Shipped.md': item({ id: 'BL-10', title: 'Shipped epic', type: 'epic', status: 'Done', rank: 'b0' }),
    'backlog/completed/bl-11 - Archived.md': item({ id: 'BL-11', title: 'Completed epic', type: 'epic', rank: 'b1' }),
    'backlog/drafts/bl-12 - Draft.md': item({ id: 'BL-12', title: 'Draft epic', type: 'epic', rank: 'b2' }),
    // Past-quarter themes: T-5 has open work, T-6 is all done.
    'backlog/tasks/bl-13 - Dark.md': item({ id: 'BL-13', title: 'Dark palette', type: 'story', theme: 'T-5', estimate: 2, rank: 'b3' }),
    'backlog/tasks/bl-14 - Sync.md': item({ id: 'BL-14', title: 'Sync v1', type: 'story', theme: 'T-6', estimate: 1, status: 'Done', rank: 'b4' }),
    'backlog/tasks/bl-15 - Snow.md': item({ id: 'BL-15', title: 'Snow layer', type: 'story', theme: 'T-2', size: 'S', status: 'Done', rank: 'b5' }),
    ...extra,
  };
}

async function model(options: Partial<RoadmapOptions> = {}, f: Record<string, string> = files(), today = TODAY): Promise<RoadmapModel> {
  const { backlog } = await memoryBacklog(f);
  return buildRoadmapModel(backlog(), { ...DEFAULT_ROADMAP_OPTIONS, ...options }, { today, roots: ['backlog'], root: 'backlog' });
}

function theme(m: RoadmapModel, id: string): RoadmapThemeView {
  const t = m.themes.find((x) => x.id === id);
  assert.ok(t, `theme ${id} is shown`);
  return t;
}

function epic(m: RoadmapModel, id: string): RoadmapEpicView {
  const e = [...m.themes.flatMap((t) => t.epics), ...m.epicsWithoutTheme].find((x) => x.id === id);
  assert.ok(e, `epic ${id} is shown`);
  return e;
}

const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('the roadmap model', () => {
  describe('board columns of themes (today 2026-11-21, in 2026-Q4)', () => {
    const cases: [id: string, horizon: string | undefined, column: string, overdue: boolean][] = [
      ['T-1', 'now', 'now', false],
      ['T-2', '2026-Q4', 'now', false],
      ['T-3', '2027-Q1', 'next', false],
      ['T-4', '2027-Q2', 'later', false],
      ['T-5', '2026-Q2', 'now', true],
      ['T-6', '2026-Q2', 'now', false],
      ['T-7', 'later', 'later', false],
      ['T-8', undefined, 'unscheduled', false],
      ['T-9', 'next', 'next', false],
    ];
    for (const [id, horizon, column, overdue] of cases) {
      it(`${id} (${horizon ?? 'no horizon'}) is in ${column}${overdue ? ', overdue' : ''}`, async () => {
        const t = theme(await model(), id);
        assert.equal(t.horizon, horizon);
        assert.equal(t.column, column);
        assert.equal(t.overdue, overdue);
      });
    }

    it('keeps roadmap order and kinds', async () => {
      const m = await model();
      assert.deepEqual(ids(m.themes), ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6', 'T-7', 'T-8', 'T-9']);
      assert.equal(theme(m, 'T-3').kind, 'initiative');
      assert.equal(theme(m, 'T-1').kind, 'theme');
    });

    it('a draft left open does not make a past quarter overdue', async () => {
      const m = await model({}, files({ 'backlog/drafts/bl-21 - Later.md': item({ id: 'BL-21', title: 'Sync v2', theme: 'T-6', estimate: 3 }) }));
      assert.equal(theme(m, 'T-6').overdue, false);
      assert.deepEqual(theme(m, 'T-6').progress, { pointsDone: 1, pointsTotal: 1, itemsDone: 1, itemsTotal: 1 });
    });

    it('a past quarter stops being overdue once its last open item is done', async () => {
      const m = await model({}, files({ 'backlog/tasks/bl-13 - Dark.md': item({ id: 'BL-13', title: 'Dark palette', theme: 'T-5', estimate: 2, status: 'Done' }) }));
      assert.equal(theme(m, 'T-5').overdue, false);
      assert.equal(theme(m, 'T-5').column, 'now');
    });
  });

  describe('timeline spans', () => {
    const cases: [id: string, span: { start: string; end: string; open: boolean } | undefined][] = [
      ['T-1', { start: '2026-10-01', end: '2027-01-01', open: false }],
      ['T-2', { start: '2026-10-01', end: '2027-01-01', open: false }],
      ['T-9', { start: '2027-01-01', end: '2027-04-01', open: false }],
      ['T-3', { start: '2027-01-01', end: '2027-04-01', open: false }],
      ['T-7', { start: '2027-04-01', end: '2027-07-01', open: true }],
      ['T-5', { start: '2026-04-01', end: '2026-07-01', open: false }],
      ['T-8', undefined],
    ];
    for (const [id, span] of cases) {
      it(`${id} spans ${span ? `${span.start}..${span.end}${span.open ? ' and beyond' : ''}` : 'nothing'}`, async () => {
        assert.deepEqual(theme(await model(), id).span, span);
      });
    }
  });

  describe('timeline lanes', () => {
    it('stack bars that overlap in time on rows of their own lane, and let bars that follow each other share one', async () => {
      const m = await model({ layout: 'timeline' });
      const t1 = theme(m, 'T-1');
      // T-1 is now (2026-Q4); BL-1 follows it, BL-5 is later (from 2027-Q2).
      assert.equal(t1.place?.row, 0);
      assert.equal(epic(m, 'BL-1').place?.row, 1);
      assert.equal(epic(m, 'BL-5').place?.row, 0);
      assert.equal(t1.rows, 2);
      // BL-5 runs off the right edge, from the start of 2027-Q2.
      const bl5 = epic(m, 'BL-5').place!;
      assert.ok(Math.abs(bl5.left + bl5.width - 1) < 1e-9);
      // A theme with nothing scheduled has no lane; the "No theme" lane has BL-9 alone.
      assert.equal(theme(m, 'T-8').rows, 0);
      assert.equal(m.rowsWithoutTheme, 1);
      assert.equal(epic(m, 'BL-8').place, undefined);
    });

    it('for any bars: no two on one row of a lane overlap, each lies within its lane and the timeline', () => {
      const quarter = fc.integer({ min: 2024, max: 2030 }).chain((y) => fc.integer({ min: 1, max: 4 }).map((q) => `${y}-${String(q * 3 - 2).padStart(2, '0')}-01`));
      const span: fc.Arbitrary<Span | undefined> = fc.option(
        fc.tuple(quarter, quarter, fc.boolean()).map(([a, b, open]) => (a <= b ? { start: a, end: b === a ? `${Number(a.slice(0, 4)) + 1}${a.slice(4)}` : b, open } : { start: b, end: a, open })),
        { nil: undefined },
      );
      const epicOf = (s: Span | undefined, k: number): RoadmapEpicView => ({ id: `E-${k}`, title: 'E', status: 'To Do', done: false, labels: [], column: 'now', span: s, progress: { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 }, stories: [] });
      const themeOf = (s: Span | undefined, epics: (Span | undefined)[], k: number): RoadmapThemeView => ({
        id: `T-${k}`,
        title: 'T',
        kind: 'theme',
        descriptionHtml: '',
        column: 'now',
        span: s,
        overdue: false,
        progress: { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 },
        rows: 0,
        epics: epics.map(epicOf),
      });
      const timeline = fc.tuple(quarter, fc.integer({ min: 1, max: 16 })).map(([start, quarters]) => {
        const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + quarters * 3;
        return { start, end: `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01` };
      });
      const assertLane = (places: (TimelinePlace | undefined)[], spans: (Span | undefined)[], rows: number) => {
        const shown = places.filter((p): p is TimelinePlace => p !== undefined);
        assert.equal(shown.length, spans.filter((s) => s !== undefined).length, 'every bar with a span is placed');
        assert.equal(rows, shown.length === 0 ? 0 : Math.max(...shown.map((p) => p.row)) + 1, 'no empty row');
        shown.forEach((p, i) => {
          assert.ok(Number.isInteger(p.row) && p.row >= 0 && p.row < rows, `row ${p.row} of ${rows}`);
          assert.ok(p.left >= 0 && p.width > 0 && p.left + p.width <= 1 + 1e-9, `inside the timeline: ${JSON.stringify(p)}`);
          for (const q of shown.slice(i + 1)) {
            const overlap = p.row === q.row && p.left < q.left + q.width - 1e-9 && q.left < p.left + p.width - 1e-9;
            assert.ok(!overlap, `${JSON.stringify(p)} over ${JSON.stringify(q)}`);
          }
        });
      };
      fc.assert(
        fc.property(fc.array(fc.tuple(span, fc.array(span, { maxLength: 15 })), { maxLength: 4 }), fc.array(span, { maxLength: 8 }), timeline, (lanes, loose, t) => {
          const themes = lanes.map(([s, epics], k) => themeOf(s, epics, k));
          const out = layOutLanes(themes, loose.map(epicOf), t);
          out.themes.forEach((th, k) => assertLane([th.place, ...th.epics.map((e) => e.place)], [lanes[k][0], ...lanes[k][1]], th.rows));
          assertLane(out.epicsWithoutTheme.map((e) => e.place), loose, out.rowsWithoutTheme);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('epics', () => {
    it('are grouped under their theme (ids match case-insensitively), drafts left out', async () => {
      const m = await model();
      assert.deepEqual(ids(theme(m, 'T-1').epics), ['BL-1', 'BL-5']);
      assert.deepEqual(ids(theme(m, 'T-3').epics), ['BL-6']);
      for (const t of m.themes.filter((x) => !['T-1', 'T-3'].includes(x.id))) assert.deepEqual(t.epics, [], t.id);
    });

    it('sit in their theme\'s column unless they have a horizon of their own', async () => {
      const m = await model();
      const inherited = epic(m, 'BL-1');
      assert.equal(inherited.column, 'now');
      assert.equal(inherited.horizon, undefined);
      assert.deepEqual(inherited.span, { start: '2026-10-01', end: '2027-01-01', open: false });
      const own = epic(m, 'BL-5');
      assert.equal(own.column, 'later');
      assert.equal(own.horizon, 'later');
      assert.deepEqual(own.span, { start: '2027-04-01', end: '2027-07-01', open: true });
      assert.equal(epic(m, 'BL-6').column, 'next');
    });

    it('roll up their stories: points by estimate or size, done by status or the completed folder', async () => {
      const e = epic(await model(), 'BL-1');
      // BL-2: 3 points, Done. BL-3: size M = 5, open. BL-4: 2 points, in completed/. BL-20 is a draft.
      assert.deepEqual(e.progress, { pointsDone: 5, pointsTotal: 10, itemsDone: 2, itemsTotal: 3 });
      assert.equal(e.done, false);
      assert.equal(e.status, 'In Progress');
      assert.deepEqual(e.labels, ['maps']);
    });

    it('list their stories in the team view', async () => {
      const e = epic(await model({ audience: 'team' }), 'BL-1');
      assert.deepEqual(
        e.stories.map((s) => [s.id, s.title, s.points, s.done]),
        [
          ['BL-2', 'Download tiles', 3, true],
          ['BL-3', 'Evict old tiles', 5, false],
          ['BL-4', 'Tile format', 2, true],
        ],
      );
    });

    const releaseCases: [id: string, release: { id: string; name: string; date?: string } | undefined][] = [
      ['BL-1', { id: 'R-1', name: '1.0', date: '2027-03-01' }],
      ['BL-5', { id: 'm-1', name: 'Beta', date: '2027-02-20' }],
      ['BL-6', undefined],
    ];
    for (const [id, release] of releaseCases) {
      it(`${id} targets ${release ? `release ${release.name}` : 'no release'}`, async () => {
        assert.deepEqual(epic(await model(), id).release, release);
      });
    }

    it('without a horizon anywhere, an epic spans the quarter of its release', async () => {
      const e = epic(await model(), 'BL-8');
      assert.equal(e.column, 'unscheduled');
      assert.equal(e.span, undefined);
      const m = await model({}, files({ 'backlog/tasks/bl-8 - Loose.md': item({ id: 'BL-8', title: 'Loose epic', type: 'epic', release: 'R-1' }) }));
      assert.deepEqual(epic(m, 'BL-8').span, { start: '2027-01-01', end: '2027-04-01', open: false });
      assert.equal(epic(m, 'BL-8').column, 'unscheduled');
    });

    it('are hidden in the stakeholder view, stories and all', async () => {
      const m = await model({ audience: 'stakeholder' });
      for (const t of m.themes) assert.deepEqual(t.epics, [], t.id);
      assert.deepEqual(m.epicsWithoutTheme, []);
      // Roll-ups still count the work underneath, as the epics count it: the draft BL-20 is left out.
      assert.deepEqual(theme(m, 'T-1').progress, { pointsDone: 5, pointsTotal: 10, itemsDone: 2, itemsTotal: 3 });
    });
  });

  describe('epics without a theme', () => {
    it('get their own lane in the team view: no theme or an unknown one, open ones only', async () => {
      const m = await model();
      assert.deepEqual(ids(m.epicsWithoutTheme), ['BL-8', 'BL-9']);
      const stray = epic(m, 'BL-9');
      assert.equal(stray.column, 'next');
      assert.deepEqual(stray.span, { start: '2027-01-01', end: '2027-04-01', open: false });
    });

    it('are not shown when a goal or theme is picked', async () => {
      assert.deepEqual((await model({ goal: 'G-1' })).epicsWithoutTheme, []);
      assert.deepEqual((await model({ theme: 'T-1' })).epicsWithoutTheme, []);
    });
  });

  describe('filters', () => {
    const cases: [name: string, options: Partial<RoadmapOptions>, themes: string[], goals: string[], loose: string[]][] = [
      ['nothing', {}, ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6', 'T-7', 'T-8', 'T-9'], ['G-1', 'G-2', 'G-3'], ['BL-8', 'BL-9']],
      ['goal G-1', { goal: 'G-1' }, ['T-1', 'T-2'], ['G-1'], []],
      ['goal g-2 (any case)', { goal: 'g-2' }, ['T-3'], ['G-2'], []],
      ['goal G-3, which has no themes', { goal: 'G-3' }, [], ['G-3'], []],
      ['theme T-4', { theme: 'T-4' }, ['T-4'], [], []],
      ['theme T-3', { theme: 't-3' }, ['T-3'], ['G-2'], []],
      ['label maps', { label: 'maps' }, ['T-1'], ['G-1'], ['BL-8']],
      ['label OFFLINE (any case)', { label: 'OFFLINE' }, ['T-3'], ['G-2'], []],
      ['label " maps " (trimmed)', { label: ' maps ' }, ['T-1'], ['G-1'], ['BL-8']],
      ['an unused label', { label: 'nope' }, [], [], []],
      ['a label only a draft has', { label: 'vector' }, [], [], []],
    ];
    for (const [name, options, themes, goals, loose] of cases) {
      it(`by ${name}`, async () => {
        const m = await model(options);
        assert.deepEqual(ids(m.themes), themes, 'themes');
        assert.deepEqual(ids(m.goals), goals, 'goals');
        assert.deepEqual(ids(m.epicsWithoutTheme), loose, 'epics without a theme');
      });
    }

    it('by label keeps epics with the label, or with a story that has it, and only those stories', async () => {
      const maps = await model({ label: 'maps' });
      assert.deepEqual(ids(theme(maps, 'T-1').epics), ['BL-1'], 'BL-5 has no label maps');
      assert.deepEqual(ids(epic(maps, 'BL-1').stories), ['BL-2', 'BL-3', 'BL-4'], 'a labelled epic shows all its stories');
      const offline = await model({ label: 'offline' });
      assert.deepEqual(ids(theme(offline, 'T-3').epics), ['BL-6']);
      assert.deepEqual(ids(epic(offline, 'BL-6').stories), ['BL-7']);
    });

    it('offer every goal, theme and label to pick from, whatever is filtered', async () => {
      const m = await model({ goal: 'G-2' });
      assert.deepEqual(ids(m.filterChoices.goals), ['G-1', 'G-2', 'G-3']);
      assert.deepEqual(ids(m.filterChoices.themes), ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6', 'T-7', 'T-8', 'T-9']);
      assert.deepEqual(m.filterChoices.labels, ['maps', 'Offline']);
    });
  });

  describe('goals', () => {
    it('sum the roll-ups of their themes, epics not counted twice', async () => {
      const m = await model();
      const byId = new Map(m.goals.map((g) => [g.id, g]));
      // G-1: T-1 (BL-2, BL-3, BL-4: 10 points, 5 done; the draft BL-20 is not counted) + T-2 (BL-15: size S = 2, done).
      assert.deepEqual(byId.get('G-1')?.themeIds, ['T-1', 'T-2']);
      assert.deepEqual(byId.get('G-1')?.progress, { pointsDone: 7, pointsTotal: 12, itemsDone: 3, itemsTotal: 4 });
      assert.deepEqual(byId.get('G-2')?.progress, { pointsDone: 0, pointsTotal: 5, itemsDone: 0, itemsTotal: 1 });
      assert.deepEqual(byId.get('G-3')?.themeIds, []);
      assert.deepEqual(byId.get('G-3')?.progress, { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 });
    });

    it('have their descriptions rendered as HTML', async () => {
      const g = (await model()).goals[0];
      assert.equal(g.title, 'Hikers trust the app');
      assert.match(g.descriptionHtml, /<em>lost<\/em>/);
    });
  });

  describe('markers', () => {
    it('are the dated milestones and releases, by date', async () => {
      const m = await model();
      assert.deepEqual(
        m.markers.map((x) => [x.kind, x.id, x.title, x.date]),
        [
          ['milestone', 'M-2', 'Winter launch', '2026-12-01'],
          ['milestone', 'M-1', 'Beta', '2027-02-15'],
          ['release', 'm-1', 'Beta', '2027-02-20'],
          ['release', 'R-1', '1.0', '2027-03-01'],
        ],
      );
    });
  });

  describe('the timeline', () => {
    const plain = (themes: string, extra = '') => ({
      'backlog/config.yml': config,
      'backlog/roadmap.yml': `themes:\n${themes}${extra}`,
    });
    const cases: [name: string, f: Record<string, string>, first: string, last: string, count: number][] = [
      ['runs from the current quarter to three more', plain('  - {id: T-1, title: A, horizon: now}\n'), '2026-Q4', '2027-Q3', 4],
      ['reaches the last span', plain('  - {id: T-1, title: A, horizon: 2028-Q2}\n'), '2026-Q4', '2028-Q2', 7],
      ['covers the first quarter of Later', plain('  - {id: T-1, title: A, horizon: later}\n'), '2026-Q4', '2027-Q3', 4],
      ['reaches the last marker', plain('  - {id: T-1, title: A}\n', "milestones:\n  - {id: M-1, title: GA, date: '2028-11-30'}\n"), '2026-Q4', '2028-Q4', 9],
      ['starts at a past quarter still planned', plain('  - {id: T-1, title: A, horizon: 2026-Q2}\n'), '2026-Q2', '2027-Q3', 6],
      ['stops after 16 quarters', plain('  - {id: T-1, title: A, horizon: 2035-Q1}\n'), '2026-Q4', '2030-Q3', 16],
      ['keeps today in view however old a quarter is', plain('  - {id: T-1, title: A, horizon: 2019-Q1}\n'), '2023-Q4', '2027-Q3', 16],
      ['copes with the year 9999', plain('  - {id: T-1, title: A, horizon: 9999-Q4}\n'), '2026-Q4', '2030-Q3', 16],
      ['copes with a year before 1000', plain('  - {id: T-1, title: A, horizon: 0202-Q1}\n'), '2023-Q4', '2027-Q3', 16],
    ];
    for (const [name, f, first, last, count] of cases) {
      it(name, async () => {
        const m = await model({ scale: 'quarter' }, f);
        const periods = m.timeline.periods;
        assert.equal(periods.length, count);
        assert.equal(periods[0].id, first);
        assert.equal(periods[periods.length - 1].id, last);
        assert.equal(m.timeline.start, periods[0].start);
        assert.equal(m.timeline.end, periods[periods.length - 1].end);
        for (let k = 1; k < periods.length; k++) assert.equal(periods[k].start, periods[k - 1].end, 'periods follow each other');
        assert.ok(m.timeline.start <= TODAY && TODAY < m.timeline.end, 'today is on the timeline');
        assert.equal(m.timeline.today, TODAY);
      });
    }

    it('labels quarters "2026 Q4"', async () => {
      const m = await model({ scale: 'quarter' }, plain('  - {id: T-1, title: A, horizon: now}\n'));
      assert.deepEqual(
        m.timeline.periods.map((p) => [p.id, p.label, p.start, p.end]),
        [
          ['2026-Q4', '2026 Q4', '2026-10-01', '2027-01-01'],
          ['2027-Q1', '2027 Q1', '2027-01-01', '2027-04-01'],
          ['2027-Q2', '2027 Q2', '2027-04-01', '2027-07-01'],
          ['2027-Q3', '2027 Q3', '2027-07-01', '2027-10-01'],
        ],
      );
    });

    it('in months, has three periods a quarter labelled like "Nov 2026"', async () => {
      const m = await model({ scale: 'month' }, plain('  - {id: T-1, title: A, horizon: now}\n'));
      const p = m.timeline.periods;
      assert.equal(p.length, 12);
      assert.deepEqual(
        p.slice(0, 4).map((x) => [x.id, x.label, x.start, x.end]),
        [
          ['2026-10', 'Oct 2026', '2026-10-01', '2026-11-01'],
          ['2026-11', 'Nov 2026', '2026-11-01', '2026-12-01'],
          ['2026-12', 'Dec 2026', '2026-12-01', '2027-01-01'],
          ['2027-01', 'Jan 2027', '2027-01-01', '2027-02-01'],
        ],
      );
      assert.equal(p[11].label, 'Sep 2027');
      assert.equal(m.timeline.start, '2026-10-01');
      assert.equal(m.timeline.end, '2027-10-01');
    });

    it('for the full roadmap, runs from the overdue 2026-Q2 past the last marker', async () => {
      const m = await model();
      assert.deepEqual(ids(m.timeline.periods), ['2026-Q2', '2026-Q3', '2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3']);
    });
  });

  describe('descriptions', () => {
    it('are rendered as safe HTML: Markdown formatting, scripts escaped', async () => {
      const html = theme(await model(), 'T-1').descriptionHtml;
      assert.match(html, /<strong>without signal<\/strong>/);
      assert.doesNotMatch(html, /<script/i);
      assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.equal(theme(await model(), 'T-8').descriptionHtml, '');
    });
  });

  describe('the rest of the model', () => {
    it('names the project, roots and vision, and says the roadmap exists', async () => {
      const m = await model();
      assert.equal(m.projectName, 'Trailmap');
      assert.deepEqual(m.roots, ['backlog']);
      assert.equal(m.root, 'backlog');
      assert.equal(m.hasRoadmap, true);
      assert.equal(m.vision, 'Every hiker finds the way home.');
    });

    it('without roadmap.yml says so, and still lists open epics in their own lane', async () => {
      const f = files();
      delete f['backlog/roadmap.yml'];
      const m = await model({}, f);
      assert.equal(m.hasRoadmap, false);
      assert.deepEqual(m.themes, []);
      assert.deepEqual(m.goals, []);
      assert.equal(m.vision, undefined);
      assert.deepEqual(ids(m.epicsWithoutTheme), ['BL-1', 'BL-5', 'BL-6', 'BL-8', 'BL-9']);
      assert.deepEqual(ids(m.markers), ['m-1', 'R-1']);
      assert.equal(m.timeline.periods[0].id, '2026-Q4');
    });

    it('offers moves to now, next, later, then quarters in order', async () => {
      const m = await model();
      assert.deepEqual(m.moveTargets.slice(0, 3), ['now', 'next', 'later']);
      const quarters = m.moveTargets.slice(3);
      assert.ok(quarters.every((q) => /^\d{4}-Q[1-4]$/.test(q)), quarters.join());
      assert.deepEqual([...quarters].sort(), quarters, 'in order');
      assert.equal(new Set(quarters).size, quarters.length, 'each once');
      // The quarters a theme already uses (2026-Q2) and eight from today.
      assert.deepEqual(quarters, ['2026-Q2', '2026-Q4', '2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4', '2028-Q1', '2028-Q2', '2028-Q3']);
    });
  });
});
