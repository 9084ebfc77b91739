// Long work on the extension host in slices: the TODO scan and the index's build check the clock
// between files and let other work run once a slice is used up, so that no task comes near the
// 50 ms the editor can afford. Only `setImmediate` (after pending I/O, not a 1 ms timer): the core
// runs in Node alone (the extension host, the command line).

/** The longest a slice works before it yields. */
export const SLICE_MS = 15;

/** Yields to the event loop once the current slice is used up. */
export class Slicer {
  private start = Date.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  async maybeYield(): Promise<void> {
    if (Date.now() - this.start < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = Date.now();
  }
}
