import { Document, LineCounter, parseDocument, YAMLError } from 'yaml';
import { parseSimpleYaml } from './simpleYaml';
import { Diagnostic, Severity } from '../types';
import { errorMessage, lineStarts, positionAt } from '../text';

/** Larger YAML than this is refused before parsing: no backlog file needs it. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused before parsing, so the parser cannot overflow the stack. */
export const MAX_YAML_DEPTH = 64;
/** Alias expansions allowed when reading values (a "billion laughs" file needs thousands). */
export const MAX_ALIAS_COUNT = 100;

/** A YAML problem with offsets into the YAML text that was parsed. */
export interface YamlProblem {
  start: number;
  end: number;
  severity: Severity;
  code: string;
  message: string;
}

export interface SafeYaml {
  /**
   * The full parse. Undefined when the text was refused before parsing or could not be read at
   * all, and when the fast reader (`fast: true`) read it: use `contents` to read values.
   */
  doc?: Document.Parsed;
  /** The root node (`doc.contents`, or the fast reader's mapping); undefined when `doc` would be. */
  contents?: unknown;
  /** The plain JavaScript value; undefined when there were errors. */
  value?: unknown;
  problems: YamlProblem[];
}

export interface ParseYamlOptions {
  /** Larger text is refused; default MAX_YAML_BYTES. */
  maxBytes?: number;
  /**
   * Try the fast reader of simple `key: value` YAML first (src/core/format/simpleYaml.ts), falling back
   * to the full parser for anything else. For readers only: the result then has `contents` and
   * `value` but no `doc`, so writers that need source tokens must not set it.
   */
  fast?: boolean;
}

/**
 * Parses untrusted YAML without throwing. Size and depth are checked before the parser runs,
 * aliases are capped when values are built, duplicate keys are errors, and anything the parser
 * still throws (a RangeError from a stack overflow, say) becomes a problem instead of a crash.
 */
export function parseYamlSafe(text: string, options: number | ParseYamlOptions = {}): SafeYaml {
  const { maxBytes = MAX_YAML_BYTES, fast = false } = typeof options === 'number' ? { maxBytes: options } : options;
  if (text.length > maxBytes) {
    return {
      problems: [
        problem(0, 0, 'yaml-too-large', `YAML block is ${Math.round(text.length / 1024)} KiB; the limit is ${Math.round(maxBytes / 1024)} KiB.`),
      ],
    };
  }
  if (fast) {
    const simple = parseSimpleYaml(text);
    if (simple) return { contents: simple.contents, value: simple.value, problems: [] };
  }
  const deep = findExcessiveDepth(text);
  if (deep !== undefined) {
    return {
      problems: [problem(deep, deep + 1, 'yaml-too-deep', `YAML nested more than ${MAX_YAML_DEPTH} levels deep is not read.`)],
    };
  }
  try {
    const doc = parseDocument(text, {
      uniqueKeys: true,
      prettyErrors: false,
      keepSourceTokens: true,
      strict: true,
      lineCounter: new LineCounter(),
    });
    // An error "at the end" (an unclosed quote, say) would point past the YAML, at the line
    // after it; keep it on the last line the user wrote.
    const clamp = (p: YamlProblem): YamlProblem => (text.length > 0 && p.start >= text.length ? { ...p, start: text.length - 1, end: text.length } : p);
    const problems: YamlProblem[] = [
      ...doc.errors.map((e) => clamp(fromYamlError(e, 'error', text))),
      // An unknown tag (`!!js/function`) is how payloads for other YAML loaders look: refuse it.
      ...doc.warnings.map((e) => clamp(fromYamlError(e, e.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning', text))),
    ];
    const contents: unknown = doc.contents;
    if (problems.some((p) => p.severity === 'error')) return { doc, contents, problems };
    try {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      return { doc, contents, value, problems };
    } catch (e) {
      problems.push(problem(0, 0, 'yaml-aliases', `YAML could not be read: ${messageOf(e)}`));
      return { doc, contents, problems };
    }
  } catch (e) {
    return { problems: [problem(0, 0, 'yaml-crash', `YAML could not be read: ${messageOf(e)}`)] };
  }
}

/** Converts problems at offsets in a YAML block to diagnostics at file positions. */
export function toDiagnostics(
  problems: YamlProblem[],
  path: string,
  fileText: string,
  yamlOffset: number,
  starts: number[] = lineStarts(fileText),
): Diagnostic[] {
  return problems.map((p) => {
    const s = positionAt(starts, yamlOffset + p.start);
    const e = positionAt(starts, yamlOffset + Math.max(p.end, p.start));
    return {
      path,
      line: s.line,
      column: s.column,
      endLine: e.line,
      endColumn: e.column === s.column && e.line === s.line ? s.column + 1 : e.column,
      severity: p.severity,
      code: p.code,
      message: p.message,
    };
  });
}

/** What to do about the parser errors that hand-edited backlog files run into most. */
const HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'Indent YAML with spaces, not tabs.',
  BLOCK_AS_IMPLICIT_KEY: "Quote a value that contains ': ' (note: 'remember: five'), and start every key at the beginning of its line.",
  MULTILINE_IMPLICIT_KEY: 'Start every key at the beginning of its line, and keep a key and its colon on one line.',
  MISSING_CHAR: 'Close it on the same line, or put the whole value in quotes.',
  BAD_INDENT: 'Close a [list] or {mapping} on the line it starts on, or indent its continuation lines.',
  UNEXPECTED_TOKEN: "Check the quotes on this line: inside '…' an apostrophe is written twice (it''s).",
  TAG_RESOLVE_FAILED: 'Remove the !tag: backlog files hold plain values only.',
};

function fromYamlError(e: YAMLError, severity: Severity, text: string): YamlProblem {
  // prettyErrors is off, so the parser's message is one line without a source excerpt.
  const first = e.message.split('\n')[0].replace(/\.?$/, '.');
  let message: string;
  if (e.code === 'DUPLICATE_KEY') {
    // The error's range covers only the start of the key: read the key up to its colon.
    const key = /^([^:\n#]{1,60}?)\s*:/.exec(text.slice(e.pos[0]))?.[1]?.trim() ?? '';
    message = key !== '' ? `\`${key}\` appears twice; keep one of them.` : 'A key appears twice; keep one of them.';
  } else if (e.code === 'BAD_SCALAR_START') {
    const ch = text[e.pos[0]] ?? '';
    message = `${first} Put the value in quotes ('${ch}…').`;
  } else {
    const hint = HINTS[e.code];
    message = hint ? `${first} ${hint}` : first;
  }
  return { start: e.pos[0], end: e.pos[1], severity, code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, message };
}

function problem(start: number, end: number, code: string, message: string): YamlProblem {
  return { start, end, severity: 'error', code, message };
}

function messageOf(e: unknown): string {
  if (e instanceof RangeError) return 'it is nested too deeply or too large.';
  return errorMessage(e);
}

/**
 * Returns the offset where nesting first exceeds the cap, counting open flow brackets
 * and block indentation (compact `- - -` sequences count one level per dash).
 */
function findExcessiveDepth(text: string): number | undefined {
  let flow = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      if (lineStart && (dashes > MAX_YAML_DEPTH || indent > MAX_YAML_DEPTH * 4)) return i;
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (flow === 0) quote = undefined;
      continue;
    }
    if (lineStart) {
      if (c === ' ') {
        indent++;
        continue;
      }
      if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\n')) {
        dashes++;
        indent++;
        continue;
      }
      lineStart = false;
      if (indent > MAX_YAML_DEPTH * 4 || dashes > MAX_YAML_DEPTH) return i;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = (nl === -1 ? text.length : nl) - 1;
      continue;
    }
    if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (i === 0 || prev === ' ' || prev === '[' || prev === '{' || prev === ',' || prev === ':') quote = c;
      continue;
    }
    if (c === '[' || c === '{') {
      if (++flow > MAX_YAML_DEPTH) return i;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
  }
  return undefined;
}
