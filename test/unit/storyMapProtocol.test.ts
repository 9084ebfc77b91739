// The story map page's messages are checked before the host acts on them.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseStoryMapOptions, parseStoryMapRequest } from '../../src/protocol/storyMapProtocol';

const TYPES = ['ready', 'setOptions', 'open', 'move', 'moveMenu', 'addStory', 'addStep', 'addActivity', 'rename', 'export', 'drawn'];

describe('story map messages', () => {
  const refused: [string, unknown][] = [
    ['not an object', 'move'],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a move with a path for an id', { type: 'move', id: '../../etc/passwd', step: '', slice: '' }],
    ['a move with a step that is not an id', { type: 'move', id: 'BL-1', step: 'a/b', slice: '' }],
    ['a move next to a malformed id', { type: 'move', id: 'BL-1', step: '', slice: '', before: { id: 'x' } }],
    ['a story with an empty title', { type: 'addStory', step: '', slice: '', title: '  \n ' }],
    ['a story with a huge title', { type: 'addStory', step: '', slice: '', title: 'x'.repeat(201) }],
    ['a rename of something else', { type: 'rename', kind: 'file', id: 'a', title: 'b' }],
    ['an export as an executable', { type: 'export', format: 'exe' }],
  ];
  for (const [name, message] of refused) {
    it(`refuses ${name}`, () => assert.ok('error' in parseStoryMapRequest(message)));
  }

  it('accepts a move with a neighbour and makes titles one line', () => {
    assert.deepEqual(parseStoryMapRequest({ type: 'move', id: 'BL-1', step: 'find', slice: '', after: 'BL-2' }), { type: 'move', id: 'BL-1', step: 'find', slice: '', before: undefined, after: 'BL-2' });
    assert.deepEqual(parseStoryMapRequest({ type: 'addStory', step: 'find', slice: 'R-1', title: ' Offline\n maps ' }), { type: 'addStory', step: 'find', slice: 'R-1', title: 'Offline maps' });
  });

  it('falls back to the defaults for restored state that is junk', () => {
    assert.deepEqual(parseStoryMapOptions({ sliceBy: 'epic', collapsedSlices: ['R-1', 7, '../x'], root: 42 }), { sliceBy: 'release', collapsedActivities: [], collapsedSlices: ['R-1'], root: '' });
  });

  it('never throws, and answers with an error or a known message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom(...TYPES), id: fc.string(), step: fc.string(), slice: fc.string(), title: fc.string(), options: fc.anything(), ref: fc.anything() }, { requiredKeys: ['type'] })), (raw) => {
        const r = parseStoryMapRequest(raw);
        return 'error' in r || TYPES.includes(r.type);
      }),
    );
  });
});
