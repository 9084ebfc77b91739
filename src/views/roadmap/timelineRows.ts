// Rows for the bars of one timeline lane. Bars that overlap in time go on rows of their own, so
// that a lane grows with its bars instead of drawing them into the next lane; bars that do not
// overlap share a row, so that a lane of sequential epics stays one row tall.

/** A bar's extent along the timeline, in any unit: `start` inclusive, `end` exclusive. */
export interface BarExtent {
  start: number;
  end: number;
}

/**
 * The row of each bar (0 at the top) and the number of rows: bars in the order of their start
 * (ties in the order given), each on the lowest row that is free by then. Greedy interval
 * partitioning: it uses as few rows as the most bars that overlap at one moment, and takes
 * O(n log n), so a lane of thousands of epics is laid out in a blink.
 */
export function packRows(bars: readonly BarExtent[]): { rows: number[]; count: number } {
  const order = bars.map((_, i) => i).sort((a, b) => bars[a].start - bars[b].start || a - b);
  const rows = new Array<number>(bars.length);
  // Rows still holding a bar, soonest free first; and rows free again, lowest first.
  const busy = new MinHeap<{ end: number; row: number }>((a, b) => a.end - b.end || a.row - b.row);
  const free = new MinHeap<number>((a, b) => a - b);
  let count = 0;
  for (const i of order) {
    const { start, end } = bars[i];
    while (busy.size > 0 && busy.peek().end <= start) free.push(busy.pop().row);
    const row = free.size > 0 ? free.pop() : count++;
    rows[i] = row;
    busy.push({ end: Math.max(end, start), row });
  }
  return { rows, count };
}

/** A binary heap: the smallest element by `compare` on top. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T {
    return this.items[0];
  }

  push(x: T): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (this.compare(a[i], a[parent]) >= 0) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): T {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.compare(a[l], a[m]) < 0) m = l;
        if (r < a.length && this.compare(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}
