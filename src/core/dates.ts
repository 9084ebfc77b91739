// The one reading of calendar dates, for every parser and view: `YYYY-MM-DD`, a day that exists
// (checked by a round trip through UTC, so that 2024-02-30 and 2024-13-01 are not dates), and
// day numbers (days since 1970-01-01) for arithmetic that no time zone or DST change can shift.

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` at the start of a text; what follows is read by the callers that want it. */
const DAY_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;
/**
 * What may follow the day in a date the parsers accept: a time `HH:MM` or `HH:MM:SS` (fractions of
 * a second allowed) after a space or `T`, then an optional `Z` (times are UTC, as the writer
 * records them). Anchored and without nested repetition, so that matching is linear in the text.
 */
const TIME = /^[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?Z?$/;

/** The day number of a year, month (1–12) and day, or undefined when no calendar has that day. */
export function dayNumberOf(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // setUTCFullYear, not Date.UTC, which reads years below 100 as 19xx.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  // A day that does not exist rolls over (2024-02-30 becomes March 1): it must come back as given.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return d.getTime() / DAY_MS;
}

/**
 * The day number of the `YYYY-MM-DD` a text starts with (surrounding spaces ignored), or
 * undefined when it does not start with one or that day does not exist. What follows the day
 * (a time of day) is not read: the parsers have checked it, the views only need the day.
 */
export function dayNumber(text: string | undefined): number | undefined {
  const m = text === undefined ? null : DAY_PREFIX.exec(text.trim());
  return m ? dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** The `YYYY-MM-DD` of a day number; '' outside the calendar (a forecast of a million sprints). */
export function formatDayNumber(day: number): string {
  const d = new Date(day * DAY_MS);
  if (Number.isNaN(d.getTime())) return '';
  const y = d.getUTCFullYear();
  if (y < 0 || y > 9999) return '';
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** The `YYYY-MM-DD` a text starts with, when that day exists; undefined otherwise. */
export function dayOf(text: string | undefined): string | undefined {
  const m = text === undefined ? null : DAY_PREFIX.exec(text.trim());
  // The day as written: one that exists reads back the same through its day number (a timeline
  // of 10,000 items asks for thousands, and formatting each again was a fifth of building it).
  return m && dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3])) !== undefined ? m[0] : undefined;
}

/** True for exactly `YYYY-MM-DD`, a day that exists. */
export function isDay(text: string): boolean {
  return text.length === 10 && dayNumber(text) !== undefined;
}

/** A date read in full: its day number, and its instant (UTC; midnight without a time). */
export interface ParsedDate {
  day: number;
  time: number;
}

/**
 * Reads a whole date: `YYYY-MM-DD`, or with a time (`2026-11-21 09:30`, `2026-11-21T09:30:00Z`).
 * Undefined when the text is anything else or names a day or time that does not exist.
 */
export function parseDate(text: string): ParsedDate | undefined {
  const m = DAY_PREFIX.exec(text);
  if (!m) return undefined;
  const day = dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day === undefined) return undefined;
  if (text.length === 10) return { day, time: day * DAY_MS };
  const t = TIME.exec(text.slice(10));
  if (!t) return undefined;
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? '0')];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return { day, time: day * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 };
}

/**
 * What is wrong with a date a file holds, in words for a diagnostic, or undefined when it is a
 * date `parseDate` reads. `key` names the field.
 */
export function dateProblem(key: string, text: string): string | undefined {
  if (parseDate(text) !== undefined) return undefined;
  const m = DAY_PREFIX.exec(text);
  if (m && dayNumberOf(Number(m[1]), Number(m[2]), Number(m[3])) === undefined) {
    return `\`${key}\` is ${m[0]}, a day no calendar has (month 01–12, and a day the month has); use a date like 2026-11-20.`;
  }
  return `\`${key}\` should be a date like 2026-11-20 (or 2026-11-20 09:30), not "${text}".`;
}
