// The sprint board page's messages are checked before the host acts on them.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_BOARD_OPTIONS, MAX_DRAGGED, parseBoardOptions, parseBoardRequest } from '../../src/protocol/boardProtocol';

describe('sprint board messages', () => {
  const refused: [string, unknown][] = [
    ['not an object', 'move'],
    ['an unknown type', { type: 'deleteEverything' }],
    ['a move with a path for an id', { type: 'move', ids: ['../../etc/passwd'], status: 'Done' }],
    ['a move of no cards', { type: 'move', ids: [], status: 'Done' }],
    ['a move of an unbounded list', { type: 'move', ids: Array.from({ length: MAX_DRAGGED + 1 }, (_, i) => `BL-${i}`), status: 'Done' }],
    ['a move without a status', { type: 'move', ids: ['BL-1'] }],
    ['a move to a status of several lines', { type: 'move', ids: ['BL-1'], status: 'Done\nrank: a0' }],
    ['a move next to a malformed id', { type: 'move', ids: ['BL-1'], status: 'Done', before: { id: 'x' } }],
    ['a move both before and after', { type: 'move', ids: ['BL-1'], status: 'Done', before: 'BL-2', after: 'BL-3' }],
    ['a Move to… of something else', { type: 'moveMenu', ids: 'BL-1' }],
    ['an open of a path', { type: 'open', id: '/etc/passwd' }],
    ['a Complete Sprint without a sprint', { type: 'completeSprint' }],
    ['a burndown of a path', { type: 'openBurndown', sprint: '../S-1' }],
  ];
  for (const [name, message] of refused) {
    it(`refuses ${name}`, () => assert.ok('error' in parseBoardRequest(message)));
  }

  it('accepts a move of several cards next to one, once each', () => {
    assert.deepEqual(parseBoardRequest({ type: 'move', ids: ['BL-1', 'BL-2', 'BL-1'], status: 'In Progress', after: 'BL-3', extra: 'dropped' }), { type: 'move', ids: ['BL-1', 'BL-2'], status: 'In Progress', after: 'BL-3' });
  });

  it('falls back to the defaults for restored state that is junk', () => {
    assert.deepEqual(parseBoardOptions({ scope: 'epic', scopeId: '../x', lanes: 'colour', text: 42, onlyMine: 'yes', root: 7 }), DEFAULT_BOARD_OPTIONS);
    assert.deepEqual(parseBoardOptions({ scope: 'release', scopeId: 'R-1', lanes: 'epic', text: ' a\nb ', onlyMine: true }), { ...DEFAULT_BOARD_OPTIONS, scope: 'release', scopeId: 'R-1', lanes: 'epic', text: ' a b ', onlyMine: true });
  });

  it('never throws, and what passes holds only the keys its type names', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const r = parseBoardRequest(raw);
        if ('error' in r) return;
        const allowed: Record<string, string[]> = { ready: [], setOptions: ['options'], drawn: ['cards', 'ms'], open: ['id'], move: ['ids', 'status', 'before', 'after'], moveMenu: ['ids'], completeSprint: ['sprint'], openBurndown: ['sprint'] };
        for (const k of Object.keys(r)) if (k !== 'type') assert.ok(allowed[r.type].includes(k), `${r.type}.${k}`);
      }),
    );
  });
});
