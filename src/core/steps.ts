// Long pure computations as steps. Such a computation is a generator that yields after each
// slice of its work, the last one too: the Reports panel runs one slice per turn of the event
// loop, so that no turn on the extension host nears the 50 ms a keystroke can wait, even while
// the code is still cold (docs/benchmarks.md, the Reports panel); everyone else runs them all
// at once with `finish`. A slice is a count of work, not a time (as core/slicer.ts measures the
// index's reads, which wait on I/O anyway): figures have no clock, and the same input always
// yields at the same places.

/** A computation of a `T` in slices: each `next()` does one, and the last returns the result. */
export type Steps<T> = Generator<void, T, void>;

/**
 * Items, tracks or changed files a slice goes through. Snapshotting an item, the costliest of
 * these, takes up to 8 µs before the JIT has compiled it and 3 µs after: a slice is a few ms.
 */
export const SLICE = 1000;

/** Runs every step at once and returns the result. */
export function finish<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Counts a computation's work into slices: it yields whenever `count` says a slice is full. */
export class Slices {
  private done = 0;

  constructor(private readonly size = SLICE) {}

  /** Counts `units` of work; true once they fill the slice, and the next one starts. */
  count(units = 1): boolean {
    this.done += units;
    if (this.done < this.size) return false;
    this.done = 0;
    return true;
  }

  /** Ends the slice under way: true when it counted any work, which the computation then yields after. */
  close(): boolean {
    const open = this.done > 0;
    this.done = 0;
    return open;
  }
}
