// Where an item file's front matter points: the values of `dependencies`, `parent_task_id`,
// `epic`, `documentation`, `references` and `modified_files`, each with its place in the text, so
// that an editor can make it a link (to the item, the document or the web page). Read line by
// line in one pass, as Backlog.md writes these keys: a flow list on the key's line or a block list
// below it. Nothing here decides what a value names; the adapter resolves it.
import { splitFrontMatter } from './itemFile';

export type LinkKind = 'item' | 'path';

export interface ValueSpan {
  key: string;
  kind: LinkKind;
  /** The value as written, quotes removed. */
  value: string;
  /** Offsets of the value in the whole text (quotes excluded). */
  start: number;
  end: number;
}

/** Keys whose values name items, and keys whose values are paths or URLs. */
const ITEM_KEYS = new Set(['dependencies', 'parent_task_id', 'parent', 'epic']);
const PATH_KEYS = new Set(['documentation', 'references', 'modified_files']);

/** Every value of the linking keys in an item file's front matter. Linear in the text. */
export function frontMatterLinks(text: string): ValueSpan[] {
  const split = splitFrontMatter(text);
  if (!split.ok) return [];
  const { yamlStart, yamlEnd } = split.span;
  const out: ValueSpan[] = [];
  let current: { key: string; kind: LinkKind } | undefined;
  let pos = yamlStart;
  while (pos < yamlEnd) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > yamlEnd) eol = yamlEnd;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const line = text.slice(pos, lineEnd);
    const top = line.length > 0 && line[0] !== ' ' && line[0] !== '\t' && line[0] !== '-' && line[0] !== '#';
    if (top) {
      current = undefined;
      const colon = line.indexOf(':');
      const key = colon > 0 ? line.slice(0, colon).trim() : '';
      const kind: LinkKind | undefined = ITEM_KEYS.has(key) ? 'item' : PATH_KEYS.has(key) ? 'path' : undefined;
      if (kind && colon > 0) {
        current = { key, kind };
        scanValues(text, pos + colon + 1, lineEnd, current, out);
      }
    } else if (current) {
      // A block list entry: `  - value`.
      let i = pos;
      while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
      if (text[i] === '-' && (i + 1 === lineEnd || text[i + 1] === ' ')) scanValues(text, i + 1, lineEnd, current, out);
    }
    pos = eol + 1;
  }
  return out;
}

/** The values in `text[from, to)`: one scalar, or a flow list of them. Comments end the values. */
function scanValues(text: string, from: number, to: number, at: { key: string; kind: LinkKind }, out: ValueSpan[]): void {
  let i = from;
  const skipSpaces = () => {
    while (i < to && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipSpaces();
  const flow = text[i] === '[';
  if (flow) i++;
  while (i < to) {
    skipSpaces();
    if (i >= to || text[i] === ']' || text[i] === '#') return;
    if (text[i] === ',') {
      i++;
      continue;
    }
    let start: number;
    let end: number;
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
    if (quote) {
      start = i + 1;
      end = text.indexOf(quote, start);
      if (end === -1 || end > to) return;
      i = end + 1;
    } else {
      start = i;
      while (i < to && !(flow && (text[i] === ',' || text[i] === ']')) && !(text[i] === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t'))) i++;
      end = i;
      while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    }
    if (end > start) out.push({ key: at.key, kind: at.kind, value: text.slice(start, end), start, end });
    if (!flow) return;
  }
}
