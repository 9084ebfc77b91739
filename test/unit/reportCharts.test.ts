import assert from 'node:assert/strict';
import fc from 'fast-check';
import { burndownChart, CHART_HEIGHT, CHART_WIDTH, dayLabel, niceTicks, releaseChart, velocityChart } from '../../src/views/reports/reportCharts';
import { burndownCsv, chartSvg, DARK_PALETTE, LIGHT_PALETTE, releaseCsv, velocityCsv } from '../../src/views/reports/reportExport';
import { BurndownDay, ChartMark, ChartRole, ChartScene, ReleaseBurn, ReleaseColumn, SprintBurndown, VelocityReport, VelocitySprint } from '../../src/protocol/reportsProtocol';

// ---------------------------------------------------------------------------------------------
// Builders

function day(date: string, fields: Partial<BurndownDay> = {}): BurndownDay {
  return { date, workday: true, remaining: null, completed: null, scope: null, ideal: 0, added: 0, removed: 0, ...fields };
}

/**
 * Sprint 14, Nov 16–25 2026 (10 days, Nov 21–22 a weekend), 25 points committed, figures up to
 * Nov 20 (5 days), the rest still to come. 4 points added on Nov 18, 1 removed on Nov 19.
 */
function sprint(fields: Partial<SprintBurndown> = {}): SprintBurndown {
  const remaining = [24, 22, 26, 20, 12];
  const added = [0, 0, 4, 0, 0];
  const removed = [0, 0, 0, 1, 0];
  // As src/views/reports/reports.ts makes it: committed on the first day, 0 on the last, a step at the end
  // of each later workday (7 of them), flat over the weekend.
  const ideal = [7, 6, 5, 4, 3, 3, 3, 2, 1, 0].map((w) => Math.round((2500 * w) / 7) / 100);
  const days = ideal.map((id, i) => {
    const date = `2026-11-${String(16 + i).padStart(2, '0')}`;
    const known = i < remaining.length;
    const scope = 25 + added.slice(0, i + 1).reduce((a, b) => a + b, 0) - removed.slice(0, i + 1).reduce((a, b) => a + b, 0);
    return day(date, {
      workday: i !== 5 && i !== 6,
      ideal: id,
      remaining: known ? remaining[i] : null,
      scope: known ? scope : null,
      completed: known ? scope - remaining[i] : null,
      added: added[i] ?? 0,
      removed: removed[i] ?? 0,
    });
  });
  return {
    sprintId: 'S-14',
    name: 'Sprint 14',
    start: '2026-11-16',
    end: '2026-11-25',
    state: 'active',
    unit: 'points',
    committed: 25,
    committedSource: 'recorded',
    days,
    changes: [],
    scopeNow: 28,
    completedNow: 16,
    remainingNow: 12,
    notes: [],
    ...fields,
  };
}

function column(name: string, date: string, scope: number, completed: number, added = 0, removed = 0): ReleaseColumn {
  return { sprintId: name.replace(/\s+/g, '-'), name, date, state: 'closed', scope, completed, remaining: scope - completed, added, removed };
}

/** Trailhead 1.0: three sprints, 38 of 60 done, 21 a sprint, 2 more sprints to Dec 11, release Dec 18. */
function release(fields: Partial<ReleaseBurn> = {}): ReleaseBurn {
  return {
    releaseId: 'R-1',
    name: 'Trailhead 1.0',
    date: '2026-12-18',
    unit: 'points',
    baseline: 50,
    columns: [column('Sprint 12', '2026-10-30', 50, 14), column('Sprint 13', '2026-11-13', 55, 28, 5), column('Sprint 14', '2026-11-27', 60, 38, 6, 1)],
    changes: [],
    scopeNow: 60,
    completedNow: 38,
    remainingNow: 22,
    velocity: 21,
    velocitySprints: ['Sprint-12', 'Sprint-13'],
    forecastSprints: 2,
    forecastDate: '2026-12-11',
    onTrack: true,
    notes: [],
    ...fields,
  };
}

function vsprint(name: string, committed: number, completed: number, state = 'closed'): VelocitySprint {
  return { sprintId: name.replace(/\s+/g, '-'), name, start: '2026-10-01', end: '2026-10-14', state, committed, committedSource: 'recorded', completed };
}

function velocity(fields: Partial<VelocityReport> = {}): VelocityReport {
  return {
    unit: 'points',
    sprints: [vsprint('Sprint 11', 20, 18), vsprint('Sprint 12', 24, 22), vsprint('Sprint 13', 25, 23), vsprint('Sprint 14', 30, 8, 'active')],
    average: 21,
    averageOver: ['Sprint-11', 'Sprint-12', 'Sprint-13'],
    notes: [],
    ...fields,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a scene as a user would

type Line = Extract<ChartMark, { kind: 'line' }>;
type Rect = Extract<ChartMark, { kind: 'rect' }>;
type Circle = Extract<ChartMark, { kind: 'circle' }>;
type Text = Extract<ChartMark, { kind: 'text' }>;

function lines(s: ChartScene, role: ChartRole): Line[] {
  return s.marks.filter((m): m is Line => m.kind === 'line' && m.role === role);
}
function rects(s: ChartScene, role: ChartRole): Rect[] {
  return s.marks.filter((m): m is Rect => m.kind === 'rect' && m.role === role);
}
function circles(s: ChartScene, role: ChartRole): Circle[] {
  return s.marks.filter((m): m is Circle => m.kind === 'circle' && m.role === role);
}
function texts(s: ChartScene, role?: ChartRole): Text[] {
  return s.marks.filter((m): m is Text => m.kind === 'text' && (role === undefined || m.role === role));
}

/**
 * The y axis as drawn: tick labels (numbers, right-aligned left of the plot) and their grid
 * lines. Returns a reader from value to y, checked against every tick.
 */
function axisScale(s: ChartScene): { top: number; y: (v: number) => number } {
  const ticks = texts(s, 'label')
    .filter((t) => t.anchor === 'end' && /^\d+(\.\d)?$/.test(t.text))
    .map((t) => ({ value: Number(t.text), y: t.y - 4 }))
    .sort((a, b) => a.value - b.value);
  assert.ok(ticks.length >= 4 && ticks.length <= 6, `4–6 ticks, got ${ticks.length}`);
  assert.equal(ticks[0].value, 0);
  const zero = ticks[0].y;
  const top = ticks[ticks.length - 1];
  const y = (v: number) => zero - ((zero - top.y) * v) / top.value;
  for (const t of ticks) assert.ok(Math.abs(y(t.value) - t.y) < 0.2, `tick ${t.value} on the scale`);
  // Grid lines at the ticks (above 0: the axis is there).
  const grid = lines(s, 'grid').map((l) => l.points[0][1]);
  for (const t of ticks.slice(1)) assert.ok(grid.some((g) => Math.abs(g - t.y) < 0.2), `grid line at ${t.value}`);
  return { top: top.value, y };
}

function near(actual: number, expected: number, message: string, tolerance = 0.3): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${message}: ${actual} ≠ ${expected}`);
}

/** Every coordinate finite and inside the viewBox, rects with sizes ≥ 0 that stay inside too. */
function assertInside(s: ChartScene): void {
  assert.equal(s.width, CHART_WIDTH);
  assert.equal(s.height, CHART_HEIGHT);
  const x = (v: number) => Number.isFinite(v) && v >= 0 && v <= s.width;
  const y = (v: number) => Number.isFinite(v) && v >= 0 && v <= s.height;
  for (const m of s.marks) {
    const where = JSON.stringify(m);
    if (m.kind === 'line') {
      assert.ok(m.points.length >= 2, where);
      for (const [px, py] of m.points) assert.ok(x(px) && y(py), where);
    } else if (m.kind === 'rect') {
      assert.ok(x(m.x) && y(m.y) && m.w >= 0 && m.h >= 0 && x(m.x + m.w) && y(m.y + m.h), where);
    } else {
      assert.ok(x(m.x) && y(m.y), where);
      if (m.kind === 'circle') assert.ok(Number.isFinite(m.r) && m.r > 0, where);
    }
  }
  assert.ok(!/NaN|Infinity/.test(JSON.stringify(s)));
}

/**
 * A small well-formedness check for the SVG files, since there is no XML parser here: tags
 * balance, attributes are quoted, and text holds no raw `<` and only the five entities.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, '');
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = token.exec(body)) !== null) {
    end = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|#39);)/, `raw & in ${JSON.stringify(text)}`);
      assert.doesNotMatch(text, />/, 'raw > in text');
    } else if (closing) assert.equal(stack.pop(), name, `</${name}> closes what was opened`);
    else if (!selfClosing) stack.push(name);
  }
  assert.equal(end, body.length, `unparsable at ${JSON.stringify(body.slice(end, end + 60))}`);
  assert.deepEqual(stack, [], 'every tag closed');
  assert.match(body, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
}

// ---------------------------------------------------------------------------------------------

describe('report charts', () => {
  describe('axis', () => {
    it('picks round ticks, 4 to 6 of them, reaching the largest value', () => {
      assert.deepEqual(niceTicks(25), [0, 5, 10, 15, 20, 25]);
      assert.deepEqual(niceTicks(26), [0, 10, 20, 30]);
      assert.deepEqual(niceTicks(7), [0, 2, 4, 6, 8]);
      assert.deepEqual(niceTicks(0), [0, 1, 2, 3]);
      assert.deepEqual(niceTicks(NaN), [0, 1, 2, 3]);
      assert.deepEqual(niceTicks(999), [0, 200, 400, 600, 800, 1000]);
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e7, noNaN: true }), (max) => {
          const ticks = niceTicks(max);
          assert.ok(ticks.length >= 4 && ticks.length <= 6);
          assert.ok(ticks[ticks.length - 1] >= max);
          const step = ticks[1];
          const mantissa = step / 10 ** Math.floor(Math.log10(step));
          assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `step ${step}`);
        }),
      );
    });

    it('writes dates as "Nov 16" from the text, whatever the time zone', () => {
      assert.equal(dayLabel('2026-11-16'), 'Nov 16');
      assert.equal(dayLabel('2027-01-01'), 'Jan 1');
      assert.equal(dayLabel('someday'), 'someday');
    });
  });

  describe('sprint burndown', () => {
    it('draws remaining on the axis scale, with a dot and a tip per known day', () => {
      const b = sprint();
      const s = burndownChart(b);
      const { top, y } = axisScale(s);
      assert.equal(top, 30);
      const [line] = lines(s, 'remaining');
      // One point per day with figures, none for the days to come.
      assert.equal(line.points.length, 5);
      const dots = circles(s, 'remaining');
      assert.equal(dots.length, 5);
      [24, 22, 26, 20, 12].forEach((v, i) => {
        near(line.points[i][1], y(v), `day ${i + 1}`);
        near(dots[i].y, y(v), `dot ${i + 1}`);
        near(dots[i].x, line.points[i][0], `dot ${i + 1} on the line`);
      });
      assert.equal(dots[2].tip, 'Nov 18: 26 points remaining');
      // Days run left to right, each dot above its date label.
      const labels = texts(s, 'label').filter((t) => t.anchor === 'middle');
      const nov18 = labels.find((t) => t.text === 'Nov 18');
      assert.ok(nov18, 'Nov 18 is labelled');
      near(nov18.x, dots[2].x, 'label under its dot');
      for (let i = 1; i < line.points.length; i++) assert.ok(line.points[i][0] > line.points[i - 1][0]);
    });

    it('draws the ideal line dashed from committed to 0 over all days', () => {
      const s = burndownChart(sprint());
      const { y } = axisScale(s);
      const [ideal] = lines(s, 'ideal');
      assert.equal(ideal.dashed, true);
      assert.equal(ideal.points.length, 10);
      near(ideal.points[0][1], y(25), 'ideal starts at committed');
      near(ideal.points[9][1], y(0), 'ideal ends at 0');
      const labels = texts(s, 'label').filter((t) => t.anchor === 'middle');
      near(ideal.points[0][0], labels[0].x, 'over the first day');
      near(ideal.points[9][0], labels[labels.length - 1].x, 'and the last');
      // Flat over the weekend.
      assert.equal(ideal.points[4][1], ideal.points[5][1]);
      assert.equal(ideal.points[5][1], ideal.points[6][1]);
      assert.ok(ideal.points[7][1] > ideal.points[6][1]);
    });

    it('shows scope changes as bars on their days, heights in proportion', () => {
      const b = sprint();
      b.days[3] = { ...b.days[3], added: 2 };
      const s = burndownChart(b);
      const { y } = axisScale(s);
      const added = rects(s, 'added');
      assert.equal(added.length, 2);
      near(added[0].h, y(0) - y(4), 'added 4');
      near(added[1].h, y(0) - y(2), 'added 2');
      near(added[0].h / added[1].h, 2, 'proportional', 0.05);
      for (const bar of added) near(bar.y + bar.h, y(0), 'from the baseline');
      assert.equal(added[0].tip, 'Nov 18: +4 points added');
      const dots = circles(s, 'remaining');
      // Each bar under its day's dot: added just left of it, removed just right.
      near(added[0].x + added[0].w, dots[2].x, 'Nov 18', 1);
      near(added[1].x + added[1].w, dots[3].x, 'Nov 19', 1);
      const [removed] = rects(s, 'removed');
      near(removed.h, y(0) - y(1), 'removed 1');
      assert.equal(removed.tip, 'Nov 19: 1 point removed');
      near(removed.x, dots[3].x, 'Nov 19', 1);
    });

    it('shades non-working days, marks today and says what it shows', () => {
      const s = burndownChart(sprint());
      assert.equal(rects(s, 'grid').length, 2);
      const [today] = lines(s, 'today');
      const dots = circles(s, 'remaining');
      near(today.points[0][0], dots[4].x, 'today at the last known day');
      assert.ok(texts(s, 'today').some((t) => t.text === 'Today'));
      assert.equal(lines(s, 'scope').length, 1);
      assert.deepEqual(
        s.legend.map((l) => l.label),
        ['Ideal', 'Remaining', 'Scope', 'Added', 'Removed'],
      );
      assert.equal(s.legend[0].dashed, true);
      assert.equal(s.description, 'Burndown of Sprint 14: 25 points committed, 12 remaining on Nov 20, ideal 10.7; 4 added and 1 removed since the start.');
      assert.ok(texts(s, 'label').some((t) => t.text === 'points'));
    });

    it('has no today line once the sprint is over, and no change bars or legend for them without changes', () => {
      const b = sprint({ unit: 'items' });
      b.days = b.days.map((d) => ({ ...d, remaining: d.remaining ?? 3, scope: d.scope ?? 28, completed: d.completed ?? 25, added: 0, removed: 0 }));
      const s = burndownChart(b);
      assert.equal(lines(s, 'today').length, 0);
      assert.equal(rects(s, 'added').length + rects(s, 'removed').length, 0);
      assert.deepEqual(
        s.legend.map((l) => l.role),
        ['ideal', 'remaining', 'scope'],
      );
      assert.ok(texts(s, 'label').some((t) => t.text === 'items'));
      assert.match(s.description, /25 items committed, 3 remaining on Nov 25.*no scope change/);
    });

    it('thins day labels out when crowded, keeping the first and the last', () => {
      const days = Array.from({ length: 60 }, (_, i) => day(`2026-${i < 31 ? '10' : '11'}-${String((i % 31) + 1).padStart(2, '0')}`, { ideal: 60 - i }));
      const s = burndownChart(sprint({ days }));
      const labels = texts(s, 'label').filter((t) => t.anchor === 'middle');
      assert.ok(labels.length < 20, `${labels.length} labels`);
      assert.equal(labels[0].text, 'Oct 1');
      assert.equal(labels[labels.length - 1].text, dayLabel(days[59].date));
      for (let i = 1; i < labels.length; i++) assert.ok(labels[i].x - labels[i - 1].x >= 40, 'labels apart');
    });

    it('copes with no days, one day, all zeros and a sprint not started', () => {
      const cases: SprintBurndown[] = [
        sprint({ days: [] }),
        sprint({ days: [], committed: 0 }),
        sprint({ days: [day('2026-11-16', { remaining: 5, scope: 5, completed: 0, ideal: 0 })], committed: 5 }),
        sprint({ days: [day('2026-11-16'), day('2026-11-17')], committed: 0 }),
        sprint({ days: sprint().days.map((d) => ({ ...d, remaining: null, scope: null, completed: null })) }),
        sprint({ days: [day('2026-11-16', { remaining: NaN, ideal: Infinity, added: -3 })], committed: NaN }),
      ];
      for (const b of cases) {
        const s = burndownChart(b);
        assertInside(s);
        axisScale(s);
      }
      assert.match(burndownChart(cases[4]).description, /no day of it has passed yet/);
      assert.equal(lines(burndownChart(cases[4]), 'remaining').length, 0);
    });

    it('keeps every coordinate finite and inside the viewBox for any burndown', () => {
      const value = fc.double({ min: 0, max: 500, noNaN: true });
      const dayArb = fc.record({ workday: fc.boolean(), remaining: value, completed: value, scope: value, ideal: value, added: value, removed: value });
      fc.assert(
        fc.property(fc.array(dayArb, { maxLength: 60 }), fc.nat({ max: 60 }), value, (raw, known, committed) => {
          const days = raw.map((d, i) => {
            const future = i >= known;
            return day(`2026-01-${String((i % 28) + 1).padStart(2, '0')}`, { ...d, remaining: future ? null : d.remaining, completed: future ? null : d.completed, scope: future ? null : d.scope });
          });
          const s = burndownChart(sprint({ days, committed }));
          assertInside(s);
          const { top, y } = axisScale(s);
          assert.ok(top >= Math.max(committed, ...raw.flatMap((d) => [d.ideal, d.added, d.removed])));
          days.forEach((d, i) => {
            if (i < known) assert.ok(Math.abs(circles(s, 'remaining')[i].y - y(d.remaining ?? 0)) <= 0.2);
          });
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('release', () => {
    it('burn-up: scope and completed on the axis scale, forecast slots and a dashed forecast to the scope', () => {
      const s = releaseChart(release(), 'burnup');
      const { y, top } = axisScale(s);
      assert.equal(top, 60);
      const dots = circles(s, 'completed');
      [14, 28, 38].forEach((v, i) => near(dots[i].y, y(v), `completed ${i}`));
      assert.equal(dots[2].tip, 'Sprint 14 (Nov 27): 38 of 60 points done');
      const scope = lines(s, 'scope').find((l) => !l.dashed);
      assert.ok(scope);
      for (const [i, v] of [50, 55, 60].entries()) near(scope.points[2 * i][1], y(v), `scope ${i}`);
      const labels = texts(s, 'label')
        .filter((t) => t.anchor === 'middle')
        .map((t) => t.text);
      assert.deepEqual(labels, ['Sprint 12', 'Sprint 13', 'Sprint 14', '+1', '+2']);
      const [forecast] = lines(s, 'forecast');
      assert.equal(forecast.dashed, true);
      near(forecast.points[0][1], y(38), 'forecast from the last completed');
      near(forecast.points[1][1], y(60), 'forecast to the scope');
      const plus2 = texts(s, 'label').find((t) => t.text === '+2');
      near(forecast.points[1][0], plus2!.x, 'ending at the last slot');
      // Scope that came in during a sprint, as bars at the bottom.
      const added = rects(s, 'added');
      assert.equal(added.length, 2);
      near(added[0].h / added[1].h, 5 / 6, 'proportional', 0.02);
      assert.equal(rects(s, 'removed').length, 1);
      assert.deepEqual(
        s.legend.map((l) => l.role),
        ['scope', 'completed', 'forecast', 'added', 'removed'],
      );
      assert.equal(s.description, 'Release Trailhead 1.0: 38 of 60 points done. At 21 points a sprint (the average of Sprint-12, Sprint-13), 2 more sprints, ending Dec 11, before the release date Dec 18.');
    });

    it('places the release date among the slots, or at the right edge beyond them', () => {
      const s = releaseChart(release(), 'burnup');
      const [target] = lines(s, 'target');
      const x = (t: string) => texts(s, 'label').find((l) => l.text === t)!.x;
      // Dec 18 is after the forecast's end (Dec 11, the last slot): at the right edge.
      assert.ok(target.points[0][0] > x('+2'));
      assert.ok(texts(s, 'target').some((t) => t.text === 'Release date Dec 18'));
      // Dec 4 falls between Sprint 14 (Nov 27) and +1 (projected Dec 4): on +1.
      const early = releaseChart(release({ date: '2026-12-04', onTrack: false }), 'burnup');
      near(lines(early, 'target')[0].points[0][0], x('+1'), 'on the slot');
      // Nov 20, halfway between Sprint 13 and Sprint 14.
      const mid = releaseChart(release({ date: '2026-11-20' }), 'burnup');
      near(lines(mid, 'target')[0].points[0][0], (x('Sprint 13') + x('Sprint 14')) / 2, 'interpolated');
      assert.match(releaseChart(release({ date: '2026-12-04', onTrack: false }), 'burnup').description, /after the release date Dec 4/);
      assert.equal(lines(releaseChart(release({ date: undefined }), 'burnup'), 'target').length, 0);
    });

    it('caps the forecast at 12 slots and draws none when nothing is left', () => {
      const far = releaseChart(release({ forecastSprints: 40 }), 'burnup');
      assert.ok(texts(far, 'label').some((t) => t.text === '+12'));
      assert.ok(!texts(far, 'label').some((t) => t.text === '+13'));
      assertInside(far);
      const done = releaseChart(release({ remainingNow: 0, forecastSprints: 0 }), 'burnup');
      assert.equal(lines(done, 'forecast').length, 0);
      assert.ok(!texts(done, 'label').some((t) => t.text === '+1'));
      const noVelocity = releaseChart(release({ velocity: undefined, forecastSprints: undefined, forecastDate: undefined, onTrack: undefined }), 'burnup');
      assert.equal(lines(noVelocity, 'forecast').length, 0);
      assert.match(noVelocity.description, /no velocity yet/);
    });

    it('counts the sprint under way as the first one the forecast needs', () => {
      const columns = release().columns;
      columns[2] = { ...columns[2], state: 'active', date: '2026-11-21' };
      const r = release({ columns, forecastDate: '2026-12-11' });
      const s = releaseChart(r, 'burnup');
      const { y } = axisScale(s);
      const labels = texts(s, 'label').filter((t) => t.anchor === 'middle' && t.size === undefined);
      assert.deepEqual(
        labels.map((t) => t.text),
        ['Sprint 12', 'Sprint 13', 'Sprint 14', '+1'],
      );
      const [forecast] = lines(s, 'forecast');
      near(forecast.points[1][0], labels[3].x, 'the forecast ends on +1');
      near(forecast.points[1][1], y(60), 'at the scope');
      assert.match(s.description, /2 more sprints including the one under way, ending Dec 11/);
      assert.ok(texts(s, 'label').some((t) => t.text === '(under way)' && Math.abs(t.x - labels[2].x) < 0.1));
      // One sprint left, and it is the one under way: the forecast ends with its band, no slot.
      const one = releaseChart(release({ columns, forecastSprints: 1, forecastDate: '2026-11-27' }), 'burndown');
      assert.ok(!texts(one, 'label').some((t) => t.text === '+1'));
      const [short] = lines(one, 'forecast');
      assert.ok(short.points[1][0] > short.points[0][0]);
      near(short.points[1][1], axisScale(one).y(0), 'to 0');
      assert.match(one.description, /1 more sprint, the one under way, ending Nov 27/);
      assertInside(one);
    });

    it('burndown: a bar per sprint as tall as what remains, its top the work added, and the forecast to 0', () => {
      const s = releaseChart(release(), 'burndown');
      const { y } = axisScale(s);
      const bars = rects(s, 'remaining');
      const added = rects(s, 'added');
      assert.equal(bars.length, 3);
      assert.equal(added.length, 2);
      near(bars[0].y, y(36), 'Sprint 12: 36 remaining');
      near(bars[0].y + bars[0].h, y(0), 'from 0');
      // Sprint 13: 27 remaining of which 5 came in: the bar's top 5 in the added colour.
      near(added[0].y, y(27), 'top of the stack at remaining');
      near(added[0].h, y(0) - y(5), 'added 5');
      near(bars[1].y, added[0].y + added[0].h, 'stacked', 0.2);
      near(bars[1].y, y(22), 'remaining below');
      const [forecast] = lines(s, 'forecast');
      near(forecast.points[0][1], y(22), 'from what remains');
      near(forecast.points[1][1], y(0), 'to 0');
      assert.deepEqual(
        s.legend.map((l) => l.role),
        ['remaining', 'added', 'forecast'],
      );
    });

    it('copes with no columns, zeros and a single sprint', () => {
      for (const mode of ['burnup', 'burndown'] as const) {
        for (const r of [
          release({ columns: [], scopeNow: 0, completedNow: 0, remainingNow: 0 }),
          release({ columns: [column('Only', '2026-11-13', 0, 0)] }),
          release({ columns: [column('Only', '2026-11-13', 10, 4)], forecastSprints: 1, forecastDate: 'soon', date: 'bad' }),
          release({ columns: [column('Sprint with a very long name indeed', 'x', NaN, Infinity)], forecastSprints: NaN }),
        ]) {
          const s = releaseChart(r, mode);
          assertInside(s);
          axisScale(s);
        }
      }
    });

    it('keeps every coordinate inside the viewBox for any release', () => {
      const value = fc.double({ min: 0, max: 500, noNaN: true });
      const col = fc.record({ scope: value, completed: value, added: value, removed: value, day: fc.integer({ min: 1, max: 28 }) });
      fc.assert(
        fc.property(fc.array(col, { maxLength: 30 }), fc.option(fc.double({ min: 0, max: 100, noNaN: true })), fc.boolean(), (cols, forecast, burnup) => {
          const columns = cols.map((c, i) => column(`S${i}`, `2026-03-${String(c.day).padStart(2, '0')}`, c.scope, c.completed, c.added, c.removed));
          const s = releaseChart(release({ columns, forecastSprints: forecast ?? undefined, remainingNow: 5 }), burnup ? 'burnup' : 'burndown');
          assertInside(s);
        }),
        { numRuns: 150 },
      );
    });
  });

  describe('velocity', () => {
    it('draws committed and completed bars side by side, heights in proportion, values above', () => {
      const s = velocityChart(velocity());
      const { y, top } = axisScale(s);
      assert.equal(top, 30);
      const committed = rects(s, 'committed');
      const completed = rects(s, 'completed');
      assert.equal(committed.length, 4);
      assert.equal(completed.length, 4);
      [20, 24, 25, 30].forEach((v, i) => near(committed[i].y, y(v), `committed ${i}`));
      [18, 22, 23, 8].forEach((v, i) => near(completed[i].y, y(v), `completed ${i}`));
      for (const bar of [...committed, ...completed]) near(bar.y + bar.h, y(0), 'from 0');
      near(committed[3].h / completed[3].h, 30 / 8, 'proportional', 0.05);
      for (let i = 0; i < 4; i++) assert.ok(committed[i].x + committed[i].w <= completed[i].x, 'side by side');
      assert.equal(completed[1].tip, 'Sprint 12: 22 points completed');
      const values = texts(s, 'label').filter((t) => t.size === 10 && /^\d+$/.test(t.text));
      assert.equal(values.length, 8);
      assert.ok(values.some((t) => t.text === '22' && Math.abs(t.y - (completed[1].y - 4)) < 0.2));
    });

    it('draws the average as a dashed line with its value, and says which sprint is under way', () => {
      const s = velocityChart(velocity());
      const { y } = axisScale(s);
      const [avg] = lines(s, 'average');
      assert.equal(avg.dashed, true);
      near(avg.points[0][1], y(21), 'at the average');
      assert.ok(texts(s, 'average').some((t) => t.text === 'avg 21'));
      assert.ok(texts(s, 'label').some((t) => t.text === '(under way)'));
      assert.equal(s.description, 'Velocity: completed 18, 22, 23 points in the last three closed sprints, average 21. Sprint 14 is under way: 8 of 30 points completed.');
      assert.deepEqual(
        s.legend.map((l) => l.role),
        ['committed', 'completed', 'average'],
      );
      const none = velocityChart(velocity({ average: undefined, averageOver: [] }));
      assert.equal(lines(none, 'average').length, 0);
      assert.match(none.description, /no closed sprint yet/);
    });

    it('copes with no sprints, one sprint and zeros', () => {
      for (const v of [
        velocity({ sprints: [], average: undefined, averageOver: [] }),
        velocity({ sprints: [vsprint('Sprint 1', 0, 0)], average: 0, averageOver: ['Sprint-1'] }),
        velocity({ sprints: Array.from({ length: 40 }, (_, i) => vsprint(`Sprint ${i}`, i * 3, i * 2)), average: NaN }),
      ]) {
        const s = velocityChart(v);
        assertInside(s);
        axisScale(s);
      }
      assert.equal(velocityChart(velocity({ sprints: [], average: undefined, averageOver: [] })).description, 'Velocity: no sprints to show yet.');
    });
  });

  describe('SVG file', () => {
    const HOSTILE = 'Sprint <script>alert(1)</script> ]]> & "quotes" \u0001\u0007 end';

    it('is well formed with hostile titles and names, and escapes every text', () => {
      const b = sprint({ name: HOSTILE });
      b.days[0] = { ...b.days[0], date: '<img src=x onerror=alert(1)>' };
      const svg = chartSvg(burndownChart(b), LIGHT_PALETTE, HOSTILE);
      assertWellFormed(svg);
      assert.doesNotMatch(svg, /<script|<img|onerror=|\]\]>/i);
      assert.ok(!Array.from(svg).some((c) => c.charCodeAt(0) < 9), 'no control characters');
      assert.match(svg, /<title id="chart-title">Sprint &lt;script&gt;alert\(1\)&lt;\/script&gt; \]\]&gt; &amp; &quot;quotes&quot; {2}end<\/title>/);
      assert.match(svg, /<desc id="chart-desc">Burndown of Sprint &lt;script&gt;/);
      assert.doesNotMatch(svg, /https?:\/\/(?!www\.w3\.org\/2000\/svg)|href|url\(|<style|<foreignObject|\son\w+=/i);
      for (const scene of [releaseChart(release({ name: HOSTILE }), 'burnup'), releaseChart(release(), 'burndown'), velocityChart(velocity({ sprints: [vsprint(HOSTILE, 3, 2)] }))]) {
        assertWellFormed(chartSvg(scene, DARK_PALETTE, HOSTILE));
      }
    });

    it('uses the palette, falls back per role, and lets nothing but colours into attributes', () => {
      const scene = burndownChart(sprint());
      const dark = chartSvg(scene, DARK_PALETTE, 'Sprint 14');
      assert.match(dark, /<rect x="0" y="0" width="720" height="\d+" fill="#1e1e1e" \/>/);
      assert.match(dark, /stroke="#3794ff" stroke-width="2.5"/);
      assert.match(dark, /stroke="#cccccc" stroke-opacity="0.5"/, 'alpha hex split into a colour and an opacity');
      assert.doesNotMatch(dark, /#1a85ff/);
      const partial = chartSvg(scene, { remaining: 'rgb(1, 2, 3)', background: 'red" onload="alert(1)', added: 'url(https://evil.example/x)' }, 'Sprint 14');
      assertWellFormed(partial);
      assert.match(partial, /stroke="rgb\(1, 2, 3\)"/);
      assert.doesNotMatch(partial, /onload|evil|url\(/);
      assert.match(partial, /fill="#ffffff"/, 'background falls back to the light palette');
      assert.match(partial, /fill="#d18616"/, 'added falls back');
      // The dashed ideal line, the legend with its labels, the title on top.
      assert.match(dark, /stroke-dasharray="6 4"/);
      for (const label of ['Ideal', 'Remaining', 'Scope', 'Added', 'Removed']) assert.match(dark, new RegExp(`>${label}</text>`));
      assert.match(dark, /font-weight="600"[^>]*>Sprint 14<\/text>/);
      assert.match(dark, /font-family="system-ui/);
      assert.match(dark, /<title>Nov 18: 26 points remaining<\/title>/);
    });
  });

  describe('CSV', () => {
    it('writes the burndown days, empty cells for days to come', () => {
      const text = burndownCsv(sprint());
      const rows = text.split('\r\n');
      assert.equal(rows[0], 'date,workday,ideal,remaining,completed,scope,added,removed');
      assert.equal(rows[3], '2026-11-18,true,17.86,26,3,29,4,0');
      assert.equal(rows[7], '2026-11-22,false,10.71,,,,0,0');
      assert.equal(rows.length, 1 + 10 + 1);
      assert.equal(rows[11], '');
    });

    it('quotes per RFC 4180 and defuses formulas in text cells', () => {
      const r = release({ columns: [column('=HYPERLINK("http://x","click")', '2026-11-13', 10, 4), column('Sprint, "the big one"\nsecond line', '2026-11-27', 12, 6), column('+1', '@now', 1, 1), column('-2', '2026-12-01', 0, 0)] });
      const text = releaseCsv(r);
      const rows = text.split('\r\n');
      assert.equal(rows[0], 'sprint,date,scope,completed,remaining,added,removed');
      assert.equal(rows[1], `"'=HYPERLINK(""http://x"",""click"")",2026-11-13,10,4,6,0,0`);
      assert.equal(text.split('\r\n')[2], '"Sprint, ""the big one""\nsecond line",2026-11-27,12,6,6,0,0');
      assert.equal(rows[3], "'+1,'@now,1,1,0,0,0");
      assert.equal(rows[4], "'-2,2026-12-01,0,0,0,0,0");
      const v = velocityCsv(velocity({ sprints: [vsprint('Sprint 1', 5, 3), vsprint('\tTab', 1, 1, 'active')] }));
      assert.equal(v, "sprint,start,end,state,committed,completed\r\nSprint 1,2026-10-01,2026-10-14,closed,5,3\r\n'\tTab,2026-10-01,2026-10-14,active,1,1\r\n");
    });
  });
});
