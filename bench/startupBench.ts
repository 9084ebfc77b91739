// `npm run bench:startup` (or `npx tsx bench/startupBench.ts` after `node esbuild.js`): opens
// generated backlogs of 100 and 10,000 items (bench/generate.ts, plus 4 dated releases that one
// item in three is in; BENCH_SIZES=100,10000 overrides the sizes) in the test host's workbench (code-server and Chromium
// through Playwright, as test/host/runUi.ts does) and measures, in 3 fresh windows (BENCH_RUNS):
//
// - activation: the extension's own log lines ("Activated in N ms", "Indexed 1 backlog(s), N
//   items in N ms"), VS Code's activation time as "Developer: Show Running Extensions" shows it
//   (loading the code plus the activate() call), and when the extension host activated it;
// - the first row painted in each of the Sprints, Releases and Product Backlog views, from the
//   workbench being visible and from the page's navigation start.
//
// Each window is a new code-server with a fresh user-data folder and a new browser: nothing is
// cached but the operating system's file cache (the extension's index cache starts empty). The Backlog container is opened by a click on its
// activity bar tab as soon as the tab shows, as the UI tests do. Then the page is reloaded, and
// the same is measured with the container restored by the workbench (no click), as when a user
// who left it open starts VS Code again: the reopened window, whose index comes from the cache
// the first one wrote (the reload waits for its "Index cache: saved" log line).
//
// The page's times come from a script Playwright adds before the workbench loads: a
// requestAnimationFrame loop that notes the first frame in which each thing is in the DOM and has
// a size (that frame paints it), and the page's long tasks. Log times are converted to the same
// clock through performance.timeOrigin (same machine, same clock). Prints a table and writes JSON
// to BACKLOG_ATLAS_BENCH_JSON (default bench-results/startup.json); `runStartupBench()` does the same.
import { promises as fs } from 'fs';
import * as fsSync from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../test/host/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../test/host/codeServer';
import { runCommand } from '../test/ui/webviews';
import { generateBacklog } from './generate';
import { Figure, figure, machine, ms, range, writeResult } from './hostBench';

const REPO_ROOT = path.resolve(__dirname, '..');
const EXTENSION_ID = 'backlog-atlas.backlog-atlas';
/** Long tasks of the page at least this long count as visible stalls. */
const STALL_MS = 100;

/** What the page's probe notes, in ms since the page's navigation start. */
interface PageMarks {
  timeOrigin: number;
  domContentLoaded?: number;
  load?: number;
  workbench?: number;
  backlogTab?: number;
  click?: number;
  container?: number;
  sprints?: number;
  releases?: number;
  product?: number;
  done?: number;
  firstRows: Record<string, string>;
  longTasks: [number, number][];
}

/** One window's figures, in ms; the logs' figures as `LogFigures` says. */
export interface StartupWindow extends Omit<LogFigures, 'dir'> {
  /** From the page's navigation start. */
  workbench: number;
  backlogTab: number;
  /** When the Backlog container was clicked open (undefined when the workbench restored it). */
  click?: number;
  /** The first row of each view painted, and all three. */
  sprints: number;
  releases: number;
  product: number;
  allThree: number;
  /** The same, from the workbench being visible. */
  sprintsFromWorkbench: number;
  releasesFromWorkbench: number;
  productFromWorkbench: number;
  allThreeFromWorkbench: number;
  /** "Developer: Show Running Extensions": code loading plus the activate() call. */
  vscodeActivationMs?: number;
  vscodeActivationText?: string;
  /** The page's long tasks from the tab showing to the three views painted, and all of them. */
  stalls: { start: number; duration: number }[];
  /** Every long task of the page until the three views were painted: [start, duration]. */
  longTaskList: [number, number][];
  longTasksMs: number;
  longTasks: number;
  firstRows: Record<string, string>;
}

export interface StartupBenchResult {
  bench: 'startup';
  date: string;
  machine: string;
  items: number;
  releases: number;
  runs: number;
  /** Medians for a summary: activate() by its own log line, VS Code's activation time, the index, and the fresh window's three views painted from the workbench visible and from page load. */
  summary: {
    activateMs: number;
    vscodeActivationMs: number;
    indexMs: number;
    viewsPaintedMs: number;
    viewsPaintedFromLoadMs: number;
    reloadViewsPaintedMs: number;
    stalls: number;
    longestStallMs: number;
    /**
     * The longest of those stalls that ended after Backlog Atlas's activate() began: before it,
     * none of the extension's code has run, and the workbench's own start has stalls of that
     * length with 100 items too (`smallestLongestStallMs`).
     */
    longestStallAfterActivationMs: number;
    /** The longest stall in the smallest backlog's windows, for comparison. */
    smallestLongestStallMs: number;
  };
  fresh: Record<string, Figure>;
  reload: Record<string, Figure>;
  windows: { fresh: StartupWindow; reload: StartupWindow; wallMs: number }[];
  /** Every size measured in this run (BENCH_SIZES), smallest first; the fields above are the largest's. */
  sizes: StartupSize[];
  /** The machine's load average (1, 5, 15 min) when the run started and ended: other work skews every figure. */
  loadAverage?: { start: number[]; end: number[] };
}

/** One backlog size's windows: fresh (empty index cache) and reopened (the reload, with the cache the fresh one wrote). */
export interface StartupSize {
  items: number;
  runs: number;
  fresh: Record<string, Figure>;
  reload: Record<string, Figure>;
  windows: { fresh: StartupWindow; reload: StartupWindow; wallMs: number }[];
}

/**
 * The page's probe, as a string: Playwright adds it to every frame before the workbench's
 * scripts run (functions would be rewritten by tsx with a helper the page lacks). It runs only
 * in the top page and stops once the three views have rows.
 */
const PROBE = `(() => {
  if (window.top !== window) return;
  const marks = { timeOrigin: performance.timeOrigin, firstRows: {}, longTasks: [] };
  window.__atlasStartup = marks;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) marks.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  document.addEventListener('mousedown', () => { if (marks.click === undefined) marks.click = performance.now(); }, true);
  const sized = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const views = { 'sprints': 'sprints', 'releases': 'releases', 'product backlog': 'product' };
  const tick = () => {
    const t = performance.now();
    if (marks.workbench === undefined) {
      const wb = document.querySelector('.monaco-workbench');
      if (wb && sized(wb)) marks.workbench = t;
    }
    if (marks.backlogTab === undefined) {
      // The tab's li gets its aria-label late; the icon's link has its view container's class at once.
      const tab = document.querySelector('.part.activitybar [role="tab"] .action-label[class*="activity-workbench-view-extension-backlog-atlas"]');
      if (tab && sized(tab)) marks.backlogTab = t;
    }
    const container = document.getElementById('workbench.view.extension.backlog-atlas');
    if (container && sized(container)) {
      if (marks.container === undefined) marks.container = t;
      for (const pane of container.querySelectorAll('.pane')) {
        const title = (pane.querySelector('.pane-header h3.title')?.textContent ?? '').trim().toLowerCase();
        const key = views[title];
        if (key === undefined || marks[key] !== undefined) continue;
        const label = pane.querySelector('.pane-body .monaco-list-row .label-name');
        if (label && (label.textContent ?? '').trim() !== '' && sized(label)) {
          marks[key] = t;
          marks.firstRows[key] = (label.closest('.monaco-list-row')?.textContent ?? '').replace(/\\s+/g, ' ').trim();
        }
      }
    }
    if (marks.sprints !== undefined && marks.releases !== undefined && marks.product !== undefined) {
      marks.done = t;
      const nav = performance.getEntriesByType('navigation')[0];
      if (nav) { marks.domContentLoaded = nav.domContentLoadedEventEnd; marks.load = nav.loadEventEnd; }
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/**
 * The generator's backlog of `count` items plus 4 dated releases (it writes none) that one item
 * in three is in, so that the Releases view has rows with work in them.
 */
export async function generateStartupBacklog(folder: string, count: number): Promise<{ releases: number }> {
  const root = await generateBacklog(folder, count);
  const today = Date.now();
  const releases = [30, 90, 180, 270].map((days, k) => ({ id: `R-${k + 1}`, name: `Bench ${k + 1}.0`, date: new Date(today + days * 86_400_000).toISOString().slice(0, 10) }));
  await fs.writeFile(path.join(root, 'releases.yml'), ['releases:', ...releases.flatMap((r) => [`  - id: ${r.id}`, `    name: ${r.name}`, `    date: '${r.date}'`, `    goal: Hikers get ${r.name}.`])].join('\n') + '\n');
  for (const dir of ['tasks', 'completed']) {
    const names = await fs.readdir(path.join(root, dir));
    for (let i = 0; i < names.length; i += 256) {
      await Promise.all(
        names.slice(i, i + 256).map(async (name) => {
          const file = path.join(root, dir, name);
          const text = await fs.readFile(file, 'utf8');
          const n = Number(/^id: BL-(\d+)$/m.exec(text)?.[1]);
          if (!(n % 3 === 0) || /^type: epic$/m.test(text)) return;
          const end = text.indexOf('\n---\n', 4);
          await fs.writeFile(file, `${text.slice(0, end)}\nrelease: ${releases[(n / 3) % releases.length].id}${text.slice(end)}`);
        }),
      );
    }
  }
  return { releases: releases.length };
}

/** A log line's local time as epoch ms: `2026-11-21 10:29:44.304 [info] …`. */
function lineTime(line: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})/.exec(line);
  return m ? new Date(`${m[1]}T${m[2]}`).getTime() : undefined;
}

/** The newest extension host's log folder: `<user-data>/logs/<session>/exthost<N>`. */
function extHostLogDir(userDataDir: string, after: number): string | undefined {
  const logs = path.join(userDataDir, 'logs');
  const found: { dir: string; n: number }[] = [];
  for (const session of fsSync.existsSync(logs) ? fsSync.readdirSync(logs) : []) {
    for (const name of fsSync.readdirSync(path.join(logs, session))) {
      const m = /^exthost(\d+)$/.exec(name);
      if (m && Number(m[1]) > after) found.push({ dir: path.join(logs, session, name), n: Number(m[1]) });
    }
  }
  return found.sort((a, b) => b.n - a.n)[0]?.dir;
}

interface LogFigures {
  dir: string;
  /** The extension host's log: its first line, and "ExtensionService#_doActivateExtension" for us. */
  extHostStarted?: number;
  activateStarted?: number;
  activationEvent?: string;
  /** The extension's log: when it said "Activated in" and "Indexed", and the times it gave. */
  activatedAt?: number;
  activatedMs?: number;
  indexedAt?: number;
  indexedMs?: number;
  indexedItems?: number;
  /** Item files the index took from the index cache. */
  cachedFiles?: number;
}

/**
 * Reads the extension host's log and the extension's own (VS Code writes a LogOutputChannel to
 * `exthost<N>/<extension id>/<channel name>.log`), waiting until the index has been built.
 */
async function readLogs(userDataDir: string, previousExtHost: number, timeoutMs = 60_000): Promise<LogFigures> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const dir = extHostLogDir(userDataDir, previousExtHost);
    const own = dir ? path.join(dir, EXTENSION_ID, 'Backlog Atlas.log') : undefined;
    const ours = own && fsSync.existsSync(own) ? fsSync.readFileSync(own, 'utf8').split('\n') : [];
    const indexed = ours.find((l) => /Indexed \d+ backlog\(s\)/.test(l));
    if (dir && indexed) {
      const host = fsSync.readFileSync(path.join(dir, 'remoteexthost.log'), 'utf8').split('\n');
      const activate = host.find((l) => l.includes(`ExtensionService#_doActivateExtension ${EXTENSION_ID},`));
      const activated = ours.find((l) => l.includes('Activated in'));
      const im = /Indexed \d+ backlog\(s\), (\d+) items in (\d+) ms/.exec(indexed);
      return {
        dir,
        extHostStarted: lineTime(host[0] ?? ''),
        activateStarted: activate ? lineTime(activate) : undefined,
        activationEvent: activate ? /activationEvent: '([^']*)'/.exec(activate)?.[1] : undefined,
        activatedAt: activated ? lineTime(activated) : undefined,
        activatedMs: activated ? Number(/Activated in (\d+) ms/.exec(activated)?.[1]) : undefined,
        indexedAt: lineTime(indexed),
        indexedMs: im ? Number(im[2]) : undefined,
        indexedItems: im ? Number(im[1]) : undefined,
        cachedFiles: Number(/\((\d+) files from the index cache\)/.exec(indexed)?.[1] ?? NaN),
      };
    }
    if (Date.now() > deadline) throw new Error(`no "Indexed" line in the extension's log under ${userDataDir}/logs after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the extension's log in `dir` has a line matching `pattern`. */
async function waitForLogLine(dir: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const own = path.join(dir, EXTENSION_ID, 'Backlog Atlas.log');
  for (const deadline = Date.now() + timeoutMs; ; ) {
    if (fsSync.existsSync(own) && pattern.test(fsSync.readFileSync(own, 'utf8'))) return;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in ${own} after ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** VS Code's activation time of the extension, from "Developer: Show Running Extensions". */
async function runningExtensionsTime(page: Page): Promise<{ ms?: number; text?: string }> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .extension', { has: page.locator('.name', { hasText: /backlog/i }) });
  try {
    // "Activating..." until the extension host reports the times.
    await row.locator('.activation-time', { hasText: /\d+ms/ }).waitFor({ timeout: 15_000 });
  } catch {
    return {};
  }
  const text = (await row.locator('.activation-time').textContent())?.trim();
  const m = /(\d+)ms/.exec(text ?? '');
  await runCommand(page, 'View: Close All Editors');
  return { ms: m ? Number(m[1]) : undefined, text };
}

/** Waits for the probe to see the three views' rows and returns its marks. */
async function waitForViews(page: Page, clickTab: boolean): Promise<PageMarks> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  if (clickTab) {
    // As openBacklog in test/ui/panes.ts, but as soon as the tab shows.
    await page.locator('.activitybar').getByRole('tab', { name: 'Backlog' }).click({ timeout: 60_000 });
  }
  await page.waitForFunction('window.__atlasStartup && window.__atlasStartup.done !== undefined', undefined, { timeout: 120_000, polling: 100 });
  return (await page.evaluate('window.__atlasStartup')) as PageMarks;
}

function windowFigures(marks: PageMarks, logs: LogFigures, running: { ms?: number; text?: string }, clicked: boolean): StartupWindow {
  const at = (epoch: number | undefined) => (epoch === undefined ? undefined : epoch - marks.timeOrigin);
  const workbench = marks.workbench ?? NaN;
  const views = { sprints: marks.sprints ?? NaN, releases: marks.releases ?? NaN, product: marks.product ?? NaN };
  const allThree = Math.max(views.sprints, views.releases, views.product);
  // A stall the user sees in the Backlog container: page work from the tab showing to the rows.
  const from = marks.backlogTab ?? workbench;
  const longTasks = marks.longTasks.filter(([start]) => start <= allThree);
  const stalls = longTasks.filter(([start, duration]) => duration >= STALL_MS && start + duration >= from && start <= allThree).map(([start, duration]) => ({ start, duration }));
  return {
    workbench,
    backlogTab: marks.backlogTab ?? NaN,
    click: clicked ? marks.click : undefined,
    ...views,
    allThree,
    sprintsFromWorkbench: views.sprints - workbench,
    releasesFromWorkbench: views.releases - workbench,
    productFromWorkbench: views.product - workbench,
    allThreeFromWorkbench: allThree - workbench,
    extHostStarted: at(logs.extHostStarted),
    activateStarted: at(logs.activateStarted),
    activationEvent: logs.activationEvent,
    activatedAt: at(logs.activatedAt),
    activatedMs: logs.activatedMs,
    indexedAt: at(logs.indexedAt),
    indexedMs: logs.indexedMs,
    indexedItems: logs.indexedItems,
    cachedFiles: logs.cachedFiles,
    vscodeActivationMs: running.ms,
    vscodeActivationText: running.text,
    stalls,
    longTaskList: longTasks,
    longTasksMs: longTasks.reduce((n, [, d]) => n + d, 0),
    longTasks: longTasks.length,
    firstRows: marks.firstRows,
  };
}

async function measureWindow(workspace: string): Promise<{ fresh: StartupWindow; reload: StartupWindow; wallMs: number }> {
  const started = performance.now();
  let server: CodeServer | undefined;
  let launched: LaunchedBrowser | undefined;
  try {
    server = await startCodeServer({ workspace });
    launched = await launchBrowser();
    const { page } = launched;
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    await page.addInitScript({ content: PROBE });

    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
    const freshMarks = await waitForViews(page, true);
    const freshLogs = await readLogs(server.userDataDir, 0);
    const freshRunning = await runningExtensionsTime(page);
    const fresh = windowFigures(freshMarks, freshLogs, freshRunning, true);
    // The window writes its index cache a second after the index settles; the reload is the
    // reopened window, which finds it.
    await waitForLogLine(freshLogs.dir, /Index cache: saved \d+ entries/);

    // The workbench keeps the Backlog container open across the reload (its state is saved when
    // the page unloads); a new extension host starts, with a new log folder.
    const previous = Number(/exthost(\d+)$/.exec(freshLogs.dir)?.[1] ?? 0);
    await page.reload();
    const reloadMarks = await waitForViews(page, false);
    const reloadLogs = await readLogs(server.userDataDir, previous);
    const reloadRunning = await runningExtensionsTime(page);
    const reload = windowFigures(reloadMarks, reloadLogs, reloadRunning, false);
    return { fresh, reload, wallMs: performance.now() - started };
  } finally {
    await launched?.close();
    await server?.stop();
  }
}

/** The figures of several windows, by name. */
function summarize(windows: StartupWindow[]): Record<string, Figure> {
  const keys: (keyof StartupWindow)[] = [
    'workbench', 'backlogTab', 'click', 'sprints', 'releases', 'product', 'allThree',
    'sprintsFromWorkbench', 'releasesFromWorkbench', 'productFromWorkbench', 'allThreeFromWorkbench',
    'extHostStarted', 'activateStarted', 'activatedAt', 'activatedMs', 'indexedAt', 'indexedMs', 'cachedFiles', 'vscodeActivationMs', 'longTasksMs',
  ];
  const out: Record<string, Figure> = {};
  for (const key of keys) out[key] = figure(windows.map((w) => w[key] as number | undefined).filter((x): x is number => typeof x === 'number'));
  return out;
}

/** The markdown table of a run: one row per measure, fresh windows and reloads side by side. */
export function startupTable(result: StartupBenchResult): string {
  const f = result.fresh;
  const r = result.reload;
  const row = (what: string, key: string, reload = true) => `| ${what} | ${range(f[key])} | ${reload ? range(r[key]) : '–'} |`;
  const events = [...new Set(result.windows.flatMap((w) => [w.fresh.activationEvent, w.reload.activationEvent]).filter(Boolean))].join(', ');
  return [
    `| ${result.items.toLocaleString('en')} items, ${result.runs} windows; ms: median (min–max) | Fresh window (container clicked open) | Reopened: reload (container restored, index cache) |`,
    '|---|---:|---:|',
    row('Workbench visible, from page load', 'workbench'),
    row('Backlog tab in the activity bar, from page load', 'backlogTab'),
    row('Backlog tab clicked, from page load', 'click', false),
    row('Extension host started (its log), from page load', 'extHostStarted'),
    row(`VS Code activates Backlog Atlas (${events || 'event unknown'}), from page load`, 'activateStarted'),
    row('Activation, VS Code (Running Extensions: code loading + activate call)', 'vscodeActivationMs'),
    row('Activation, the extension\'s own "Activated in"', 'activatedMs'),
    row('"Indexed 1 backlog(s), N items in"', 'indexedMs'),
    row('Index done (its log line), from page load', 'indexedAt'),
    row('Sprints: first row painted, from workbench visible', 'sprintsFromWorkbench'),
    row('Releases: first row painted, from workbench visible', 'releasesFromWorkbench'),
    row('Product Backlog: first row painted, from workbench visible', 'productFromWorkbench'),
    row('All three painted, from workbench visible', 'allThreeFromWorkbench'),
    row('All three painted, from page load', 'allThree'),
    row('Page long tasks (≥ 50 ms) in all, until the three are painted', 'longTasksMs'),
  ].join('\n');
}

/**
 * The fresh and the reopened window side by side for each size: a reopened window takes its
 * index from the cache the fresh one wrote (aim: 10,000 items within twice the time of 100).
 */
export function reopenTable(result: Pick<StartupBenchResult, 'sizes' | 'loadAverage'>): string {
  const sizes = result.sizes;
  const cols = sizes.flatMap((z) => [`${z.items.toLocaleString('en')} items, fresh`, `${z.items.toLocaleString('en')} items, reopened`]);
  const row = (what: string, key: string) => `| ${what} | ${sizes.flatMap((z) => [range(z.fresh[key]), range(z.reload[key])]).join(' | ')} |`;
  const lines = [
    `| ms: median (min–max), ${sizes.map((z) => z.runs).join('/')} windows | ${cols.join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    row('All three views painted, from workbench visible', 'allThreeFromWorkbench'),
    row('"Indexed … items in"', 'indexedMs'),
    row('Item files taken from the index cache', 'cachedFiles'),
    row('Page long tasks (≥ 50 ms) in all', 'longTasksMs'),
  ];
  const small = sizes[0];
  const big = sizes[sizes.length - 1];
  const load = (result as Partial<StartupBenchResult>).loadAverage;
  if (load) lines.push('', `Load average (1, 5, 15 min) at the start ${load.start.map((x) => x.toFixed(2)).join(', ')}, at the end ${load.end.map((x) => x.toFixed(2)).join(', ')}.`);
  if (sizes.length > 1) {
    const ratio = big.reload.allThreeFromWorkbench.median / small.reload.allThreeFromWorkbench.median;
    lines.push('', `Reopened, ${big.items.toLocaleString('en')} against ${small.items.toLocaleString('en')} items: ${ratio.toFixed(2)}× (aim: 2×).`);
  }
  return lines.join('\n');
}

/**
 * Generates the backlog, measures `runs` fresh windows (each with a reload), prints the table,
 * writes the JSON (to `jsonPath`, BACKLOG_ATLAS_BENCH_JSON or bench-results/startup.json) and
 * returns what it wrote. Needs `node esbuild.js` first (the extension's dist/extension.js).
 */
export async function runStartupBench(options: { items?: number; runs?: number; jsonPath?: string } = {}): Promise<StartupBenchResult> {
  // 100 and 10,000 items by default: the reopened window's aim is the one against the other.
  const sizes = options.items !== undefined ? [options.items] : (process.env.BENCH_SIZES ?? process.env.BENCH_SIZE ?? '100,10000').split(',').map(Number).filter((n) => n > 0);
  const runs = options.runs ?? (Number(process.env.BENCH_RUNS) || 3);
  if (!fsSync.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run node esbuild.js first');
  const measured: StartupSize[] = [];
  const loadAtStart = os.loadavg();
  let releases = 0;
  for (const items of sizes) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-startup-bench-'));
    try {
      const workspace = path.join(dir, 'workspace');
      releases = (await generateStartupBacklog(workspace, items)).releases;
      const windows: StartupBenchResult['windows'] = [];
      for (let run = 1; run <= runs; run++) {
        const w = await measureWindow(workspace);
        windows.push(w);
        const line = (what: string, x: StartupWindow) =>
          `[bench:startup] ${items} items, window ${run}/${runs}, ${what}: workbench ${ms(x.workbench)}, views ${ms(x.sprints)} / ${ms(x.releases)} / ${ms(x.product)} ms from page load; activated ${ms(x.activatedMs ?? NaN)} ms (VS Code ${x.vscodeActivationText ?? '?'}), indexed ${x.indexedItems} items in ${ms(x.indexedMs ?? NaN)} ms, ${x.cachedFiles} from the cache; stalls ≥ ${STALL_MS} ms: ${x.stalls.map((s) => `${s.duration} at ${s.start}`).join(', ') || 'none'}`;
        console.log(line('fresh', w.fresh));
        console.log(line('reopened', w.reload));
        for (const x of [w.fresh, w.reload]) {
          if (x.indexedItems !== items) throw new Error(`the extension indexed ${x.indexedItems} items, the generator wrote ${items}`);
        }
      }
      measured.push({ items, runs, fresh: summarize(windows.map((w) => w.fresh)), reload: summarize(windows.map((w) => w.reload)), windows });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const largest = measured[measured.length - 1];
  const { fresh, reload, windows } = largest;
  const stallsOf = (size: StartupSize) => size.windows.flatMap((w) => [...w.fresh.stalls, ...w.reload.stalls]);
  const stalls = stallsOf(largest);
  // A window whose activation was not logged counts every stall: never fewer than there were.
  const afterActivation = windows.flatMap((w) => [w.fresh, w.reload].flatMap((x) => x.stalls.filter((st) => x.activateStarted === undefined || st.start + st.duration > x.activateStarted)));
  const result: StartupBenchResult = {
    bench: 'startup',
    date: new Date().toISOString(),
    machine: machine(),
    items: largest.items,
    releases,
    runs,
    summary: {
      activateMs: fresh.activatedMs.median,
      vscodeActivationMs: fresh.vscodeActivationMs.median,
      indexMs: fresh.indexedMs.median,
      viewsPaintedMs: fresh.allThreeFromWorkbench.median,
      viewsPaintedFromLoadMs: fresh.allThree.median,
      reloadViewsPaintedMs: reload.allThreeFromWorkbench.median,
      stalls: stalls.length,
      longestStallMs: Math.max(0, ...stalls.map((s) => s.duration)),
      longestStallAfterActivationMs: Math.max(0, ...afterActivation.map((s) => s.duration)),
      smallestLongestStallMs: Math.max(0, ...stallsOf(measured[0]).map((s) => s.duration)),
    },
    fresh,
    reload,
    windows,
    sizes: measured,
    loadAverage: { start: loadAtStart, end: os.loadavg() },
  };
  console.log(`\n${startupTable(result)}\n\n${reopenTable(result)}`);
  const file = await writeResult('startup', result, options.jsonPath ?? process.env.BACKLOG_ATLAS_BENCH_JSON);
  console.log(`\nWrote ${path.relative(process.cwd(), file) || file}`);
  return result;
}

if (require.main === module) {
  runStartupBench().then(
    // Playwright and code-server are closed; exit even if a handle lingers.
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
