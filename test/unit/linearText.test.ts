import * as assert from 'assert';
import fc from 'fast-check';
import { Backlog } from '../../src/core/backlog';
import { parseBody } from '../../src/core/format/body';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile, preQuoteHandles } from '../../src/core/format/itemFile';
import { applyEdits, setYamlKey } from '../../src/core/format/yamlEdit';
import { backlogHealth, DEFAULT_HEALTH_OPTIONS } from '../../src/views/backlogHealth';
import { escapeMarkdown } from '../../src/views/exportText';
import { stripTags } from '../../src/views/roadmap/roadmapExport';
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

/** The pattern escapeMarkdown folded line breaks with, quadratic on long runs of spaces: the oracle. */
const escapeMarkdownByRegex = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/[\\*_[\]<>|#`&~]/g, (c) => `\\${c}`);

describe('exports, health and edits, in linear time', function () {
  this.timeout(60_000);
  const whitespace = fc.constantFrom(' ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u2028', '\v', 'a', '*', '#', '<', '\\');

  it('escapes Markdown exactly as before, and in linear time on long runs of spaces', () => {
    fc.assert(
      fc.property(fc.array(whitespace, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        assert.strictEqual(escapeMarkdown(text), escapeMarkdownByRegex(text));
      }),
      { numRuns: 3000 },
    );
    for (const run of [' ', '\t ', ' \u00a0']) {
      for (const end of ['x', '\n', '']) assertLinear(`run ${JSON.stringify(run)} then ${JSON.stringify(end)}`, (n) => repeatTo(n, run, 'a', end), escapeMarkdown, { size: 64 * KiB });
    }
  });

  it('strips tags exactly as /<[^>]*>/g did, and in linear time on a run of < without >', () => {
    const piece = fc.constantFrom('<', '>', 'a', ' ', '<b>', '</p>');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        assert.strictEqual(stripTags(text), text.replace(/<[^>]*>/g, ''));
      }),
      { numRuns: 3000 },
    );
    assertLinear('<<<', (n) => '<'.repeat(n), stripTags, { size: 64 * KiB });
    assertLinear('<a<a', (n) => repeatTo(n, '<a'), stripTags, { size: 64 * KiB });
  });

  it('finds duplicate titles in linear time, however long their run of trailing punctuation', () => {
    const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };
    const backlogOf = (title: string) => {
      const b = new Backlog('/ws/backlog', '/ws');
      for (const n of [1, 2]) {
        const item = parseItemFile(`/ws/backlog/tasks/bl-${n}.md`, enc(`---\nid: BL-${n}\ntitle: ${JSON.stringify(title)}\n---\n`), ctx).item!;
        b.byKey.set(item.key, [item]);
      }
      return b;
    };
    const options = { today: '2026-11-21', ...DEFAULT_HEALTH_OPTIONS };
    const duplicates = (b: Backlog) => backlogHealth(b, options).findings.filter((f) => f.kind === 'duplicate-title').map((f) => f.itemIds);
    // Punctuation and spaces that end the title count for nothing; in the middle, they do.
    assert.deepStrictEqual(duplicates(backlogOf('Sign in' + ' !.'.repeat(1000))), [['BL-1', 'BL-2']]);
    assert.strictEqual(backlogOf('Sign in' + ' !.'.repeat(1000)).item('BL-1')!.title.length, 3007);
    for (const run of [' .', '!', ' !?', '\u2026']) {
      assertLinear(`title with ${JSON.stringify(run)}`, (n) => backlogOf(repeatTo(n, run, 'Sign in', ' x')), (b) => backlogHealth(b, options), { size: 16 * KiB });
    }
  });

  it('changes a block scalar with a long run of spaces in linear time', () => {
    const make = (n: number) => `id: BL-1\ndescription: |\n  first${' '.repeat(n)}last\n\n  more\ntitle: A\n`;
    const r = setYamlKey(make(100), [], 'description', 'new', '\n');
    assert.ok(r.ok);
    assert.strictEqual(applyEdits(make(100), r.edits), 'id: BL-1\ndescription: new\ntitle: A\n');
    assertLinear('block scalar', make, (text) => setYamlKey(text, [], 'description', 'new', '\n'), { size: 32 * KiB });
  });

  it('applies many edits to a long text in linear time', () => {
    const make = (n: number) => ({ text: 'abcdefgh'.repeat(n / 8), edits: Array.from({ length: n / 8 }, (_, i) => ({ offset: i * 8 + 2, length: 3, newText: 'X' })) });
    assert.strictEqual(applyEdits('abcdefghabcdefgh', make(16).edits), 'abXfghabXfgh');
    assertLinear('edits', make, ({ text, edits }) => applyEdits(text, edits), { size: 64 * KiB });
  });
});
