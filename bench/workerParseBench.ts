// `npm run bench:worker`: does parsing item files on a second core pay here? On the
// generator's 10,000-item backlog, one Node process reads and parses every item file on its main
// thread, and another parses half on the main thread while a worker_thread parses the other half
// and sends it back in the index cache's form (restored as the cache's items are). Each mode runs
// as its own process from one esbuild bundle of this file, interleaved, 5 runs each; it prints wall
// and CPU time with the load average. Not part of the product: docs/benchmarks.md says why.
import { spawnSync } from 'child_process';
import { readdirSync, readFileSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { defaultConfig } from '../src/core/format/config';
import { parseItemFile } from '../src/core/format/itemFile';
import { CachedFile, restoreItem, toCachedFile } from '../src/core/indexCache';
import { contentHash, decodeText } from '../src/core/text';

const config = defaultConfig();

/** Reads, hashes and parses each file as the index does; the cache's form of each when `keep`. */
function parseAll(paths: string[], keep: boolean): { items: number; kept: CachedFile[] } {
  const kept: CachedFile[] = [];
  let items = 0;
  for (const p of paths) {
    const bytes = readFileSync(p);
    const d = decodeText(bytes);
    const hash = d.ok ? contentHash(d.value.text) : `bytes-${bytes.length}`;
    const r = parseItemFile(p, bytes, { root: '/r', folder: 'tasks', config });
    if (r.item) items++;
    if (keep) kept.push(toCachedFile(hash, r.diagnostics, r.item, r) ?? { hash, diagnostics: r.diagnostics });
  }
  return { items, kept };
}

/** One timed run in this process: prints `{ items, wallMs, cpuMs }` as JSON. */
async function child(dir: string, mode: 'one' | 'two'): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const paths = readdirSync(dir).map((n) => `${dir}/${n}`);
  let items: number;
  if (mode === 'one') items = parseAll(paths, false).items;
  else {
    const half = paths.length >> 1;
    const worker = new Worker(__filename, { workerData: paths.slice(half) });
    const theirs = new Promise<CachedFile[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    items = parseAll(paths.slice(0, half), false).items;
    const files = await theirs;
    for (let i = 0; i < files.length; i++) if (restoreItem(files[i], paths[half + i], '/r', 'tasks')) items++;
    await worker.terminate();
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ items, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }));
}

async function main(): Promise<void> {
  const { generateBacklog } = await import('./generate');
  const size = Number(process.env.BENCH_WORKER_ITEMS ?? 10000);
  const runs = Number(process.env.BENCH_WORKER_RUNS ?? 5);
  const top = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-worker-'));
  try {
    const bundle = path.join(top, 'workerParse.js');
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    esbuild.buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'error' });
    await generateBacklog(path.join(top, 'project'), size);
    const tasks = path.join(top, 'project', 'backlog', 'tasks');
    const times: Record<'one' | 'two', { wallMs: number; cpuMs: number }[]> = { one: [], two: [] };
    const before = os.loadavg()[0];
    for (let r = 0; r <= runs; r++) {
      for (const mode of ['one', 'two'] as const) {
        const out = spawnSync(process.execPath, [bundle, tasks, mode], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(out.stderr);
        const m = JSON.parse(out.stdout) as { items: number; wallMs: number; cpuMs: number };
        if (m.items !== size) throw new Error(`${mode}: ${m.items} items of ${size}`);
        if (r > 0) times[mode].push(m); // the first round warms the disk cache
      }
    }
    const span = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `${s[s.length >> 1].toFixed(0)} (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)})`;
    };
    console.log(`${size} item files, ${runs} runs each, ${os.cpus().length} cores, load average ${before.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}:`);
    for (const mode of ['one', 'two'] as const) {
      console.log(`  ${mode === 'one' ? 'one thread ' : 'two threads'}: wall ${span(times[mode].map((t) => t.wallMs))} ms, CPU ${span(times[mode].map((t) => t.cpuMs))} ms`);
    }
  } finally {
    await fs.rm(top, { recursive: true, force: true });
  }
}

if (!isMainThread) parentPort!.postMessage(parseAll(workerData as string[], true).kept);
else if (process.argv[3] === 'one' || process.argv[3] === 'two') void child(process.argv[2], process.argv[3]);
else {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
