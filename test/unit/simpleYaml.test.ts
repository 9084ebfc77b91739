import * as assert from 'assert';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument } from 'yaml';
import { parseSimpleYaml } from '../../src/core/format/simpleYaml';
import { parseYamlSafe } from '../../src/core/format/yamlSafe';

// The fast reader must agree with `yaml` whenever it answers at all: same plain value, same node
// kinds, styles and values, and ranges that point at the same text.

const full = (text: string) =>
  parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: true, strict: true, lineCounter: new LineCounter() });

/** Node-by-node comparison with `yaml`'s document; throws on the first difference. */
function assertSameAsYaml(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (!fast) return false;
  const doc = full(text);
  const where = JSON.stringify(text);
  assert.deepStrictEqual(doc.errors.map((e) => e.code), [], `yaml found errors in ${where}`);
  assert.deepStrictEqual(doc.warnings.map((e) => e.code), [], `yaml found warnings in ${where}`);
  assert.deepStrictEqual(fast.value, doc.toJS(), `value of ${where}`);
  assert.deepStrictEqual(fast.value, parse(text), `parse() of ${where}`);
  const root = doc.contents;
  assert.ok(isMap(root), `root of ${where}`);
  const slice = (r: readonly number[] | null | undefined) => (r ? [text.slice(r[0], r[1]), r[1] === r[2] ? '' : text.slice(r[1], r[2])] : r);
  const same = (a: { range?: readonly number[] | null }, b: { range?: readonly number[] | null }, what: string) => {
    assert.deepStrictEqual(slice(a.range), slice(b.range), `text at ${what} in ${where}`);
    assert.deepStrictEqual(a.range, b.range, `range of ${what} in ${where}`);
  };
  same(fast.contents, root, 'the root');
  assert.strictEqual(fast.contents.items.length, root.items.length, `keys of ${where}`);
  root.items.forEach((pair, i) => {
    const mine = fast.contents.items[i];
    assert.ok(isScalar(pair.key) && isScalar(mine.key));
    assert.strictEqual(mine.key.value, pair.key.value);
    assert.strictEqual(mine.key.type, pair.key.type);
    same(mine.key, pair.key, `key ${i}`);
    const theirs = pair.value;
    const ours = mine.value!;
    const what = `value of ${String(pair.key.value)}`;
    if (isScalar(theirs)) {
      assert.ok(isScalar(ours), what);
      assert.strictEqual(ours.value, theirs.value, what);
      assert.strictEqual(ours.type, theirs.type, what);
      same(ours, theirs, what);
    } else {
      assert.ok(isSeq(theirs) && isSeq(ours), what);
      assert.strictEqual(Boolean(ours.flow), Boolean(theirs.flow), `flow of ${what}`);
      same(ours, theirs, what);
      assert.strictEqual(ours.items.length, theirs.items.length, what);
      theirs.items.forEach((t, j) => {
        const o = ours.items[j];
        assert.ok(isScalar(t) && isScalar(o), `${what}[${j}]`);
        assert.strictEqual(o.value, t.value, `${what}[${j}]`);
        assert.strictEqual(o.type, t.type, `${what}[${j}]`);
        same(o, t, `${what}[${j}]`);
      });
    }
  });
  return true;
}

const TRICKY = [
  'null', 'Null', 'NULL', 'nULL', '~', 'true', 'False', 'TRUE', 'yes', 'No', 'on', 'off', 'y',
  '2024.10', '1e3', '1E-3', '0x1F', '0xZZ', '0o17', '0o8', '.inf', '-.INF', '.nan', '+1', '-1', '007', '0', '00', '12', '1_000',
  '2024-10-01', '2024-10-01 09:30', '12:30', '1.2.3', '1a', '3 pigs', '12345678901234567890',
  '- a', '-', '-a', '--- ', '...', '? q', '?q', ':c', 'a: b', 'a:b', 'x:', 'a :b', '#x', 'a #b', 'a#b', '@me', '`x`', '%p', '&a', '*a', '!t', '!!str x',
  '|', '>', "'q'", '"dq"', "it's", 'say "hi"', "''", '""', 'back\\slash', '\\"', 'a,b', '[x]', '{y}', 'a [b]', 'a {b}', '<<', '=',
  'http://x.y/z?q=1#f', 'ü ñ 日本', '😀', 'e\u0301', '\u00a0', 'a\u00a0', ' lead', 'trail ', 'a  b', '', ' ', 'a\tb', 'a\rb', '\u2028', '\u0085', '\ufeff',
  'BL-12', 'To Do', 'In Progress', 'a0V', 'Zz', '__proto__', 'constructor',
];
const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._/:#@'"-]{0,10}$/) },
);
type Scalarish = string | number;
const scalar: fc.Arbitrary<Scalarish> = fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 100000 }) });
type Style = 'plain' | 'single' | 'double';
const style = fc.constantFrom<Style>('plain', 'plain', 'single', 'double');

const render = (v: Scalarish, s: Style) =>
  s === 'plain' ? String(v) : s === 'single' ? `'${String(v).replace(/'/g, "''")}'` : `"${String(v).replace(/"/g, '\\"')}"`;

type Entry =
  | { kind: 'scalar'; value: Scalarish; style: Style }
  | { kind: 'empty' }
  | { kind: 'flow'; items: [Scalarish, Style][]; sep: string }
  | { kind: 'block'; items: ([Scalarish, Style] | null)[]; indent: number };

const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('scalar' as const), value: scalar, style }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flow' as const), items: fc.array(fc.tuple(scalar, style), { maxLength: 4 }), sep: fc.constantFrom(', ', ',', ' , ') }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('block' as const),
      items: fc.array(fc.option(fc.tuple(scalar, style), { freq: 8 }), { minLength: 1, maxLength: 4 }),
      indent: fc.constantFrom(0, 2, 4),
    }),
  },
);
const key = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('id', 'title', 'status', 'labels', 'assignee', 'created_date', 'x-custom', '_k') },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z_][\w-]{0,8}$/) },
  fc.constantFrom('id', 'title', 'status', 'labels', 'assignee', 'created_date', 'x-custom', '_k', 'null', 'True', 'a b', '1st', 'k:', '-k', '__proto__'),
);
const extras = fc.record({
  trailing: fc.constantFrom('', '', ' ', '  '),
  gap: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, fc.constantFrom('\n', '# note\n', '  \n', '#\n', ' # indented\n')),
  space: fc.constantFrom(' ', ' ', '  '),
});
const frontMatter = fc
  .record({
    lines: fc.array(fc.tuple(key, entry, extras), { minLength: 1, maxLength: 7 }),
    lead: fc.constantFrom('', '', '# head\n', '\n'),
    tail: fc.constantFrom('\n', '\n', '', '\n\n', '\n# end\n'),
    eol: fc.constantFrom('\n', '\r\n'),
  })
  .map(({ lines, lead, tail, eol }) => {
    const out: string[] = [];
    for (const [k, e, x] of lines) {
      if (e.kind === 'scalar') out.push(`${k}:${x.space}${render(e.value, e.style)}${x.trailing}`);
      else if (e.kind === 'empty') out.push(`${k}:${x.trailing}`);
      else if (e.kind === 'flow') out.push(`${k}:${x.space}[${e.items.map(([v, s]) => render(v, s)).join(e.sep)}]${x.trailing}`);
      else {
        out.push(`${k}:`);
        for (const it of e.items) out.push(`${' '.repeat(e.indent)}-${it ? ' ' + render(it[0], it[1]) : ''}${x.trailing}`);
      }
      if (x.gap) out.push(x.gap.slice(0, -1));
    }
    return (lead + out.join('\n') + tail).replace(/\n/g, eol);
  });

const NOISE = [' ', '\n', '\r', '\t', '#', ':', '-', "'", '"', '[', ']', ',', '{', '\\', '&', '*', '!', '|', '>', '@', '%', '?', '~', '0', '.', 'x', 'é', '\u00a0'];
const mutated = fc
  .tuple(frontMatter, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NOISE), fc.constantFrom('insert', 'delete', 'replace')), { maxLength: 3 }))
  .map(([text, edits]) => {
    for (const [at, ch, op] of edits) {
      const i = text.length === 0 ? 0 : at % text.length;
      text = op === 'insert' ? text.slice(0, i) + ch + text.slice(i) : op === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + ch + text.slice(i + 1);
    }
    return text;
  });

describe('simple YAML fast path', () => {
  it('agrees with yaml on every generated front matter it accepts', () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: frontMatter }, { weight: 1, arbitrary: mutated }), (text) => {
        runs++;
        if (assertSameAsYaml(text)) accepted++;
      }),
      { numRuns: 3000 },
    );
    // Not a vacuous pass: a good share of the inputs are in the subset.
    assert.ok(accepted > runs / 6, `accepted ${accepted} of ${runs}`);
    if (process.env.SIMPLE_YAML_STATS) console.log(`      accepted ${accepted} of ${runs}`);
  });

  it('agrees with yaml on hand-picked cases', () => {
    const cases = [
      'id: BL-1\ntitle: A b\n',
      "id: BL-1\r\ntitle: 'It''s'\r\nlabels: [a, 'b c', \"d\"]\r\nassignee:\r\n  - '@jo'\r\n  -\r\n  - x\r\n",
      'a:\n- x\n- 12\nb: []\nc: [ ]\nd:\ne: 0\n',
      '# head\n\na: b  \n\n# mid\nc: [ a , b ]  \n\n',
      'a:  \nb:\n\nd: e',
      'a: b\n\n# c\nd:\n  - e\n\n# f\n',
      'url: http://x.y/z#f\ndate: 2024-10-01\nn: 12345678901234567890\n',
      'a: [x#y, ü]\nb: 日本 語\n',
      "a:\n  -   x  \n  -    'q'\nb: [  a  ]\nc: [ 'a' , \"b\" ]\nd:\n-\n",
      'a: b\n  ',
    ];
    for (const c of cases) assert.ok(assertSameAsYaml(c), `not accepted: ${JSON.stringify(c)}`);
  });

  it('leaves everything outside the subset to yaml', () => {
    const refused = [
      '',
      '# only a comment\n',
      'a: b\na: c\n', // duplicate key: yaml reports it
      'a: b # trailing comment\n',
      'a:\n# comment right after an empty value\nb: 1\n',
      'a:\n\n  - list after a blank line\n',
      'a:\n  - x\n# c\n  - y\n',
      'a:\n  - x\n - y\n', // uneven list indent
      'a:\n  - x\n    - y\n',
      'a:\n  b: nested map\n',
      'a: multi\n  line\n',
      "a: 'multi\n  line'\n",
      'a: "esc\\"aped"\n',
      'a: |\n  block\n',
      'a: >-\n  folded\n',
      'a: &x anchored\nb: *x\n',
      'a: !!str tagged\n',
      'a: {b: 1}\n',
      'a: [b, [c]]\n',
      'a: [b, {c: 1}]\n',
      'a: [b,]\n',
      'a: [b, , c]\n',
      'a: [b\n',
      'a: [b: c]\n',
      'a: [b] c\n',
      "a: 'b' c\n",
      'a:\tb\n',
      'a: b\tc\n',
      'a: b\rc: d\r',
      'a: b\r',
      '\ufeffa: b\n',
      '  a: indented key\n',
      ' # indented comment\na: b\n',
      'a : b\n',
      'a:b\n',
      '"a": quoted key\n',
      '? a\n: b\n',
      '---\na: b\n',
      '%YAML 1.2\n---\na: b\n',
      '- top-level list\n',
      'just a scalar\n',
      'null: x\n',
      'True: x\n',
      '__proto__: x\n',
      'a: null\n',
      'a: ~\n',
      'a: TRUE\n',
      'a: No\n'.replace('No', 'false'),
      'a: 1.5\n',
      'a: 1e3\n',
      'a: 0x1F\n',
      'a: 0o17\n',
      'a: 007\n',
      'a: -1\n',
      'a: .5\n',
      'a: b: c\n',
      'a: b:\n',
      'a: @me\n',
      'a: `x`\n',
      'a: %x\n',
      'a: - x\n',
    ];
    for (const t of refused) assert.strictEqual(parseSimpleYaml(t), undefined, JSON.stringify(t));
  });

  it('is what parseYamlSafe uses only when asked', () => {
    const text = 'id: BL-1\nlabels: [a]\n';
    const fast = parseYamlSafe(text, { fast: true });
    assert.strictEqual(fast.doc, undefined);
    assert.deepStrictEqual(fast.value, { id: 'BL-1', labels: ['a'] });
    assert.ok(isMap(fast.contents));
    const slow = parseYamlSafe(text);
    assert.ok(slow.doc);
    assert.strictEqual(slow.contents, slow.doc.contents);
    // Outside the subset, the fast option falls back to the full parser, problems and all.
    const dup = parseYamlSafe('a: 1\na: 2\n', { fast: true });
    assert.ok(dup.doc);
    assert.ok(dup.problems.some((p) => p.code === 'yaml-duplicate-key'));
    assert.strictEqual(parseYamlSafe('a: b\n', { fast: true, maxBytes: 2 }).problems[0].code, 'yaml-too-large');
  });
});
