// Gitignore files and exclude globs read the way ripgrep reads them (its `ignore` crate, on
// `globset`), so that the scan without ripgrep leaves out exactly the files ripgrep leaves out.
// Pure; matching is linear in the path: globs become one automaton per file of patterns, run as
// a lazily built DFA, never a backtracking regular expression.

type Token =
  | { t: 'literal'; c: string }
  | { t: 'any' }
  | { t: 'star' }
  /** `**\/` at the start: `(?:/?|.*\/)` */
  | { t: 'anyPrefix' }
  /** `/**` at the end: `/.*` */
  | { t: 'anySuffix' }
  /** `/**\/` inside: `(?:/|/.*\/)` */
  | { t: 'anyMiddle' }
  | { t: 'class'; negated: boolean; ranges: [string, string][] }
  | { t: 'alternates'; alternates: Token[][] };

/**
 * Parses a glob as globset does with `literal_separator` and `backslash_escape` (the options
 * gitignore lines and rg's `--glob` use); undefined where globset reports an error, for then rg
 * refuses a `--glob` and skips a gitignore line.
 */
function parseGlob(glob: string): Token[] | undefined {
  const chars = [...glob];
  let pos = 0;
  let prev: string | undefined;
  let cur: string | undefined;
  const bump = (): string | undefined => {
    prev = cur;
    cur = chars[pos++];
    return cur;
  };
  const peek = (): string | undefined => chars[pos];
  const stack: Token[][] = [[]];
  const top = (): Token[] => stack[stack.length - 1];
  const push = (tok: Token) => top().push(tok);

  const parseStar = (): boolean => {
    const before = prev;
    if (peek() !== '*') {
      push({ t: 'star' });
      return true;
    }
    bump();
    if (top().length === 0) {
      const next = peek();
      if (next !== undefined && next !== '/') {
        push({ t: 'star' });
        push({ t: 'star' });
      } else {
        push({ t: 'anyPrefix' });
        bump();
      }
      return true;
    }
    if (before !== '/' && (stack.length <= 1 || (before !== ',' && before !== '{'))) {
      push({ t: 'star' });
      push({ t: 'star' });
      return true;
    }
    let suffix: boolean;
    const next = peek();
    if (next === undefined) {
      bump();
      suffix = true;
    } else if ((next === ',' || next === '}') && stack.length >= 2) suffix = true;
    else if (next === '/') {
      bump();
      suffix = false;
    } else {
      push({ t: 'star' });
      push({ t: 'star' });
      return true;
    }
    const last = top().pop();
    if (last?.t === 'anyPrefix' || last?.t === 'anySuffix') push(last);
    else push({ t: suffix ? 'anySuffix' : 'anyMiddle' });
    return true;
  };

  const parseClass = (): boolean => {
    let negated = false;
    if (peek() === '!' || peek() === '^') {
      bump();
      negated = true;
    }
    const ranges: [string, string][] = [];
    let first = true;
    let inRange = false;
    for (;;) {
      const c = bump();
      if (c === undefined) return false;
      if (c === ']') {
        if (!first) break;
        ranges.push([']', ']']);
      } else if (c === '-' && !inRange && !first) inRange = true;
      else if (inRange) {
        const r = ranges[ranges.length - 1];
        r[1] = c;
        if (r[1].codePointAt(0)! < r[0].codePointAt(0)!) return false;
        inRange = false;
      } else ranges.push([c, c]);
      first = false;
    }
    if (inRange) ranges.push(['-', '-']);
    push({ t: 'class', negated, ranges });
    return true;
  };

  for (let c = bump(); c !== undefined; c = bump()) {
    switch (c) {
      case '?':
        push({ t: 'any' });
        break;
      case '*':
        parseStar();
        break;
      case '[':
        if (!parseClass()) return undefined;
        break;
      case '{':
        if (stack.length > 1) return undefined;
        stack.push([]);
        break;
      case '}': {
        const alternates: Token[][] = [];
        while (stack.length >= 2) alternates.push(stack.pop()!);
        push({ t: 'alternates', alternates });
        break;
      }
      case ',':
        if (stack.length <= 1) push({ t: 'literal', c });
        else stack.push([]);
        break;
      case '\\': {
        const escaped = bump();
        if (escaped === undefined) return undefined;
        push({ t: 'literal', c: escaped });
        break;
      }
      default:
        push({ t: 'literal', c });
    }
  }
  return stack.length === 1 ? stack[0] : undefined;
}

const utf8 = new TextEncoder();

function byteSet(test: (b: number) => boolean): Uint8Array {
  const set = new Uint8Array(256);
  for (let b = 0; b < 256; b++) set[b] = test(b) ? 1 : 0;
  return set;
}

const SLASH = 0x2f;
const NOT_SLASH = byteSet((b) => b !== SLASH);
/** `.` of a byte-oriented regex: anything but a line feed. */
const NOT_NEWLINE = byteSet((b) => b !== 0x0a);
const SINGLE = Array.from({ length: 256 }, (_, b) => byteSet((x) => x === b));

/**
 * A class as globset writes it into a bytes regex: each character as its escaped UTF-8 bytes, a
 * range as `first-last`, so a range of non-ASCII characters spans from the last byte of one to
 * the first byte of the other, and the class matches a single byte.
 */
function classSet(negated: boolean, ranges: readonly [string, string][]): Uint8Array {
  const set = new Uint8Array(256);
  for (const [from, to] of ranges) {
    const a = utf8.encode(from);
    const b = utf8.encode(to);
    if (from === to) {
      for (const x of a) set[x] = 1;
      continue;
    }
    for (let i = 0; i < a.length - 1; i++) set[a[i]] = 1;
    for (let x = a[a.length - 1]; x <= b[0]; x++) set[x] = 1;
    for (let i = 1; i < b.length; i++) set[b[i]] = 1;
  }
  if (negated) for (let x = 0; x < 256; x++) set[x] ^= 1;
  return set;
}

/** A node of the automaton: consumes a byte of `set`, or (`set` undefined) moves on to `next` without one. */
interface Node {
  set: Uint8Array | undefined;
  next: number[];
  /** The globs that match when the path ends here. */
  accepts: number[];
}

/** A set of globs run together over a path's UTF-8 bytes; which of them match, in one pass. */
class GlobSet {
  private readonly nodes: Node[] = [];
  private readonly start: number;
  /** DFA states built so far, by their set of automaton nodes. */
  private dfa = new Map<string, DfaState>();
  private startState: DfaState | undefined;

  constructor(globs: readonly (readonly Token[])[]) {
    this.start = this.node(undefined, []);
    globs.forEach((tokens, i) => {
      const accept = this.node(undefined, []);
      this.nodes[accept].accepts.push(i);
      // globset special-cases a glob that is just `**`: it matches everything.
      const entry = tokens.length === 1 && tokens[0].t === 'anyPrefix' ? this.loop(NOT_NEWLINE, accept) : this.sequence(tokens, accept);
      this.nodes[this.start].next.push(entry);
    });
  }

  /** Indices of the globs that match the whole path, in ascending order. */
  matches(path: string): number[] {
    let state: DfaState | undefined = (this.startState ??= this.state(this.closure([this.start])));
    for (const b of utf8.encode(path)) {
      let next: DfaState | undefined = state.next[b];
      if (next === undefined) {
        next = this.step(state, b);
        state.next[b] = next;
      }
      state = next;
      if (state.nodes.length === 0) return [];
    }
    return state.accepts;
  }

  private node(set: Uint8Array | undefined, next: number[]): number {
    this.nodes.push({ set, next, accepts: [] });
    return this.nodes.length - 1;
  }

  private loop(set: Uint8Array, then: number): number {
    const split = this.node(undefined, []);
    this.nodes[split].next.push(this.node(set, [split]), then);
    return split;
  }

  private sequence(tokens: readonly Token[], then: number): number {
    let at = then;
    for (let i = tokens.length - 1; i >= 0; i--) at = this.token(tokens[i], at);
    return at;
  }

  private token(tok: Token, then: number): number {
    switch (tok.t) {
      case 'literal': {
        let at = then;
        const bytes = utf8.encode(tok.c);
        for (let i = bytes.length - 1; i >= 0; i--) at = this.node(SINGLE[bytes[i]], [at]);
        return at;
      }
      case 'any':
        return this.node(NOT_SLASH, [then]);
      case 'star':
        return this.loop(NOT_SLASH, then);
      case 'anyPrefix': {
        const slash = this.node(SINGLE[SLASH], [then]);
        return this.node(undefined, [then, slash, this.loop(NOT_NEWLINE, slash)]);
      }
      case 'anySuffix':
        return this.node(SINGLE[SLASH], [this.loop(NOT_NEWLINE, then)]);
      case 'anyMiddle': {
        const slash = this.node(SINGLE[SLASH], [then]);
        return this.node(undefined, [slash, this.node(SINGLE[SLASH], [this.loop(NOT_NEWLINE, slash)])]);
      }
      case 'class':
        return this.node(classSet(tok.negated, tok.ranges), [then]);
      case 'alternates': {
        // globset leaves out empty alternatives, so `{a,}` does not match the empty string.
        const parts = tok.alternates.filter((a) => a.length > 0);
        return parts.length === 0 ? then : this.node(undefined, parts.map((a) => this.sequence(a, then)));
      }
    }
  }

  /** The nodes reachable from `from` without consuming a byte, sorted. */
  private closure(from: readonly number[]): number[] {
    const seen = new Set<number>();
    const stack = [...from];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      if (this.nodes[n].set === undefined) stack.push(...this.nodes[n].next);
    }
    return [...seen].sort((a, b) => a - b);
  }

  private step(state: DfaState, b: number): DfaState {
    const next: number[] = [];
    for (const n of state.nodes) {
      const node = this.nodes[n];
      if (node.set?.[b]) next.push(...node.next);
    }
    return this.state(this.closure(next));
  }

  private state(nodes: number[]): DfaState {
    const key = nodes.join(',');
    let s = this.dfa.get(key);
    if (!s) {
      // A pathological set of globs could grow the DFA without bound; start over instead.
      if (this.dfa.size > 10_000) {
        this.dfa = new Map();
        this.startState = undefined;
      }
      const accepts = [...new Set(nodes.flatMap((n) => this.nodes[n].accepts))].sort((a, b) => a - b);
      s = { nodes, next: [], accepts };
      this.dfa.set(key, s);
    }
    return s;
  }
}

interface DfaState {
  nodes: number[];
  next: (DfaState | undefined)[];
  accepts: number[];
}

/** One line of a gitignore file, or one `--glob`. */
interface IgnoreRule {
  /** `!pattern`: what it matches is kept, not ignored. */
  whitelist: boolean;
  /** `pattern/`: matches folders only. */
  onlyDir: boolean;
}

/** Rust's `char::is_whitespace`, which `trim_end` trims by. */
function isRustWhitespace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** A gitignore line as the `ignore` crate reads it: the rule and its glob, or undefined (blank, comment, bad glob). */
function parseIgnoreLine(raw: string): { rule: IgnoreRule; tokens: Token[] } | undefined {
  let line = raw;
  if (line.startsWith('#')) return undefined;
  if (!line.endsWith('\\ ')) {
    let end = line.length;
    while (end > 0 && isRustWhitespace(line.charCodeAt(end - 1))) end--;
    line = line.slice(0, end);
  }
  if (line === '') return undefined;
  let whitelist = false;
  let absolute = false;
  if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
    absolute = line.startsWith('/');
  } else {
    if (line.startsWith('!')) {
      whitelist = true;
      line = line.slice(1);
    }
    if (line.startsWith('/')) {
      line = line.slice(1);
      absolute = true;
    }
  }
  let onlyDir = false;
  if (line.endsWith('/')) {
    onlyDir = true;
    line = line.slice(0, -1);
  }
  let glob = line;
  // A pattern without a slash matches at any depth; one with a slash, from the file's folder.
  if (!absolute && !line.includes('/') && !glob.startsWith('**/') && glob !== '**') glob = `**/${glob}`;
  // `dir/**` matches what is inside the folder, not the folder itself.
  if (glob.endsWith('/**')) glob = `${glob}/*`;
  const tokens = parseGlob(glob);
  return tokens ? { rule: { whitelist, onlyDir }, tokens } : undefined;
}

/** What the rules of one file say of a path: ignore it, keep it (`!pattern`), or nothing. */
export type IgnoreMatch = 'ignore' | 'whitelist' | undefined;

/** The rules of one gitignore file (or a set of `--glob`s), for paths relative to its folder. */
export class IgnoreRules {
  private readonly rules: IgnoreRule[] = [];
  private readonly set: GlobSet;

  constructor(lines: readonly string[]) {
    const tokens: Token[][] = [];
    for (const line of lines) {
      const parsed = parseIgnoreLine(line);
      if (!parsed) continue;
      this.rules.push(parsed.rule);
      tokens.push(parsed.tokens);
    }
    this.set = new GlobSet(tokens);
  }

  /**
   * Reads a gitignore file as ripgrep does: lines split at LF (a CR before it dropped), a
   * leading BOM dropped as git does, and nothing after a line that is not UTF-8.
   */
  static fromFile(bytes: Uint8Array): IgnoreRules {
    const lines: string[] = [];
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let start = 0;
    while (start < bytes.length) {
      let end = bytes.indexOf(0x0a, start);
      const next = end === -1 ? bytes.length : end + 1;
      if (end === -1) end = bytes.length;
      else if (end > start && bytes[end - 1] === 0x0d) end--;
      let line: string;
      try {
        line = strict.decode(bytes.subarray(start, end));
      } catch {
        break;
      }
      lines.push(lines.length === 0 && line.startsWith('\uFEFF') ? line.slice(1) : line);
      start = next;
    }
    return new IgnoreRules(lines);
  }

  get size(): number {
    return this.rules.length;
  }

  /** The last rule that matches the path decides, as in git; a folder-only rule needs a folder. */
  match(path: string, isDir: boolean): IgnoreMatch {
    if (this.rules.length === 0) return undefined;
    const hits = this.set.matches(path);
    for (let k = hits.length - 1; k >= 0; k--) {
      const rule = this.rules[hits[k]];
      if (!rule.onlyDir || isDir) return rule.whitelist ? 'whitelist' : 'ignore';
    }
    return undefined;
  }
}

/** True when ripgrep accepts the glob in `--glob !<glob>` (it stops with an error otherwise). */
export function isValidGlob(glob: string): boolean {
  return new IgnoreRules([`!${glob}`]).size === 1;
}
