// `npm run bench:todos`: our TODO scanner against plain ripgrep with the same pattern, on
// generated source trees of 10,000 and 100,000 files, after checking both find the same
// (file, line) hits, and on a tree of 100,000 files of real code (the JavaScript and TypeScript
// in node_modules, copied until there are enough), where the command line is timed as a user
// runs it. Writes the figures into docs/benchmarks.md.
import { spawnSync } from 'child_process';
import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_FILE_BYTES } from '../src/core/todo/scanScope';
import { TodoMatcher } from '../src/core/todo/todo';
import { FileTodo, findRipgrep, scanFile, scanTodos } from '../src/cli/todoScan';
import { DEFAULT_TODO_TAGS } from '../src/core/format/config';

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

/**
 * The real sources under node_modules: JavaScript and TypeScript as people write and ship them,
 * without declaration files (generated, and nearly free of comments) or minified bundles (one
 * line: what rg and the scanner do there is read one line), and at most MAX_FILE_BYTES (what
 * the scan reads; plain rg has no such limit). Paths are relative to node_modules, and leave out
 * what the scan leaves out and plain rg does not (nested node_modules, hidden folders).
 */
async function realSources(modules: string): Promise<{ rel: string; size: number }[]> {
  const out: { rel: string; size: number }[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await fs.readdir(path.join(modules, rel), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'bower_components') continue;
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile() && /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(e.name) && !/\.d\.[mc]?ts$/.test(e.name) && !/\.min\.js$/.test(e.name)) {
        const size = (await fs.stat(path.join(modules, child))).size;
        if (size > 0 && size <= MAX_FILE_BYTES) out.push({ rel: child, size });
      }
    }
  };
  await walk('');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

/** Copies the real sources into `dir/copyN/<package path>` until it holds `count` files. */
async function realTree(dir: string, count: number): Promise<{ sources: number; bytes: number }> {
  const modules = path.resolve('node_modules');
  const sources = await realSources(modules);
  if (sources.length === 0) throw new Error('no sources under node_modules: run npm ci first');
  let bytes = 0;
  const made = new Set<string>();
  const copies: Promise<void>[] = [];
  for (let n = 0; n < count; n++) {
    const src = sources[n % sources.length];
    const to = path.join(dir, `copy${Math.floor(n / sources.length)}`, ...src.rel.split('/'));
    const folder = path.dirname(to);
    if (!made.has(folder)) {
      made.add(folder);
      await fs.mkdir(folder, { recursive: true });
    }
    bytes += src.size;
    copies.push(fs.copyFile(path.join(modules, ...src.rel.split('/')), to));
    if (copies.length >= 200) await Promise.all(copies.splice(0));
  }
  await Promise.all(copies);
  return { sources: sources.length, bytes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function rgHits(rg: string, dir: string, m = matcher): Set<string> {
  const r = spawnSync(rg, ['--no-config', '-n', '--no-heading', '--no-messages', '-e', m.ripgrepPattern(), dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return new Set(r.stdout.split('\n').filter(Boolean).map((l) => { const m = /^(.*?):(\d+):/.exec(l)!; return `${path.resolve(m[1])}:${m[2]}`; }));
}

async function main() {
  const rg = findRipgrep();
  if (!rg) throw new Error('ripgrep is needed for this benchmark (apt-get install ripgrep).');
  const sizes = (process.env.BENCH_TODO_SIZES ?? '10000,100000').split(',').map(Number);
  const rows: string[] = [];
  const results: { files: number; hits: number; rgMs: number[]; oursMs: number[]; ratio: number; oneFileMs: number; tree?: 'real'; [more: string]: unknown }[] = [];
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
  const realFiles = Number(process.env.BENCH_TODO_REAL ?? '100000');
  const realRows: string[] = [];
  let realNote = '';
  if (realFiles > 0) {
    const cli = path.resolve('dist/cli.js');
    if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `node esbuild.js --production` first.');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `atlas-todos-real-`));
    try {
      const made = await realTree(dir, realFiles);
      // What `backlog-atlas todos` uses in a folder without a backlog: the default tags, no prefixes.
      const real = new TodoMatcher({ tags: DEFAULT_TODO_TAGS, prefixes: [] });
      const runCli = () => {
        const r = spawnSync(process.execPath, [cli, 'todos', '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
        if (r.status !== 0) throw new Error(`backlog-atlas todos exited with ${r.status}: ${r.stderr}`);
        return JSON.parse(r.stdout) as { path: string; line: number }[];
      };
      // Real code has tags in strings and names (`'TODO'`, `XXX-XX`) that rg reports and the scanner
      // does not take: every hit of ours must be one of rg's, the command line must report what the
      // scanner does, and the scan that starts no process (an untrusted workspace) the same again.
      const ours = await scanTodos([dir], real, { rg });
      const oursLines = new Set(ours.map((t) => `${path.resolve(t.path)}:${t.line + 1}`));
      const theirs = rgHits(rg, dir, real);
      const missing = [...oursLines].filter((h) => !theirs.has(h));
      if (missing.length > 0) throw new Error(`the scanner reports ${missing.length} lines rg does not, such as ${missing[0]}`);
      const fromCli = runCli().map((t) => `${path.resolve(dir, t.path)}:${t.line}`);
      const key = (t: FileTodo) => `${path.resolve(t.path)}:${t.line + 1}`;
      if (fromCli.join('\n') !== ours.map(key).join('\n')) throw new Error(`the command line reports ${fromCli.length} TODOs, the scanner ${ours.length}`);
      let t = performance.now();
      const walked = await scanTodos([dir], real, { rg: null });
      const walkMs = performance.now() - t;
      if (JSON.stringify(walked) !== JSON.stringify(ours)) throw new Error(`without rg ${walked.length} TODOs, with rg ${ours.length}`);
      const rgTimes: number[] = [];
      const cliTimes: number[] = [];
      const inTimes: number[] = [];
      const loads: number[] = [];
      for (let r = 0; r < 5; r++) {
        loads.push(os.loadavg()[0]);
        t = performance.now();
        rgHits(rg, dir, real);
        rgTimes.push(performance.now() - t);
        t = performance.now();
        runCli();
        cliTimes.push(performance.now() - t);
        t = performance.now();
        await scanTodos([dir], real, { rg });
        inTimes.push(performance.now() - t);
      }
      const ratio = median(cliTimes) / median(rgTimes);
      const range = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
      const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
      results.push({ files: realFiles, hits: ours.length, rgMs: rgTimes, oursMs: cliTimes, ratio, oneFileMs: NaN, tree: 'real', rgLines: theirs.size, inProcessMs: inTimes, walkMs, load: loads, sources: made.sources, bytes: made.bytes });
      console.log(`${realFiles} files of real code (${(made.bytes / 1e6).toFixed(0)} MB), ${ours.length} TODOs on ${oursLines.size} of rg's ${theirs.size} lines: rg ${median(rgTimes).toFixed(0)} ms, backlog-atlas todos --json ${median(cliTimes).toFixed(0)} ms (${ratio.toFixed(2)}x), in process ${median(inTimes).toFixed(0)} ms, without rg ${walkMs.toFixed(0)} ms, load ${load}`);
      realRows.push(`| ${realFiles.toLocaleString('en')} | ${(made.bytes / 1e6).toFixed(0)} MB | ${oursLines.size.toLocaleString('en')} | ${theirs.size.toLocaleString('en')} | ${range(rgTimes)} | ${range(cliTimes)} | ${ratio.toFixed(2)}× | ${range(inTimes)} | ${walkMs.toFixed(0)} | ${load} |`);
      realNote = `${made.sources.toLocaleString('en')} sources from node_modules, copied`;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const version = spawnSync(rg, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0];
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${version}`;
  let table = ['| Files | Hits | `rg`, ms: median (min–max) | Backlog Atlas, ms: median (min–max) | Ratio | One file, ms |', '|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  if (realRows.length > 0)
    table += `\n\nReal code (${realNote}), the command line as a user runs it:\n\n${['| Files | Size | Lines with TODOs | `rg`\'s lines | `rg`, ms | `backlog-atlas todos --json`, ms | Ratio | Scanner in process, ms | Without rg, ms | Load average |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|', ...realRows].join('\n')}`;
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
