// Playwright UI tests against the code-server workbench, with the extension loaded
// as a development extension. Usage (see test/host/README.md):
//   npx tsx test/host/runUi.ts [--demo] [--extension DIR] [--workspace DIR] [--ui-dir DIR] [--screenshots DIR] [--grep TEXT]
// --demo opens the demo made for the day the UI tests know (DEMO_DAY), with the extension's clock set to it.
// Screenshots go to test-results/screenshots; `npm run screenshots` writes docs/screenshots instead.
// Environment equivalents: BACKLOG_ATLAS_EXTENSION, BACKLOG_ATLAS_WORKSPACE, BACKLOG_ATLAS_UI_TESTS,
// BACKLOG_ATLAS_SCREENSHOTS, BACKLOG_ATLAS_GREP; BACKLOG_ATLAS_VERBOSE=1 prints code-server's output.
//
// A UI test file is test/ui/<name>.ui.ts; every exported function is a test and gets a
// UiTestContext. All tests share one browser page and one workspace copy and run by file name,
// then by export name (BACKLOG_ATLAS_SHUFFLE=<seed>: in a shuffled order). Each test closes what it
// opens; after each, the runner puts back the files it changed, and after a failure it also
// reverts and closes every editor, so that no test depends on another.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, type LaunchedBrowser } from './browser';
import { generateDemo } from '../../scripts/demo/generate';
import { settle } from '../ui/panes';
import { runCommand } from '../ui/webviews';
import { TEMPLATE_TODAY } from '../../scripts/demo/history';
import { copyWorkspace, startCodeServer, workbenchUrl, type CodeServer } from './codeServer';

export interface UiTestContext {
  page: Page;
  /** The temporary copy of the fixture workspace that the window has open. */
  workspaceDir: string;
  /**
   * Saves a PNG of the whole page as <screenshots dir>/<name>.png and returns its path.
   * It first parks the mouse in a corner so no hover tooltip shows (keepMouse: true skips that),
   * and finishes CSS animations so toasts and panels are not caught half-way.
   */
  screenshot(name: string, options?: { keepMouse?: boolean }): Promise<string>;
}

export type UiTest = (context: UiTestContext) => Promise<void>;

const REPO_ROOT = path.resolve(__dirname, '..', '..');
/**
 * The moment the UI tests run at, on the demo: the template's own day, so what they check
 * (Sprint 14 under way, its burndown, the release ahead) is the same on any real date. The
 * extension's clock is set to it through BACKLOG_ATLAS_NOW, and the demo is made for it.
 */
export const DEMO_NOW = `${TEMPLATE_TODAY}T12:00:00Z`;
// Long enough for one webview that waits out code-server's 30 s service worker timeout.
const TEST_TIMEOUT_MS = Number(process.env.BACKLOG_ATLAS_UI_TIMEOUT_MS ?? 100_000);
const TOTAL_TIMEOUT_MS = Number(process.env.BACKLOG_ATLAS_TIMEOUT_MS ?? 600_000);

interface Options {
  demo: boolean;
  extension: string;
  workspace: string | undefined;
  uiDir: string;
  screenshots: string;
  failures: string;
  grep: string | undefined;
  verbose: boolean;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean' },
      extension: { type: 'string' },
      workspace: { type: 'string' },
      'ui-dir': { type: 'string' },
      screenshots: { type: 'string' },
      grep: { type: 'string' },
    },
  });
  const extension = path.resolve(values.extension ?? process.env.BACKLOG_ATLAS_EXTENSION ?? REPO_ROOT);
  const explicitWorkspace = values.workspace ?? process.env.BACKLOG_ATLAS_WORKSPACE;
  const defaultWorkspace = path.join(extension, 'test', 'fixtures', 'workspace');
  const workspace = explicitWorkspace ? path.resolve(explicitWorkspace) : fs.existsSync(defaultWorkspace) ? defaultWorkspace : undefined;
  if (workspace && !fs.existsSync(workspace)) throw new Error(`workspace fixture not found: ${workspace}`);
  return {
    demo: values.demo ?? false,
    extension,
    workspace,
    uiDir: path.resolve(values['ui-dir'] ?? process.env.BACKLOG_ATLAS_UI_TESTS ?? path.join(extension, 'test', 'ui')),
    screenshots: path.resolve(values.screenshots ?? process.env.BACKLOG_ATLAS_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots')),
    failures: path.resolve(process.env.BACKLOG_ATLAS_RESULTS ?? path.join(REPO_ROOT, 'test-results'), 'ui-failures'),
    grep: values.grep ?? process.env.BACKLOG_ATLAS_GREP,
    verbose: process.env.BACKLOG_ATLAS_VERBOSE === '1',
  };
}

interface LoadedTest {
  file: string;
  name: string;
  fn: UiTest;
}

function loadTests(uiDir: string, grep: string | undefined): LoadedTest[] {
  if (!fs.existsSync(uiDir)) throw new Error(`UI test folder not found: ${uiDir}`);
  const files = fs.readdirSync(uiDir).filter((name) => name.endsWith('.ui.ts')).sort();
  const tests: LoadedTest[] = [];
  for (const name of files) {
    // tsx (which runs this file) compiles the required .ts on the fly.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(uiDir, name)) as Record<string, unknown>;
    // Sorted by name so the order does not depend on how the module was transpiled.
    for (const [exportName, value] of Object.entries(exported).sort(([a], [b]) => a.localeCompare(b))) {
      if (typeof value !== 'function') continue;
      const title = `${name.replace(/\.ui\.ts$/, '')} › ${exportName}`;
      if (grep && !title.includes(grep)) continue;
      tests.push({ file: name, name: title, fn: value as UiTest });
    }
  }
  return shuffled(tests, process.env.BACKLOG_ATLAS_SHUFFLE);
}

/**
 * With BACKLOG_ATLAS_SHUFFLE=<number>, the tests in an order drawn from that seed (printed, so a
 * failing order can be run again): every test must pass in any order, not only after the ones
 * before it by name.
 */
function shuffled<T>(tests: T[], seedText: string | undefined): T[] {
  if (!seedText) return tests;
  let seed = Number(seedText) >>> 0 || 1;
  const random = () => {
    // xorshift32: small, and the same order for the same seed on every machine.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const out = [...tests];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  console.log(`[ui] order shuffled with BACKLOG_ATLAS_SHUFFLE=${seedText}`);
  return out;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the workbench with the extension under development and waits until it is usable. */
async function openWorkbench(page: Page, server: CodeServer, folder: string, extension: string): Promise<void> {
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: extension }));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  // Ready for a person once the extension has read the backlog: the demo opens on the Backlog
  // container (backlogAtlas.showOnStartup), and its first row shows.
  await page.locator('[id="workbench.view.extension.backlog-atlas"] .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Every file of the workspace (but git's own), by path: the state each test starts from. */
function snapshotFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory() && child !== '.git') walk(child);
      else if (e.isFile()) files.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  return files;
}

/** Writes back what changed since `before` and removes files added since; returns how many it touched. */
function restoreFiles(dir: string, before: Map<string, Buffer>): number {
  const now = snapshotFiles(dir);
  let touched = 0;
  for (const [file, bytes] of before) {
    if (now.get(file)?.equals(bytes)) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), bytes);
    touched++;
  }
  for (const file of now.keys()) {
    if (before.has(file)) continue;
    fs.rmSync(path.join(dir, file));
    touched++;
  }
  return touched;
}

/** Reverts every unsaved editor and closes all editors, as a person clearing up would. */
async function resetWorkbench(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  const dirty = page.locator('.tabs-container .tab.dirty');
  for (let n = 0; (await dirty.count()) > 0 && n < 20; n++) {
    await dirty.first().click();
    await runCommand(page, 'File: Revert File');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** The last lines of the Backlog Atlas output channel of this run (VS Code writes it under logs/). */
function extensionLogTail(userDataDir: string, lines: number): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Backlog Atlas.log') found.push(p);
    }
  };
  try {
    walk(path.join(userDataDir, 'logs'));
  } catch {
    return [];
  }
  const newest = found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return newest ? fs.readFileSync(newest, 'utf8').trimEnd().split('\n').slice(-lines) : [];
}

async function main(): Promise<number> {
  const started = Date.now();
  const options = readOptions();
  const tests = loadTests(options.uiDir, options.grep);
  console.log(`[ui] extension: ${options.extension}`);
  console.log(`[ui] ${tests.length} UI test(s) from ${options.uiDir}`);
  if (tests.length === 0) {
    console.log('0 passed, 0 failed');
    console.error('[ui] no UI tests found');
    return 1;
  }
  fs.mkdirSync(options.screenshots, { recursive: true });

  const scratch = copyWorkspace(options.demo ? undefined : options.workspace);
  const workspace = options.demo ? { dir: path.join(path.dirname(scratch.dir), 'trailhead'), remove: scratch.remove } : scratch;
  if (options.demo) {
    fs.rmSync(scratch.dir, { recursive: true, force: true });
    await generateDemo({ target: workspace.dir, now: new Date(DEMO_NOW) });
    console.log(`[ui] the demo, made for ${DEMO_NOW}, in ${workspace.dir}`);
  }
  let server: CodeServer | undefined;
  let launched: LaunchedBrowser | undefined;
  const stopAll = async (): Promise<void> => {
    await launched?.close();
    await server?.stop();
    workspace.remove();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`[ui] ${signal}: stopping`);
      void stopAll().finally(() => process.exit(130));
    });
  }

  let passed = 0;
  let failed = 0;
  try {
    server = await startCodeServer({
      workspace: workspace.dir,
      env: options.demo ? { BACKLOG_ATLAS_NOW: DEMO_NOW } : {},
      onOutput: options.verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
    });
    launched = await launchBrowser();
    const { page } = launched;
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    await withTimeout(openWorkbench(page, server, workspace.dir, options.extension), 120_000, 'opening the workbench');
    console.log(`[ui] workbench ready after ${((Date.now() - started) / 1000).toFixed(1)}s\n`);

    const context: UiTestContext = {
      page,
      workspaceDir: workspace.dir,
      screenshot: async (name, shotOptions) => {
        const file = path.join(options.screenshots, `${name}.png`);
        if (!shotOptions?.keepMouse) {
          await page.mouse.move(VIEWPORT.width - 2, Math.round(VIEWPORT.height / 2));
          // Tooltips fade out after the pointer leaves: wait until none shows.
          await page.locator('.monaco-hover:visible, .workbench-hover-container:visible').first().waitFor({ state: 'hidden', timeout: 5_000 });
        }
        await page.screenshot({ path: file, animations: 'disabled' });
        return file;
      },
    };
    for (const test of tests) {
      if (Date.now() - started > TOTAL_TIMEOUT_MS) {
        console.error(`[ui] TIMEOUT: the run took longer than ${TOTAL_TIMEOUT_MS / 1000}s; remaining tests count as failed`);
        failed += tests.length - passed - failed;
        break;
      }
      const t0 = Date.now();
      const files = snapshotFiles(workspace.dir);
      try {
        await withTimeout(test.fn(context), TEST_TIMEOUT_MS, test.name);
        passed++;
        console.log(`  ✔ ${test.name} (${Date.now() - t0}ms)`);
      } catch (error) {
        failed++;
        console.log(`  ✗ ${test.name} (${Date.now() - t0}ms)`);
        console.log(`      ${error instanceof Error ? (error.stack ?? error.message).replace(/\n/g, '\n      ') : String(error)}`);
        // What the extension said about it: the end of its log, when it wrote one.
        if (server) for (const line of extensionLogTail(server.userDataDir, 25)) console.log(`      [log] ${line}`);
        fs.mkdirSync(options.failures, { recursive: true });
        const shot = path.join(options.failures, `${test.name.replace(/[^\w.-]+/g, '_')}.png`);
        await page.screenshot({ path: shot }).then(
          () => console.log(`      screenshot: ${shot}`),
          () => undefined,
        );
        // A failed test may leave an unsaved editor or a panel behind, and the next test would
        // fail for that, not for a reason of its own: throw its edits away and close everything.
        await resetWorkbench(page).catch((e: unknown) => console.log(`      could not reset the workbench: ${String(e)}`));
      } finally {
        // Leave no quick pick or menu open for the next test.
        await page.keyboard.press('Escape').catch(() => undefined);
        // Editors a test opened by clicking rows would be in the next test's way (and picture).
        if ((await page.locator('.tabs-container .tab').count()) > 0) {
          await resetWorkbench(page).catch((e: unknown) => console.log(`      could not close the editors: ${String(e)}`));
        }
        // Every test starts from the demo as it was made, whatever the one before it wrote.
        const restored = restoreFiles(workspace.dir, files);
        if (restored > 0) {
          console.log(`      (put back ${restored} file(s) the test changed)`);
          await settle(page);
        }
      }
    }
  } finally {
    await stopAll();
  }
  console.log(`\n[ui] screenshots in ${options.screenshots}; took ${((Date.now() - started) / 1000).toFixed(1)}s`);
  // Exactly "N passed, N failed" alone on a line: CI log readers count tests by it.
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Setup errors carry the fix in their message; the stack only helps when debugging the runner.
      const verbose = process.env.BACKLOG_ATLAS_VERBOSE === '1';
      const detail = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
      console.error(`[ui] FAILED: ${detail}`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
