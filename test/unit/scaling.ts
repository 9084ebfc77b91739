// Checks that work grows linearly with the input, robustly enough for a loaded two-core machine:
// a function is timed on an input and on one `factor` times bigger, and the ratio must stay far
// below what quadratic growth gives. Timings are the fastest of a few runs (interference only ever
// adds time), tiny ones are floored (a 0.01 ms base would turn a 1 ms hiccup into a ratio of 100),
// and a failing measurement is taken again before the test fails.
import * as assert from 'assert';

export interface GrowthOptions {
  /** Input size of the small measurement; the big one is `factor` times this. */
  size: number;
  /** 16 by default: linear growth is then 16×, quadratic 256×, and the limit 64×. */
  factor?: number;
  /** How many times linear growth the ratio may reach; 4 by default. */
  slack?: number;
  /** Runs per measurement, the fastest counting; 3 by default. */
  runs?: number;
  /** Times a failing check is measured again before it fails; 3 by default. */
  attempts?: number;
  /** Timings below this many milliseconds count as this many; 1 by default. */
  floorMs?: number;
}

export interface Growth {
  smallMs: number;
  bigMs: number;
  ratio: number;
}

function fastest<T>(f: (input: T) => unknown, input: T, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    f(input);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Times `f` on `make(size)` and `make(size * factor)`; the inputs are made before timing. */
export function growth<T>(make: (n: number) => T, f: (input: T) => unknown, options: GrowthOptions): Growth {
  const { size, factor = 16, runs = 3, floorMs = 1 } = options;
  const small = make(size);
  const big = make(size * factor);
  f(small); // warm up: the first call compiles
  const smallMs = fastest(f, small, runs);
  const bigMs = fastest(f, big, runs);
  return { smallMs, bigMs, ratio: bigMs / Math.max(smallMs, floorMs) };
}

/** Asserts that `f` grows at most linearly (with slack) from `make(size)` to `make(size * factor)`. */
export function assertLinear<T>(what: string, make: (n: number) => T, f: (input: T) => unknown, options: GrowthOptions): Growth {
  const { factor = 16, slack = 4, attempts = 3 } = options;
  const limit = factor * slack;
  let last: Growth | undefined;
  for (let a = 0; a < attempts; a++) {
    last = growth(make, f, options);
    if (last.ratio <= limit) return last;
  }
  assert.fail(
    `${what}: ${factor}× the input took ${last!.ratio.toFixed(0)}× the time (${last!.smallMs.toFixed(2)} ms → ${last!.bigMs.toFixed(1)} ms); linear is ${factor}×, the limit ${limit}×`,
  );
}

/** `unit` repeated to about `n` characters (at least once), between `head` and `tail`. */
export function repeatTo(n: number, unit: string, head = '', tail = ''): string {
  return head + unit.repeat(Math.max(1, Math.ceil((n - head.length - tail.length) / unit.length))) + tail;
}
