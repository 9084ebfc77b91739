// `npm run bench:hostile`: every parser and matcher of backlog files on the worst inputs known for
// it, at 100 KiB and 1 MiB: YAML nested in the forms that got past the old check, keys, tokens and
// aliases by the hundred thousand, @handles and titles with long runs of spaces, bodies of
// thousands of sections, and the TODO matcher on lines of spaces or tags. Linear code takes about
// ten times as long for ten times the input; each case runs in a process of its own, stopped after
// BENCH_HOSTILE_TIMEOUT seconds (30), so that a case still quadratic shows as "> 30 s" instead of
// holding the run. Figures go to stdout, docs/benchmarks.md and bench-results/hostile.json.
//
//   BENCH_HOSTILE_ONLY=yaml npm run bench:hostile                   some cases, printed only
//   node --import tsx bench/hostileBench.ts --case <i> --bytes <n>   one case, one size (JSON out)
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Backlog } from '../src/core/backlog';
import { defaultConfig } from '../src/core/format/config';
import { parseItemFile } from '../src/core/format/itemFile';
import { parseRoadmap } from '../src/core/format/plans';
import { commentSyntaxFor, TodoMatcher } from '../src/core/todo/todo';
import { Diagnostic } from '../src/core/types';
import { backlogHealth, DEFAULT_HEALTH_OPTIONS } from '../src/views/backlogHealth';
import { escapeMarkdown } from '../src/views/exportText';

const SIZES = [100 * 1024, 1024 * 1024];
const TIMEOUT_S = Number(process.env.BENCH_HOSTILE_TIMEOUT ?? 30);
/** `BENCH_HOSTILE_ONLY=TODO` runs the cases whose reader or input matches, and writes nothing. */
const ONLY = process.env.BENCH_HOSTILE_ONLY ? new RegExp(process.env.BENCH_HOSTILE_ONLY, 'i') : undefined;
const ROOT = '/ws/backlog';
const enc = (s: string) => new TextEncoder().encode(s);

/** `unit` repeated between `head` and `tail` to `n` characters at most (at least once). */
const fill = (n: number, unit: string, head = '', tail = '') => head + unit.repeat(Math.max(1, Math.floor((n - head.length - tail.length) / unit.length))) + tail;

/** An item file of at most `n` bytes (the limit is 1 MiB): front matter, then `body`. */
const itemFile = (frontMatter: string, body = '') => enc(`---\n${frontMatter}\n---\n${body}`);
const ITEM_HEAD = 64;

const codes = (diagnostics: Diagnostic[]) => [...new Set(diagnostics.map((d) => d.code))].join(', ') || 'read, no problems';
const itemCtx = { root: ROOT, folder: 'tasks' as const, config: defaultConfig() };
const todos = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'], prefixes: ['BL'] });
const ts = commentSyntaxFor('a.ts')!;

interface Case {
  name: string;
  /** What reads it, for the table. */
  reader: string;
  /** Builds the input of about `n` bytes; not timed. */
  make: (n: number) => unknown;
  /** Reads it; returns what came out, in a few words. */
  run: (input: never) => string;
}

const roadmap = (name: string, make: (n: number) => string): Case => ({
  name,
  reader: 'roadmap.yml (YAML check, `yaml`)',
  make: (n) => enc(make(n)),
  run: (bytes: Uint8Array) => codes(parseRoadmap(`${ROOT}/roadmap.yml`, bytes).diagnostics),
});

const CASES: Case[] = [
  roadmap('`x: [a "b, ` then `[` (a quote inside a plain scalar)', (n) => fill(n, '[', 'x: [a "b, ')),
  roadmap('`x: ["a\\" "` then `[` (an escaped quote)', (n) => fill(n, '[', 'x: ["a\\" "')),
  roadmap("`x: ['a'' ', ` then `[ ` (a doubled quote)", (n) => fill(n, '[ ', "x: ['a'' ', ")),
  roadmap('`? ? ? …` (explicit keys)', (n) => fill(n, '? ')),
  roadmap('`a: b: c` on every line', (n) => fill(n, 'a: b: c\n')),
  roadmap('`- - - …` (compact lists)', (n) => fill(n, '- ', 'x:\n')),
  roadmap('`kN: v`, all keys different', (n) => Array.from({ length: Math.floor(n / 10) }, (_, i) => `k${i}: v`).join('\n').slice(0, n)),
  roadmap('`- 1` on every line', (n) => fill(n, '- 1\n')),
  roadmap('`[,,,, …]` (an error per comma)', (n) => fill(n, ',', '[', ']')),
  roadmap('`*a` aliases in a list', (n) => fill(n, ', *a', 'x: &a [1]\ny: [*a', ']')),
  roadmap('flow lists 60 deep, over and over', (n) => fill(n, `- ${'['.repeat(60)}${']'.repeat(60)}\n`, 'x:\n')),
  roadmap('a double-quoted value over many lines', (n) => fill(n, ' a b\n', 'x: "', '"\n')),
  {
    name: '`assignee: @jo`, spaces, `x`',
    reader: 'item file (@handle quoting)',
    make: (n) => itemFile(`id: BL-1\ntitle: A\nassignee: @jo${' '.repeat(n - ITEM_HEAD)}x`),
    run: (bytes: Uint8Array) => codes(parseItemFile(`${ROOT}/tasks/bl-1.md`, bytes, itemCtx).diagnostics),
  },
  {
    name: '`labels: [a "b, ` then `[`',
    reader: 'item file (YAML check, `yaml`)',
    make: (n) => itemFile(fill(n - ITEM_HEAD, '[', 'id: BL-1\ntitle: A\nlabels: [a "b, ')),
    run: (bytes: Uint8Array) => codes(parseItemFile(`${ROOT}/tasks/bl-1.md`, bytes, itemCtx).diagnostics),
  },
  {
    name: '`## Acceptance Criteria` and one item, again and again',
    reader: 'item file (body sections)',
    make: (n) => itemFile('id: BL-1\ntitle: A', fill(n - ITEM_HEAD, '## Acceptance Criteria\n- [ ] a\n')),
    run: (bytes: Uint8Array) => `${parseItemFile(`${ROOT}/tasks/bl-1.md`, bytes, itemCtx).item?.acceptanceCriteria.length ?? 0} criteria`,
  },
  {
    name: 'two titles of `Sign in`, ` .` runs, `x`',
    reader: 'Backlog Health (duplicate titles)',
    make: (n) => {
      const b = new Backlog(ROOT, '/ws');
      const title = fill(n / 2, ' .', 'Sign in', ' x');
      for (const k of [1, 2]) {
        const item = parseItemFile(`${ROOT}/tasks/bl-${k}.md`, itemFile(`id: BL-${k}\ntitle: ${JSON.stringify(title)}`), itemCtx).item!;
        b.byKey.set(item.key, [item]);
      }
      return b;
    },
    run: (b: Backlog) => `${backlogHealth(b, { today: '2026-11-21', ...DEFAULT_HEALTH_OPTIONS }).findings.length} findings`,
  },
  {
    name: 'a title of `a`, spaces, `x`',
    reader: 'Markdown exports (escaping)',
    make: (n) => fill(n, ' ', 'a', 'x'),
    run: (text: string) => `${escapeMarkdown(text).length} characters`,
  },
  {
    name: '`// TODO`, spaces, `x`',
    reader: 'TODO matcher',
    make: (n) => fill(n, ' ', '// TODO', 'x'),
    run: (text: string) => `${todos.findInText(text, ts).length} TODO`,
  },
  {
    name: '`// TODO(`, spaces, `x`',
    reader: 'TODO matcher',
    make: (n) => fill(n, ' ', '// TODO(', 'x'),
    run: (text: string) => `${todos.findInText(text, ts).length} TODO`,
  },
  {
    name: '`// ` then `TODO ` again and again',
    reader: 'TODO matcher',
    make: (n) => fill(n, 'TODO ', '// '),
    run: (text: string) => `${todos.findInText(text, ts).length} TODOs`,
  },
];

interface Measured {
  /** Milliseconds of each run; empty when the case did not finish. */
  ms: number[];
  rssMB?: number;
  outcome: string;
  timedOut?: boolean;
}

/** In the child: one case at one size. A first run that takes long is the only one. */
function measureHere(c: Case, bytes: number): Measured {
  const input = c.make(bytes);
  const ms: number[] = [];
  let outcome = '';
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    outcome = c.run(input as never);
    ms.push(performance.now() - t);
    if (ms.reduce((a, b) => a + b, 0) > 3000) break;
  }
  return { ms, rssMB: process.resourceUsage().maxRSS / 1024, outcome };
}

function measure(c: Case, bytes: number): Measured {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', __filename, '--case', String(CASES.indexOf(c)), '--bytes', String(bytes)], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
    timeout: TIMEOUT_S * 1000,
    maxBuffer: 1 << 20,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { ms: [], outcome: `stopped after ${TIMEOUT_S} s`, timedOut: true };
  if (r.status !== 0) {
    // The process died: V8 ran out of memory or stack, or something threw.
    const why = /FATAL ERROR: ([^\n]+)/.exec(r.stderr)?.[1] ?? /^\w*Error: [^\n]+/m.exec(r.stderr)?.[0] ?? (r.signal ? `killed by ${r.signal}` : `exit ${r.status}`);
    return { ms: [], outcome: `crashed: ${why.trim()}` };
  }
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]) as Measured;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtMs = (m: Measured) => (m.timedOut ? `> ${(TIMEOUT_S * 1000).toLocaleString('en')}` : m.ms.length === 0 ? '–' : median(m.ms) < 10 ? median(m.ms).toFixed(1) : median(m.ms).toFixed(0));
const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`);

async function main() {
  const results: { case: string; reader: string; sizes: { bytes: number; result: Measured }[] }[] = [];
  const rows: string[] = [];
  for (const c of CASES.filter((x) => !ONLY || ONLY.test(`${x.reader} ${x.name}`))) {
    const sizes = SIZES.map((bytes) => ({ bytes, result: measure(c, bytes) }));
    results.push({ case: c.name, reader: c.reader, sizes });
    const [small, big] = sizes.map((s) => s.result);
    const ratio = small.ms.length && big.ms.length ? median(big.ms) / Math.max(median(small.ms), 0.1) : undefined;
    const growth = ratio === undefined ? '–' : `${ratio.toFixed(ratio < 1 ? 1 : 0)}×`;
    const rss = big.rssMB !== undefined ? big.rssMB.toFixed(0) : '–';
    console.log(`${c.reader} | ${c.name}: ${fmtMs(small)} ms → ${fmtMs(big)} ms (${growth}), ${rss} MB; ${big.outcome}`);
    rows.push(`| ${c.reader} | ${c.name} | ${fmtMs(small)} | ${fmtMs(big)} | ${growth} | ${rss} | ${big.outcome} |`);
  }
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the end`;
  const table = [
    `| Reader | Input (repeated to the size) | ${kib(SIZES[0])}, ms | ${kib(SIZES[1])}, ms | Growth | Peak RSS at ${kib(SIZES[1])}, MB | What came out at ${kib(SIZES[1])} |`,
    '|---|---|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
  console.log(`\n${table}`);
  if (ONLY) return; // Some cases only: printed, not written over the whole table.
  const slowest = results
    .map((r) => ({ name: `${r.reader}: ${r.case}`, ms: r.sizes[1].result.timedOut ? Infinity : median(r.sizes[1].result.ms) }))
    .sort((a, b) => b.ms - a.ms)[0];
  const docPath = path.join(__dirname, '..', 'docs', 'benchmarks.md');
  const doc = await fs.readFile(docPath, 'utf8');
  const start = '<!-- bench:hostile:start -->';
  const end = '<!-- bench:hostile:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}. Times are the median of up to five runs in a fresh process (one, when a run takes seconds); growth is the ${kib(SIZES[1])} time over the ${kib(SIZES[0])} time, about 10× when linear.\n\n${table}\n${end}`;
  const intro = [
    '`npm run bench:hostile` feeds every parser and matcher of backlog files the worst inputs known for it, at 100 KiB and 1 MiB, each in a fresh process stopped after 30 s: YAML nested in the forms that used to get past the nesting check (a quote inside a plain scalar, an escaped or doubled quote, `?` keys, `a: b: c` chains), a hundred thousand keys, values or errors, aliases, an `@handle` followed by a run of spaces, an item body of thousands of criteria sections, titles ending in long runs of punctuation, and lines of spaces or tags for the TODO matcher. Linear code takes about ten times as long for ten times the input; a quadratic one a hundred times, which the 30 s limit cuts short.',
  ].join('\n');
  const next = doc.includes(start) ? doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n## Hostile files\n\n${intro}\n\n${block}\n`;
  await fs.writeFile(docPath, next);
  await fs.mkdir(path.join(__dirname, '..', 'bench-results'), { recursive: true });
  await fs.writeFile(path.join(__dirname, '..', 'bench-results', 'hostile.json'), JSON.stringify({ machine, date: new Date().toISOString(), timeoutSeconds: TIMEOUT_S, sizes: SIZES, slowest, results }, null, 2));
  console.log('\nWrote docs/benchmarks.md and bench-results/hostile.json');
}

const caseArg = process.argv.indexOf('--case');
if (caseArg !== -1) {
  const c = CASES[Number(process.argv[caseArg + 1])];
  const bytes = Number(process.argv[process.argv.indexOf('--bytes') + 1]);
  console.log(JSON.stringify(measureHere(c, bytes)));
} else {
  void main();
}
