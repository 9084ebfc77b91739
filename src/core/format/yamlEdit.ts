import { isMap, isScalar, isSeq, Node, Pair, parse, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { parseYamlSafe } from './yamlSafe';

// Byte-preserving edits of YAML. `yaml`'s Document.toString() re-formats a whole file (comment
// alignment, flow lists, BOM, CRLF), so instead this finds the value's bytes through the parsed
// nodes' source ranges and replaces only those. Every edit is verified by parsing the result.

export type ScalarValue = string | number | boolean;
/** A mapping written as one entry of a list; its values are scalars or lists of them (`steps: []`). */
export type ListEntry = Record<string, ScalarValue | ScalarValue[]>;
export type FieldValue = ScalarValue | ScalarValue[] | ListEntry[] | null;

/** Replace `length` characters at `offset` with `newText`. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export type EditResult = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/** Picks a map inside the document: a key, or the entry of a list whose `id` matches. */
export type PathSegment = string | { id: string };

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Pieces joined once, in offset order: linear however many edits there are, without leaning on
  // the engine's string ropes to keep a cut of the whole text per edit cheap.
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.offset), e.newText);
    at = e.offset + e.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Sets (or, with `null`, removes) `key` in the mapping at `mapPath` of the YAML `src`, changing
 * only that value's bytes; verifies the result reads back as intended and nothing else moved.
 */
export function setYamlKey(src: string, mapPath: PathSegment[], key: string, value: FieldValue, eol: string): EditResult {
  const parsed = parseYamlSafe(src);
  if (!parsed.doc || parsed.value === undefined) {
    return { ok: false, message: 'The YAML does not parse; fix the problems shown for it before changing it here.' };
  }
  const map = findMap(parsed.doc.contents, mapPath);
  if (!map) return { ok: false, message: `Could not find ${describePath(mapPath)} in the file.` };
  if (map.flow && value !== null && !map.items.some((p) => keyOf(p) === key)) {
    return { ok: false, message: `${describePath(mapPath)} is written as a one-line {…} mapping; edit it by hand to add \`${key}\`.` };
  }
  const computed = computeEdits(src, map, key, value, eol);
  if (!computed.ok) return computed;
  return verify(src, parsed.value, computed.edits, mapPath, key, value);
}

/**
 * Appends a mapping to the list under `key` (of the mapping at `mapPath`), creating the key if
 * needed. Existing entries, their comments and layout are untouched. A new entry follows its
 * neighbours' style; with no neighbours (no key, `key:`, `key: []`) it is a one-line `{…}` unless
 * `layout` is 'block', which starts a block list of block mappings where the line allows it.
 */
export function appendToList(
  src: string,
  mapPath: PathSegment[],
  key: string,
  entry: ListEntry,
  eol: string,
  layout: 'flow' | 'block' = 'flow',
): EditResult {
  const parsed = parseYamlSafe(src);
  if (!parsed.doc || parsed.value === undefined) {
    return { ok: false, message: 'The YAML does not parse; fix the problems shown for it before changing it here.' };
  }
  const map = findMap(parsed.doc.contents, mapPath);
  const current = map?.items.find((p) => keyOf(p) === key)?.value;
  if (current !== undefined && current !== null && !isSeq(current) && !(isScalar(current) && current.value === null)) {
    return { ok: false, message: `\`${key}\` should be a list.` };
  }
  if (layout === 'block' && map && !map.flow && !(isSeq(current) && current.items.length > 0)) {
    const edit = startBlockList(src, map, key, entry, eol);
    if (edit) return verify(src, parsed.value, [edit], mapPath, key, [entry]);
  }
  // Existing entries are passed as they are (plain values compare equal, so they keep their bytes).
  const existing = isSeq(current) ? (current.toJSON() as ListEntry[]) : [];
  return setYamlKey(src, mapPath, key, [...existing, entry], eol);
}

/**
 * The edit that makes `key` (absent, empty or `[]`) a block list holding `entry` as a block
 * mapping; undefined when a comment or other text shares the line, so the caller falls back.
 */
function startBlockList(src: string, map: YAMLMap, key: string, entry: ListEntry, eol: string): TextEdit | undefined {
  const pair = map.items.find((p) => keyOf(p) === key);
  const anchor = pair ?? map.items[0];
  let indent = '';
  if (anchor) {
    const keyStart = (anchor.key as Node).range![0];
    indent = ' '.repeat(keyStart - (src.lastIndexOf('\n', keyStart - 1) + 1));
  }
  const list = `${eol}${indent}  - ${renderBlockMap(entry, `${indent}    `, eol)}`;
  if (!pair) {
    const at = map.items.length > 0 ? lineEndAfter(src, valueEnd(src, map.items[map.items.length - 1])) : src.length;
    const prefix = at > 0 && src[at - 1] !== '\n' ? eol : '';
    return { offset: at, length: 0, newText: `${prefix}${indent}${renderKey(key)}:${list}${eol}` };
  }
  const colon = src.indexOf(':', (pair.key as Node).range![1]);
  if (colon === -1) return undefined;
  const node = (pair.value ?? null) as Node | null;
  let end = colon + 1;
  if (node?.range && (isSeq(node) || isScalar(node))) {
    const [s, e] = node.range;
    // Only whitespace between the colon and the value: a comment there would be lost.
    if (src.slice(colon + 1, s).trim() !== '') return undefined;
    end = trimEnd(src, end, Math.max(end, e));
  }
  // The rest of the line may only be a comment, which stays on the key's line: `steps: # soon`.
  const rest = /^(?:[ \t]+#[^\r\n]*|[ \t]*)(?=\r?\n|$)/.exec(src.slice(end));
  if (!rest) return undefined;
  const lineEnd = end + rest[0].length;
  return { offset: colon + 1, length: lineEnd - colon - 1, newText: (rest[0].trim() === '' ? '' : rest[0]) + list };
}

function computeEdits(src: string, map: YAMLMap, key: string, value: FieldValue, eol: string): EditResult {
  const pair = map.items.find((p) => keyOf(p) === key);
  if (value === null) {
    if (!pair) return { ok: true, edits: [] };
    return removePair(src, map, pair);
  }
  if (!pair) return insertPair(src, map, key, value, eol);
  const node = (pair.value ?? null) as Node | null;
  const keyEnd = (pair.key as Node).range![1];
  if (Array.isArray(value)) {
    if (node && isSeq(node)) return { ok: true, edits: editSeq(src, node, value, eol) };
    const at = node?.range?.[0] ?? keyEnd;
    const end = node?.range ? node.range[1] : at;
    return { ok: true, edits: [{ offset: at, length: end - at, newText: (node ? '' : ' ') + renderFlowSeq(value) }] };
  }
  if (node === null || (isScalar(node) && node.range && node.range[0] === node.range[1])) {
    // `key:` with nothing after it: the value goes after the colon.
    const at = node?.range?.[0] ?? src.indexOf(':', keyEnd) + 1;
    return { ok: true, edits: [{ offset: at, length: 0, newText: ' ' + renderScalar(value, undefined, map.flow === true) }] };
  }
  if (!isScalar(node)) {
    return { ok: false, message: `\`${key}\` holds a ${isSeq(node) ? 'list' : 'mapping'}; it can only be replaced by the same kind of value.` };
  }
  const [start, end] = node.range!;
  let length = end - start;
  let tail = '';
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    // A block scalar's range runs to the end of its last line; keep that line break.
    // trimEnd, not /\s+$/: that pattern is retried at every character of a long run of spaces.
    length = src.slice(start, end).trimEnd().length;
    tail = '';
  }
  // Inside `{…}` a plain `,` `[` `]` `{` `}` would end the value: such a value is quoted there.
  return { ok: true, edits: [{ offset: start, length, newText: renderScalar(value, node.type, map.flow === true) + tail }] };
}

function removePair(src: string, map: YAMLMap, pair: Pair): EditResult {
  const keyStart = (pair.key as Node).range![0];
  const lineStart = src.lastIndexOf('\n', keyStart - 1) + 1;
  if (map.flow || src.slice(lineStart, keyStart).trim() !== '') {
    return { ok: false, message: `\`${keyOf(pair)}\` shares its line with other YAML; remove it by hand.` };
  }
  const end = lineEndAfter(src, valueEnd(src, pair));
  return { ok: true, edits: [{ offset: lineStart, length: end - lineStart, newText: '' }] };
}

function insertPair(src: string, map: YAMLMap, key: string, value: Exclude<FieldValue, null>, eol: string): EditResult {
  const first = map.items[0];
  let indent = '';
  let at: number;
  if (first) {
    const keyStart = (first.key as Node).range![0];
    const lineStart = src.lastIndexOf('\n', keyStart - 1) + 1;
    indent = ' '.repeat(keyStart - lineStart);
    at = lineEndAfter(src, valueEnd(src, map.items[map.items.length - 1]));
  } else {
    at = src.length;
  }
  const prefix = at > 0 && src[at - 1] !== '\n' ? eol : '';
  const rendered = renderValue(value, indent, eol);
  return { ok: true, edits: [{ offset: at, length: 0, newText: `${prefix}${indent}${renderKey(key)}:${rendered}${eol}` }] };
}

/** Item-by-item edit of a list, so that comments and layout around unchanged items survive. */
function editSeq(src: string, seq: YAMLSeq, value: (ScalarValue | ListEntry)[], eol: string): TextEdit[] {
  const items = seq.items as Node[];
  const edits: TextEdit[] = [];
  const render = (v: ScalarValue | ListEntry, old?: Node) =>
    typeof v === 'object' ? renderFlowMap(v) : renderScalar(v, old && isScalar(old) ? old.type : undefined, seq.flow === true);
  const common = Math.min(items.length, value.length);
  for (let i = 0; i < common; i++) {
    const old = items[i];
    if (sameValue(old, value[i])) continue;
    const [s, e] = old.range!;
    edits.push({ offset: s, length: trimEnd(src, s, e) - s, newText: render(value[i], old) });
  }
  if (value.length === items.length) return edits;
  if (value.length === 0) {
    const start = seq.range![0];
    return [{ offset: start, length: trimEnd(src, start, seq.range![1]) - start, newText: '[]' }];
  }
  if (items.length === 0) {
    // An empty list is `[]` (block lists cannot be empty): fill it as a flow list.
    const [s, e] = seq.range!;
    return [{ offset: s, length: trimEnd(src, s, e) - s, newText: renderFlowSeq(value) }];
  }
  // Entries dropped from a block list (an archived id leaving `dependencies`): their lines go, and
  // the entries kept keep their own lines, comments included, instead of moving up one by one.
  const dropped = seq.flow ? undefined : droppedLines(src, items, value);
  if (dropped) return dropped;
  const lastOld = items[items.length - 1];
  const lastEnd = trimEnd(src, lastOld.range![0], lastOld.range![1]);
  if (value.length < items.length) {
    const keepEnd = trimEnd(src, items[value.length - 1].range![0], items[value.length - 1].range![1]);
    if (seq.flow) {
      edits.push({ offset: keepEnd, length: lastEnd - keepEnd, newText: '' });
    } else {
      // Remove whole lines of the dropped items.
      const from = lineEndAfter(src, keepEnd);
      edits.push({ offset: from, length: lineEndAfter(src, lastEnd) - from, newText: '' });
    }
    return edits;
  }
  const extra = value.slice(items.length).map((v) => render(v));
  if (seq.flow) {
    edits.push({ offset: lastEnd, length: 0, newText: extra.map((t) => `, ${t}`).join('') });
  } else {
    const dash = src.lastIndexOf('-', lastOld.range![0]);
    const lineStart = src.lastIndexOf('\n', dash - 1) + 1;
    const indent = src.slice(lineStart, dash);
    const at = lineEndAfter(src, lastEnd);
    const lead = src[at - 1] === '\n' ? '' : eol;
    // A new mapping follows its neighbours' style: block lines under block mappings.
    const blockMaps = isMap(lastOld) && !lastOld.flow;
    const lines = value.slice(items.length).map((v, i) =>
      typeof v === 'object' && blockMaps ? renderBlockMap(v, `${indent}  `, eol) : extra[i],
    );
    edits.push({ offset: at, length: 0, newText: lead + lines.map((t) => `${indent}- ${t}${eol}`).join('') });
  }
  return edits;
}

/**
 * The edits that remove whole lines of a block list's entries when `value` is the list with some
 * entries left out (and nothing else changed); undefined otherwise, or when an entry shares its
 * line with something other than indentation.
 */
function droppedLines(src: string, items: Node[], value: (ScalarValue | ListEntry)[]): TextEdit[] | undefined {
  if (value.length >= items.length) return undefined;
  const edits: TextEdit[] = [];
  let v = 0;
  for (const item of items) {
    if (v < value.length && sameValue(item, value[v])) {
      v++;
      continue;
    }
    const dash = src.lastIndexOf('-', item.range![0]);
    const lineStart = src.lastIndexOf('\n', dash - 1) + 1;
    if (dash === -1 || src.slice(lineStart, dash).trim() !== '') return undefined;
    const end = lineEndAfter(src, trimEnd(src, item.range![0], item.range![1]));
    edits.push({ offset: lineStart, length: end - lineStart, newText: '' });
  }
  return v === value.length ? edits : undefined;
}

function sameValue(node: Node, v: ScalarValue | ListEntry): boolean {
  const js = node.toJSON() as unknown;
  return JSON.stringify(js) === JSON.stringify(v);
}

function verify(src: string, before: unknown, edits: TextEdit[], mapPath: PathSegment[], key: string, value: FieldValue): EditResult {
  const after = parseYamlSafe(applyEdits(src, edits));
  if (!after.doc || after.value === undefined || after.doc.errors.length > 0) {
    return { ok: false, message: `Writing \`${key}\` would break the file's YAML; nothing was changed.` };
  }
  // An empty document (nothing, or only comments) reads as null; a key added to it makes a mapping.
  const expected = structuredClone(before ?? (mapPath.length === 0 ? {} : before)) as Record<string, unknown> | null;
  const target = findPlain(expected, mapPath);
  if (target) {
    if (value === null) delete target[key];
    // Defined, not assigned: a key named `__proto__` is a key here as it is in the file.
    else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
  if (!target || !deepEqual(sortKeys(expected), sortKeys(after.value))) {
    return { ok: false, message: `\`${key}\` could not be written so that it reads back exactly; nothing was changed.` };
  }
  return { ok: true, edits };
}

function findMap(contents: unknown, path: PathSegment[]): YAMLMap | undefined {
  let node: unknown = contents;
  for (const seg of path) {
    if (typeof seg === 'string') {
      if (!isMap(node)) return undefined;
      node = node.items.find((p) => keyOf(p) === seg)?.value;
    } else {
      if (!isSeq(node)) return undefined;
      node = node.items.find((it) => isMap(it) && String(it.get('id') ?? '').toUpperCase() === seg.id.toUpperCase());
    }
  }
  return isMap(node) ? node : node === null || node === undefined ? (path.length === 0 ? new YAMLMap() : undefined) : undefined;
}

function findPlain(value: unknown, path: PathSegment[]): Record<string, unknown> | undefined {
  let node: unknown = value ?? {};
  for (const seg of path) {
    if (typeof seg === 'string') {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[seg];
    } else {
      if (!Array.isArray(node)) return undefined;
      node = node.find((it) => it && typeof it === 'object' && String((it as Record<string, unknown>).id ?? '').toUpperCase() === seg.id.toUpperCase());
    }
  }
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

/** Offset just after the last non-space character of a pair's value (or its key, when empty). */
function valueEnd(src: string, pair: Pair): number {
  const v = pair.value as Node | null;
  const k = pair.key as Node;
  const end = v?.range ? Math.max(v.range[1], k.range![1]) : k.range![1];
  return trimEnd(src, k.range![0], end);
}

function trimEnd(src: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(src[e - 1])) e--;
  return e;
}

/** Offset after the line break that ends the line containing `offset`. */
function lineEndAfter(src: string, offset: number): number {
  const nl = src.indexOf('\n', offset);
  return nl === -1 ? src.length : nl + 1;
}

function describePath(path: PathSegment[]): string {
  return path.length === 0 ? 'the top level' : path.map((s) => (typeof s === 'string' ? s : s.id)).join(' › ');
}

// ---- Rendering values -------------------------------------------------------------------------

function renderKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}

function renderValue(value: Exclude<FieldValue, null>, indent: string, eol: string): string {
  if (!Array.isArray(value)) return ' ' + renderScalar(value, undefined, false);
  if (value.length > 0 && typeof value[0] === 'object') {
    return (value as ListEntry[]).map((m) => `${eol}${indent}  - ${renderFlowMap(m)}`).join('');
  }
  return ' ' + renderFlowSeq(value);
}

function renderFlowSeq(value: (ScalarValue | ListEntry)[]): string {
  return `[${value.map((v) => (typeof v === 'object' ? renderFlowMap(v) : renderScalar(v, undefined, true))).join(', ')}]`;
}

/** `k1: v1` then `k2: v2` on following lines at `indent`: an entry of a block list. */
function renderBlockMap(m: ListEntry, indent: string, eol: string): string {
  return Object.entries(m)
    .map(([k, v]) => `${renderKey(k)}: ${Array.isArray(v) ? renderFlowSeq(v) : renderScalar(v, undefined, false)}`)
    .join(`${eol}${indent}`);
}

function renderFlowMap(m: ListEntry): string {
  return `{${Object.entries(m)
    .map(([k, v]) => `${renderKey(k)}: ${Array.isArray(v) ? renderFlowSeq(v) : renderScalar(v, undefined, true)}`)
    .join(', ')}}`;
}

/**
 * Renders a scalar in the style the old value used where that is safe. A string that would read
 * back as something else (`null`, `yes`, `2024.10`, `12:30`) is quoted, under YAML 1.2 and under
 * the YAML 1.1 rules that older tools still apply.
 */
export function renderScalar(value: ScalarValue, oldType: Scalar.Type | undefined, inFlow: boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers can be written.');
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const s = value;
  if (oldType === 'QUOTE_DOUBLE' || hasControl(s)) return doubleQuoted(s);
  if (oldType === 'QUOTE_SINGLE') return `'${s.replace(/'/g, "''")}'`;
  // A new date is quoted, as Backlog.md writes every date (`updated_date: '2026-12-07 13:53'`);
  // one already written plain stays plain.
  if (oldType === undefined && /^\d{4}-\d{2}-\d{2}/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return isPlainSafe(s, inFlow) ? s : `'${s.replace(/'/g, "''")}'`;
}

/** Control characters and the Unicode line breaks only survive inside double quotes, escaped. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

/** JSON's escapes are valid in YAML's double quotes; the characters JSON leaves bare are escaped too. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f\u0085\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function isPlainSafe(s: string, inFlow: boolean): boolean {
  if (s === '' || s !== s.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/: |\s#|:$/.test(s)) return false;
  if (inFlow && /[,[\]{}]/.test(s)) return false;
  for (const version of ['1.2', '1.1'] as const) {
    try {
      if (parse(s, { version }) !== s) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
