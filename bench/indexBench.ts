// One size, in its own process so that peak memory is this size's alone. Prints one JSON line.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BacklogIndex } from '../src/core/backlogIndex';
import { NodeWorkspace } from '../src/cli/nodeWorkspace';
import { generateBacklog } from './generate';

async function main() {
  const count = Number(process.argv[2]);
  const runs = Number(process.argv[3] ?? 3);
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), `atlas-bench-${count}-`));
  try {
    await generateBacklog(folder, count);
    const cold: number[] = [];
    let index: BacklogIndex | undefined;
    for (let r = 0; r < runs; r++) {
      index = new BacklogIndex(new NodeWorkspace(), { folders: [folder] });
      const t = performance.now();
      await index.build();
      cold.push(performance.now() - t);
    }
    const b = index!.roots()[0];
    if (b.items().length !== count) throw new Error(`indexed ${b.items().length} of ${count}`);
    // One changed file: re-read it and recompute the product backlog order, as a view would.
    const victim = b.items()[Math.floor(count / 2)];
    const text = await fs.readFile(victim.path, 'utf8');
    const incremental: number[] = [];
    for (let r = 0; r < 30; r++) {
      await fs.writeFile(victim.path, text.replace(/^title: .*$/m, `title: changed ${r}`));
      const t = performance.now();
      await index!.applyChanges([{ kind: 'changed', path: victim.path }]);
      incremental.push(performance.now() - t);
    }
    const t = performance.now();
    const order = b.productBacklog().length;
    const orderMs = performance.now() - t;
    const heapMB = process.memoryUsage().heapUsed / 1048576;
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ count, cold, incremental, orderMs, order, heapMB, maxRssMB }));
  } finally {
    await fs.rm(folder, { recursive: true, force: true });
  }
}

void main();
