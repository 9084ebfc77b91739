// The index cache on a local disk: one file per backlog root, outside the repository (the command
// line's cache folder, the extension's workspace storage), holding each item file's parsed record
// under the file's identity and times as `lstat` gives them. A file is taken from it only while
// its device, inode, size, modification and change times (in nanoseconds) are all as they were;
// `ctime` changes on every write and cannot be set back, so a same-size edit with its mtime put
// back by `touch -d` is still seen. A file whose times are within a few seconds of the moment it
// was looked at is "racy" (git's word): a write in the same clock tick could leave every time as it
// was, so such an entry is taken only after the file is read and its content hash matches.
//
// Each item's two texts (front matter and body, most of the file's bytes) sit after the JSON as
// UTF-8, each named by its offset and length, and are decoded only when the item's body or fields
// are first asked for: `list` asks for none, and parsing them as JSON strings was most of a warm
// run's loading. The checksum covers the JSON and the texts, and the whole file is read before
// anything is taken from it, so a text is never from another version of the file.
//
// The cache is input like any other: a bad checksum, another version or root, a truncated, foreign
// or oversized file, a link or a FIFO at its name, or an entry of the wrong shape is a miss, never
// an error and never a different result. Paths come from the directory walk; the cache is only
// looked up by them.
import { createHash } from 'crypto';
import { crc32 } from 'zlib';
import { BigIntStats, existsSync, lstatSync, mkdirSync, promises as fsp, realpathSync } from 'fs';
import * as os from 'os';
import * as nodePath from 'path';
import { CACHED_TEXT_SLOTS, CachedFile, IndexCache, isCachedFile } from '../core/indexCache';
import { contentHash, decodeText } from '../core/text';
import { isUnder } from '../core/workspace';
import { MAX_ITEM_BYTES } from '../core/format/itemFile';
import { cacheFolder } from './cacheFolder';
import { readRegularFileSync } from './safeRead';
import { replaceOwnFile } from './safeWrite';

/** The cache file's layout; another value in a file's header makes it a miss. */
const FORMAT = 'backlog-atlas-index-cache 3';
/** A cache file bigger than this is neither read nor written (about 250,000 items). */
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;
/** A UTF-16 code unit no UTF-8 can hold. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Times this close to the moment of looking are not trusted alone (file systems tick in up to 2 s). */
const RACY_MS = 3000n;

export interface IndexCacheFileOptions {
  /** The cache file. */
  file: string;
  /** The backlog root, as the index names it; the cache records it and answers for no other. */
  root: string;
  /** What makes every entry stale when it changes: the program's build. */
  version: string;
  /** Stat synchronously (the command line), or through the thread pool (the extension host). */
  blocking?: boolean;
  /** Milliseconds since the epoch, for tests; the system's clock otherwise. */
  now?: () => number;
  maxBytes?: number;
}

/** One file's entry: the context and stamp it was kept under, and its parsed record. */
export interface IndexCacheEntry {
  context: string;
  stamp: string;
  racy: boolean;
  file: CachedFile;
}

/** A cache of one backlog root's parsed item files, loaded once and saved when it changed. */
export class IndexCacheFile implements IndexCache {
  private readonly loaded: Map<string, IndexCacheEntry>;
  private readonly next = new Map<string, IndexCacheEntry>();
  /** Each looked-up file's stamp, taken before it is read, for `store`. */
  private readonly pending = new Map<string, { stamp: string; racy: boolean }>();
  private changed = false;
  /** How many entries the file held when loaded or last written: fewer or more now means a save writes. */
  private savedSize: number;
  /** Hits and misses, for tests and the bench. */
  readonly counts = { hits: 0, misses: 0, verified: 0 };

  private constructor(
    private readonly options: IndexCacheFileOptions,
    loaded: Map<string, IndexCacheEntry>,
  ) {
    this.loaded = loaded;
    this.savedSize = loaded.size;
  }

  /** Loads the cache file; anything wrong with it gives an empty cache. */
  static open(options: IndexCacheFileOptions): IndexCacheFile {
    return new IndexCacheFile(options, loadIndexCacheEntries(options));
  }

  /**
   * A cache over entries loaded elsewhere (by `loadIndexCacheEntries`, in a worker), which may
   * still be arriving: call `markLoaded` once they all have.
   */
  static fromEntries(options: IndexCacheFileOptions, loaded: Map<string, IndexCacheEntry>): IndexCacheFile {
    return new IndexCacheFile(options, loaded);
  }

  /** Whether a save would write: a file changed, came or went since the load or the last save. */
  get unsaved(): boolean {
    return this.changed || this.next.size !== this.savedSize;
  }

  /** What a save writes, by path; for a writer elsewhere (a worker), which then calls `markSaved`. */
  entries(): ReadonlyMap<string, IndexCacheEntry> {
    return this.next;
  }

  /**
   * Records that a load into the map given to `fromEntries` is done: what it holds now is what the
   * file holds, which a save compares against.
   */
  markLoaded(): void {
    this.savedSize = this.loaded.size;
  }

  /** Records that what `entries` held was written. */
  markSaved(): void {
    this.changed = false;
    this.savedSize = this.next.size;
  }

  async lookup(path: string, context: string): Promise<CachedFile | undefined> {
    let st: BigIntStats | undefined;
    try {
      st = this.options.blocking ? lstatSync(path, { bigint: true }) : await fsp.lstat(path, { bigint: true });
    } catch {
      st = undefined;
    }
    if (!st?.isFile()) {
      this.pending.delete(path);
      this.counts.misses++;
      return undefined;
    }
    const stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    const now = BigInt(Math.floor((this.options.now ?? Date.now)())) * 1_000_000n;
    const racy = st.mtimeNs >= now - RACY_MS * 1_000_000n || st.ctimeNs >= now - RACY_MS * 1_000_000n;
    this.pending.set(path, { stamp, racy });
    const entry = this.loaded.get(path);
    if (!entry || entry.stamp !== stamp || entry.context !== context || (entry.racy && !this.sameContent(path, entry.file.hash))) {
      this.counts.misses++;
      return undefined;
    }
    this.counts.hits++;
    // An entry seen racy and now settled is written again as settled, so the next run need not read it.
    if (entry.racy !== racy) this.changed = true;
    this.next.set(path, { ...entry, racy });
    return entry.file;
  }

  store(path: string, context: string, file: CachedFile): void {
    const seen = this.pending.get(path);
    if (!seen) return;
    this.next.set(path, { context, stamp: seen.stamp, racy: seen.racy, file });
    this.changed = true;
  }

  /**
   * Writes what this run looked up and stored, when that differs from what was loaded (a file
   * changed, came or went). Never throws: a cache that cannot be written is only slower.
   */
  async save(): Promise<void> {
    if (!this.unsaved) return;
    if (await writeIndexCacheEntries(this.options, this.next)) this.markSaved();
  }

  /** Whether the file holds the content a racy entry was made from (read safely, as the index reads). */
  private sameContent(path: string, hash: string): boolean {
    this.counts.verified++;
    try {
      const decoded = decodeText(readRegularFileSync(path, MAX_ITEM_BYTES));
      return decoded.ok && contentHash(decoded.value.text) === hash;
    } catch {
      return false;
    }
  }
}

/**
 * Writes entries as the cache file, whole; false when it was not written. Never throws: a full
 * disk, a read-only home, a folder where the file should be only mean no cache this time.
 */
export async function writeIndexCacheEntries(options: Pick<IndexCacheFileOptions, 'file' | 'root' | 'version' | 'maxBytes'>, entriesByPath: Iterable<[string, IndexCacheEntry]>): Promise<boolean> {
  try {
    const contexts: string[] = [];
    const contextIds = new Map<string, number>();
    const entries: unknown[] = [];
    const texts: Buffer[] = [];
    let textBytes = 0;
    for (const [path, e] of entriesByPath) {
      let id = contextIds.get(e.context);
      if (id === undefined) {
        id = contexts.push(e.context) - 1;
        contextIds.set(e.context, id);
      }
      let file = e.file;
      if (file.item) {
        const item = [...file.item];
        for (const slot of CACHED_TEXT_SLOTS) {
          const value = item[slot];
          const text = typeof value === 'function' ? (value as () => string)() : (value as string);
          // A text UTF-8 cannot hold exactly (a lone surrogate) stays in the JSON, which can.
          if (LONE_SURROGATE.test(text)) {
            item[slot] = text;
            continue;
          }
          const bytes = Buffer.from(text, 'utf8');
          item[slot] = [textBytes, bytes.length];
          texts.push(bytes);
          textBytes += bytes.length;
        }
        file = { ...file, item };
      }
      entries.push([path, id, e.stamp, e.racy ? 1 : 0, file]);
    }
    const json = Buffer.from(JSON.stringify({ version: options.version, root: options.root, contexts, entries }), 'utf8');
    const rest = Buffer.concat([json, ...texts]);
    const head = Buffer.from(`${FORMAT}\t${checksum(rest)}\t${json.length}\n`, 'latin1');
    if (head.length + rest.length > (options.maxBytes ?? MAX_CACHE_BYTES)) return false;
    mkdirSync(nodePath.dirname(options.file), { recursive: true, mode: 0o700 });
    await replaceOwnFile(options.file, Buffer.concat([head, rest]));
    return true;
  } catch {
    return false;
  }
}

/**
 * An entry whose texts are strings, not the functions that decode them from the file's bytes on
 * first use: what crosses to another thread (a worker's messages cannot carry functions).
 */
export function withDecodedTexts(entry: IndexCacheEntry): IndexCacheEntry {
  const item = entry.file.item;
  if (!item || !CACHED_TEXT_SLOTS.some((slot) => typeof item[slot] === 'function')) return entry;
  const decoded = [...item];
  for (const slot of CACHED_TEXT_SLOTS) {
    const value = decoded[slot];
    if (typeof value === 'function') decoded[slot] = (value as () => string)();
  }
  return { ...entry, file: { ...entry.file, item: decoded as typeof item } };
}

/** The entries of a cache file, each checked; anything wrong with the file gives none. */
export function loadIndexCacheEntries(options: Pick<IndexCacheFileOptions, 'file' | 'root' | 'version' | 'maxBytes'>): Map<string, IndexCacheEntry> {
  const out = new Map<string, IndexCacheEntry>();
  let bytes: Buffer;
  try {
    // Only a regular file, never through a link, never past the limit, never blocking on a FIFO.
    bytes = readRegularFileSync(options.file, options.maxBytes ?? MAX_CACHE_BYTES);
  } catch {
    return out;
  }
  const nl = bytes.indexOf(0x0a);
  if (nl === -1) return out;
  const [format, sum, jsonText, ...more] = bytes.toString('latin1', 0, nl).split('\t');
  const rest = bytes.subarray(nl + 1);
  const jsonBytes = Number(jsonText);
  if (format !== FORMAT || more.length > 0 || !Number.isSafeInteger(jsonBytes) || jsonBytes < 0 || jsonBytes > rest.length || sum !== checksum(rest)) return out;
  const texts = rest.subarray(jsonBytes);
  let data: unknown;
  try {
    data = JSON.parse(rest.toString('utf8', 0, jsonBytes));
  } catch {
    return out;
  }
  if (typeof data !== 'object' || data === null) return out;
  const { version, root, contexts, entries } = data as Record<string, unknown>;
  if (version !== options.version || root !== options.root || !Array.isArray(contexts) || !Array.isArray(entries)) return out;
  for (const e of entries as unknown[]) {
    if (!Array.isArray(e) || e.length !== 5) continue;
    const [path, id, stamp, racy, file] = e as unknown[];
    if (typeof path !== 'string' || typeof stamp !== 'string' || (racy !== 0 && racy !== 1)) continue;
    if (typeof id !== 'number' || typeof contexts[id] !== 'string' || out.has(path)) continue;
    const kept = withTexts(file, texts);
    if (isCachedFile(kept)) out.set(path, { context: contexts[id] as string, stamp, racy: racy === 1, file: kept });
  }
  return out;
}

/**
 * An entry's item with each text slot that names a range of `texts` (`[offset, length]`) made a
 * function that decodes it; a range that is not whole numbers inside `texts` is left as it is,
 * for the shape check to refuse.
 */
function withTexts(file: unknown, texts: Buffer): unknown {
  const item = typeof file === 'object' && file !== null ? (file as { item?: unknown }).item : undefined;
  if (!Array.isArray(item)) return file;
  for (const slot of CACHED_TEXT_SLOTS) {
    const range: unknown = item[slot];
    if (!Array.isArray(range) || range.length !== 2) continue;
    const [at, length] = range as unknown[];
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(length) || (at as number) < 0 || (length as number) < 0 || (at as number) + (length as number) > texts.length) continue;
    item[slot] = () => texts.toString('utf8', at as number, (at as number) + (length as number));
  }
  return file;
}

/**
 * What finds a damaged or cut-short cache: CRC-32 and the length. It is not a seal (anyone who can
 * write the file can compute it), and needs not be one: every entry's shape is checked anyway,
 * and a cache in the user's own folder is as trusted as that folder. A tenth of SHA-256's time.
 */
function checksum(bytes: Uint8Array): string {
  return `${crc32(bytes).toString(16)}-${bytes.length}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The command line's cache file for a backlog root: `<cache home>/backlog-atlas/index/<hash of
 * the root's real path>/index`, where the cache home is `$XDG_CACHE_HOME` or `~/.cache`.
 * Undefined when that would lie inside the repository that holds the root (a cache is ours, not
 * the repository's) or the root cannot be resolved.
 */
export function cliCacheFile(root: string, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string | undefined {
  let real: string;
  try {
    real = realpathSync(root);
  } catch {
    return undefined;
  }
  const dir = nodePath.join(cacheFolder(env, home), 'index', sha256(real).slice(0, 32));
  return outsideRepository(dir, real) ? nodePath.join(dir, 'index') : undefined;
}

/**
 * True when `dir` (which need not exist yet) lies outside the backlog root and outside the
 * repository holding it (the nearest folder above it with a `.git`), links resolved.
 */
export function outsideRepository(dir: string, realRoot: string): boolean {
  let top = nodePath.dirname(realRoot);
  for (let d = top; ; ) {
    if (existsSync(nodePath.join(d, '.git'))) {
      top = d;
      break;
    }
    const up = nodePath.dirname(d);
    if (up === d) break;
    d = up;
  }
  // The deepest part of `dir` that exists, resolved, with the rest put back.
  let existing = nodePath.resolve(dir);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const up = nodePath.dirname(existing);
    if (up === existing) break;
    rest.unshift(nodePath.basename(existing));
    existing = up;
  }
  let realDir: string;
  try {
    realDir = nodePath.join(realpathSync(existing), ...rest);
  } catch {
    return false;
  }
  const posix = (p: string) => p.split(nodePath.sep).join('/');
  return !isUnder(posix(realDir), posix(realRoot)) && !isUnder(posix(realDir), posix(top));
}
