// The Reports panel's model as it was built in one call, before it ran in steps (src/core/steps.ts):
// the oracle that reportsSteps.test.ts checks the steps against. Copied from the code of then;
// what it shares with the code of now (a sprint's figures, a track's states) did not change.
import { Backlog } from '../../src/core/backlog';
import { dayNumber, dayOf, formatDayNumber } from '../../src/core/dates';
import { FigureHistory, forecastSprints as forecastOf, MAX_FORECAST_SPRINTS, sprintFigures, Velocity, VELOCITY_SPRINTS } from '../../src/core/figures/figures';
import { dated, figuresAt, FigureUnit, inSprint, lastIndexAt, minDate, sprintCompleted, sprintScopeOf, sprintTracks, stateAt, startedSprints, Track, trackOf, valueOf } from '../../src/core/figures/timeline';
import { BacklogHistory, HistoryEntry, ItemSnapshot, snapshotOf, Timeline } from '../../src/core/history/history';
import { ReleaseBurn, ReleaseColumn, ReportsModel, ReportsOptions, ReportUnit, ScopeChange, VelocityReport, VelocitySprint } from '../../src/protocol/reportsProtocol';
import { releaseChart, releaseForecastText, velocityChart, burndownChart } from '../../src/views/reports/reportCharts';
import { defaultRelease, defaultSprint, EmptyReport, ReportOptions, sprintBurndown } from '../../src/views/reports/reports';
import { ReportsContext } from '../../src/views/reports/reportsModel';

/** The timeline, as timelineOf built it. */
export function timelineBefore(backlog: Backlog, history: BacklogHistory | undefined, today: string): Timeline {
  const out: Timeline = new Map(history?.items ?? []);
  const ours = new Set<string>();
  const add = (key: string, entry: HistoryEntry) => {
    const entries = out.get(key);
    if (entries && ours.has(key)) entries.push(entry);
    else {
      out.set(key, entries ? [...entries, entry] : [entry]);
      ours.add(key);
    }
  };
  const seen = new Set<string>();
  for (const item of backlog.items()) {
    const snap = snapshotOf(backlog, item);
    seen.add(snap.key);
    const entries = out.get(snap.key);
    const last = entries?.[entries.length - 1];
    if (!last || !sameSnapshot(last.snapshot, snap)) add(snap.key, { date: today, snapshot: snap, fromHistory: false });
  }
  for (const [key, entries] of out) {
    const last = entries[entries.length - 1];
    if (!seen.has(key) && last?.snapshot !== undefined) add(key, { date: today, snapshot: undefined, fromHistory: false });
  }
  return out;
}

function sameSnapshot(a: ItemSnapshot | undefined, b: ItemSnapshot | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.sprint === b.sprint &&
    a.release === b.release &&
    a.points === b.points &&
    a.estimated === b.estimated &&
    a.done === b.done &&
    a.completedDate === b.completedDate &&
    a.createdDate === b.createdDate &&
    a.title === b.title
  );
}

/** A timeline's tracks, built anew on every call. */
export function tracksBefore(timeline: Timeline): Track[] {
  const out: Track[] = [];
  for (const [key, entries] of timeline) if (entries.length > 0) out.push(trackOf(key, entries));
  return out;
}

/** Velocity, as core/figures computed it. */
export function velocityBefore(backlog: Backlog, unit: FigureUnit = 'points', history?: FigureHistory): Velocity {
  const over = backlog.sprints
    .map((s, index) => ({ s, index, key: s.start ?? s.end ?? '' }))
    .filter((x) => x.s.state === 'closed')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .slice(-VELOCITY_SPRINTS)
    .map((x) => x.s);
  const completed = over.map((s) => sprintFigures(backlog, s, unit, history).completed);
  const average = completed.length === 0 ? undefined : completed.reduce((a, b) => a + b, 0) / completed.length;
  return { over, completed, average };
}

/** The model, as buildReportsModel built it. */
export function buildReportsModelBefore(backlog: Backlog, options: ReportsOptions, ctx: ReportsContext): ReportsModel {
  const { timeline } = ctx;
  const reportOptions = { today: ctx.today, unit: options.unit, nonWorkingDays: ctx.nonWorkingDays, hasHistory: ctx.hasHistory };
  const model: ReportsModel = {
    roots: ctx.roots,
    root: ctx.root,
    projectName: backlog.config.projectName,
    sprints: [...backlog.sprints].sort((a, b) => (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff')).map((s) => ({ id: s.id, name: s.name, state: s.state })),
    releases: backlog.releases().map((r) => ({ id: r.id, name: r.name, date: r.date })),
    history: ctx.historyStatus,
  };
  switch (options.report) {
    case 'burndown': {
      const sprint = (options.sprint ? backlog.sprint(options.sprint) : undefined) ?? defaultSprint(backlog, ctx.today);
      if (!sprint) return { ...model, empty: 'This backlog has no sprints yet. Plan one with "Backlog: New Sprint", then its burndown shows here.' };
      const b = sprintBurndown(backlog, sprint.id, timeline, reportOptions);
      return 'empty' in b ? { ...model, empty: b.empty } : { ...model, burndown: b, chart: burndownChart(b) };
    }
    case 'release': {
      const release = (options.release ? backlog.release(options.release) : undefined) ?? defaultRelease(backlog, ctx.today);
      if (!release) return { ...model, empty: 'This backlog has no releases yet. Add one with "Backlog: New Release", then its burn-up shows here.' };
      const r = releaseBurnBefore(backlog, release.id, timeline, reportOptions);
      return 'empty' in r ? { ...model, empty: r.empty } : { ...model, release: { ...r, forecast: releaseForecastText(r) }, chart: releaseChart(r, options.releaseMode) };
    }
    case 'velocity': {
      const v = velocityReportBefore(backlog, timeline, reportOptions);
      if (v.sprints.length === 0) return { ...model, velocity: v, empty: 'No sprint with dates has started yet, so there is no velocity to show.' };
      return { ...model, velocity: v, chart: velocityChart(v) };
    }
  }
}

/** The velocity chart shows this many sprints. */
const VELOCITY_CHART_SPRINTS = 10;
/** Sprints a release chart shows at most: two years of two-week sprints. */
const MAX_RELEASE_COLUMNS = 52;
/** Sprint length assumed for a forecast when the sprints' starts do not say. */
const DEFAULT_CADENCE = 14;
const NO_HISTORY_NOTE = 'Without git history, scope changes the files do not date are shown on the first day they are known, marked “date unknown”.';
const NO_VELOCITY_NOTE = 'No sprint has closed yet, so there is no velocity to forecast with.';

// ---------------------------------------------------------------------------------------------
// Dates. All arithmetic is on UTC day numbers, so that no time zone or DST change shifts a day.

// dayNumber, dayOf (a date as YYYY-MM-DD, without a time of day) and the date of a day number
// are core/dates': one check of what a real date is for every parser and view.
const dateOf = formatDayNumber;

function addDays(date: string, days: number): string {
  return dateOf((dayNumber(date) ?? 0) + days);
}

/** Figures go to a chart and a CSV: two decimals is as precise as half-point estimates need. */
function round2(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}

/** The options with today as a bare day, so that string comparisons with dates hold. */
function dayOptions(options: ReportOptions): ReportOptions {
  const today = dayOf(options.today);
  return today === undefined || today === options.today ? options : { ...options, today };
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

// ---------------------------------------------------------------------------------------------
// Items over time.

/** An item's place in a scope at one moment: whether it is in, and what it weighs there. */
interface Presence {
  in: boolean;
  value: number;
}

const OUT: Presence = { in: false, value: 0 };

function presence(snapshot: ItemSnapshot | undefined, member: (s: ItemSnapshot) => boolean, unit: ReportUnit): Presence {
  return snapshot !== undefined && member(snapshot) ? { in: true, value: valueOf(snapshot, unit) } : OUT;
}

/**
 * Whether the history says when a change between `from` and `to` happened. It does not when the
 * change is the item's first version and that version is the working tree's (the file changed
 * at some time that no commit recorded), nor when it comes from a working-tree version taken as
 * of a sprint's last day. A change on the day the item came into being (`existsFrom`) is dated.
 */
function dateKnown(track: Track, from: string, to: string): boolean {
  const within = (date: string) => from < date && date <= to;
  if (track.existsFrom !== undefined && within(track.existsFrom)) return true;
  const first = track.entries[0];
  if (first !== undefined && !first.fromHistory && first.created !== true && within(first.date)) return false;
  const i = lastIndexAt(track.entries, to);
  return !(i >= 0 && track.entries[i].shiftedFrom !== undefined && within(track.entries[i].date));
}

/** The scope change an item made between two moments, if any. Completion is never one. */
function changeOf(track: Track, before: Presence, after: Presence, date: string, known: boolean): ScopeChange | undefined {
  const base = { date, id: track.id, title: track.title, dateKnown: known };
  if (!before.in && after.in) return { ...base, kind: 'added', delta: after.value };
  if (before.in && !after.in) return { ...base, kind: 'removed', delta: -before.value };
  if (before.in && after.in && after.value !== before.value) return { ...base, kind: 're-estimated', delta: after.value - before.value };
  return undefined;
}

function sumChanges(changes: ScopeChange[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    if (c.delta > 0) added += c.delta;
    else removed -= c.delta;
  }
  return { added, removed };
}

function roundChange(c: ScopeChange): ScopeChange {
  return { ...c, delta: round2(c.delta) };
}

function compareChanges(a: ScopeChange, b: ScopeChange): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Notes on what the figures cannot know about the items in scope now. */
function itemNotes(items: ItemSnapshot[], done: ItemSnapshot[], unit: ReportUnit): string[] {
  const notes: string[] = [];
  const unestimated = items.filter((s) => !s.estimated).length;
  if (unit === 'points' && unestimated > 0) {
    notes.push(`${unestimated} ${plural(unestimated, 'item has no estimate and counts', 'items have no estimate and count')} 0 points.`);
  }
  const guessed = done.filter((s) => s.completedGuessed === true).length;
  if (guessed > 0) {
    notes.push(
      guessed === 1
        ? '1 done item has no completed_date; its updated_date is used as the day it was done.'
        : `${guessed} done items have no completed_date; their updated_date is used as the day they were done.`,
    );
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Velocity.

/** Committed against completed for the last sprints that ran, and the team's average: core/figures' figures, laid out. */
export function velocityReportBefore(backlog: Backlog, timeline: Timeline, given: ReportOptions): VelocityReport {
  const options = dayOptions(given);
  const history = { timeline, today: options.today, hasHistory: options.hasHistory };
  const shown = startedSprints(backlog, options.today).slice(-VELOCITY_CHART_SPRINTS);
  const sprints: VelocitySprint[] = shown.map((d) => {
    const f = sprintFigures(backlog, d.sprint, options.unit, history);
    return { sprintId: d.sprint.id, name: d.sprint.name, start: d.start, end: d.end, state: d.sprint.state, committed: round2(f.committed), committedSource: f.committedSource, completed: round2(f.completed) };
  });
  const pace = velocityBefore(backlog, options.unit, history);

  const notes: string[] = [];
  for (const d of shown) if (d.sprint.state === 'active') notes.push(`${d.sprint.name} is still under way: its completed figure will grow.`);
  if (!options.hasHistory) notes.push('Without git history, each sprint is measured from its recorded commitment and the items as they are today.');
  // One item can be in several sprints' figures (carried over): its notes count it once.
  const base = tracksBefore(timeline);
  const items = new Map<string, ItemSnapshot>();
  const counted = new Map<string, ItemSnapshot>();
  for (const d of shown) {
    const scope = sprintScopeOf(d);
    const tracks = sprintTracks(base, scope, options.today);
    for (const s of figuresAt(tracks, minDate(d.end, options.today), inSprint(scope), options.unit, scope).items) items.set(s.key, s);
    for (const s of sprintCompleted(d, tracks, scope, options).counted) counted.set(s.key, s);
  }
  notes.push(...itemNotes([...items.values()], [...counted.values()], options.unit));
  return { unit: options.unit, sprints, average: pace.average === undefined ? undefined : round2(pace.average), averageOver: pace.over.map((s) => s.id), notes };
}

// ---------------------------------------------------------------------------------------------
// Releases.

/** The usual sprint length: the median gap between consecutive sprint starts, in days. */
function cadenceOf(backlog: Backlog): number {
  const starts = [...new Set(backlog.sprints.map((s) => dayNumber(s.start)).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
  const gaps = starts.slice(1).map((s, i) => s - starts[i]);
  if (gaps.length === 0) return DEFAULT_CADENCE;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
  return Math.max(1, Math.round(median));
}

/** A release's burn-up: its scope and what is done at the end of each sprint, and a forecast. */
export function releaseBurnBefore(backlog: Backlog, releaseId: string, timeline: Timeline, given: ReportOptions): ReleaseBurn | EmptyReport {
  const options = dayOptions(given);
  const release = backlog.release(releaseId);
  if (!release) return { empty: `There is no release ${releaseId} in releases.yml or milestones/.` };
  const { today, unit } = options;
  const releaseDate = dayOf(release.date);
  // Snapshots hold the id their release resolved to (see snapshotOf): ids compare as they are.
  const member = (s: ItemSnapshot) => s.release === release.id;
  const all = tracksBefore(timeline);
  const tracks = all.filter((t) => t.entries.some((e) => e.snapshot !== undefined && member(e.snapshot)));
  const started = startedSprints(backlog, today);

  // Sprints before the release had any item are not part of its story: the chart starts at the
  // first sprint that ended with work aimed at it (counted in items, so that unestimated work counts).
  const candidates = started.filter((d) => releaseDate === undefined || d.start <= releaseDate);
  const firstWithWork = candidates.findIndex((d) => {
    const date = minDate(d.end, today);
    // Whether figuresAt would count any item then: the first one found answers it.
    return tracks.some((t) => {
      const s = stateAt(t, date);
      return s !== undefined && member(s);
    });
  });
  if (firstWithWork < 0) return { empty: `No sprint has started with work for ${release.name} yet.` };
  // A release that spans more sprints than a chart can show keeps its most recent ones: the
  // baseline then stands for everything before them.
  const shown = candidates.slice(firstWithWork).slice(-MAX_RELEASE_COLUMNS);

  let from = addDays(shown[0].start, -1);
  let previous = tracks.map((t) => presence(stateAt(t, from), member, unit));
  const baseline = previous.reduce((sum, p) => sum + p.value, 0);
  const columns: ReleaseColumn[] = [];
  const changes: ScopeChange[] = [];
  for (const d of shown) {
    const date = minDate(d.end, today);
    const states = tracks.map((t) => stateAt(t, date));
    const figures = figuresAt(tracks, date, member, unit, undefined, states);
    const current = states.map((st) => presence(st, member, unit));
    const columnChanges: ScopeChange[] = [];
    tracks.forEach((t, k) => {
      const c = changeOf(t, previous[k], current[k], date, dateKnown(t, from, date));
      if (c) columnChanges.push(c);
    });
    const { added, removed } = sumChanges(columnChanges);
    changes.push(...columnChanges);
    columns.push({
      sprintId: d.sprint.id,
      name: d.sprint.name,
      date,
      state: d.sprint.state,
      scope: round2(figures.scope),
      completed: round2(figures.completed),
      remaining: round2(figures.remaining),
      added: round2(added),
      removed: round2(removed),
    });
    previous = current;
    from = date;
  }

  const now = figuresAt(tracks, today, member, unit);
  const remainingNow = round2(now.remaining);
  // Velocity is the team's, over all its work: the release gets what the team finishes.
  const pace = velocityBefore(backlog, unit, { timeline, today, hasHistory: options.hasHistory });
  const velocity = pace.average === undefined ? undefined : round2(pace.average);
  const forecastSprints = forecastOf(remainingNow, pace.average);
  let forecastDate: string | undefined;
  if (forecastSprints !== undefined && forecastSprints > 0 && velocity !== undefined) {
    const active = started.find((d) => d.sprint.state === 'active');
    const last = pace.over[pace.over.length - 1];
    const lastClosed = last ? dated(last) : undefined;
    const cadence = cadenceOf(backlog);
    // The sprint under way is the first of the sprints still needed; without one, the next
    // sprint is taken to follow the last closed one.
    if (active) forecastDate = addDays(active.end, (forecastSprints - 1) * cadence);
    else if (lastClosed) forecastDate = addDays(lastClosed.end, forecastSprints * cadence);
    // Sprint starts centuries apart make a cadence that runs past the calendar.
    if (forecastDate !== undefined && dayNumber(forecastDate) === undefined) forecastDate = undefined;
  }
  let onTrack: boolean | undefined;
  if (releaseDate !== undefined) onTrack = remainingNow <= 0 ? true : forecastDate !== undefined ? forecastDate <= releaseDate : undefined;

  const notes: string[] = [];
  if (!options.hasHistory) notes.push(NO_HISTORY_NOTE);
  if (remainingNow > 0) {
    if (velocity === undefined) notes.push(NO_VELOCITY_NOTE);
    else if (velocity <= 0) notes.push('The last closed sprints completed nothing, so there is no velocity to forecast with.');
    else if (forecastSprints === undefined) notes.push(`At this velocity the remaining work needs more than ${MAX_FORECAST_SPRINTS} sprints: no forecast is given.`);
  }
  if (releaseDate === undefined) notes.push('This release has no date, so the forecast cannot say whether it is on track.');
  notes.push(...itemNotes(now.items, now.done, unit));

  return {
    releaseId: release.id,
    name: release.name,
    date: releaseDate,
    goal: release.goal,
    unit,
    baseline: round2(baseline),
    columns,
    changes: changes.sort(compareChanges).map(roundChange),
    scopeNow: round2(now.scope),
    completedNow: round2(now.completed),
    remainingNow,
    velocity,
    velocitySprints: pace.over.map((s) => s.id),
    forecastSprints,
    forecastDate,
    onTrack,
    notes,
  };
}
