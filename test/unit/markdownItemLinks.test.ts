import * as assert from 'assert';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { findIds, itemLinks, ItemLinkOptions, LinkedItem } from '../../src/views/markdownItemLinks';
import { assertLinear } from './scaling';

const ITEMS: Record<string, LinkedItem> = {
  'BL-42': { id: 'BL-42', title: 'Offline <maps> & "tiles"', status: 'In Progress', done: false, path: '/ws/backlog/tasks/bl-42 - Offline-maps.md' },
  'BL-7': { id: 'BL-7', title: 'Done one', status: 'Done', done: true, path: '/ws/backlog/completed/bl-7 - Done-one.md' },
  'BL-3.1': { id: 'BL-3.1', title: 'A subtask', status: 'To Do', done: false, path: '/ws/backlog/tasks/bl-3.1 - A-subtask.md' },
};

const options: ItemLinkOptions = {
  prefixes: () => ['BL'],
  find: (id) => ITEMS[id.toUpperCase()],
  workspaceRelative: (p) => p.replace(/^\/ws\//, ''),
};

function render(src: string, currentDocument: { path: string; scheme: string } | null = { path: '/ws/docs/design.md', scheme: 'file' }, html = false): string {
  const md = new MarkdownIt({ html });
  md.use(itemLinks, options);
  return md.render(src, currentDocument ? { currentDocument } : {});
}

describe('item ids in the Markdown preview', () => {
  it('links an id to its file, relative to the document, with its status and title as the tooltip, text escaped', () => {
    assert.strictEqual(
      render('See BL-42.'),
      '<p>See <a href="../backlog/tasks/bl-42%20-%20Offline-maps.md" title="BL-42 · In Progress · Offline &lt;maps&gt; &amp; &quot;tiles&quot;" class="backlog-atlas-item" data-backlog-status="In Progress">BL-42</a>.</p>\n',
    );
  });

  it('strikes through a done item and links subtasks, from the workspace root when the document has no path', () => {
    const out = render('BL-7 and BL-3.1', null);
    assert.match(out, /<a href="\/backlog\/completed\/bl-7%20-%20Done-one\.md" title="BL-7 · Done \(done\) · Done one"[^>]*><s>BL-7<\/s><\/a>/);
    assert.match(out, /<a href="\/backlog\/tasks\/bl-3\.1%20-%20A-subtask\.md"[^>]*>BL-3\.1<\/a>/);
  });

  it('leaves ids alone in code spans, code blocks, existing links and raw anchors, and ids that name nothing', () => {
    const src = ['`BL-42` in code', '', '```', 'BL-42', '```', '', '    BL-42 indented', '', '[BL-42 is here](https://example.com) and <a href="x">BL-42</a>', '', 'BL-99, XBL-42, BL-42x, A-BL-42, BL-42-draft, UTF-8'].join('\n');
    const out = render(src, null, true);
    assert.ok(!out.includes('backlog-atlas-item'), out);
  });

  it('finds ids in one pass, as whole words only', () => {
    const prefixes = new Set(['BL', 'TASK']);
    assert.deepStrictEqual(
      findIds('BL-1, task-22.3. (BL-4) BL-5x xBL-6 BL- BL-7.', prefixes).map((m) => m.id),
      ['BL-1', 'task-22.3', 'BL-4', 'BL-7'],
    );
  });

  it('stays linear on hostile input: long runs of digits, dots, dashes and prefixes', () => {
    const prefixes = new Set(['BL']);
    const hostile: [string, (n: number) => string][] = [
      ['a long number', (n) => `BL-${'1'.repeat(n)}x`],
      ['a long dotted id', (n) => `BL-1${'.1'.repeat(n)}x`],
      ['prefixes without numbers', (n) => 'BL-'.repeat(n)],
      ['one long word', (n) => `${'B'.repeat(n)}-1`],
      ['many ids', (n) => 'BL-1 '.repeat(n)],
    ];
    for (const [what, make] of hostile) assertLinear(what, make, (text) => findIds(text, prefixes), { size: 5_000 });
    assertLinear('rendering many ids', (n) => 'BL-42 '.repeat(n), (text) => render(text), { size: 500, runs: 2 });
  });

  it('never changes the text of a paragraph, only wraps ids (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('BL-42', 'BL-7', ' ', 'x', '-', '.', '1', 'BL', 'bl-42', '\n'), { maxLength: 40 }), (parts) => {
        const src = parts.join('');
        const plain = new MarkdownIt().render(src);
        const linked = render(src).replace(/<a [^>]*>(?:<s>)?([^<]*)(?:<\/s>)?<\/a>/g, '$1');
        assert.strictEqual(linked, plain);
      }),
      { numRuns: 300 },
    );
  });
});
