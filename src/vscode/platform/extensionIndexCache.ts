// The index cache of the extension: the command line's cache file (src/node/indexCacheFile.ts,
// the same format and checks), one per backlog root, kept in the extension's workspace storage
// (`context.storageUri`), so that a reopened window reads and parses only the files that changed.
//
// Nothing heavy runs on the extension host: a worker (src/node/indexCacheWorker.ts) reads and
// checks the file and hands the entries over in chunks, and another writes it from chunks. Lookups
// stat each file through the thread pool. The file is written a little after the index settles
// (after the first build and after changes, debounced), never on every keystroke.
//
// The cache never changes a result. Each entry is taken only for a file unchanged by `lstat`
// (IndexCacheFile's rules); a file with unsaved text in an editor is read from the editor and is
// neither taken from nor put in the cache (the cache is the disk's, the index the editor's).
//
// Untrusted workspaces use it too: the file is our own, in our own storage, which a repository
// cannot write; taking an entry runs nothing and is checked as any input is; and Restricted Mode
// gates programs, not reading. A storage folder inside the repository is never written.
import { createHash } from 'crypto';
import * as nodePath from 'path';
import * as vscode from 'vscode';
import { CachedFile, IndexCache } from '../../core/indexCache';
import { CacheFileSpec, WorkerIndexCache } from '../../node/indexCacheWorkerClient';
import { VscodeWorkspace } from './vscodeWorkspace';

/** How long the index must stay unchanged before the cache is written. */
export const SAVE_DELAY_MS = 1000;

export interface ExtensionIndexCacheOptions {
  /** The extension's workspace storage; no cache without one (no folder open) or off the local disk. */
  storage: vscode.Uri | undefined;
  /** dist/indexCacheWorker.js. */
  workerFile: string;
  /** The extension's bundle, whose bytes version the cache. */
  program: string;
  ws: VscodeWorkspace;
  log: vscode.LogOutputChannel;
  /** Resolves once the index has taken every change seen so far: the cache is written only then. */
  whenIdle: () => Promise<void>;
}

/** What one root's cache gave since it was opened. */
export interface IndexCacheCounts {
  root: string;
  file: string;
  hits: number;
  misses: number;
  verified: number;
}

/** The extension's caches, one per backlog root, for `IndexOptions.cache`. */
export class ExtensionIndexCache implements vscode.Disposable {
  private readonly roots = new Map<string, RootCache | undefined>();
  /** Per path, how many times an editor changed its text: an entry stored across one is not kept. */
  private readonly edits = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: ExtensionIndexCacheOptions) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
        const path = e.document.uri.path;
        this.edits.set(path, (this.edits.get(path) ?? 0) + 1);
      }),
    );
  }

  /** The cache of a root, for `IndexOptions.cache`; undefined where there is none. */
  readonly forRoot = (root: string): IndexCache | undefined => {
    if (this.disposed) return undefined;
    if (!this.roots.has(root)) this.roots.set(root, this.open(root));
    return this.roots.get(root);
  };

  /** Each open root's cache file and what it gave. */
  counts(): IndexCacheCounts[] {
    return [...this.roots.values()].flatMap((r) => (r ? [r.counts()] : []));
  }

  /** Writes the caches a little later, once the index has been still for `SAVE_DELAY_MS`. */
  scheduleSave(): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, SAVE_DELAY_MS);
  }

  /**
   * Writes every cache that changed (or every one, with `all`), after the index has taken every
   * change; one save at a time.
   */
  save(all = false): Promise<void> {
    const run = this.saving.then(async () => {
      await this.options.whenIdle();
      for (const r of this.roots.values()) if (r && !this.disposed) await r.save(all);
    });
    this.saving = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  private open(root: string): RootCache | undefined {
    const { storage, ws } = this.options;
    const uri = ws.toUri(root);
    // Only backlogs and storage on the local disk: the cache knows a file by `lstat`.
    if (!storage || storage.scheme !== 'file' || uri.scheme !== 'file') return undefined;
    const file = nodePath.join(storage.fsPath, 'index-cache', `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.cache`);
    const spec: CacheFileSpec = { file, root, rootOnDisk: uri.fsPath, program: this.options.program };
    return new RootCache(spec, this.options, this.edits);
  }
}

/** One root's cache: a `WorkerIndexCache` by paths on disk, which skips files with unsaved text. */
class RootCache implements IndexCache {
  private readonly inner: WorkerIndexCache;
  /** Each looked-up path's count of editor changes then, or -1 when it had unsaved text. */
  private readonly atLookup = new Map<string, number>();

  constructor(
    spec: CacheFileSpec,
    private readonly options: ExtensionIndexCacheOptions,
    private readonly edits: ReadonlyMap<string, number>,
  ) {
    this.inner = new WorkerIndexCache(options.workerFile, spec);
    void this.inner.whenLoaded().then(() => {
      const l = this.inner.loaded;
      if (l?.error) options.log.warn(`Index cache not loaded (${l.error}); every file is read.`);
      else options.log.info(`Index cache: ${l?.entries ?? 0} entries loaded in ${l?.ms ?? 0} ms.`);
    });
  }

  async lookup(path: string, context: string): Promise<CachedFile | undefined> {
    const uri = this.options.ws.toUri(path);
    if (this.options.ws.openDocument(uri)?.isDirty) {
      this.atLookup.set(path, -1);
      return undefined;
    }
    this.atLookup.set(path, this.edits.get(path) ?? 0);
    const hit = await this.inner.lookup(uri.fsPath, context);
    if (hit) this.atLookup.delete(path);
    return hit;
  }

  store(path: string, context: string, file: CachedFile): void {
    const seen = this.atLookup.get(path);
    this.atLookup.delete(path);
    const uri = this.options.ws.toUri(path);
    // What was parsed may be an editor's unsaved text, not the file the stamp describes.
    if (seen === undefined || seen === -1 || seen !== (this.edits.get(path) ?? 0) || this.options.ws.openDocument(uri)?.isDirty) return;
    this.inner.store(uri.fsPath, context, file);
  }

  counts(): IndexCacheCounts {
    return { root: this.inner.spec.root, file: this.inner.spec.file, ...this.inner.counts };
  }

  async save(all: boolean): Promise<void> {
    const started = Date.now();
    const saved = await this.inner.save(all);
    if (saved === undefined) this.options.log.info('Index cache: not saved (the storage folder could not be written, or lies in the repository).');
    else if (saved > 0) this.options.log.info(`Index cache: saved ${saved} entries in ${Date.now() - started} ms.`);
  }
}
