// The Reports panel's figures: a sprint's burndown, a release's burn-up and the team's velocity,
// computed from each item's versions over time (see history.ts). Pure and clock-free: the caller
// passes today, so that every rule is unit-tested against fixed dates and hand-made histories.
//
// Every figure is taken "at the end of a day" (core/figures/timeline.ts). What a sprint's
// committed and completed figures, velocity, its average and the forecast are is core/figures':
// these models only lay them out, so that the panel agrees with every other view.
import { BurndownDay, ReleaseBurn, ReleaseColumn, ReportUnit, ScopeChange, SprintBurndown, VelocityReport, VelocitySprint } from '../../protocol/reportsProtocol';
import { Backlog } from '../../core/backlog';
import { DAY_MS, dayNumber, dayOf, formatDayNumber } from '../../core/dates';
import { forecastSprints as forecastOf, MAX_FORECAST_SPRINTS, sprintEnd, sprintFigures, sprintsAhead, velocitySteps } from '../../core/figures/figures';
import { commitmentOf, dated, figuresAt, inSprint, lastIndexAt, minDate, releaseTracks, sprintCompleted, sprintScopeOf, sprintTracks, stateAt, startedSprints, Track, tracksOf, valueOf } from '../../core/figures/timeline';
import { finish, Slices, Steps } from '../../core/steps';
import { ItemSnapshot, Timeline } from '../../core/history/history';
import { Release, Sprint } from '../../core/types';

export interface ReportOptions {
  /** Today as YYYY-MM-DD; the caller's clock, so that tests can pin it. */
  today: string;
  unit: ReportUnit;
  /** Weekday numbers (0 = Sunday) the team does not work; default [0, 6]. */
  nonWorkingDays?: number[];
  /** Whether the timeline has versions from a real history (git), not only the working tree. */
  hasHistory: boolean;
}

/** What a report gives instead of figures when there is nothing to draw: a sentence for the user. */
export interface EmptyReport {
  empty: string;
}

/** A sprint longer than this is a typo (or a hostile file): refusing it keeps the day arrays small. */
const MAX_SPRINT_DAYS = 366;
/** The velocity chart shows this many sprints. */
const VELOCITY_CHART_SPRINTS = 10;
/** Sprints a release chart shows at most: two years of two-week sprints. */
const MAX_RELEASE_COLUMNS = 52;
const DEFAULT_NON_WORKING = [0, 6];

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

function weekday(date: string): number {
  return new Date((dayNumber(date) ?? 0) * DAY_MS).getUTCDay();
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

/**
 * The scope change an item made between the end of `from` and the end of `date`, if any.
 * Completion is never one. Whether its date is known is asked only of a change: most items
 * make none, and a release's burn-up asks thousands of them at every sprint.
 */
function changeOf(track: Track, before: Presence, after: Presence, from: string, date: string): ScopeChange | undefined {
  if (before.in === after.in && (!after.in || after.value === before.value)) return undefined;
  const base = { date, id: track.id, title: track.title, dateKnown: dateKnown(track, from, date) };
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
// Sprints.

/**
 * The ideal line: `committed × (workdays after d up to the end) / (workdays after the start)`.
 * It is `committed` at the end of the first day, falls by an equal step at the end of each later
 * workday and is flat over days off, reaching 0 on the last workday. With no workday after the
 * first day (a one-day sprint, say) it is `committed` on the first day and 0 after.
 */
function idealLine(dates: string[], workdays: boolean[], committed: number): number[] {
  const after: number[] = new Array<number>(dates.length).fill(0);
  for (let i = dates.length - 2; i >= 0; i--) after[i] = after[i + 1] + (workdays[i + 1] ? 1 : 0);
  const total = after[0] ?? 0;
  return dates.map((_, i) => (total === 0 ? (i === 0 ? committed : 0) : (committed * after[i]) / total));
}

/** The sprint a burndown shows by default: the active one, else the last that started (by start date), else the first. */
export function defaultSprint(backlog: Backlog, today: string): Sprint | undefined {
  const active = backlog.activeSprint();
  if (active) return active;
  let last: Sprint | undefined;
  let lastStart = '';
  for (const s of backlog.sprints) {
    const start = dayOf(s.start);
    if (start !== undefined && start <= today && start >= lastStart) {
      last = s;
      lastStart = start;
    }
  }
  return last ?? backlog.sprints[0];
}

/** The release a burn-up shows by default: the first whose date is today or later, else the last dated, else the first. */
export function defaultRelease(backlog: Backlog, today: string): Release | undefined {
  const all = backlog.releases();
  const datedReleases = all.filter((r) => dayOf(r.date) !== undefined);
  return datedReleases.find((r) => (dayOf(r.date) ?? '') >= today) ?? datedReleases[datedReleases.length - 1] ?? all[0];
}

/** A sprint's burndown: remaining, completed and scope per day, the ideal line, and every scope change. */
export function sprintBurndown(backlog: Backlog, sprintId: string, timeline: Timeline, given: ReportOptions): SprintBurndown | EmptyReport {
  const options = dayOptions(given);
  const sprint = backlog.sprint(sprintId);
  if (!sprint) return { empty: `There is no sprint ${sprintId} in sprints.yml.` };
  if (dayOf(sprint.start) === undefined || dayOf(sprint.end) === undefined) {
    return { empty: `${sprint.name} has no start and end dates, so there is no burndown to draw. Give it both in sprints.yml.` };
  }
  const d = dated(sprint);
  if (!d) return { empty: `${sprint.name} ends before it starts, so there is no burndown to draw.` };
  const length = (dayNumber(d.end) ?? 0) - (dayNumber(d.start) ?? 0) + 1;
  if (length > MAX_SPRINT_DAYS) return { empty: `${sprint.name} lasts ${length} days; a burndown is drawn for sprints of at most ${MAX_SPRINT_DAYS} days.` };

  const { today, unit } = options;
  const off = new Set(options.nonWorkingDays ?? DEFAULT_NON_WORKING);
  const scope = sprintScopeOf(d);
  const member = inSprint(scope);
  const tracks = sprintTracks(tracksOf(timeline), scope, today);
  const commitment = commitmentOf(d, tracks, scope, options);
  const committed = commitment.committed;

  const dates: string[] = [];
  for (let i = 0; i < length; i++) dates.push(addDays(d.start, i));
  const workdays = dates.map((date) => !off.has(weekday(date)));
  const ideal = idealLine(dates, workdays, committed);

  // The first day compares with the recorded commitment; without one, the first day's scope is
  // the commitment itself and so nothing on it is a change.
  let previous: Presence[] = tracks.map((t) => {
    const v = commitment.byKey?.get(t.key);
    return v === undefined ? OUT : { in: true, value: v };
  });
  const days: BurndownDay[] = [];
  const changes: ScopeChange[] = [];
  let last: ReturnType<typeof figuresAt> | undefined;
  dates.forEach((date, i) => {
    const base = { date, workday: workdays[i], ideal: round2(ideal[i]) };
    if (date > today) {
      days.push({ ...base, remaining: null, completed: null, scope: null, added: 0, removed: 0 });
      return;
    }
    const figures = figuresAt(tracks, date, member, unit, scope);
    const current = tracks.map((t) => presence(stateAt(t, date, scope), member, unit));
    const dayChanges: ScopeChange[] = [];
    if (i > 0 || commitment.byKey) {
      const from = addDays(date, -1);
      tracks.forEach((t, k) => {
        const c = changeOf(t, previous[k], current[k], from, date);
        if (c) dayChanges.push(c);
      });
    }
    const { added, removed } = sumChanges(dayChanges);
    changes.push(...dayChanges);
    days.push({ ...base, remaining: round2(figures.remaining), completed: round2(figures.completed), scope: round2(figures.scope), added: round2(added), removed: round2(removed) });
    previous = current;
    last = figures;
  });

  const now = last ?? { scope: committed, completed: 0, remaining: committed };
  const notes: string[] = [];
  if (!options.hasHistory && today >= d.start) notes.push(NO_HISTORY_NOTE);
  if (today < d.start) notes.push(`${sprint.name} has not started yet: its ${commitment.source === 'recorded' ? 'committed' : 'current'} items are shown as its scope.`);
  else if (commitment.source === 'history') notes.push('This sprint recorded no committed scope; its scope at the end of its first day is used.');
  else if (commitment.source === 'current') notes.push('This sprint recorded no committed scope and there is no history: its current items that existed when it started are taken as committed.');
  // The items in scope now; before the start, the items planned into it today.
  const inScope = last ?? figuresAt(tracks, today, member, unit, scope);
  notes.push(...itemNotes(inScope.items, inScope.done, unit));

  return {
    sprintId: sprint.id,
    name: sprint.name,
    goal: sprint.goal,
    start: d.start,
    end: d.end,
    state: sprint.state,
    unit,
    committed: round2(committed),
    committedSource: commitment.source,
    days,
    changes: changes.sort(compareChanges).map(roundChange),
    scopeNow: round2(now.scope),
    completedNow: round2(now.completed),
    remainingNow: round2(now.remaining),
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Velocity.

/** Committed against completed for the last sprints that ran, and the team's average: core/figures' figures, laid out. */
export function velocityReport(backlog: Backlog, timeline: Timeline, given: ReportOptions): VelocityReport {
  return finish(velocityReportSteps(backlog, timeline, given));
}

/** `velocityReport` in steps (core/steps.ts): a sprint at a time. */
export function* velocityReportSteps(backlog: Backlog, timeline: Timeline, given: ReportOptions): Steps<VelocityReport> {
  const options = dayOptions(given);
  const history = { timeline, today: options.today, hasHistory: options.hasHistory };
  const shown = startedSprints(backlog, options.today).slice(-VELOCITY_CHART_SPRINTS);
  const sprints: VelocitySprint[] = [];
  for (const d of shown) {
    const f = sprintFigures(backlog, d.sprint, options.unit, history);
    sprints.push({ sprintId: d.sprint.id, name: d.sprint.name, start: d.start, end: d.end, state: d.sprint.state, committed: round2(f.committed), committedSource: f.committedSource, completed: round2(f.completed) });
    yield;
  }
  const pace = yield* velocitySteps(backlog, options.unit, history);

  const notes: string[] = [];
  for (const d of shown) if (d.sprint.state === 'active') notes.push(`${d.sprint.name} is still under way: its completed figure will grow.`);
  if (!options.hasHistory) notes.push('Without git history, each sprint is measured from its recorded commitment and the items as they are today.');
  // One item can be in several sprints' figures (carried over): its notes count it once.
  const base = tracksOf(timeline);
  const items = new Map<string, ItemSnapshot>();
  const counted = new Map<string, ItemSnapshot>();
  for (const d of shown) {
    const scope = sprintScopeOf(d);
    const tracks = sprintTracks(base, scope, options.today);
    for (const s of figuresAt(tracks, minDate(d.end, options.today), inSprint(scope), options.unit, scope).items) items.set(s.key, s);
    for (const s of sprintCompleted(d, tracks, scope, options).counted) counted.set(s.key, s);
    yield;
  }
  notes.push(...itemNotes([...items.values()], [...counted.values()], options.unit));
  return { unit: options.unit, sprints, average: pace.average === undefined ? undefined : round2(pace.average), averageOver: pace.over.map((s) => s.id), notes };
}

// ---------------------------------------------------------------------------------------------
// Releases.

/** A release's burn-up: its scope and what is done at the end of each sprint, and a forecast. */
export function releaseBurn(backlog: Backlog, releaseId: string, timeline: Timeline, given: ReportOptions): ReleaseBurn | EmptyReport {
  return finish(releaseBurnSteps(backlog, releaseId, timeline, given));
}

/** `releaseBurn` in steps (core/steps.ts): its columns a slice of tracks at a time, then the team's velocity. */
export function* releaseBurnSteps(backlog: Backlog, releaseId: string, timeline: Timeline, given: ReportOptions, slices = new Slices()): Steps<ReleaseBurn | EmptyReport> {
  const options = dayOptions(given);
  const release = backlog.release(releaseId);
  if (!release) return { empty: `There is no release ${releaseId} in releases.yml or milestones/.` };
  const { today, unit } = options;
  const releaseDate = dayOf(release.date);
  // Snapshots hold the id their release resolved to (see snapshotOf): ids compare as they are.
  const member = (s: ItemSnapshot) => s.release === release.id;
  const tracks = releaseTracks(tracksOf(timeline), release.id);
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
  if (slices.count(tracks.length)) yield;
  const columns: ReleaseColumn[] = [];
  const changes: ScopeChange[] = [];
  for (const d of shown) {
    const date = minDate(d.end, today);
    const states = tracks.map((t) => stateAt(t, date));
    const figures = figuresAt(tracks, date, member, unit, undefined, states);
    const current = states.map((st) => presence(st, member, unit));
    const columnChanges: ScopeChange[] = [];
    tracks.forEach((t, k) => {
      const c = changeOf(t, previous[k], current[k], from, date);
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
    if (slices.count(tracks.length)) yield;
  }

  const now = figuresAt(tracks, today, member, unit);
  const remainingNow = round2(now.remaining);
  // Velocity is the team's, over all its work: the release gets what the team finishes. It
  // starts in a turn of its own: its first sprint may sort the whole backlog (`allOrdered`).
  slices.count(tracks.length);
  if (slices.close()) yield;
  const pace = yield* velocitySteps(backlog, unit, { timeline, today, hasHistory: options.hasHistory });
  const velocity = pace.average === undefined ? undefined : round2(pace.average);
  const forecastSprints = forecastOf(remainingNow, pace.average);
  let forecastDate: string | undefined;
  if (forecastSprints !== undefined && forecastSprints > 0 && velocity !== undefined) {
    // The sprint under way is the first of the sprints still needed (core/figures, which the
    // story map's release capacity counts with too).
    const ahead = sprintsAhead(backlog, today);
    if (ahead) forecastDate = sprintEnd(ahead, forecastSprints);
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
