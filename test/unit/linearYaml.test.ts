import * as assert from 'assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile } from '../../src/core/format/itemFile';
import { parseRoadmap } from '../../src/core/format/plans';
import { MAX_ALIAS_COUNT, MAX_YAML_DEPTH, MAX_YAML_TOKENS, parseYamlSafe } from '../../src/core/format/yamlSafe';
import { assertLinear, repeatTo } from './scaling';

// Backlog files are untrusted: whatever YAML a file holds, reading it takes time in proportion to
// its size and ends in a value or a diagnostic. Each hostile form below is timed at n and 16n
// (64 KiB and 1 MiB, or 256 KiB and 4 MiB for a roadmap.yml), and must say why it was refused.

const enc = (s: string) => new TextEncoder().encode(s);
const codes = (text: string, maxBytes = 8 << 20) => parseYamlSafe(text, maxBytes).problems.map((p) => p.code);
const KiB = 1024;

/** Forms of nesting, each a unit repeated to the size wanted; every one nests once per unit. */
const DEEP: [string, (n: number) => string][] = [
  ['flow lists', (n) => repeatTo(n, '[', 'x: ')],
  ['flow lists with spaces', (n) => repeatTo(n, '[ ', 'x: ')],
  ['flow mappings', (n) => repeatTo(n, '{a: ', 'x: ')],
  ['a quote inside a plain scalar, then flow lists', (n) => repeatTo(n, '[', 'x: [a "b, ')],
  ["a quote after a space in a flow list (`[a 'b [ [`)", (n) => repeatTo(n, '[ ', "x: [a 'b ")],
  ['an escaped quote, then a quote after a space', (n) => repeatTo(n, '[', 'x: ["a\\" "')],
  ['a doubled single quote, then a quote after a space', (n) => repeatTo(n, '[', "x: ['a'' ', ")],
  ['quoted items between the brackets', (n) => repeatTo(n, '[ "a", \'b\', ', 'x: ')],
  ['anchored flow lists', (n) => repeatTo(n, '&a [', 'x: ')],
  ['tagged flow mappings', (n) => repeatTo(n, '!t {k: ', 'x: ')],
  ['flow lists over lines, each more indented', (n) => `x: [\n${Array.from({ length: Math.ceil(Math.sqrt(2 * n)) }, (_, i) => ' '.repeat(i + 1) + '[').join('\n')}`],
  ['compact block lists', (n) => repeatTo(n, '- ', 'x:\n')],
  ['explicit keys', (n) => repeatTo(n, '? ')],
  ['explicit keys and values', (n) => repeatTo(n, '? - : ')],
  ['value indicators', (n) => repeatTo(n, ': ')],
  ['keys chained on one line', (n) => repeatTo(n, 'a: ', 'x: ')],
  ['keys chained over many lines', (n) => repeatTo(n, 'a: b: c\n')],
  ['a second value after each key', (n) => repeatTo(n, '"x"k: v\n', 'x: k: v\n')],
  ['block mappings, one space more each line', (n) => Array.from({ length: Math.ceil(Math.sqrt(2 * n)) }, (_, i) => ' '.repeat(i) + 'k:').join('\n')],
  ['block lists in mappings, one space more each line', (n) => Array.from({ length: Math.ceil(Math.sqrt(n)) }, (_, i) => `${' '.repeat(i)}k:\n${' '.repeat(i)}-`).join('\n')],
  ['lists and mappings mixed', (n) => repeatTo(n, '- [{? ', 'x:\n')],
];

describe('hostile YAML, read in linear time', function () {
  this.timeout(120_000);

  for (const [name, make] of DEEP) {
    it(`refuses ${name} as too deep, in linear time`, () => {
      assert.ok(codes(make(64 * KiB)).includes('yaml-too-deep'), `${name}: ${codes(make(64 * KiB)).join(', ')}`);
      assertLinear(name, make, (text) => parseYamlSafe(text, 8 << 20), { size: 64 * KiB });
    });
  }

  it('refuses a deep roadmap.yml of up to 4 MiB in linear time, whatever the form', () => {
    for (const [name, make] of DEEP.slice(0, 8)) {
      const diags = parseRoadmap('/ws/backlog/roadmap.yml', enc(make(4000 * KiB))).diagnostics;
      assert.ok(diags.some((d) => d.code === 'yaml-too-deep'), name);
      assertLinear(name, (n) => enc(make(n)), (bytes) => parseRoadmap('/ws/backlog/roadmap.yml', bytes), { size: 256 * KiB });
    }
  });

  it('refuses a deep item front matter in linear time', () => {
    const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };
    const make = (n: number) => enc(`---\nid: BL-1\ntitle: A\nassignee: @jo\n${repeatTo(n, '[', 'labels: [a "b, ')}\n---\n`);
    const r = parseItemFile('/ws/backlog/tasks/bl-1.md', make(64 * KiB), ctx);
    assert.ok(r.diagnostics.some((d) => d.code === 'yaml-too-deep'));
    assert.strictEqual(r.item, undefined);
    assertLinear('item front matter', make, (bytes) => parseItemFile('/ws/backlog/tasks/bl-1.md', bytes, ctx), { size: 60 * KiB });
  });

  it('refuses nesting past the limit in any mix of forms, and reads it up to the limit', () => {
    // One level of each kind: the text before and after the nested part. Flow levels can only
    // hold flow levels; quoted and plain neighbours with quotes in them come before the child.
    const flowLevels: [string, string][] = [
      ['[', ']'],
      ['[ ', ' ]'],
      ['{a: ', '}'],
      ['[ "x", ', ']'],
      ["['it''s', ", ']'],
      ['[a "b, ', ']'],
      ['&a [', ']'],
      ['!!seq [', ']'],
      ['[? ', ']'],
    ];
    const blockLevels = ['- ', 'k: ', '? ', '&a - '];
    const level = fc.oneof(fc.constantFrom(...flowLevels.map((l) => ({ flow: l }))), fc.constantFrom(...blockLevels.map((b) => ({ block: b }))));
    const text = (levels: ({ flow: [string, string] } | { block: string })[]) => {
      let head = 'x:\n';
      let tail = '';
      let indent = 0;
      let inFlow = false;
      for (const l of levels) {
        if ('flow' in l || inFlow) {
          const [open, close] = 'flow' in l ? l.flow : ['[', ']'];
          head += (inFlow ? '' : ' '.repeat(indent)) + open;
          tail = close + tail;
          inFlow = true;
        } else {
          // A block level on a line of its own, one space deeper: a compact `- - ` would nest
          // too, but a key's value must start on the next line.
          head += `${' '.repeat(indent)}${l.block}\n`;
          indent += l.block.startsWith('&') ? 3 : l.block.length === 3 ? 1 : 2;
        }
      }
      return `${head}${inFlow ? '' : ' '.repeat(indent)}v${tail}\n`;
    };
    fc.assert(
      fc.property(fc.array(level, { minLength: MAX_YAML_DEPTH + 1, maxLength: 3 * MAX_YAML_DEPTH }), (levels) => {
        assert.ok(codes(text(levels)).includes('yaml-too-deep'), JSON.stringify(text(levels)));
      }),
      { numRuns: 150 },
    );
    fc.assert(
      fc.property(fc.array(level, { maxLength: MAX_YAML_DEPTH - 4 }), (levels) => {
        assert.ok(!codes(text(levels)).includes('yaml-too-deep'), JSON.stringify(text(levels)));
      }),
      { numRuns: 150 },
    );
  });

  it('reads valid YAML nested up to the limit, in every style, as the yaml library writes it', () => {
    type Tree = string | number | boolean | null | Tree[] | { [k: string]: Tree };
    const leaf = fc.oneof(fc.constantFrom('a', 'b c', "it's", 'x: y', '#z', '"q"', '- d', '[e]', '? f', '&g', '*h', '|'), fc.integer(), fc.boolean(), fc.constant(null));
    // One arbitrary per depth, each built on the one below (both kinds share it).
    const byDepth: fc.Arbitrary<Tree>[] = [leaf];
    for (let d = 1; d <= MAX_YAML_DEPTH; d++) {
      const child = byDepth[d - 1];
      byDepth.push(
        fc.oneof(
          fc.tuple(child, fc.array(leaf, { maxLength: 2 })).map(([c, rest]): Tree => [c, ...rest]),
          fc.tuple(fc.constantFrom('k', 'a b', 'x:y'), child, leaf).map(([key, c, other]): Tree => ({ [key]: c, other })),
        ),
      );
    }
    const style = fc.constantFrom({}, { collectionStyle: 'flow' as const }, { indent: 1 }, { indentSeq: false }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultStringType: 'QUOTE_SINGLE' as const });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_YAML_DEPTH - 4 }).chain((d) => byDepth[d]), style, (value, options) => {
        const text = stringify(value, options);
        const r = parseYamlSafe(text);
        assert.deepStrictEqual(r.problems, [], text);
        assert.deepStrictEqual(r.value, value);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on a unit of YAML punctuation repeated, and stays linear', () => {
    const piece = fc.constantFrom('- ', '? ', ': ', 'a', 'b: ', '[', ']', '{', '}', ', ', '"', "'", '"x"', "'y'", ' ', '\t', '\n', '\n  ', '#c', ' #c', '&a ', '*a', '!t ', '|\n  x\n', '\\', ':', '-', '?', '%', '---\n');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 8 }), (pieces) => {
        const unit = pieces.join('');
        const make = (n: number) => repeatTo(n, unit, 'x: ');
        assert.doesNotThrow(() => parseYamlSafe(make(4 * KiB)));
        assertLinear(JSON.stringify(unit), make, (text) => parseYamlSafe(text, 8 << 20), { size: 4 * KiB, factor: 8, runs: 2 });
      }),
      { numRuns: 15 },
    );
  });

  it('refuses more than MAX_ALIAS_COUNT aliases, in linear time', () => {
    const make = (n: number) => repeatTo(n, ', *a', 'x: &a [1]\ny: [*a', ']');
    assert.ok(codes(make(64 * KiB)).includes('yaml-aliases'));
    assert.ok(!codes(make(0).replace(/(, \*a)+/, ', *a'.repeat(MAX_ALIAS_COUNT - 1))).includes('yaml-aliases'));
    assertLinear('aliases', make, (text) => parseYamlSafe(text, 8 << 20), { size: 64 * KiB });
  });

  it('refuses aliases that expand past the limit, or into themselves', () => {
    // Ten levels of nine: 9^10 values from 90 aliases.
    const laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 10; i++) laughs.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const r = parseYamlSafe(laughs.join('\n'));
    assert.deepStrictEqual(r.problems.map((p) => p.code), ['yaml-aliases']);
    assert.strictEqual(r.value, undefined);
    assert.deepStrictEqual(codes('a: &a [1, *a]'), ['yaml-aliases']);
    assert.deepStrictEqual(codes('a: &a {k: [*a]}'), ['yaml-aliases']);
    // A few aliases expanding to a few values are read, as they were.
    assert.deepStrictEqual(parseYamlSafe('d: &d {w: 1}\ns: [*d, *d]').value, { d: { w: 1 }, s: [{ w: 1 }, { w: 1 }] });
  });

  it('refuses more than MAX_YAML_TOKENS lines and values, in linear time, in every shape', () => {
    const shapes: [string, (n: number) => string][] = [
      ['list items', (n) => repeatTo(n, '- 1\n')],
      ['flow items', (n) => repeatTo(n, '1,', '[', ']')],
      ['empty flow items', (n) => repeatTo(n, ',', '[', ']')],
      ['keys', (n) => Array.from({ length: Math.ceil(n / 10) }, (_, i) => `k${i}: v`).join('\n')],
      ['one key, many times', (n) => repeatTo(n, 'k: v\n')],
      ['blank lines', (n) => repeatTo(n, '\n', 'a: 1\n')],
      ['comments', (n) => repeatTo(n, '#\n', 'a: 1\n')],
      ['anchors', (n) => repeatTo(n, '&a ', 'a: ', 'v')],
    ];
    for (const [name, make] of shapes) {
      assert.ok(codes(make(1024 * KiB)).includes('yaml-too-large'), name);
      // Below the limit the file is parsed, above it refused at once: time must never jump.
      assertLinear(name, make, (text) => parseYamlSafe(text, 8 << 20), { size: 16 * KiB, factor: 64, runs: 2 });
    }
    assert.ok(MAX_YAML_TOKENS >= 100_000, 'room for the biggest real plan files');
  });

  it('finds duplicate keys in linear time, and reports each where it is', () => {
    const make = (n: number) => Array.from({ length: Math.ceil(n / 10) }, (_, i) => `k${i % Math.ceil(n / 20)}: v`).join('\n');
    const text = make(2000);
    const r = parseYamlSafe(text);
    const dups = r.problems.filter((p) => p.code === 'yaml-duplicate-key');
    assert.strictEqual(dups.length, 100);
    assert.strictEqual(text.slice(dups[0].start, dups[0].start + 4), 'k0: ');
    assert.strictEqual(dups[0].message, '`k0` appears twice; keep one of them.');
    assertLinear('duplicate keys', make, (t) => parseYamlSafe(t, 8 << 20), { size: 16 * KiB, factor: 8, runs: 2 });
  });

  it('lists at most a hundred problems of one YAML text, and says how many more there are', () => {
    const r = parseYamlSafe(repeatTo(64 * KiB, ',', '[', ']'));
    assert.strictEqual(r.problems.length, 101);
    assert.strictEqual(r.problems[100].code, 'yaml-more-problems');
    assert.match(r.problems[100].message, /^[\d,]+ more YAML problems from here on are not listed\.$/);
  });
});
