// What "New Sprint" proposes before the user types anything: the next name in the series, dates
// that follow the last sprint, and the team's recent velocity as capacity. Pure, so that the
// arithmetic is unit-tested; the command only asks, with these as the prompts' values.
import { Backlog } from '../backlog';
import { isDay } from '../dates';
import { velocity, VELOCITY_SPRINTS } from '../figures/figures';

/** Capacity of a new sprint when no closed sprint says what the team gets done. */
export const DEFAULT_CAPACITY = 30;
/** How many recent closed sprints the default capacity averages over: core/figures' average velocity. */
export { VELOCITY_SPRINTS };
/** Days from a sprint's first day to its last: two weeks of Monday to Friday end on day 13, not 14. */
const SPRINT_LAST_DAY = 13;
const DAY_MS = 86_400_000;

export interface SprintDefaults {
  name: string;
  /** First and last day, `YYYY-MM-DD`. */
  start: string;
  end: string;
  capacity: number;
  /** Why that capacity, for the prompt: `the average completed in the last 3 closed sprints`. */
  capacityReason: string;
}

/**
 * What New Sprint offers: the next name in the series, dates that follow the last sprint, and the
 * team's recent velocity as capacity. Sprints end on their last working day (the fixture's run
 * Monday to Friday), so a two-week sprint ends 13 days after it starts, not 14.
 */
export function sprintDefaults(backlog: Backlog, today: Date): SprintDefaults {
  const sprints = backlog.sprints;
  const numbered = sprints.map((s) => /(\d+)\s*$/.exec(s.name)).filter((m): m is RegExpExecArray => m !== null).map((m) => Number(m[1]));
  // A loop, not Math.max(...numbered): spreading 100,000 sprints overflows the call stack.
  const name = `Sprint ${numbered.reduce((max, n) => (n > max ? n : max), sprints.length) + 1}`;
  const lastEnd = sprints.map((s) => s.end).filter((e): e is string => e !== undefined && isDay(e)).sort().pop();
  const start = lastEnd !== undefined ? formatDay(addDays(lastEnd, 1)) : formatDay(today);
  const end = sprintEnd(start);
  // The team's average velocity, the same figure the reports and the story map show.
  const pace = velocity(backlog);
  if (pace.average === undefined) return { name, start, end, capacity: DEFAULT_CAPACITY, capacityReason: 'no closed sprint yet to measure velocity' };
  const capacity = Math.round(pace.average);
  const closed = pace.over;
  // Sprints closed with nothing done (or done items never estimated) say nothing about pace.
  if (capacity === 0) return { name, start, end, capacity: DEFAULT_CAPACITY, capacityReason: 'no points completed in recent sprints to measure velocity' };
  return { name, start, end, capacity, capacityReason: `the average completed in the last ${plural(closed.length, 'closed sprint')}` };
}

/** The last day of a sprint that starts on `start` (`YYYY-MM-DD`); '' when `start` is no date. */
export function sprintEnd(start: string): string {
  return formatDay(addDays(start, SPRINT_LAST_DAY));
}

/** True for a real `YYYY-MM-DD` day (not `2026-02-30`): the one check, core/dates'. */
export { isDay };

function addDays(day: string, n: number): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
}

function formatDay(d: Date): string {
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
