// The one definition of every figure the extension and the command line show: an item's points,
// done, in a sprint, in a release, a sprint's committed and completed work, velocity, average
// velocity and the forecast. Trees, the status bar, the story map, the roadmap, the reports, the
// health report, the exports and `backlog-atlas stats` all read them from here, so that one
// quantity never reads differently in two places. docs/format.md, "What each number means",
// says the same in words. Pure: no I/O, no clock (the caller passes today where one is needed).
import { statusKey } from '../statuses';
import { dayNumber, formatDayNumber } from '../dates';
import type { Backlog } from '../backlog';
import { Timeline } from '../history/history';
import { BacklogConfig, Item, Release, Sprint } from '../types';
import { finish, Steps } from '../steps';
import { commitmentOf, CommittedSource, dated, FigureUnit, sprintCompleted, sprintScopeOf, sprintTracks, startedSprints, tracksOf } from './timeline';

export type { CommittedSource, FigureUnit } from './timeline';

/** Average velocity is the mean of this many most recent closed sprints: recent, yet smoothed. */
export const VELOCITY_SPRINTS = 3;
/** A forecast further out than this many sprints is no forecast: a date would be fiction. */
export const MAX_FORECAST_SPRINTS = 260;

/** Each done-status list as a lower-cased set, built once per config rather than per question. */
const doneSets = new WeakMap<readonly string[], Set<string>>();

/**
 * Whether an item is done: its file is in `completed/`, or its status is one of the config's done
 * statuses (case aside). An archived item is never done: in Backlog.md `archive/` holds work that
 * will not be done, and counting it as done would inflate velocity and burndowns.
 */
export function isDone(item: Item, config: BacklogConfig): boolean {
  if (item.folder === 'archive') return false;
  if (item.folder === 'completed') return true;
  let statuses = doneSets.get(config.doneStatuses);
  // Compared as Backlog.md compares statuses: case and spaces aside ("done", "DONE", "Do ne").
  if (!statuses) doneSets.set(config.doneStatuses, (statuses = new Set(config.doneStatuses.map(statusKey))));
  return statuses.has(statusKey(item.status));
}

/** An item's own size in points: its estimate, else its T-shirt size through the config's map, else 0. */
export function ownPoints(item: Item, config: BacklogConfig): number {
  if (item.estimate !== undefined) return item.estimate;
  return item.size !== undefined ? config.sizePoints[item.size] : 0;
}

/**
 * Whether an item counts in figures at all. Drafts are not planned yet; archived items will not
 * be done; epics are containers whose stories carry the work (counting an XL epic and its
 * stories would count the work twice); opportunities are discovery, not delivery. A subtask is
 * an item like any other: it counts its own points where it is planned, once.
 */
export function counts(item: Item): boolean {
  return item.folder !== 'drafts' && item.folder !== 'archive' && item.type !== 'epic' && item.type !== 'opportunity';
}

/** The points an item adds to every figure: its own points when it counts, else 0. */
export function figurePoints(item: Item, config: BacklogConfig): number {
  return counts(item) ? ownPoints(item, config) : 0;
}

/** Whether an item is listed in a sprint: it names the sprint (case aside) and is neither a draft nor archived. */
export function listedInSprint(item: Item, sprintId: string): boolean {
  return item.sprint !== undefined && item.folder !== 'drafts' && item.folder !== 'archive' && item.sprint.toUpperCase() === sprintId.toUpperCase();
}

/**
 * The one release an item is in: the release its `release` names, else the one its Backlog.md
 * `milestone` names. One at most, so that no work counts in two releases (an item naming both
 * R-1 and the milestone m-1 is R-1's). Drafts and archived items are in no release.
 */
export function releaseOf(backlog: Backlog, item: Item): Release | undefined {
  if (item.folder === 'drafts' || item.folder === 'archive') return undefined;
  return (item.release !== undefined ? backlog.release(item.release) : undefined) ?? (item.milestone !== undefined ? backlog.release(item.milestone) : undefined);
}

/** Points and items of a list: all of them, and the done ones. */
export interface Tally {
  pointsDone: number;
  pointsTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

/** The tally of a list: only items that `counts`, each once, at its `ownPoints`. */
export function tally(items: readonly Item[], config: BacklogConfig): Tally {
  const t: Tally = { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 };
  const seen = new Set<Item>();
  for (const i of items) {
    if (!counts(i) || seen.has(i)) continue;
    seen.add(i);
    const p = ownPoints(i, config);
    t.itemsTotal++;
    t.pointsTotal += p;
    if (isDone(i, config)) {
      t.itemsDone++;
      t.pointsDone += p;
    }
  }
  return t;
}

/**
 * The points in a sprint now, done or not, by its id: `sprintFigures`' scope without the history,
 * also for a sprint that only some items still name (a backlog compared with an older version).
 */
export function sprintScope(backlog: Backlog, sprintId: string): number {
  return tally(backlog.sprintBacklog(sprintId), backlog.config).pointsTotal;
}

/** What the history adds to a sprint's figures: the versions of each item, and today. */
export interface FigureHistory {
  timeline: Timeline;
  /** Today as YYYY-MM-DD. */
  today: string;
  /** Whether the timeline holds versions from a real history (git), not only the working tree. */
  hasHistory: boolean;
}

/** A sprint's figures in one unit. */
export interface SprintFigures {
  /** The scope the sprint started with. */
  committed: number;
  committedSource: CommittedSource;
  /** Its done work: the done items in it. */
  completed: number;
  /** Everything in it now, done or not. */
  scope: number;
  remaining: number;
}

/**
 * A sprint's figures. Without a history, the files alone: `scope` is the items in the sprint that
 * count, `completed` the done ones among them, and `committed` its recorded `committed` list (an
 * entry without an estimate weighs the item's points), else its scope. Given a history (a
 * dated sprint): `committed` is the scope at its start (the recorded list, else the scope at the
 * end of its first day), and `completed` the work done by its end (today while it runs) that was
 * not done before it started. The working tree is the history's last version, and a closed
 * sprint's files are how it closed (Close Sprint carries unfinished work over), so the two agree
 * unless the history knows better: work done before the sprint, or after it in a later commit.
 */
export function sprintFigures(backlog: Backlog, sprint: Sprint, unit: FigureUnit = 'points', history?: FigureHistory): SprintFigures {
  const t = tally(backlog.sprintBacklog(sprint.id), backlog.config);
  const [completed, scope] = unit === 'items' ? [t.itemsDone, t.itemsTotal] : [t.pointsDone, t.pointsTotal];
  const base = { completed, scope, remaining: scope - completed };
  const d = dated(sprint);
  if (d && history) {
    const sprintScope = sprintScopeOf(d);
    const tracks = sprintTracks(tracksOf(history.timeline), sprintScope, history.today);
    const options = { today: history.today, unit, hasHistory: history.hasHistory };
    const c = commitmentOf(d, tracks, sprintScope, options);
    // Before it starts, a sprint has completed nothing yet, whatever its items say.
    const done = history.today < d.start ? 0 : sprintCompleted(d, tracks, sprintScope, options).completed;
    return { ...base, completed: done, remaining: scope - done, committed: c.committed, committedSource: c.source };
  }
  if (sprint.hasCommitted) {
    const seen = new Set<string>();
    let committed = 0;
    for (const c of sprint.committed) {
      const key = c.id.trim().toUpperCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const item = backlog.item(c.id);
      committed += unit === 'items' ? 1 : (c.estimate ?? (item ? figurePoints(item, backlog.config) : 0));
    }
    return { ...base, committed, committedSource: 'recorded' };
  }
  return { ...base, committed: scope, committedSource: 'current' };
}


/** The team's pace: each closed sprint's completed work, and their mean. */
export interface Velocity {
  /** The closed sprints averaged over, oldest first: the last `VELOCITY_SPRINTS` of them. */
  over: Sprint[];
  /** Each one's completed figure, in the same order. */
  completed: number[];
  /** Their mean; undefined when no sprint has closed. */
  average?: number;
}

/**
 * Velocity: a closed sprint's completed figure (with the history when given). The average is the mean over the last three
 * closed sprints, ordered by start date (the end date when there is no start; sprints with
 * neither count as the oldest, in their file order). Active and planned sprints are not in it:
 * their work is not finished.
 */
export function velocity(backlog: Backlog, unit: FigureUnit = 'points', history?: FigureHistory): Velocity {
  return finish(velocitySteps(backlog, unit, history));
}

/** The closed sprints, oldest first by start (or end); undated ones first, in file order. */
function closedSprints(backlog: Backlog): Sprint[] {
  return backlog.sprints
    .map((s, index) => ({ s, index, key: s.start ?? s.end ?? '' }))
    .filter((x) => x.s.state === 'closed')
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
    .map((x) => x.s);
}

/** `velocity` in steps (core/steps.ts): a sprint's figures at a time. */
export function* velocitySteps(backlog: Backlog, unit: FigureUnit = 'points', history?: FigureHistory): Steps<Velocity> {
  const over = closedSprints(backlog).slice(-VELOCITY_SPRINTS);
  const completed: number[] = [];
  for (const s of over) {
    completed.push(sprintFigures(backlog, s, unit, history).completed);
    yield;
  }
  const average = completed.length === 0 ? undefined : completed.reduce((a, b) => a + b, 0) / completed.length;
  return { over, completed, average };
}

/**
 * Sprints still needed for `remaining` work at `average` per sprint: 0 when nothing remains;
 * undefined without a pace to go by (no closed sprint, or nothing completed) or when it would
 * take more than `MAX_FORECAST_SPRINTS`.
 */
export function forecastSprints(remaining: number, average: number | undefined): number | undefined {
  if (remaining <= 0) return 0;
  if (average === undefined || !(average > 0)) return undefined;
  // The small epsilon keeps 6 / 3 at 2 sprints when floating point makes it 2.0000000001.
  const n = Math.ceil(remaining / average - 1e-9);
  return n > MAX_FORECAST_SPRINTS ? undefined : n;
}

/** Days between sprint starts assumed when the sprints' own starts do not say. */
const DEFAULT_CADENCE = 14;

/** Days from one sprint's start to the next's: the median gap between the dated sprints' starts. */
export function sprintCadence(backlog: Backlog): number {
  const starts = [...new Set(backlog.sprints.map((s) => dayNumber(s.start)).filter((n): n is number => n !== undefined))].sort((a, b) => a - b);
  const gaps = starts.slice(1).map((s, i) => s - starts[i]);
  if (gaps.length === 0) return DEFAULT_CADENCE;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
  return Math.max(1, Math.round(median));
}

/**
 * The sprints still to come, as a forecast counts them: the sprint under way is the first (it
 * ends on `end`), or, with none under way, the first follows the last closed sprint (which ended
 * on `end`); each after it ends `cadence` days after the one before.
 */
export interface SprintsAhead {
  end: string;
  underway: boolean;
  cadence: number;
}

/** The sprints still to come on `today`; undefined when no sprint has started with dates. */
export function sprintsAhead(backlog: Backlog, today: string): SprintsAhead | undefined {
  const active = startedSprints(backlog, today).find((d) => d.sprint.state === 'active');
  // The last of the sprints the velocity is measured over.
  const closed = closedSprints(backlog);
  const last = closed.length > 0 ? dated(closed[closed.length - 1]) : undefined;
  const from = active ?? last;
  return from ? { end: from.end, underway: from === active, cadence: sprintCadence(backlog) } : undefined;
}

/** The last day of the `n`th sprint still to come (n ≥ 1); undefined past the calendar. */
export function sprintEnd(ahead: SprintsAhead, n: number): string | undefined {
  const end = dayNumber(ahead.end);
  if (end === undefined) return undefined;
  const day = formatDayNumber(end + (ahead.underway ? n - 1 : n) * ahead.cadence);
  return day === '' ? undefined : day;
}

/**
 * How many of the sprints still to come end by `date`: what a release on that date can still
 * get. A release is on track when its forecast needs no more (`forecastSprints` ≤ this).
 */
export function sprintsEndingBy(ahead: SprintsAhead, date: string): number {
  const end = dayNumber(ahead.end);
  const by = dayNumber(date);
  if (end === undefined || by === undefined) return 0;
  const first = ahead.underway ? end : end + ahead.cadence;
  return by < first ? 0 : 1 + Math.floor((by - first) / ahead.cadence);
}

/** A release's figures: its items (see `releaseOf`) tallied, and the sprints its open work needs at the average velocity. */
export interface ReleaseFigures extends Tally {
  forecastSprints?: number;
}

export function releaseFigures(backlog: Backlog, release: Release): ReleaseFigures {
  const t = tally(backlog.releaseBacklog(release.id), backlog.config);
  return { ...t, forecastSprints: forecastSprints(t.pointsTotal - t.pointsDone, velocity(backlog).average) };
}

/** The whole backlog's points: the open and the done work that counts (see `counts`). */
export function backlogPoints(backlog: Backlog): { open: number; done: number } {
  const t = tally(backlog.items(), backlog.config);
  return { open: t.pointsTotal - t.pointsDone, done: t.pointsDone };
}

/**
 * Whole days from `today` (YYYY-MM-DD) to a sprint's end: 0 on its last day, negative once it
 * has ended; undefined for a sprint without an end date.
 */
export function sprintDaysLeft(sprint: Sprint, today: string): number | undefined {
  const end = dayNumber(sprint.end);
  const now = dayNumber(today);
  return end === undefined || now === undefined ? undefined : end - now;
}

/** A figure as every surface writes it: whole numbers whole, others to one decimal (20.3, not 20.333). */
export function formatFigure(n: number): string {
  return String(Math.round(n * 10) / 10 || 0);
}
