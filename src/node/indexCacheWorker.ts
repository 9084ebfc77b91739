// The extension's index cache, loaded and written off the extension host: reading, checksumming,
// parsing and checking a cache of 10,000 items, or turning one into JSON, takes a few hundred
// milliseconds in one synchronous step, and the extension host must never stall that long. The
// entries cross in chunks (`CHUNK` per message, a load's each when the host asks for it), so that
// taking each one in is a short step too.
// Bundled by esbuild.js as dist/indexCacheWorker.js; src/vscode/platform/extensionIndexCache.ts
// starts one per load or save. The format is the command line's (indexCacheFile.ts), not a second.
import { createHash } from 'crypto';
import { readFileSync, realpathSync } from 'fs';
import * as nodePath from 'path';
import { parentPort, workerData } from 'worker_threads';
import { IndexCacheEntry, loadIndexCacheEntries, outsideRepository, withDecodedTexts, writeIndexCacheEntries } from './indexCacheFile';
import { CacheWorkerData, CacheWorkerMessage, CHUNK } from './indexCacheWorkerClient';

/** Whether a cache file at `file` would lie outside the root and the repository holding it. */
export function mayWriteCacheFor(file: string, rootOnDisk: string): boolean {
  try {
    return outsideRepository(nodePath.dirname(file), realpathSync(rootOnDisk));
  } catch {
    return false;
  }
}

/** What makes every entry stale when it changes: the bytes of the program that parsed them. */
function programVersion(program: string): string {
  try {
    return createHash('sha256').update(readFileSync(program)).digest('hex');
  } catch {
    // Unreadable: a version no file holds, so nothing is taken and nothing useful is written.
    return `unknown-${process.pid}-${Math.random()}`;
  }
}

function run(): void {
  const port = parentPort;
  if (!port) return;
  const data = workerData as CacheWorkerData;
  const spec = { ...data.spec, version: programVersion(data.spec.program) };
  if (data.op === 'load') {
    // The whole file is checked before the first entry leaves; each chunk is then sent when the
    // host asks for it (`next`), once it has taken the one before in a turn of its own.
    const all = [...loadIndexCacheEntries(spec)];
    let at = 0;
    const send = () => {
      if (at >= all.length) {
        port.postMessage({ done: true } satisfies CacheWorkerMessage);
        port.close();
        return;
      }
      const chunk = all.slice(at, at + CHUNK).map(([path, entry]): [string, IndexCacheEntry] => [path, withDecodedTexts(entry)]);
      at += CHUNK;
      port.postMessage({ entries: chunk } satisfies CacheWorkerMessage);
    };
    port.on('message', (m: CacheWorkerMessage) => {
      if ('next' in m) send();
    });
    send();
    return;
  }
  const entries: [string, IndexCacheEntry][] = [];
  port.on('message', (m: CacheWorkerMessage) => {
    if ('entries' in m) {
      for (const e of m.entries) entries.push(e);
      return;
    }
    if (!('done' in m)) return;
    // Never into the workspace: a storage folder that a user put inside the repository is not used.
    const write = mayWriteCacheFor(spec.file, spec.rootOnDisk) ? writeIndexCacheEntries(spec, entries) : Promise.resolve(false);
    void write.then((saved) => {
      port.postMessage({ saved } satisfies CacheWorkerMessage);
      port.close();
    });
  });
}

run();
