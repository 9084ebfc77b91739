// Reading a repository's files with Node's fs so that the repository cannot make the reader hang,
// follow a link out of it or fill the memory: shared by the command line (src/cli) and the
// extension's reads of file: URIs (src/vscode/platform/vscodeWorkspace.ts). What a refusal means
// for the backlog is the core's (`ReadRefused`, `refusalDiagnostic`).
import { closeSync, constants, Dirent, fstat, fstatSync, lstat, lstatSync, open, openSync, read, readSync, close, promises as fsp, Stats } from 'fs';
import { DirEntry, FileStat, ReadRefused } from '../core/workspace';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY } = constants;
/**
 * No link at the name (ELOOP instead), no waiting for a FIFO's writer, and never a controlling
 * terminal. Windows has none of them: there the name is lstat'ed before it is opened.
 */
const OPEN_FLAGS = O_RDONLY | (O_NONBLOCK ?? 0) | (O_NOCTTY ?? 0);
const NO_FOLLOW = O_NOFOLLOW !== undefined;
/** What is read past the size the file had when opened, at a time, should it grow. */
const GROWTH = 64 * 1024;

/**
 * A regular file's bytes, at most `maxBytes` of them. Throws `ReadRefused` for a link (unless
 * `followLinks`: then for what it leads to), a FIFO, a device, a socket, a folder, a file over
 * `maxBytes` (told by its size, before reading) and one the system will not open; ENOENT and
 * ENOTDIR pass through (the file is gone). Never blocks: the file is opened non-blocking and
 * fstat'ed before a byte is read.
 */
export function readRegularFile(path: string, maxBytes = Number.MAX_SAFE_INTEGER, { followLinks = false } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const opened = (before?: Stats) =>
      open(path, followLinks ? OPEN_FLAGS : OPEN_FLAGS | (O_NOFOLLOW ?? 0), (e, fd) => {
        if (e) return reject(refusalOf(e));
        const done = (error: Error | null, data?: Buffer) => close(fd, () => (error ? reject(error) : resolve(data!)));
        fstat(fd, (e2, st) => {
          if (e2) return done(refusalOf(e2));
          const refused = openedRefusal(st, before, maxBytes);
          if (refused) return done(refused);
          readAll(fd, st.size, maxBytes, done);
        });
      });
    if (NO_FOLLOW || followLinks) opened();
    else
      lstat(path, (e, st) => {
        if (e) return reject(refusalOf(e));
        const odd = st.isSymbolicLink() ? new ReadRefused('symlink') : notRegular(st);
        if (odd) return reject(odd);
        opened(st);
      });
  });
}

/**
 * `readRegularFile` without the thread pool, for the command line, which has no event loop to
 * keep free: 10,000 small files read this way take a fraction of the time that four system calls
 * each through libuv's pool take. Same rules, same refusals; never for the extension host.
 */
export function readRegularFileSync(path: string, maxBytes = Number.MAX_SAFE_INTEGER, { followLinks = false } = {}): Buffer {
  let before: Stats | undefined;
  if (!NO_FOLLOW && !followLinks) {
    try {
      before = lstatSync(path);
    } catch (e) {
      throw refusalOf(e as NodeJS.ErrnoException);
    }
    const odd = before.isSymbolicLink() ? new ReadRefused('symlink') : notRegular(before);
    if (odd) throw odd;
  }
  let fd: number;
  try {
    fd = openSync(path, followLinks ? OPEN_FLAGS : OPEN_FLAGS | (O_NOFOLLOW ?? 0));
  } catch (e) {
    throw refusalOf(e as NodeJS.ErrnoException);
  }
  try {
    let st: Stats;
    try {
      st = fstatSync(fd);
    } catch (e) {
      throw refusalOf(e as NodeJS.ErrnoException);
    }
    const refused = openedRefusal(st, before, maxBytes);
    if (refused) throw refused;
    const known = st.size > 0;
    let buf = Buffer.allocUnsafe(known ? st.size : Math.min(GROWTH, maxBytes + 1));
    let got = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, got, buf.length - got, null);
      } catch (e) {
        throw refusalOf(e as NodeJS.ErrnoException);
      }
      got += n;
      if (n === 0 || (known && got === st.size)) return buf.subarray(0, got);
      if (got > maxBytes) throw new ReadRefused('too-large', undefined, got);
      if (got === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length + GROWTH, maxBytes + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Why an opened file is not read: not a regular file, swapped since its lstat, or too large. */
function openedRefusal(st: Stats, before: Stats | undefined, maxBytes: number): ReadRefused | undefined {
  const odd = notRegular(st);
  if (odd) return odd;
  // Swapped between the lstat and the open (where links are checked by lstat only).
  if (before && (before.dev !== st.dev || before.ino !== st.ino)) return new ReadRefused('symlink');
  if (st.size > maxBytes) return new ReadRefused('too-large', undefined, st.size);
  return undefined;
}

/**
 * Reads the `size` bytes fstat gave, as fs.readFile does (a file that grows meanwhile is read as
 * it was). A file that says it is empty may still hold something (/proc has such files): that is
 * read to its end, but never past `maxBytes`.
 */
function readAll(fd: number, size: number, maxBytes: number, done: (e: Error | null, data?: Buffer) => void): void {
  const known = size > 0;
  let buf = Buffer.allocUnsafe(known ? size : Math.min(GROWTH, maxBytes + 1));
  let got = 0;
  const step = () =>
    read(fd, buf, got, buf.length - got, null, (e, n) => {
      if (e) return done(refusalOf(e));
      got += n;
      if (n === 0 || (known && got === size)) return done(null, buf.subarray(0, got));
      if (got > maxBytes) return done(new ReadRefused('too-large', undefined, got));
      if (got === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length + GROWTH, maxBytes + 1));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      step();
    });
  step();
}

/** A folder's entries as the core lists them: links and FIFOs are named as such, never followed. */
export async function listFolder(dir: string): Promise<DirEntry[]> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new ReadRefused('unreadable', 'permission denied');
    return [];
  }
  return entries.map((e) => entryOf(e));
}

function entryOf(e: Dirent): DirEntry {
  if (e.isFile()) return { name: e.name, kind: 'file' };
  if (e.isDirectory()) return { name: e.name, kind: 'directory' };
  if (e.isSymbolicLink()) return { name: e.name, kind: 'symlink' };
  return { name: e.name, kind: 'other', what: specialName(e) };
}

/** What is at a path, links followed; undefined when nothing is. */
export async function statPath(path: string): Promise<FileStat | undefined> {
  const st = await fsp.stat(path).catch(() => undefined);
  if (!st) return undefined;
  return { kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other', size: st.size };
}

/**
 * Checks that a path names a regular file, not a link or anything else, without opening it:
 * for text an editor holds in memory. Resolves false when nothing is there.
 */
export function checkRegularFile(path: string): Promise<boolean> {
  return new Promise((resolve, reject) =>
    lstat(path, (e, st) => {
      if (e) return e.code === 'ENOENT' || e.code === 'ENOTDIR' ? resolve(false) : reject(refusalOf(e));
      const odd = st.isSymbolicLink() ? new ReadRefused('symlink') : notRegular(st);
      if (odd) reject(odd);
      else resolve(true);
    }),
  );
}

function notRegular(st: Stats): ReadRefused | undefined {
  return st.isFile() ? undefined : new ReadRefused('not-a-regular-file', specialName(st));
}

function specialName(st: Stats | Dirent): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A failed open or read as the core sees it: gone (passed through) or refused, and why. */
function refusalOf(e: NodeJS.ErrnoException): Error {
  switch (e.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return e;
    // O_NOFOLLOW on a link: ELOOP on Linux and macOS, EMLINK on FreeBSD.
    case 'ELOOP':
    case 'EMLINK':
      return new ReadRefused('symlink');
    // Opening a socket.
    case 'ENXIO':
    case 'EOPNOTSUPP':
      return new ReadRefused('not-a-regular-file', 'a socket');
    case 'EACCES':
    case 'EPERM':
      return new ReadRefused('unreadable', 'permission denied');
    case 'EISDIR':
      return new ReadRefused('not-a-regular-file', 'a folder');
    default:
      return new ReadRefused('unreadable', e.code ?? e.message);
  }
}
