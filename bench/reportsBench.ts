// `npm run bench:reports`: the Reports panel's cost on generated backlogs of 1,000 and 10,000
// items (BENCH_SIZES), each in a git repository with 2,000 commits (BENCH_COMMITS) of sprint work
// over the last months. Measures reading the history as the extension does (src/vscode/panels/
// gitHistoryReader.ts: `git log` and `git cat-file --batch` as child processes, their output
// parsed here) and building the panel's model from it, which the extension host does on every
// redraw. Figures go to stdout, docs/benchmarks.md and bench-results/reports.json.
//
// The parent builds each repository (with `git fast-import`, not thousands of `git commit`s) and
// measures it in a fresh Node process, so that peak memory is that size's alone. That process runs
// this file bundled by esbuild as esbuild.js bundles the extension: tsx's transform keeps function
// names (a `__name` call for every closure made), which slows the model build by a quarter or more.
import { execFileSync, spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Backlog } from '../src/core/backlog';
import { BacklogIndex } from '../src/core/backlogIndex';
import { BlobSlices, blobsToRead, CatFileParser, commitDay, gitLogArgs, GitCommit, HistoryReplay, parseGitLog, snapshotOfBlob } from '../src/core/history/gitHistory';
import { safeGit } from '../src/core/history/gitSafety';
import { findExecutable } from '../src/node/executables';
import { BacklogHistory, ItemSnapshot, Timeline, timelineSteps } from '../src/core/history/history';
import { MAX_ITEM_BYTES } from '../src/core/format/itemFile';
import { reportsModelSteps } from '../src/views/reports/reportsModel';
import { prepareTimelineSteps } from '../src/core/figures/timeline';
import { Steps } from '../src/core/steps';
import { joinPath } from '../src/core/workspace';
import { formatDate, formatDateTime } from '../src/core/writer';
import { NodeWorkspace } from '../src/cli/nodeWorkspace';
import { DEFAULT_REPORTS_OPTIONS, ReportKind, ReportsModel } from '../src/protocol/reportsProtocol';
import { generateBacklog } from './generate';

const RUNS = 5;
/** Git as the extension starts it: found outside the repository, with the repository's programs off. */
const GIT = findExecutable('git') ?? 'git';
const GIT_TIMEOUT_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
const KINDS: ReportKind[] = ['burndown', 'release', 'velocity'];

// ---------------------------------------------------------------------------------------------
// The repository: the generator's backlog, dated sprints and releases, then sprint work.

/** A small seeded generator: every run builds the same history, give or take where today falls. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ItemState {
  /** Path from the repository's top. */
  path: string;
  /** Front matter lines between the `---` fences (the assignee's list item is its own line). */
  fm: string[];
  body: string;
  epic: boolean;
  done: boolean;
  sprint?: number;
}

function field(fm: string[], key: string): string | undefined {
  const line = fm.find((l) => l.startsWith(`${key}:`));
  return line?.slice(key.length + 1).trim();
}

function setField(fm: string[], key: string, value: string | undefined): void {
  const i = fm.findIndex((l) => l.startsWith(`${key}:`));
  if (value === undefined) {
    if (i >= 0) fm.splice(i, 1);
  } else if (i >= 0) fm[i] = `${key}: ${value}`;
  else fm.push(`${key}: ${value}`);
}

const render = (item: ItemState) => `---\n${item.fm.join('\n')}\n---\n${item.body}`;

interface SprintPlan {
  id: string;
  start: string;
  /** The Friday of its second week. */
  end: string;
  /** First day after it: the next sprint's start (work on a weekend belongs to the sprint before). */
  until: string;
  state: 'closed' | 'active' | 'planned';
}

interface Built {
  commits: number;
  changes: number;
  sprints: SprintPlan[];
  releases: string[];
  firstCommit: string;
  lastCommit: string;
}

const addDays = (date: string, days: number) => formatDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

/**
 * Writes the backlog of `count` items under `folder/backlog` and a git history for it: one
 * commit with the whole backlog, then `commits` commits about two hours apart, up to an hour
 * ago, each changing 1–5 items as a team would (starting an item in the current sprint, finishing
 * one with its `completed_date`, re-estimating, moving one into this sprint or the next).
 */
async function buildRepository(folder: string, count: number, commits: number): Promise<Built> {
  const root = await generateBacklog(folder, count);
  const rand = random(count * 7919 + commits);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const now = Date.now();
  const last = Math.floor((now - 3_600_000) / 1000);
  const times: number[] = [];
  // Two hours apart, give or take 40 minutes: always in order, on every day of the week.
  for (let i = 0; i < commits; i++) times.push(last - (commits - 1 - i) * 7200 + (i === commits - 1 ? 0 : Math.round((rand() - 0.5) * 4800)));
  const initial = (times[0] ?? last) - 86_400;
  const today = formatDate(new Date(now));
  const historyStart = formatDate(new Date(initial * 1000));

  // Two-week sprints from Monday to the second Friday; the active one holds today.
  const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const closed = Math.max(1, Math.ceil((Date.parse(monday) - Date.parse(historyStart)) / (14 * DAY_MS)));
  const sprints: SprintPlan[] = [];
  for (let k = 0; k < closed + 3; k++) {
    const start = addDays(monday, (k - closed) * 14);
    sprints.push({ id: `S-${k + 1}`, start, end: addDays(start, 11), until: addDays(start, 14), state: k < closed ? 'closed' : k === closed ? 'active' : 'planned' });
  }
  const sprintsYml = ['sprints:', ...sprints.flatMap((s, k) => [`  - id: ${s.id}`, `    name: Sprint ${k + 1}`, `    start: '${s.start}'`, `    end: '${s.end}'`, `    goal: Sprint ${k + 1} goal`, '    capacity: 30', `    state: ${s.state}`])].join('\n') + '\n';
  const releases = [
    { id: 'R-1', name: 'Bench 1.0', date: sprints[closed + 1].end },
    { id: 'R-2', name: 'Bench 1.1', date: addDays(today, 91) },
    { id: 'R-3', name: 'Bench 2.0', date: addDays(today, 182) },
  ];
  const releasesYml = ['releases:', ...releases.flatMap((r) => [`  - id: ${r.id}`, `    name: ${r.name}`, `    date: '${r.date}'`])].join('\n') + '\n';
  await fs.writeFile(path.join(root, 'sprints.yml'), sprintsYml);
  await fs.writeFile(path.join(root, 'releases.yml'), releasesYml);
  const sprintAt = (day: string) => {
    const k = sprints.findIndex((s) => s.start <= day && day < s.until);
    return k < 0 ? 0 : k;
  };

  // The generator's items, with the history's start as their creation, the generator's sprint
  // field spread over the dated sprints, a release for three in four, and a completed date for
  // those already done.
  const items: ItemState[] = [];
  for (const dir of ['tasks', 'completed']) {
    for (const name of await fs.readdir(path.join(root, dir))) {
      const text = await fs.readFile(path.join(root, dir, name), 'utf8');
      const end = text.indexOf('\n---\n', 4);
      const fm = text.slice(4, end).split('\n');
      const n = Number(/^BL-(\d+)$/.exec(field(fm, 'id') ?? '')?.[1]);
      const epic = field(fm, 'type') === 'epic';
      const done = field(fm, 'status') === 'Done';
      const item: ItemState = { path: `backlog/${dir}/${name}`, fm, body: text.slice(end + 5), epic, done };
      setField(fm, 'created_date', `'${formatDateTime(new Date(initial * 1000))}'`);
      const sprint = field(fm, 'sprint');
      setField(fm, 'sprint', undefined);
      if (!epic) {
        if (sprint !== undefined) {
          item.sprint = n % sprints.length;
          setField(fm, 'sprint', sprints[item.sprint].id);
        }
        if (n % 4 !== 1) setField(fm, 'release', releases[n % releases.length].id);
        if (done) setField(fm, 'completed_date', `'${historyStart}'`);
      }
      items.push(item);
    }
  }
  items.sort((a, b) => a.path.localeCompare(b.path));
  const members = sprints.map(() => new Set<number>());
  items.forEach((it, i) => {
    if (it.sprint !== undefined) members[it.sprint].add(i);
  });
  const work = items.map((_, i) => i).filter((i) => !items[i].epic);

  const stream: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    stream.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  };
  const commit = (time: number, message: string, files: { path: string; text: string }[]) => {
    stream.push(Buffer.from(`commit refs/heads/main\nauthor Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n`));
    data(message);
    for (const f of files) {
      stream.push(Buffer.from(`M 100644 inline ${f.path}\n`));
      data(f.text);
    }
  };
  const planFiles = await Promise.all(['config.yml', 'sprints.yml', 'releases.yml'].map(async (f) => ({ path: `backlog/${f}`, text: await fs.readFile(path.join(root, f), 'utf8') })));
  commit(initial, 'Backlog', [...planFiles, ...items.map((it) => ({ path: it.path, text: render(it) }))]);

  const moveTo = (i: number, sprint: number | undefined) => {
    const it = items[i];
    if (it.sprint !== undefined) members[it.sprint].delete(i);
    it.sprint = sprint;
    if (sprint !== undefined) members[sprint].add(i);
    setField(it.fm, 'sprint', sprint === undefined ? undefined : sprints[sprint].id);
  };
  const openItem = () => {
    for (let tries = 0; tries < 50; tries++) {
      const i = pick(work);
      if (!items[i].done) return i;
    }
    return pick(work);
  };
  // A team finishes about a third of its changes' worth of items, but not more than half of the
  // open backlog over the whole history: a small backlog is not all done after a month.
  const open = work.filter((i) => !items[i].done).length;
  const pDone = Math.min(0.35, (0.5 * open) / (commits * 3));
  const [pStart, pEstimate] = [(0.3 / 0.65) * (1 - pDone), (0.2 / 0.65) * (1 - pDone)];
  let changes = 0;
  for (const time of times) {
    const date = new Date(time * 1000);
    const day = formatDate(date);
    const current = sprintAt(day);
    const touched = new Set<number>();
    const n = 1 + Math.floor(rand() * 5);
    for (let c = 0; c < n; c++) {
      const r = rand();
      let i: number;
      if (r < pStart) {
        // Started in this sprint.
        i = openItem();
        setField(items[i].fm, 'status', 'In Progress');
        setField(items[i].fm, 'completed_date', undefined);
        items[i].done = false;
        moveTo(i, current);
      } else if (r < pStart + pDone) {
        // Finished: mostly an open item of this sprint.
        const open = [...members[current]].filter((k) => !items[k].done);
        i = open.length > 0 && rand() < 0.9 ? pick(open) : openItem();
        if (items[i].sprint === undefined) moveTo(i, current);
        setField(items[i].fm, 'status', 'Done');
        setField(items[i].fm, 'completed_date', `'${day}'`);
        items[i].done = true;
      } else if (r < pStart + pDone + pEstimate) {
        // Re-estimated.
        i = pick(work);
        const before = field(items[i].fm, 'estimate');
        setField(items[i].fm, 'size', undefined);
        setField(items[i].fm, 'estimate', pick(['1', '2', '3', '5', '8'].filter((e) => e !== before)));
      } else {
        // Planned into this sprint or the next, or taken out of its sprint.
        i = openItem();
        const s = rand();
        moveTo(i, s < 0.1 ? undefined : s < 0.55 ? current : Math.min(current + 1, sprints.length - 1));
      }
      setField(items[i].fm, 'updated_date', `'${formatDateTime(date)}'`);
      touched.add(i);
      changes++;
    }
    commit(time, `Work on ${[...touched].map((i) => field(items[i].fm, 'id')).join(', ')}`, [...touched].map((i) => ({ path: items[i].path, text: render(items[i]) })));
  }

  const git = (args: string[], input?: Buffer) => {
    const safe = safeGit(args, process.env);
    const r = spawnSync(GIT, safe.args, { cwd: folder, input, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...safe.env, LC_ALL: 'C' }, timeout: GIT_TIMEOUT_MS });
    if (r.status !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr}`);
    return r.stdout;
  };
  git(['init', '--quiet', '-b', 'main']);
  git(['fast-import', '--quiet'], Buffer.concat(stream));
  // The working tree as HEAD has it: the generator's files go, git writes the last versions.
  await fs.rm(root, { recursive: true, force: true });
  git(['reset', '--quiet', '--hard', 'main']);
  return { commits: commits + 1, changes, sprints, releases: releases.map((r) => r.id), firstCommit: historyStart, lastCommit: formatDate(new Date(last * 1000)) };
}

// ---------------------------------------------------------------------------------------------
// One size, measured in its own process: the read as gitHistoryReader.ts does it, then the model.

/** The reader's git: the same arguments and environment (src/vscode/panels/gitHistoryReader.ts). */
function spawnGit(cwd: string, args: string[]) {
  const safe = safeGit(args, process.env, [['core.quotePath', 'false']]);
  return spawn(GIT, safe.args, { cwd, env: { ...safe.env, LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], shell: false, timeout: GIT_TIMEOUT_MS });
}

function runGit(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(err.trim() || `git ${args[0]} exited with ${code}`))));
  });
}

/**
 * `git cat-file --batch` streamed through the parser and handed on in slices, as
 * GitHistoryReader.catFile does; returns the longest time one turn (a chunk parsed, or a slice of
 * versions snapshotted) held the thread.
 */
function catFile(cwd: string, shas: string[], onBlob: (sha: string, bytes: Uint8Array) => void): Promise<{ longestChunk: number; chunks: number }> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, ['cat-file', '--batch']);
    const slices = new BlobSlices(onBlob);
    const parser = new CatFileParser(slices.add, MAX_ITEM_BYTES);
    let longestChunk = 0;
    let chunks = 0;
    let closed = false;
    let turn: ReturnType<typeof setImmediate> | undefined;
    const next = () => {
      turn = undefined;
      const t = performance.now();
      const more = slices.step();
      longestChunk = Math.max(longestChunk, performance.now() - t);
      if (more) turn = setImmediate(next);
      else if (closed) resolve({ longestChunk, chunks });
      else child.stdout.resume();
    };
    child.stdout.on('data', (c: Buffer) => {
      const t = performance.now();
      parser.push(c);
      longestChunk = Math.max(longestChunk, performance.now() - t);
      chunks++;
      if (slices.pending && !turn) {
        child.stdout.pause();
        turn = setImmediate(next);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file exited with ${code}`));
      closed = true;
      if (!turn) next();
    });
    child.stdin.on('error', reject);
    child.stdin.end(shas.join('\n') + '\n');
  });
}

interface ReadRun {
  logMs: number;
  parseMs: number;
  blobsMs: number;
  catFileMs: number;
  longestChunkMs: number;
  chunks: number;
  replayMs: number;
  replaySliceMs: number;
  wholeMs: number;
  commits: number;
  versions: number;
  history: BacklogHistory;
}

/**
 * A computation's steps as the Reports panel runs them, each in a turn of its own: its result,
 * the time of all its steps and of the longest.
 */
async function stepped<T>(steps: Steps<T>): Promise<{ value: T; ms: number; longest: number }> {
  let ms = 0;
  let longest = 0;
  for (;;) {
    const t = performance.now();
    const r = steps.next();
    const took = performance.now() - t;
    ms += took;
    longest = Math.max(longest, took);
    if (r.done) return { value: r.value, ms, longest };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** One read of the history, step by step as GitHistoryReader.read does it. */
async function readHistory(backlog: Backlog, cwd: string): Promise<ReadRun> {
  const t0 = performance.now();
  const out = (await runGit(cwd, ['rev-parse', '--show-prefix', 'HEAD'])).toString('utf8').split('\n');
  const prefix = out[0];
  const t1 = performance.now();
  const logBytes = await runGit(cwd, gitLogArgs(5000, '.'));
  const t2 = performance.now();
  const commits: GitCommit[] = parseGitLog(logBytes.toString('utf8'));
  const t3 = performance.now();
  const { blobs, cut } = blobsToRead(commits, prefix, 20000);
  const t4 = performance.now();
  const snapshots = new Map<string, ItemSnapshot | undefined>();
  const { longestChunk, chunks } = await catFile(cwd, [...blobs.keys()], (sha, bytes) => {
    for (const folder of blobs.get(sha) ?? []) snapshots.set(`${sha}\0${folder}`, snapshotOfBlob(backlog, joinPath(backlog.root, `${folder}/history.md`), folder, bytes));
  });
  const t5 = performance.now();
  // As the reader replays: a slice of changed files at a time, yielding between slices; the
  // longest slice is what holds the extension host.
  const replay = new HistoryReplay(prefix, snapshots, commitDay, commits.length < 5000 && !cut);
  const { ms: replayMs, longest: replaySliceMs } = await stepped(replay.addSteps(commits));
  const items = replay.timeline;
  const t6 = performance.now();
  if (cut || commits.length >= 5000) throw new Error('the history was cut: raise the limits or lower BENCH_COMMITS');
  return {
    logMs: t2 - t1,
    parseMs: t3 - t2,
    blobsMs: t4 - t3,
    catFileMs: t5 - t4,
    longestChunkMs: longestChunk,
    chunks,
    replayMs,
    replaySliceMs,
    wholeMs: t6 - t0,
    commits: commits.length,
    versions: blobs.size,
    history: { items, source: 'git', commits: commits.length, detail: `From ${commits.length} commits of the backlog folder in git, and the files as they are now.` },
  };
}

interface Measured {
  count: number;
  commits: number;
  versions: number;
  timelineEntries: number;
  indexMs: number;
  /** Per run, ms. */
  gitLog: number[];
  parseGitLog: number[];
  blobsToRead: number[];
  catFile: number[];
  catFileLongestChunk: number[];
  catFileChunks: number;
  replay: number[];
  whole: number[];
  timeline: number[];
  model: Record<ReportKind, number[]>;
  longest: { step: string; ms: number };
  figures: Record<string, unknown>;
  heapMB: number;
  maxRssMB: number;
}

async function measure(folder: string, count: number): Promise<Measured> {
  const index = new BacklogIndex(new NodeWorkspace(), { folders: [folder] });
  const ti = performance.now();
  await index.build();
  const indexMs = performance.now() - ti;
  const backlog = index.roots()[0];
  if (backlog.items().length !== count) throw new Error(`indexed ${backlog.items().length} of ${count}`);
  const cwd = backlog.root;
  // One read to warm git's and Node's caches; then the runs.
  await readHistory(backlog, cwd);
  const runs: ReadRun[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await readHistory(backlog, cwd));
  const history = runs[runs.length - 1].history;
  let timelineEntries = 0;
  for (const entries of history.items.values()) timelineEntries += entries.length;

  const today = formatDate(new Date());
  const sprint = backlog.activeSprint();
  const release = backlog.releases()[0];
  if (!sprint || !release) throw new Error('the generated backlog has no active sprint or no release');
  // The panel builds the timeline once per change of the index, the history or the day, and
  // keeps it across option changes: timed apart, as the first draw's extra cost. Like all that
  // follows, in steps, a turn of the event loop each as in the panel (src/core/steps.ts); the
  // first build is the one the panel makes with the code still cold.
  const timelineMs: number[] = [];
  const timelineStep: number[] = [];
  let timeline!: Timeline;
  for (let r = 0; r < RUNS; r++) {
    const run = await stepped(timelineSteps(backlog, history, today));
    timeline = run.value;
    timelineMs.push(run.ms);
    timelineStep.push(run.longest);
  }
  // Then what the figures read of it, once per timeline.
  const prepare = await stepped(prepareTimelineSteps(timeline));
  const ctx = { today, roots: ['backlog'], root: 'backlog', timeline, hasHistory: true, historyStatus: { source: 'git' as const, detail: history.detail }, nonWorkingDays: [0, 6] };
  const model = { burndown: [], release: [], velocity: [] } as Record<ReportKind, number[]>;
  const modelStep = { burndown: [], release: [], velocity: [] } as Record<ReportKind, number[]>;
  const last = {} as Record<ReportKind, ReportsModel>;
  // Interleaved, as a user switching reports would; the first round is the first draw.
  for (let r = 0; r < RUNS; r++) {
    for (const kind of KINDS) {
      const run = await stepped(reportsModelSteps(backlog, { ...DEFAULT_REPORTS_OPTIONS, report: kind, sprint: sprint.id, release: release.id }, ctx));
      last[kind] = run.value;
      model[kind].push(run.ms);
      modelStep[kind].push(run.longest);
    }
  }
  const b = last.burndown.burndown;
  const rel = last.release.release;
  const v = last.velocity.velocity;
  if (!b || !rel || !v || !last.burndown.chart || !last.release.chart || !last.velocity.chart) throw new Error(`a report is empty: ${last.burndown.empty ?? last.release.empty ?? last.velocity.empty}`);
  const figures = {
    burndown: { sprint: b.sprintId, days: b.days.length, committed: b.committed, committedSource: b.committedSource, scopeNow: b.scopeNow, completedNow: b.completedNow, changes: b.changes.length },
    release: { release: rel.releaseId, columns: rel.columns.length, baseline: rel.baseline, scopeNow: rel.scopeNow, completedNow: rel.completedNow, changes: rel.changes.length, velocity: rel.velocity, forecastDate: rel.forecastDate },
    velocity: { sprints: v.sprints.length, average: v.average, completed: v.sprints.map((s) => s.completed) },
  };

  const candidates: { step: string; ms: number }[] = [
    // The reader parses the log and picks the blobs to read in one turn, then streams them: each
    // chunk of `git cat-file` output, with the item versions it completes, is a turn of its own.
    { step: 'parseGitLog and blobsToRead', ms: Math.max(...runs.map((r) => r.parseMs + r.blobsMs)) },
    { step: 'one cat-file turn (a chunk, or a slice of its versions)', ms: Math.max(...runs.map((r) => r.longestChunkMs)) },
    { step: 'one slice of the replay', ms: Math.max(...runs.map((r) => r.replaySliceMs)) },
    { step: 'a step of the timeline', ms: Math.max(...timelineStep) },
    { step: 'a step of prepareTimeline', ms: prepare.longest },
    ...KINDS.map((k) => ({ step: `a step of the ${k} model`, ms: Math.max(...modelStep[k]) })),
  ];
  const longest = candidates.reduce((a, c) => (c.ms > a.ms ? c : a));
  return {
    count,
    commits: runs[0].commits,
    versions: runs[0].versions,
    timelineEntries,
    indexMs,
    gitLog: runs.map((r) => r.logMs),
    parseGitLog: runs.map((r) => r.parseMs),
    blobsToRead: runs.map((r) => r.blobsMs),
    catFile: runs.map((r) => r.catFileMs),
    catFileLongestChunk: runs.map((r) => r.longestChunkMs),
    catFileChunks: runs[0].chunks,
    replay: runs.map((r) => r.replayMs),
    whole: runs.map((r) => r.wholeMs),
    timeline: timelineMs,
    model,
    longest,
    figures,
    heapMB: process.memoryUsage().heapUsed / 1048576,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

// ---------------------------------------------------------------------------------------------
// The parent: a repository per size, a child process to measure it, then the tables.

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const spread = (xs: number[]) => `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
const sum = (...series: number[][]) => series[0].map((_, i) => series.reduce((a, s) => a + s[i], 0));

const SECTION = `## The Reports panel and git history

\`npm run bench:reports\` puts generated backlogs of 1,000 and 10,000 items (the generator above, with dated two-week sprints, one active today, and three releases) in a git repository: one commit of the whole backlog, then 2,000 commits about two hours apart over the last five and a half months, each starting, finishing, re-estimating or planning 1–5 items. In a fresh Node process running the code as esbuild bundles it for the extension, it reads the history as \`src/vscode/panels/gitHistoryReader.ts\` does (\`git log\`, then \`git cat-file --batch\` streamed through the parser, its item versions parsed a slice per turn; 5 runs after a warm-up read), then builds the timeline (every item's versions and the files as they are now; the panel builds it once per change of the files, the history or the day; 5 builds, the first with the code still cold), what the figures read of it (\`prepareTimeline\`: its tracks, and which tracks each sprint and release had), and the panel's model for each report, as the extension host does on every redraw (5 runs; the first is the first draw). The panel runs each of these in steps, one turn of the event loop each (\`src/core/steps.ts\`), and so does the bench: the table gives the time of all of a computation's steps, the longest step the time of one. Git's own work runs in its processes, but parsing \`git log\`, each chunk of \`cat-file\` output and each slice of its versions, each slice of the replay and each step of the model hold the extension host's thread, and a step over about 50 ms is a visible stall in the editor.`;

async function main() {
  if (process.argv[2] === 'measure') {
    const r = await measure(process.argv[3], Number(process.argv[4]));
    console.log(JSON.stringify(r));
    return;
  }
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
  const commits = Number(process.env.BENCH_COMMITS ?? 2000);
  const results: (Measured & { built: Built; buildMs: number })[] = [];
  const bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-reports-bundle-'));
  const bundle = path.join(bundleDir, 'reportsBench.js');
  // Loaded here only: the bundle that the measuring process runs never reaches this line.
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({ entryPoints: [__filename], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['esbuild'], logLevel: 'warning' });
    for (const size of sizes) {
      const folder = await fs.mkdtemp(path.join(os.tmpdir(), `atlas-reports-${size}-`));
      try {
        const t = performance.now();
        const built = await buildRepository(folder, size, commits);
        const buildMs = performance.now() - t;
        const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
        const out = execFileSync(process.execPath, [...profile, bundle, 'measure', folder, String(size)], { encoding: 'utf8', maxBuffer: 1 << 26 });
        const r = JSON.parse(out.trim().split('\n').pop() ?? '') as Measured;
        results.push({ ...r, built, buildMs });
        console.log(
          `${size} items, ${r.commits} commits (${built.changes} item changes, repository built in ${(buildMs / 1000).toFixed(1)} s), ${r.versions} versions, ${r.timelineEntries} timeline entries: ` +
            `read ${ms(median(r.whole))} ms, models ${KINDS.map((k) => `${k} ${ms(median(r.model[k]))}`).join(', ')} ms; longest synchronous step ${r.longest.step} ${ms(r.longest.ms)} ms; peak RSS ${r.maxRssMB.toFixed(0)} MB`,
        );
        console.log(`  ${JSON.stringify(r.figures)}`);
      } finally {
        await fs.rm(folder, { recursive: true, force: true });
      }
    }
  } finally {
    await fs.rm(bundleDir, { recursive: true, force: true });
  }

  const git = spawnSync(GIT, safeGit(['version'], process.env).args, { encoding: 'utf8', timeout: GIT_TIMEOUT_MS }).stdout.trim();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, ${git}`;
  const rows = results.map(
    (r) =>
      `| ${r.count.toLocaleString('en')} | ${r.commits.toLocaleString('en')} | ${r.versions.toLocaleString('en')} | ${spread(sum(r.gitLog, r.parseGitLog))} | ${spread(sum(r.blobsToRead, r.catFile))} | ${spread(r.replay)} | ${spread(r.whole)} | ${spread(r.timeline)} | ${KINDS.map((k) => spread(r.model[k])).join(' | ')} |`,
  );
  const table = [
    '| Items | Commits | Versions read | `git log` + parse, ms | `cat-file` + parse, ms | Replay, ms | Whole read, ms | Timeline, ms | Model: burndown, ms | Model: release, ms | Model: velocity, ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  const steps = results
    .map((r) => `${r.count.toLocaleString('en')} items: ${r.longest.step}, ${ms(r.longest.ms)} ms (parseGitLog ${ms(Math.max(...r.parseGitLog))}, blobsToRead ${ms(Math.max(...r.blobsToRead))}, the whole replay ${ms(Math.max(...r.replay))} in slices, one \`cat-file\` turn ${ms(Math.max(...r.catFileLongestChunk))}); peak RSS ${r.maxRssMB.toFixed(0)} MB`)
    .join('. ');
  const longestLine = `Longest synchronous step on the extension host (worst of all runs): ${steps}. Figures are median (min–max).`;
  console.log(`\n${table}\n\n${longestLine}`);

  await fs.mkdir('bench-results', { recursive: true });
  await fs.writeFile('bench-results/reports.json', JSON.stringify({ machine, date: new Date().toISOString(), runs: RUNS, commits, results }, null, 2));
  const doc = await fs.readFile('docs/benchmarks.md', 'utf8');
  const start = '<!-- bench:reports:start -->';
  const end = '<!-- bench:reports:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${table}\n\n${longestLine}\n${end}`;
  const next = doc.includes(start) ? doc.slice(0, doc.indexOf(start)) + block + doc.slice(doc.indexOf(end) + end.length) : `${doc.trimEnd()}\n\n${SECTION}\n\n${block}\n`;
  await fs.writeFile('docs/benchmarks.md', next);
  console.log('\nWrote docs/benchmarks.md and bench-results/reports.json');
}

void main();
