import * as assert from 'assert';
import fc from 'fast-check';
import { memoryBacklog } from './helpers';

const config = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const P = '/ws/backlog/tasks/bl-1 - A.md';
const text = (eol: string) =>
  [
    '---',
    'id: BL-1',
    'title: A # kept',
    'status: To Do',
    "updated_date: '2026-11-21 09:30'",
    '---',
    '',
    '## Description',
    '',
    '<!-- SECTION:DESCRIPTION:BEGIN -->',
    'Keep  this.',
    '<!-- SECTION:DESCRIPTION:END -->',
    '',
    '## Acceptance Criteria',
    '<!-- AC:BEGIN -->',
    '- [ ] #1 First',
    '- [x] #2 Second',
    '<!-- AC:END -->',
    '',
    '## Definition of Done',
    '<!-- DOD:BEGIN -->',
    '- [ ] #1 Tests pass',
    '<!-- DOD:END -->',
    '',
  ].join(eol);

async function update(files: Record<string, string>, change: Parameters<Awaited<ReturnType<typeof memoryBacklog>>['writer']['updateItem']>[1]) {
  const b = await memoryBacklog(files);
  const r = await b.writer.updateItem('BL-1', change);
  if (!r.ok) return { message: r.message, text: Buffer.from(await b.ws.read(P)).toString() };
  await b.apply(r.operations);
  return { text: Buffer.from(await b.ws.read(P)).toString(), item: b.index.item('BL-1')!, summary: r.summary };
}

describe('updating an item in one edit (the agent tools)', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`ticks and unticks criteria by number, changing only their checkboxes (${JSON.stringify(eol)})`, async () => {
      const r = await update({ 'backlog/config.yml': config, 'backlog/tasks/bl-1 - A.md': text(eol) }, { body: { check: [1], uncheck: [2] } });
      assert.strictEqual(r.text, text(eol).replace('- [ ] #1', '- [x] #1').replace('- [x] #2', '- [ ] #2'));
    });

    it(`adds criteria before the AC end marker and notes in a new section, keeping line endings (${JSON.stringify(eol)})`, async () => {
      const r = await update({ 'backlog/config.yml': config, 'backlog/tasks/bl-1 - A.md': text(eol) }, { fields: [['estimate', 3]], body: { addCriteria: ['Third'], appendNotes: 'Line one\nLine two' } });
      assert.ok(r.item, r.message);
      assert.deepStrictEqual(r.item.acceptanceCriteria.map((c) => [c.index, c.checked, c.text]), [[1, false, 'First'], [2, true, 'Second'], [3, false, 'Third']]);
      assert.strictEqual(r.item.implementationNotes, 'Line one\nLine two');
      assert.strictEqual(r.item.estimate, 3);
      assert.ok(r.text.includes(`- [x] #2 Second${eol}- [ ] #3 Third${eol}<!-- AC:END -->`));
      assert.ok(r.text.endsWith(`## Implementation Notes${eol}${eol}<!-- SECTION:NOTES:BEGIN -->${eol}Line one${eol}Line two${eol}<!-- SECTION:NOTES:END -->${eol}`));
      assert.ok(!/[^\r]\n/.test(r.text) || eol === '\n', 'no bare LF in a CRLF file');
    });
  }

  it('appends a second note after the first, with a blank line, inside the markers', async () => {
    const files = { 'backlog/config.yml': config, 'backlog/tasks/bl-1 - A.md': `${text('\n')}\n## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\nFirst.\n<!-- SECTION:NOTES:END -->\n` };
    const r = await update(files, { body: { appendNotes: 'Second.' } });
    assert.ok(r.text.endsWith('<!-- SECTION:NOTES:BEGIN -->\nFirst.\n\nSecond.\n<!-- SECTION:NOTES:END -->\n'));
  });

  it('refuses what would break the file or its sections, writing nothing', async () => {
    const files = { 'backlog/config.yml': config, 'backlog/tasks/bl-1 - A.md': text('\n') };
    for (const [change, message] of [
      [{ body: { check: [9] } }, /no acceptance criterion #9 \(it has #1, #2\)/],
      [{ body: { addCriteria: ['two\nlines'] } }, /one line/],
      [{ body: { appendNotes: '## Sneaky section' } }, /heading/],
      [{ body: { appendNotes: '<!-- AC:END -->' } }, /HTML comment/],
      [{ fields: [['status', 'Shipped']] }, /not a status/],
      [{ fields: [['title', ' padded ']] }, /spaces/],
      [{}, /Nothing to change/],
    ] as const) {
      const r = await update(files, change);
      assert.match(r.message ?? '', message);
      assert.strictEqual(r.text, text('\n'));
    }
  });

  it('reads back any criterion text it adds, and changes no byte before the insertion', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }).filter((s) => s.trim() !== '' && !/[\r\n]/.test(s) && !/^ {0,3}#{1,2}(?:[ \t]|$)|<!--/.test(s)), async (t) => {
        const r = await update({ 'backlog/config.yml': config, 'backlog/tasks/bl-1 - A.md': text('\n') }, { body: { addCriteria: [t] } });
        if (!r.item) return; // A refusal (text Backlog.md would read differently) writes nothing: checked above.
        assert.strictEqual(r.item.acceptanceCriteria[2].text, t.replace(/\s+/g, ' ').trim());
        const at = text('\n').indexOf('<!-- AC:END -->');
        assert.strictEqual(r.text.slice(0, at).replace(/updated_date: '[^']*'/, ''), text('\n').slice(0, at).replace(/updated_date: '[^']*'/, ''));
      }),
      { numRuns: 150 },
    );
  });
});
