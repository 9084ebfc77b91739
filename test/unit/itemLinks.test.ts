import * as assert from 'assert';
import fc from 'fast-check';
import { frontMatterLinks } from '../../src/core/format/itemLinks';

const values = (text: string) => frontMatterLinks(text).map((v) => [v.key, v.kind, v.value, text.slice(v.start, v.end)]);

describe('links in an item file’s front matter', () => {
  it('finds each value of the linking keys, in flow and block lists, quoted or not', () => {
    const text = [
      '---',
      'id: BL-2',
      'title: "dependencies: [BL-9]"',
      'dependencies: [BL-1, "BL-3"]  # the first two',
      'parent_task_id: BL-1',
      'documentation:',
      '  - docs/offline.md',
      "  - 'backlog/docs/doc-1 - Plan.md'",
      'references: [https://example.com/a?b=c#frag]',
      'labels: [docs/offline.md]',
      '---',
      'dependencies: [BL-7]',
      '',
    ].join('\r\n');
    assert.deepStrictEqual(values(text), [
      ['dependencies', 'item', 'BL-1', 'BL-1'],
      ['dependencies', 'item', 'BL-3', 'BL-3'],
      ['parent_task_id', 'item', 'BL-1', 'BL-1'],
      ['documentation', 'path', 'docs/offline.md', 'docs/offline.md'],
      ['documentation', 'path', 'backlog/docs/doc-1 - Plan.md', 'backlog/docs/doc-1 - Plan.md'],
      ['references', 'path', 'https://example.com/a?b=c#frag', 'https://example.com/a?b=c#frag'],
    ]);
  });

  it('finds nothing in a file without front matter, or in the body', () => {
    assert.deepStrictEqual(frontMatterLinks('dependencies: [BL-1]\n'), []);
    assert.deepStrictEqual(frontMatterLinks('---\nid: BL-1\n---\ndependencies: [BL-2]\n'), []);
  });

  it('never throws, gives spans inside the text that hold the value, and stays linear', () => {
    const piece = fc.constantFrom('dependencies:', 'documentation:', ' [', ']', ',', ' - ', '"', "'", '#', 'BL-1', '\n', '\r\n', ' ', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = `---\n${parts.join('')}\n---\n`;
        for (const v of frontMatterLinks(text)) {
          assert.ok(v.start >= 0 && v.end <= text.length && v.start < v.end);
          assert.strictEqual(text.slice(v.start, v.end), v.value);
        }
      }),
      { numRuns: 500 },
    );
    const time = (n: number) => {
      const text = `---\ndependencies: [${'BL-1, '.repeat(n)}]\ndocumentation:\n${'  - a\n'.repeat(n)}---\n`;
      const t0 = process.hrtime.bigint();
      frontMatterLinks(text);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    time(1000);
    const small = Math.max(time(20_000), 1);
    const big = time(200_000);
    assert.ok(big < small * 40, `10x the input took ${(big / small).toFixed(1)}x as long (${small.toFixed(1)} ms, ${big.toFixed(1)} ms)`);
  });
});
