import {
  BacklogWorkspace,
  DirEntry,
  Disposable,
  FileStat,
  ReadOptions,
  ReadRefused,
  WorkspaceChange,
  isUnder,
} from './workspace';

/** What a disk can hold besides files, for tests of what the index reports. */
export type SpecialEntry = 'symlink' | 'fifo' | 'unreadable';

/** A workspace held in memory: for tests, benchmarks and previews. */
export class MemoryWorkspace implements BacklogWorkspace {
  private readonly files = new Map<string, Uint8Array>();
  private readonly special = new Map<string, SpecialEntry>();
  private readonly listeners = new Set<(changes: WorkspaceChange[]) => void>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) this.setSilently(path, content);
  }

  async list(dir: string): Promise<DirEntry[]> {
    const seen = new Map<string, DirEntry>();
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      const name = slash === -1 ? rest : rest.slice(0, slash);
      if (!seen.has(name)) seen.set(name, { name, kind: slash === -1 ? 'file' : 'directory' });
    }
    for (const [path, kind] of this.special) {
      if (!path.startsWith(prefix) || path.indexOf('/', prefix.length) !== -1) continue;
      const name = path.slice(prefix.length);
      seen.set(name, kind === 'symlink' ? { name, kind: 'symlink' } : kind === 'fifo' ? { name, kind: 'other', what: 'a FIFO' } : { name, kind: 'file' });
    }
    return [...seen.values()];
  }

  async read(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const special = this.special.get(path);
    if (special === 'symlink') throw new ReadRefused('symlink');
    if (special === 'fifo') throw new ReadRefused('not-a-regular-file', 'a FIFO');
    if (special === 'unreadable') throw new ReadRefused('unreadable', 'permission denied');
    const data = this.files.get(path);
    if (!data) throw new Error(`ENOENT: ${path}`);
    if (options.maxBytes !== undefined && data.byteLength > options.maxBytes) throw new ReadRefused('too-large', undefined, data.byteLength);
    return data;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const special = this.special.get(path);
    if (special) return { kind: special === 'fifo' ? 'other' : 'file', size: 0 };
    const data = this.files.get(path);
    if (data) return { kind: 'file', size: data.byteLength };
    for (const p of this.files.keys()) if (isUnder(p, path)) return { kind: 'directory', size: 0 };
    return undefined;
  }

  watch(listener: (changes: WorkspaceChange[]) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Reads a file as UTF-8 text (test convenience). */
  text(path: string): string {
    return new TextDecoder().decode(this.files.get(path) ?? new Uint8Array());
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Writes a file and tells watchers, as an editor or git would. */
  write(path: string, content: string | Uint8Array): void {
    const existed = this.files.has(path) || this.special.delete(path);
    this.setSilently(path, content);
    this.emit([{ kind: existed ? 'changed' : 'created', path }]);
  }

  /** Puts a link, a FIFO or a file that may not be read at `path` instead of a file, and tells watchers. */
  placeSpecial(path: string, kind: SpecialEntry): void {
    const existed = this.files.delete(path) || this.special.has(path);
    this.special.set(path, kind);
    this.emit([{ kind: existed ? 'changed' : 'created', path }]);
  }

  delete(path: string): void {
    const special = this.special.delete(path);
    if (this.files.delete(path) || special) this.emit([{ kind: 'deleted', path }]);
  }

  rename(from: string, to: string): void {
    const data = this.files.get(from);
    if (!data) throw new Error(`ENOENT: ${from}`);
    this.files.delete(from);
    this.files.set(to, data);
    this.emit([
      { kind: 'deleted', path: from },
      { kind: 'created', path: to },
    ]);
  }

  private setSilently(path: string, content: string | Uint8Array): void {
    this.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  private emit(changes: WorkspaceChange[]): void {
    for (const l of this.listeners) l(changes);
  }
}
