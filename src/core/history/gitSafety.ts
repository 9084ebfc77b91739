// How every git this project runs is started (the extension's history reader, the benchmarks, the
// demo): the arguments and the environment, so that a repository cannot make git run a program
// or reach the network. A clone's .git/config (and .gitattributes) can name programs for git to
// run: core.fsmonitor, core.pager and pager.*, diff.external and diff.*.textconv, filter.*, hooks
// (core.hooksPath), core.sshCommand, credential helpers, core.askPass, core.gitProxy, gpg.program
// behind log.showSignature, and protocol.*.allow for `ext::` remotes. Options given with `-c` win
// over every config file; what only the environment can turn off is set there. Pure: the
// adapters spawn the process (never through a shell, always with a time limit).
//
// The user's own global and system config are kept (GIT_CONFIG_NOSYSTEM is not set): they are the
// user's, not the repository's, they hold safe.directory, and every key above is pinned anyway.
// safe.directory is never set: git's refusal of a repository someone else owns stands.

/** Config pinned on the command line: each could run a program, or wait for one. */
export const SAFE_GIT_CONFIG: readonly (readonly [string, string])[] = [
  // A hook or daemon git would start to list changed files.
  ['core.fsmonitor', 'false'],
  ['core.pager', 'cat'],
  // No hook runs, whatever the repository's hooks folder holds.
  ['core.hooksPath', '/dev/null'],
  // Prompts for a password: nothing to ask, no helper to run (an empty value empties the list).
  ['core.askPass', ''],
  ['credential.helper', ''],
  // gpg.program, which signature checks run.
  ['log.showSignature', 'false'],
  // No background housekeeping started from a read.
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
];

/** Subcommands that can print a diff, and so run diff.external or a textconv. */
const DIFFING = new Set(['log', 'show', 'diff', 'diff-tree', 'whatchanged', 'format-patch']);

/** Arguments that make git run the repository's filters or textconv programs. */
const REFUSED = ['--filters', '--textconv', '--ext-diff'];

/**
 * Environment that locates another repository or names a program: a VS Code started from a git
 * hook inherits GIT_DIR, and the rest would win over the pinned config.
 */
const DROPPED = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_EXTERNAL_DIFF',
  'GIT_DIFF_OPTS',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_PROXY_COMMAND',
  'SSH_ASKPASS',
];

/** What git is started with: `file` is the git found by the adapter. */
export interface GitInvocation {
  args: string[];
  env: Record<string, string>;
}

/**
 * The arguments and environment to run `git <args>` with in a repository that is not trusted to
 * be harmless. `args` starts with the subcommand; `config` is the caller's own (`core.quotePath`,
 * say), given before the pinned config, which wins. Throws for arguments that would run the
 * repository's programs (`--filters`, `--textconv`, `--ext-diff`).
 */
export function safeGit(args: readonly string[], baseEnv: Readonly<Record<string, string | undefined>>, config: readonly (readonly [string, string])[] = []): GitInvocation {
  const [command, ...rest] = args;
  if (command === undefined || command.startsWith('-')) throw new Error('safeGit: the arguments start with the subcommand.');
  const refused = args.find((a) => REFUSED.some((r) => a === r || a.startsWith(`${r}=`)));
  if (refused) throw new Error(`safeGit: ${refused} would run a program the repository names.`);
  const pinned = [...config, ...SAFE_GIT_CONFIG].flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const diffing = DIFFING.has(command) ? ['--no-ext-diff', '--no-textconv'] : [];
  return { args: ['--no-pager', ...pinned, command, ...diffing, ...rest], env: safeGitEnv(baseEnv) };
}

/** The environment for `safeGit`: the caller's, less what is dropped, plus what only the environment can say. */
export function safeGitEnv(baseEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined && !DROPPED.includes(key.toUpperCase())) env[key] = value;
  return {
    ...env,
    // No prompt on a terminal nobody watches, and no askpass program (GIT_ASKPASS beats core.askPass).
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    // No transport at all, whatever protocol.*.allow says: a read needs none, and a transport
    // runs ssh (core.sshCommand), a proxy (core.gitProxy) or `ext::` commands. A partial clone's
    // missing versions are not fetched (also GIT_NO_LAZY_FETCH, git 2.44 and later).
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_NO_LAZY_FETCH: '1',
    // Reads take no lock that would get in the way of the user's own git commands.
    GIT_OPTIONAL_LOCKS: '0',
  };
}
