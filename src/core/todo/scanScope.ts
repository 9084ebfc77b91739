// Which files a TODO scan reads, and how it reads them, whichever way it runs: with ripgrep (see
// ripgrepArgs) or, where rg cannot run (no rg, an untrusted or virtual workspace), by the walk
// here. Both leave out the same files: hidden ones are read, symbolic links are not followed,
// the .gitignore files inside the folder count as ripgrep reads them (gitignore.ts), the exclude
// rules and the size cap are the same, a NUL byte makes a file binary. Both command line and
// editor use this; the file system comes from the adapter (Node's, or workspace.fs).
import { IgnoreRules } from './gitignore';
import { excludeRules } from './scanExcludes';
import { commentSyntaxFor, LINE_BY_LINE_CHARS, LineText, TodoMatch, TodoMatcher, todosInText } from './todo';

/** Files larger than this are not read: generated or vendored code, not notes to self. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** A symbolic link is `other`: ripgrep does not follow links, so the walk does not either. */
export type EntryKind = 'file' | 'directory' | 'other';

/**
 * One entry of a folder. `unnamed` marks a name that is not UTF-8 (shown with U+FFFD for the bytes
 * that are not): it cannot be opened by that name, so the walk reports it instead of reading it.
 */
export type ScanEntry = readonly [name: string, kind: EntryKind, unnamed?: boolean];

/** What the scan needs of a file system; paths are '/'-separated and relative to the folder ('' is the folder). */
export interface ScanFileSystem {
  /** A folder's entries, or undefined when it cannot be listed. */
  list(dir: string): Promise<readonly ScanEntry[] | undefined>;
  /** An entry's kind and size, a symbolic link not followed; undefined when it is not there. */
  stat(path: string): Promise<{ kind: EntryKind; size: number } | undefined>;
  read(path: string): Promise<Uint8Array | undefined>;
  /**
   * Bytes that are all ASCII as text, faster than a TextDecoder (which builds a two-byte string
   * of them), or undefined when they are not all ASCII; where the platform has a way.
   */
  asciiText?(bytes: Uint8Array): string | undefined;
  /** The bytes as text, one character per byte (Latin-1), where the platform has a fast way. */
  latin1Text?(bytes: Uint8Array): string;
  /** Whether the bytes are all ASCII, where the platform has a fast way (with `latin1Text`). */
  isAscii?(bytes: Uint8Array): boolean;
  /**
   * A regular file's bytes, not through a link and at most `maxBytes` of them, else undefined:
   * `stat` then `read` in one step, where the platform can check both on the opened file (one
   * system call fewer for each of the thousands of files a scan reads).
   */
  readRegular?(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

/** How a long walk is stopped and made to yield (the extension host must not be held up). */
export interface ScanControl {
  cancelled?(): boolean;
  /** Awaited after each folder. */
  pause?(): Promise<void>;
  /** A file (or folder, ending in `/`) the scan would read but cannot, because its name is not UTF-8. */
  unnamed?(path: string): void;
}

/** What a folder adds to the rules below it. */
interface FolderRules {
  dir: string;
  gitignore: IgnoreRules | undefined;
  /** A `.git` here makes the folder a repository of its own, which outer .gitignore files do not reach. */
  hasGit: boolean;
  /** False for a path that is not a folder (a link to one, say): rg does not walk into it. */
  walked: boolean;
}

/** The files one scan of one folder reads. */
export class ScanScope {
  /** The exclude rules, in gitignore syntax: what ripgrep gets as `--glob !<rule>`. */
  readonly rules: readonly string[];
  /** The rules as rg holds its `--glob`s: `!rule` lines, each a match that leaves the path out. */
  private readonly excludes: IgnoreRules;
  /** `folderTaken`'s answers: the rules and skipped folders are fixed, so each folder's answer is too. */
  private readonly foldersTaken = new Map<string, boolean>();
  private readonly folders = new Map<string, FolderRules | Promise<FolderRules>>();

  /**
   * @param excludeGlobs the exclude settings' globs (`DEFAULT_EXCLUDES` for the command line)
   * @param skipped folders whose contents are not code (backlog roots), relative to the folder
   */
  constructor(
    private readonly fs: ScanFileSystem,
    excludeGlobs: readonly string[],
    private readonly skipped: readonly string[] = [],
  ) {
    this.rules = excludeRules(excludeGlobs);
    this.excludes = new IgnoreRules(this.rules.map((r) => `!${r}`));
  }

  /** The files to read when rg cannot run, as rg would list them: those with a comment syntax. */
  async files(control: ScanControl = {}): Promise<string[]> {
    const out: string[] = [];
    const visit = async (dir: string, above: FolderRules[]): Promise<void> => {
      if (control.cancelled?.()) return;
      const entries = await this.fs.list(dir);
      if (!entries) return;
      const chain = [...above, await this.folderRules(dir, entries)];
      const folders: string[] = [];
      for (const [name, kind, unnamed] of entries) {
        const path = dir === '' ? name : `${dir}/${name}`;
        if (unnamed) {
          // Said, not skipped silently: the same rules decide whether the scan would read it.
          if (kind === 'directory' ? !this.leftOut(path, true, chain) : kind === 'file' && commentSyntaxFor(path) && !this.leftOut(path, false, chain)) control.unnamed?.(kind === 'directory' ? `${path}/` : path);
        } else if (kind === 'directory') {
          if (!this.leftOut(path, true, chain)) folders.push(path);
        } else if (kind === 'file' && commentSyntaxFor(path) && !this.leftOut(path, false, chain)) out.push(path);
      }
      await control.pause?.();
      for (const folder of folders) await visit(folder, chain);
    };
    await visit('', []);
    return out;
  }

  /** Whether a scan would read this file (for a file that changed): the walk's rules, along its path only. */
  async includes(path: string): Promise<boolean> {
    if (!commentSyntaxFor(path)) return false;
    const parts = path.split('/');
    const chain = [await this.folderRules('')];
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.leftOut(dir, true, chain)) return false;
      const rules = await this.folderRules(dir);
      if (!rules.walked) return false;
      chain.push(rules);
    }
    return !this.leftOut(path, false, chain);
  }

  /** `includes` from what has been read so far; undefined until `includes` has read the folders on the path. */
  includesNow(path: string): boolean | undefined {
    if (!commentSyntaxFor(path)) return false;
    const parts = path.split('/');
    const chain: FolderRules[] = [];
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (i > 0 && this.leftOut(dir, true, chain)) return false;
      const rules = this.folders.get(dir);
      if (rules === undefined || rules instanceof Promise) return undefined;
      if (!rules.walked) return false;
      chain.push(rules);
    }
    return !this.leftOut(path, false, chain);
  }

  /**
   * For a file ripgrep reported: whether the scan takes it. rg applied the .gitignore files and
   * the rules; what it cannot know is which files have a comment syntax and which folders hold
   * backlogs, and the rules are checked once more in case a glob reads differently to it.
   */
  takesFromRipgrep(path: string): boolean {
    if (!commentSyntaxFor(path)) return false;
    const slash = path.lastIndexOf('/');
    if (slash !== -1 && !this.folderTaken(path.slice(0, slash))) return false;
    return !this.isSkipped(path) && this.excludes.match(path, false) !== 'whitelist';
  }

  /** Whether neither a folder nor any above it is skipped or excluded; remembered per folder, as rg reports many files of each. */
  private folderTaken(dir: string): boolean {
    const known = this.foldersTaken.get(dir);
    if (known !== undefined) return known;
    // The folders on the way down, top first, each decided once.
    let taken = true;
    for (let at = dir.indexOf('/'); ; at = dir.indexOf('/', at + 1)) {
      const p = at === -1 ? dir : dir.slice(0, at);
      let t = this.foldersTaken.get(p);
      if (t === undefined) {
        t = taken && !this.isSkipped(p) && this.excludes.match(p, true) !== 'whitelist';
        this.foldersTaken.set(p, t);
      }
      taken = t;
      if (at === -1) return taken;
    }
  }

  /** A file's text as rg reads it, or undefined when the scan does not read it (gone, too big, binary, not a file). */
  async readText(path: string): Promise<string | undefined> {
    const bytes = await this.readBytes(path);
    return bytes && decodeForScan(bytes, this.fs.asciiText?.bind(this.fs));
  }

  /**
   * What `todosOnLines` needs of a file: the whole text (`readText`), or, where the platform
   * reads bytes as Latin-1 and the text is UTF-8, a `LineText` that decodes only the lines with
   * tags. Most of a scan's reading was decoding texts (TextDecoder builds a two-byte string of a
   * file with one accent in it).
   */
  async readLines(path: string, matcher: TodoMatcher): Promise<string | LineText | undefined> {
    const latin1 = this.fs.latin1Text?.bind(this.fs);
    if (!latin1 || !matcher.asciiTags) return this.readText(path);
    const bytes = await this.readBytes(path);
    if (!bytes) return undefined;
    // Not UTF-8 (a UTF-16 byte-order mark): decoded whole, as before.
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return decodeForScan(bytes, this.fs.asciiText?.bind(this.fs));
    if (bytes.includes(0)) return undefined;
    // UTF-8 decodes to no more characters than it has bytes, and to at least one for each byte
    // that does not continue a sequence (even where it is not UTF-8, a U+FFFD each), less the
    // byte-order mark; so to at least one for every three bytes after that mark. That is enough
    // to tell most texts' side of LINE_BY_LINE_CHARS unread.
    if (bytes.length > LINE_BY_LINE_CHARS) {
      const long = (bytes.length - 3) / 3 > LINE_BY_LINE_CHARS || this.fs.isAscii?.(bytes) || startsOfSequences(bytes, LINE_BY_LINE_CHARS + 2) - 1 > LINE_BY_LINE_CHARS;
      if (long) return { state: '', line: () => '', long: true };
      return decodeForScan(bytes, this.fs.asciiText?.bind(this.fs));
    }
    // A UTF-8 sequence never holds a byte below 0x80, so a line's bytes decode to that line of
    // the whole text; a byte-order mark is dropped at the start of the text, as the whole text's
    // decoder drops it, and kept (U+FEFF) at the start of any other line.
    const decode = (start: number, stop: number) => new TextDecoder('utf-8', { ignoreBOM: start !== 0 }).decode(bytes.subarray(start, stop));
    return { state: latin1(bytes), line: (start, stop) => latin1Line(bytes, start, stop, latin1) ?? decode(start, stop), long: false };
  }

  private async readBytes(path: string): Promise<Uint8Array | undefined> {
    if (this.fs.readRegular) return this.fs.readRegular(path, MAX_FILE_BYTES);
    const st = await this.fs.stat(path);
    if (st?.kind !== 'file' || st.size > MAX_FILE_BYTES) return undefined;
    return this.fs.read(path);
  }

  private isSkipped(path: string): boolean {
    return this.skipped.some((dir) => dir === '' || path === dir || path.startsWith(`${dir}/`));
  }

  /**
   * Whether a path is left out, given the rules of the folders above it (deepest last), in
   * ripgrep's order: a backlog folder; an exclude rule, which wins over everything; else the
   * deepest .gitignore with a rule that matches, stopping at a nested repository's root.
   */
  private leftOut(path: string, isDir: boolean, chain: readonly FolderRules[]): boolean {
    if (this.isSkipped(path)) return true;
    if (this.excludes.match(path, isDir) === 'whitelist') return true;
    for (let k = chain.length - 1; k >= 0; k--) {
      const folder = chain[k];
      if (folder.gitignore) {
        const m = folder.gitignore.match(folder.dir === '' ? path : path.slice(folder.dir.length + 1), isDir);
        if (m !== undefined) return m === 'ignore';
      }
      if (folder.hasGit) break;
    }
    return false;
  }

  /** A folder's .gitignore and whether it has a `.git`, read once; from its listing when the walk has it. */
  private folderRules(dir: string, entries?: readonly ScanEntry[]): Promise<FolderRules> | FolderRules {
    const known = this.folders.get(dir);
    if (known) return known;
    const at = (name: string) => (dir === '' ? name : `${dir}/${name}`);
    const load = async (): Promise<FolderRules> => {
      const walked = entries !== undefined || dir === '' || (await this.fs.stat(dir))?.kind === 'directory';
      const hasGit = entries ? entries.some(([name]) => name === '.git') : (await this.fs.stat(at('.git'))) !== undefined;
      const bytes = !entries || entries.some(([name]) => name === '.gitignore') ? await this.fs.read(at('.gitignore')) : undefined;
      const rules: FolderRules = { dir, gitignore: bytes ? IgnoreRules.fromFile(bytes) : undefined, hasGit, walked };
      this.folders.set(dir, rules);
      return rules;
    };
    const pending = load();
    this.folders.set(dir, pending);
    return pending;
  }
}

/**
 * A file's text as ripgrep reads it: a UTF-16 byte-order mark means UTF-16, a UTF-8 one is
 * dropped, anything else is UTF-8 with bad bytes replaced (`asciiText`: see ScanFileSystem). Undefined for a binary file: a NUL
 * anywhere in the text (rg stops at the first and drops the file, see `RgFiles`).
 */
export function decodeForScan(bytes: Uint8Array, asciiText?: (bytes: Uint8Array) => string | undefined): string | undefined {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16le').decode(swapPairs(bytes));
  // In UTF-8 a NUL character is a NUL byte and nothing else (a bad sequence becomes U+FFFD), so
  // a binary file is known from its bytes, before the cost of decoding it. ASCII (most code) is
  // its own UTF-8 and has no byte-order mark.
  else return bytes.includes(0) ? undefined : (asciiText?.(bytes) ?? new TextDecoder('utf-8').decode(bytes));
  return text.includes('\0') ? undefined : text;
}

/** UTF-16BE as UTF-16LE (not every runtime's TextDecoder knows `utf-16be`). */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  if (bytes.length % 2 === 1) out[bytes.length - 1] = bytes[bytes.length - 1];
  return out;
}

/** How many bytes are not UTF-8 continuation bytes (0x80–0xBF), counted up to `enough`. */
function startsOfSequences(bytes: Uint8Array, enough: number): number {
  let n = 0;
  for (let i = 0; i < bytes.length && n < enough; i++) if ((bytes[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** A line of ASCII bytes as its text, else undefined (the line must be decoded). */
function latin1Line(bytes: Uint8Array, start: number, end: number, latin1: (bytes: Uint8Array) => string): string | undefined {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return undefined;
  return latin1(bytes.subarray(start, end));
}

/** The TODOs of a file the scan reads itself (the walk's, a changed file's). */
export async function todosOfFile(scope: ScanScope, matcher: TodoMatcher, path: string): Promise<TodoMatch[]> {
  const syntax = commentSyntaxFor(path);
  if (!syntax) return [];
  const text = await scope.readText(path);
  return text === undefined ? [] : todosInText(matcher, text, syntax);
}
