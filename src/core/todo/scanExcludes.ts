// What the TODO scan leaves out besides .gitignore: the exclude settings, as rules that ripgrep
// gets as `--glob !<rule>` and that the scan without ripgrep applies the same way (see
// scanScope.ts). No `vscode` import, so that unit tests and the command line use it.
import { isValidGlob } from './gitignore';

/** The globs an exclude setting turns on (`{"**\/node_modules": true}`); conditional entries are skipped. */
export function enabledGlobs(...settings: unknown[]): string[] {
  const out = new Set<string>();
  for (const setting of settings) {
    if (typeof setting !== 'object' || setting === null) continue;
    for (const [glob, on] of Object.entries(setting as Record<string, unknown>)) if (on === true && glob.trim() !== '') out.add(glob.trim());
  }
  return [...out];
}

/**
 * VS Code's defaults for `files.exclude` and `search.exclude`: what the command line, which has
 * no settings, leaves out, so that it finds what the editor finds in a workspace left at them.
 */
export const DEFAULT_EXCLUDES: readonly string[] = ['**/.git', '**/.svn', '**/.hg', '**/.DS_Store', '**/Thumbs.db', '**/node_modules', '**/bower_components', '**/*.code-search'];

/**
 * The exclude rules of a scan, in gitignore syntax: `.git` always (hidden folders are scanned,
 * git's own data is not), then each setting's glob. VS Code matches a glob against the whole
 * path from the workspace folder, so one without a slash (`dist`, `*.js`) names an entry at the
 * top only; in gitignore syntax it would match at any depth, so it is anchored with a leading
 * `/`. Globs ripgrep would refuse (it stops with an error) are left out.
 */
export function excludeRules(globs: readonly string[]): string[] {
  const out = new Set(['.git']);
  for (const glob of globs) {
    const rule = glob.startsWith('./') ? glob.slice(2) : glob;
    const anchored = withoutTrailingSlashes(rule).includes('/') ? rule : `/${rule}`;
    if (isValidGlob(anchored)) out.add(anchored);
  }
  return [...out];
}

function withoutTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}
