import * as assert from 'assert';
import { parseBody } from '../../src/core/format/body';

describe('item bodies', () => {
  const body = [
    '## Description',
    '',
    '<!-- SECTION:DESCRIPTION:BEGIN -->',
    'As a hiker I want **offline** maps.',
    '<!-- SECTION:DESCRIPTION:END -->',
    '',
    '## Acceptance Criteria',
    '<!-- AC:BEGIN -->',
    '- [x] #1 Tiles download',
    '- [ ] #2 Works in flight mode',
    '  continued on the next line',
    '<!-- AC:END -->',
    '',
    '## Definition of Done',
    '<!-- DOD:BEGIN -->',
    '- [ ] #1 Tests pass',
    '<!-- DOD:END -->',
    '',
    '```md',
    '## Not a heading',
    '- [x] #9 not a criterion',
    '```',
  ].join('\n');

  it('reads description, acceptance criteria and definition of done with file lines', () => {
    const r = parseBody(body, 10);
    assert.strictEqual(r.description, 'As a hiker I want **offline** maps.');
    assert.deepStrictEqual(
      r.acceptanceCriteria.map((c) => [c.index, c.checked, c.text, c.line]),
      [
        [1, true, 'Tiles download', 18],
        [2, false, 'Works in flight mode continued on the next line', 19],
      ],
    );
    assert.deepStrictEqual(r.definitionOfDone.map((c) => c.text), ['Tests pass']);
    assert.deepStrictEqual(r.sections.map((s) => s.title), ['Description', 'Acceptance Criteria', 'Definition of Done']);
  });

  it('reads legacy "Acceptance Criteria (Optional)" and unnumbered boxes', () => {
    const r = parseBody('## Acceptance Criteria (Optional)\n\n- [ ] First\n- [X] Second\n', 0);
    assert.deepStrictEqual(r.acceptanceCriteria.map((c) => [c.index, c.checked, c.text]), [
      [1, false, 'First'],
      [2, true, 'Second'],
    ]);
  });

  it('takes text before the first heading as the description of hand-written items', () => {
    assert.strictEqual(parseBody('\nJust a note.\n\n## Notes\nx\n', 0).description, 'Just a note.');
  });
});
