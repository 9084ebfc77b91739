// `npm run bench:backlogmd`: Backlog Atlas's command line against Backlog.md's own, as whole
// processes, on the generator's backlogs of 1,000, 10,000 and 50,000 items (BENCH_BACKLOGMD_SIZES),
// for the cost against size too. Backlog.md runs only up to BENCH_BACKLOGMD_THEIRS_MAX items
// (10,000): at 50,000 one run of it takes minutes here, and ours are timed alone:
// `backlog-atlas list --all` (node dist/cli.js) against `backlog task list --plain`. Prints a
// markdown table and writes bench-results/backlogmd.json; `runBacklogMdBench` returns the same
// figures to a caller (bench/index.ts) that puts them into docs/benchmarks.md.
//
// Backlog.md is not a dependency of the extension: the first run installs the pinned version from
// npm into ~/.cache/backlog-atlas/bench/backlog.md-<version> and later runs reuse it.
//
// What makes the comparison fair:
// - Same items. Before timing, both programs run once on each backlog and the sets of ids they
//   print must be equal, and every id must sit under the same status; otherwise the run fails
//   with the first differences. `task list --plain` prints every task in `tasks/` whatever its
//   status, grouped by status, and leaves out `drafts/`, `completed/` and `archive/`; our
//   `list --all` prints every item in every folder. The generator writes into `tasks/` only (its
//   rule for `completed/` asks for a Done item whose number is a multiple of 8, which never
//   happens), so the two scopes are the same items there, and the check proves it on every run.
// - Whole processes, start-up included, each printing everything into a file, which is checked
//   (line count) after the clock stops. Not into a pipe: Backlog.md is a compiled Bun program
//   that puts its stdout into non-blocking mode, and Bun's console.log drops whatever a full pipe
//   refuses, so through a pipe from Node it lost from none to three quarters of its lines at
//   random here (exit code 0) and did less work than printing the list. A file takes every write.
// - Backlog.md's platform binary itself: npm's `backlog` command is a Node script that starts it,
//   and timing that would add a second process to its side.
// - A plain folder, not a git repository, as `backlog init --no-git` sets up: Backlog.md then
//   reads the files alone (under strace it starts no other process for `task list`).
// - Same environment for both (CI=1, NO_COLOR=1, stdin closed so that nothing can prompt), a
//   warm-up run each, then the runs interleaved: ours cold, ours warm, theirs, the floor, ours
//   cold…
// - Ours twice: cold (`--no-cache`: every file read and parsed) and warm (the index cache that
//   the first run left in a cache folder made for the bench, XDG_CACHE_HOME, outside the project;
//   each warm run finds every file unchanged). Backlog.md keeps no cache, so its runs are all cold.
// - The floor: a Node process that only lists `tasks/` and reads every file in it, synchronously,
//   and prints their count: what no Node program reading these files can beat. And the warm
//   floor: one that only lists `tasks/` and `lstat`s every file in it, what a warm run must do at
//   least to know that no file changed (a file's folder keeps its times when the file is edited
//   in place), before it loads anything of its own.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { closeSync, existsSync, openSync, promises as fs, readFileSync } from 'fs';
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { generateBacklog } from './generate';

/** The Backlog.md release measured; BENCH_BACKLOGMD_VERSION picks another. */
export const BACKLOG_MD_VERSION = '1.52.0';

export interface BacklogMdSizeResult {
  /** Items the generator wrote. */
  items: number;
  /** Ids both programs listed, checked equal (as sets, and status by status) before timing. */
  sameItems: number;
  /** Wall-clock ms of each timed run of `node dist/cli.js list --all --no-cache` (cold). */
  ours: number[];
  /** Wall-clock ms of each timed run of `node dist/cli.js list --all` with its cache filled (warm). */
  oursWarm: number[];
  /** Wall-clock ms of each timed run of `backlog task list --plain`; empty above BENCH_BACKLOGMD_THEIRS_MAX items. */
  theirs: number[];
  /** Wall-clock ms of each run of a Node process that only reads the files (the floor). */
  floor: number[];
  /** Wall-clock ms of each run of a Node process that only stats the files (the warm floor); absent in results from before it was timed. */
  statFloor?: number[];
  oursMedian: number;
  oursWarmMedian: number;
  theirsMedian: number;
  floorMedian: number;
  statFloorMedian?: number;
  /** theirsMedian / oursMedian: above 1, Backlog Atlas is faster, cold (null in JSON when Backlog.md was not run). */
  ratio: number;
  /** theirsMedian / oursWarmMedian. */
  warmRatio: number;
  /** The 1-minute load average before and after this size's runs. */
  load: [number, number];
}

export interface BacklogMdResult {
  machine: string;
  date: string;
  runs: number;
  versions: { backlogAtlas: string; backlogMd: string; node: string };
  commands: { backlogAtlas: string; backlogMd: string; floor: string; statFloor?: string };
  results: BacklogMdSizeResult[];
}

const repoRoot = path.resolve(__dirname, '..');
const cliPath = path.join(repoRoot, 'dist', 'cli.js');
const OURS_ARGS = ['list', '--all'];
const COLD_ARGS = [...OURS_ARGS, '--no-cache'];
const THEIRS_ARGS = ['task', 'list', '--plain'];
/** The read-only floor: list tasks/ and read every file in it, as a program that did nothing else would. */
const FLOOR_SCRIPT =
  "const fs=require('fs');const d='backlog/tasks/';let n=0;for(const f of fs.readdirSync(d)){fs.readFileSync(d+f);n++}console.log(n)";
const STAT_FLOOR_SCRIPT =
  "const fs=require('fs');const d='backlog/tasks/';let n=0;for(const f of fs.readdirSync(d)){fs.lstatSync(d+f);n++}console.log(n)";
// The bench's own cache home, so that warm runs never touch (or leave caches in) the user's.
const CACHE_HOME = path.join(os.tmpdir(), `atlas-backlogmd-cache-${process.pid}`);
const ENV = { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', XDG_CACHE_HOME: CACHE_HOME, BACKLOG_ATLAS_NO_CACHE: '' };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The last lines of a child's output, for error messages. */
function tail(text: string | Buffer | null | undefined, lines = 15): string {
  return String(text ?? '').trim().split('\n').slice(-lines).join('\n');
}

/**
 * Runs a program to completion with its standard output going into `outFile` (truncated first),
 * and returns the wall-clock ms of the whole process; throws with its stderr when it cannot start
 * or exits non-zero. The clock covers the spawn alone: opening and reading the file are outside.
 */
function run(file: string, args: string[], cwd: string, outFile: string): number {
  const fd = openSync(outFile, 'w');
  let r: SpawnSyncReturns<string>;
  let elapsed: number;
  try {
    const t = performance.now();
    r = spawnSync(file, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', fd, 'pipe'], maxBuffer: 1 << 30 });
    elapsed = performance.now() - t;
  } finally {
    closeSync(fd);
  }
  if (r.error) throw new Error(`Could not run ${file} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.status ?? r.signal} in ${cwd}:\n${tail(r.stderr)}`);
  return elapsed;
}

/** Runs a program as `run` does and returns what it printed. */
function output(file: string, args: string[], cwd: string, outFile: string): string {
  run(file, args, cwd, outFile);
  return readFileSync(outFile, 'utf8');
}

/** Lines in a file, counted without decoding it. */
function lineCount(file: string): number {
  const b = readFileSync(file);
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Backlog.md, installed on demand.

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'backlog-atlas', 'bench');
}

/** The platform binary inside an installed `backlog.md`, found the way its own cli.js finds it. */
function resolveBinary(prefix: string): string | undefined {
  const pkg = path.join(prefix, 'node_modules', 'backlog.md', 'package.json');
  if (!existsSync(pkg)) return undefined;
  try {
    const load = createRequire(pkg);
    const { resolveBinaryPath } = load('./resolveBinary.cjs') as { resolveBinaryPath: () => string };
    return resolveBinaryPath();
  } catch {
    return undefined;
  }
}

/** `backlog --version` of a binary, or undefined when it does not run. */
function binaryVersion(binary: string): string | undefined {
  const r = spawnSync(binary, ['--version'], { env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Installs `backlog.md@version` (with its binary for this platform) into the cache unless it is
 * there already, checks that the binary runs and reports that version, and returns its path.
 */
export async function installBacklogMd(version = process.env.BENCH_BACKLOGMD_VERSION || BACKLOG_MD_VERSION): Promise<{ binary: string; version: string; prefix: string }> {
  const prefix = path.join(cacheRoot(), `backlog.md-${version}`);
  let binary = resolveBinary(prefix);
  let reported = binary && binaryVersion(binary);
  if (!binary || reported !== version) {
    // Install beside the final folder and move it into place, so that an interrupted install
    // is never taken for a finished one.
    const staging = `${prefix}.installing-${process.pid}`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true });
    console.log(`Installing backlog.md@${version} from npm into ${prefix}…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', staging, `backlog.md@${version}`], {
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      timeout: 10 * 60_000,
    });
    if (r.error || r.status !== 0) {
      await fs.rm(staging, { recursive: true, force: true });
      throw new Error(
        `Could not install backlog.md@${version} with npm (${r.error?.message ?? `exit ${r.status ?? r.signal}`}). ` +
          `The benchmark needs the npm registry once; later runs reuse ${prefix}.\n${tail(r.stderr || r.stdout)}`,
      );
    }
    await fs.rm(prefix, { recursive: true, force: true });
    await fs.rename(staging, prefix);
    binary = resolveBinary(prefix);
    if (!binary) {
      throw new Error(
        `backlog.md@${version} installed into ${prefix}, but its binary for ${process.platform}-${process.arch} ` +
          `(the optional dependency backlog.md-${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}) is missing. ` +
          'npm skips optional dependencies with --omit=optional or when the platform is not supported.',
      );
    }
    reported = binaryVersion(binary);
  }
  if (reported !== version) throw new Error(`${binary} --version gave ${JSON.stringify(reported ?? 'nothing (it did not run)')}, expected ${version}.`);
  return { binary, version, prefix };
}

// ---------------------------------------------------------------------------------------------
// Same items: what each program printed, as ids with their status.

/** One id, compared as both programs compare them: case-insensitively, `BL-01` as `BL-1`. */
export function idKey(id: string): string {
  return id.toUpperCase().replace(/(^|[-.])0+(?=\d)/g, '$1');
}

/** `backlog task list --plain`: a `Status:` heading, then lines `  [PRIORITY] [type] ID - title …`. */
export function parseBacklogMdList(stdout: string): Map<string, string> {
  const items = new Map<string, string>();
  let status: string | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const heading = /^(\S.*):\s*$/.exec(line);
    if (heading) {
      status = heading[1];
      continue;
    }
    const m = /^\s+(?:\[[^\]]*\]\s+)*([A-Za-z][\w]*-\d+(?:\.\d+)*) - /.exec(line);
    if (!m || status === undefined) throw new Error(`Unexpected line in Backlog.md's output: ${JSON.stringify(line)}`);
    items.set(idKey(m[1]), status);
  }
  return items;
}

/** Our `list --all`: one item a line, the id first. */
export function parseOurList(stdout: string): Set<string> {
  return new Set(stdout.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => idKey(l.trim().split(/\s+/)[0])));
}

/**
 * Where Backlog.md is not run: ours once, plain and JSON, which must list the same ids, each of
 * the `size` the generator wrote (`BL-1` … `BL-<size>`) once.
 */
export function checkOurItems(dir: string, outFile: string, size: number): { count: number; oursLines: number; theirsLines: number } {
  const oursOut = output(process.execPath, [cliPath, ...OURS_ARGS], dir, outFile);
  const ours = parseOurList(oursOut);
  const json = JSON.parse(output(process.execPath, [cliPath, ...OURS_ARGS, '--json'], dir, outFile)) as { id: string }[];
  const jsonIds = new Set(json.map((i) => idKey(i.id)));
  const missing: string[] = [];
  for (let n = 1; n <= size && missing.length < 10; n++) if (!ours.has(`BL-${n}`) || !jsonIds.has(`BL-${n}`)) missing.push(`BL-${n}`);
  if (ours.size !== size || jsonIds.size !== size || json.length !== size || missing.length > 0) {
    throw new Error(`Backlog Atlas listed ${ours.size} items (${json.length} in JSON) of the ${size} generated in ${dir}${missing.length ? `; missing ${missing.join(', ')}` : ''}.`);
  }
  return { count: ours.size, oursLines: oursOut.split('\n').length - 1, theirsLines: 0 };
}

/** Runs both once and throws, naming the first differences, unless they list the same items. */
export function checkSameItems(binary: string, dir: string, outFile: string): { count: number; oursLines: number; theirsLines: number } {
  const oursOut = output(process.execPath, [cliPath, ...OURS_ARGS], dir, outFile);
  const theirsOut = output(binary, THEIRS_ARGS, dir, outFile);
  const ours = parseOurList(oursOut);
  const theirs = parseBacklogMdList(theirsOut);
  const onlyOurs = [...ours].filter((id) => !theirs.has(id));
  const onlyTheirs = [...theirs.keys()].filter((id) => !ours.has(id));
  // Statuses too, from our JSON (the plain columns are padded text): the same file read the same way.
  const json = JSON.parse(output(process.execPath, [cliPath, ...OURS_ARGS, '--json'], dir, outFile)) as { id: string; status: string; path: string }[];
  const ourStatus = new Map(json.map((i) => [idKey(i.id), i]));
  const statusDiffs = [...theirs].filter(([id, s]) => ourStatus.has(id) && ourStatus.get(id)!.status.toLowerCase() !== s.toLowerCase());
  if (onlyOurs.length || onlyTheirs.length || statusDiffs.length || ourStatus.size !== ours.size) {
    const where = (id: string) => (ourStatus.get(id) ? ` (${ourStatus.get(id)!.path})` : '');
    throw new Error(
      [
        `The two programs do not list the same items in ${dir}: Backlog Atlas ${ours.size}, Backlog.md ${theirs.size}; not timing different work.`,
        onlyOurs.length ? `Only Backlog Atlas (${onlyOurs.length}): ${onlyOurs.slice(0, 10).map((id) => id + where(id)).join(', ')}` : '',
        onlyTheirs.length ? `Only Backlog.md (${onlyTheirs.length}): ${onlyTheirs.slice(0, 10).join(', ')}` : '',
        statusDiffs.length ? `Different status (${statusDiffs.length}): ${statusDiffs.slice(0, 10).map(([id, s]) => `${id} ours "${ourStatus.get(id)!.status}", theirs "${s}"`).join('; ')}` : '',
        ourStatus.size !== ours.size ? `Our --json listed ${ourStatus.size} items, the plain list ${ours.size}.` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }
  return { count: ours.size, oursLines: oursOut.split('\n').length - 1, theirsLines: theirsOut.split('\n').length - 1 };
}

// ---------------------------------------------------------------------------------------------
// Timing.

/** Wall-clock ms of one whole process; its output must be as long as in the check run. */
function timeOnce(file: string, args: string[], cwd: string, outFile: string, expectLines: number): number {
  const elapsed = run(file, args, cwd, outFile);
  const lines = lineCount(outFile);
  if (lines !== expectLines) throw new Error(`${path.basename(file)} ${args.join(' ')} printed ${lines} lines, ${expectLines} in the check run.`);
  return elapsed;
}

function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Builds both backlogs, checks both programs list the same items, then times them. */
export async function runBacklogMdBench(options: { sizes?: number[]; runs?: number } = {}): Promise<BacklogMdResult> {
  const sizes = options.sizes ?? (process.env.BENCH_BACKLOGMD_SIZES ?? '1000,10000,50000').split(',').map(Number);
  const theirsMax = Number(process.env.BENCH_BACKLOGMD_THEIRS_MAX ?? 10000);
  const runs = options.runs ?? Number(process.env.BENCH_BACKLOGMD_RUNS ?? 5);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0) || !Number.isInteger(runs) || runs < 1) throw new Error(`Bad sizes (${sizes.join(',')}) or runs (${runs}).`);
  if (!existsSync(cliPath)) {
    console.log('Building dist/cli.js…');
    const log = path.join(os.tmpdir(), `atlas-backlogmd-build-${process.pid}.log`);
    try {
      run(process.execPath, ['esbuild.js'], repoRoot, log);
    } finally {
      await fs.rm(log, { force: true });
    }
  }
  const { binary, version } = await installBacklogMd();
  const ourVersion = (JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const results: BacklogMdSizeResult[] = [];
  for (const size of sizes) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `atlas-backlogmd-${size}-`));
    try {
      const cwd = path.join(dir, 'project');
      await generateBacklog(cwd, size);
      // Beside the project folder, not in it, so that neither program comes across it.
      const outFile = path.join(dir, 'stdout.txt');
      const withTheirs = size <= theirsMax;
      const check = withTheirs ? checkSameItems(binary, cwd, outFile) : checkOurItems(cwd, outFile, size);
      console.log(
        withTheirs
          ? `${size} items: both list the same ${check.count} items; timing ${runs} runs each…`
          : `${size} items: ours lists all ${check.count}; Backlog.md is not run above ${theirsMax} items; timing ${runs} runs each…`,
      );
      const before = os.loadavg()[0];
      // Warm-ups: the warm runs' cache is filled by the first of them and settled by the next
      // (entries made within seconds of a file's change are checked by content until then).
      timeOnce(process.execPath, [cliPath, ...COLD_ARGS], cwd, outFile, check.oursLines);
      timeOnce(process.execPath, [cliPath, ...OURS_ARGS], cwd, outFile, check.oursLines);
      if (withTheirs) timeOnce(binary, THEIRS_ARGS, cwd, outFile, check.theirsLines);
      timeOnce(process.execPath, [cliPath, ...OURS_ARGS], cwd, outFile, check.oursLines);
      timeOnce(process.execPath, ['-e', FLOOR_SCRIPT], cwd, outFile, 1);
      timeOnce(process.execPath, ['-e', STAT_FLOOR_SCRIPT], cwd, outFile, 1);
      const ours: number[] = [];
      const oursWarm: number[] = [];
      const theirs: number[] = [];
      const floor: number[] = [];
      const statFloor: number[] = [];
      for (let r = 0; r < runs; r++) {
        ours.push(timeOnce(process.execPath, [cliPath, ...COLD_ARGS], cwd, outFile, check.oursLines));
        oursWarm.push(timeOnce(process.execPath, [cliPath, ...OURS_ARGS], cwd, outFile, check.oursLines));
        if (withTheirs) theirs.push(timeOnce(binary, THEIRS_ARGS, cwd, outFile, check.theirsLines));
        floor.push(timeOnce(process.execPath, ['-e', FLOOR_SCRIPT], cwd, outFile, 1));
        statFloor.push(timeOnce(process.execPath, ['-e', STAT_FLOOR_SCRIPT], cwd, outFile, 1));
      }
      const oursMedian = median(ours);
      const oursWarmMedian = median(oursWarm);
      const theirsMedian = theirs.length > 0 ? median(theirs) : NaN;
      const floorMedian = median(floor);
      const statFloorMedian = median(statFloor);
      results.push({
        items: size,
        sameItems: check.count,
        ours,
        oursWarm,
        theirs,
        floor,
        statFloor,
        oursMedian,
        oursWarmMedian,
        theirsMedian,
        floorMedian,
        statFloorMedian,
        ratio: theirsMedian / oursMedian,
        warmRatio: theirsMedian / oursWarmMedian,
        load: [before, os.loadavg()[0]],
      });
      console.log(
        `  Backlog Atlas cold ${fmt(oursMedian)} ms, warm ${fmt(oursWarmMedian)} ms, ` +
          (withTheirs ? `Backlog.md ${fmt(theirsMedian)} ms (${(theirsMedian / oursMedian).toFixed(1)}× cold, ${(theirsMedian / oursWarmMedian).toFixed(1)}× warm), ` : 'Backlog.md not run, ') +
          `floor ${fmt(floorMedian)} ms, warm floor ${fmt(statFloorMedian)} ms; load ${before.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(CACHE_HOME, { recursive: true, force: true });
    }
  }
  return {
    machine: machineLine(),
    date: new Date().toISOString(),
    runs,
    versions: { backlogAtlas: ourVersion, backlogMd: version, node: process.version },
    commands: {
      backlogAtlas: `node dist/cli.js ${COLD_ARGS.join(' ')} (cold); node dist/cli.js ${OURS_ARGS.join(' ')} (warm)`,
      backlogMd: `backlog ${THEIRS_ARGS.join(' ')}`,
      floor: `node -e "${FLOOR_SCRIPT}"`,
      statFloor: `node -e "${STAT_FLOOR_SCRIPT}"`,
    },
    results,
  };
}

/**
 * Cost against size: how much longer the largest backlog took than the smallest one of at least
 * 10,000 items (or the smallest there is), against how many more items it has. Linear or better
 * when the first is at most the second.
 */
export function costAgainstSize(result: Pick<BacklogMdResult, 'results'>): { from: number; to: number; items: number; cold: number; warm: number; floor: number } | undefined {
  const rows = [...result.results].sort((a, b) => a.items - b.items);
  const to = rows[rows.length - 1];
  const from = rows.find((r) => r.items >= 10000 && r !== to) ?? rows[0];
  if (!to || !from || from === to) return undefined;
  return { from: from.items, to: to.items, items: to.items / from.items, cold: to.oursMedian / from.oursMedian, warm: to.oursWarmMedian / from.oursWarmMedian, floor: to.floorMedian / from.floorMedian };
}

/** The result as a markdown table, one row a size. */
export function backlogMdTable(result: BacklogMdResult): string {
  const span = (xs: number[] | undefined) => (xs && xs.length > 0 ? `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : '–');
  const times = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? `${x.toFixed(1)}×` : '–');
  const perItem = (xs: number[] | undefined, items: number) => (xs && xs.length > 0 ? fmt((median(xs) * 1000) / items) : '–');
  const cost = costAgainstSize(result);
  return [
    `| Items | Same items listed | Backlog Atlas \`list --all\`, cold (\`--no-cache\`), ms | Backlog Atlas, warm (cache filled), ms | Backlog.md \`task list --plain\`, ms | Floor: a Node process that only reads the files, ms | Warm floor: one that only stats them, ms | Backlog.md ÷ Backlog Atlas, cold | warm | Per item, cold / warm / floor, µs | Load average (before, after) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.results.map(
      (r) =>
        `| ${r.items.toLocaleString('en')} | ${r.sameItems.toLocaleString('en')}${r.theirs.length === 0 ? ' (ours alone)' : ''} | ${span(r.ours)} | ${span(r.oursWarm)} | ${span(r.theirs)} | ${span(r.floor)} | ${span(r.statFloor)} | ${times(r.ratio)} | ${times(r.warmRatio)} | ${perItem(r.ours, r.items)} / ${perItem(r.oursWarm, r.items)} / ${perItem(r.floor, r.items)} | ${r.load ? r.load.map((l) => l.toFixed(1)).join(', ') : '–'} |`,
    ),
    '',
    'Times are median (min–max) of the runs, whole processes (Node’s own start-up included), interleaved in one run.' +
      (result.results.some((r) => r.theirs.length === 0) ? ' Backlog.md is not run above 10,000 items (BENCH_BACKLOGMD_THEIRS_MAX): there one run of it takes minutes.' : '') +
      (cost
        ? ` Cost against size: ${cost.to.toLocaleString('en')} items against ${cost.from.toLocaleString('en')} (${cost.items.toFixed(1)}× the items) took ${cost.cold.toFixed(2)}× the time cold, ${cost.warm.toFixed(2)}× warm and ${cost.floor.toFixed(2)}× at the floor: ${cost.cold <= cost.items && cost.warm <= cost.items ? 'linear or better' : 'worse than linear'}.`
        : ''),
  ].join('\n');
}

async function main() {
  const result = await runBacklogMdBench();
  console.log(`\nBacklog Atlas ${result.versions.backlogAtlas} against Backlog.md ${result.versions.backlogMd}, ${result.runs} runs each after a warm-up, on ${result.machine}.\n`);
  console.log(backlogMdTable(result));
  const out = path.join(repoRoot, 'bench-results', 'backlogmd.json');
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nWrote ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
