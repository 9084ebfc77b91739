// The only way the core reaches files. The extension implements it over `vscode.workspace.fs`,
// the CLI over Node's `fs`, and tests in memory, so the index and writer never know which.
// Paths are absolute POSIX-style strings (`/repo/backlog/tasks/bl-1 - A.md`).

export type EntryKind = 'file' | 'directory';

/**
 * One entry of a folder, as the listing found it, links not followed: a regular file, a folder,
 * a symbolic link, or something else (a FIFO, a device, a socket). The index reads files and
 * folders and reports the rest; a workspace that has no such things lists only the first two.
 */
export interface DirEntry {
  name: string;
  kind: EntryKind | 'symlink' | 'other';
  /** For `other`: what it is, for the diagnostic ("a FIFO", "a device", "a socket"). */
  what?: string;
}

export interface FileStat {
  /** What the path leads to, links followed: `other` is a FIFO, a device or a socket. */
  kind: EntryKind | 'other';
  size: number;
}

/** Why a workspace would not read a file. */
export type ReadRefusal = 'symlink' | 'not-a-regular-file' | 'too-large' | 'unreadable';

/**
 * Thrown by `BacklogWorkspace.read` for a file that is there but will not be read: a link, a FIFO
 * or device (which could block or never end), one over the size asked for, or one the system
 * would not open. The index turns it into a diagnostic on the file; any other error means the
 * file is gone.
 */
export class ReadRefused extends Error {
  constructor(
    readonly reason: ReadRefusal,
    /** What was found, in a few words: "a FIFO", "permission denied". */
    readonly detail?: string,
    /** For `too-large`: the size found, in bytes. */
    readonly size?: number,
  ) {
    super(`${reason}${detail ? `: ${detail}` : ''}`);
    this.name = 'ReadRefused';
  }
}

export interface ReadOptions {
  /** Refuse (`too-large`) a file with more bytes than this, without reading it. */
  maxBytes?: number;
}

export type ChangeKind = 'created' | 'changed' | 'deleted';

export interface WorkspaceChange {
  kind: ChangeKind;
  path: string;
}

export interface Disposable {
  dispose(): void;
}

export interface BacklogWorkspace {
  /**
   * Entries of a folder, links not followed; an empty list when it does not exist. Throws
   * `ReadRefused` (`unreadable`) for a folder that is there but may not be read.
   */
  list(dir: string): Promise<DirEntry[]>;
  /**
   * The file's bytes. Implementations over an editor return the open document's text. Only a
   * regular file is read, never through a link at its name and never past `maxBytes`; anything
   * else throws `ReadRefused`. Reading never blocks on a FIFO or a device.
   */
  read(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Undefined when nothing is at the path. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Reports changes under the workspace until disposed. */
  watch(listener: (changes: WorkspaceChange[]) => void): Disposable;
}

/** Joins POSIX path segments; the core never imports `path` so that it runs anywhere. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return (absolute ? '/' : '') + out.join('/');
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `child` is `parent` or lies under it. */
export function isUnder(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}
