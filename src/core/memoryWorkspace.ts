import {
  BacklogWorkspace,
  DirEntry,
  Disposable,
  FileStat,
  WorkspaceChange,
  isUnder,
} from './workspace';

/** A workspace held in memory: for tests, benchmarks and previews. */
export class MemoryWorkspace implements BacklogWorkspace {
  private readonly files = new Map<string, Uint8Array>();
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
    return [...seen.values()];
  }

  async read(path: string): Promise<Uint8Array> {
    const data = this.files.get(path);
    if (!data) throw new Error(`ENOENT: ${path}`);
    return data;
  }

  async stat(path: string): Promise<FileStat | undefined> {
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
    const existed = this.files.has(path);
    this.setSilently(path, content);
    this.emit([{ kind: existed ? 'changed' : 'created', path }]);
  }

  delete(path: string): void {
    if (this.files.delete(path)) this.emit([{ kind: 'deleted', path }]);
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
