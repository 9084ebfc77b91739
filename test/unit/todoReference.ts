// The comment analysis as it was written first: one character at a time, every marker tried at
// every position, the text split into lines up front. Slow, and plainly right; the matcher's
// faster one (skipping characters that start nothing, stopping after the last line asked for)
// must find exactly what this finds.
import { CommentSyntax, TodoMatch, TodoMatcher } from '../../src/core/todo/todo';

interface LineComments {
  ranges: [number, number][];
  openBlock?: readonly [string, string];
  openString?: string;
}

function closingQuote(line: string, from: number, quote: string, syntax: CommentSyntax): number {
  const escapes = !syntax.raw?.includes(quote);
  let j = from;
  while (j < line.length) {
    if (escapes && line[j] === '\\') {
      j += 2;
      continue;
    }
    if (line.startsWith(quote, j)) return j;
    j++;
  }
  return -1;
}

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
      const j = closingQuote(line, i + quote.length, quote, syntax);
      if (j === -1) return syntax.multiLine?.includes(quote) ? { ranges, openString: quote } : { ranges };
      i = j + quote.length;
      continue;
    }
    i++;
  }
  return { ranges };
}

function startsWithLineMarker(line: string, syntax: CommentSyntax): boolean {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return syntax.line.some((m) => line.startsWith(m, i));
}

/** `matcher.findInText` as it was: the same tag reading (the matcher's own), the first comment analysis. */
export function referenceFindInText(matcher: TodoMatcher, text: string, syntax: CommentSyntax): TodoMatch[] {
  const out: TodoMatch[] = [];
  let openBlock: readonly [string, string] | undefined;
  let openString: string | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    const inString = openString !== undefined;
    const c = commentsOf(line, syntax, openBlock, openString);
    openBlock = c.openBlock;
    openString = c.openString;
    const ranges = inString && syntax.commentLinesInStrings && startsWithLineMarker(line, syntax) ? commentsOf(line, syntax).ranges : c.ranges;
    if (ranges.length > 0 && matcher['mayHold'](line)) matcher['inRanges'](line, n, ranges, out);
  }
  return out;
}
