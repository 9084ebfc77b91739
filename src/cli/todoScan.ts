// The command line's TODO scan: the core's (src/core/todo) over Node's fs, with `rg` as a child
// process when there is one. What is read and how it is matched is the core's, shared with the
// editor, so `backlog-atlas todos` finds what the editor finds, with or without rg.
import { spawn, spawnSync } from 'child_process';
import { lstatSync, promises as fs } from 'fs';
import * as nodePath from 'path';
import { ripgrepArgs, RgFiles, RgJsonStream, RIPGREP_TIMEOUT_MS, todosOfRipgrepFile, unnamedFile } from '../core/todo/ripgrep';
import { DEFAULT_EXCLUDES } from '../core/todo/scanExcludes';
import { decodeForScan, EntryKind, MAX_FILE_BYTES, ScanEntry, ScanFileSystem, ScanScope, todosOfFile } from '../core/todo/scanScope';
import { commentSyntaxFor, TodoMatch, TodoMatcher, todosInText } from '../core/todo/todo';
import { findExecutable, untrustedFolders } from '../node/executables';
import { asciiText, isAscii, latin1Text } from '../node/bytesText';
import { readRegularFile, readRegularFileSync } from '../node/safeRead';

/** A TODO and the file it is in (absolute, POSIX separators). */
export interface FileTodo extends TodoMatch {
  path: string;
}

const READ_CONCURRENCY = 32;
/** `rg --version` answers at once; one that does not is not used. */
const PROBE_TIMEOUT_MS = 10_000;
/** A relative path with a segment that is empty, `.` or `..`, or a leading or trailing `/`. */
const PATH_TO_NORMALISE = /(?:^|\/)\.{0,2}(?:\/|$)/;

/** The most read of one file: source files over MAX_FILE_BYTES are not read at all, .gitignore files may be bigger. */
const MAX_READ_BYTES = 16 * MAX_FILE_BYTES;

/**
 * `BACKLOG_ATLAS_RG` (an absolute path), else `rg` on the PATH, or undefined. An `rg` found
 * through a relative PATH entry (`.`, an empty one) or inside `untrusted` (the folders scanned
 * and their repositories: npm puts node_modules/.bin on the PATH) is never run: the repository
 * being scanned could have put it there.
 */
export function findRipgrep(untrusted: readonly string[] = untrustedFolders([process.cwd()])): string | undefined {
  const chosen = process.env.BACKLOG_ATLAS_RG;
  const candidates = [chosen && nodePath.isAbsolute(chosen) ? chosen : undefined, findExecutable('rg', { untrusted })];
  for (const c of candidates) {
    if (!c) continue;
    if (spawnSync(c, ['--version'], { stdio: 'ignore', shell: false, timeout: PROBE_TIMEOUT_MS }).status === 0) return c;
  }
  return undefined;
}

/**
 * Finds TODOs under `dirs`, each scanned as the editor scans a workspace folder left at VS Code's
 * default excludes. With ripgrep, rg picks the lines that may hold one; without it, the core walks
 * the folders and leaves out what rg would. `skipDirs` (absolute) are not scanned: backlog
 * folders hold items, not code.
 */
export async function scanTodos(
  dirs: string[],
  matcher: TodoMatcher,
  options: {
    rg?: string | null;
    skipDirs?: readonly string[];
    rgTimeoutMs?: number;
    /** A file (absolute; a folder ends in `/`) the scan would read but cannot: its name is not UTF-8. */
    onUnnamed?: (path: string) => void;
  } = {},
): Promise<FileTodo[]> {
  const rg = options.rg === undefined ? findRipgrep(untrustedFolders(dirs)) : (options.rg ?? undefined);
  const found = new Map<string, FileTodo[]>();
  for (const dir of dirs.map((d) => nodePath.resolve(d))) {
    const root = toPosix(dir);
    const skipped = (options.skipDirs ?? []).map(toPosix).flatMap((s) => (s === root ? [''] : s.startsWith(`${root}/`) ? [s.slice(root.length + 1)] : []));
    const scope = new ScanScope(new NodeScanFileSystem(dir), DEFAULT_EXCLUDES, skipped);
    const add = (rel: string, todos: TodoMatch[]) => {
      const path = `${root}/${rel}`;
      if (todos.length > 0) found.set(path, todos.map((t) => ({ ...t, path })));
    };
    const unnamed = (rel: string) => options.onUnnamed?.(`${root}/${rel}`);
    // An rg that fails or stalls (it waits forever on a FIFO named .gitignore) is stopped, and
    // the files are read instead: the same TODOs either way.
    const ran = rg ? await scanWithRipgrep(rg, dir, scope, matcher, add, options.rgTimeoutMs ?? RIPGREP_TIMEOUT_MS, unnamed).then(() => true, () => false) : false;
    if (!ran) await scanFolder(scope, matcher, add, unnamed);
  }
  return [...found.values()].flat().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
}

/** TODOs of one file; binary, oversized and unreadable files have none. */
export async function scanFile(path: string, matcher: TodoMatcher): Promise<FileTodo[]> {
  const syntax = commentSyntaxFor(toPosix(path));
  if (!syntax) return [];
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_FILE_BYTES);
  } catch {
    return [];
  }
  const text = decodeForScan(bytes, asciiText);
  return text === undefined ? [] : todosInText(matcher, text, syntax).map((t) => ({ ...t, path: toPosix(path) }));
}

async function scanFolder(scope: ScanScope, matcher: TodoMatcher, add: (rel: string, todos: TodoMatch[]) => void, unnamed: (rel: string) => void): Promise<void> {
  const files = await scope.files({ unnamed });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const rel = files[next++];
      add(rel, await todosOfFile(scope, matcher, rel));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
}

function scanWithRipgrep(
  rg: string,
  dir: string,
  scope: ScanScope,
  matcher: TodoMatcher,
  add: (rel: string, todos: TodoMatch[]) => void,
  timeoutMs: number,
  unnamed: (rel: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // Streamed, not buffered: a large tree has many hits (Todo Tree's exec with a 200 KB buffer
    // failed on exactly that). rg runs in the folder, as in the editor, so rules are relative to it.
    const child = spawn(rg, ripgrepArgs(matcher.ripgrepPattern(), scope.rules), { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], shell: false });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', () => clearTimeout(timer));
    const stream = new RgJsonStream();
    const files = new RgFiles();
    const pending: Promise<void>[] = [];
    const take = (events: ReturnType<RgJsonStream['push']>) => {
      for (const ev of events) {
        const lost = unnamedFile(scope, ev);
        if (lost !== undefined) unnamed(lost);
        const file = files.take(ev);
        if (file) pending.push(todosOfRipgrepFile(scope, matcher, file).then((todos) => add(file.path, todos)));
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => take(stream.push(chunk)));
    child.on('error', reject);
    // rg exits 1 when nothing matched, and 2 when some files could not be read (the fallback
    // skips those too): results either way.
    child.on('close', (code) => {
      if (code !== 0 && code !== 1 && code !== 2) return reject(new Error(`ripgrep exited with ${code ?? 'a signal'}`));
      take(stream.end());
      Promise.all(pending).then(() => resolve(), reject);
    });
  });
}

/** Node's fs as the scan sees a folder: paths relative to `root`, links not followed. */
export class NodeScanFileSystem implements ScanFileSystem {
  /** The root as path.join leaves it, with its separator: what a plain relative path is joined to. */
  private readonly prefix: string;

  constructor(private readonly root: string) {
    this.prefix = nodePath.join(root, 'x').slice(0, -1);
  }

  async list(dir: string): Promise<ScanEntry[] | undefined> {
    try {
      // Names as bytes: one that is not UTF-8 would come back with U+FFFD in it and open nothing.
      const entries = await fs.readdir(this.abs(dir), { withFileTypes: true, encoding: 'buffer' });
      return entries.map((e): ScanEntry => {
        const kind: EntryKind = e.isFile() ? 'file' : e.isDirectory() ? 'directory' : 'other';
        const name = utf8Name(e.name);
        return name === undefined ? [new TextDecoder().decode(e.name), kind, true] : [name, kind];
      });
    } catch {
      return undefined;
    }
  }

  // stat and read without the thread pool: the command line has no event loop to keep free, and
  // a scan reads thousands of files, each four or five system calls that would otherwise each
  // be a trip through libuv's pool (a third of the scan's time on a large tree). Neither can
  // block: the file is opened non-blocking and fstat'ed before a byte is read.
  async stat(path: string): Promise<{ kind: EntryKind; size: number } | undefined> {
    try {
      const st = lstatSync(this.abs(path), { throwIfNoEntry: false });
      return st && { kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other', size: st.size };
    } catch {
      return undefined;
    }
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    // Never a FIFO (a .gitignore can be one) or a device: a regular file, of a bounded size.
    // Links are followed as rg follows them (to a .gitignore; the walk skips linked files).
    try {
      return readRegularFileSync(this.abs(path), MAX_READ_BYTES, { followLinks: true });
    } catch {
      return undefined;
    }
  }

  async readRegular(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
    // Opened without following a link (or lstat'ed first where the system cannot), then fstat'ed:
    // a link, a FIFO, a folder or a file over the limit is refused before a byte is read.
    try {
      return readRegularFileSync(this.abs(path), maxBytes);
    } catch {
      return undefined;
    }
  }

  asciiText(bytes: Uint8Array): string | undefined {
    return asciiText(bytes);
  }

  latin1Text(bytes: Uint8Array): string {
    return latin1Text(bytes);
  }

  isAscii(bytes: Uint8Array): boolean {
    return isAscii(bytes);
  }

  private abs(rel: string): string {
    if (rel === '') return this.root;
    // A plain relative path (no `.` or `..` segment, no empty one) joins as it is where `/` is
    // the separator: path.join's normalising was a tenth of the scanner's own time.
    if (nodePath.sep === '/' && !PATH_TO_NORMALISE.test(rel)) return this.prefix + rel;
    return nodePath.join(this.root, ...rel.split('/'));
  }
}

/** A file name's text, or undefined when its bytes are not UTF-8. */
function utf8Name(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(nodePath.sep).join('/');
}
