// What the index may take from a cache instead of reading and parsing an item file again, and the
// checks that make a cache's contents safe to take. Where a cache lives and how it knows a file is
// unchanged (its size, times and identity) is the adapters' (src/node/indexCacheFile.ts): the core
// only asks, by path, and builds the item from what comes back as if it had parsed the file.
//
// A cache is input like any file: whatever it holds is checked here for shape and type, and the
// paths an item carries come from the directory walk, never from the cache.
import { defineLazyBody, ParsedBody } from './format/body';
import { idKey } from './naming';
import { Diagnostic, Item, ItemFolder, SIZES } from './types';

/**
 * An item as a cache keeps it: its front matter read (each key's line as a flat list of key, line,
 * key, line…), its body as text (parsed when asked for).
 */
export type CachedItem = Omit<Item, keyof ParsedBody | 'path' | 'root' | 'folder' | 'key' | 'fieldLines'> & { fieldLines: (string | number)[] };

/** One item file as parsed: what the index keeps of it. */
export interface CachedFile {
  hash: string;
  diagnostics: Diagnostic[];
  item?: CachedItem;
  /** The body's text and the file line it starts on, for `item`. */
  body?: string;
  bodyLine?: number;
}

/**
 * A store of parsed item files. `lookup` answers only for a file that has not changed since it was
 * stored, under the same `context` (what else the parse depended on: the config); `store` records
 * a file just read. Implementations decide what "unchanged" means and must err towards a miss.
 */
export interface IndexCache {
  lookup(path: string, context: string): Promise<CachedFile | undefined>;
  store(path: string, context: string, file: CachedFile): void;
}

const OPTIONAL_STRINGS = [
  'type',
  'priority',
  'parent',
  'milestone',
  'rank',
  'sprint',
  'release',
  'epic',
  'theme',
  'step',
  'horizon',
  'createdDate',
  'updatedDate',
  'completedDate',
  'dueDate',
  'reporter',
] as const satisfies readonly (keyof CachedItem)[];
const STRING_LISTS = ['assignee', 'labels', 'dependencies', 'references', 'documentation', 'modifiedFiles'] as const satisfies readonly (keyof CachedItem)[];
const SEVERITIES = new Set(['error', 'warning', 'info']);

/** What a cache keeps of a parsed item file, or undefined when it holds a value JSON would not give back as it is. */
export function toCachedFile(hash: string, diagnostics: Diagnostic[], item: Item | undefined, body: { text: string; line: number } | undefined): CachedFile | undefined {
  if (!item) return jsonSafe(diagnostics) ? { hash, diagnostics } : undefined;
  if (!body) return undefined;
  const kept: Record<string, unknown> = { id: item.id, title: item.title, status: item.status, fields: item.fields, fieldLines: Object.entries(item.fieldLines).flat() };
  for (const k of OPTIONAL_STRINGS) if (item[k] !== undefined) kept[k] = item[k];
  for (const k of STRING_LISTS) kept[k] = item[k];
  if (item.ordinal !== undefined) kept.ordinal = item.ordinal;
  if (item.estimate !== undefined) kept.estimate = item.estimate;
  if (item.size !== undefined) kept.size = item.size;
  const file = { hash, diagnostics, item: kept as CachedItem, body: body.text, bodyLine: body.line };
  return jsonSafe(file) ? file : undefined;
}

/**
 * The item a cached file stands for, at `path` in `root` and `folder` (from the walk), with its
 * body parsed when first read, as `parseItemFile` gives it; undefined for a file that had none.
 */
export function restoreItem(file: CachedFile, path: string, root: string, folder: ItemFolder): Item | undefined {
  if (!file.item || file.body === undefined || file.bodyLine === undefined) return undefined;
  const c = file.item;
  const fieldLines: Record<string, number> = Object.create(null) as Record<string, number>;
  for (let i = 0; i + 1 < c.fieldLines.length; i += 2) fieldLines[c.fieldLines[i] as string] = c.fieldLines[i + 1] as number;
  // Every key written out, in parseItemFile's order: items of one shape keep the code that reads
  // them fast, whichever way they were made.
  const item: Omit<Item, keyof ParsedBody> = {
    id: c.id,
    key: idKey(c.id),
    title: c.title,
    status: c.status,
    type: c.type,
    assignee: c.assignee,
    labels: c.labels,
    dependencies: c.dependencies,
    priority: c.priority,
    parent: c.parent,
    milestone: c.milestone,
    ordinal: c.ordinal,
    rank: c.rank,
    estimate: c.estimate,
    size: c.size,
    sprint: c.sprint,
    release: c.release,
    epic: c.epic,
    theme: c.theme,
    step: c.step,
    horizon: c.horizon,
    createdDate: c.createdDate,
    updatedDate: c.updatedDate,
    completedDate: c.completedDate,
    dueDate: c.dueDate,
    reporter: c.reporter,
    references: c.references,
    documentation: c.documentation,
    modifiedFiles: c.modifiedFiles,
    folder,
    path,
    root,
    fields: c.fields,
    fieldLines,
  };
  return defineLazyBody(item, file.body, file.bodyLine);
}

/** The file's diagnostics, each at `path` (a cache's own paths are never taken). */
export function restoreDiagnostics(file: CachedFile, path: string): Diagnostic[] {
  return file.diagnostics.map((d) => ({ ...d, path }));
}

/** True when `x` has the shape of a `CachedFile`, every value of the type it should be. */
export function isCachedFile(x: unknown): x is CachedFile {
  if (!isRecord(x) || typeof x.hash !== 'string' || !Array.isArray(x.diagnostics) || !x.diagnostics.every(isDiagnostic)) return false;
  if (x.item === undefined) return x.body === undefined && x.bodyLine === undefined;
  return typeof x.body === 'string' && isLine(x.bodyLine) && isCachedItem(x.item);
}

function isCachedItem(x: unknown): boolean {
  if (!isRecord(x) || typeof x.id !== 'string' || typeof x.title !== 'string' || typeof x.status !== 'string') return false;
  if (!OPTIONAL_STRINGS.every((k) => x[k] === undefined || typeof x[k] === 'string')) return false;
  if (!STRING_LISTS.every((k) => Array.isArray(x[k]) && (x[k] as unknown[]).every((s) => typeof s === 'string'))) return false;
  if (![x.ordinal, x.estimate].every((n) => n === undefined || (typeof n === 'number' && Number.isFinite(n)))) return false;
  if (x.size !== undefined && !(SIZES as readonly unknown[]).includes(x.size)) return false;
  if (!isRecord(x.fields) || !jsonSafe(x.fields)) return false;
  const lines = x.fieldLines;
  return Array.isArray(lines) && lines.length % 2 === 0 && lines.every((v, i) => (i % 2 === 0 ? typeof v === 'string' : isLine(v)));
}

function isDiagnostic(x: unknown): boolean {
  return (
    isRecord(x) &&
    [x.line, x.column, x.endLine, x.endColumn].every(isLine) &&
    typeof x.severity === 'string' &&
    SEVERITIES.has(x.severity) &&
    typeof x.message === 'string' &&
    typeof x.code === 'string' &&
    typeof x.path === 'string'
  );
}

function isLine(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * True when JSON gives `x` back as it is: strings, booleans, null, finite numbers other than -0,
 * arrays, and plain objects without a `__proto__` key. Iterative, so that no depth overflows it.
 */
export function jsonSafe(x: unknown): boolean {
  const stack: unknown[] = [x];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return false;
      continue;
    }
    if (typeof v !== 'object') return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k of Object.keys(v)) {
      if (k === '__proto__') return false;
      const child = (v as Record<string, unknown>)[k];
      if (child === undefined) return false;
      stack.push(child);
    }
  }
  return true;
}
