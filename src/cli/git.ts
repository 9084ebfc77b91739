// The command line's git: the user's own command in their own repository, so it runs git, but
// with the extension's pinned config (src/core/history/gitSafety.ts: no hooks, pager, fsmonitor,
// diff drivers or network), without a shell, with a time limit and a bound on what it reads.
import { spawn } from 'child_process';
import { GitRun } from '../core/branches/gitTree';
import { safeGit } from '../core/history/gitSafety';
import { findExecutable, untrustedFolders } from '../node/executables';

/** One git call is stopped after this long. */
export const GIT_TIMEOUT_MS = 30_000;
/** The most one git call may print: a backlog's tree or files, never a whole repository's. */
export const GIT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * A `GitRun` in `cwd`: git from the PATH (never one inside the repository), pinned config, no
 * shell. Rejects with git's first line of error, or when git is missing, too slow or too wordy.
 */
export function cliGitRun(cwd: string): GitRun {
  return (args, input) =>
    new Promise((resolve, reject) => {
      const file = findExecutable('git', { untrusted: untrustedFolders([cwd]) });
      if (!file) {
        reject(new Error('git was not found on the PATH'));
        return;
      }
      const git = safeGit(args, process.env, [['core.quotePath', 'false']]);
      const child = spawn(file, git.args, { cwd, env: { ...git.env, LC_ALL: 'C' }, stdio: 'pipe', shell: false, windowsHide: true });
      const timer = setTimeout(() => child.kill(), GIT_TIMEOUT_MS);
      const chunks: Buffer[] = [];
      let size = 0;
      let err = '';
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > GIT_MAX_BYTES) child.kill();
        else chunks.push(c);
      });
      child.stderr.on('data', (c: Buffer) => {
        if (err.length < 2000) err += c.toString('utf8');
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && size <= GIT_MAX_BYTES) resolve(Buffer.concat(chunks));
        else reject(new Error(size > GIT_MAX_BYTES ? `git ${args[0]} printed more than ${GIT_MAX_BYTES / 1024 / 1024} MiB` : err.trim().split('\n')[0] || `git ${args[0]} exited with ${code ?? 'a signal'}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
}
