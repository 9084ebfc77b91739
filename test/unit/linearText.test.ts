import * as assert from 'assert';
import fc from 'fast-check';
import { parseBody } from '../../src/core/format/body';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile, preQuoteHandles } from '../../src/core/format/itemFile';
import { assertLinear, repeatTo } from './scaling';

// The text matchers that read backlog files (and the exports made from them) take time in
// proportion to their input, on the inputs that make a backtracking regex slow: long runs of
// spaces and tabs, and near-matches repeated. Each is also held to what it computed before.

const KiB = 1024;
const enc = (s: string) => new TextEncoder().encode(s);

/** The pattern preQuoteHandles used, quadratic on long runs of spaces: the oracle for short input. */
function quoteHandlesByRegex(yaml: string): string {
  return yaml.replace(/^([ \t]*(?:assignee|reporter):[ \t]*)(\S[^\r\n]*?)([ \t]*)(\r?)$/gm, (whole, head: string, value: string, space: string, cr: string) => {
    if (value.startsWith('[')) {
      const fixed = value.replace(/([[,]\s*)(@[^,\]\s]+)/g, '$1"$2"');
      return fixed === value ? whole : head + fixed + space + cr;
    }
    if (!value.startsWith('@')) return whole;
    return `${head}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"${space}${cr}`;
  });
}

describe('item file handles, quoted in linear time', function () {
  this.timeout(60_000);

  it('quotes exactly what the old pattern quoted, on any short text', () => {
    const piece = fc.constantFrom('assignee:', 'reporter:', 'assignee: ', ' ', '\t', '@', '@a', '[', ']', ',', '"', '\\', '\n', '\r', '\r\n', '\u2028', '\u2029', '\v', '\u00a0', 'x', 'assign', ':', '#', "'");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        assert.strictEqual(preQuoteHandles(text), quoteHandlesByRegex(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('stays linear on long runs of spaces and tabs, and on near-matches repeated', () => {
    const shape = fc.record({
      key: fc.constantFrom('assignee:', 'reporter:', '  assignee:'),
      value: fc.constantFrom('@a', '[@a', '[', 'x', '"@a', ''),
      run: fc.constantFrom(' ', '\t', ' \t', '\t ', ' ,'),
      end: fc.constantFrom('x', '', '\r', '\r\n', '@b', ', @c]', '\n'),
      lines: fc.constantFrom(1, 2, 50),
    });
    fc.assert(
      fc.property(shape, ({ key, value, run, end, lines }) => {
        const make = (n: number) => Array.from({ length: lines }, () => `${key} ${value}${run.repeat(Math.ceil(n / lines / run.length))}${end}`).join('\n');
        assertLinear(JSON.stringify({ key, value, run, end, lines }), make, preQuoteHandles, { size: 64 * KiB, runs: 2 });
      }),
      { numRuns: 12 },
    );
  });

  it('reads an item whose assignee line holds a megabyte of spaces, and says where the handle is', () => {
    const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };
    const make = (n: number) => enc(`---\nid: BL-1\ntitle: A\nassignee: @jo${' '.repeat(n)}\n---\n`);
    const r = parseItemFile('/ws/backlog/tasks/bl-1.md', make(1000 * KiB), ctx);
    assert.deepStrictEqual(r.item?.assignee, ['@jo']);
    assert.deepStrictEqual(r.diagnostics.map((d) => [d.code, d.line]), [['unquoted-handle', 3]]);
    assertLinear('item file', make, (bytes) => parseItemFile('/ws/backlog/tasks/bl-1.md', bytes, ctx), { size: 60 * KiB });
  });

  it('points the warning at the line it quoted, not at an earlier one it left alone', () => {
    const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };
    const r = parseItemFile('/ws/backlog/tasks/bl-1.md', enc(`---\nid: BL-1\ntitle: A\nreporter: "ann"\n\nassignee: [@jo, @al]\n---\n`), ctx);
    assert.deepStrictEqual(r.item?.assignee, ['@jo', '@al']);
    assert.deepStrictEqual(r.diagnostics.map((d) => [d.code, d.line]), [['unquoted-handle', 5]]);
  });
});

describe('item bodies, read in linear time', function () {
  this.timeout(60_000);

  it('reads a body of thousands of criteria sections in linear time, numbering each section on its own', () => {
    const unit = '## Acceptance Criteria\n- [ ] a\n- [x] #7 b\n- [ ] c\n## Notes\n- [ ] not a criterion\n';
    const make = (n: number) => repeatTo(n, unit);
    const body = parseBody(make(8 * KiB), 10);
    const sections = Math.ceil((8 * KiB) / unit.length);
    assert.strictEqual(body.acceptanceCriteria.length, 3 * sections);
    assert.deepStrictEqual(
      body.acceptanceCriteria.slice(0, 6).map((c) => [c.index, c.checked, c.text, c.line]),
      [
        [1, false, 'a', 11],
        [7, true, 'b', 12],
        [3, false, 'c', 13],
        [1, false, 'a', 17],
        [7, true, 'b', 18],
        [3, false, 'c', 19],
      ],
    );
    // Timed on the densest form, one criterion per section, from 32 KiB to 1 MiB: markdown-it's own
    // linear work dominates smaller inputs, and a filter per section only shows past thousands.
    const dense = (n: number) => repeatTo(n, '## Acceptance Criteria\n- [ ] a\n');
    assertLinear('criteria sections', dense, (text) => parseBody(text, 0), { size: 32 * KiB, factor: 32, slack: 3 });
  });
});
