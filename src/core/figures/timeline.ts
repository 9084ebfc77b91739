// A sprint and a release over time: each item's versions (see history.ts) read "at the end of a
// day". The last version of an item dated on or before that day says where it was and what it
// weighed, and its done runs say whether it was done. The Reports panel's burndown and burn-up
// draw these day by day; a sprint's committed scope (figures.ts) is read from them at its start.
// Pure and clock-free: the caller passes today.
import type { Backlog } from '../backlog';
import { dayNumber, dayOf, formatDayNumber } from '../dates';
import { HistoryEntry, ItemSnapshot, Timeline } from '../history/history';
import { idKey } from '../naming';
import { CommittedEntry, Sprint } from '../types';
import { finish, Slices, Steps } from '../steps';

/** Figures count story points, or items (each counts 1, estimated or not). */
export type FigureUnit = 'points' | 'items';

/** Where a sprint's committed figure comes from: its recorded `committed` list, the history at its start, or the files now. */
export type CommittedSource = 'recorded' | 'history' | 'current';

/** What a figure over time needs to know besides the backlog and the timeline. */
export interface TimelineOptions {
  /** Today as YYYY-MM-DD; the caller's clock, so that tests can pin it. */
  today: string;
  unit: FigureUnit;
  /** Whether the timeline has versions from a real history (git), not only the working tree. */
  hasHistory: boolean;
}

/** The earlier of two days. */
export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** Days an item was done: from `start` up to, not including, `end` (the day it was reopened). */
export interface DoneRun {
  start: string;
  end?: string;
}

/**
 * A version as the figures read it. `shiftedFrom` is the real date of a working-tree version that
 * a sprint over before today takes as of its last day (see `sprintTracks`).
 */
export interface Version extends HistoryEntry {
  shiftedFrom?: string;
}

export interface Track {
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
export interface SprintScope {
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
export function doneRuns(entries: Version[]): DoneRun[] {
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

export function doneAt(track: Track, date: string): boolean {
  return track.runs.some((r) => r.start <= date && (r.end === undefined || date < r.end));
}

export function trackOf(key: string, raw: HistoryEntry[]): Track {
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
export function existsFromOf(entries: HistoryEntry[]): string | undefined {
  const first = entries[0];
  if (first === undefined) return undefined;
  if (first.created === true) return first.date;
  const created = dayOf(entries.find((e) => e.snapshot !== undefined)?.snapshot?.createdDate);
  return created !== undefined && created <= first.date ? created : undefined;
}

/** Tracks by timeline: the panel keeps one timeline across redraws, so its tracks are built once. */
const trackCache = new WeakMap<Timeline, Track[]>();

export function tracksOf(timeline: Timeline): Track[] {
  return trackCache.get(timeline) ?? finish(tracksSteps(timeline, new Slices()));
}

function* tracksSteps(timeline: Timeline, slices: Slices): Steps<Track[]> {
  const cached = trackCache.get(timeline);
  if (cached) return cached;
  const out: Track[] = [];
  for (const [key, entries] of timeline) {
    if (entries.length > 0) out.push(trackOf(key, entries));
    if (slices.count()) yield;
  }
  // Kept before the last yield: a caller that stops there has still built them.
  trackCache.set(timeline, out);
  if (slices.close()) yield;
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
export function sprintTracks(base: Track[], scope: SprintScope, today: string): Track[] {
  // Only items that were ever in the sprint, or committed to it, can count in it: skipping the
  // rest up front keeps a 10,000-item backlog's burndown to the few dozen that matter. They are
  // looked up, not searched for: velocity and a release's burn-up ask for sprint after sprint.
  const { bySprint, byKey } = trackIndexOf(base);
  let at = bySprint.get(scope.sprintKey) ?? [];
  if (scope.committed) {
    const committed: number[] = [];
    for (const key of scope.committed.keys()) {
      const k = byKey.get(key);
      if (k !== undefined) committed.push(k);
    }
    // In the timeline's order, each track once, as a filter over it would give them.
    if (committed.length > 0) at = [...new Set([...at, ...committed])].sort((a, b) => a - b);
  }
  const ever = at.map((k) => base[k]);
  const tracks = scope.end < today ? ever.map((t) => shiftedToEnd(t, scope)) : ever;
  if (!scope.committed) return tracks;
  const extra: Track[] = [];
  for (const [key, c] of scope.committed) {
    if (!byKey.has(key)) extra.push({ key, id: c.id, title: '', entries: [{ date: minDate(today, scope.end), snapshot: undefined, fromHistory: false }], runs: [] });
  }
  return extra.length === 0 ? tracks : [...tracks, ...extra];
}

/**
 * Builds what figures read of a timeline, once: its tracks, and which of them each sprint and
 * each release had. The Reports panel gives this turns of its own (`prepareTimelineSteps`), so
 * that the first chart drawn after a change does not pay for it too (docs/benchmarks.md, the
 * Reports panel).
 */
export function prepareTimeline(timeline: Timeline): void {
  finish(prepareTimelineSteps(timeline));
}

/** `prepareTimeline` in steps (core/steps.ts): a slice of tracks at a time; none when it was done before. */
export function* prepareTimelineSteps(timeline: Timeline, slices = new Slices()): Steps<void> {
  yield* trackIndexSteps(yield* tracksSteps(timeline, slices), slices);
}

/** Where each track stands in a list of tracks, and which ever named each sprint and release: made once per list. */
interface TrackIndex {
  /** By sprint key, the positions of the tracks with a version in that sprint, in order. */
  bySprint: Map<string, number[]>;
  /** By release id, the positions of the tracks with a version in that release, in order. */
  byRelease: Map<string, number[]>;
  /** By item key, its track's position (the first, should a key come twice). */
  byKey: Map<string, number>;
}

const trackIndexes = new WeakMap<Track[], TrackIndex>();

function trackIndexOf(base: Track[]): TrackIndex {
  return trackIndexes.get(base) ?? finish(trackIndexSteps(base, new Slices()));
}

function* trackIndexSteps(base: Track[], slices: Slices): Steps<TrackIndex> {
  const known = trackIndexes.get(base);
  if (known) return known;
  const bySprint = new Map<string, number[]>();
  const byRelease = new Map<string, number[]>();
  const byKey = new Map<string, number>();
  const note = (lists: Map<string, number[]>, id: string, k: number) => {
    const list = lists.get(id);
    if (!list) lists.set(id, [k]);
    else if (list[list.length - 1] !== k) list.push(k);
  };
  for (let k = 0; k < base.length; k++) {
    const t = base[k];
    if (!byKey.has(t.key)) byKey.set(t.key, k);
    for (const e of t.entries) {
      const s = e.snapshot;
      if (s?.sprint !== undefined) note(bySprint, s.sprint, k);
      if (s?.release !== undefined) note(byRelease, s.release, k);
    }
    if (slices.count()) yield;
  }
  const index = { bySprint, byRelease, byKey };
  trackIndexes.set(base, index);
  if (slices.close()) yield;
  return index;
}

/** The tracks a release's figures read: those with a version in it, in the timeline's order. */
export function releaseTracks(base: Track[], releaseId: string): Track[] {
  return (trackIndexOf(base).byRelease.get(releaseId) ?? []).map((k) => base[k]);
}

/**
 * The track with its working-tree versions dated the sprint's last day instead of today, when
 * every version after that day is the working tree's and puts the item in this sprint. A
 * version the history dates after the sprint keeps its place; so does a deletion, and a move to
 * another sprint or none (an item carried over when the sprint closed): they happened after it.
 */
export function shiftedToEnd(track: Track, scope: SprintScope): Track {
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
export function lastIndexAt(entries: HistoryEntry[], date: string): number {
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
export function stateAt(track: Track, date: string, scope?: SprintScope): ItemSnapshot | undefined {
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

export function valueOf(snapshot: ItemSnapshot, unit: FigureUnit): number {
  return unit === 'items' ? 1 : snapshot.points;
}

export interface Figures {
  scope: number;
  completed: number;
  remaining: number;
}

/** Scope, completed and remaining at the end of `date`, and the snapshots that made them. */
/** The figures at the end of `date`; `states` are the tracks' states then, when already known. */
export function figuresAt(tracks: Track[], date: string, member: (s: ItemSnapshot) => boolean, unit: FigureUnit, scope?: SprintScope, states?: (ItemSnapshot | undefined)[]): Figures & { items: ItemSnapshot[]; done: ItemSnapshot[] } {
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

export function sprintScopeOf(d: DatedSprint): SprintScope {
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

export function inSprint(scope: SprintScope): (s: ItemSnapshot) => boolean {
  return (s) => s.sprint === scope.sprintKey;
}

/** A sprint with real dates, in order: what the burndown, burn-up and velocity can place. */
export interface DatedSprint {
  sprint: Sprint;
  start: string;
  end: string;
}

export function dated(sprint: Sprint): DatedSprint | undefined {
  const start = dayOf(sprint.start);
  const end = dayOf(sprint.end);
  return start !== undefined && end !== undefined && start <= end ? { sprint, start, end } : undefined;
}

/** Closed and active sprints that have started, by start: the sprints that have figures. */
export function startedSprints(backlog: Backlog, today: string): DatedSprint[] {
  return backlog.sprints
    .filter((s) => s.state === 'closed' || s.state === 'active')
    .map(dated)
    .filter((d): d is DatedSprint => d !== undefined && d.start <= today)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export interface Commitment {
  committed: number;
  source: CommittedSource;
  /** Each committed item's value, for the first day's comparison; only for a recorded commitment. */
  byKey?: Map<string, number>;
}

/**
 * The scope a sprint started with: the recorded commitment when there is one (an estimate left
 * out is the item's points at the start), else the scope at the end of its first day.
 */
export function commitmentOf(d: DatedSprint, tracks: Track[], scope: SprintScope, options: TimelineOptions): Commitment {
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
 * Work the sprint finished, by the history: items in it at its evaluation day (its end, or today
 * while it runs), done then and not done the day before it started. Work finished in an earlier
 * sprint and carried along is not this sprint's velocity.
 */
export function sprintCompleted(d: DatedSprint, tracks: Track[], scope: SprintScope, options: TimelineOptions): { completed: number; counted: ItemSnapshot[] } {
  const at = minDate(d.end, options.today);
  const before = formatDayNumber((dayNumber(d.start) ?? 0) - 1);
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
