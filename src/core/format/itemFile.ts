import { isMap, isScalar, YAMLMap } from 'yaml';
import { BODY_KEYS, parseBody, ParsedBody } from './body';
import { lazyFieldGroups } from '../lazyFields';
import { conflictDiagnostics } from './conflicts';
import { dateProblem } from '../dates';
import { horizonProblem, normalizeHorizon } from '../rules/horizon';
import { idKey, idProblem } from '../naming';
import { canonicalStatus } from '../statuses';
import { decodeText, DecodedText, lineStarts, positionAt } from '../text';
import { BacklogConfig, Diagnostic, Item, ItemFolder, MAX_POINTS, Size, SIZES } from '../types';
import { MapReader, rootMap } from './yamlFields';
import { parseYamlSafe, toDiagnostics, YamlProblem } from './yamlSafe';

/** Item files larger than this are refused: a backlog item is a page, not a data dump. */
export const MAX_ITEM_BYTES = 1024 * 1024;

/** Where the front matter sits in a file's text (BOM removed). */
export interface FrontMatterSpan {
  /** Offset of the first YAML character, after the opening `---` line. */
  yamlStart: number;
  /** Offset of the closing `---` line. */
  yamlEnd: number;
  /** Offset of the first body character, after the closing line. */
  bodyStart: number;
}

export type SplitResult = { ok: true; span: FrontMatterSpan } | { ok: false; message: string; offset: number };

/** Finds the `---` fences. Only a file that opens with one has front matter (gray-matter's rule). */
export function splitFrontMatter(text: string): SplitResult {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) {
    return {
      ok: false,
      offset: 0,
      message: 'No front matter: an item file starts with a `---` line, then `id:` and `title:`, then `---`.',
    };
  }
  const yamlStart = open[0].length;
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/gm;
  close.lastIndex = yamlStart;
  // An empty front matter closes on the very next line, which the regex finds too.
  const m = close.exec(text);
  if (!m) {
    return { ok: false, offset: 0, message: 'The front matter is never closed: add a `---` line after the last key.' };
  }
  return { ok: true, span: { yamlStart, yamlEnd: m.index, bodyStart: m.index + m[0].length } };
}

export interface ItemContext {
  root: string;
  folder: ItemFolder;
  config: BacklogConfig;
}

export interface ParsedItemFile {
  item?: Item;
  diagnostics: Diagnostic[];
  decoded?: DecodedText;
  /** The body's text and the file line it starts on, when there is an item (for a cache). */
  body?: { text: string; line: number };
  /** The front matter as parsed (handles quoted) and the file line it starts on, with `body`. */
  frontMatter?: { text: string; line: number };
}

/** Parses one item file. Never throws: anything wrong with the file becomes a diagnostic. */
export function parseItemFile(path: string, bytes: Uint8Array, ctx: ItemContext): ParsedItemFile {
  if (bytes.byteLength > MAX_ITEM_BYTES) {
    return { diagnostics: [fileDiag(path, 'too-large', `File is ${Math.round(bytes.byteLength / 1024)} KiB; item files over ${MAX_ITEM_BYTES / 1024} KiB are not read.`)] };
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { diagnostics: [fileDiag(path, decoded.code, decoded.message, decoded.line, decoded.column)] };
  const { text } = decoded.value;
  const starts = lineStarts(text);
  // Conflict markers anywhere (front matter or body) are errors of their own, whatever YAML makes of them.
  const conflicts = conflictDiagnostics(path, text);
  const split = splitFrontMatter(text);
  if (!split.ok) {
    return { decoded: decoded.value, diagnostics: [fileDiag(path, 'front-matter', split.message), ...conflicts] };
  }
  const { span } = split;
  const written = text.slice(span.yamlStart, span.yamlEnd);
  const { text: yamlText, firstChanged: at } = quoteHandles(written);
  const parsed = parseYamlSafe(yamlText, { fast: true });
  const problems: YamlProblem[] = [...parsed.problems];
  if (at !== -1) {
    problems.push({
      start: at,
      end: at + 8,
      severity: 'warning',
      code: 'unquoted-handle',
      message: "An unquoted @handle is not valid YAML; Backlog.md reads it anyway, and so does Backlog Atlas, but quote it ('@jo') so that this file can be changed here.",
    });
  }
  const toDiags = () => [...toDiagnostics(problems, path, text, span.yamlStart, starts), ...conflicts];
  if (parsed.value === undefined) return { decoded: decoded.value, diagnostics: toDiags() };

  const r = new MapReader(rootMap(parsed.contents, problems, 'Front matter'), problems, 'This item');
  if (!r.map) {
    if (problems.length === 0) problems.push({ start: 0, end: 0, severity: 'error', code: 'missing-field', message: 'The front matter is empty: add `id:` and `title:`.' });
    return { decoded: decoded.value, diagnostics: toDiags() };
  }
  const id = r.string('id', true);
  // An id may become a file name (a rename, a subtask): one that could lead out of the folder, or
  // that hides characters, is an error here, and the writer leaves the file alone until it is fixed.
  const idIssue = id === undefined ? undefined : idProblem(id);
  if (idIssue) r.report(r.node('id'), 'unsafe-id', `${idIssue} Backlog Atlas does not change this file until the id is fixed.`, 'error');
  const title = r.string('title', true);
  const cfg = ctx.config;
  // Read as Backlog.md reads it: "todo" is "To Do", so the item shows and groups under the spelling
  // config.yml gives. Drafts and archived items are out of play: their statuses are not checked.
  const statusText = r.string('status');
  const status = statusText === undefined ? cfg.defaultStatus : (canonicalStatus(cfg.statuses, statusText) ?? statusText);
  if (statusText !== undefined && ctx.folder !== 'drafts' && ctx.folder !== 'archive' && cfg.statuses.length > 0 && canonicalStatus(cfg.statuses, statusText) === undefined) {
    r.report(r.node('status'), 'unknown-status', `Status "${statusText}" is not one of config.yml's statuses: ${listed(cfg.statuses)}.`, 'warning');
  }
  const type = r.string('type')?.toLowerCase();
  if (type !== undefined && !setOf(cfg.types).has(type)) {
    r.report(r.node('type'), 'unknown-type', `Type "${type}" is not one of: ${listed(cfg.types)}.`, 'warning');
  }
  const priority = r.string('priority')?.toLowerCase();
  if (priority !== undefined && !setOf(cfg.priorities).has(priority)) {
    r.report(r.node('priority'), 'unknown-priority', `Priority "${priority}" is not one of: ${listed(cfg.priorities)}.`, 'warning');
  }
  // Backlog.md runs a task's own `onStatusChange` command too; Backlog Atlas runs no command a
  // repository's files name (see hooksNotRun in config.ts), and says so where it is written.
  for (const key of ['onStatusChange', 'on_status_change']) {
    const hook = r.node(key);
    if (hook !== undefined && isScalar(hook) && typeof hook.value === 'string' && hook.value.trim() !== '') {
      r.report(hook, 'hook-not-run', `Backlog Atlas does not run \`${key}\`: a repository's files never make it run a command. Backlog.md's own CLI, board and MCP server still run it on the changes they make.`, 'info');
    }
  }
  const estimate = r.number('estimate', MAX_POINTS);
  if (estimate !== undefined && cfg.estimateScale.length > 0 && !setOf(cfg.estimateScale).has(estimate)) {
    r.report(r.node('estimate'), 'off-scale', `Estimate ${estimate} is not on the scale ${listed(cfg.estimateScale)}.`, 'info');
  }
  let size: Size | undefined;
  const sizeText = r.string('size');
  if (sizeText !== undefined) {
    const upper = sizeText.toUpperCase();
    if ((SIZES as readonly string[]).includes(upper)) size = upper as Size;
    else r.report(r.node('size'), 'wrong-type', `Size "${sizeText}" should be one of ${SIZES.join(', ')}.`, 'error');
  }
  const ordinal = r.number('ordinal');
  const rankNode = r.node('rank');
  const rank = r.string('rank');
  if (rank !== undefined && isScalar(rankNode) && typeof rankNode.value !== 'string') {
    r.report(rankNode, 'rank-not-text', 'Rank should be a quoted string such as "a0V"; numbers sort differently.', 'warning');
  }

  const horizonText = r.string('horizon');
  const horizon = horizonText === undefined ? undefined : normalizeHorizon(horizonText);
  if (horizonText !== undefined && horizon === undefined) r.report(r.node('horizon'), 'bad-horizon', horizonProblem(horizonText), 'warning');

  if (id === undefined || title === undefined) return { decoded: decoded.value, diagnostics: toDiags() };

  const fields: Omit<Item, keyof ParsedBody | 'fieldLines'> = {
    id,
    key: idKey(id),
    title,
    status,
    type,
    assignee: r.stringList('assignee'),
    labels: r.stringList('labels'),
    dependencies: r.stringList('dependencies'),
    priority,
    parent: r.string('parent_task_id') ?? r.string('parent'),
    milestone: r.string('milestone'),
    ordinal,
    rank,
    estimate,
    size,
    sprint: r.string('sprint'),
    release: r.string('release'),
    epic: r.string('epic'),
    theme: r.string('theme'),
    step: r.string('step'),
    horizon,
    createdDate: readDate(r, 'created_date'),
    updatedDate: readDate(r, 'updated_date'),
    completedDate: readDate(r, 'completed_date'),
    dueDate: readDate(r, 'due_date'),
    reporter: r.string('reporter'),
    references: r.stringList('references'),
    documentation: r.stringList('documentation'),
    modifiedFiles: r.stringList('modified_files'),
    folder: ctx.folder,
    path,
    root: ctx.root,
    fields: parsed.value as Record<string, unknown>,
  };
  const body = { text: text.slice(span.bodyStart), line: positionAt(starts, span.bodyStart).line };
  const frontMatter = { text: yamlText, line: positionAt(starts, span.yamlStart).line };
  const item: Item = lazyParts(fields, { body, frontMatter });
  // The list readers above may have added problems too, so diagnostics are taken last.
  return { item, decoded: decoded.value, diagnostics: toDiags(), body, frontMatter };
}

/**
 * A parsed item's body (markdown-it), and apart from it the line of each front-matter key, each
 * worked out when one of its fields is first asked for, as for an item from the cache (`lazyTexts`
 * in core/indexCache). Listing, filtering and ordering items read neither: markdown-it was most of
 * the cost of reading a backlog, and the keys' lines, objects without a prototype and so
 * dictionaries, were 7 of the 48 MB a list of 10,000 items kept after a collection. Neither yields
 * a diagnostic, so working them out later changes nothing but when the work is done.
 */
const lazyParts = lazyFieldGroups<{ body: { text: string; line: number }; frontMatter: { text: string; line: number } }, Pick<Item, 'fieldLines'> & ParsedBody>([
  { keys: ['fieldLines'], compute: (s) => ({ fieldLines: readFrontMatter(s.frontMatter.text, s.frontMatter.line).fieldLines }) },
  { keys: BODY_KEYS, compute: (s) => parseBody(s.body.text, s.body.line) },
]);

/** The file line of each front-matter key, with no prototype: a key named `constructor` is a key, and absent keys read as undefined. */
function fieldLinesOf(map: YAMLMap, lineAt: (offset: number) => number): Record<string, number> {
  const fieldLines: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.range) fieldLines[String(pair.key.value)] = lineAt(pair.key.range[0]);
  }
  return fieldLines;
}

/**
 * An item's `fields` and `fieldLines` read again from its front matter (`text`, the YAML as
 * `parseItemFile` parsed it, starting on file line `line`): for an item that came from a cache,
 * which keeps the text rather than every value, when either is first asked for.
 */
export function readFrontMatter(text: string, line: number): Pick<Item, 'fields' | 'fieldLines'> {
  const parsed = parseYamlSafe(text, { fast: true });
  const map = isMap(parsed.contents) ? parsed.contents : undefined;
  if (!map || typeof parsed.value !== 'object' || parsed.value === null) return { fields: {}, fieldLines: Object.create(null) as Record<string, number> };
  const starts = lineStarts(text);
  return { fields: parsed.value as Record<string, unknown>, fieldLines: fieldLinesOf(map, (offset) => line + positionAt(starts, offset).line) };
}

/** A date field, or undefined (with a warning at the value) when it is no date or no day that exists. */
function readDate(r: MapReader, key: string): string | undefined {
  const text = r.string(key);
  const problem = text === undefined ? undefined : dateProblem(key, text);
  if (problem === undefined) return text;
  // Backlog.md skips a task whose due date it cannot read: the item is gone from its board and
  // its CLI, which is an error, not a matter of style.
  if (key === 'due_date') r.report(r.node(key), 'bad-date', `${problem} Backlog.md does not show an item with this due date.`, 'error');
  else r.report(r.node(key), 'bad-date', problem, 'warning');
  return undefined;
}

export function fileDiag(path: string, code: string, message: string, line = 0, column = 0): Diagnostic {
  return { path, line, column, endLine: line, endColumn: column + 1, severity: 'error', code, message };
}

/**
 * Backlog.md quotes `assignee: @jo` and `[@a, @b]` before parsing, because a plain scalar may not
 * start with `@`. Hand-written files rely on it, so the same repair is made here (line by line,
 * so that every line keeps its number).
 */
export function preQuoteHandles(yaml: string): string {
  return quoteHandles(yaml).text;
}

/** A line break as `^` and `$` see one under the `m` flag. */
function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

const HANDLE_KEYS = ['assignee:', 'reporter:'];
const SPACE_OR_TAB = (c: number) => c === 0x20 || c === 0x09;
const WHITESPACE = /\s/;

/**
 * `preQuoteHandles`, with the offset of the first line it changed (-1 for none). It does what
 * `/^([ \t]*(?:assignee|reporter):[ \t]*)(\S[^\r\n]*?)([ \t]*)(\r?)$/gm` did in one pass: that
 * pattern retried its lazy value at every character of a long run of spaces (100 KB took a
 * minute). Each line is read once here: its key, then its value up to the spaces before its end.
 */
export function quoteHandles(yaml: string): { text: string; firstChanged: number } {
  const parts: string[] = [];
  let copied = 0;
  let firstChanged = -1;
  const n = yaml.length;
  for (let start = 0; start <= n; ) {
    let end = start;
    while (end < n && !isLineBreak(yaml.charCodeAt(end))) end++;
    const fixed = quoteHandleLine(yaml, start, end);
    if (fixed !== undefined) {
      parts.push(yaml.slice(copied, start), fixed);
      copied = end;
      if (firstChanged === -1) firstChanged = start;
    }
    start = end + 1;
  }
  if (firstChanged === -1) return { text: yaml, firstChanged };
  parts.push(yaml.slice(copied));
  return { text: parts.join(''), firstChanged };
}

/** The line `yaml[start, end)` with its handles quoted, or undefined when it stays as it is. */
function quoteHandleLine(yaml: string, start: number, end: number): string | undefined {
  let i = start;
  while (i < end && SPACE_OR_TAB(yaml.charCodeAt(i))) i++;
  const key = HANDLE_KEYS.find((k) => yaml.startsWith(k, i));
  if (key === undefined) return undefined;
  i += key.length;
  while (i < end && SPACE_OR_TAB(yaml.charCodeAt(i))) i++;
  if (i >= end || WHITESPACE.test(yaml[i])) return undefined;
  // The value ends before the spaces and tabs that end the line (it starts with a non-space).
  let valueEnd = end;
  while (valueEnd > i + 1 && SPACE_OR_TAB(yaml.charCodeAt(valueEnd - 1))) valueEnd--;
  const head = yaml.slice(start, i);
  const value = yaml.slice(i, valueEnd);
  const tail = yaml.slice(valueEnd, end);
  if (value.startsWith('[')) {
    // Linear: each `[` or `,` is followed by its own run of spaces, tried once.
    const fixed = value.replace(/([[,]\s*)(@[^,\]\s]+)/g, '$1"$2"');
    return fixed === value ? undefined : head + fixed + tail;
  }
  if (!value.startsWith('@')) return undefined;
  return `${head}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"${tail}`;
}

// A config's lists as sets, made once per list: every item is checked against them, and a
// config.yml of 100,000 statuses searched once per item of 10,000 would take minutes.
const sets = new WeakMap<readonly unknown[], Set<unknown>>();

function setOf<T>(list: readonly T[]): Set<T> {
  let set = sets.get(list);
  if (!set) {
    set = new Set<unknown>(list);
    sets.set(list, set);
  }
  return set as Set<T>;
}

/** Values of a config list in a message: the first few of a long one, and how many there are. */
function listed(list: readonly (string | number)[]): string {
  const MAX = 20;
  return list.length <= MAX ? list.join(', ') : `${list.slice(0, MAX).join(', ')}, … (${list.length.toLocaleString('en')} in all)`;
}
