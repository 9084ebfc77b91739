// Writing to a local disk, for both appliers: the command line's NodeWorkspace and the extension's
// EditApplier (for file: URIs). A repository is untrusted input: a folder in it may be a link to
// somewhere else, a link may wait where a file or a temporary file is about to be written, and
// another program may save the same file at any moment. What may be written is decided in the
// core (`checkPlace`, `unchangedSince` in src/core/apply.ts); this module only looks and writes.
import { randomBytes } from 'crypto';
import { BigIntStats, closeSync, constants, fstatSync, linkSync, lstatSync, openSync, promises as fs, readFileSync, realpathSync, renameSync, unlinkSync } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as nodePath from 'path';
import { changedSinceRead, checkPlace, EntryKind, Place, Refusal, sameBytes, SeenFile, tempNameFor, unchangedSince } from '../core/apply';

/**
 * Points in a write where another program could act, for tests to act there: each runs with the
 * temporary file's path.
 */
export interface WriteHooks {
  /** Before a temporary file is created at the path. */
  beforeTemp?(tmp: string): void | Promise<void>;
  /** Once the temporary file holds the new bytes, before the last check and the rename. */
  beforeReplace?(tmp: string): void | Promise<void>;
}

export type SafeWriteResult = { ok: true } | ({ ok: false } & Refusal);

/** Where the system has it; 0 elsewhere (Windows), where the `lstat` checks stand alone. */
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Attempts at a fresh temporary name when one is taken (by chance, or planted). */
const TEMP_ATTEMPTS = 5;
/** Errors that say a hard link cannot be made on this file system, not that the target exists. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Replaces the regular file at `path`, which the check read as `base`, by `bytes`: through a
 * temporary file in the same folder (unpredictable name, created exclusively, the original's mode
 * and, where allowed, owner), then a rename, so that no reader ever finds half a file. Refuses,
 * leaving everything as it was, when the file is a link or not a regular file, when its folder
 * leads outside `within` once links are resolved, or when the file no longer holds `base`:
 * checked before the temporary file is made and once more right before the rename.
 */
export async function replaceFile(path: string, base: Uint8Array, bytes: Uint8Array, within: readonly string[], hooks: WriteHooks = {}): Promise<SafeWriteResult> {
  const realWithin = await realPaths(within);
  const refused = checkPlace(await placeOf(path, realWithin), 'file');
  if (refused) return refusedWith(refused);
  const seen = readSeen(path);
  if (seen === undefined) return refusedWith(checkPlace(await placeOf(path, realWithin), 'file') ?? changedSinceRead(path));
  if (!sameBytes(seen.bytes, base)) return refusedWith(changedSinceRead(path));
  return withTemp(path, hooks, 0o600, async (handle) => {
    await keepOwnerAndMode(handle, seen.stats);
    await handle.writeFile(bytes);
    await handle.sync();
  }, (tmp) => {
    // The last check and the rename, with nothing of ours in between; another program saving in
    // this moment is the one window left (no system call replaces a file only if it is unchanged).
    const last = checkPlace(placeOfSync(path, realWithin), 'file');
    if (last) return refusedWith(last);
    if (!unchangedSince(seen, readSeen(path))) return refusedWith(changedSinceRead(path));
    renameSync(tmp, path);
    return { ok: true };
  });
}

/**
 * Creates a file that must not exist yet (not even as a link), making its folder if needed:
 * written to a temporary file and linked into place, so that a file that appeared meanwhile is
 * never replaced. Refuses when the folder leads outside `within` once links are resolved.
 */
export async function createFile(path: string, bytes: Uint8Array, within: readonly string[], hooks: WriteHooks = {}): Promise<SafeWriteResult> {
  const realWithin = await realPaths(within);
  const before = checkPlace(await placeOf(path, realWithin), 'absent');
  if (before) return refusedWith(before);
  await fs.mkdir(nodePath.dirname(path), { recursive: true });
  return withTemp(path, hooks, 0o666, async (handle) => {
    await handle.writeFile(bytes);
    await handle.sync();
  }, (tmp) => {
    const last = checkPlace(placeOfSync(path, realWithin), 'absent');
    if (last) return refusedWith(last);
    return linkOrRename(tmp, path, () => unlinkQuietly(tmp));
  });
}

/**
 * Renames a regular file to a name that must be free, in folders inside `within` once links are
 * resolved; a file that appears at the new name meanwhile is never replaced.
 */
export async function renameFile(from: string, to: string, within: readonly string[]): Promise<SafeWriteResult> {
  const realWithin = await realPaths(within);
  const refused = checkPlace(await placeOf(from, realWithin), 'file') ?? checkPlace(await placeOf(to, realWithin), 'absent');
  if (refused) return refusedWith(refused);
  // Completing or archiving moves a file into a folder that may not exist yet (`completed/`),
  // made as for a new file, and the new name is checked again once it is there.
  await fs.mkdir(nodePath.dirname(to), { recursive: true });
  const made = checkPlace(await placeOf(to, realWithin), 'absent');
  if (made) return refusedWith(made);
  return linkOrRename(from, to, () => {
    try {
      unlinkSync(from);
    } catch (e) {
      // Two names for one file would be worse than none renamed: take the new one back.
      unlinkQuietly(to);
      throw e;
    }
  });
}

/**
 * Removes the regular file at `path` if it still holds `bytes` (an undo takes back a file it
 * created, and nothing else): refuses, leaving it, when it is a link or not a regular file, when
 * its folder leads outside `within` once links are resolved, or when it holds anything else.
 */
export async function removeFile(path: string, bytes: Uint8Array, within: readonly string[]): Promise<SafeWriteResult> {
  const realWithin = await realPaths(within);
  const refused = checkPlace(await placeOf(path, realWithin), 'file');
  if (refused) return refusedWith(refused);
  const seen = readSeen(path);
  if (seen === undefined || !sameBytes(seen.bytes, bytes)) return refusedWith(changedSinceRead(path));
  // The last check and the unlink, with nothing of ours in between, as for a replace.
  const last = checkPlace(placeOfSync(path, realWithin), 'file');
  if (last) return refusedWith(last);
  if (!unchangedSince(seen, readSeen(path))) return refusedWith(changedSinceRead(path));
  unlinkSync(path);
  return { ok: true };
}

/**
 * Why a file may not be written at `path` (`want: 'file'` to change one, `'absent'` to create
 * one), or undefined: for writes that go through VS Code rather than through this module.
 */
export async function placeRefusal(path: string, want: 'file' | 'absent', within: readonly string[]): Promise<Refusal | undefined> {
  return checkPlace(await placeOf(path, await realPaths(within)), want);
}

/** Creates a temporary file beside `path`, fills it, and runs `commit`; the file is gone afterwards unless `commit` moved it. */
async function withTemp(path: string, hooks: WriteHooks, mode: number, fill: (handle: FileHandle) => Promise<void>, commit: (tmp: string) => SafeWriteResult): Promise<SafeWriteResult> {
  let tmp: string | undefined;
  let handle: FileHandle | undefined;
  for (let attempt = 1; handle === undefined; attempt++) {
    const candidate = nodePath.join(nodePath.dirname(path), tempNameFor(nodePath.basename(path), randomBytes(8).toString('hex')));
    await hooks.beforeTemp?.(candidate);
    try {
      // O_EXCL: never an existing file, nor a link planted there (which it does not follow).
      handle = await fs.open(candidate, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
      tmp = candidate;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST' || attempt >= TEMP_ATTEMPTS) throw e;
    }
  }
  try {
    await fill(handle);
    await handle.close();
    handle = undefined;
    await hooks.beforeReplace?.(tmp!);
    return commit(tmp!);
  } finally {
    // Every way out (a refusal, a full disk, a failed rename) leaves no temporary file behind.
    await handle?.close().catch(() => undefined);
    unlinkQuietly(tmp!);
  }
}

/**
 * Replaces a file of Backlog Atlas's own, outside any repository (a cache), whole: the bytes go to
 * a temporary file beside it (created exclusively, readable by the user alone), which is renamed
 * over it, so that a reader finds the old file or the new one, never half of one. A link at the
 * name is replaced, not followed.
 */
export async function replaceOwnFile(path: string, bytes: Uint8Array): Promise<void> {
  await withTemp(path, {}, 0o600, (handle) => handle.writeFile(bytes), (tmp) => {
    renameSync(tmp, path);
    return { ok: true };
  });
}

/** Puts `tmp` at `to` unless something is there: a hard link where the file system has them, else a rename. */
function linkOrRename(tmp: string, to: string, afterLink: () => void): SafeWriteResult {
  try {
    linkSync(tmp, to);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'EEXIST') return refusedWith({ path: to, reason: 'exists', message: `${nodePath.basename(to)} already exists; nothing was written.` });
    if (!code || !NO_LINKS.has(code)) throw e;
    renameSync(tmp, to);
    return { ok: true };
  }
  afterLink();
  return { ok: true };
}

/** The new file gets the old one's owner and group (as far as the system allows us) and mode. */
async function keepOwnerAndMode(handle: FileHandle, stats: BigIntStats): Promise<void> {
  try {
    // Before the mode: a change of owner clears the set-id bits.
    await handle.chown(Number(stats.uid), Number(stats.gid));
  } catch (e) {
    // Only root may give a file away; the file is then ours, as any editor's save would make it.
    if (!['EPERM', 'EINVAL', 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP'].includes(errorCode(e) ?? '')) throw e;
  }
  await handle.chmod(Number(stats.mode) & 0o7777);
}

interface Seen extends SeenFile {
  stats: BigIntStats;
}

/**
 * The file's bytes and identity, read through a descriptor that does not follow a link;
 * undefined when nothing, a link, or something other than a regular file is at the path.
 */
function readSeen(path: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) return undefined;
    const bytes = readFileSync(fd);
    const identity = [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs, stats.mode, stats.uid, stats.gid, stats.nlink].join(':');
    return { identity, bytes, stats };
  } finally {
    closeSync(fd);
  }
}

async function placeOf(path: string, realWithin: readonly string[]): Promise<Place> {
  return { path, realFolder: await realPath(nodePath.dirname(path)), realWithin, entry: await entryOf(path) };
}

function placeOfSync(path: string, realWithin: readonly string[]): Place {
  return { path, realFolder: posix(realpathSync.native(nodePath.dirname(path))), realWithin, entry: entryOfSync(path) };
}

async function entryOf(path: string): Promise<EntryKind> {
  try {
    return kindOf(await fs.lstat(path));
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 'absent';
    throw e;
  }
}

function entryOfSync(path: string): EntryKind {
  try {
    return kindOf(lstatSync(path));
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 'absent';
    throw e;
  }
}

function kindOf(stats: { isSymbolicLink(): boolean; isFile(): boolean }): EntryKind {
  return stats.isSymbolicLink() ? 'link' : stats.isFile() ? 'file' : 'other';
}

async function realPaths(folders: readonly string[]): Promise<string[]> {
  return Promise.all(folders.map(realPath));
}

/**
 * The real path of a folder, every link resolved; for one that does not exist yet, its nearest
 * existing ancestor's real path with the rest appended (nothing there yet can be a link).
 */
async function realPath(path: string): Promise<string> {
  try {
    return posix(await fs.realpath(path));
  } catch (e) {
    const parent = nodePath.dirname(path);
    if (errorCode(e) !== 'ENOENT' || parent === path) throw e;
    return `${(await realPath(parent)).replace(/\/$/, '')}/${nodePath.basename(path)}`;
  }
}

/** `/`-separated, as the core compares paths. */
function posix(path: string): string {
  return path.split(nodePath.sep).join('/');
}

function refusedWith(refusal: Refusal): SafeWriteResult {
  return { ok: false, ...refusal };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (renamed into place), or never made.
  }
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}
