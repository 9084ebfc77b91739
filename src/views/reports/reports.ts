// The Reports panel's figures: a sprint's burndown, a release's burn-up and the team's velocity,
// computed from each item's versions over time (see history.ts). Pure and clock-free: the caller
// passes today, so that every rule is unit-tested against fixed dates and hand-made histories.
//
// Every figure is taken "at the end of a day": the last version of an item dated on or before
// that day says where it was and what it weighed, and its done runs say whether it was done.
import { BurndownDay, CommittedSource, ReleaseBurn, ReleaseColumn, ReportUnit, ScopeChange, SprintBurndown, VelocityReport, VelocitySprint } from '../../protocol/reportsProtocol';
import { Backlog } from '../../core/backlog';
import { DAY_MS, dayNumber, dayOf, formatDayNumber } from '../../core/dates';
import { HistoryEntry, ItemSnapshot, Timeline } from '../../core/history/history';
import { idKey } from '../../core/naming';
import { CommittedEntry, Release, Sprint } from '../../core/types';

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
/** Velocity and its average look at this many closed sprints: recent enough to reflect the team. */
const VELOCITY_SPRINTS = 3;
/** The velocity chart shows this many sprints. */
const VELOCITY_CHART_SPRINTS = 10;
/** Sprints a release chart shows at most: two years of two-week sprints. */
const MAX_RELEASE_COLUMNS = 52;
/** A forecast further out than this many sprints says only that: a date would be fiction. */
const MAX_FORECAST_SPRINTS = 260;
/** Sprint length assumed for a forecast when the sprints' starts do not say. */
const DEFAULT_CADENCE = 14;
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

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function weekday(date: string): number {
  return new Date((dayNumber(date) ?? 0) * DAY_MS).getUTCDay();
}

/** Figures go to a chart and a CSV: two decimals is as precise as half-point estimates need. */
function round2(n: number): number {
  return Math.round(n * 100) / 100 || 0;
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
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

/** Days an item was done: from `start` up to, not including, `end` (the day it was reopened). */
interface DoneRun {
  start: string;
  end?: string;
}

/**
 * A version as the figures read it. `shiftedFrom` is the real date of a working-tree version that
 * a sprint over before today takes as of its last day (see `sprintTracks`).
 */
interface Version extends HistoryEntry {
  shiftedFrom?: string;
}

interface Track {
  key: string;
  /** The id and title of the latest version that has one, for the change list. */
  id: string;
  title: string;
  entries: Version[];
  runs: DoneRun[];
  /**
   * The first day the item existed: its first version's date when the history saw the file
   * being added, else its `created_date` when that is not after its first version. Undefined
   * when neither says: the item is taken to have existed since forever.
   */
  existsFrom?: string;
}

/** A sprint's membership rule and dates, and its recorded commitment when it has one (for the backfill). */
interface SprintScope {
  sprintKey: string;
  start: string;
  end: string;
  committed?: Map<string, CommittedEntry>;
}

/**
 * When an item was done. A run starts at a done version that follows a not-done one (or none),
 * on its `completed_date` when that is earlier: a commit often records work finished days
 * before. It never starts before the last version that said "not done", except for the first
 * version, whose run may reach back as far as its completed date (nothing earlier is known).
 * A working-tree version taken as of a sprint's last day whose completed date is later was done
 * after the sprint: its run starts on that date.
 */
function doneRuns(entries: Version[]): DoneRun[] {
  const runs: DoneRun[] = [];
  let wasDone = false;
  let lastNotDone: string | undefined;
  for (const e of entries) {
    const done = e.snapshot?.done === true;
    if (done && !wasDone) {
      let start = e.date;
      const completed = dayOf(e.snapshot?.completedDate);
      if (completed !== undefined && completed < e.date) start = lastNotDone !== undefined && completed < lastNotDone ? lastNotDone : completed;
      else if (completed !== undefined && e.shiftedFrom !== undefined && completed > e.date) start = minDate(completed, e.shiftedFrom);
      runs.push({ start });
    } else if (!done && wasDone) {
      runs[runs.length - 1].end = e.date;
    }
    if (!done) lastNotDone = e.date;
    wasDone = done;
  }
  return runs;
}

function doneAt(track: Track, date: string): boolean {
  return track.runs.some((r) => r.start <= date && (r.end === undefined || date < r.end));
}

function trackOf(key: string, raw: HistoryEntry[]): Track {
  // Versions are compared with days as strings: a time of day would make a version of the 18th
  // later than the end of the 18th, so it is dropped.
  const days = raw.every((e) => e.date.length === 10) ? raw : raw.map((e) => ({ ...e, date: dayOf(e.date) ?? e.date }));
  // Oldest first is the timeline's contract; a stable sort costs little and guards the binary search.
  const sorted = days.every((e, i) => i === 0 || days[i - 1].date <= e.date);
  const entries = sorted ? days : [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let named: ItemSnapshot | undefined;
  for (let i = entries.length - 1; i >= 0 && !named; i--) named = entries[i].snapshot;
  return { key, id: named?.id ?? key, title: named?.title ?? '', entries, runs: doneRuns(entries), existsFrom: existsFromOf(entries) };
}

/** See `Track.existsFrom`. A `created_date` after the first version is a typo: it is ignored. */
function existsFromOf(entries: HistoryEntry[]): string | undefined {
  const first = entries[0];
  if (first === undefined) return undefined;
  if (first.created === true) return first.date;
  const created = dayOf(entries.find((e) => e.snapshot !== undefined)?.snapshot?.createdDate);
  return created !== undefined && created <= first.date ? created : undefined;
}

/** Tracks by timeline: the panel keeps one timeline across redraws, so its tracks are built once. */
const trackCache = new WeakMap<Timeline, Track[]>();

function tracksOf(timeline: Timeline): Track[] {
  const cached = trackCache.get(timeline);
  if (cached) return cached;
  const out: Track[] = [];
  for (const [key, entries] of timeline) if (entries.length > 0) out.push(trackOf(key, entries));
  trackCache.set(timeline, out);
  return out;
}

/**
 * The tracks a sprint's figures read: the timeline's, plus one for each committed item the
 * timeline does not know (deleted without a trace in the history). Such an item is taken as in
 * the sprint until today (or the sprint's last day, once it is over), when it is seen gone: the
 * same "date unknown" rule as any change.
 * For a sprint over before today, the working tree's versions are taken as of its last day
 * (see `shiftedToEnd`), so that what the files say now is the sprint's final state.
 */
function sprintTracks(base: Track[], scope: SprintScope, today: string): Track[] {
  // Only items that were ever in the sprint, or committed to it, can count in it: skipping the
  // rest up front keeps a 10,000-item backlog's burndown to the few dozen that matter.
  const ever = base.filter((t) => scope.committed?.has(t.key) === true || t.entries.some((e) => e.snapshot?.sprint === scope.sprintKey));
  const tracks = scope.end < today ? ever.map((t) => shiftedToEnd(t, scope)) : ever;
  if (!scope.committed) return tracks;
  const known = new Set(base.map((t) => t.key));
  const extra: Track[] = [];
  for (const [key, c] of scope.committed) {
    if (!known.has(key)) extra.push({ key, id: c.id, title: '', entries: [{ date: minDate(today, scope.end), snapshot: undefined, fromHistory: false }], runs: [] });
  }
  return extra.length === 0 ? tracks : [...tracks, ...extra];
}

/**
 * The track with its working-tree versions dated the sprint's last day instead of today, when
 * every version after that day is the working tree's and puts the item in this sprint. A
 * version the history dates after the sprint keeps its place; so does a deletion, and a move to
 * another sprint or none (an item carried over when the sprint closed): they happened after it.
 */
function shiftedToEnd(track: Track, scope: SprintScope): Track {
  const { entries } = track;
  let k = entries.length;
  while (k > 0 && entries[k - 1].date > scope.end) k--;
  if (k === entries.length) return track;
  for (let j = k; j < entries.length; j++) {
    if (entries[j].fromHistory || entries[j].snapshot?.sprint !== scope.sprintKey) return track;
  }
  const shifted = entries.map((e, j): Version => (j < k ? e : { ...e, date: scope.end, shiftedFrom: e.date }));
  return { ...track, entries: shifted, runs: doneRuns(shifted) };
}

/** Index of the last entry dated on or before `date`, or -1. */
function lastIndexAt(entries: HistoryEntry[], date: string): number {
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].date <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The item as it stood at the end of `date`; undefined when it was deleted or did not exist yet
 * (before `existsFrom`). Between its creation and its first version it is backfilled: the first
 * version is taken to have held since it was created (since forever when that is not known).
 * A sprint's recorded commitment wins over both: a committed item was in the sprint at its
 * committed estimate, and an item left out of it was not, unless it was created during the
 * sprint. Done-ness comes from the done runs.
 */
function stateAt(track: Track, date: string, scope?: SprintScope): ItemSnapshot | undefined {
  const i = lastIndexAt(track.entries, date);
  const exists = track.existsFrom === undefined || track.existsFrom <= date;
  const c = scope?.committed?.get(track.key);
  // From the start, the recorded commitment wins over versions dated on or before it (a planning
  // commit, or a merge that lands a day late): only a later version changes a committed item.
  if (c && scope && i >= 0 && date >= scope.start && track.entries[i].date <= scope.start) {
    const at = track.entries[i].snapshot ?? track.entries[0]?.snapshot ?? { key: track.key, id: c.id, title: track.title, points: 0, estimated: false, done: false };
    return { ...at, sprint: scope.sprintKey, points: c.estimate ?? at.points, estimated: c.estimate !== undefined || at.estimated };
  }
  if (i >= 0 && exists) return track.entries[i].snapshot;
  const first = track.entries[0]?.snapshot;
  if (c) {
    const base: ItemSnapshot = first ?? { key: track.key, id: c.id, title: track.title, points: 0, estimated: false, done: false };
    return { ...base, sprint: scope?.sprintKey, points: c.estimate ?? first?.points ?? 0, estimated: c.estimate !== undefined || base.estimated };
  }
  if (!exists) return undefined;
  const createdInSprint = scope !== undefined && track.existsFrom !== undefined && track.existsFrom >= scope.start;
  if (scope?.committed && !createdInSprint && first?.sprint === scope.sprintKey) return { ...first, sprint: undefined };
  return first;
}

/** An item's place in a scope at one moment: whether it is in, and what it weighs there. */
interface Presence {
  in: boolean;
  value: number;
}

const OUT: Presence = { in: false, value: 0 };

function valueOf(snapshot: ItemSnapshot, unit: ReportUnit): number {
  return unit === 'items' ? 1 : snapshot.points;
}

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

interface Figures {
  scope: number;
  completed: number;
  remaining: number;
}

/** Scope, completed and remaining at the end of `date`, and the snapshots that made them. */
/** The figures at the end of `date`; `states` are the tracks' states then, when already known. */
function figuresAt(tracks: Track[], date: string, member: (s: ItemSnapshot) => boolean, unit: ReportUnit, scope?: SprintScope, states?: (ItemSnapshot | undefined)[]): Figures & { items: ItemSnapshot[]; done: ItemSnapshot[] } {
  let total = 0;
  let completed = 0;
  const items: ItemSnapshot[] = [];
  const done: ItemSnapshot[] = [];
  for (let k = 0; k < tracks.length; k++) {
    const t = tracks[k];
    const s = states ? states[k] : stateAt(t, date, scope);
    if (s === undefined || !member(s)) continue;
    const v = valueOf(s, unit);
    total += v;
    items.push(s);
    if (doneAt(t, date)) {
      completed += v;
      done.push(s);
    }
  }
  return { scope: total, completed, remaining: total - completed, items, done };
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

function sprintScopeOf(d: DatedSprint): SprintScope {
  const { sprint, start, end } = d;
  const sprintKey = sprint.id.toUpperCase();
  if (!sprint.hasCommitted) return { sprintKey, start, end };
  const committed = new Map<string, CommittedEntry>();
  // A hand-edited list may name an item twice: the first entry is the commitment.
  for (const c of sprint.committed) {
    const key = idKey(c.id);
    if (!committed.has(key)) committed.set(key, c);
  }
  return { sprintKey, start, end, committed };
}

function inSprint(scope: SprintScope): (s: ItemSnapshot) => boolean {
  return (s) => s.sprint === scope.sprintKey;
}

/** A sprint with real dates, in order: what the burndown, burn-up and velocity can place. */
interface DatedSprint {
  sprint: Sprint;
  start: string;
  end: string;
}

function dated(sprint: Sprint): DatedSprint | undefined {
  const start = dayOf(sprint.start);
  const end = dayOf(sprint.end);
  return start !== undefined && end !== undefined && start <= end ? { sprint, start, end } : undefined;
}

/** Closed and active sprints that have started, by start: the sprints that have figures. */
function startedSprints(backlog: Backlog, today: string): DatedSprint[] {
  return backlog.sprints
    .filter((s) => s.state === 'closed' || s.state === 'active')
    .map(dated)
    .filter((d): d is DatedSprint => d !== undefined && d.start <= today)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

interface Commitment {
  committed: number;
  source: CommittedSource;
  /** Each committed item's value, for the first day's comparison; only for a recorded commitment. */
  byKey?: Map<string, number>;
}

/**
 * The scope a sprint started with: the recorded commitment when there is one (an estimate left
 * out is the item's points at the start), else the scope at the end of its first day.
 */
function commitmentOf(d: DatedSprint, tracks: Track[], scope: SprintScope, options: ReportOptions): Commitment {
  if (scope.committed) {
    const byTrack = new Map(tracks.map((t) => [t.key, t]));
    const byKey = new Map<string, number>();
    for (const [key, c] of scope.committed) {
      const track = byTrack.get(key);
      const atStart = track ? stateAt(track, d.start, scope) : undefined;
      byKey.set(key, options.unit === 'items' ? 1 : (c.estimate ?? atStart?.points ?? 0));
    }
    let committed = 0;
    for (const v of byKey.values()) committed += v;
    return { committed, source: 'recorded', byKey };
  }
  const committed = figuresAt(tracks, d.start, inSprint(scope), options.unit, scope).scope;
  // Before the start nothing is history yet: a planned sprint's scope is simply its items today.
  return { committed, source: options.hasHistory && d.start <= options.today ? 'history' : 'current' };
}

/**
 * Work the sprint finished: items in it at its evaluation day (its end, or today while it runs),
 * done then and not done the day before it started. Work finished in an earlier sprint and
 * carried along is not this sprint's velocity.
 */
function sprintCompleted(d: DatedSprint, tracks: Track[], scope: SprintScope, options: ReportOptions): { completed: number; counted: ItemSnapshot[] } {
  const at = minDate(d.end, options.today);
  const before = addDays(d.start, -1);
  let completed = 0;
  const counted: ItemSnapshot[] = [];
  for (const t of tracks) {
    const s = stateAt(t, at, scope);
    if (s === undefined || s.sprint !== scope.sprintKey || !doneAt(t, at) || doneAt(t, before)) continue;
    completed += valueOf(s, options.unit);
    counted.push(s);
  }
  return { completed, counted };
}

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
        const c = changeOf(t, previous[k], current[k], date, dateKnown(t, from, date));
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

interface SprintVelocity {
  d: DatedSprint;
  commitment: Commitment;
  completed: number;
  counted: ItemSnapshot[];
  /** Everything in the sprint at its evaluation day, for the unestimated note. */
  items: ItemSnapshot[];
}

function sprintVelocity(d: DatedSprint, base: Track[], options: ReportOptions): SprintVelocity {
  const scope = sprintScopeOf(d);
  const tracks = sprintTracks(base, scope, options.today);
  const { completed, counted } = sprintCompleted(d, tracks, scope, options);
  const items = figuresAt(tracks, minDate(d.end, options.today), inSprint(scope), options.unit, scope).items;
  return { d, commitment: commitmentOf(d, tracks, scope, options), completed, counted, items };
}

/** The mean completed of the last closed sprints, and which they are. */
function averageOf(velocities: SprintVelocity[]): { average?: number; over: string[] } {
  const closed = velocities.filter((v) => v.d.sprint.state === 'closed').slice(-VELOCITY_SPRINTS);
  return { average: mean(closed.map((v) => v.completed)), over: closed.map((v) => v.d.sprint.id) };
}

/** Committed against completed for the last sprints that ran, and the team's average. */
export function velocityReport(backlog: Backlog, timeline: Timeline, given: ReportOptions): VelocityReport {
  const options = dayOptions(given);
  const base = tracksOf(timeline);
  const velocities = startedSprints(backlog, options.today)
    .slice(-VELOCITY_CHART_SPRINTS)
    .map((d) => sprintVelocity(d, base, options));
  const { average, over } = averageOf(velocities);
  const sprints: VelocitySprint[] = velocities.map((v) => ({
    sprintId: v.d.sprint.id,
    name: v.d.sprint.name,
    start: v.d.start,
    end: v.d.end,
    state: v.d.sprint.state,
    committed: round2(v.commitment.committed),
    committedSource: v.commitment.source,
    completed: round2(v.completed),
  }));

  const notes: string[] = [];
  for (const v of velocities) if (v.d.sprint.state === 'active') notes.push(`${v.d.sprint.name} is still under way: its completed figure will grow.`);
  if (!options.hasHistory) notes.push('Without git history, each sprint is measured from its recorded commitment and the items as they are today.');
  // One item can be in several sprints' figures (carried over): count it once.
  const unique = (list: ItemSnapshot[]) => [...new Map(list.map((s) => [s.key, s])).values()];
  notes.push(...itemNotes(unique(velocities.flatMap((v) => v.items)), unique(velocities.flatMap((v) => v.counted)), options.unit));
  return { unit: options.unit, sprints, average: average === undefined ? undefined : round2(average), averageOver: over, notes };
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
export function releaseBurn(backlog: Backlog, releaseId: string, timeline: Timeline, given: ReportOptions): ReleaseBurn | EmptyReport {
  const options = dayOptions(given);
  const release = backlog.release(releaseId);
  if (!release) return { empty: `There is no release ${releaseId} in releases.yml or milestones/.` };
  const { today, unit } = options;
  const releaseDate = dayOf(release.date);
  // Snapshots hold the id their release resolved to (see snapshotOf): ids compare as they are.
  const member = (s: ItemSnapshot) => s.release === release.id;
  const all = tracksOf(timeline);
  const tracks = all.filter((t) => t.entries.some((e) => e.snapshot !== undefined && member(e.snapshot)));
  const started = startedSprints(backlog, today);

  // Sprints before the release had any item are not part of its story: the chart starts at the
  // first sprint that ended with work aimed at it (counted in items, so that unestimated work counts).
  const candidates = started.filter((d) => releaseDate === undefined || d.start <= releaseDate);
  const firstWithWork = candidates.findIndex((d) => figuresAt(tracks, minDate(d.end, today), member, unit).items.length > 0);
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
  const closed = started.filter((d) => d.sprint.state === 'closed').slice(-VELOCITY_SPRINTS);
  const rawVelocity = mean(closed.map((d) => sprintVelocity(d, all, options).completed));
  const velocity = rawVelocity === undefined ? undefined : round2(rawVelocity);

  let forecastSprints: number | undefined;
  let forecastDate: string | undefined;
  if (remainingNow <= 0) forecastSprints = 0;
  else if (velocity !== undefined && velocity > 0) {
    // The small epsilon keeps 6 / 3 at 2 sprints when floating point makes it 2.0000000001.
    forecastSprints = Math.ceil(remainingNow / velocity - 1e-9);
  }
  if (forecastSprints !== undefined && forecastSprints > MAX_FORECAST_SPRINTS) forecastSprints = undefined;
  else if (forecastSprints !== undefined && forecastSprints > 0 && velocity !== undefined) {
    const active = started.find((d) => d.sprint.state === 'active');
    const lastClosed = closed[closed.length - 1];
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
    velocitySprints: closed.map((d) => d.sprint.id),
    forecastSprints,
    forecastDate,
    onTrack,
    notes,
  };
}
