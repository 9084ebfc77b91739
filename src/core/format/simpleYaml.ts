import { Scalar, YAMLMap, YAMLSeq } from 'yaml';

/**
 * A fast reader for the simple YAML that item front matter almost always is: `key: value` lines
 * at column 0 whose values are plain words, one-line quoted strings, decimal integers, one-line
 * flow lists (`[a, 'b']`) or block lists (`- a` lines). It builds the same nodes, ranges and plain
 * value the `yaml` library would, and returns undefined for ANYTHING else, so that the caller
 * falls back to the full parser: correctness never depends on this file, only speed does.
 *
 * test/unit/simpleYaml.test.ts checks it against `yaml` on generated and mutated input.
 */

export interface SimpleYaml {
  /**
   * The root mapping, with `range` set as the `yaml` library sets it. Its nodes are read-only
   * stand-ins for `yaml`'s (see ReadNode below): for readers, never to be edited or stringified.
   */
  contents: YAMLMap<Scalar<string>, Scalar | YAMLSeq<Scalar>>;
  /** The plain JavaScript value, as `doc.toJS()` gives it. */
  value: Record<string, unknown>;
}

/** Implicit keys longer than this are an error in `yaml`'s strict mode; stay well clear. */
const MAX_KEY = 512;

// Anything a one-line subset cannot hold or that YAML treats specially: tabs, a CR that does not
// end a line, control characters, C1 controls (NEL), the BOM, Unicode line separators,
// non-characters and lone surrogates.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\uFEFF\u2028\u2029\uFFFE\uFFFF]|\r(?!\n)|\p{Cs}/u;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
// The YAML 1.2 core schema's numbers (int, octal, hex, float, exponent, inf and nan).
const NUMBERISH = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
// null, booleans and `~`, in any case, are left to the real parser.
const RESERVED = /^(?:null|true|false)$/i;

const SPACE = 0x20;
const HASH = 0x23;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const DASH = 0x2d;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

// The nodes this reader builds. `yaml`'s classes mark each node's kind with Object.defineProperty
// in their constructors, which was half the time of reading 10,000 front matters. These plain
// objects carry the same marker as an ordinary property, so that `yaml`'s isScalar, isSeq, isMap
// and isPair know them, and the fields that readers use (MapReader, fieldLinesOf): value, type and
// range; items; key and value. They have none of the classes' methods. The differential test
// checks them with `yaml`'s own predicates, so a `yaml` that marks nodes otherwise fails it.
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
type Range = [number, number, number];

class ReadScalar {
  readonly [NODE_TYPE]: symbol = SCALAR;
  constructor(
    readonly value: string | number | null,
    readonly type: Scalar.Type,
    public range: Range,
  ) {}
}

class ReadSeq {
  readonly [NODE_TYPE]: symbol = SEQ;
  readonly items: ReadScalar[] = [];
  constructor(
    readonly flow: boolean,
    public range: Range,
  ) {}
}

class ReadPair {
  readonly [NODE_TYPE]: symbol = PAIR;
  constructor(
    readonly key: ReadScalar,
    public value: ReadScalar | ReadSeq,
  ) {}
}

class ReadMap {
  readonly [NODE_TYPE]: symbol = MAP;
  readonly items: ReadPair[] = [];
  range: Range = [0, 0, 0];
}

/** Sentinel for "not in the subset". */
const NO = Symbol('not simple');
type Maybe<T> = T | typeof NO;

/**
 * Parses `text` if it is in the simple subset, else returns undefined. The caller must still
 * apply its own limits (size) before calling; nothing in the subset nests.
 */
export function parseSimpleYaml(text: string): SimpleYaml | undefined {
  if (FORBIDDEN.test(text)) return undefined;
  const n = text.length;
  const map = new ReadMap();
  const value: Record<string, unknown> = {};
  let mapStart = -1;
  let mapEnd = 0;
  // The pair whose value was empty on its own line, while block list items may still follow it.
  let open: { pair: ReadPair; key: string; seq?: ReadSeq; indent: number; list?: unknown[] } | undefined;
  // True after an empty value (of a key or a list item) until the next key or value: a comment
  // there may stretch the empty node's range (differently before the next key and at the end).
  let justEmpty = false;
  let pos = 0;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    const next = eol === -1 ? n : eol + 1;
    if (eol === -1) eol = n;
    const end = eol > pos && text.charCodeAt(eol - 1) === CR ? eol - 1 : eol;
    const c = text.charCodeAt(pos);

    // Blank (or spaces-only) line: ends any block list.
    let k = pos;
    while (k < end && text.charCodeAt(k) === SPACE) k++;
    if (k === end) {
      open = undefined;
      pos = next;
      continue;
    }

    if (c === HASH) {
      if (justEmpty) return undefined;
      open = undefined;
      pos = next;
      continue;
    }

    if (c === SPACE || c === DASH) {
      // A block list item `<indent>- value`, allowed only under a key with an empty value.
      if (!open || text.charCodeAt(k) !== DASH) return undefined;
      const indent = k - pos;
      if (open.seq ? indent !== open.indent : false) return undefined;
      const after = k + 1;
      if (after < end && text.charCodeAt(after) !== SPACE) return undefined;
      let v = after;
      while (v < end && text.charCodeAt(v) === SPACE) v++;
      let item: ReadScalar;
      if (v === end) {
        item = nullScalar(end);
      } else {
        const s = scalarAt(text, v, end, next);
        if (s === NO) return undefined;
        item = s;
      }
      if (!open.seq) {
        open.seq = new ReadSeq(false, [k, 0, 0]);
        open.indent = indent;
        open.list = [];
        open.pair.value = open.seq;
        value[open.key] = open.list;
      }
      open.seq.items.push(item);
      open.list!.push(item.value);
      const itemEnd = item.range[2];
      open.seq.range[1] = itemEnd;
      open.seq.range[2] = itemEnd;
      mapEnd = itemEnd;
      justEmpty = v === end;
      pos = next;
      continue;
    }

    // A `key:` line.
    if (!isKeyStart(c)) return undefined;
    k = pos + 1;
    for (; k < end; k++) {
      const d = text.charCodeAt(k);
      if (!isKeyChar(d)) break;
    }
    if (k >= end || text.charCodeAt(k) !== COLON) return undefined;
    const colon = k;
    if (colon + 1 < end && text.charCodeAt(colon + 1) !== SPACE) return undefined;
    const keyText = text.slice(pos, colon);
    if (keyText.length > MAX_KEY || RESERVED.test(keyText) || keyText === '__proto__') return undefined;
    if (Object.prototype.hasOwnProperty.call(value, keyText)) return undefined;
    const key = new ReadScalar(keyText, Scalar.PLAIN, [pos, colon, colon]);
    if (mapStart < 0) mapStart = pos;

    let v = colon + 1;
    while (v < end && text.charCodeAt(v) === SPACE) v++;
    let node: ReadScalar | ReadSeq;
    let js: unknown;
    if (v === end) {
      node = nullScalar(end);
      js = null;
    } else if (text.charCodeAt(v) === LBRACKET) {
      const f = flowSeqAt(text, v, end, next);
      if (f === NO) return undefined;
      node = f.seq;
      js = f.list;
    } else {
      const s = scalarAt(text, v, end, next);
      if (s === NO) return undefined;
      node = s;
      js = s.value;
    }
    const pair = new ReadPair(key, node);
    map.items.push(pair);
    value[keyText] = js;
    mapEnd = node.range[2];
    if (v === end) {
      open = { pair, key: keyText, indent: 0 };
      justEmpty = true;
    } else {
      open = undefined;
      justEmpty = false;
    }
    pos = next;
  }
  if (mapStart < 0) return undefined;
  map.range = [mapStart, mapEnd, mapEnd];
  return { contents: map as unknown as SimpleYaml['contents'], value };
}

function isKeyStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DASH;
}

function nullScalar(at: number): ReadScalar {
  return new ReadScalar(null, Scalar.PLAIN, [at, at, at]);
}

/** Only spaces between `from` and `end`. */
function restIsBlank(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) !== SPACE) return false;
  return true;
}

/** A block-context scalar filling the rest of the line from `v` (a non-space) to `end`. */
function scalarAt(text: string, v: number, end: number, next: number): Maybe<ReadScalar> {
  const c = text.charCodeAt(v);
  if (c === QUOTE || c === DQUOTE) {
    const q = quotedAt(text, v, end);
    if (q === NO || !restIsBlank(text, q.end, end)) return NO;
    return new ReadScalar(q.value, c === QUOTE ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE, [v, q.end, next]);
  }
  let e = end;
  while (text.charCodeAt(e - 1) === SPACE) e--;
  const raw = text.slice(v, e);
  const pv = plainValue(raw, false);
  if (pv === NO) return NO;
  return new ReadScalar(pv, Scalar.PLAIN, [v, e, next]);
}

/** A one-line quoted string starting at `v`: its value and the offset after the closing quote. */
function quotedAt(text: string, v: number, end: number): Maybe<{ value: string; end: number }> {
  const q = text.charCodeAt(v);
  if (q === DQUOTE) {
    const close = text.indexOf('"', v + 1);
    if (close === -1 || close >= end) return NO;
    const inner = text.slice(v + 1, close);
    if (inner.includes('\\')) return NO;
    return { value: inner, end: close + 1 };
  }
  let out = '';
  let from = v + 1;
  for (;;) {
    const close = text.indexOf("'", from);
    if (close === -1 || close >= end) return NO;
    if (close + 1 < end && text.charCodeAt(close + 1) === QUOTE) {
      out += text.slice(from, close + 1);
      from = close + 2;
      continue;
    }
    out += text.slice(from, close);
    return { value: out, end: close + 1 };
  }
}

/** A one-line flow list `[a, 'b', "c"]` starting at `v`. */
function flowSeqAt(text: string, v: number, end: number, next: number): Maybe<{ seq: ReadSeq; list: unknown[] }> {
  const seq = new ReadSeq(true, [v, 0, 0]);
  const list: unknown[] = [];
  let i = v + 1;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) !== RBRACKET || i >= end) {
    for (;;) {
      if (i >= end) return NO;
      const c = text.charCodeAt(i);
      let value: string | number;
      let type: Scalar.Type;
      let after: number;
      if (c === QUOTE || c === DQUOTE) {
        const q = quotedAt(text, i, end);
        if (q === NO) return NO;
        value = q.value;
        type = c === QUOTE ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
        after = q.end;
      } else {
        let e = i;
        while (e < end) {
          const d = text.charCodeAt(e);
          if (d === COMMA || d === RBRACKET) break;
          e++;
        }
        if (e >= end) return NO;
        let t = e;
        while (text.charCodeAt(t - 1) === SPACE) t--;
        if (t <= i) return NO;
        const pv = plainValue(text.slice(i, t), true);
        if (pv === NO) return NO;
        value = pv;
        type = Scalar.PLAIN;
        after = t;
      }
      let j = after;
      while (j < end && text.charCodeAt(j) === SPACE) j++;
      seq.items.push(new ReadScalar(value, type, [i, after, j]));
      list.push(value);
      if (j >= end) return NO;
      const d = text.charCodeAt(j);
      if (d === RBRACKET) {
        i = j;
        break;
      }
      if (d !== COMMA) return NO;
      i = j + 1;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
    }
  }
  // `i` is at the closing bracket.
  if (!restIsBlank(text, i + 1, end)) return NO;
  seq.range[1] = i + 1;
  seq.range[2] = next;
  return { seq, list };
}

/**
 * The value of a plain scalar (already trimmed) if it is unambiguously a string or a decimal
 * integer under the YAML 1.2 core schema; NO for anything else.
 */
function plainValue(s: string, flow: boolean): Maybe<string | number> {
  const c = s.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    if (DECIMAL.test(s)) return Number(s);
    if (NUMBERISH.test(s)) return NO;
  } else if (isIndicatorOrSpecialStart(c)) {
    return NO;
  } else if (RESERVED.test(s)) {
    return NO;
  }
  if (s.charCodeAt(s.length - 1) === COLON || s.includes(': ') || s.includes(' #')) return NO;
  if (flow && /[:[\]{},]/.test(s)) return NO;
  return s;
}

// Indicators `-?:,[]{}#&*!|>'"%@\``, plus signs, dots, `~` and spaces, which start numbers,
// nulls or other constructs.
function isIndicatorOrSpecialStart(c: number): boolean {
  switch (c) {
    case 0x2d: // -
    case 0x3f: // ?
    case 0x3a: // :
    case 0x2c: // ,
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x23: // #
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x27: // '
    case 0x22: // "
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case 0x2b: // +
    case 0x2e: // .
    case 0x7e: // ~
    case 0x20: // space
    case LF:
    case CR:
      return true;
    default:
      return false;
  }
}
