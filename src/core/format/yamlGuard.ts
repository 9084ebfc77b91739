// The check of untrusted YAML before the `yaml` library sees it: one pass over the text, no
// allocation that grows with it, that measures what would make the library slow or deep.
//
// Where a quote, a comment, a flow bracket or a block indicator starts is decided exactly as
// `yaml`'s lexer (yaml/dist/parse/lexer.js, 2.x) decides it, so that `[a "b, [[[…` (a quote inside
// a plain scalar) and `? ? ? …` (explicit keys) are measured as the parser will build them, not as
// they look. The nesting of block collections follows the parser's rules for when a line continues
// a mapping or a list and when it opens a new one (a second `key:` on one line nests: `a: b: c:`).
// `yamlSafe.ts` also stops the parser itself past twice the depth allowed here, so a construct this
// model misjudges costs a little time, never a hang or a stack overflow.

export interface YamlLimits {
  /** Nested collections, block and flow together. */
  depth: number;
  /** Lines plus tokens (values, indicators, brackets, comments): what the parser's work grows with. */
  tokens: number;
  /** Aliases (`*name`). */
  aliases: number;
}

export type YamlRefusal = { at: number; code: 'yaml-too-deep' | 'yaml-too-large' | 'yaml-aliases'; message: string };

/** Nesting over the limit, too many tokens or aliases, at the offset where the limit was passed; else undefined. */
export function checkYamlLimits(text: string, limits: YamlLimits): YamlRefusal | undefined {
  return new YamlGuard(text, limits).run();
}

type State = 'stream' | 'line-start' | 'block-start' | 'doc' | 'flow' | 'quoted-scalar' | 'block-scalar' | 'plain-scalar';

const SEQ = 0;
const MAP = 1;

function isEmpty(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

function isFlowIndicator(ch: string | undefined): boolean {
  return ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}';
}

function isNotAnchorChar(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}' || ch === '\n' || ch === '\r' || ch === '\t';
}

const TAG_CHARS = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const HEX = new Set('0123456789ABCDEFabcdef');

class Refused {
  constructor(readonly refusal: YamlRefusal) {}
}

class YamlGuard {
  private readonly src: string;
  private pos = 0;

  // The lexer's state (same names as yaml's Lexer).
  private flowLevel = 0;
  private flowKey = false;
  private indentNext = 0;
  private indentValue = 0;
  private blockScalarIndent = -1;
  private blockScalarKeep = false;
  private lineEndPos = -2;
  private nlFrom = -2;
  private nlAt = -1;

  // The parser's view of the current line: its indentation so far (spaces at the start of the
  // line and block indicators, as yaml's Parser counts them) and whether only those came yet.
  private pIndent = 0;
  private pAtNewLine = true;

  // The model of the parser's stack: open block collections (kind and indent) and flow levels.
  private readonly blockKind: number[] = [];
  private readonly blockIndent: number[] = [];
  /** Per open flow collection: block sequences started inside it (`[- - …`, an error that still nests). */
  private readonly flowExtra: number[] = [];
  private flowExtraTotal = 0;

  // Per line, in block context.
  private lineStarted = false;
  /** Values (scalars, aliases, flow collections) on the line, and whether a key's colon came. */
  private lineValues = 0;
  private lineColon = false;
  private lastValue: 'none' | 'scalar' | 'flow' = 'none';
  /**
   * A value is due: the last block indicator (`-`, `?`, `:`) has none yet, on its line or the
   * ones after it. A block scalar or a brackets spanning lines where none is due sits where the
   * parser takes it for a key, and the parser then sees the next line as going on with it.
   */
  private expectValue = true;
  private blockScalarKeyLike = false;
  private flowKeyLike = false;

  private tokens = 0;
  private aliases = 0;

  constructor(
    text: string,
    private readonly limits: YamlLimits,
  ) {
    this.src = text;
  }

  run(): YamlRefusal | undefined {
    try {
      let next: State | undefined = 'stream';
      let lastPos = -1;
      let still = 0;
      while (next !== undefined && this.pos < this.src.length) {
        next = this.step(next);
        // Every state consumes a character or hands over to one that will; a mistake in this port
        // must not loop forever on hostile input, so steps that stand still step over a character.
        if (this.pos !== lastPos) still = 0;
        else if (++still > 4) {
          this.pos++;
          still = 0;
        }
        lastPos = this.pos;
      }
      return undefined;
    } catch (e) {
      if (e instanceof Refused) return e.refusal;
      throw e;
    }
  }

  private step(state: State): State | undefined {
    switch (state) {
      case 'stream':
        return this.parseStream();
      case 'line-start':
        return this.parseLineStart();
      case 'block-start':
        return this.parseBlockStart();
      case 'doc':
        return this.parseDocument();
      case 'flow':
        return this.parseFlowCollection();
      case 'quoted-scalar':
        return this.parseQuotedScalar();
      case 'block-scalar':
        return this.parseBlockScalar();
      case 'plain-scalar':
        return this.parsePlainScalar();
    }
  }

  // ---- limits --------------------------------------------------------------------------------

  private depth(): number {
    return this.blockKind.length + this.flowLevel + this.flowExtraTotal;
  }

  private checkDepth(at: number): void {
    if (this.depth() > this.limits.depth) {
      throw new Refused({ at, code: 'yaml-too-deep', message: `YAML nested more than ${this.limits.depth} levels deep is not read.` });
    }
  }

  private token(at: number): void {
    if (++this.tokens > this.limits.tokens) {
      throw new Refused({
        at,
        code: 'yaml-too-large',
        message: `YAML of more than ${this.limits.tokens.toLocaleString('en')} lines and values is not read; no backlog file needs that many.`,
      });
    }
  }

  private alias(at: number): void {
    this.token(at);
    if (++this.aliases > this.limits.aliases) {
      throw new Refused({ at, code: 'yaml-aliases', message: `YAML with more than ${this.limits.aliases} aliases (*name) is not read.` });
    }
  }

  // ---- the parser's stack, modelled --------------------------------------------------------------

  private newline(at: number): void {
    this.token(at);
    this.pAtNewLine = true;
    this.pIndent = 0;
    if (this.flowLevel === 0) {
      this.lineStarted = false;
      this.lineValues = 0;
      this.lineColon = false;
      this.lastValue = 'none';
    }
  }

  /** Spaces as the parser counts them: part of the indent while only indicators came before. */
  private spaces(from: number, to: number): void {
    if (to > from && this.pAtNewLine && this.src[from] === ' ') this.pIndent += to - from;
  }

  /** A token that is not a space, newline or block indicator: the parser's indent is settled. */
  private content(): void {
    this.pAtNewLine = false;
  }

  /** The first token of a line in block context closes what the line's indent is outside of. */
  private startLine(isDash: boolean): void {
    if (this.lineStarted) return;
    this.lineStarted = true;
    const indent = this.pIndent;
    for (let top = this.blockKind.length - 1; top >= 0; top--) {
      const inside = this.blockIndent[top] < indent || (this.blockIndent[top] === indent && (this.blockKind[top] === MAP || isDash));
      if (inside) break;
      this.blockKind.pop();
      this.blockIndent.pop();
    }
  }

  private push(kind: number, at: number): void {
    this.blockKind.push(kind);
    this.blockIndent.push(this.pIndent);
    this.checkDepth(at);
  }

  private topIsMap(): boolean {
    return this.blockKind.length > 0 && this.blockKind[this.blockKind.length - 1] === MAP;
  }

  private topIs(kind: number): boolean {
    const top = this.blockKind.length - 1;
    return top >= 0 && this.blockKind[top] === kind && this.blockIndent[top] === this.pIndent;
  }

  /** `-`, `?` or `:` followed by a space (or a flow indicator, in flow). */
  private indicator(ch: string, at: number): void {
    this.token(at);
    if (this.flowLevel > 0) {
      // Inside brackets only a `-` opens something: a block list, which is an error but nests.
      if (ch === '-') {
        this.flowExtra[this.flowExtra.length - 1]++;
        this.flowExtraTotal++;
        this.checkDepth(at);
      }
      return;
    }
    const leading = this.pAtNewLine;
    this.startLine(ch === '-');
    if (ch === '-') {
      // At the start of a line: the next item of a list at this indent, or a new list. After
      // other tokens it is an error, which still nests unless a mapping takes it.
      if (leading || this.lineValues === 0 ? !this.topIs(SEQ) : !this.topIs(SEQ) && !this.topIsMap()) this.push(SEQ, at);
    } else if (ch === '?' || leading) {
      if (!(leading && this.topIs(MAP))) this.push(MAP, at);
    } else if (this.lineValues <= 1 && !this.lineColon) {
      // The colon of the line's first key (`key:`, `"key":`, `[a]:`, or `&x :`).
      this.lineColon = true;
      if (!this.topIs(MAP)) this.push(MAP, at);
    } else if (this.lastValue !== 'flow') {
      // Any other colon nests: `a: b: c` (the parser nests a mapping for every further key, and
      // keeps nesting on the lines that follow, whose keys continue the innermost one), `a: : b`,
      // and `"a"b: c` (a second value after a key is that key's value, which `:` makes a key).
      this.push(MAP, at);
    }
    this.lastValue = 'none';
    this.expectValue = true;
    if (this.pAtNewLine) this.pIndent += 1;
  }

  /** A scalar, an alias or the start of a block scalar, in block or flow context. */
  private value(at: number): void {
    this.token(at);
    if (this.flowLevel === 0) {
      this.startLine(false);
      this.lineValues++;
      this.lastValue = 'scalar';
      this.expectValue = false;
    }
    this.content();
  }

  private flowStart(at: number): void {
    this.token(at);
    if (this.flowLevel === 0) {
      this.startLine(false);
      this.flowKeyLike = !this.expectValue;
    }
    this.content();
    this.flowLevel++;
    this.flowExtra.push(0);
    this.checkDepth(at);
  }

  private flowEnd(at: number): void {
    this.token(at);
    this.content();
    if (this.flowExtra.length > 0) this.flowExtraTotal -= this.flowExtra.pop()!;
    if (this.flowLevel === 0) {
      this.lineValues++;
      this.lastValue = 'flow';
      this.expectValue = false;
    }
  }

  /** Brackets left open where the lexer gives up on them (a line less indented, a `---`). */
  private flowAbandoned(): void {
    this.flowExtra.length = 0;
    this.flowExtraTotal = 0;
  }

  /**
   * After a block scalar, or brackets the lexer gave up on at a new line: the parser saw no line
   * break, so where the value stood as a key, this line goes on with it.
   */
  private afterValueSpanningLines(keyLike: boolean, kind: 'scalar' | 'flow'): void {
    this.lineStarted = false;
    this.lineValues = keyLike ? 1 : 0;
    this.lineColon = false;
    this.lastValue = keyLike ? kind : 'none';
    this.expectValue = false;
  }

  private documentBoundary(): void {
    this.blockKind.length = 0;
    this.blockIndent.length = 0;
    this.flowAbandoned();
    this.lineStarted = false;
    this.lineValues = 0;
    this.lineColon = false;
    this.lastValue = 'none';
    this.expectValue = true;
  }

  // ---- yaml's Lexer, without the tokens ----------------------------------------------------------

  private charAt(n: number): string | undefined {
    return this.src[this.pos + n];
  }

  /** The rest of the current line, without its line break. */
  private getLine(): string {
    let end = this.lineEndPos;
    if (end !== -1 && end < this.pos) {
      end = this.src.indexOf('\n', this.pos);
      this.lineEndPos = end;
    }
    if (end === -1) return this.src.substring(this.pos);
    if (this.src[end - 1] === '\r') end -= 1;
    return this.src.substring(this.pos, end);
  }

  /**
   * The first `\n` at or after `from`. Remembered, so that asking again from anywhere before it
   * costs nothing: yaml's lexer searches only up to a closing quote, and searching the whole line
   * for each of its quoted values would make a long line of them quadratic.
   */
  private nextNewline(from: number): number {
    if (this.nlFrom === -2 || from < this.nlFrom || (this.nlAt !== -1 && this.nlAt < from)) {
      this.nlFrom = from;
      this.nlAt = this.src.indexOf('\n', from);
    }
    return this.nlAt;
  }

  private pushSpaces(allowTabs: boolean): number {
    let i = this.pos;
    let ch = this.src[i];
    while (ch === ' ' || (allowTabs && ch === '\t')) ch = this.src[++i];
    const n = i - this.pos;
    if (n > 0) {
      this.spaces(this.pos, i);
      this.pos = i;
    }
    return n;
  }

  private pushNewline(): number {
    const ch = this.src[this.pos];
    let n = 0;
    if (ch === '\n') n = 1;
    else if (ch === '\r' && this.src[this.pos + 1] === '\n') n = 2;
    if (n > 0) {
      this.newline(this.pos);
      this.pos += n;
    }
    return n;
  }

  private pushUntil(test: (ch: string | undefined) => boolean): number {
    let i = this.pos;
    while (!test(this.src[i])) i++;
    const n = i - this.pos;
    this.pos = i;
    return n;
  }

  private continueScalar(offset: number): number {
    let ch = this.src[offset];
    if (this.indentNext > 0) {
      let indent = 0;
      while (ch === ' ') ch = this.src[++indent + offset];
      if (ch === '\r') {
        const next = this.src[indent + offset + 1];
        if (next === '\n') return offset + indent + 1;
      }
      return ch === '\n' || indent >= this.indentNext || ch === undefined ? offset + indent : -1;
    }
    if (ch === '-' || ch === '.') {
      const dt = this.src.substr(offset, 3);
      if ((dt === '---' || dt === '...') && isEmpty(this.src[offset + 3])) return -1;
    }
    return offset;
  }

  private parseStream(): State {
    let line = this.getLine();
    if (line[0] === '\uFEFF') {
      this.pos += 1;
      line = line.substring(1);
    }
    if (line[0] === '%' || this.atLineEnd()) {
      // A directive, or a blank or comment line before the document.
      if (line.length > 0) this.token(this.pos);
      this.pos += line.length;
      this.pushNewline();
      return 'stream';
    }
    return this.parseLineStart();
  }

  private atLineEnd(): boolean {
    let i = this.pos;
    let ch = this.src[i];
    while (ch === ' ' || ch === '\t') ch = this.src[++i];
    if (ch === undefined || ch === '#' || ch === '\n') return true;
    if (ch === '\r') return this.src[i + 1] === '\n';
    return false;
  }

  private parseLineStart(): State {
    const ch = this.charAt(0);
    if (ch === '-' || ch === '.') {
      const s = this.src.substr(this.pos, 3);
      if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
        this.token(this.pos);
        this.pos += 3;
        this.indentValue = 0;
        this.indentNext = 0;
        this.documentBoundary();
        this.content();
        return s === '---' ? 'doc' : 'stream';
      }
    }
    this.indentValue = this.pushSpaces(false);
    if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1))) this.indentNext = this.indentValue;
    return this.parseBlockStart();
  }

  private parseBlockStart(): State {
    const ch0 = this.charAt(0);
    const ch1 = this.charAt(1);
    if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
      this.indicator(ch0, this.pos);
      this.pos += 1;
      const n = 1 + this.pushSpaces(true);
      this.indentNext = this.indentValue + 1;
      this.indentValue += n;
      return 'block-start';
    }
    return 'doc';
  }

  private parseDocument(): State {
    this.pushSpaces(true);
    const line = this.getLine();
    let n = this.pushIndicators();
    switch (line[n]) {
      case '#':
      case undefined:
        if (line[n] === '#') {
          this.token(this.pos);
          this.content();
          this.pos += line.length - n;
        }
        this.pushNewline();
        return this.parseLineStart();
      case '{':
      case '[':
        this.flowStart(this.pos);
        this.pos += 1;
        this.flowKey = false;
        this.flowLevel = 1;
        return 'flow';
      case '}':
      case ']':
        // An error; the parser takes it as a token of its own.
        this.token(this.pos);
        this.content();
        this.pos += 1;
        return 'doc';
      case '*':
        this.alias(this.pos);
        this.startLine(false);
        this.content();
        this.lineValues++;
        this.lastValue = 'scalar';
        this.expectValue = false;
        this.pushUntil(isNotAnchorChar);
        return 'doc';
      case '"':
      case "'":
        return this.parseQuotedScalar();
      case '|':
      case '>':
        this.blockScalarKeyLike = !this.expectValue;
        this.value(this.pos);
        n += this.parseBlockScalarHeader();
        n += this.pushSpaces(true);
        this.pos += Math.max(0, line.length - n);
        this.pushNewline();
        return this.parseBlockScalar();
      default:
        return this.parsePlainScalar();
    }
  }

  private parseFlowCollection(): State {
    let nl: number;
    let sp: number;
    let indent = -1;
    do {
      nl = this.pushNewline();
      if (nl > 0) {
        sp = this.pushSpaces(false);
        this.indentValue = indent = sp;
      } else {
        sp = 0;
      }
      sp += this.pushSpaces(true);
    } while (nl + sp > 0);
    const line = this.getLine();
    if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') || (indent === 0 && (line.startsWith('---') || line.startsWith('...')) && isEmpty(line[3]))) {
      const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === ']' || line[0] === '}');
      if (!atFlowEndMarker) {
        // The lexer closes every open bracket here (an error), and so does the parser; this line
        // is a block line of its own.
        this.flowLevel = 0;
        this.flowAbandoned();
        this.afterValueSpanningLines(this.flowKeyLike, 'flow');
        return this.parseLineStart();
      }
    }
    let n = 0;
    while (line[n] === ',') {
      this.token(this.pos);
      this.content();
      this.pos += 1;
      n += 1;
      n += this.pushSpaces(true);
      this.flowKey = false;
    }
    n += this.pushIndicators();
    switch (line[n]) {
      case undefined:
        return 'flow';
      case '#':
        this.token(this.pos);
        this.content();
        this.pos += line.length - n;
        return 'flow';
      case '{':
      case '[':
        this.flowStart(this.pos);
        this.pos += 1;
        this.flowKey = false;
        return 'flow';
      case '}':
      case ']':
        this.flowLevel -= 1;
        this.flowEnd(this.pos);
        this.pos += 1;
        this.flowKey = true;
        return this.flowLevel ? 'flow' : 'doc';
      case '*':
        this.alias(this.pos);
        this.content();
        this.pushUntil(isNotAnchorChar);
        return 'flow';
      case '"':
      case "'":
        this.flowKey = true;
        return this.parseQuotedScalar();
      case ':':
      default: {
        const next = this.charAt(1);
        if (line[n] === ':' && (this.flowKey || isEmpty(next) || next === ',')) {
          this.flowKey = false;
          this.indicator(':', this.pos);
          this.pos += 1;
          this.pushSpaces(true);
          return 'flow';
        }
        this.flowKey = false;
        return this.parsePlainScalar();
      }
    }
  }

  private parseQuotedScalar(): State {
    const start = this.pos;
    const quote = this.charAt(0);
    let end = this.src.indexOf(quote!, this.pos + 1);
    if (quote === "'") {
      while (end !== -1 && this.src[end + 1] === "'") end = this.src.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (this.src[end - 1 - n] === '\\') n += 1;
        if (n % 2 === 0) break;
        end = this.src.indexOf('"', end + 1);
      }
    }
    // Only looking for newlines within the quotes.
    const limit = end === -1 ? 0 : end;
    let nl = this.nextNewline(this.pos);
    if (nl >= limit) nl = -1;
    if (nl !== -1) {
      while (nl !== -1) {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = this.nextNewline(cs);
        if (nl >= limit) nl = -1;
      }
      if (nl !== -1) end = nl - (this.src[nl - 1] === '\r' ? 2 : 1);
    }
    if (end === -1) end = this.src.length;
    this.value(start);
    this.pos = Math.max(this.pos, end + 1);
    return this.flowLevel ? 'flow' : 'doc';
  }

  private parseBlockScalarHeader(): number {
    this.blockScalarIndent = -1;
    this.blockScalarKeep = false;
    let i = this.pos;
    for (;;) {
      const ch = this.src[++i];
      if (ch === '+') this.blockScalarKeep = true;
      else if (ch !== undefined && ch > '0' && ch <= '9') this.blockScalarIndent = Number(ch) - 1;
      else if (ch !== '-') break;
    }
    return this.pushUntil((ch) => isEmpty(ch) || ch === '#');
  }

  private parseBlockScalar(): State {
    let nl = this.pos - 1;
    let indent = 0;
    let ch: string | undefined;
    loop: for (let i = this.pos; (ch = this.src[i]) !== undefined; ++i) {
      switch (ch) {
        case ' ':
          indent += 1;
          break;
        case '\n':
          nl = i;
          indent = 0;
          break;
        case '\r': {
          if (this.src[i + 1] === '\n') break;
          break loop;
        }
        default:
          break loop;
      }
    }
    if (indent >= this.indentNext) {
      if (this.blockScalarIndent === -1) this.indentNext = indent;
      else this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = this.nextNewline(cs);
      } while (nl !== -1);
      if (nl === -1) nl = this.src.length;
    }
    // Trailing insufficiently indented tabs are invalid; the lexer keeps them in the scalar.
    let i = nl + 1;
    ch = this.src[i];
    while (ch === ' ') ch = this.src[++i];
    if (ch === '\t') {
      while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n') ch = this.src[++i];
      nl = i - 1;
    } else if (!this.blockScalarKeep) {
      for (;;) {
        let j = nl - 1;
        let c = this.src[j];
        if (c === '\r') c = this.src[--j];
        const lastChar = j;
        while (c === ' ') c = this.src[--j];
        if (c === '\n' && j >= this.pos && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    this.pos = Math.max(this.pos, nl + 1);
    // The parser takes a block scalar's last line break as the start of a new line.
    this.token(this.pos);
    this.pAtNewLine = true;
    this.pIndent = 0;
    this.afterValueSpanningLines(this.blockScalarKeyLike, 'scalar');
    return this.parseLineStart();
  }

  private parsePlainScalar(): State {
    const start = this.pos;
    const inFlow = this.flowLevel > 0;
    let end = this.pos - 1;
    let i = this.pos - 1;
    let ch: string | undefined;
    while ((ch = this.src[++i]) !== undefined) {
      if (ch === ':') {
        const next = this.src[i + 1];
        if (isEmpty(next) || (inFlow && isFlowIndicator(next))) break;
        end = i;
      } else if (isEmpty(ch)) {
        let next = this.src[i + 1];
        if (ch === '\r') {
          if (next === '\n') {
            i += 1;
            ch = '\n';
            next = this.src[i + 1];
          } else end = i;
        }
        if (next === '#' || (inFlow && isFlowIndicator(next))) break;
        if (ch === '\n') {
          const cs = this.continueScalar(i + 1);
          if (cs === -1) break;
          i = Math.max(i, cs - 2);
        }
      } else {
        if (inFlow && isFlowIndicator(ch)) break;
        end = i;
      }
    }
    this.value(start);
    this.pos = Math.max(this.pos, end + 1);
    return inFlow ? 'flow' : 'doc';
  }

  /** Tags, anchors and `-` `?` `:` indicators before a value. */
  private pushIndicators(): number {
    let n = 0;
    for (;;) {
      switch (this.charAt(0)) {
        case '!':
          this.token(this.pos);
          this.content();
          n += this.pushTag();
          n += this.pushSpaces(true);
          continue;
        case '&':
          this.token(this.pos);
          this.content();
          n += this.pushUntil(isNotAnchorChar);
          n += this.pushSpaces(true);
          continue;
        case '-':
        case '?':
        case ':': {
          const inFlow = this.flowLevel > 0;
          const ch1 = this.charAt(1);
          if (!isEmpty(ch1) && !(inFlow && isFlowIndicator(ch1))) return n;
          if (!inFlow) this.indentNext = this.indentValue + 1;
          else if (this.flowKey) this.flowKey = false;
          this.indicator(this.charAt(0)!, this.pos);
          this.pos += 1;
          n += 1;
          n += this.pushSpaces(true);
          continue;
        }
        default:
          return n;
      }
    }
  }

  private pushTag(): number {
    let i: number;
    if (this.charAt(1) === '<') {
      i = this.pos + 2;
      let ch = this.src[i];
      while (!isEmpty(ch) && ch !== '>') ch = this.src[++i];
      if (ch === '>') i += 1;
    } else {
      i = this.pos + 1;
      let ch = this.src[i];
      while (ch !== undefined) {
        if (TAG_CHARS.has(ch)) ch = this.src[++i];
        else if (ch === '%' && HEX.has(this.src[i + 1] ?? '') && HEX.has(this.src[i + 2] ?? '')) ch = this.src[(i += 3)];
        else break;
      }
    }
    const n = i - this.pos;
    this.pos = i;
    return n;
  }
}
