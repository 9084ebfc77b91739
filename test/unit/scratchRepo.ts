// A git repository in a temp folder for the tests that read branches: commits dated as asked,
// no user config needed.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ScratchRepo {
  dir: string;
  git(args: string[], date?: string): string;
  write(p: string, text: string): void;
  remove(p: string): void;
  /** Adds everything and commits, dated `date` (ISO) when given. */
  commit(message: string, date?: string): void;
  dispose(): void;
}

export function scratchRepo(prefix = 'atlas-branches-'): ScratchRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_CONFIG_NOSYSTEM: '1', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    }).toString('utf8');
  git(['init', '-q', '-b', 'main']);
  return {
    dir,
    git,
    write: (p, text) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    },
    remove: (p) => fs.rmSync(path.join(dir, p)),
    commit: (message, date) => {
      git(['add', '-A']);
      git(['commit', '-q', '--no-verify', '-m', message], date);
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
