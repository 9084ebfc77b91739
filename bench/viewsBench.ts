// `npx tsx bench/viewsBench.ts` (after `node esbuild.js && node test/host/buildSuite.mjs`):
// generates a 10,000-item backlog, opens it in the test host's VS Code and measures the first
// render of the three backlog views in the extension host (test/suite/viewsBench.test.ts).
// Figures go to stdout and to the bench:views block of docs/benchmarks.md.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateBacklog } from './generate';
import { machine as machineName, ms, runSuite } from './hostBench';

interface Figure {
  medianMs: number;
  minMs: number;
  maxMs: number;
  rows: number;
}
interface Result {
  items: number;
  pageSize: number;
  first: Record<'sprints' | 'releases' | 'product', { ms: number; rows: number }>;
  figures: Record<string, Figure>;
}


async function main() {
  const count = Number(process.env.BENCH_SIZE ?? 10000);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-views-bench-'));
  try {
    const workspace = path.join(dir, 'workspace');
    await generateBacklog(workspace, count);
    const out = path.join(dir, 'views.json');
    runSuite(workspace, 'views benchmark', { BACKLOG_ATLAS_BENCH_OUT: out });
    const r = JSON.parse(await fs.readFile(out, 'utf8')) as Result;
    const row = (name: string, what: string) => {
      const f = r.figures[name];
      return `| ${what} | ${f.rows.toLocaleString('en')} | ${ms(f.medianMs)} (${ms(f.minMs)}–${ms(f.maxMs)}) |`;
    };
    const table = [
      `First render after the index is ready: Sprints ${ms(r.first.sprints.ms)} ms, Releases ${ms(r.first.releases.ms)} ms, Product Backlog ${ms(r.first.product.ms)} ms.`,
      '',
      '| View | Rows drawn | Render, ms: median (min–max) |',
      '|---|---:|---:|',
      row('sprints', 'Sprints (active sprint expanded)'),
      row('releases', 'Releases'),
      row('product', `Product Backlog (first ${r.pageSize} rows, then "Show more…")`),
      row('productAll', 'Product Backlog, every row'),
      row('productByEpic', 'Product Backlog grouped by epic'),
    ].join('\n');
    console.log('\n' + table);
    const machine = machineName();
    const doc = await fs.readFile('docs/benchmarks.md', 'utf8');
    const start = '<!-- bench:views:start -->';
    const end = '<!-- bench:views:end -->';
    const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}, ${r.items.toLocaleString('en')} items.\n\n${table}\n${end}`;
    const next = doc.includes(start) ? doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
    await fs.writeFile('docs/benchmarks.md', next);
    await fs.mkdir('bench-results', { recursive: true });
    await fs.writeFile('bench-results/views.json', JSON.stringify({ machine, date: new Date().toISOString(), result: r }, null, 2));
    console.log('\nWrote the bench:views block of docs/benchmarks.md and bench-results/views.json');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

void main();
