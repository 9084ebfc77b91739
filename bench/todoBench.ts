// `npm run bench:todos`: our TODO scanner against plain ripgrep with the same pattern, on
// generated source trees of 10,000 and 100,000 files, after checking both find the same
// (file, line) hits. Writes the figures into docs/benchmarks.md.
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TodoMatcher } from '../src/core/todo/todo';
import { findRipgrep, scanFile, scanTodos } from '../src/cli/todoScan';

const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'], prefixes: ['BL'] });

/** Writes `count` small source files; one in five holds TODOs, every tag inside a comment. */
async function generateTree(dir: string, count: number): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    const folder = path.join(dir, `pkg${n % 100}`, `mod${Math.floor(n / 100) % 100}`);
    if (n < 10_000) await fs.mkdir(folder, { recursive: true });
    const py = n % 3 === 0;
    const lines: string[] = [];
    for (let l = 0; l < 30; l++) lines.push(py ? `value_${l} = compute(${l}, "label ${l}")` : `export const value${l} = compute(${l}, 'label ${l}');`);
    if (n % 5 === 0) lines[7] = py ? `# TODO(BL-${n % 900 + 1}): tidy this module` : `// TODO(BL-${n % 900 + 1}): tidy this module`;
    if (n % 10 === 0) lines[19] = py ? '# FIXME handle the empty case' : '/* FIXME handle the empty case */';
    writes.push(fs.writeFile(path.join(folder, `file${n}.${py ? 'py' : 'ts'}`), lines.join('\n') + '\n'));
    if (writes.length >= 500) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rgHits(rg: string, dir: string): Set<string> {
  const r = spawnSync(rg, ['--no-config', '-n', '--no-heading', '--no-messages', '-e', matcher.ripgrepPattern(), dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return new Set(r.stdout.split('\n').filter(Boolean).map((l) => { const m = /^(.*?):(\d+):/.exec(l)!; return `${path.resolve(m[1])}:${m[2]}`; }));
}

async function main() {
  const rg = findRipgrep();
  if (!rg) throw new Error('ripgrep is needed for this benchmark (apt-get install ripgrep).');
  const sizes = (process.env.BENCH_TODO_SIZES ?? '10000,100000').split(',').map(Number);
  const rows: string[] = [];
  const results: { files: number; hits: number; rgMs: number[]; oursMs: number[]; ratio: number; oneFileMs: number }[] = [];
  for (const size of sizes) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `atlas-todos-${size}-`));
    try {
      await generateTree(dir, size);
      // Same hits first: every tag in these files is in a comment, so the sets must match.
      const ours = await scanTodos([dir], matcher, { rg });
      const oursSet = new Set(ours.map((t) => `${path.resolve(t.path)}:${t.line + 1}`));
      const theirs = rgHits(rg, dir);
      if (oursSet.size !== theirs.size || [...theirs].some((h) => !oursSet.has(h))) throw new Error(`hits differ: ours ${oursSet.size}, rg ${theirs.size}`);
      const runs = size >= 100_000 ? 3 : 5;
      const rgTimes: number[] = [];
      const ourTimes: number[] = [];
      for (let r = 0; r < runs; r++) {
        let t = performance.now();
        rgHits(rg, dir);
        rgTimes.push(performance.now() - t);
        t = performance.now();
        await scanTodos([dir], matcher, { rg });
        ourTimes.push(performance.now() - t);
      }
      const one = ours[0].path;
      const single: number[] = [];
      for (let r = 0; r < 50; r++) {
        const t = performance.now();
        await scanFile(one, matcher);
        single.push(performance.now() - t);
      }
      const ratio = median(ourTimes) / median(rgTimes);
      results.push({ files: size, hits: theirs.size, rgMs: rgTimes, oursMs: ourTimes, ratio, oneFileMs: median(single) });
      console.log(`${size} files, ${theirs.size} hits: rg ${median(rgTimes).toFixed(0)} ms, ours ${median(ourTimes).toFixed(0)} ms (${ratio.toFixed(2)}x), one file ${median(single).toFixed(2)} ms`);
      rows.push(`| ${size.toLocaleString('en')} | ${theirs.size.toLocaleString('en')} | ${median(rgTimes).toFixed(0)} (${Math.min(...rgTimes).toFixed(0)}–${Math.max(...rgTimes).toFixed(0)}) | ${median(ourTimes).toFixed(0)} (${Math.min(...ourTimes).toFixed(0)}–${Math.max(...ourTimes).toFixed(0)}) | ${ratio.toFixed(2)}× | ${median(single).toFixed(2)} |`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const version = spawnSync(rg, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${version}`;
  const table = ['| Files | Hits | `rg`, ms: median (min–max) | Backlog Atlas, ms: median (min–max) | Ratio | One file, ms |', '|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  console.log('\n' + table);
  const doc = await fs.readFile('docs/benchmarks.md', 'utf8');
  const start = '<!-- bench:todos:start -->';
  const end = '<!-- bench:todos:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${table}\n${end}`;
  const next = doc.includes(start) ? doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n## Scanning code for TODOs\n\n\`npm run bench:todos\` generates trees of small TypeScript and Python files (one in five with TODOs, every tag in a comment), checks that Backlog Atlas's scanner and plain \`rg -n\` with the same pattern report the same (file, line) hits, then times both as they run here: \`rg\` printing every hit, and the scanner (ripgrep picks the candidate files, then each is read and matched, to tell comments from strings). "One file" is rescanning a single file. Aim: within 1.5 times \`rg\`.\n\n${block}\n`;
  await fs.writeFile('docs/benchmarks.md', next);
  await fs.mkdir('bench-results', { recursive: true });
  await fs.writeFile('bench-results/todos.json', JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
}

void main();
