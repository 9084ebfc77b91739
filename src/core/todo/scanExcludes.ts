// Which files the TODO scan leaves out: `files.exclude`, `search.exclude` and the folder's
// `.gitignore`. ripgrep applies these itself; the JavaScript fallback and the file watcher (which
// sees every file) need them as plain predicates. No `vscode` import, so unit tests run it.

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
 * Globs for the plain patterns of a `.gitignore`. Negations (`!keep.log`) cannot be expressed as
 * an exclude and are skipped, so a negated file stays excluded here; ripgrep, when it runs,
 * reads every `.gitignore` exactly.
 */
export function gitignoreGlobs(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const body = line.replace(/\/+$/, '');
    if (body === '') continue;
    // A pattern with a slash before its end is anchored to the folder; one without matches at any depth.
    if (body.includes('/')) out.push(body.replace(/^\/+/, ''));
    else out.push(`**/${body}`);
  }
  return out;
}

/**
 * A VS Code glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) as a regular expression over a path relative
 * to the workspace folder, as `files.exclude` is matched.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globBody(glob.replace(/^\.\//, ''))}$`);
}

function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches no folder or any number of them; a trailing `**` anything at all.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = matchingBrace(glob, i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${splitTopLevel(glob.slice(i + 1, close)).map(globBody).join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const inner = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
        out += `[${inner.startsWith('!') ? `^${inner.slice(1)}` : inner}]`;
        i = close;
      }
    } else out += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return out;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}') depth--;
    else if (s[i] === ',' && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** A set of exclude globs as one predicate over folder-relative paths. */
export class ExcludeMatcher {
  private readonly res: RegExp[];

  constructor(readonly globs: readonly string[]) {
    this.res = globs.map(globToRegExp);
  }

  /** True when the path, or a folder it lies in, matches one of the globs. */
  excludes(relPath: string): boolean {
    if (this.res.length === 0) return false;
    const parts = relPath.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (this.res.some((re) => re.test(prefix))) return true;
    }
    return false;
  }
}

/** True for bytes that look binary: a NUL in the first 8 KiB, as git and ripgrep decide. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
