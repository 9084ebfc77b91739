// Finding TODO comments in source files and the backlog items they name: `TODO(BL-42): …`,
// `FIXME [BL-42] …`, `// HACK: …`. Pure: the scanners (ripgrep, the JavaScript fallback, open
// editors) hand lines to `findTodos`; nothing here reads files.

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

/** How a language writes comments. */
export interface CommentSyntax {
  line: readonly string[];
  block: readonly (readonly [string, string])[];
  /** String delimiters, so that a tag inside a string literal is not taken. */
  strings: readonly string[];
}

const C_LIKE: CommentSyntax = { line: ['//'], block: [['/*', '*/']], strings: ['"', "'", '`'] };
const HASH: CommentSyntax = { line: ['#'], block: [], strings: ['"', "'"] };
const PYTHON: CommentSyntax = { line: ['#'], block: [], strings: ['"""', "'''", '"', "'"] };
const SQL: CommentSyntax = { line: ['--'], block: [['/*', '*/']], strings: ["'", '"'] };
const LUA: CommentSyntax = { line: ['--'], block: [['--[[', ']]']], strings: ['"', "'"] };
const LISP: CommentSyntax = { line: [';'], block: [], strings: ['"'] };
const MARKUP: CommentSyntax = { line: [], block: [['<!--', '-->']], strings: [] };
const CSS: CommentSyntax = { line: [], block: [['/*', '*/']], strings: ['"', "'"] };

const BY_EXTENSION: Record<string, CommentSyntax> = {};
for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'java', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs', 'go', 'rs', 'swift', 'kt', 'kts', 'scala', 'dart', 'php', 'groovy', 'gradle', 'vue', 'svelte', 'proto', 'zig', 'jsonc']) BY_EXTENSION[ext] = C_LIKE;
for (const ext of ['sh', 'bash', 'zsh', 'fish', 'rb', 'pl', 'r', 'yml', 'yaml', 'toml', 'ini', 'cfg', 'conf', 'mk', 'cmake', 'dockerfile', 'tf', 'ps1', 'nix', 'ex', 'exs', 'jl', 'coffee', 'properties', 'gitignore', 'env']) BY_EXTENSION[ext] = HASH;
for (const ext of ['py', 'pyi']) BY_EXTENSION[ext] = PYTHON;
for (const ext of ['sql', 'hs', 'elm', 'ada', 'vhd']) BY_EXTENSION[ext] = SQL;
BY_EXTENSION.lua = LUA;
for (const ext of ['lisp', 'clj', 'cljs', 'el', 'scm', 'asm', 's']) BY_EXTENSION[ext] = LISP;
for (const ext of ['html', 'htm', 'xml', 'md', 'markdown', 'svg', 'xhtml']) BY_EXTENSION[ext] = MARKUP;
for (const ext of ['css', 'scss', 'less']) BY_EXTENSION[ext] = ext === 'css' ? CSS : C_LIKE;
const BY_NAME: Record<string, CommentSyntax> = { dockerfile: HASH, makefile: HASH, gemfile: HASH, rakefile: HASH, jenkinsfile: C_LIKE };

/** The comment syntax of a file, by its name; undefined for files whose comments are unknown. */
export function commentSyntaxFor(path: string): CommentSyntax | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (BY_NAME[name]) return BY_NAME[name];
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : BY_EXTENSION[name.slice(dot + 1)];
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
 * Splits one line into comment ranges, skipping string literals, so that
 * `print("TODO: not a comment")  # TODO: a comment` yields only the second.
 */
function commentsOf(line: string, syntax: CommentSyntax, openBlock?: readonly [string, string], openString?: string): LineComments {
  const ranges: [number, number][] = [];
  let i = 0;
  if (openString !== undefined) {
    const close = line.indexOf(openString);
    if (close === -1) return { ranges, openString };
    i = close + openString.length;
  }
  if (openBlock) {
    const close = line.indexOf(openBlock[1]);
    if (close === -1) return { ranges: [[0, line.length]], openBlock };
    ranges.push([0, close]);
    i = close + openBlock[1].length;
  }
  while (i < line.length) {
    const lineMarker = syntax.line.find((m) => line.startsWith(m, i));
    const block = syntax.block.find(([open]) => line.startsWith(open, i));
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
    const quote = syntax.strings.find((q) => line.startsWith(q, i));
    if (quote) {
      let j = i + quote.length;
      while (j < line.length) {
        if (line[j] === '\\' && quote.length === 1) {
          j += 2;
          continue;
        }
        if (line.startsWith(quote, j)) break;
        j++;
      }
      if (j >= line.length) {
        // A one-character quote left open ends with the line (or is an apostrophe in prose);
        // a triple quote spans lines.
        if (quote.length === 3) return { ranges, openString: quote };
        return { ranges };
      }
      i = j + quote.length;
      continue;
    }
    i++;
  }
  return { ranges };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A compiled matcher for one set of options. */
export class TodoMatcher {
  private readonly tagRe: RegExp;
  private readonly refRe: RegExp | undefined;
  private readonly tags: Map<string, string>;

  constructor(readonly options: TodoOptions) {
    this.tags = new Map(options.tags.map((t) => [t.toUpperCase(), t]));
    const alternation = [...options.tags].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
    // Whole words only: TODONOW and MYTODO are identifiers, not tags. Tags are case-sensitive
    // upper case, as people write them; `todo` in prose is not one.
    this.tagRe = new RegExp(`(?<![A-Za-z0-9_])(${alternation})(?![A-Za-z0-9_])`, 'g');
    const prefixes = [...options.prefixes].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
    // `(BL-42)`, `[BL-42]`, ` BL-42:` right after the tag; subtask ids too (`BL-12.01`).
    this.refRe = prefixes ? new RegExp(`^\\s*[([]?\\s*((?:${prefixes})-\\d+(?:\\.\\d+)*)\\s*[)\\]]?`, 'i') : undefined;
  }

  /**
   * A regular expression source for ripgrep that finds every line that may hold a TODO (a
   * superset: comments are checked afterwards). ASCII word boundaries, because ripgrep's
   * Unicode-aware `\b` is many times slower.
   */
  ripgrepPattern(): string {
    return `(?-u:\\b)(?:${[...this.tags.values()].map(escapeRegExp).join('|')})(?-u:\\b)`;
  }

  /** TODOs in a whole file's text. */
  findInText(text: string, syntax: CommentSyntax): TodoMatch[] {
    const out: TodoMatch[] = [];
    let openBlock: readonly [string, string] | undefined;
    let openString: string | undefined;
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
      // Most lines hold no tag at all: skip the comment analysis for them, but keep the state.
      const c = commentsOf(line, syntax, openBlock, openString);
      openBlock = c.openBlock;
      openString = c.openString;
      if (c.ranges.length > 0 && this.mayHold(line)) out.push(...this.inRanges(line, n, c.ranges));
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
    return this.inRanges(line, lineNumber, ranges);
  }

  private mayHold(line: string): boolean {
    this.tagRe.lastIndex = 0;
    return this.tagRe.test(line);
  }

  private inRanges(line: string, lineNumber: number, ranges: [number, number][]): TodoMatch[] {
    const out: TodoMatch[] = [];
    for (const [from, to] of ranges) {
      const comment = line.slice(0, to);
      this.tagRe.lastIndex = from;
      for (let m = this.tagRe.exec(comment); m; m = this.tagRe.exec(comment)) {
        const tag = this.tags.get(m[1].toUpperCase()) ?? m[1];
        let at = m.index + m[1].length;
        let ref: TodoRef | undefined;
        const r = this.refRe?.exec(comment.slice(at));
        if (r) {
          const idStart = at + r[0].indexOf(r[1]);
          ref = { id: r[1], column: idStart, endColumn: idStart + r[1].length };
          at += r[0].length;
        } else {
          // `TODO(alice):` names a person, not an item: skip it like the colon.
          const owner = /^\s*\([^)\s]{1,40}\)/.exec(comment.slice(at));
          if (owner) at += owner[0].length;
        }
        const rest = comment.slice(at);
        const text = rest.replace(/^\s*[:\-–—]?\s*/, '').replace(/\s+$/, '');
        // The next tag in the same comment starts a TODO of its own.
        this.tagRe.lastIndex = at;
        const next = this.tagRe.exec(comment);
        const textEnd = next ? next.index : comment.length;
        const own = next ? comment.slice(at, next.index).replace(/^\s*[:\-–—]?\s*/, '').replace(/\s+$/, '') : text;
        out.push({ line: lineNumber, column: m.index, endColumn: trimEndIndex(comment, textEnd), tag, text: own, ...(ref ? { ref } : {}) });
        this.tagRe.lastIndex = next ? next.index : comment.length;
      }
    }
    return out;
  }
}

function trimEndIndex(s: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(s[e - 1])) e--;
  return e;
}

/**
 * The TODOs on the lines a search reported (ripgrep's hits), or undefined when a hit line needs
 * its file's context to be read right: a tag that is not placed in a comment on its own line,
 * in a language with block comments or multi-line strings, may sit inside either.
 */
export function matchHitLines(matcher: TodoMatcher, hits: readonly { line: number; text: string }[], syntax: CommentSyntax): TodoMatch[] | undefined {
  const found = hits.map((h) => matcher.findInLine(h.text, h.line, syntax));
  const multiLine = syntax.block.length > 0 || syntax.strings.some((q) => q.length === 3);
  if (multiLine && found.some((f) => f.length === 0)) return undefined;
  return found.flat();
}
