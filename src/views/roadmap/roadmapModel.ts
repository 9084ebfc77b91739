// The roadmap panel's view model: what the webview draws and what the exports write, computed
// from one backlog. Pure, so that grouping, roll-ups and the unscheduled lane are unit-tested.
import { RoadmapEpicView, RoadmapGoalView, RoadmapMarker, RoadmapModel, RoadmapOptions, RoadmapStoryView, RoadmapThemeView, Period, ProgressView, Span, TimelinePlace } from '../../protocol/roadmapProtocol';
import { Backlog, Rollup } from '../../core/backlog';
import { dayNumberOf } from '../../core/dates';
import { packRows } from './timelineRows';
import { addQuarters, compareQuarters, horizonColumn, horizonSpan, isPastQuarter, quarterOf, quarterRange } from '../../core/rules/horizon';
import { idKey } from '../../core/naming';
import { epicHorizon } from '../../core/rules/roadmapMoves';
import { renderSafeMarkdown } from '../safeMarkdown';
import { Item, Theme } from '../../core/types';

/** A timeline longer than this many quarters is cut: nobody plans a lane four years out. */
const MAX_QUARTERS = 16;
/** Quarters offered by "Move to…" beyond the current one. */
const MOVE_QUARTERS = 8;
/** The narrowest bar, as a share of the timeline's width, so that a bar clamped to an edge still shows. */
const MIN_BAR_SHARE = 0.015;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface RoadmapContext {
  /** Today as an ISO date; the caller's clock, so that tests can pin it. */
  today: string;
  /** Names of the workspace's backlog roots, and the one this backlog is. */
  roots: string[];
  root: string;
}

function progress(r: Rollup): ProgressView {
  return { pointsDone: r.pointsDone, pointsTotal: r.pointsTotal, itemsDone: r.itemsDone, itemsTotal: r.itemsTotal };
}

function addProgress(a: ProgressView, b: ProgressView): ProgressView {
  return { pointsDone: a.pointsDone + b.pointsDone, pointsTotal: a.pointsTotal + b.pointsTotal, itemsDone: a.itemsDone + b.itemsDone, itemsTotal: a.itemsTotal + b.itemsTotal };
}

const NO_PROGRESS: ProgressView = { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 };

function hasLabel(item: Item, label: string): boolean {
  const l = label.toLowerCase();
  return item.labels.some((x) => x.toLowerCase() === l);
}

/** `list` grouped by `key`, in list order; entries without a key are left out. */
function groupBy<T>(list: readonly T[], key: (x: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    if (k === undefined) continue;
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** Epics of the roadmap: not drafts, not archived. */
function epicsOf(backlog: Backlog): Item[] {
  return backlog.allOrdered().filter((i) => i.type === 'epic' && (i.folder === 'tasks' || i.folder === 'completed'));
}

/** Builds the roadmap as the panel shows it for the given options. */
export function buildRoadmapModel(backlog: Backlog, options: RoadmapOptions, ctx: RoadmapContext): RoadmapModel {
  const { today } = ctx;
  const roadmap = backlog.roadmap;
  const team = options.audience === 'team';
  const label = options.label.trim();
  const themeKeys = new Map(roadmap.themes.map((t) => [t.id.toUpperCase(), t]));
  const allEpics = epicsOf(backlog);

  // Drafts are not planned work: a theme counts what its epics show, drafts left out there too.
  const themeItems = (themeId: string): Item[] => backlog.themeItems(themeId).filter((i) => i.folder !== 'drafts');
  const themeProgress = (themeId: string): ProgressView => progress(backlog.rollup(themeItems(themeId).filter((i) => i.type !== 'epic')));

  const storyView = (i: Item): RoadmapStoryView => ({ id: i.id, title: i.title, status: i.status, type: i.type, points: backlog.points(i), done: backlog.isDone(i) });

  const epicView = (epic: Item, theme: Theme | undefined): RoadmapEpicView | undefined => {
    const children = backlog.children(epic.id).filter((c) => c.folder !== 'drafts');
    const epicMatches = label === '' || hasLabel(epic, label);
    if (!epicMatches && !children.some((c) => hasLabel(c, label))) return undefined;
    const releaseRef = epic.release ?? epic.milestone;
    const release = releaseRef !== undefined ? backlog.release(releaseRef) : undefined;
    const horizon = epicHorizon(epic, theme);
    const span: Span | undefined = horizonSpan(horizon, today) ?? (release?.date ? { ...quarterRange(quarterOf(release.date)), open: false } : undefined);
    return {
      id: epic.id,
      title: epic.title,
      status: epic.status,
      done: backlog.isDone(epic),
      labels: epic.labels,
      horizon: epic.horizon,
      column: horizonColumn(horizon, today),
      span,
      release: release ? { id: release.id, name: release.name, date: release.date } : undefined,
      progress: progress(backlog.rollup(children)),
      stories: team ? children.filter((c) => epicMatches || hasLabel(c, label)).map(storyView) : [],
    };
  };

  const themeVisible = (t: Theme): boolean => {
    if (options.goal !== '' && t.goal?.toUpperCase() !== options.goal.toUpperCase()) return false;
    if (options.theme !== '' && t.id.toUpperCase() !== options.theme.toUpperCase()) return false;
    if (label !== '' && !themeItems(t.id).some((i) => hasLabel(i, label))) return false;
    return true;
  };

  // Epics by theme and themes by goal, grouped once: a filter of every epic per theme (and of
  // every theme per goal) grows with their product, which a big roadmap.yml makes minutes.
  const epicsByTheme = groupBy(allEpics, (e) => e.theme?.toUpperCase());
  const themesByGoal = groupBy(roadmap.themes, (t) => t.goal?.toUpperCase());

  const themes: RoadmapThemeView[] = roadmap.themes.filter(themeVisible).map((t) => {
    const p = themeProgress(t.id);
    const key = t.id.toUpperCase();
    const epics = team ? (epicsByTheme.get(key) ?? []).flatMap((e) => epicView(e, t) ?? []) : [];
    return {
      id: t.id,
      title: t.title,
      kind: t.kind,
      goal: t.goal,
      descriptionHtml: t.description ? renderSafeMarkdown(t.description) : '',
      horizon: t.horizon,
      column: horizonColumn(t.horizon, today),
      span: horizonSpan(t.horizon, today),
      overdue: isPastQuarter(t.horizon, today) && (p.itemsTotal === 0 || p.itemsDone < p.itemsTotal),
      progress: p,
      rows: 0,
      epics,
    };
  });

  const filtered = options.goal !== '' || options.theme !== '' || label !== '';
  const visibleGoals = new Set(themes.map((t) => t.goal?.toUpperCase()));
  const goals: RoadmapGoalView[] = roadmap.goals
    .filter((g) => (options.goal !== '' ? g.id.toUpperCase() === options.goal.toUpperCase() : !filtered || visibleGoals.has(g.id.toUpperCase())))
    .map((g) => {
      const mine = themesByGoal.get(g.id.toUpperCase()) ?? [];
      return {
        id: g.id,
        title: g.title,
        descriptionHtml: g.description ? renderSafeMarkdown(g.description) : '',
        themeIds: mine.map((t) => t.id),
        progress: mine.reduce((acc, t) => addProgress(acc, themeProgress(t.id)), NO_PROGRESS),
      };
    });

  // An epic that names no theme, or one the roadmap lacks, is still planned work: it gets a lane.
  const epicsWithoutTheme =
    team && options.goal === '' && options.theme === ''
      ? allEpics.filter((e) => (e.theme === undefined || !themeKeys.has(e.theme.toUpperCase())) && !backlog.isDone(e)).flatMap((e) => epicView(e, undefined) ?? [])
      : [];

  const markers: RoadmapMarker[] = [
    ...roadmap.milestones.flatMap((m) => (m.date ? [{ kind: 'milestone' as const, id: m.id, title: m.title, date: m.date.slice(0, 10) }] : [])),
    ...backlog.releases().flatMap((r) => (r.date ? [{ kind: 'release' as const, id: r.id, title: r.name, date: r.date.slice(0, 10) }] : [])),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));

  const spans = [...themes.map((t) => t.span), ...themes.flatMap((t) => t.epics.map((e) => e.span)), ...epicsWithoutTheme.map((e) => e.span)].filter((s): s is Span => s !== undefined);
  const timeline = buildTimeline(today, spans, markers, options.scale);
  const lanes = layOutLanes(themes, epicsWithoutTheme, timeline);

  const usedQuarters = [...roadmap.themes, ...allEpics].flatMap((t) => (t.horizon && /Q/.test(t.horizon) ? [t.horizon] : []));
  const current = quarterOf(today);
  const ahead = Array.from({ length: MOVE_QUARTERS }, (_, k) => addQuarters(current, k));
  const quarters = [...new Set([...ahead, ...usedQuarters])].sort(compareQuarters);

  const labels = new Set<string>();
  for (const t of roadmap.themes) for (const i of themeItems(t.id)) for (const l of i.labels) labels.add(l);
  for (const e of allEpics) for (const l of e.labels) labels.add(l);

  return {
    roots: ctx.roots,
    root: ctx.root,
    projectName: backlog.config.projectName,
    hasRoadmap: backlog.files.has(backlog.root + '/roadmap.yml'),
    vision: roadmap.vision,
    goals,
    ...lanes,
    markers,
    timeline,
    filterChoices: {
      goals: roadmap.goals.map((g) => ({ id: g.id, title: g.title })),
      themes: roadmap.themes.map((t) => ({ id: t.id, title: t.title })),
      labels: [...labels].sort((a, b) => a.localeCompare(b)),
    },
    moveTargets: ['now', 'next', 'later', ...quarters],
  };
}

/**
 * Places every scheduled bar on the timeline: where it is drawn, and its row in its lane. A
 * theme's lane holds its own bar and its epics'; epics without a theme share one more lane.
 * Computed once here, so that the panel and the exports draw the same lanes.
 */
export function layOutLanes(
  themes: readonly RoadmapThemeView[],
  epicsWithoutTheme: readonly RoadmapEpicView[],
  timeline: Pick<RoadmapModel['timeline'], 'start' | 'end'>,
): Pick<RoadmapModel, 'themes' | 'epicsWithoutTheme' | 'rowsWithoutTheme'> {
  const from = isoDay(timeline.start);
  const length = Math.max(1, isoDay(timeline.end) - from);
  const share = (date: string, fallback: number) => {
    const d = isoDay(date);
    return Number.isFinite(d) ? Math.min(1, Math.max(0, (d - from) / length)) : fallback;
  };
  // What the panel and the SVG draw: clamped to the timeline, an open span to its end, and never
  // narrower than MIN_BAR_SHARE. Packed as drawn, so that two bars a minimum width widens apart
  // from each other's dates still get rows of their own.
  const extent = (span: Span) => {
    const start = Math.min(share(span.start, 0), 1 - MIN_BAR_SHARE);
    // Packed by this end, not start + width: a bar that ends where the next begins must not
    // overlap it by a rounding error.
    const end = Math.max(span.open ? 1 : share(span.end, 1), start + MIN_BAR_SHARE);
    return { start, end };
  };
  /** Places for the spans given (undefined: unscheduled) and the lane's number of rows. */
  const lane = (spans: (Span | undefined)[]): { places: (TimelinePlace | undefined)[]; rows: number } => {
    const scheduled = spans.flatMap((span, i) => (span ? [{ i, ...extent(span) }] : []));
    const packed = packRows(scheduled);
    const places: (TimelinePlace | undefined)[] = spans.map(() => undefined);
    scheduled.forEach((b, k) => (places[b.i] = { left: b.start, width: b.end - b.start, row: packed.rows[k] }));
    return { places, rows: packed.count };
  };
  const placed = (epics: readonly RoadmapEpicView[], places: (TimelinePlace | undefined)[]) => epics.map((e, k) => ({ ...e, place: places[k] }));
  const laidOut = themes.map((t) => {
    // The theme's bar first: it wins ties, so that it heads its lane.
    const { places, rows } = lane([t.span, ...t.epics.map((e) => e.span)]);
    return { ...t, place: places[0], rows, epics: placed(t.epics, places.slice(1)) };
  });
  const noTheme = lane(epicsWithoutTheme.map((e) => e.span));
  return { themes: laidOut, epicsWithoutTheme: placed(epicsWithoutTheme, noTheme.places), rowsWithoutTheme: noTheme.rows };
}

/** Days since 1970 of a `YYYY-MM-DD`, else NaN; not `dayNumber`, which cannot read the year 10000 that ends 9999-Q4. */
function isoDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return dayNumberOf(y, m, d) ?? NaN;
}

/**
 * The timeline runs from the current quarter (or the earliest planned one) to at least a year
 * out, or to the last bar or marker, cut at `MAX_QUARTERS`.
 */
function buildTimeline(today: string, spans: Span[], markers: RoadmapMarker[], scale: 'quarter' | 'month'): RoadmapModel['timeline'] {
  const current = quarterOf(today);
  let first = current;
  let last = addQuarters(current, 3);
  for (const s of spans) {
    const q = quarterOf(s.start);
    if (compareQuarters(q, first) < 0) first = q;
    const e = quarterOf(s.open ? s.start : dayBefore(s.end));
    if (compareQuarters(e, last) > 0) last = e;
  }
  for (const m of markers) {
    const q = quarterOf(m.date);
    if (compareQuarters(q, first) >= 0 && compareQuarters(q, last) > 0) last = q;
  }
  // A quarter long past must not push today off a cut timeline: today and a year ahead stay in view.
  const earliest = addQuarters(current, 3 - (MAX_QUARTERS - 1));
  if (compareQuarters(first, earliest) < 0) first = earliest;
  if (compareQuarters(last, addQuarters(first, MAX_QUARTERS - 1)) > 0) last = addQuarters(first, MAX_QUARTERS - 1);
  const periods: Period[] = [];
  for (let q = first; compareQuarters(q, last) <= 0; q = addQuarters(q, 1)) {
    const r = quarterRange(q);
    if (scale === 'quarter') {
      periods.push({ id: q, label: q.replace('-', ' '), start: r.start, end: r.end });
    } else {
      const year = Number(q.slice(0, 4));
      const firstMonth = (Number(q.slice(6)) - 1) * 3;
      for (let m = firstMonth; m < firstMonth + 3; m++) {
        const start = `${year}-${String(m + 1).padStart(2, '0')}-01`;
        const end = m === 11 ? `${year + 1}-01-01` : `${year}-${String(m + 2).padStart(2, '0')}-01`;
        periods.push({ id: start.slice(0, 7), label: `${MONTHS[m]} ${year}`, start, end });
      }
    }
  }
  return { today, periods, start: periods[0].start, end: periods[periods.length - 1].end };
}

function dayBefore(date: string): string {
  // Not `new Date(date)`: the end of 9999-Q4 is 10000-01-01, which Date does not parse.
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d - 1);
  return t.toISOString().slice(0, 10);
}

/** Whether an item may be moved on the roadmap: only epics carry a horizon of their own. */
export function isRoadmapEpic(backlog: Backlog, id: string): boolean {
  const item = backlog.byKey.get(idKey(id))?.[0];
  return item?.type === 'epic';
}
