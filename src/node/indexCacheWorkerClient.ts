// The host's side of src/node/indexCacheWorker.ts: starts a worker to load or write a cache file
// and moves the entries in chunks, giving the event loop a turn between them, so that no step on
// the caller's thread is long (the extension host must never stall). A load's chunks are asked
// for one at a time: messages that have all arrived are taken in one turn of the event loop (Node
// drains a port's queue at once), so a worker that sent every chunk unasked made one long step.
import { promises as fsp } from 'fs';
import { Worker } from 'worker_threads';
import { CachedFile, IndexCache } from '../core/indexCache';
import { IndexCacheEntry, IndexCacheFile } from './indexCacheFile';

/**
 * Entries per message: about 200 KB of text, a millisecond or two to copy or take in. 500 took
 * 10–30 ms to take in at 10,000 items, on a busy machine.
 */
export const CHUNK = 100;

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

/**
 * What a worker is sent (save: entries then `done`; load: `next` for each chunk after the first)
 * and sends back (load: entries then `done`; save: `saved`).
 */
export type CacheWorkerMessage = { entries: [string, IndexCacheEntry][] } | { done: true } | { next: true } | { saved: boolean };

/** Waits for the event loop's next turn: what a load does before it asks for the next chunk. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The entries of a cache file, loaded by a worker and taken in chunk by chunk into `into` (as they
 * arrive: a caller may look at it before the load is done; `arrived` names each chunk's paths),
 * asking for the next chunk only once `pace` resolves (a turn of the event loop; tests hold it).
 * Resolves with `into` once every entry arrived.
 */
export function loadInWorker(
  workerFile: string,
  spec: CacheFileSpec,
  into = new Map<string, IndexCacheEntry>(),
  arrived: (paths: string[]) => void = () => undefined,
  pace: () => Promise<void> = nextTurn,
): Promise<Map<string, IndexCacheEntry>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: { op: 'load', spec } satisfies CacheWorkerData });
    let done = false;
    worker.on('message', (m: CacheWorkerMessage) => {
      if ('entries' in m) {
        for (const [path, entry] of m.entries) into.set(path, entry);
        arrived(m.entries.map(([path]) => path));
        void pace().then(() => {
          if (!done) worker.postMessage({ next: true } satisfies CacheWorkerMessage);
        });
      } else if ('done' in m) {
        done = true;
        resolve(into);
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
 * A cache file loaded and written by workers: the load starts at once, and a lookup is answered
 * as soon as its path's entry has arrived (one that has not waits for the whole load: only then is
 * it a miss). Anything wrong with the file (or the worker) gives an empty cache, never an error.
 */
export class WorkerIndexCache implements IndexCache {
  /** The entries as they arrive; the worker checked the whole file (and the version) before the first. */
  private readonly arrived = new Map<string, IndexCacheEntry>();
  /** Lookups waiting for their path's entry, woken when it arrives or the load ends. */
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly inner: IndexCacheFile;
  private readonly ready: Promise<void>;
  private done = false;
  /** How the load went, once it has: entries taken, milliseconds, or why none. */
  loaded: { entries: number; ms: number; error?: string } | undefined;

  constructor(
    private readonly workerFile: string,
    readonly spec: CacheFileSpec,
    /** What a load waits for before it asks for the next chunk: a turn of the event loop (tests hold it). */
    pace: () => Promise<void> = nextTurn,
  ) {
    const started = Date.now();
    // The version was checked by the worker; this one only looks up and stores.
    this.inner = IndexCacheFile.fromEntries({ file: spec.file, root: spec.root, version: '' }, this.arrived);
    // No file, no worker: a first window starts reading at once.
    this.ready = fsp
      .lstat(spec.file)
      .then(
        () => loadInWorker(workerFile, spec, this.arrived, (paths) => this.wake(paths), pace).then(() => undefined),
        () => undefined,
      )
      .catch((e: unknown) => {
        // Entries that arrived before the worker failed came from a file it had checked whole:
        // they stay, and are taken only as any entry is (by the file's stamp).
        this.loaded = { entries: this.arrived.size, ms: Date.now() - started, error: e instanceof Error ? e.message : String(e) };
      })
      .then(() => {
        this.loaded ??= { entries: this.arrived.size, ms: Date.now() - started };
        this.inner.markLoaded();
        this.done = true;
        this.wake([...this.waiting.keys()]);
      });
  }

  /** Resolves once the file is loaded (or found unusable). */
  whenLoaded(): Promise<void> {
    return this.ready;
  }

  async lookup(path: string, context: string): Promise<CachedFile | undefined> {
    // An entry that has arrived is the file's only one (the worker keeps one per path): the
    // answer is the one the whole load would give. A path with none yet is a miss only once the
    // load is done.
    if (!this.done && !this.arrived.has(path)) {
      await new Promise<void>((resolve) => {
        const waiters = this.waiting.get(path);
        if (waiters) waiters.push(resolve);
        else this.waiting.set(path, [resolve]);
      });
    }
    return this.inner.lookup(path, context);
  }

  private wake(paths: string[]): void {
    for (const path of paths) {
      const waiters = this.waiting.get(path);
      if (!waiters) continue;
      this.waiting.delete(path);
      for (const resolve of waiters) resolve();
    }
  }

  store(path: string, context: string, file: CachedFile): void {
    this.inner.store(path, context, file);
  }

  get counts(): { hits: number; misses: number; verified: number } {
    return this.inner.counts;
  }

  /**
   * Writes the file from a worker when an entry changed, came or went (or always, with `always`);
   * the number of entries written, 0 when there was nothing to write, undefined when it could not
   * be written.
   */
  async save(always = false): Promise<number | undefined> {
    // Whether anything changed is known only against the whole file.
    await this.ready;
    const inner = this.inner;
    if (!inner.unsaved && !always) return 0;
    // The entries as they are now; a change while they are written makes the next save write.
    const entries = [...inner.entries()];
    inner.markSaved();
    return (await saveInWorker(this.workerFile, this.spec, entries)) ? entries.length : undefined;
  }
}
