// Horizons are when a theme or epic is planned: `now`, `next`, `later` (relative to today), or a
// quarter such as `2027-Q2`. The board needs a quarter as a column and the timeline needs a
// relative horizon as dates, so both directions are defined here, once.

export const HORIZONS = ['now', 'next', 'later'] as const;
export type RelativeHorizon = (typeof HORIZONS)[number];
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** `Now`, `NEXT` and `2027-q2` as written by people; undefined for anything else. */
export function normalizeHorizon(text: string): string | undefined {
  const t = text.trim();
  const lower = t.toLowerCase();
  if ((HORIZONS as readonly string[]).includes(lower)) return lower;
  const upper = t.toUpperCase();
  return QUARTER.test(upper) ? upper : undefined;
}

export function horizonProblem(text: string): string {
  return `Horizon should be now, next, later or a quarter like 2027-Q2, not "${text}".`;
}

/** Quarters as a running number (year * 4 + quarter index) make the arithmetic plain. */
function quarterNumber(q: string): number | undefined {
  const m = QUARTER.exec(q);
  return m ? Number(m[1]) * 4 + Number(m[2]) - 1 : undefined;
}

/** Years keep four digits (`0202-Q1`, not `202-Q1`), or the result is no quarter at all. */
function year(n: number): string {
  return String(Math.floor(n / 4)).padStart(4, '0');
}

function quarterName(n: number): string {
  return `${year(n)}-Q${(n % 4) + 1}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function quarterStartDate(n: number): string {
  return `${year(n)}-${pad((n % 4) * 3 + 1)}-01`;
}

/** The quarter an ISO date falls in: `2026-11-21` is `2026-Q4`. */
export function quarterOf(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return `${String(y).padStart(4, '0')}-Q${Math.floor((m - 1) / 3) + 1}`;
}

export function addQuarters(quarter: string, count: number): string {
  const n = quarterNumber(quarter);
  return n === undefined ? quarter : quarterName(n + count);
}

/** First day of a quarter, and the first day after it, as ISO dates. */
export function quarterRange(quarter: string): { start: string; end: string } {
  const n = quarterNumber(quarter) ?? 0;
  return { start: quarterStartDate(n), end: quarterStartDate(n + 1) };
}

/** Compares two quarters by time; quarters sort after relative horizons are resolved. */
export function compareQuarters(a: string, b: string): number {
  return (quarterNumber(a) ?? 0) - (quarterNumber(b) ?? 0);
}

/**
 * The board column of a horizon. A quarter is placed by today: the current quarter (or one that
 * has passed) is Now, the next one Next, anything after that Later.
 */
export function horizonColumn(horizon: string | undefined, today: string): 'now' | 'next' | 'later' | 'unscheduled' {
  if (horizon === undefined) return 'unscheduled';
  if (horizon === 'now' || horizon === 'next' || horizon === 'later') return horizon;
  const q = quarterNumber(horizon);
  const current = quarterNumber(quarterOf(today));
  if (q === undefined || current === undefined) return 'unscheduled';
  return q <= current ? 'now' : q === current + 1 ? 'next' : 'later';
}

/** True for a quarter that ended before today. */
export function isPastQuarter(horizon: string | undefined, today: string): boolean {
  const q = horizon === undefined ? undefined : quarterNumber(horizon);
  const current = quarterNumber(quarterOf(today));
  return q !== undefined && current !== undefined && q < current;
}

/**
 * The dates a horizon covers on the timeline. Now is the current quarter and Next the one after;
 * Later starts the quarter after that and has no end.
 */
export function horizonSpan(horizon: string | undefined, today: string): { start: string; end: string; open: boolean } | undefined {
  if (horizon === undefined) return undefined;
  const current = quarterOf(today);
  const quarter = horizon === 'now' ? current : horizon === 'next' ? addQuarters(current, 1) : horizon === 'later' ? addQuarters(current, 2) : horizon;
  if (quarterNumber(quarter) === undefined) return undefined;
  return { ...quarterRange(quarter), open: horizon === 'later' };
}

/** "Now", "Next", "Later" or the quarter itself, for messages and headings. */
export function horizonLabel(horizon: string): string {
  return horizon === 'now' ? 'Now' : horizon === 'next' ? 'Next' : horizon === 'later' ? 'Later' : horizon;
}
