// The one clock that decides what "today" is: the sprint under way, days left, stale items, the
// roadmap's current quarter, dates the writer records. The extension and the CLI read it from
// BACKLOG_ATLAS_NOW, so that tests, the demo and a user checking "what will this say next week"
// can move it; without that variable it is the system clock. Elapsed-time measurements (timeouts,
// benchmarks) keep using Date.now(): only calendar questions go through here.
import { DAY_MS, parseDate } from './dates';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What BACKLOG_ATLAS_NOW may say:
 * - a day `2026-11-21` (00:00 UTC) or an instant `2026-11-21T09:30`, `…T09:30:00Z`: the clock
 *   starts there and runs on from it;
 * - an offset in whole days from the system clock, `+365d` or `-30d`.
 */
export type ClockSpec = { kind: 'at'; time: number } | { kind: 'offset'; ms: number };

const OFFSET = /^([+-])(\d{1,6})d$/;

/** Parses a clock setting; `undefined` for an empty one, an Error naming the accepted forms for a bad one. */
export function parseClockSpec(text: string | undefined): ClockSpec | Error | undefined {
  const spec = text?.trim() ?? '';
  if (spec === '') return undefined;
  const offset = OFFSET.exec(spec);
  if (offset) return { kind: 'offset', ms: (offset[1] === '-' ? -1 : 1) * Number(offset[2]) * DAY_MS };
  // The one date check (core/dates): 2026-02-30 is not a date, whatever the clock would make of it.
  const at = parseDate(spec);
  if (at) return { kind: 'at', time: at.time };
  return new Error(`BACKLOG_ATLAS_NOW is ${JSON.stringify(spec)}; use a day (2026-11-21), an instant (2026-11-21T09:30Z) or whole days from today (+365d, -30d).`);
}

/**
 * A clock that can be moved: the extension's and the CLI's. `set` keeps it running, so that two
 * writes a minute apart still record different times.
 */
export class SettableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  /** Moves the clock as `spec` says (see ClockSpec); `undefined` puts it back on the base clock. */
  set(spec: ClockSpec | undefined): void {
    if (!spec) this.offsetMs = 0;
    else if (spec.kind === 'offset') this.offsetMs = spec.ms;
    else this.offsetMs = spec.time - this.base.now().getTime();
  }
}

/** The clock a process should use, from the value of BACKLOG_ATLAS_NOW; a bad value is reported, not guessed at. */
export function clockFromSetting(text: string | undefined, base: Clock = systemClock): { clock: SettableClock; error?: Error } {
  const clock = new SettableClock(base);
  const spec = parseClockSpec(text);
  if (spec instanceof Error) return { clock, error: spec };
  clock.set(spec);
  return { clock };
}
