// Finding TODO comments in source files and the backlog items they name: `TODO(BL-42): …`,
// `FIXME [BL-42] …`, `// HACK: …`. Pure: the scanners (ripgrep, the fallback that reads files
// itself, open editors) hand lines or text to `todosOnLines`; nothing here reads files.

/** One TODO comment. Positions are zero-based, columns in UTF-16 code units of the line. */
export interface TodoMatch {
  line: number;
  /** Column of the tag. */
  column: number;
  /** Column after the whole comment text (before a closing `*\/` or `-->`). */
  endColumn: number;
  /** The tag as configured (`TODO`), whatever case the code used. */
  tag: string;
  /** The comment after the tag and reference, without the `:` (`debounce map redraws`). */
  text: string;
  /** The backlog item named right after the tag, when its prefix is one of the backlog's. */
  ref?: TodoRef;
  /** Who or what the parentheses after the tag name besides an item: `alice` in `TODO(alice)` and `TODO(alice, BL-42)`. */
  owner?: TodoOwner;
}

export interface TodoOwner {
  /** The owner as written (`alice`). */
  name: string;
  /** Column of the opening parenthesis. */
  column: number;
  /** Column after the closing parenthesis. */
  endColumn: number;
}

export interface TodoRef {
  /** The id as written (`BL-42`). */
  id: string;
  column: number;
  endColumn: number;
}

export interface TodoOptions {
  /** Tags to find, as whole words (`TODO`, `FIXME`, `HACK`, `XXX`, `BUG`). */
  tags: readonly string[];
  /** Id prefixes of the workspace's backlogs (`BL`, `TASK`): only these count as references. */
  prefixes: readonly string[];
}

/**
 * A file's text as the comment analysis reads it, without decoding all of it (see
 * `ScanScope.readLines`). `state` is the text with its ASCII characters as they are and every
 * other character replaced by characters that are none of ASCII (UTF-8's bytes as Latin-1):
 * comment markers, quotes and the tags (when they are all ASCII) are ASCII, so the analysis
 * finds the same comments, strings and tag lines in it, on the same lines. `line(start, end)` is
 * the real text of the line `state.slice(start, end)`, for the lines that hold a tag. `long`
 * says the text is longer than LINE_BY_LINE_CHARS characters: then each hit line is decided
 * alone, and nothing else is read (`state` is empty).
 */
export interface LineText {
  readonly state: string;
  line(start: number, end: number): string;
  readonly long: boolean;
}

/** How a language writes comments. */
export interface CommentSyntax {
  line: readonly string[];
  block: readonly (readonly [string, string])[];
  /** String delimiters, so that a tag inside a string literal is not taken. */
  strings: readonly string[];
  /** Those of `strings` that may span lines (a template literal, a docstring); the others end with their line. */
  multiLine?: readonly string[];
  /** Those of `strings` in which a backslash escapes nothing (Go's raw strings). */
  raw?: readonly string[];
  /**
   * A line inside a multi-line string that starts with a line-comment marker reads as a comment
   * (Python: `# TODO(BL-42)` in a docstring is a note, and is reported, as a search shows it).
   */
  commentLinesInStrings?: boolean;
}

const C_LIKE: CommentSyntax = { line: ['//'], block: [['/*', '*/']], strings: ['"', "'", '`'] };
/** JavaScript and TypeScript: a template literal (backticks) spans lines, `${…}` included. */
const JS_LIKE: CommentSyntax = { ...C_LIKE, multiLine: ['`'] };
/** Go: a raw string (backticks) spans lines, and a backslash in it is just a backslash. */
const GO: CommentSyntax = { ...C_LIKE, multiLine: ['`'], raw: ['`'] };
const HASH: CommentSyntax = { line: ['#'], block: [], strings: ['"', "'"] };
const PYTHON: CommentSyntax = { line: ['#'], block: [], strings: ['"""', "'''", '"', "'"], multiLine: ['"""', "'''"], commentLinesInStrings: true };
const SQL: CommentSyntax = { line: ['--'], block: [['/*', '*/']], strings: ["'", '"'] };
const LUA: CommentSyntax = { line: ['--'], block: [['--[[', ']]']], strings: ['"', "'"] };
const LISP: CommentSyntax = { line: [';'], block: [], strings: ['"'] };
const MARKUP: CommentSyntax = { line: [], block: [['<!--', '-->']], strings: [] };
const CSS: CommentSyntax = { line: [], block: [['/*', '*/']], strings: ['"', "'"] };

// Maps, not objects: a file named `x.constructor` or `x.__proto__` must find no syntax, not
// Object.prototype's members.
const BY_EXTENSION = new Map<string, CommentSyntax>();
for (const ext of ['java', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'rs', 'swift', 'kt', 'kts', 'scala', 'dart', 'php', 'groovy', 'gradle', 'proto', 'zig', 'jsonc']) BY_EXTENSION.set(ext, C_LIKE);
for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte']) BY_EXTENSION.set(ext, JS_LIKE);
BY_EXTENSION.set('go', GO);
for (const ext of ['sh', 'bash', 'zsh', 'fish', 'rb', 'pl', 'r', 'yml', 'yaml', 'toml', 'ini', 'cfg', 'conf', 'mk', 'cmake', 'dockerfile', 'tf', 'ps1', 'nix', 'ex', 'exs', 'jl', 'coffee', 'properties', 'gitignore', 'env']) BY_EXTENSION.set(ext, HASH);
for (const ext of ['py', 'pyi']) BY_EXTENSION.set(ext, PYTHON);
for (const ext of ['sql', 'hs', 'elm', 'ada', 'vhd']) BY_EXTENSION.set(ext, SQL);
BY_EXTENSION.set('lua', LUA);
for (const ext of ['lisp', 'clj', 'cljs', 'el', 'scm', 'asm', 's']) BY_EXTENSION.set(ext, LISP);
for (const ext of ['html', 'htm', 'xml', 'md', 'markdown', 'svg', 'xhtml']) BY_EXTENSION.set(ext, MARKUP);
for (const ext of ['css', 'scss', 'less']) BY_EXTENSION.set(ext, ext === 'css' ? CSS : C_LIKE);
const BY_NAME = new Map<string, CommentSyntax>([
  ['dockerfile', HASH],
  ['makefile', HASH],
  ['gemfile', HASH],
  ['rakefile', HASH],
  ['jenkinsfile', C_LIKE],
]);

/** The comment syntax of a file, by its name; undefined for files whose comments are unknown. */
export function commentSyntaxFor(path: string): CommentSyntax | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BY_NAME.get(name);
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : BY_EXTENSION.get(name.slice(dot + 1));
}

/** Where comments are on one line, given whether a block comment was open when it began. */
interface LineComments {
  /** [start, end) ranges of comment text on the line (markers excluded). */
  ranges: [number, number][];
  /** The block comment still open at the end of the line, if any. */
  openBlock?: readonly [string, string];
  /** A multi-line string still open at the end of the line (Python's `"""`), if any. */
  openString?: string;
}

/**
 * Where the string that `quote` opened ends on a line, searching from `from`: the index of its
 * closing quote, or -1 when the line ends first. A backslash escapes the next character, except
 * in raw strings.
 */
function closingQuote(line: string, from: number, quote: string, syntax: CommentSyntax): number {
  const escapes = !syntax.raw?.includes(quote);
  const first = quote.charCodeAt(0);
  let j = from;
  while (j < line.length) {
    const c = line.charCodeAt(j);
    if (escapes && c === 92 /* \\ */) {
      j += 2;
      continue;
    }
    if (c === first && line.startsWith(quote, j)) return j;
    j++;
  }
  return -1;
}

/**
 * Per syntax, which UTF-16 code units can begin a comment marker or a string delimiter: every
 * other character of a line is skipped at once, and most of a line's characters are others.
 * Computed once per syntax object (the built-in ones are shared; tests make their own).
 */
const STARTERS = new WeakMap<CommentSyntax, Uint8Array>();

function startersOf(syntax: CommentSyntax): Uint8Array {
  let table = STARTERS.get(syntax);
  if (!table) {
    table = new Uint8Array(0x10000);
    // An empty marker would start at every character.
    if ([...syntax.line, ...syntax.block.map(([open]) => open), ...syntax.strings].some((m) => m.length === 0)) table.fill(1);
    for (const m of syntax.line) if (m.length > 0) table[m.charCodeAt(0)] = 1;
    for (const [open] of syntax.block) if (open.length > 0) table[open.charCodeAt(0)] = 1;
    for (const q of syntax.strings) if (q.length > 0) table[q.charCodeAt(0)] = 1;
    STARTERS.set(syntax, table);
  }
  return table;
}

/** The first of `markers` that `line` spells at `i`, as `markers.find(…)` would pick it. */
function markerAt(line: string, i: number, markers: readonly string[]): string | undefined {
  for (const m of markers) if (line.startsWith(m, i)) return m;
  return undefined;
}

function blockAt(line: string, i: number, blocks: readonly (readonly [string, string])[]): readonly [string, string] | undefined {
  for (const b of blocks) if (line.startsWith(b[0], i)) return b;
  return undefined;
}

/**
 * Splits one line into comment ranges, skipping string literals, so that
 * `print("TODO: not a comment")  # TODO: a comment` yields only the second. A string in
 * `syntax.multiLine` left open continues on the next line (`openString`); any other ends with
 * its line (or is an apostrophe in prose).
 */
function commentsOf(line: string, syntax: CommentSyntax, openBlock?: readonly [string, string], openString?: string): LineComments {
  const ranges: [number, number][] = [];
  let i = 0;
  if (openString !== undefined) {
    const close = closingQuote(line, 0, openString, syntax);
    if (close === -1) return { ranges, openString };
    i = close + openString.length;
  }
  if (openBlock) {
    const close = line.indexOf(openBlock[1]);
    if (close === -1) return { ranges: [[0, line.length]], openBlock };
    ranges.push([0, close]);
    i = close + openBlock[1].length;
  }
  const starters = startersOf(syntax);
  while (i < line.length) {
    // Nothing starts here: what the checks below would conclude, without them.
    if (starters[line.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    const lineMarker = markerAt(line, i, syntax.line);
    const block = blockAt(line, i, syntax.block);
    if (block && (!lineMarker || block[0].length >= lineMarker.length)) {
      const from = i + block[0].length;
      const close = line.indexOf(block[1], from);
      if (close === -1) {
        ranges.push([from, line.length]);
        return { ranges, openBlock: block };
      }
      ranges.push([from, close]);
      i = close + block[1].length;
      continue;
    }
    if (lineMarker) {
      ranges.push([i + lineMarker.length, line.length]);
      return { ranges };
    }
    const quote = markerAt(line, i, syntax.strings);
    if (quote) {
      const j = closingQuote(line, i + quote.length, quote, syntax);
      if (j === -1) return syntax.multiLine?.includes(quote) ? { ranges, openString: quote } : { ranges };
      i = j + quote.length;
      continue;
    }
    i++;
  }
  return { ranges };
}

/**
 * The comment or multi-line string left open at the end of each line, for lines whose comments
 * are not needed: `commentsOf`'s state, without cutting the line out of the text or listing its
 * comments. The two must agree on every line (a property test holds both to the first analysis).
 */
class OpenState {
  block: readonly [string, string] | undefined;
  string: string | undefined;
  private readonly starters: Uint8Array;
  /** For each closing marker, the last search for it: from where, and where it was (-1: nowhere after). */
  private readonly found = new Map<string, { from: number; at: number }>();

  constructor(
    private readonly text: string,
    private readonly syntax: CommentSyntax,
  ) {
    this.starters = startersOf(syntax);
  }

  /** Moves the state over the line `text[start, end)` (its line break excluded). */
  carry(start: number, end: number): void {
    const { text, syntax, starters } = this;
    let i = start;
    if (this.string !== undefined) {
      const close = closingQuoteIn(text, start, end, this.string, syntax);
      if (close === -1) return;
      i = close + this.string.length;
      this.string = undefined;
    }
    if (this.block) {
      const close = this.next(this.block[1], i);
      if (close === -1 || close + this.block[1].length > end) return;
      i = close + this.block[1].length;
      this.block = undefined;
    }
    while (i < end) {
      if (starters[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      const lineMarker = markerIn(text, i, end, syntax.line);
      const block = blockIn(text, i, end, syntax.block);
      if (block && (!lineMarker || block[0].length >= lineMarker.length)) {
        const close = this.next(block[1], i + block[0].length);
        if (close === -1 || close + block[1].length > end) {
          this.block = block;
          return;
        }
        i = close + block[1].length;
        continue;
      }
      if (lineMarker) return;
      const quote = markerIn(text, i, end, syntax.strings);
      if (quote) {
        const j = closingQuoteIn(text, i + quote.length, end, quote, syntax);
        if (j === -1) {
          if (syntax.multiLine?.includes(quote)) this.string = quote;
          return;
        }
        i = j + quote.length;
        continue;
      }
      i++;
    }
  }

  /**
   * Where `needle` next is in the whole text, from `from`. A block comment left open over many
   * lines asks on each of them; the answer is remembered until the scan passes it, so that the
   * text is searched once per marker, not once per line (which would be quadratic).
   */
  private next(needle: string, from: number): number {
    const last = this.found.get(needle);
    if (last && last.from <= from && (last.at === -1 || last.at >= from)) return last.at;
    const at = this.text.indexOf(needle, from);
    this.found.set(needle, { from, at });
    return at;
  }
}

/** Per syntax, the markers that can leave a comment or string open at the end of a line. */
const OPENERS = new WeakMap<CommentSyntax, readonly string[]>();

function openersOf(syntax: CommentSyntax): readonly string[] {
  let openers = OPENERS.get(syntax);
  if (!openers) {
    openers = [...new Set([...syntax.block.map(([open]) => open), ...(syntax.multiLine ?? [])])];
    OPENERS.set(syntax, openers);
  }
  return openers;
}

/** `markerAt` within `text[.., end)`. */
function markerIn(text: string, i: number, end: number, markers: readonly string[]): string | undefined {
  for (const m of markers) if (i + m.length <= end && text.startsWith(m, i)) return m;
  return undefined;
}

function blockIn(text: string, i: number, end: number, blocks: readonly (readonly [string, string])[]): readonly [string, string] | undefined {
  for (const b of blocks) if (i + b[0].length <= end && text.startsWith(b[0], i)) return b;
  return undefined;
}

/** `closingQuote` within `text[.., end)`. */
function closingQuoteIn(text: string, from: number, end: number, quote: string, syntax: CommentSyntax): number {
  const escapes = !syntax.raw?.includes(quote);
  const first = quote.charCodeAt(0);
  let j = from;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (escapes && c === 92 /* \\ */) {
      j += 2;
      continue;
    }
    if (c === first && j + quote.length <= end && text.startsWith(quote, j)) return j;
    j++;
  }
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A compiled matcher for one set of options. */
export class TodoMatcher {
  private readonly tagRe: RegExp;
  /** Id prefixes, longest first, so that `BLX-1` is not read as `BL` followed by junk. */
  private readonly prefixes: readonly string[];
  private readonly tags: Map<string, string>;
  /** Whether every tag is ASCII: then a `LineText`'s `state` shows each tag where the text has it. */
  readonly asciiTags: boolean;

  constructor(readonly options: TodoOptions) {
    // eslint-disable-next-line no-control-regex
    this.asciiTags = options.tags.every((t) => /^[\x00-\x7f]*$/.test(t));
    this.tags = new Map(options.tags.map((t) => [t.toUpperCase(), t]));
    const alternation = [...options.tags].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
    // Whole words only: TODONOW and MYTODO are identifiers, not tags. Tags are case-sensitive
    // upper case, as people write them; `todo` in prose is not one.
    this.tagRe = new RegExp(`(?<![A-Za-z0-9_])(${alternation})(?![A-Za-z0-9_])`, 'g');
    this.prefixes = [...options.prefixes].sort((a, b) => b.length - a.length);
  }

  /**
   * A regular expression source for ripgrep that finds every line that may hold a TODO (a
   * superset: comments are checked afterwards), every line `hitLines` gives included. ASCII word
   * boundaries, because ripgrep's Unicode-aware `\b` is many times slower; they equal the
   * matcher's whole-word test at a tag's edge that is a word character, and a tag edge that is
   * not (`@todo`) gets no boundary, so that rg reports more lines there, never fewer.
   */
  ripgrepPattern(): string {
    // Every tag as configured, as `tagRe` has them (case variants included).
    const tags = [...new Set(this.options.tags)];
    const word = /^[A-Za-z0-9_]$/;
    if (tags.every((t) => word.test(t[0]) && word.test(t[t.length - 1]))) return `(?-u:\\b)(?:${tags.map(escapeRegExp).join('|')})(?-u:\\b)`;
    const edge = (c: string) => (word.test(c) ? '(?-u:\\b)' : '');
    return `(?:${tags.map((t) => `${edge(t[0])}${escapeRegExp(t)}${edge(t[t.length - 1])}`).join('|')})`;
  }

  /**
   * The lines of a text that ripgrep reports for `ripgrepPattern()`, numbered from zero, with the
   * line break removed as `parseRgLine` removes it (`\r\n` or `\n`; a last line keeps a lone
   * `\r`). What the scan decides from rg's hits it decides from these when there is no rg.
   */
  hitLines(text: string): HitLine[] {
    const out: HitLine[] = [];
    let line = 0;
    let counted = 0;
    this.tagRe.lastIndex = 0;
    for (let m = this.tagRe.exec(text); m; m = this.tagRe.exec(text)) {
      for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < m.index; nl = text.indexOf('\n', nl + 1)) {
        line++;
        counted = nl + 1;
      }
      const start = text.lastIndexOf('\n', m.index - 1) + 1;
      const nl = text.indexOf('\n', m.index);
      const end = nl === -1 ? text.length : nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
      out.push({ line, text: text.slice(start, end) });
      // One hit per line, as rg reports lines, not matches.
      if (nl === -1) break;
      this.tagRe.lastIndex = nl + 1;
    }
    return out;
  }

  /**
   * TODOs in a whole file's text; with `lastLine`, only those on lines up to it (zero-based),
   * and the lines after it are not read.
   */
  findInText(whole: string | LineText, syntax: CommentSyntax, lastLine = Infinity): TodoMatch[] {
    const out: TodoMatch[] = [];
    const text = typeof whole === 'string' ? whole : whole.state;
    const state = new OpenState(text, syntax);
    // Where the next tag in the text is: -1 when there is none, `tagAt < start` when not yet known.
    let tagAt = -2;
    // Where each of the markers that can leave something open past a line's end (a block
    // comment's start, a multi-line string's quote) next is, likewise. A line begun with nothing
    // open and holding none of them ends with nothing open, unread: most lines of most files.
    const openers = openersOf(syntax);
    const openerAt = openers.map(() => -2);
    const opensOn = (start: number, end: number): boolean => {
      for (let k = 0; k < openers.length; k++) {
        if (openerAt[k] !== -1 && openerAt[k] < start) openerAt[k] = text.indexOf(openers[k], start);
        if (openerAt[k] !== -1 && openerAt[k] < end) return true;
      }
      return false;
    };
    // Line by line as `text.split('\n')` would cut it, without holding every line at once.
    for (let n = 0, start = 0; start <= text.length && n <= lastLine; n++) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = text.length;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (tagAt !== -1 && tagAt < start) {
        // The tags are whole words and hold no line break, so the text has one in this line
        // exactly where the line alone has one.
        this.tagRe.lastIndex = start;
        tagAt = this.tagRe.exec(text)?.index ?? -1;
      }
      if (tagAt === -1 || tagAt >= end) {
        // Most lines hold no tag: only whether they leave a comment or string open matters.
        if (state.block !== undefined || state.string !== undefined || opensOn(start, end)) state.carry(start, end);
      } else {
        const line = typeof whole === 'string' ? text.slice(start, end) : whole.line(start, end);
        const inString = state.string !== undefined;
        const c = commentsOf(line, syntax, state.block, state.string);
        state.block = c.openBlock;
        state.string = c.openString;
        // A docstring line that starts with `#` is a comment of its own (see `commentLinesInStrings`).
        const ranges = inString && syntax.commentLinesInStrings && startsWithLineMarker(line, syntax) ? commentsOf(line, syntax).ranges : c.ranges;
        // Appended in place: a spread of a long line's thousands of TODOs would overflow the stack.
        if (ranges.length > 0 && this.mayHold(line)) this.inRanges(line, n, ranges, out);
      }
      start = nl + 1;
    }
    return out;
  }

  /**
   * TODOs on single lines, without the state of lines before them (what ripgrep reports). A
   * line inside a block comment that does not start one is missed unless it starts with `*`,
   * as doc comments do; `findInText` is exact.
   */
  findInLine(line: string, lineNumber: number, syntax: CommentSyntax): TodoMatch[] {
    if (!this.mayHold(line)) return [];
    const c = commentsOf(line, syntax);
    const ranges = c.ranges.length > 0 ? c.ranges : /^\s*\*(?!\/)/.test(line) && syntax.block.length > 0 ? [[line.indexOf('*') + 1, line.length] as [number, number]] : [];
    return this.inRanges(line, lineNumber, ranges, []);
  }

  private mayHold(line: string): boolean {
    this.tagRe.lastIndex = 0;
    return this.tagRe.test(line);
  }

  private inRanges(line: string, lineNumber: number, ranges: [number, number][], out: TodoMatch[]): TodoMatch[] {
    for (const [from, to] of ranges) {
      const comment = line.slice(0, to);
      this.tagRe.lastIndex = from;
      for (let m = this.tagRe.exec(comment); m; m = this.tagRe.exec(comment)) {
        const tag = this.tags.get(m[1].toUpperCase()) ?? m[1];
        let at = m.index + m[1].length;
        let ref: TodoRef | undefined;
        let owner: TodoOwner | undefined;
        const r = readRef(comment, at, this.prefixes);
        if (r) {
          ref = { id: comment.slice(r.idStart, r.idEnd), column: r.idStart, endColumn: r.idEnd };
          owner = r.owner;
          at = r.end;
        } else {
          // `TODO(alice):` names a person, not an item: skip it like the colon.
          OWNER.lastIndex = at;
          const o = OWNER.exec(comment);
          if (o) {
            owner = { name: o[1], column: OWNER.lastIndex - o[1].length - 2, endColumn: OWNER.lastIndex };
            at = OWNER.lastIndex;
          }
        }
        // The next tag in the same comment starts a TODO of its own.
        this.tagRe.lastIndex = at;
        const next = this.tagRe.exec(comment);
        const textEnd = next ? next.index : comment.length;
        LEAD.lastIndex = at;
        LEAD.test(comment);
        const text = detached(comment.slice(Math.min(LEAD.lastIndex, textEnd), textEnd).trimEnd());
        if (owner) owner.name = detached(owner.name);
        out.push({ line: lineNumber, column: m.index, endColumn: trimEndIndex(comment, textEnd), tag, text, ...(ref ? { ref } : {}), ...(owner ? { owner } : {}) });
        this.tagRe.lastIndex = textEnd;
      }
    }
    return out;
  }
}

/**
 * A copy of a piece of a longer string that does not keep the longer one alive. V8 makes a slice
 * of 13 or more characters a view into its parent: a TODO's text cut from a whole file's text
 * held that file's text in memory for as long as the TODO was kept (all the files with TODOs, a
 * hundred megabytes on a large tree, and most of a scan's garbage collection). Joining it to
 * another string and cutting that makes V8 copy the characters into a string of their own.
 */
function detached(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

// The scan runs on the extension host over lines up to 1 MiB long, so matching must stay linear
// in the line: `^\s*[([]?\s*BL-\d+` and `\s+$` backtrack quadratically on a long run of spaces
// (minutes for a 1 MiB run). The patterns below are sticky, tried at one offset only, and either
// always match at once (LEAD) or have a single whitespace run before a fixed character (OWNER).
/** `(alice)` after a tag: an owner, not an item. */
const OWNER = /\s*\(([^)\s]{1,40})\)/y;
/** How long an owner may be, as OWNER reads one. */
const MAX_OWNER = 40;
/** What separates a tag (and its reference) from the text: spaces, then `:` or a dash. */
const LEAD = /\s*[:\-–—]?\s*/y;
const SPACE = /\s/;

/**
 * The item reference right after a tag, as `\s*[([]?\s*(PREFIX-\d+(\.\d+)*)\s*[)\]]?` would read
 * it (prefixes case-insensitive, tried longest first), without backtracking: `(BL-42)`,
 * `[BL-42]`, ` BL-42:`, subtasks `BL-12.01`. `end` is after the closing bracket and the spaces.
 * In parentheses an owner may come with it, before or after a comma: `(alice, BL-42)` (what
 * linking an owned TODO writes) or `(BL-42, alice)`, its name as OWNER reads one.
 */
export function readRef(s: string, from: number, prefixes: readonly string[]): { idStart: number; idEnd: number; end: number; owner?: TodoOwner } | undefined {
  if (prefixes.length === 0) return undefined;
  let i = skipSpaces(s, from);
  const paren = s[i] === '(' ? i : -1;
  if (s[i] === '(' || s[i] === '[') i = skipSpaces(s, i + 1);
  let idEnd = idAt(s, i, prefixes);
  let ownerName: string | undefined;
  if (idEnd === -1 && paren !== -1) {
    // `(alice, BL-42)`: the owner runs to the last comma of at most MAX_OWNER + 1 characters.
    let k = i;
    let comma = -1;
    for (; k < s.length && k - i <= MAX_OWNER && s[k] !== ')' && !SPACE.test(s[k]); k++) if (s[k] === ',') comma = k;
    if (comma > i) {
      const at = skipSpaces(s, comma + 1);
      idEnd = idAt(s, at, prefixes);
      if (idEnd !== -1) {
        ownerName = s.slice(i, comma);
        i = at;
      }
    }
  }
  if (idEnd === -1) return undefined;
  let end = skipSpaces(s, idEnd);
  if (ownerName === undefined && paren !== -1 && s[end] === ',') {
    // `(BL-42, alice)`.
    const at = skipSpaces(s, end + 1);
    let k = at;
    while (k < s.length && k - at < MAX_OWNER && s[k] !== ')' && !SPACE.test(s[k])) k++;
    const close = skipSpaces(s, k);
    if (k > at && s[close] === ')') {
      ownerName = s.slice(at, k);
      end = close;
    }
  }
  // An owner is one only inside closed parentheses.
  if (ownerName !== undefined && s[end] !== ')') return undefined;
  if (s[end] === ')' || s[end] === ']') end++;
  return { idStart: i, idEnd, end, ...(ownerName !== undefined ? { owner: { name: ownerName, column: paren, endColumn: end } } : {}) };
}

/** The end of an item id with one of the prefixes at `i` (`BL-12`, `BL-12.01`), or -1. */
function idAt(s: string, i: number, prefixes: readonly string[]): number {
  for (const prefix of prefixes) {
    if (!sameIgnoringCase(s, i, prefix) || s[i + prefix.length] !== '-' || !isDigit(s, i + prefix.length + 1)) continue;
    let j = i + prefix.length + 1;
    while (isDigit(s, j)) j++;
    while (s[j] === '.' && isDigit(s, j + 1)) {
      j++;
      while (isDigit(s, j)) j++;
    }
    return j;
  }
  return -1;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && SPACE.test(s[i])) i++;
  return i;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** `s` at `at` spells `word`, compared as a regular expression's `i` flag compares (no `u`). */
function sameIgnoringCase(s: string, at: number, word: string): boolean {
  if (at + word.length > s.length) return false;
  for (let k = 0; k < word.length; k++) if (canonical(s[at + k]) !== canonical(word[k])) return false;
  return true;
}

/** ECMAScript's Canonicalize for a non-Unicode case-insensitive pattern. */
function canonical(ch: string): string {
  const upper = ch.toUpperCase();
  if (upper.length !== 1) return ch;
  if (ch.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) return ch;
  return upper;
}

function trimEndIndex(s: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(s[e - 1])) e--;
  return e;
}

/** One line a search reported: its zero-based number and its text without the line break. */
export interface HitLine {
  line: number;
  text: string;
}

/**
 * Texts longer than this (in UTF-16 units) are decided line by line only: reading a block
 * comment's inner lines needs the comment analysis of the whole text, some 50 ms for 1 MiB, more
 * than one task on the extension host may take. Every path applies it to the same text.
 */
export const LINE_BY_LINE_CHARS = 256 * 1024;

/**
 * The TODOs of a file, from the lines a search for the tags reported (ripgrep's, or
 * `hitLines`): the one rule every scan and open documents follow, so that ripgrep, the
 * fallback and the editor agree.
 *
 * - In a language whose strings may span lines (template literals and Go's raw strings in
 *   backticks, Python's triple quotes), the whole `text` decides: a `// TODO` line inside a
 *   template literal is the template's text, not a comment. Its one exception is deliberate: a
 *   line of a Python triple-quoted string that starts with `#` reads as a comment on its own and
 *   is one (`# TODO(BL-42)` in a docstring, as a search shows it); a tag after other text there is not.
 * - Otherwise a line that reads as a TODO comment on its own is one, and a line that does not
 *   (the middle of a block comment) is decided by the whole `text` in languages with block comments.
 * - A text longer than `LINE_BY_LINE_CHARS` is decided line by line: each hit line as it reads alone.
 *
 * Without `text`, undefined says it is needed.
 */
export function todosOnLines(matcher: TodoMatcher, hits: readonly HitLine[], syntax: CommentSyntax, text?: string | LineText): TodoMatch[] | undefined {
  const spansLines = (syntax.multiLine?.length ?? 0) > 0;
  const contextual = spansLines || syntax.block.length > 0;
  const out: TodoMatch[] = [];
  let inContext: Map<number, TodoMatch[]> | undefined;
  for (const hit of hits) {
    const own = matcher.findInLine(hit.text, hit.line, syntax);
    if (contextual && (own.length === 0 || spansLines)) {
      if (text === undefined) return undefined;
      if (typeof text === 'string' ? text.length > LINE_BY_LINE_CHARS : text.long) {
        for (const t of own) out.push(t);
        continue;
      }
      // Lines after the last hit cannot change what is on the hits.
      inContext ??= byLine(matcher.findInText(text, syntax, lastLineOf(hits)));
      for (const t of inContext.get(hit.line) ?? []) out.push(t);
    } else for (const t of own) out.push(t);
  }
  return out;
}

/** Whether a line's first non-blank characters are a line-comment marker (`  # note`). */
function startsWithLineMarker(line: string, syntax: CommentSyntax): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return syntax.line.some((m) => line.startsWith(m, i));
}

/** The TODOs of a file's text, by `todosOnLines` over the lines rg would report. */
export function todosInText(matcher: TodoMatcher, text: string, syntax: CommentSyntax): TodoMatch[] {
  return todosOnLines(matcher, matcher.hitLines(text), syntax, text) ?? [];
}

function lastLineOf(hits: readonly HitLine[]): number {
  let last = 0;
  for (const h of hits) if (h.line > last) last = h.line;
  return last;
}

function byLine(todos: readonly TodoMatch[]): Map<number, TodoMatch[]> {
  const out = new Map<number, TodoMatch[]>();
  for (const t of todos) {
    const list = out.get(t.line);
    if (list) list.push(t);
    else out.set(t.line, [t]);
  }
  return out;
}
