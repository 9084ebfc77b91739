// The only way the core reaches files. The extension implements it over `vscode.workspace.fs`,
// the CLI over Node's `fs`, and tests in memory, so the index and writer never know which.
// Paths are absolute POSIX-style strings (`/repo/backlog/tasks/bl-1 - A.md`).

export type EntryKind = 'file' | 'directory';

export interface DirEntry {
  name: string;
  kind: EntryKind;
}

export interface FileStat {
  kind: EntryKind;
  size: number;
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
  /** Entries of a folder; an empty list when it does not exist. */
  list(dir: string): Promise<DirEntry[]>;
  /** The file's bytes. Implementations over an editor return the open document's text. */
  read(path: string): Promise<Uint8Array>;
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
