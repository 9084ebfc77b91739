// Runs the compiled mocha suite inside the real extension host of code-server,
// driven by headless Chromium. Usage (see test/host/README.md):
//   npx tsx test/host/runIntegration.ts [--extension DIR] [--tests FILE] [--workspace DIR] [--timeout MS]
// Environment equivalents: BACKLOG_ATLAS_EXTENSION, BACKLOG_ATLAS_TESTS, BACKLOG_ATLAS_WORKSPACE,
// BACKLOG_ATLAS_TIMEOUT_MS; BACKLOG_ATLAS_VERBOSE=1 also prints code-server's and the page's output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import { launchBrowser, type LaunchedBrowser } from './browser';
import { copyWorkspace, startCodeServer, workbenchUrl, type CodeServer } from './codeServer';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface Options {
  extension: string;
  tests: string;
  workspace: string | undefined;
  timeoutMs: number;
  verbose: boolean;
  resultsDir: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const extension = path.resolve(values.extension ?? process.env.BACKLOG_ATLAS_EXTENSION ?? REPO_ROOT);
  const tests = path.resolve(values.tests ?? process.env.BACKLOG_ATLAS_TESTS ?? path.join(extension, 'out', 'test', 'suite', 'index.js'));
  const explicitWorkspace = values.workspace ?? process.env.BACKLOG_ATLAS_WORKSPACE;
  const defaultWorkspace = path.join(extension, 'test', 'fixtures', 'workspace');
  let workspace: string | undefined;
  if (explicitWorkspace) {
    workspace = path.resolve(explicitWorkspace);
    if (!fs.existsSync(workspace)) throw new Error(`workspace fixture not found: ${workspace}`);
  } else if (fs.existsSync(defaultWorkspace)) {
    workspace = defaultWorkspace;
  } else {
    console.log(`[integration] no fixture at ${defaultWorkspace}; using an empty workspace`);
  }
  const timeoutMs = Number(values.timeout ?? process.env.BACKLOG_ATLAS_TIMEOUT_MS ?? 600_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`bad timeout: ${String(values.timeout)}`);
  if (!fs.existsSync(path.join(extension, 'package.json'))) throw new Error(`no package.json in extension folder ${extension}`);
  if (!fs.existsSync(tests)) {
    throw new Error(`compiled suite not found: ${tests} (build it first: node test/host/buildSuite.mjs)`);
  }
  return {
    extension,
    tests,
    workspace,
    timeoutMs,
    verbose: process.env.BACKLOG_ATLAS_VERBOSE === '1',
    resultsDir: path.resolve(process.env.BACKLOG_ATLAS_RESULTS ?? path.join(REPO_ROOT, 'test-results')),
  };
}

// Routine workbench messages that share the channel with the suite's console output.
const WORKBENCH_NOISE = [
  /^\[driver\]/,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^(Ignoring fetching|Updating) additional builtin extensions/,
  /^ChatSessionStore:/,
  /^\[Service Worker\]/,
  // VS Code's disk provider reports every failed fs call with a stack, e.g. a readDirectory of a
  // folder that does not exist; the extension gets the error anyway.
  /^\[node\.js fs\]/,
];

/** codeAutomationLog gets console arguments as an array (format string first), or a plain string. */
function formatLogMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return format(...(message as unknown[]));
  return JSON.stringify(message);
}

async function main(): Promise<number> {
  const started = Date.now();
  const options = readOptions();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  console.log(`[integration] extension: ${options.extension}`);
  console.log(`[integration] suite:     ${options.tests}`);

  const workspace = copyWorkspace(options.workspace);
  console.log(`[integration] workspace: ${workspace.dir}${options.workspace ? ` (copy of ${options.workspace})` : ''}`);
  let server: CodeServer | undefined;
  let launched: LaunchedBrowser | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopAll = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    await launched?.close();
    await server?.stop();
    workspace.remove();
  };
  // Ctrl+C or CI cancellation still stops code-server and the browser.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`[integration] ${signal}: stopping`);
      void stopAll().finally(() => process.exit(130));
    });
  }

  try {
    server = await startCodeServer({
      workspace: workspace.dir,
      onOutput: options.verbose ? (line) => console.log(`[code-server] ${line}`) : undefined,
    });
    console.log(`[integration] code-server ready at ${server.url} after ${elapsed()}`);
    launched = await launchBrowser();
    const { page } = launched;

    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    // VS Code's browser workbench calls these globals when they exist (as in its own browser integration tests).
    // What the extension host said its clock setting is (see test/suite/index.ts).
    let hostClock: string | undefined;
    await page.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) => {
      const text = formatLogMessage(message);
      const clockLine = /^\[clock\] BACKLOG_ATLAS_NOW=(.*)$/.exec(text);
      if (clockLine) hostClock = clockLine[1];
      if (options.verbose) console.log(`[${String(level)}] ${text}`);
      else if (!WORKBENCH_NOISE.some((pattern) => pattern.test(text))) (level === 'error' ? console.error : console.log)(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
      saveLogs(options.resultsDir, logs, code !== 0);
      resolveExit(typeof code === 'number' ? code : 1);
    });
    if (options.verbose) {
      page.on('console', (msg) => console.log(`[page:${msg.type()}] ${msg.text()}`));
    }
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));

    const url = workbenchUrl(server, {
      folder: workspace.dir,
      extensionDevelopmentPath: options.extension,
      extensionTestsPath: options.tests,
    });
    await page.goto(url);
    console.log(`[integration] workbench opened after ${elapsed()}; running tests`);

    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
    const result = await Promise.race([exitCode, timedOut]);
    if (result === 'timeout') {
      const shot = path.join(options.resultsDir, 'integration-timeout.png');
      fs.mkdirSync(options.resultsDir, { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.error(
        `[integration] TIMEOUT: the suite did not finish within ${options.timeoutMs / 1000}s (screenshot: ${shot}).\n` +
          `Last code-server output:\n${server.recentOutput()}`,
      );
      return 1;
    }
    console.log(`[integration] suite exited with code ${result} after ${elapsed()}`);
    // A run meant to move the clock that the extension host never saw would test today's date
    // and pass: that is a failure of the run, not a pass.
    const wanted = process.env.BACKLOG_ATLAS_NOW ?? '';
    if (hostClock !== wanted) {
      console.error(`[integration] FAILED: BACKLOG_ATLAS_NOW is "${wanted}" here but "${hostClock ?? '(not reported)'}" in the extension host.`);
      return 1;
    }
    return result;
  } finally {
    await stopAll();
  }
}

/** Writes the workbench/extension-host logs VS Code hands to codeAutomationExit, when the run failed. */
function saveLogs(dir: string, logs: unknown, failed: boolean): void {
  if (!failed || !Array.isArray(logs)) return;
  const target = path.join(dir, 'integration-logs');
  for (const entry of logs as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { relativePath, contents } = entry as { relativePath?: unknown; contents?: unknown };
    if (typeof relativePath !== 'string' || typeof contents !== 'string') continue;
    const file = path.join(target, relativePath);
    if (!file.startsWith(target + path.sep)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, contents);
  }
  console.error(`[integration] workbench logs saved to ${target}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Setup errors carry the fix in their message; the stack only helps when debugging the runner.
    const verbose = process.env.BACKLOG_ATLAS_VERBOSE === '1';
    const detail = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
    console.error(`[integration] FAILED: ${detail}`);
    process.exit(1);
  },
);
