// One set of git traps for every test that checks git runs no program a repository names: the
// unit test of `safeGit` (test/unit/gitSafety.test.ts) and the reports panel's history reader in
// VS Code (test/suite/reports.test.ts). A place git could run a program that is missing here is
// missing from both, so it is added once.
import * as fs from 'fs';
import * as path from 'path';

/** Each program a repository can name for git to run, by what it stands in for. */
export const GIT_TRAPS = ['fsmonitor', 'pager', 'external-diff', 'textconv', 'filter', 'hook', 'gpg', 'ssh'] as const;
export type GitTrap = (typeof GIT_TRAPS)[number];

/** A pager, filter or textconv passes its input on; the others stop (ssh would otherwise wait on git, which waits on it). */
const PASSES: readonly GitTrap[] = ['pager', 'filter', 'textconv'];

/** Hooks git runs on commits, ref updates, checkouts and index changes. */
const HOOKS = ['pre-commit', 'post-commit', 'reference-transaction', 'post-checkout', 'post-index-change'];

/**
 * Writes one shell script per trap into `dir` (and `dir/hooks/`), each appending a line to `fired`
 * when it runs: its name alone, or with `withCaller` its name, `: ` and the command line of the
 * git that ran it (to say which read sprang it).
 */
export function writeGitTraps(dir: string, fired: string, { withCaller = false } = {}): void {
  fs.mkdirSync(path.join(dir, 'hooks'), { recursive: true });
  const note = (name: string) => (withCaller ? `echo "${name}: $(tr '\\0' ' ' < /proc/$PPID/cmdline)" >> '${fired}'` : `echo ${name} >> '${fired}'`);
  for (const name of GIT_TRAPS) fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${note(name)}\n${PASSES.includes(name) ? 'cat' : 'exit 1'}\n`, { mode: 0o755 });
  for (const hook of HOOKS) fs.writeFileSync(path.join(dir, 'hooks', hook), `#!/bin/sh\n${note('hook')}\n`, { mode: 0o755 });
}

/**
 * The config that points git at the traps in `dir`: every key that names a program, plus a
 * partial clone whose promisor remote (`remoteUrl`, over ssh) a missing version is fetched from.
 * Pair it with a `.gitattributes` naming `diff=trap filter=trap`.
 */
export function gitTrapConfig(dir: string, remoteUrl: string): [string, string][] {
  const trap = (name: GitTrap) => path.join(dir, name);
  return [
    ['core.fsmonitor', trap('fsmonitor')],
    ['core.pager', trap('pager')],
    ['pager.log', 'true'],
    ['diff.external', trap('external-diff')],
    ['diff.trap.textconv', trap('textconv')],
    ['filter.trap.clean', trap('filter')],
    ['filter.trap.smudge', trap('filter')],
    ['core.hooksPath', path.join(dir, 'hooks')],
    ['log.showSignature', 'true'],
    ['gpg.program', trap('gpg')],
    ['core.repositoryformatversion', '1'],
    ['extensions.partialClone', 'origin'],
    ['remote.origin.url', remoteUrl],
    ['remote.origin.promisor', 'true'],
    ['core.sshCommand', trap('ssh')],
    ['protocol.ssh.allow', 'always'],
    ['credential.helper', trap('ssh')],
  ];
}
