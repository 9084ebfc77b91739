import * as vscode from 'vscode';
import { GitRun } from '../../core/branches/gitTree';
import { safeGit } from '../../core/history/gitSafety';
import { findExecutable, isTrustedExecutable, untrustedFolders } from '../../node/executables';
import { Disposable } from './lifecycle';
import { startProcess } from './childProcess';

type Child = ReturnType<typeof startProcess>;

/**
 * Every git the extension starts (the reports' history reader, the branches' ids and diff): in
 * trusted workspaces only (`startProcess` refuses otherwise), with the repository's programs
 * pinned off (src/core/history/gitSafety.ts: fsmonitor, pager, hooks, diff drivers, signature
 * checks, the network), a time limit, and killed when the window closes rather than left running.
 */
export class GitProcesses extends Disposable {
  private readonly children = new Set<Child>();

  constructor() {
    super();
    this.register({
      dispose: () => {
        for (const c of this.children) c.kill();
        this.children.clear();
      },
    });
  }

  /** Starts `git <args>` in `cwd`; `input` true keeps its stdin open for the caller. */
  start(cwd: string, args: string[], options: { timeoutMs: number; input?: boolean }): Child {
    if (this.disposed) throw new Error('the extension is shutting down');
    const git = safeGit(args, process.env, [['core.quotePath', 'false']]);
    const child = startProcess(gitPath(), git.args, { cwd, env: { ...git.env, LC_ALL: 'C' }, timeoutMs: options.timeoutMs, input: options.input });
    this.children.add(child);
    child.on('close', () => this.children.delete(child));
    return child;
  }

  /** Runs git and collects its output, up to `limit` bytes; fails on a non-zero exit with git's first line of error. */
  run(cwd: string, args: string[], options: { timeoutMs: number; limit: number; input?: string }): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = this.start(cwd, args, { timeoutMs: options.timeoutMs, input: options.input !== undefined });
      const chunks: Buffer[] = [];
      let size = 0;
      let err = '';
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > options.limit) {
          child.kill();
          reject(new Error(`git ${args[0]} printed more than ${Math.round(options.limit / 1024 / 1024)} MiB`));
          return;
        }
        chunks.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        if (err.length < 2000) err += c.toString('utf8');
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(err.trim().split('\n')[0] || `git ${args[0]} exited with ${code}`))));
      if (options.input !== undefined) {
        child.stdin.on('error', reject);
        child.stdin.end(options.input);
      }
    });
  }

  /** The core's `GitRun` in `cwd`: each call one git, bounded by `timeoutMs` and `limit`. */
  runner(cwd: string, timeoutMs: number, limit: number): GitRun {
    return (args, input) => this.run(cwd, [...args], { timeoutMs, limit, input });
  }
}

/**
 * The git the built-in Git extension found, when it is running; else the one on PATH. Never one
 * found through a relative PATH entry or inside a workspace folder (the repository could have put
 * it there): throws ENOENT, "not installed", when there is no other.
 */
export function gitPath(): string {
  const untrusted = untrustedFolders((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath));
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): { git: { path: string } } }>('vscode.git');
  try {
    const path = ext?.isActive ? ext.exports.getAPI(1).git.path : undefined;
    if (path && isTrustedExecutable(path, untrusted)) return path;
  } catch {
    // The Git extension is disabled or not ready: PATH it is.
  }
  const found = findExecutable('git', { untrusted });
  if (found) return found;
  const inside = findExecutable('git');
  if (inside) throw new Error(`the git on the PATH (${inside}) is inside the workspace, so it is not run`);
  throw Object.assign(new Error('git was not found on the PATH'), { code: 'ENOENT' });
}
