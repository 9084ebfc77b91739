// Long work on the extension host in slices: the TODO scan and the index's build check the clock
// between files and let other work run once a slice is used up, so that no task comes near the
// 50 ms the editor can afford. Only `setImmediate` (after pending I/O, not a 1 ms timer): the core
// runs in Node alone (the extension host, the command line).

/** The longest a slice works before it yields. */
export const SLICE_MS = 15;

/** Yields to the event loop once the current slice is used up. */
export class Slicer {
  private start: number;

  /** `now`: milliseconds, for tests; the system's clock otherwise. */
  constructor(
    private readonly sliceMs = SLICE_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
  }

  /**
   * Yields now, whatever is left of the slice, and starts the next: before a step known to be long,
   * or after one. Only while no other caller shares the slicer (it would restart their slice too).
   */
  async nextTurn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = this.now();
  }

  /**
   * Yields once the current slice is used up. Callers that share a slicer (the index's 64 readers,
   * the scan's 8) all wake in the same turn of the event loop: the first to wake starts the next
   * slice and the others share it, yielding again once it is used up, so that one turn holds one
   * slice, not one per caller.
   */
  async maybeYield(): Promise<void> {
    while (this.now() - this.start >= this.sliceMs) {
      const slice = this.start;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.start === slice) this.start = this.now();
    }
  }
}
