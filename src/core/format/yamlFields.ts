import { isMap, isScalar, isSeq, Node, YAMLMap } from 'yaml';
import { Severity } from '../types';
import { YamlProblem } from './yamlSafe';

/**
 * Reads typed values out of a parsed YAML mapping, reporting a wrong type as a problem at the
 * value's position instead of throwing. Every reader of user YAML goes through this, so that
 * `estimate: five` and `labels: {a: 1}` get the same kind of message everywhere.
 */
export class MapReader {
  constructor(
    readonly map: YAMLMap | undefined,
    private readonly problems: YamlProblem[],
    private readonly where: string,
  ) {}

  has(key: string): boolean {
    return this.node(key) !== undefined;
  }

  node(key: string): Node | undefined {
    if (!this.map) return undefined;
    // Each key's first pair, found once: an item's reader asks for some 35 keys, and scanning
    // the pairs for each was a tenth of parsing 10,000 items.
    if (!this.byKey) {
      this.byKey = new Map();
      for (const pair of this.map.items) {
        if (isScalar(pair.key) && typeof pair.key.value === 'string' && !this.byKey.has(pair.key.value)) this.byKey.set(pair.key.value, (pair.value ?? undefined) as Node | undefined);
      }
    }
    return this.byKey.get(key);
  }

  private byKey: Map<string, Node | undefined> | undefined;

  /** Offset of the key itself, for messages about the entry as a whole. */
  keyOffset(key: string): number | undefined {
    for (const pair of this.map?.items ?? []) {
      if (isScalar(pair.key) && pair.key.value === key) return pair.key.range?.[0];
    }
    return undefined;
  }

  string(key: string, required = false): string | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && n.value === null)) {
      if (required) this.report(this.map, 'missing-field', `${this.where} has no \`${key}\`.`, 'error');
      return undefined;
    }
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean')) {
      const s = String(n.value).trim();
      if (s === '' && required) this.report(n, 'missing-field', `${this.where} has an empty \`${key}\`.`, 'error');
      return s === '' ? undefined : s;
    }
    this.report(n, 'wrong-type', `\`${key}\` should be text, not ${describe(n)}.`, 'error');
    return undefined;
  }

  /** A finite number of zero or more, at most `max`; anything else is reported and read as absent. */
  number(key: string, max = Number.MAX_VALUE): number | undefined {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && (n.value === null || n.value === ''))) return undefined;
    if (isScalar(n)) {
      const v = typeof n.value === 'string' && n.value.trim() !== '' ? Number(n.value) : n.value;
      // `1e999`, `.inf` and `.nan` are numbers to YAML, but no count of anything: JSON has no
      // word for them, and one of them would make every sum it enters infinite.
      const written = n.source !== undefined ? String(n.source) : String(v);
      if (typeof v === 'number' && (Number.isNaN(v) ? typeof n.value === 'number' : !Number.isFinite(v))) {
        this.report(n, 'not-finite', `\`${key}\` is ${written}, which is not a finite number; write a number such as 3.`, 'error');
        return undefined;
      }
      if (typeof v === 'number' && v > max) {
        this.report(n, 'number-too-large', `\`${key}\` is ${written}; the largest that is read is ${max.toLocaleString('en')}.`, 'error');
        return undefined;
      }
      if (typeof v === 'number' && v >= 0) return v;
    }
    this.report(n, 'wrong-type', `\`${key}\` should be a number of zero or more, not ${describe(n)}.`, 'error');
    return undefined;
  }

  /** A list of strings; a single string counts as a one-element list, as Backlog.md reads it. */
  stringList(key: string): string[] {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && n.value === null)) return [];
    if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number')) {
      const s = String(n.value).trim();
      return s === '' ? [] : s.split(',').map((x) => x.trim()).filter((x) => x !== '');
    }
    if (isSeq(n)) {
      const out: string[] = [];
      for (const item of n.items) {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
          const s = String(item.value).trim();
          if (s !== '') out.push(s);
        } else if (!(isScalar(item) && item.value === null)) {
          this.report(item as Node, 'wrong-type', `Items of \`${key}\` should be text, not ${describe(item as Node)}.`, 'error');
        }
      }
      return out;
    }
    this.report(n, 'wrong-type', `\`${key}\` should be a list, not ${describe(n)}.`, 'error');
    return [];
  }

  /** The entries of a list of mappings, each as its own reader. */
  mapList(key: string, what: string): { reader: MapReader; offset: number }[] {
    const n = this.node(key);
    if (n === undefined || (isScalar(n) && n.value === null)) return [];
    if (!isSeq(n)) {
      this.report(n, 'wrong-type', `\`${key}\` should be a list of ${what}s, not ${describe(n)}.`, 'error');
      return [];
    }
    const out: { reader: MapReader; offset: number }[] = [];
    for (const item of n.items) {
      if (isMap(item)) out.push({ reader: new MapReader(item, this.problems, what), offset: item.range?.[0] ?? 0 });
      else this.report(item as Node, 'wrong-type', `Each entry of \`${key}\` should be a ${what} with keys, not ${describe(item as Node)}.`, 'error');
    }
    return out;
  }

  report(node: Node | undefined, code: string, message: string, severity: Severity): void {
    const start = node?.range?.[0] ?? this.map?.range?.[0] ?? 0;
    const end = node?.range?.[1] ?? start;
    this.problems.push({ start, end, severity, code, message });
  }

  reportAtKey(key: string, code: string, message: string, severity: Severity): void {
    const start = this.keyOffset(key) ?? this.map?.range?.[0] ?? 0;
    this.problems.push({ start, end: start + key.length, severity, code, message });
  }
}

function describe(n: Node | undefined): string {
  if (n === undefined || n === null) return 'nothing';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return typeof n.value === 'string' ? `"${n.value}"` : String(n.value);
  return 'an alias';
}

/** The root mapping of a document, or a problem saying it is something else. */
export function rootMap(contents: unknown, problems: YamlProblem[], what: string): YAMLMap | undefined {
  if (contents === null || contents === undefined) return undefined;
  if (isMap(contents)) return contents;
  const n = contents as Node;
  problems.push({
    start: n.range?.[0] ?? 0,
    end: n.range?.[1] ?? 0,
    severity: 'error',
    code: 'wrong-type',
    message: `${what} should be a mapping of \`key: value\` lines.`,
  });
  return undefined;
}
