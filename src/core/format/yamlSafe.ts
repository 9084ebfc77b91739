import { Composer, CST, Document, isAlias, isCollection, isMap, isPair, isScalar, Lexer, Node, Parser, YAMLError, YAMLParseError } from 'yaml';
import { parseSimpleYaml } from './simpleYaml';
import { checkYamlLimits } from './yamlGuard';
import { Diagnostic, Severity } from '../types';
import { errorMessage, lineStarts, positionAt } from '../text';

/** Larger YAML than this is refused before parsing: no backlog file needs it. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused before parsing, so the parser cannot overflow the stack. */
export const MAX_YAML_DEPTH = 64;
/** Aliases (`*name`) allowed in one YAML text: a "billion laughs" file needs many. */
export const MAX_ALIAS_COUNT = 100;
/**
 * Lines plus tokens (values, indicators, brackets, comments) allowed in one YAML text, and values
 * its aliases may expand to: the parser's work grows with them, about 2 µs each, and a 4 MiB plan
 * file of one-character values would hold the editor for seconds. A 2,000-card roadmap holds a
 * few thousand; a sprints.yml of 200 sprints with their committed items, some 50,000.
 */
export const MAX_YAML_TOKENS = 200_000;
/**
 * The parser's own stack is watched too, past twice the depth the check before it allows: that
 * check models how the parser nests, and if the model is ever wrong, this still stops it.
 */
const MAX_PARSER_STACK = 2 * MAX_YAML_DEPTH + 2;
/** Problems reported for one YAML text; a broken file of 100,000 commas need not list each. */
export const MAX_YAML_PROBLEMS = 100;

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
  const refused = checkYamlLimits(text, { depth: MAX_YAML_DEPTH, tokens: MAX_YAML_TOKENS, aliases: MAX_ALIAS_COUNT });
  if (refused) return { problems: [problem(refused.at, refused.at + 1, refused.code, refused.message)] };
  try {
    const doc = parseWatched(text);
    // An error "at the end" (an unclosed quote, say) would point past the YAML, at the line
    // after it; keep it on the last line the user wrote.
    const clamp = (p: YamlProblem): YamlProblem => (text.length > 0 && p.start >= text.length ? { ...p, start: text.length - 1, end: text.length } : p);
    const problems: YamlProblem[] = [];
    for (const e of doc.errors) problems.push(clamp(fromYamlError(e, 'error', text)));
    // An unknown tag (`!!js/function`) is how payloads for other YAML loaders look: refuse it.
    for (const e of doc.warnings) problems.push(clamp(fromYamlError(e, e.code === 'TAG_RESOLVE_FAILED' ? 'error' : 'warning', text)));
    if (problems.length > MAX_YAML_PROBLEMS) {
      const more = problems.length - MAX_YAML_PROBLEMS;
      const last = problems[MAX_YAML_PROBLEMS];
      problems.length = MAX_YAML_PROBLEMS;
      problems.push({ ...last, severity: 'error', code: 'yaml-more-problems', message: `${more.toLocaleString('en')} more YAML problems from here on are not listed.` });
    }
    const contents: unknown = doc.contents;
    if (problems.some((p) => p.severity === 'error')) return { doc, contents, problems };
    const expansion = aliasProblem(doc.contents);
    if (expansion) return { doc, contents, problems: [...problems, expansion] };
    try {
      // Aliases were measured above, in one pass; yaml's own count walks the document once per
      // alias inside an anchored value, which many aliases make quadratic.
      const value = doc.toJS({ maxAliasCount: -1 });
      return { doc, contents, value, problems };
    } catch (e) {
      problems.push(problem(0, 0, 'yaml-aliases', `YAML could not be read: ${messageOf(e)}`));
      return { doc, contents, problems };
    }
  } catch (e) {
    if (e instanceof TooDeep) {
      return { problems: [problem(e.offset, e.offset + 1, 'yaml-too-deep', `YAML nested more than ${MAX_YAML_DEPTH} levels deep is not read.`)] };
    }
    return { problems: [problem(0, 0, 'yaml-crash', `YAML could not be read: ${messageOf(e)}`)] };
  }
}

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super('YAML nested too deeply');
  }
}

/** yaml's parser, token by token, stopped when its stack grows past MAX_PARSER_STACK. */
function* watchedTokens(text: string): Generator<CST.Token, void> {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_PARSER_STACK) throw new TooDeep(Math.min(parser.offset, Math.max(0, text.length - 1)));
  }
  yield* parser.end();
}

/**
 * `parseDocument` with duplicate keys found in one pass instead of yaml's pairwise check, which
 * takes minutes for a mapping of 100,000 keys. Throws TooDeep.
 */
function parseWatched(text: string): Document.Parsed {
  // yaml reports each problem as an Error, and capturing a stack for each of 100,000 of them
  // takes seconds; nothing reads those stacks. Nothing else runs meanwhile: parsing is synchronous.
  const stackTraceLimit = Error.stackTraceLimit;
  setStackTraceLimit(0);
  try {
    const composer = new Composer({ uniqueKeys: false, prettyErrors: false, keepSourceTokens: true, strict: true });
    let doc: Document.Parsed | undefined;
    for (const next of composer.compose(watchedTokens(text), true, text.length)) {
      if (!doc) doc = next;
      else {
        doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
        break;
      }
    }
    // compose(…, forceDoc) always yields a document.
    const parsed = doc!;
    const keys = keyErrors(parsed.contents);
    if (keys.length > 0) {
      // In document order among the parser's own errors, as yaml reports them.
      const all = parsed.errors.concat(keys).map((e, i) => ({ e, i }));
      all.sort((a, b) => a.e.pos[0] - b.e.pos[0] || a.i - b.i);
      parsed.errors.length = 0;
      for (const { e } of all) parsed.errors.push(e);
    }
    return parsed;
  } finally {
    setStackTraceLimit(stackTraceLimit);
  }
}

function setStackTraceLimit(n: number): void {
  try {
    Error.stackTraceLimit = n;
  } catch {
    // A frozen Error (a hardened runtime) keeps its stacks; parsing is only slower.
  }
}

/**
 * Every key that repeats one before it in its mapping (yaml's rule: scalars with equal values),
 * and every key that is a list, a mapping or an alias: `toJS` would write each of those out as
 * text, going through every anchor of the document each time, and no backlog file has one.
 */
function keyErrors(root: unknown): YAMLParseError[] {
  const out: YAMLParseError[] = [];
  walk(root, (node) => {
    if (!isMap(node)) return;
    const seen = new Set<unknown>();
    for (const pair of node.items) {
      if (isCollection(pair.key) || isAlias(pair.key)) {
        const at = (pair.key as Node).range?.[0] ?? 0;
        out.push(new YAMLParseError([at, at + 1], 'NON_STRING_KEY', 'A key that is a list, a mapping or an alias is not read; write keys as plain text.'));
        continue;
      }
      if (!isScalar(pair.key)) continue;
      const v = pair.key.value;
      // yaml compares with ===, under which NaN differs from itself.
      if (typeof v === 'number' && Number.isNaN(v)) continue;
      if (seen.has(v)) {
        const at = pair.key.range?.[0] ?? 0;
        out.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      } else seen.add(v);
    }
  });
  return out;
}

/** Visits every node, collections before their items, pairs' keys before their values. */
function walk(node: unknown, visit: (node: unknown) => void): void {
  visit(node);
  if (isCollection(node)) for (const item of node.items) walk(item, visit);
  else if (isPair(node)) {
    walk(node.key, visit);
    walk(node.value, visit);
  }
}

/**
 * What the aliases expand to, counted in one pass, as `toJS` would resolve them (an alias names
 * the last anchor of its name before it): a problem when that is more than MAX_YAML_TOKENS values
 * ("billion laughs") or when an alias sits inside the value it names, which never ends.
 */
function aliasProblem(root: unknown): YamlProblem | undefined {
  let any = false;
  walk(root, (node) => {
    if (isAlias(node)) any = true;
  });
  if (!any) return undefined;
  const anchors = new Map<string, Node>();
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let refusal: YamlProblem | undefined;
  const size = (node: unknown): number => {
    if (refusal) return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return 1; // toJS reports it.
      const at = node.range?.[0] ?? 0;
      if (open.has(target)) {
        refusal = problem(at, at + 1 + node.source.length, 'yaml-aliases', `The alias *${node.source} is inside the value it names, so it never ends; such YAML is not read.`);
        return 0;
      }
      return sizes.get(target) ?? 1;
    }
    const anchor = isScalar(node) || isCollection(node) ? node.anchor : undefined;
    if (anchor) anchors.set(anchor, node as Node);
    let n = 1;
    if (isCollection(node) || isPair(node)) {
      open.add(node);
      if (isPair(node)) n += size(node.key) + size(node.value);
      else for (const item of node.items) n += size(item);
      open.delete(node);
    }
    if (n > MAX_YAML_TOKENS && !refusal) {
      const at = (node as Node).range?.[0] ?? 0;
      refusal = problem(at, at + 1, 'yaml-aliases', `YAML aliases (*name) here expand to more than ${MAX_YAML_TOKENS.toLocaleString('en')} values; such YAML is not read.`);
    }
    sizes.set(node, n);
    return n;
  };
  size(root);
  return refusal;
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
    const key = /^([^:\n#]{1,60}?)\s*:/.exec(text.slice(e.pos[0], e.pos[0] + 200))?.[1]?.trim() ?? '';
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
