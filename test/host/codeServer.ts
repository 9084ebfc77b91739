// Starts and stops code-server (real VS Code server + web workbench) for the
// integration and UI test runners. Installed by scripts/install-test-host.sh.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CodeServerOptions {
  /** Folder to open; it is passed to code-server as the workspace. */
  workspace: string;
  /** Defaults to a fresh temporary folder, removed on stop(). */
  userDataDir?: string;
  /** Defaults to a fresh temporary folder, removed on stop(). */
  extensionsDir?: string;
  /** 0 or absent: pick a free port on 127.0.0.1. */
  port?: number;
  /** Merged over the quiet defaults in DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Receives every line code-server prints; by default lines are only kept for error messages. */
  onOutput?: (line: string) => void;
  /**
   * Keep Workspace Trust on (default: off, or on with BACKLOG_ATLAS_WORKSPACE_TRUST=1). Off passes
   * --disable-workspace-trust, which code-server applies to this session only; on also sets the
   * trust setting back to true, and the window then opens with the "Do you trust the authors"
   * dialog and in Restricted Mode.
   */
  workspaceTrust?: boolean;
  /** How long to wait for the server to answer; default 60 s. */
  startTimeoutMs?: number;
  /** Set in code-server's environment, which its extension host inherits (BACKLOG_ATLAS_NOW, say). */
  env?: Record<string, string>;
}

export interface CodeServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  /** Last lines code-server printed, for error reports. */
  recentOutput(): string;
  /** Kills the whole process group and removes the temporary folders it made. */
  stop(): Promise<void>;
}

export const CODE_SERVER_VERSION = '4.100.3';

/** User settings that keep the workbench free of popups, tours and network noise. */
export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'window.restoreWindows': 'none',
  'window.commandCenter': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'github.copilot.enable': { '*': false },
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.surveys.enabled': false,
  'editor.minimap.enabled': false,
  // The web workbench defaults to 'afterDelay' (desktop: 'off'); tests of unsaved edits need desktop behaviour.
  'files.autoSave': 'off',
  'files.hotExit': 'off',
  'notifications.doNotDisturb': false,
};

/** Folder that holds node_modules/code-server (same default as the install script). */
export function testHostDir(): string {
  return process.env.BACKLOG_ATLAS_TEST_HOST ?? path.join(os.homedir(), '.cache', 'backlog-atlas', 'test-host');
}

/** Path of code-server's Node entry point; throws with the fix when it is not installed. */
export function findCodeServer(): string {
  const pkgDir = path.join(testHostDir(), 'node_modules', 'code-server');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  let version: unknown;
  try {
    version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: unknown }).version;
  } catch {
    version = undefined;
  }
  if (version !== CODE_SERVER_VERSION || !fs.existsSync(entry)) {
    // The install script builds in <dir>.staging and renames it into place when complete.
    const staging = `${testHostDir().replace(/[\\/]+$/, '')}.staging`;
    const found = version === undefined ? 'nothing' : `version ${String(version)}`;
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not installed in ${testHostDir()} (found ${found}). ` +
        (fs.existsSync(staging)
          ? `An install is running or was interrupted (${staging} exists). `
          : '') +
        'Run: bash scripts/install-test-host.sh (it waits for a running install and redoes an interrupted one)',
    );
  }
  return entry;
}

/** Asks the kernel for a free port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

// Servers still running, and temporary folders not removed yet: killed and removed synchronously
// if the runner exits without stop() or remove() (an uncaught error, process.exit on a signal,
// a setup step that threw before there was anything to stop).
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
  for (const dir of tempDirs) {
    try {
      removeTempDir(dir);
    } catch {
      // A child killed a moment ago may still be writing there; the exit goes on regardless.
    }
  }
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the whole group (code-server forks a server, extension host and pty host).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir: string): void {
  // Retries: code-server's last children may still be closing files in it.
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.delete(dir);
}

/** Environment for code-server without variables that would tie it to a VS Code the runner may itself run in. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key.startsWith('CODE_SERVER_')) continue;
    env[key] = value;
  }
  // An empty gallery: nothing asks the marketplace (there is no internet here anyway).
  env.EXTENSIONS_GALLERY = '{"serviceUrl":""}';
  return { ...env, ...extra };
}

/** Starts code-server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      // A port picked by freePort() can be taken by someone else before code-server binds it.
      const portRace = !options.port && error instanceof Error && error.message.includes('EADDRINUSE');
      if (!portRace || attempt >= 3) throw error;
    }
  }
}

async function startOnce(options: CodeServerOptions): Promise<CodeServer> {
  const entry = findCodeServer();
  const workspace = path.resolve(options.workspace);
  if (!fs.existsSync(workspace)) throw new Error(`workspace folder does not exist: ${workspace}`);

  const workspaceTrust = options.workspaceTrust ?? process.env.BACKLOG_ATLAS_WORKSPACE_TRUST === '1';
  const ownDirs: string[] = [];
  const scratch = makeTempDir('atlas-cs-');
  ownDirs.push(scratch);
  const userDataDir = options.userDataDir ?? path.join(scratch, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(scratch, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...DEFAULT_SETTINGS,
        ...(workspaceTrust ? { 'security.workspace.trust.enabled': true } : {}),
        ...options.settings,
      },
      null,
      2,
    ),
  );
  // Our own config file: otherwise code-server writes ~/.config/code-server/config.yaml.
  const configFile = path.join(scratch, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const port = options.port && options.port > 0 ? options.port : await freePort();
  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ];

  const output: string[] = [];
  const onLine = (line: string): void => {
    output.push(line);
    if (output.length > 200) output.shift();
    options.onOutput?.(line);
  };
  // detached: code-server leads its own process group, so stop() can kill all its children at once.
  const child = spawn(process.execPath, args, { detached: true, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    live.delete(child);
  });

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!hasExited) {
      killGroup(child, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    }
    // Children may outlive the leader for a moment; make sure none of the group is left.
    killGroup(child, 'SIGKILL');
    live.delete(child);
    for (const dir of ownDirs) removeTempDir(dir);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (hasExited) throw new Error(`code-server exited before it was ready:\n${output.join('\n')}`);
      // /healthz answers once the HTTP server is listening.
      if ((await httpStatus(`${url}/healthz`)) === 200) break;
      if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} in time:\n${output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { url, port, userDataDir, extensionsDir, recentOutput: () => output.join('\n'), stop };
}

export interface WorkbenchUrlOptions {
  /** Folder the window opens (on the server's disk). */
  folder: string;
  /** Loads this folder as an extension under development. */
  extensionDevelopmentPath?: string;
  /** Compiled suite entry (exports run()); makes the window run tests and report through codeAutomationExit. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL for a folder, with the `payload` query that VS Code's own browser
 * integration tests use to pass extensionDevelopmentPath / extensionTestsPath.
 */
export function workbenchUrl(server: Pick<CodeServer, 'url' | 'port'>, options: WorkbenchUrlOptions): string {
  const remote = (p: string): string =>
    `vscode-remote://127.0.0.1:${server.port}${path.resolve(p).split('/').map(encodeURIComponent).join('/')}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  return `${server.url}/?folder=${encodeURIComponent(path.resolve(options.folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Copies a fixture workspace to a fresh temporary folder, because tests change files.
 * With no source (or a missing default) the copy is an empty folder.
 */
export function copyWorkspace(source: string | undefined): { dir: string; remove(): void } {
  const parent = makeTempDir('atlas-ws-');
  const dir = path.join(parent, source ? path.basename(path.resolve(source)) : 'workspace');
  if (source) fs.cpSync(path.resolve(source), dir, { recursive: true });
  else fs.mkdirSync(dir);
  return { dir, remove: () => removeTempDir(parent) };
}
