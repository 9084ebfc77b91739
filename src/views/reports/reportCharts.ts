// The Reports panel's three charts, laid out once as a `ChartScene`: a list of simple marks in a
// 720 × 340 viewBox. The page draws the scene as SVG elements and on a canvas (PNG), the host
// writes it as an SVG file, so all three look alike. Pure: figures in, coordinates out.
//
// Conventions every chart follows:
// - A left y-axis from 0 to a round top (steps of 1, 2 or 5 × 10^n, 4 to 6 ticks), with grid
//   lines at the ticks and the unit ("points", "items") above the tick labels.
// - Every coordinate is finite, rounded to 0.1 and inside the viewBox, whatever the figures
//   (no days, all zeros, NaN from a bug upstream): `finish` clamps as a last resort.
// - Texts are plain strings, user titles included: the renderers escape them.
//
// Burndown: one band per day, the day's figures ("as it stood at the end of that day") at the
// band's centre, its label under them. The model's ideal is `committed` on the first day and 0 on
// the last workday (src/views/reports/reports.ts), so the ideal line runs from committed to 0 across the
// plot. Non-working days shade their whole band; a day's scope changes are two narrow bars under
// its point (added left, removed right), from the baseline up.
//
// Release: one band per sprint column, figures at the band's centre, then projected forecast
// slots ("+1", "+2", …) for the sprints needed after the last column. The release date is placed
// by interpolating between the columns' dates and the slots' projected end dates (spread evenly up
// to `forecastDate`, so approximate); a date after everything shown is marked at the right edge,
// one before it at the left edge, labelled either way.

import { dayNumber as dayNumberOrUndefined, dayOf } from '../../core/dates';
import { ChartMark, ChartRole, ChartScene, ReleaseBurn, ReleaseMode, ReportUnit, SprintBurndown, VelocityReport } from '../../protocol/reportsProtocol';

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 340;

/** The plot area inside the viewBox: room on the left for tick labels, below for x labels. */
const PLOT = { left: 56, right: CHART_WIDTH - 24, top: 30, bottom: CHART_HEIGHT - 44 };
const PLOT_WIDTH = PLOT.right - PLOT.left;
const LABEL_SIZE = 11;
/** Forecast slots shown at most, whatever the forecast says. */
const MAX_FORECAST_SLOTS = 12;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Legend = ChartScene['legend'];

// ---------------------------------------------------------------------------------------------
// Numbers, dates and words

/** A figure for drawing: finite and not negative. */
function val(v: number | null | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}

function round1(v: number): number {
  const r = Math.round(v * 10) / 10;
  return Number.isFinite(r) && r !== 0 ? r : 0;
}

/** A figure for a sentence: at most one decimal, no trailing ".0". */
function fmt(v: number | null | undefined): string {
  const n = typeof v === 'number' && Number.isFinite(v) ? round1(v) : 0;
  return String(n);
}

function unitWord(unit: ReportUnit, n: number): string {
  const word = unit === 'items' ? 'item' : 'point';
  return round1(n) === 1 ? word : `${word}s`;
}

function amount(n: number, unit: ReportUnit): string {
  return `${fmt(n)} ${unitWord(unit, n)}`;
}

/** "2026-11-16" → "Nov 16", read from the text (no time zone can shift it); other text as it is. */
export function dayLabel(iso: string): string {
  const day = dayOf(iso);
  if (day === undefined) return clip(iso, 12);
  return `${MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(8, 10))}`;
}

/** Days since 1970 for an ISO date, in UTC so that no time zone shifts it; NaN for other text. */
function dayNumber(iso: string | undefined): number {
  return dayNumberOrUndefined(iso) ?? NaN;
}

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function countWord(n: number): string {
  return ['no', 'one', 'two', 'three', 'four', 'five', 'six'][n] ?? String(n);
}

/** A rough width of a text, for spacing labels: the renderers' fonts are not known here. */
function textWidth(text: string, size = LABEL_SIZE): number {
  return Array.from(text).length * size * 0.6;
}

// ---------------------------------------------------------------------------------------------
// Axes

/**
 * Round y-axis ticks from 0 to at least `maxValue`: a step of 1, 2 or 5 × 10^n (never below 1)
 * giving 4 to 6 ticks. All zeros (or nothing) give 0–3, so the range is never empty.
 */
export function niceTicks(maxValue: number): number[] {
  const max = val(maxValue);
  let step = 1;
  if (max > 0) {
    const base = 10 ** Math.floor(Math.log10(max / 5));
    for (const m of [1, 2, 5, 10, 20, 50]) {
      const s = Math.max(1, m * base);
      if (Math.ceil(max / s - 1e-9) <= 5) {
        step = s;
        break;
      }
    }
  }
  const intervals = Math.max(3, Math.ceil(max / step - 1e-9));
  return Array.from({ length: intervals + 1 }, (_, i) => i * step);
}

interface Frame {
  ticks: number[];
  top: number;
  /** The y of a value; values outside 0…top are clamped onto the plot. */
  y(v: number | null | undefined): number;
}

function frame(values: (number | null | undefined)[]): Frame {
  const ticks = niceTicks(Math.max(0, ...values.map(val)));
  const top = ticks[ticks.length - 1];
  const height = PLOT.bottom - PLOT.top;
  return { ticks, top, y: (v) => PLOT.bottom - (Math.min(val(v), top) / top) * height };
}

/** Grid lines and tick labels, the unit's name above them. Drawn first, behind everything. */
function yAxis(f: Frame, unit: ReportUnit): ChartMark[] {
  const marks: ChartMark[] = [];
  for (const t of f.ticks) {
    const y = f.y(t);
    if (t > 0) marks.push({ kind: 'line', role: 'grid', points: [[PLOT.left, y], [PLOT.right, y]] });
    marks.push({ kind: 'text', role: 'label', x: PLOT.left - 8, y: y + 4, text: fmt(t), anchor: 'end' });
  }
  marks.push({ kind: 'text', role: 'label', x: PLOT.left - 8, y: PLOT.top - 14, text: unit, anchor: 'end' });
  return marks;
}

/** The axis lines, drawn over the bars so that the baseline stays visible. */
function axes(): ChartMark[] {
  return [
    { kind: 'line', role: 'axis', points: [[PLOT.left, PLOT.top], [PLOT.left, PLOT.bottom]] },
    { kind: 'line', role: 'axis', points: [[PLOT.left, PLOT.bottom], [PLOT.right, PLOT.bottom]] },
  ];
}

/**
 * Which of `count` evenly spaced labels to write so that they do not run into each other: every
 * k-th, always the first and the last (dropping the one before the last when it would collide).
 */
function labelsShown(count: number, spacing: number, widest: number): Set<number> {
  const shown = new Set<number>();
  if (count <= 0) return shown;
  const every = Math.max(1, Math.ceil((widest + 8) / Math.max(spacing, 1e-3)));
  const last = count - 1;
  for (let i = 0; i < count; i += every) if (i === 0 || last - i >= every) shown.add(i);
  shown.add(last);
  return shown;
}

/** Labels under the x axis; a sprint under way (`active[i]`) gets "(under way)" under its name. */
function xLabels(texts: string[], xAt: (i: number) => number, spacing: number, active: boolean[] = []): ChartMark[] {
  const shown = labelsShown(texts.length, spacing, Math.max(0, ...texts.map((t) => textWidth(t))));
  return texts.flatMap((text, i): ChartMark[] => {
    if (!shown.has(i)) return [];
    const label: ChartMark = { kind: 'text', role: 'label', x: xAt(i), y: PLOT.bottom + 16, text, anchor: 'middle' };
    return active[i] ? [label, { kind: 'text', role: 'label', x: xAt(i), y: PLOT.bottom + 30, text: '(under way)', anchor: 'middle', size: 10 }] : [label];
  });
}

/** A vertical marker across the plot with its label above it, turned inwards near the right edge. */
function marker(role: ChartRole, x: number, text: string): ChartMark[] {
  const right = x > PLOT.left + PLOT_WIDTH * 0.6;
  return [
    { kind: 'line', role, points: [[x, PLOT.top - 4], [x, PLOT.bottom]] },
    { kind: 'text', role, x: right ? x - 4 : x + 4, y: PLOT.top - 8, text, anchor: right ? 'end' : 'start' },
  ];
}

/** Rounds every coordinate to 0.1 and clamps it into the viewBox; drops lines of fewer than two points. */
function finish(marks: ChartMark[]): ChartMark[] {
  const cx = (v: number) => round1(Math.max(0, Math.min(CHART_WIDTH, Number.isFinite(v) ? v : 0)));
  const cy = (v: number) => round1(Math.max(0, Math.min(CHART_HEIGHT, Number.isFinite(v) ? v : 0)));
  const out: ChartMark[] = [];
  for (const m of marks) {
    switch (m.kind) {
      case 'line':
        if (m.points.length >= 2) out.push({ ...m, points: m.points.map(([x, y]): [number, number] => [cx(x), cy(y)]) });
        break;
      case 'rect': {
        const x = cx(m.x);
        const y = cy(m.y);
        out.push({ ...m, x, y, w: round1(Math.min(CHART_WIDTH - x, Math.max(0, Number.isFinite(m.w) ? m.w : 0))), h: round1(Math.min(CHART_HEIGHT - y, Math.max(0, Number.isFinite(m.h) ? m.h : 0))) });
        break;
      }
      case 'circle':
        out.push({ ...m, x: cx(m.x), y: cy(m.y), r: round1(Math.max(0, Math.min(10, m.r))) });
        break;
      case 'text':
        out.push({ ...m, x: cx(m.x), y: cy(m.y) });
        break;
    }
  }
  return out;
}

/** The legend entries for the roles that have a mark, in the order given. */
function legendOf(marks: ChartMark[], entries: Legend): Legend {
  const present = new Set(marks.filter((m) => m.kind !== 'text').map((m) => m.role));
  return entries.filter((e) => present.has(e.role));
}

function scene(description: string, marks: ChartMark[], legend: Legend): ChartScene {
  return { width: CHART_WIDTH, height: CHART_HEIGHT, description, marks: finish(marks), legend: legendOf(marks, legend) };
}

/** Two narrow bars side by side in a band, from the baseline up: scope that came in and that left. */
function changeBars(f: Frame, centre: number, band: number, added: number, removed: number, what: string, unit: ReportUnit): ChartMark[] {
  const w = Math.max(1, Math.min(10, band * 0.3));
  const bar = (role: ChartRole, x: number, v: number, tip: string): ChartMark => {
    const h = Math.max(1, PLOT.bottom - f.y(v));
    return { kind: 'rect', role, x, y: PLOT.bottom - h, w, h, tip };
  };
  const marks: ChartMark[] = [];
  if (val(added) > 0) marks.push(bar('added', centre - w - 0.5, added, `${what}: +${amount(added, unit)} added`));
  if (val(removed) > 0) marks.push(bar('removed', centre + 0.5, removed, `${what}: ${amount(removed, unit)} removed`));
  return marks;
}

// ---------------------------------------------------------------------------------------------
// Sprint burndown

/** The sprint's burndown: ideal, remaining and scope lines over its days, scope changes as bars. */
export function burndownChart(b: SprintBurndown): ChartScene {
  const days = b.days;
  const n = days.length;
  const f = frame([b.committed, ...days.flatMap((d) => [d.ideal, d.remaining, d.scope, d.added, d.removed])]);
  const band = n > 0 ? PLOT_WIDTH / n : PLOT_WIDTH;
  const x = (i: number) => PLOT.left + (i + 0.5) * band;
  const marks: ChartMark[] = [];

  days.forEach((d, i) => {
    if (!d.workday) marks.push({ kind: 'rect', role: 'grid', x: x(i) - band / 2, y: PLOT.top, w: band, h: PLOT.bottom - PLOT.top, tip: `${dayLabel(d.date)}: not a working day` });
  });
  marks.push(...yAxis(f, b.unit));
  days.forEach((d, i) => marks.push(...changeBars(f, x(i), band, d.added, d.removed, dayLabel(d.date), b.unit)));
  marks.push(...axes());

  const indexed = days.map((d, i) => ({ d, i }));
  const known = indexed.filter(({ d }) => d.remaining !== null);
  marks.push({ kind: 'line', role: 'ideal', dashed: true, points: days.map((d, i): [number, number] => [x(i), f.y(d.ideal)]) });
  marks.push({ kind: 'line', role: 'scope', points: indexed.filter(({ d }) => d.scope !== null).map(({ d, i }): [number, number] => [x(i), f.y(d.scope)]) });
  marks.push({ kind: 'line', role: 'remaining', points: known.map(({ d, i }): [number, number] => [x(i), f.y(d.remaining)]) });
  for (const { d, i } of known) {
    marks.push({ kind: 'circle', role: 'remaining', x: x(i), y: f.y(d.remaining), r: 3.5, tip: `${dayLabel(d.date)}: ${amount(val(d.remaining), b.unit)} remaining` });
  }
  // Today: the last day with figures, while days are still to come.
  const today = known.length > 0 ? known[known.length - 1].i : -1;
  if (today >= 0 && today < n - 1) marks.push(...marker('today', x(today), 'Today'));
  marks.push(...xLabels(days.map((d) => dayLabel(d.date)), x, band));

  return scene(burndownDescription(b), marks, [
    { role: 'ideal', label: 'Ideal', dashed: true },
    { role: 'remaining', label: 'Remaining' },
    { role: 'scope', label: 'Scope' },
    { role: 'added', label: 'Added' },
    { role: 'removed', label: 'Removed' },
  ]);
}

function burndownDescription(b: SprintBurndown): string {
  const head = `Burndown of ${b.name}: ${amount(val(b.committed), b.unit)} committed`;
  const last = [...b.days].reverse().find((d) => d.remaining !== null);
  if (!last) return `${head}; no day of it has passed yet.`;
  const added = b.days.reduce((s, d) => s + val(d.added), 0);
  const removed = b.days.reduce((s, d) => s + val(d.removed), 0);
  const changes = added > 0 || removed > 0 ? `${fmt(added)} added and ${fmt(removed)} removed since the start` : 'no scope change since the start';
  return `${head}, ${fmt(last.remaining)} remaining on ${dayLabel(last.date)}, ideal ${fmt(last.ideal)}; ${changes}.`;
}

// ---------------------------------------------------------------------------------------------
// Release burn-up and burndown

/** Whether the last column is the sprint under way (its figures are today's, not its end's). */
function underWay(r: ReleaseBurn): boolean {
  return r.columns.length > 0 && r.columns[r.columns.length - 1].state === 'active';
}

/**
 * The forecast as drawn: whether there is one (columns, a forecast, work left), the sprints it
 * needs after the last column (the model counts the sprint under way as the first one needed,
 * src/views/reports/reports.ts) and how many of them get a slot ("+1", "+2", …, at most 12).
 */
function forecastPlan(r: ReleaseBurn): { show: boolean; after: number; slots: number } {
  const f = r.forecastSprints;
  if (r.columns.length === 0 || f === undefined || !Number.isFinite(f) || f <= 0 || val(r.remainingNow) <= 0) return { show: false, after: 0, slots: 0 };
  const after = Math.max(0, Math.ceil(f - 1e-9) - (underWay(r) ? 1 : 0));
  return { show: true, after, slots: Math.min(MAX_FORECAST_SLOTS, after) };
}

/** Each slot's date as a day number: the columns' own, then the forecast slots' projected ends. */
function slotDays(r: ReleaseBurn, plan: { after: number; slots: number }): number[] {
  const days = r.columns.map((c) => dayNumber(c.date));
  const last = days[days.length - 1];
  const forecastEnd = dayNumber(r.forecastDate);
  const length = days.length >= 2 && days[days.length - 1] > days[days.length - 2] ? days[days.length - 1] - days[days.length - 2] : 14;
  // The forecast's last sprint ends on `forecastDate`: the sprints after the last column are
  // spread evenly up to it (slots beyond the cap of 12 are not drawn).
  for (let k = 1; k <= plan.slots; k++) {
    days.push(Number.isFinite(forecastEnd) && forecastEnd > last ? last + ((forecastEnd - last) * k) / Math.max(1, plan.after) : last + length * k);
  }
  return days;
}

/** The x of the release date among the slots, or an edge when it falls outside them. */
function targetX(r: ReleaseBurn, plan: { after: number; slots: number }, centre: (i: number) => number): number | undefined {
  const target = dayNumber(r.date);
  if (!Number.isFinite(target) || r.columns.length === 0) return undefined;
  const days = slotDays(r, plan);
  const i = days.findIndex((d) => d >= target);
  if (i < 0) return PLOT.right;
  if (days[i] === target) return centre(i);
  if (i === 0) return PLOT.left;
  const from = days[i - 1];
  const t = days[i] > from && Number.isFinite(from) ? (target - from) / (days[i] - from) : 1;
  return centre(i - 1) + Math.max(0, Math.min(1, t)) * (centre(i) - centre(i - 1));
}

/** The release's burn-up (scope and completed lines) or burndown (remaining bars), with the forecast. */
export function releaseChart(r: ReleaseBurn, mode: ReleaseMode): ChartScene {
  const cols = r.columns;
  const n = cols.length;
  const plan = forecastPlan(r);
  const slots = plan.slots;
  const total = n + slots;
  const band = total > 0 ? PLOT_WIDTH / total : PLOT_WIDTH;
  const centre = (i: number) => PLOT.left + (i + 0.5) * band;
  const burnup = mode !== 'burndown';
  const f = frame(burnup ? cols.flatMap((c) => [c.scope, c.completed, c.added, c.removed]) : cols.map((c) => c.remaining));
  const what = (c: (typeof cols)[number]) => `${c.name} (${dayLabel(c.date)})`;
  const marks: ChartMark[] = [...yAxis(f, r.unit)];
  const lastCol = cols[n - 1];
  /** Where the forecast ends: the last slot, or the end of the sprint under way when it is the last one needed. */
  const forecastX = slots > 0 ? centre(total - 1) : centre(n - 1) + band / 2;

  if (burnup) {
    cols.forEach((c, i) => marks.push(...changeBars(f, centre(i), band, c.added, c.removed, what(c), r.unit)));
    marks.push(...axes());
    if (n > 0) {
      const steps = cols.flatMap((c, i): [number, number][] => [[centre(i) - band / 2, f.y(c.scope)], [centre(i) + band / 2, f.y(c.scope)]]);
      marks.push({ kind: 'line', role: 'scope', points: steps });
      if (slots > 0) marks.push({ kind: 'line', role: 'scope', dashed: true, points: [[centre(n - 1) + band / 2, f.y(lastCol.scope)], [PLOT.right, f.y(lastCol.scope)]] });
      if (plan.show) marks.push({ kind: 'line', role: 'forecast', dashed: true, points: [[centre(n - 1), f.y(lastCol.completed)], [forecastX, f.y(lastCol.scope)]] });
      marks.push({ kind: 'line', role: 'completed', points: cols.map((c, i): [number, number] => [centre(i), f.y(c.completed)]) });
      cols.forEach((c, i) => {
        marks.push({ kind: 'circle', role: 'completed', x: centre(i), y: f.y(c.completed), r: 3.5, tip: `${what(c)}: ${fmt(c.completed)} of ${amount(val(c.scope), r.unit)} done` });
      });
    }
  } else {
    // The bar is as tall as what remains; its top part, in the added colour, is the work that
    // came in during that sprint (at most the whole bar), so scope growth shows without inflating it.
    const w = Math.max(2, Math.min(40, band * 0.6));
    cols.forEach((c, i) => {
      const remaining = val(c.remaining);
      const added = Math.min(val(c.added), remaining);
      const x = centre(i) - w / 2;
      const base = remaining - added;
      const tail = val(c.added) > 0 ? `, ${fmt(c.added)} came in during the sprint` : '';
      if (base > 0) marks.push({ kind: 'rect', role: 'remaining', x, y: f.y(base), w, h: PLOT.bottom - f.y(base), tip: `${what(c)}: ${amount(remaining, r.unit)} remaining${tail}` });
      if (added > 0) marks.push({ kind: 'rect', role: 'added', x, y: f.y(remaining), w, h: f.y(base) - f.y(remaining), tip: `${what(c)}: +${amount(val(c.added), r.unit)} added, part of the ${fmt(remaining)} remaining` });
    });
    marks.push(...axes());
    if (plan.show) marks.push({ kind: 'line', role: 'forecast', dashed: true, points: [[centre(n - 1), f.y(lastCol.remaining)], [forecastX, PLOT.bottom]] });
  }

  if (r.date) {
    const x = targetX(r, plan, centre);
    if (x !== undefined) marks.push(...marker('target', x, `Release date ${dayLabel(r.date)}`));
  }
  const labels = [...cols.map((c) => clip(c.name, 16)), ...Array.from({ length: slots }, (_, k) => `+${k + 1}`)];
  marks.push(...xLabels(labels, centre, band, cols.map((c) => c.state === 'active')));

  const legend: Legend = burnup
    ? [
        { role: 'scope', label: 'Scope' },
        { role: 'completed', label: 'Completed' },
        { role: 'forecast', label: 'Forecast', dashed: true },
        { role: 'added', label: 'Added' },
        { role: 'removed', label: 'Removed' },
      ]
    : [
        { role: 'remaining', label: 'Remaining' },
        { role: 'added', label: 'Added during the sprint' },
        { role: 'forecast', label: 'Forecast', dashed: true },
      ];
  return scene(releaseDescription(r), marks, legend);
}

function releaseDescription(r: ReleaseBurn): string {
  return `Release ${r.name}: ${fmt(r.completedNow)} of ${amount(val(r.scopeNow), r.unit)} done. ${releaseForecastText(r)}`;
}

/**
 * The forecast in one sentence, for the chart's description, the panel's text and the command
 * line alike: the sprints it names are the ones the chart draws (the sprint under way counts as
 * the first, as in `forecastPlan`), so the text and the "+1", "+2" slots never disagree.
 */
export function releaseForecastText(r: ReleaseBurn): string {
  const date = r.date ? dayLabel(r.date) : undefined;
  if (val(r.remainingNow) <= 0) return `All the work is done${date ? `; release date ${date}` : ''}.`;
  if (r.velocity === undefined || r.forecastSprints === undefined || !Number.isFinite(r.forecastSprints)) {
    const why = r.velocity !== undefined && r.velocity <= 0 ? 'The last closed sprints completed nothing, so there is no forecast' : 'No forecast: there is no velocity yet';
    return `${why}${date ? `; release date ${date}` : ''}.`;
  }
  const sprints = Math.ceil(r.forecastSprints - 1e-9);
  const including = underWay(r) ? (sprints === 1 ? ', the one under way' : ' including the one under way') : '';
  const over = r.velocitySprints.length > 0 ? ` (the average of ${r.velocitySprints.join(', ')})` : '';
  const parts = [`At ${amount(val(r.velocity), r.unit)} a sprint${over}, ${sprints} more sprint${sprints === 1 ? '' : 's'}${including}`];
  if (r.forecastDate) parts.push(`, ending ${dayLabel(r.forecastDate)}`);
  if (date) {
    if (r.onTrack === true) parts.push(r.forecastDate === r.date ? `, on the release date ${date}` : `, before the release date ${date}`);
    else if (r.onTrack === false) parts.push(`, after the release date ${date}`);
    else parts.push(`; release date ${date}`);
  }
  return `${parts.join('')}.`;
}

// ---------------------------------------------------------------------------------------------
// Velocity

/** Committed and completed bars per sprint, the average of the last closed sprints as a line. */
export function velocityChart(v: VelocityReport): ChartScene {
  const sprints = v.sprints;
  const n = sprints.length;
  const average = v.average !== undefined && Number.isFinite(v.average) ? v.average : undefined;
  const f = frame([...sprints.flatMap((s) => [s.committed, s.completed]), average]);
  const band = n > 0 ? PLOT_WIDTH / n : PLOT_WIDTH;
  const centre = (i: number) => PLOT.left + (i + 0.5) * band;
  const w = Math.max(1, Math.min(32, band * 0.32));
  const values = band >= 44;
  const marks: ChartMark[] = [...yAxis(f, v.unit)];

  sprints.forEach((s, i) => {
    const bars: [ChartRole, number, number][] = [
      ['committed', centre(i) - w - 1, s.committed],
      ['completed', centre(i) + 1, s.completed],
    ];
    for (const [role, x, value] of bars) {
      const y = f.y(value);
      marks.push({ kind: 'rect', role, x, y, w, h: PLOT.bottom - y, tip: `${s.name}: ${amount(val(value), v.unit)} ${role}` });
      if (values) marks.push({ kind: 'text', role: 'label', x: x + w / 2, y: y - 4, text: fmt(value), anchor: 'middle', size: 10 });
    }
  });
  marks.push(...axes());
  if (average !== undefined) {
    const y = f.y(average);
    marks.push({ kind: 'line', role: 'average', dashed: true, points: [[PLOT.left, y], [PLOT.right, y]] });
    marks.push({ kind: 'text', role: 'average', x: PLOT.right, y: y - 4, text: `avg ${fmt(average)}`, anchor: 'end' });
  }
  marks.push(...xLabels(sprints.map((s) => clip(s.name, 16)), centre, band, sprints.map((s) => s.state === 'active')));

  return scene(velocityDescription(v, average), marks, [
    { role: 'committed', label: 'Committed' },
    { role: 'completed', label: 'Completed' },
    { role: 'average', label: 'Average', dashed: true },
  ]);
}

function velocityDescription(v: VelocityReport, average: number | undefined): string {
  if (v.sprints.length === 0) return 'Velocity: no sprints to show yet.';
  const over = v.sprints.filter((s) => v.averageOver.includes(s.sprintId));
  const active = v.sprints.find((s) => s.state === 'active');
  const now = active ? ` ${active.name} is under way: ${fmt(active.completed)} of ${amount(val(active.committed), v.unit)} completed.` : '';
  if (average === undefined || over.length === 0) return `Velocity: no closed sprint yet to average.${now}`;
  const figures = over.map((s) => fmt(s.completed)).join(', ');
  const unit = unitWord(v.unit, over.length === 1 ? over[0].completed : 2);
  const which = over.length === 1 ? 'the last closed sprint' : `the last ${countWord(over.length)} closed sprints`;
  return `Velocity: completed ${figures} ${unit} in ${which}, average ${fmt(average)}.${now}`;
}
