// What the benchmarks that run in the test host's VS Code share (bench/roadmapBench.ts,
// bench/startupBench.ts): figures of repeated runs, how they are printed, and where the JSON goes.
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Several runs of one measurement, in milliseconds. */
export interface Figure {
  median: number;
  min: number;
  max: number;
}

/** The median (the upper one of an even count, as the suites do), min and max; NaNs are left out. */
export function figure(xs: readonly number[]): Figure {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN };
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

/** Milliseconds with about three significant digits. */
export const ms = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** `median (min–max)`. */
export const range = (f: Figure): string => `${ms(f.median)} (${ms(f.min)}–${ms(f.max)})`;

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/**
 * Writes a bench's result as JSON to `BACKLOG_ATLAS_BENCH_JSON`, else `bench-results/<name>.json`
 * under the repository, and returns the path.
 */
export async function writeResult(name: string, result: unknown, target = process.env.BACKLOG_ATLAS_BENCH_JSON): Promise<string> {
  const file = path.resolve(target ?? path.join(__dirname, '..', 'bench-results', `${name}.json`));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/**
 * Runs the compiled suite (out/test/suite, from `node test/host/buildSuite.mjs`) in code-server
 * on `workspace`, with `grep` naming the one suite to run; `env` goes to the extension host.
 */
export function runSuite(workspace: string, grep: string, env: Record<string, string>): void {
  const root = path.join(__dirname, '..');
  execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'host', 'runIntegration.ts'), '--workspace', workspace], {
    stdio: 'inherit',
    cwd: root,
    // A slow panel must not hit the runner's default 10 minutes for the whole suite.
    env: { BACKLOG_ATLAS_TIMEOUT_MS: '1800000', ...process.env, ...env, BACKLOG_ATLAS_GREP: grep },
  });
}

/** A positive integer from a list like `7,5` for each size, or one number for all; else the default. */
export function perSize(raw: string | undefined, index: number, fallback: number): number {
  const values = (raw ?? '').split(',').map((s) => Number(s.trim()));
  const v = values.length > 1 ? values[index] : values[0];
  return v !== undefined && Number.isInteger(v) && v > 0 ? v : fallback;
}
