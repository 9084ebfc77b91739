// What the index may take from a cache instead of reading and parsing an item file again, and the
// checks that make a cache's contents safe to take. Where a cache lives and how it knows a file is
// unchanged (its size, times and identity) is the adapters' (src/node/indexCacheFile.ts): the core
// only asks, by path, and builds the item from what comes back as if it had parsed the file.
//
// A cache is input like any file: whatever it holds is checked here for shape and type, and the
// paths an item carries come from the directory walk, never from the cache.
import { BODY_KEYS, parseBody, ParsedBody } from './format/body';
import { readFrontMatter } from './format/itemFile';
import { lazyFieldGroups } from './lazyFields';
import { idKey } from './naming';
import { CommittedEntry, Diagnostic, Item, ItemFolder, MAX_POINTS, Release, SIZES, Sprint } from './types';

/**
 * An item as a cache keeps it, as a list (no key names to store and read again): its typed
 * front-matter values in `ITEM_KEYS` order (null for none), then its front matter as YAML text and
 * the line that starts on, then its body and the line that starts on. The front matter's values
 * (`fields`, `fieldLines`) and the body are read again from the text when first asked for.
 * Either text may be a `CachedText` function instead of a string: a cache that keeps texts apart
 * from the values (src/node/indexCacheFile.ts) decodes one only when it is asked for.
 */
export type CachedItem = unknown[];

/** A text a cache gives only when asked: listing 10,000 items asks for none. */
export type CachedText = () => string;

/** One item file as parsed: what the index keeps of it. */
export interface CachedFile {
  hash: string;
  diagnostics: Diagnostic[];
  item?: CachedItem;
  /**
   * A plan file's value as parsed (`sprints.yml`'s sprints, `releases.yml`'s releases): read
   * through the general YAML parser, 200 sprints in flow style took longer than the rest of a
   * warm `list` of 10,000 items. Checked field by field when it is restored.
   */
  plan?: unknown[];
}

/** The plan files a cache keeps, and the context each is looked up under (their parse depends on nothing else). */
export const CACHED_PLANS = { sprints: 'plan:sprints', releases: 'plan:releases' } as const;

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
/** Where a `CachedItem` keeps its two texts (front matter, body), which may be `CachedText`s. */
export const CACHED_TEXT_SLOTS: readonly number[] = [TEXT_AT, TEXT_AT + 2];
const SEVERITIES = new Set(['error', 'warning', 'info']);

/**
 * A cached item's front matter values, and apart from them its body, each read again from its
 * text when one of its fields is first asked for (one set of accessors per item): `list --json`
 * and the agents' list read the body's acceptance criteria, never the front matter's lines.
 */
type CachedTexts = { frontMatter: string | CachedText; frontMatterLine: number; body: string | CachedText; bodyLine: number };
const lazyTexts = lazyFieldGroups<CachedTexts, Pick<Item, 'fields' | 'fieldLines' | keyof ParsedBody>>([
  { keys: ['fields', 'fieldLines'], compute: (s) => readFrontMatter(textOf(s.frontMatter), s.frontMatterLine) },
  { keys: BODY_KEYS, compute: (s) => parseBody(textOf(s.body), s.bodyLine) },
]);

function textOf(t: string | CachedText): string {
  return typeof t === 'string' ? t : t();
}

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
  return lazyTexts(item, { frontMatter: c[TEXT_AT] as string | CachedText, frontMatterLine: c[TEXT_AT + 1] as number, body: c[TEXT_AT + 2] as string | CachedText, bodyLine: c[TEXT_AT + 3] as number });
}

/** The file's diagnostics, each at `path` (a cache's own paths are never taken). */
export function restoreDiagnostics(file: CachedFile, path: string): Diagnostic[] {
  return file.diagnostics.map((d) => ({ ...d, path }));
}

/** True when `x` has the shape of a `CachedFile`, every value of the type it should be. */
export function isCachedFile(x: unknown): x is CachedFile {
  if (!isRecord(x) || typeof x.hash !== 'string' || !Array.isArray(x.diagnostics)) return false;
  for (const d of x.diagnostics) if (!isDiagnostic(d)) return false;
  if (x.plan !== undefined && (!Array.isArray(x.plan) || x.item !== undefined)) return false;
  return x.item === undefined || isCachedItem(x.item);
}

/**
 * `sprints.yml`'s sprints as `parseSprints` gave them, rebuilt key by key in its order; undefined
 * (read the file again) when the cache holds no plan or anything of another shape.
 */
export function restoreSprints(file: CachedFile): Sprint[] | undefined {
  if (!Array.isArray(file.plan)) return undefined;
  const out: Sprint[] = [];
  for (const s of file.plan as unknown[]) {
    if (!isRecord(s) || !isName(s.id) || typeof s.name !== 'string' || !optionalString(s.start) || !optionalString(s.end) || !optionalString(s.goal)) return undefined;
    if (!optionalCount(s.capacity) || (s.state !== 'planned' && s.state !== 'active' && s.state !== 'closed')) return undefined;
    if (!Array.isArray(s.committed) || typeof s.hasCommitted !== 'boolean' || !isLine(s.line)) return undefined;
    const committed: CommittedEntry[] = [];
    for (const c of s.committed as unknown[]) {
      if (!isRecord(c) || !isName(c.id) || !optionalCount(c.estimate)) return undefined;
      committed.push({ id: c.id, estimate: c.estimate });
    }
    out.push({ id: s.id, name: s.name, start: s.start, end: s.end, goal: s.goal, capacity: s.capacity, state: s.state, committed, hasCommitted: s.hasCommitted, line: s.line });
  }
  return out;
}

/** `releases.yml`'s releases as `parseReleases` gave them, at `path` (the walk's, never the cache's); undefined as `restoreSprints`. */
export function restoreReleases(file: CachedFile, path: string): Release[] | undefined {
  if (!Array.isArray(file.plan)) return undefined;
  const out: Release[] = [];
  for (const r of file.plan as unknown[]) {
    if (!isRecord(r) || !isName(r.id) || typeof r.name !== 'string' || !optionalString(r.date) || !optionalString(r.goal) || !optionalString(r.milestone)) return undefined;
    if (r.source !== 'releases' || !isLine(r.line)) return undefined;
    out.push({ id: r.id, name: r.name, date: r.date, goal: r.goal, milestone: r.milestone, source: 'releases', path, line: r.line });
  }
  return out;
}

/** A non-empty string, as the plan readers give ids. */
function isName(x: unknown): x is string {
  return typeof x === 'string' && x !== '';
}

function optionalString(x: unknown): x is string | undefined {
  return x === undefined || isName(x);
}

/** Absent, or a finite number of zero or more, as `MapReader.number` gives them. */
function optionalCount(x: unknown): x is number | undefined {
  return x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_POINTS && !Object.is(x, -0));
}

/** What each typed value of a cached item must be, by slot: looked up once, not per value. */
const KINDS: readonly ('string' | 'optional' | 'list' | 'number' | 'size')[] = ITEM_KEYS.map((key) =>
  (STRINGS as readonly string[]).includes(key)
    ? 'string'
    : (OPTIONAL_STRINGS as readonly string[]).includes(key)
      ? 'optional'
      : (STRING_LISTS as readonly string[]).includes(key)
        ? 'list'
        : (NUMBERS as readonly string[]).includes(key)
          ? 'number'
          : 'size',
);

function isCachedItem(x: unknown): boolean {
  if (!Array.isArray(x) || x.length !== TEXT_AT + 4) return false;
  for (let i = 0; i < TEXT_AT; i++) {
    const v: unknown = x[i];
    switch (KINDS[i]) {
      case 'string':
        if (typeof v !== 'string') return false;
        break;
      case 'optional':
        if (v !== null && typeof v !== 'string') return false;
        break;
      case 'list':
        if (!Array.isArray(v)) return false;
        for (const e of v) if (typeof e !== 'string') return false;
        break;
      case 'number':
        if (v !== null && (typeof v !== 'number' || !Number.isFinite(v) || Object.is(v, -0))) return false;
        break;
      case 'size':
        if (v !== null && !(SIZES as readonly unknown[]).includes(v)) return false;
    }
  }
  return isText(x[TEXT_AT]) && isLine(x[TEXT_AT + 1]) && isText(x[TEXT_AT + 2]) && isLine(x[TEXT_AT + 3]);
}

/** A kept text: a string, or a function the cache's own loader made (JSON holds none). */
function isText(x: unknown): boolean {
  return typeof x === 'string' || typeof x === 'function';
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
