// What the index may take from a cache instead of reading and parsing an item file again, and the
// checks that make a cache's contents safe to take. Where a cache lives and how it knows a file is
// unchanged (its size, times and identity) is the adapters' (src/node/indexCacheFile.ts): the core
// only asks, by path, and builds the item from what comes back as if it had parsed the file.
//
// A cache is input like any file: whatever it holds is checked here for shape and type, and the
// paths an item carries come from the directory walk, never from the cache.
import { BODY_KEYS, parseBody, ParsedBody } from './format/body';
import { readFrontMatter } from './format/itemFile';
import { lazyFields } from './lazyFields';
import { idKey } from './naming';
import { Diagnostic, Item, ItemFolder, SIZES } from './types';

/**
 * An item as a cache keeps it, as a list (no key names to store and read again): its typed
 * front-matter values in `ITEM_KEYS` order (null for none), then its front matter as YAML text and
 * the line that starts on, then its body and the line that starts on. The front matter's values
 * (`fields`, `fieldLines`) and the body are read again from the text when first asked for.
 */
export type CachedItem = unknown[];

/** One item file as parsed: what the index keeps of it. */
export interface CachedFile {
  hash: string;
  diagnostics: Diagnostic[];
  item?: CachedItem;
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

const STRINGS = ['id', 'title', 'status'] as const;
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
] as const;
const STRING_LISTS = ['assignee', 'labels', 'dependencies', 'references', 'documentation', 'modifiedFiles'] as const;
const NUMBERS = ['ordinal', 'estimate'] as const;
/** The typed values a cached item keeps, in order; `size` last. */
const ITEM_KEYS = [...STRINGS, ...OPTIONAL_STRINGS, ...STRING_LISTS, ...NUMBERS, 'size'] as const satisfies readonly (keyof Item)[];
const TEXT_AT = ITEM_KEYS.length;
const SEVERITIES = new Set(['error', 'warning', 'info']);

/** A cached item's front matter values and body, read again from their text when one is first asked for (one set of accessors per item). */
const lazyTexts = lazyFields(
  ['fields', 'fieldLines', ...BODY_KEYS],
  (s: { frontMatter: string; frontMatterLine: number; body: string; bodyLine: number }): Pick<Item, 'fields' | 'fieldLines' | keyof ParsedBody> => ({
    ...readFrontMatter(s.frontMatter, s.frontMatterLine),
    ...parseBody(s.body, s.bodyLine),
  }),
);

/** What a cache keeps of a parsed item file (see `parseItemFile`'s `body` and `frontMatter`). */
export function toCachedFile(hash: string, diagnostics: Diagnostic[], item: Item | undefined, texts: { body?: { text: string; line: number }; frontMatter?: { text: string; line: number } }): CachedFile | undefined {
  if (!item) return { hash, diagnostics };
  const { body, frontMatter } = texts;
  if (!body || !frontMatter) return undefined;
  const kept: unknown[] = ITEM_KEYS.map((k) => item[k] ?? null);
  kept.push(frontMatter.text, frontMatter.line, body.text, body.line);
  // A value JSON would give back otherwise (±Infinity, -0) is not kept: that file is read again.
  return kept.every((v, i) => i >= TEXT_AT || !NUMBERS.includes(ITEM_KEYS[i] as (typeof NUMBERS)[number]) || v === null || (Number.isFinite(v) && !Object.is(v, -0))) ? { hash, diagnostics, item: kept } : undefined;
}

/**
 * The item a cached file stands for, at `path` in `root` and `folder` (from the walk), as
 * `parseItemFile` gives it (front matter values and body read again from their text when first
 * asked for); undefined for a file that had none.
 */
export function restoreItem(file: CachedFile, path: string, root: string, folder: ItemFolder): Item | undefined {
  const c = file.item;
  if (!c) return undefined;
  const v = (k: number) => (c[k] === null ? undefined : c[k]) as never;
  const id = c[0] as string;
  // Every key written out, in parseItemFile's order: items of one shape keep the code that reads
  // them fast, whichever way they were made.
  const item: Omit<Item, keyof ParsedBody | 'fields' | 'fieldLines'> = {
    id,
    key: idKey(id),
    title: v(1),
    status: v(2),
    type: v(3),
    assignee: v(19),
    labels: v(20),
    dependencies: v(21),
    priority: v(4),
    parent: v(5),
    milestone: v(6),
    ordinal: v(25),
    rank: v(7),
    estimate: v(26),
    size: v(27),
    sprint: v(8),
    release: v(9),
    epic: v(10),
    theme: v(11),
    step: v(12),
    horizon: v(13),
    createdDate: v(14),
    updatedDate: v(15),
    completedDate: v(16),
    dueDate: v(17),
    reporter: v(18),
    references: v(22),
    documentation: v(23),
    modifiedFiles: v(24),
    folder,
    path,
    root,
  };
  return lazyTexts(item, { frontMatter: c[TEXT_AT] as string, frontMatterLine: c[TEXT_AT + 1] as number, body: c[TEXT_AT + 2] as string, bodyLine: c[TEXT_AT + 3] as number });
}

/** The file's diagnostics, each at `path` (a cache's own paths are never taken). */
export function restoreDiagnostics(file: CachedFile, path: string): Diagnostic[] {
  return file.diagnostics.map((d) => ({ ...d, path }));
}

/** True when `x` has the shape of a `CachedFile`, every value of the type it should be. */
export function isCachedFile(x: unknown): x is CachedFile {
  if (!isRecord(x) || typeof x.hash !== 'string' || !Array.isArray(x.diagnostics)) return false;
  for (const d of x.diagnostics) if (!isDiagnostic(d)) return false;
  return x.item === undefined || isCachedItem(x.item);
}

function isCachedItem(x: unknown): boolean {
  if (!Array.isArray(x) || x.length !== TEXT_AT + 4) return false;
  for (let i = 0; i < TEXT_AT; i++) {
    const key = ITEM_KEYS[i];
    const v: unknown = x[i];
    if (i < STRINGS.length) {
      if (typeof v !== 'string') return false;
    } else if (v === null) {
      if ((STRING_LISTS as readonly string[]).includes(key)) return false;
    } else if ((OPTIONAL_STRINGS as readonly string[]).includes(key)) {
      if (typeof v !== 'string') return false;
    } else if ((STRING_LISTS as readonly string[]).includes(key)) {
      if (!Array.isArray(v)) return false;
      for (const e of v) if (typeof e !== 'string') return false;
    } else if ((NUMBERS as readonly string[]).includes(key)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || Object.is(v, -0)) return false;
    } else if (!(SIZES as readonly unknown[]).includes(v)) return false;
  }
  return typeof x[TEXT_AT] === 'string' && isLine(x[TEXT_AT + 1]) && typeof x[TEXT_AT + 2] === 'string' && isLine(x[TEXT_AT + 3]);
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
