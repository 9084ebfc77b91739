// Checks that work grows linearly with the input, robustly enough for a loaded two-core machine:
// a function is timed on an input and on one `factor` times bigger, and the ratio must stay far
// below what quadratic growth gives. Time is the process's CPU time, not the clock's: on two
// cores shared with a test host, the clock also counts the time the process waited for a core,
// which made a linear parser look 7× worse than linear. Timings are the fastest of a few runs
// (interference only ever adds time), tiny ones are floored (a 0.01 ms base would turn a 1 ms
// hiccup into a ratio of 100), and a failing measurement is taken again before the test fails.
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

/** Milliseconds of CPU the process has used, user and system. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function fastest<T>(f: (input: T) => unknown, input: T, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = cpuMs();
    f(input);
    best = Math.min(best, cpuMs() - t);
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

/** The sizes checked on the way to `factor`: ×4 at a time, so that code worse than quadratic fails early. */
function steps(factor: number): number[] {
  const out: number[] = [];
  for (let k = 4; k < factor; k *= 4) out.push(k);
  out.push(factor);
  return out;
}

function failure(what: string, k: number, g: Growth, slack: number): string {
  return `${what}: ${k}× the input took ${g.ratio.toFixed(0)}× the time (${g.smallMs.toFixed(2)} ms → ${g.bigMs.toFixed(1)} ms); linear is ${k}×, the limit ${k * slack}×`;
}

/**
 * Asserts that `f` grows at most linearly (with slack) from `make(size)` to `make(size * factor)`,
 * through sizes 4 times apart: each must take at most `k * slack` times the first. Quadratic code
 * fails at 16×, worse code at 4× already, so that a regression fails in seconds, not hours.
 */
export function assertLinear<T>(what: string, make: (n: number) => T, f: (input: T) => unknown, options: GrowthOptions): Growth {
  const { size, factor = 16, slack = 4, runs = 3, attempts = 3, floorMs = 1 } = options;
  let last = '';
  attempt: for (let a = 0; a < attempts; a++) {
    const small = make(size);
    f(small); // warm up: the first call compiles
    const smallMs = fastest(f, small, runs);
    let g: Growth | undefined;
    for (const k of steps(factor)) {
      const bigMs = fastest(f, make(size * k), runs);
      g = { smallMs, bigMs, ratio: bigMs / Math.max(smallMs, floorMs) };
      if (g.ratio > k * slack) {
        last = failure(what, k, g, slack);
        continue attempt;
      }
    }
    return g!;
  }
  assert.fail(last);
}

/** `unit` repeated to about `n` characters (at least once), between `head` and `tail`. */
export function repeatTo(n: number, unit: string, head = '', tail = ''): string {
  return head + unit.repeat(Math.max(1, Math.ceil((n - head.length - tail.length) / unit.length))) + tail;
}

/** `assertLinear` for an async `f` (an index build, say). */
export async function assertLinearAsync<T>(what: string, make: (n: number) => T, f: (input: T) => Promise<unknown>, options: GrowthOptions): Promise<Growth> {
  const { size, factor = 16, slack = 4, runs = 3, attempts = 3, floorMs = 1 } = options;
  const fastestAsync = async (input: T) => {
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      const t = cpuMs();
      await f(input);
      best = Math.min(best, cpuMs() - t);
    }
    return best;
  };
  let last = '';
  attempt: for (let a = 0; a < attempts; a++) {
    const small = make(size);
    await f(small);
    const smallMs = await fastestAsync(small);
    let g: Growth | undefined;
    for (const k of steps(factor)) {
      const bigMs = await fastestAsync(make(size * k));
      g = { smallMs, bigMs, ratio: bigMs / Math.max(smallMs, floorMs) };
      if (g.ratio > k * slack) {
        last = failure(what, k, g, slack);
        continue attempt;
      }
    }
    return g!;
  }
  assert.fail(last);
}
