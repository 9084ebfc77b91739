// `npm run bench:sprints`: a backlog of 2,000 items with very many sprints and releases (100,000
// each by default), and how long `backlog-atlas list` and `stats` take on it (the built CLI, each
// in its own process). Lookups by id used to scan the lists: `stats` took minutes.
//
//   BENCH_ITEMS=2000 BENCH_PLANS=100000 BENCH_RUNS=3 npm run bench:sprints
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateBacklog } from './generate';

async function main() {
  const items = Number(process.env.BENCH_ITEMS ?? 2000);
  const plans = Number(process.env.BENCH_PLANS ?? 100_000);
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const cli = path.resolve(__dirname, '../dist/cli.js');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-sprints-'));
  try {
    const root = await generateBacklog(dir, items);
    // Flow style, few keys: 100,000 sprints stay under the 4 MiB a plan file may have.
    const sprints = ['sprints:', ...Array.from({ length: plans }, (_, k) => `  - {id: S-${k + 1}, state: ${k < plans - 2 ? 'closed' : k === plans - 2 ? 'active' : 'planned'}}`)];
    await fs.writeFile(path.join(root, 'sprints.yml'), sprints.join('\n') + '\n');
    const releases = ['releases:', ...Array.from({ length: plans }, (_, k) => `  - {id: R-${k + 1}}`)];
    await fs.writeFile(path.join(root, 'releases.yml'), releases.join('\n') + '\n');
    console.log(`${items.toLocaleString('en')} items, ${plans.toLocaleString('en')} sprints and ${plans.toLocaleString('en')} releases:`);
    for (const command of ['list', 'stats']) {
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        execFileSync(process.execPath, [cli, command], { cwd: dir, stdio: 'ignore', maxBuffer: 1 << 28 });
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`  ${command}: median ${(times[times.length >> 1] / 1000).toFixed(1)} s (${(times[0] / 1000).toFixed(1)}–${(times[times.length - 1] / 1000).toFixed(1)} s)`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

void main();
