// The host's side of src/node/indexCacheWorker.ts: starts a worker to load or write a cache file
// and moves the entries in chunks, giving the event loop a turn between them, so that no step on
// the caller's thread is long (the extension host must never stall).
import { promises as fsp } from 'fs';
import { Worker } from 'worker_threads';
import { CachedFile, IndexCache } from '../core/indexCache';
import { IndexCacheEntry, IndexCacheFile } from './indexCacheFile';

/** Entries per message: about a megabyte of text, a few milliseconds to take in. */
export const CHUNK = 500;

export interface CacheFileSpec {
  /** The cache file. */
  file: string;
  /** The backlog root as the index names it (recorded in the file). */
  root: string;
  /** The same root on the local disk, to check that the file lies outside its repository. */
  rootOnDisk: string;
  /** The extension's bundle: a cache made by another build is a miss (its parser may differ). */
  program: string;
}

/** What starts a worker: load a cache file, or write one from the entries that follow. */
export type CacheWorkerData = { op: 'load'; spec: CacheFileSpec } | { op: 'save'; spec: CacheFileSpec };

/** What a worker is sent (save) and sends back (load: entries then `done`; save: `saved`). */
export type CacheWorkerMessage = { entries: [string, IndexCacheEntry][] } | { done: true } | { saved: boolean };

/** The entries of a cache file, loaded by a worker and taken in chunk by chunk. */
export function loadInWorker(workerFile: string, spec: CacheFileSpec): Promise<Map<string, IndexCacheEntry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, IndexCacheEntry>();
    const worker = new Worker(workerFile, { workerData: { op: 'load', spec } satisfies CacheWorkerData });
    let done = false;
    worker.on('message', (m: CacheWorkerMessage) => {
      if ('entries' in m) for (const [path, entry] of m.entries) entries.set(path, entry);
      else if ('done' in m) {
        done = true;
        resolve(entries);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done) reject(new Error(`the cache worker stopped (exit code ${code})`));
    });
  });
}

/** Writes a cache file from a worker, handing it the entries in chunks; true once written. */
export function saveInWorker(workerFile: string, spec: CacheFileSpec, entries: [string, IndexCacheEntry][]): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(workerFile, { workerData: { op: 'save', spec } satisfies CacheWorkerData });
    let answered = false;
    const answer = (saved: boolean) => {
      if (answered) return;
      answered = true;
      resolve(saved);
    };
    worker.on('message', (m: CacheWorkerMessage) => {
      if ('saved' in m) answer(m.saved);
    });
    worker.on('error', () => answer(false));
    worker.on('exit', () => answer(false));
    void (async () => {
      for (let i = 0; i < entries.length; i += CHUNK) {
        worker.postMessage({ entries: entries.slice(i, i + CHUNK) } satisfies CacheWorkerMessage);
        // Each chunk is copied for the worker now: the host gets a turn between them.
        await new Promise((next) => setImmediate(next));
      }
      worker.postMessage({ done: true } satisfies CacheWorkerMessage);
    })();
  });
}

/**
 * A cache file loaded and written by workers: lookups wait for the load, which starts at once;
 * anything wrong with the file (or the worker) gives an empty cache, never an error.
 */
export class WorkerIndexCache implements IndexCache {
  private inner: IndexCacheFile | undefined;
  private readonly ready: Promise<IndexCacheFile>;
  /** How the load went, once it has: entries taken, milliseconds, or why none. */
  loaded: { entries: number; ms: number; error?: string } | undefined;

  constructor(
    private readonly workerFile: string,
    readonly spec: CacheFileSpec,
  ) {
    const started = Date.now();
    // No file, no worker: a first window starts reading at once.
    this.ready = fsp
      .lstat(spec.file)
      .then(
        () => loadInWorker(workerFile, spec),
        () => new Map<string, IndexCacheEntry>(),
      )
      .catch((e: unknown) => {
        this.loaded = { entries: 0, ms: 0, error: e instanceof Error ? e.message : String(e) };
        return new Map<string, IndexCacheEntry>();
      })
      .then((entries) => {
        this.loaded ??= { entries: entries.size, ms: Date.now() - started };
        // The version was checked by the worker; this one only looks up and stores.
        return (this.inner = IndexCacheFile.fromEntries({ file: spec.file, root: spec.root, version: '' }, entries));
      });
  }

  /** Resolves once the file is loaded (or found unusable). */
  whenLoaded(): Promise<void> {
    return this.ready.then(() => undefined);
  }

  async lookup(path: string, context: string): Promise<CachedFile | undefined> {
    return (await this.ready).lookup(path, context);
  }

  store(path: string, context: string, file: CachedFile): void {
    this.inner?.store(path, context, file);
  }

  get counts(): { hits: number; misses: number; verified: number } {
    return this.inner?.counts ?? { hits: 0, misses: 0, verified: 0 };
  }

  /**
   * Writes the file from a worker when an entry changed, came or went (or always, with `always`);
   * the number of entries written, 0 when there was nothing to write, undefined when it could not
   * be written.
   */
  async save(always = false): Promise<number | undefined> {
    const inner = this.inner;
    if (!inner || (!inner.unsaved && !always)) return 0;
    // The entries as they are now; a change while they are written makes the next save write.
    const entries = [...inner.entries()];
    inner.markSaved();
    return (await saveInWorker(this.workerFile, this.spec, entries)) ? entries.length : undefined;
  }
}
