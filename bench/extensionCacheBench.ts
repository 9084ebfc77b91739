// `npx tsx bench/extensionCacheBench.ts` (after `node esbuild.js`, for dist/indexCacheWorker.js):
// the extension's index cache outside VS Code, for 100 and 10,000 generated items (BENCH_SIZES),
// BENCH_RUNS times each. In one process, as the extension host does it: the index built over
// Node's fs with the cache loaded by the worker (empty: a fresh window), the cache written by the
// worker, then a new index with the cache loaded again (a reopened window). Beside each, the
// longest time the event loop did not get a turn (a setImmediate probe): the longest synchronous
// step the extension host would see. On a busy machine that gap also holds the time the process
// waited for a CPU, so beside it: the most CPU time the main thread spent in one such step (Linux's
// schedstat; not measured elsewhere), and the floor, the longest gap the same probe sees over two
// seconds of doing nothing, in the same run. Prints a table; the views painted in a real window
// are bench/startupBench.ts's.
import { closeSync, promises as fs, openSync, readSync, statSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { NodeWorkspace } from '../src/cli/nodeWorkspace';
import { BacklogIndex } from '../src/core/backlogIndex';
import { WorkerIndexCache } from '../src/node/indexCacheWorkerClient';
import { generateBacklog } from './generate';
import { Figure, figure, machine, range, writeResult } from './hostBench';

const WORKER = path.resolve(__dirname, '..', 'dist', 'indexCacheWorker.js');

/** The main thread's time on a CPU so far, in ms: a reader of Linux's schedstat, or undefined where there is none. */
function mainThreadCpu(): (() => number) | undefined {
  let fd: number;
  try {
    fd = openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  } catch {
    return undefined;
  }
  const buf = Buffer.alloc(128);
  const read = () => Number(buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0)).split(' ')[0]) / 1e6;
  if (!Number.isFinite(read())) {
    closeSync(fd);
    return undefined;
  }
  return read;
}

const cpuNow = mainThreadCpu();

/**
 * Runs `work` while noting the longest gap between two turns of the event loop, and the most
 * time the main thread was on a CPU in one (NaN without schedstat).
 */
async function withStallProbe<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; longestStepMs: number; longestCpuMs: number }> {
  let longest = 0;
  let longestCpu = cpuNow ? 0 : NaN;
  let last = performance.now();
  // A read of schedstat costs about 10 µs: at most one a millisecond, so a step's CPU time is
  // counted from at most a millisecond before it began.
  let readAt = last;
  let cpuAt = cpuNow?.() ?? 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (cpuNow && now - readAt >= 1) {
      const cpu = cpuNow();
      longestCpu = Math.max(longestCpu, cpu - cpuAt);
      cpuAt = cpu;
      readAt = now;
    }
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  const value = await work();
  const elapsed = performance.now() - started;
  running = false;
  tick();
  return { value, ms: elapsed, longestStepMs: longest, longestCpuMs: longestCpu };
}

/** The longest gap the probe sees while nothing runs: what the machine's load alone gives. */
async function floor(): Promise<number> {
  return (await withStallProbe(() => new Promise<void>((done) => setTimeout(done, 2000)))).longestStepMs;
}

interface Run {
  freshMs: number;
  freshStepMs: number;
  saveMs: number;
  saveStepMs: number;
  reopenMs: number;
  reopenStepMs: number;
  freshCpuMs: number;
  saveCpuMs: number;
  reopenCpuMs: number;
  floorMs: number;
  hits: number;
  cacheBytes: number;
}

async function oneRun(folder: string, storage: string, items: number): Promise<Run> {
  const spec = (root: string) => ({ file: path.join(storage, 'index.cache'), root, rootOnDisk: root, program: WORKER });
  const ws = new NodeWorkspace();
  await fs.rm(storage, { recursive: true, force: true });
  let cache: WorkerIndexCache | undefined;
  const fresh = await withStallProbe(async () => {
    const index = new BacklogIndex(ws, { folders: [folder], cache: (root) => (cache ??= new WorkerIndexCache(WORKER, spec(root))) });
    await index.build();
    return index;
  });
  const save = await withStallProbe(() => cache!.save());
  if (!save.value) throw new Error('the cache was not written');
  let again: WorkerIndexCache | undefined;
  const reopen = await withStallProbe(async () => {
    const index = new BacklogIndex(ws, { folders: [folder], cache: (root) => (again ??= new WorkerIndexCache(WORKER, spec(root))) });
    await index.build();
    return index;
  });
  const count = (i: BacklogIndex) => i.roots().reduce((n, b) => n + b.items().length, 0);
  if (count(fresh.value) !== items || count(reopen.value) !== items) throw new Error(`indexed ${count(fresh.value)} and ${count(reopen.value)} items, wrote ${items}`);
  return {
    freshMs: fresh.ms,
    freshStepMs: fresh.longestStepMs,
    saveMs: save.ms,
    saveStepMs: save.longestStepMs,
    reopenMs: reopen.ms,
    reopenStepMs: reopen.longestStepMs,
    freshCpuMs: fresh.longestCpuMs,
    saveCpuMs: save.longestCpuMs,
    reopenCpuMs: reopen.longestCpuMs,
    floorMs: await floor(),
    hits: again!.counts.hits,
    cacheBytes: statSync(path.join(storage, 'index.cache')).size,
  };
}

export interface ExtensionCacheResult {
  bench: 'extcache';
  date: string;
  machine: string;
  loadAverage: number[];
  /** At the end of the run (absent in results written before it was kept). */
  loadAverageEnd?: number[];
  runs: number;
  sizes: { items: number; hits: number; cacheBytes: number; figures: Record<keyof Omit<Run, 'hits' | 'cacheBytes'>, Figure> }[];
}

export function extensionCacheTable(r: ExtensionCacheResult): string {
  const head = `| ${r.runs} runs each; ms: median (min–max) | ${r.sizes.map((s) => `${s.items.toLocaleString('en')} items`).join(' | ')} |`;
  const row = (what: string, key: keyof ExtensionCacheResult['sizes'][number]['figures']) => `| ${what} | ${r.sizes.map((s) => range(s.figures[key])).join(' | ')} |`;
  return [
    head,
    `|---|${r.sizes.map(() => '---:').join('|')}|`,
    row('Index, fresh window (empty cache)', 'freshMs'),
    row('… its longest synchronous step', 'freshStepMs'),
    row('… the most CPU time in one step', 'freshCpuMs'),
    row('Cache written by the worker', 'saveMs'),
    row('… its longest synchronous step', 'saveStepMs'),
    row('… the most CPU time in one step', 'saveCpuMs'),
    row('Index, reopened window (every file from the cache)', 'reopenMs'),
    row('… its longest synchronous step', 'reopenStepMs'),
    row('… the most CPU time in one step', 'reopenCpuMs'),
    row('Floor: the longest gap with nothing running (2 s)', 'floorMs'),
    `| Cache file | ${r.sizes.map((s) => `${(s.cacheBytes / 1024 / 1024).toFixed(2)} MiB, ${s.hits.toLocaleString('en')} hits`).join(' | ')} |`,
    '',
    `Load average (1, 5, 15 min) at the start: ${r.loadAverage.map((x) => x.toFixed(2)).join(', ')}${r.loadAverageEnd ? `; at the end: ${r.loadAverageEnd.map((x) => x.toFixed(2)).join(', ')}` : ''}.`,
  ].join('\n');
}

export async function runExtensionCacheBench(): Promise<ExtensionCacheResult> {
  const sizes = (process.env.BENCH_SIZES ?? '100,10000').split(',').map(Number);
  const runs = Number(process.env.BENCH_RUNS) || 5;
  const loadAverage = os.loadavg();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-extcache-bench-'));
  try {
    const out: ExtensionCacheResult['sizes'] = [];
    for (const items of sizes) {
      const folder = path.join(dir, `w${items}`);
      await generateBacklog(folder, items);
      const all: Run[] = [];
      for (let i = 0; i < runs; i++) all.push(await oneRun(folder, path.join(dir, `storage${items}`), items));
      const keys = ['freshMs', 'freshStepMs', 'saveMs', 'saveStepMs', 'reopenMs', 'reopenStepMs', 'freshCpuMs', 'saveCpuMs', 'reopenCpuMs', 'floorMs'] as const;
      out.push({ items, hits: all[all.length - 1].hits, cacheBytes: all[all.length - 1].cacheBytes, figures: Object.fromEntries(keys.map((k) => [k, figure(all.map((r) => r[k]))])) as ExtensionCacheResult['sizes'][number]['figures'] });
    }
    const result: ExtensionCacheResult = { bench: 'extcache', date: new Date().toISOString(), machine: machine(), loadAverage, loadAverageEnd: os.loadavg(), runs, sizes: out };
    console.log(`\n${extensionCacheTable(result)}`);
    await writeResult('extcache', result);
    return result;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runExtensionCacheBench().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  });
}
