// `npm run bench:sprints`: a backlog of 2,000 items with few (100) and very many (100,000)
// sprints and releases, and how long `backlog-atlas list` and `lint --no-todos` take on each (the
// built CLI, each run its own process, `--no-cache`, the two sizes interleaved in one run). Lookups
// by id used to scan the lists, so 100,000 sprints took minutes; the aim is that 100,000 cost at
// most twice what 100 do. Prints the figures and writes bench-results/sprints.json, from which
// `npm run bench` writes its section of docs/benchmarks.md and its summary row.
//
//   BENCH_ITEMS=2000 BENCH_PLANS=100,100000 BENCH_RUNS=3 npm run bench:sprints
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateBacklog } from './generate';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** What bench-results/sprints.json holds. */
export interface SprintsResult {
  machine: string;
  date: string;
  items: number;
  /** How many sprints (and as many releases) each backlog has, fewest first. */
  sizes: number[];
  runs: number;
  load: [number, number];
  /** Wall-clock ms of each run, by command, then by size. */
  commands: { command: string; ms: number[][] }[];
}

/** The table docs/benchmarks.md shows. */
export function sprintsTable(r: SprintsResult): string {
  const span = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} (${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)})`;
  const head = `| Command, s: median (min–max) of ${r.runs} | ${r.sizes.map((n) => `${n.toLocaleString('en')} sprints`).join(' | ')} | Most against fewest |`;
  const rows = r.commands.map((c) => `| \`${c.command}\` | ${c.ms.map(span).join(' | ')} | ${(median(c.ms[c.ms.length - 1]) / median(c.ms[0])).toFixed(2)}× |`);
  return [`${r.items.toLocaleString('en')} items, as many releases as sprints; load average ${r.load[0].toFixed(1)} before and ${r.load[1].toFixed(1)} after.`, '', head, `|---|${r.sizes.map(() => '---:|').join('')}---:|`, ...rows].join('\n');
}

async function main() {
  const items = Number(process.env.BENCH_ITEMS ?? 2000);
  const sizes = (process.env.BENCH_PLANS ?? '100,100000').split(',').map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const cli = path.resolve(__dirname, '../dist/cli.js');
  const top = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-sprints-'));
  try {
    const dirs: string[] = [];
    for (const plans of sizes) {
      const dir = path.join(top, String(plans));
      const root = await generateBacklog(dir, items);
      // Flow style, few keys: 100,000 sprints stay under the 4 MiB a plan file may have.
      const sprints = ['sprints:', ...Array.from({ length: plans }, (_, k) => `  - {id: S-${k + 1}, state: ${k < plans - 2 ? 'closed' : k === plans - 2 ? 'active' : 'planned'}}`)];
      await fs.writeFile(path.join(root, 'sprints.yml'), sprints.join('\n') + '\n');
      const releases = ['releases:', ...Array.from({ length: plans }, (_, k) => `  - {id: R-${k + 1}}`)];
      await fs.writeFile(path.join(root, 'releases.yml'), releases.join('\n') + '\n');
      dirs.push(dir);
    }
    const before = os.loadavg()[0];
    console.log(`${items.toLocaleString('en')} items; ${sizes.map((n) => n.toLocaleString('en')).join(' and ')} sprints and as many releases; load average ${before.toFixed(1)} before`);
    const commands: SprintsResult['commands'] = [];
    for (const command of [['list'], ['lint', '--no-todos']]) {
      const times = sizes.map(() => [] as number[]);
      for (let r = 0; r < runs; r++) {
        for (let s = 0; s < sizes.length; s++) {
          const t = performance.now();
          // lint exits 1 when it finds errors: that is its answer, not a failure of the bench.
          try {
            execFileSync(process.execPath, [cli, ...command, '--no-cache'], { cwd: dirs[s], stdio: 'ignore', maxBuffer: 1 << 28 });
          } catch (e) {
            if ((e as { status?: number }).status !== 1) throw e;
          }
          times[s].push(performance.now() - t);
        }
      }
      commands.push({ command: `${command.join(' ')} --no-cache`, ms: times });
      const line = sizes.map((n, s) => `${n.toLocaleString('en')}: ${(median(times[s]) / 1000).toFixed(2)} s (${(Math.min(...times[s]) / 1000).toFixed(2)}–${(Math.max(...times[s]) / 1000).toFixed(2)})`);
      console.log(`  ${command[0]}: ${line.join(', ')}; ${(median(times[times.length - 1]) / median(times[0])).toFixed(2)}× the fewest`);
    }
    const after = os.loadavg()[0];
    console.log(`load average ${after.toFixed(1)} after`);
    const cpus = os.cpus();
    const result: SprintsResult = {
      machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`,
      date: new Date().toISOString(),
      items,
      sizes,
      runs,
      load: [before, after],
      commands,
    };
    const out = path.resolve(__dirname, '../bench-results/sprints.json');
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, JSON.stringify(result, null, 2));
  } finally {
    await fs.rm(top, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
