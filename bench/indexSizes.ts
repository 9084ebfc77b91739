// `npm run bench:index` (and the first part of `npm run bench`): generates backlogs of 1k, 10k and
// 50k items and measures the index the extension and CLI use. Figures go to stdout,
// docs/benchmarks.md and bench-results/index.json.
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Result {
  count: number;
  cold: number[];
  incremental: number[];
  orderMs: number;
  heapMB: number;
  maxRssMB: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

async function main() {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
  const results: Result[] = [];
  for (const size of sizes) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'indexBench.ts'), String(size), size >= 50000 ? '2' : '5'], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Result;
    results.push(r);
    console.log(`${size} items: cold ${ms(median(r.cold))} ms, one file ${ms(median(r.incremental))} ms, peak RSS ${r.maxRssMB.toFixed(0)} MB`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
  const rows = results.map(
    (r) =>
      `| ${r.count.toLocaleString('en')} | ${ms(median(r.cold))} (${ms(Math.min(...r.cold))}–${ms(Math.max(...r.cold))}) | ${ms(median(r.incremental))} (${ms(Math.min(...r.incremental))}–${ms(Math.max(...r.incremental))}) | ${ms(r.orderMs)} | ${r.heapMB.toFixed(0)} | ${r.maxRssMB.toFixed(0)} |`,
  );
  const table = [
    '| Items | Cold index, ms: median (min–max) | One changed file, ms: median (min–max) | Product backlog order, ms | Heap after, MB | Peak RSS, MB |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log('\n' + table);
  await fs.mkdir('bench-results', { recursive: true });
  await fs.writeFile('bench-results/index.json', JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
  const doc = await fs.readFile('docs/benchmarks.md', 'utf8').catch(() => '');
  const start = '<!-- bench:index:start -->';
  const end = '<!-- bench:index:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${table}\n${end}`;
  const next = doc.includes(start) ? doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc}\n${block}\n`;
  await fs.writeFile('docs/benchmarks.md', next);
  console.log('\nWrote docs/benchmarks.md and bench-results/index.json');
}

void main();
