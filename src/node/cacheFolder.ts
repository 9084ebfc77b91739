import * as os from 'os';
import * as nodePath from 'path';

/**
 * The command line's own folder in the user's cache: `$XDG_CACHE_HOME/backlog-atlas` when that
 * names an absolute path, else `~/.cache/backlog-atlas`. The index cache and the saved bytecode
 * live under it, never in a repository.
 */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const base = env.XDG_CACHE_HOME && nodePath.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : nodePath.join(home, '.cache');
  return nodePath.join(base, 'backlog-atlas');
}
