import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';

let started = 0;

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The process is killed after this long, whatever it is doing. */
  timeoutMs: number;
  /** True when the caller writes to its stdin; else it is closed at once. */
  input?: boolean;
}

/**
 * The only way the extension starts a process: lint refuses `child_process` anywhere else in
 * src/vscode. Nothing starts in Restricted Mode, where a repository's config and files could make
 * git or rg run its programs before the user has trusted it; the program must be an absolute path
 * (found outside the workspace, see src/node/executables.ts), is started without a shell, and
 * is killed after `timeoutMs`. Throws instead of starting.
 */
export function startProcess(file: string, args: readonly string[], options: ProcessOptions): ChildProcessWithoutNullStreams {
  if (!vscode.workspace.isTrusted) throw new Error('Backlog Atlas starts no process in Restricted Mode; trust the workspace to allow it.');
  if (!path.isAbsolute(file)) throw new Error(`${file} is not an absolute path; only a program found outside the workspace is started.`);
  const child = spawn(file, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: 'pipe', shell: false, windowsHide: true });
  started++;
  if (!options.input) child.stdin.end();
  const timer = setTimeout(() => child.kill(), options.timeoutMs);
  const stop = () => clearTimeout(timer);
  child.once('close', stop);
  child.once('error', stop);
  return child;
}

/** How many processes `startProcess` started since the extension was loaded: none in Restricted Mode. */
export function processesStarted(): number {
  return started;
}
