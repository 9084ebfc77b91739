// Where VS Code keeps its ripgrep, the arguments every TODO scan passes it (the editor's and the
// command line's) and the parsing of its `--json` output. No `vscode` import, so that unit tests
// and the command line run it in plain Node; the adapters only start the process.
import { MAX_FILE_BYTES, ScanScope } from './scanScope';
import { commentSyntaxFor, HitLine, TodoMatch, TodoMatcher, todosOnLines } from './todo';

/**
 * Every place a VS Code installation has kept its ripgrep, most recent layout first. The path
 * moved between versions (`vscode-ripgrep` → `@vscode/ripgrep`, then the per-platform folders of
 * `@vscode/ripgrep-universal`), and Todo Tree's users saw "failed to find ripgrep" each time it
 * did; so every known place is tried, and the caller falls back to `rg` on the PATH.
 */
export function ripgrepCandidates(appRoot: string, platform: string, arch: string): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const root = appRoot.replace(/[\\/]+$/, '');
  const out: string[] = [];
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    out.push(`${root}/${modules}/@vscode/ripgrep-universal/bin/${platform}-${arch}/${exe}`);
    out.push(`${root}/${modules}/@vscode/ripgrep/bin/${exe}`);
    out.push(`${root}/${modules}/vscode-ripgrep/bin/${exe}`);
  }
  return out;
}

/**
 * The longest a scan with rg may take before it is stopped and the files are read instead: rg
 * waits forever on a FIFO named .gitignore, and a repository can hold one.
 */
export const RIPGREP_TIMEOUT_MS = 120_000;

/**
 * The arguments of one scan: rg runs in the folder and searches `.`, so that the rules (see
 * `excludeRules`) are relative to it as the settings are. Each flag pins down something the scan
 * without rg (`ScanScope`) does the same way, so that both find the same files.
 */
export function ripgrepArgs(pattern: string, rules: readonly string[]): string[] {
  const args = [
    '--json',
    // A user's RIPGREP_CONFIG_PATH could add flags that change what is found or how it prints,
    // or name a preprocessor (`--pre`) that rg would run on every file.
    '--no-config',
    '--no-messages',
    '--max-filesize',
    String(MAX_FILE_BYTES),
    // Hidden files and folders are scanned (.github/workflows holds TODOs too); `.git` is left
    // out by a rule.
    '--hidden',
    // Of the ignore files, only the .gitignore files inside the folder count, in a git
    // repository or not: the fallback can read those and nothing else the same way (not the
    // user's global excludes, .git/info/exclude, .ignore files, or folders above this one).
    '--no-require-git',
    '--no-ignore-global',
    '--no-ignore-exclude',
    '--no-ignore-dot',
    '--no-ignore-parent',
  ];
  for (const rule of rules) args.push('--glob', `!${rule}`);
  args.push('-e', pattern, '--', '.');
  return args;
}

/**
 * What the scan needs from rg's JSON lines: a line that may hold a TODO (zero-based, text without
 * its line break), and the end of a file, where rg says whether it found the file binary (a NUL
 * byte, which it may see only after it has reported lines before it). `unnamed` is a text file
 * with hits whose name is not UTF-8 (its path here has U+FFFD for the bytes that are not).
 */
export type RgEvent = { kind: 'match'; path: string; line: number; text: string } | { kind: 'end'; path: string; binary: boolean } | { kind: 'unnamed'; path: string };

/**
 * Turns rg's `--json` output, in chunks as the pipe delivers them, into events. A chunk can end
 * in the middle of a line, so the tail is kept for the next one.
 */
export class RgJsonStream {
  /** The pieces of the line under way; joined once it is complete, so a long line costs its length once. */
  private tail: string[] = [];

  push(chunk: string): RgEvent[] {
    const out: RgEvent[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      this.tail.push(chunk.slice(start, nl));
      for (const ev of parseRgLine(this.tail.join(''))) out.push(ev);
      this.tail = [];
      start = nl + 1;
    }
    if (start < chunk.length) this.tail.push(chunk.slice(start));
    return out;
  }

  end(): RgEvent[] {
    const rest = this.tail.join('');
    this.tail = [];
    return parseRgLine(rest);
  }
}

/** One line of rg's JSON output; anything unexpected is skipped, never thrown. */
export function parseRgLine(line: string): RgEvent[] {
  if (line.trim() === '') return [];
  // A file's first line says only that rg opened it (one in three of a scan's lines): nothing
  // to read. rg writes the type first; a line in another order is parsed, to the same end.
  if (line.startsWith('{"type":"begin",')) return [];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return [];
  }
  if (!isRecord(value) || !isRecord(value.data)) return [];
  const data = value.data;
  // A path that is not UTF-8 comes as bytes: no name the fallback could list or open the same
  // way, so such files are left out on both paths, and said to be (`unnamed`) once rg is done
  // with one that is not binary.
  const path = isRecord(data.path) && typeof data.path.text === 'string' ? data.path.text : undefined;
  if (path === undefined) {
    if (value.type !== 'end' || !isRecord(data.path) || typeof data.path.bytes !== 'string' || typeof data.binary_offset === 'number') return [];
    return [{ kind: 'unnamed', path: new TextDecoder().decode(Buffer.from(data.path.bytes, 'base64')) }];
  }
  if (value.type === 'match') {
    const text = textOf(data.lines);
    if (text === undefined || typeof data.line_number !== 'number') return [];
    return [{ kind: 'match', path, line: data.line_number - 1, text: withoutLineBreak(text) }];
  }
  if (value.type === 'end') return [{ kind: 'end', path, binary: typeof data.binary_offset === 'number' }];
  return [];
}

/** rg's line as `hitLines` gives it: without `\n` or `\r\n`. */
function withoutLineBreak(text: string): string {
  if (!text.endsWith('\n')) return text;
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.slice(0, -1);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** rg writes `{text}` for UTF-8 and `{bytes}` (base64) for anything else, decoded as the fallback decodes a file. */
function textOf(v: unknown): string | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v.text === 'string') return v.text;
  if (typeof v.bytes === 'string') return new TextDecoder().decode(Buffer.from(v.bytes, 'base64'));
  return undefined;
}

/** A file rg is done with: its path relative to the folder searched, and its hit lines. */
export interface RgFile {
  path: string;
  hits: HitLine[];
}

/**
 * Gathers rg's hit lines per file and hands a file over at its `end` event, unless rg found it
 * binary there: the fallback skips a file with a NUL anywhere, and so must this path.
 */
export class RgFiles {
  private readonly open = new Map<string, HitLine[]>();

  take(ev: RgEvent): RgFile | undefined {
    const path = relativeRgPath(ev.path);
    if (ev.kind === 'unnamed') return undefined;
    if (ev.kind === 'match') {
      const list = this.open.get(path);
      if (list) list.push({ line: ev.line, text: ev.text });
      else this.open.set(path, [{ line: ev.line, text: ev.text }]);
      return undefined;
    }
    const hits = this.open.get(path);
    this.open.delete(path);
    return hits && !ev.binary ? { path, hits } : undefined;
  }
}

/** rg prints `./src/a.ts`, or `.\src\a.ts` on Windows; elsewhere a backslash belongs to the name. */
function relativeRgPath(path: string): string {
  return path.startsWith('.\\') ? path.slice(2).replace(/\\/g, '/') : path.replace(/^\.\//, '');
}

/**
 * The folder-relative path of a file the scan would have read but cannot, because its name is not
 * UTF-8 (for a warning: the scan says so rather than skip it silently); undefined for any other
 * event, and for a file the scan would not read anyway.
 */
export function unnamedFile(scope: ScanScope, ev: RgEvent): string | undefined {
  if (ev.kind !== 'unnamed') return undefined;
  const path = relativeRgPath(ev.path);
  return scope.takesFromRipgrep(path) ? path : undefined;
}

/**
 * The TODOs of a file rg reported, decided as the walk decides a file it reads (`todosInText`):
 * from rg's lines alone where they suffice, else from them and the file, read once more.
 */
export async function todosOfRipgrepFile(scope: ScanScope, matcher: TodoMatcher, file: RgFile): Promise<TodoMatch[]> {
  const syntax = commentSyntaxFor(file.path);
  if (!syntax || !scope.takesFromRipgrep(file.path)) return [];
  const fromLines = todosOnLines(matcher, file.hits, syntax);
  if (fromLines) return fromLines;
  const text = await scope.readLines(file.path, matcher);
  // rg's hit lines are those `hitLines` finds in the text (the pattern finds every line the
  // matcher's does, and lines the matcher finds nothing on give nothing): no second search.
  return text === undefined ? [] : (todosOnLines(matcher, file.hits, syntax, text) ?? []);
}
