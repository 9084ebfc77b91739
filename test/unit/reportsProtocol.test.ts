// The reports page's messages are checked before the host acts on them: what reaches a file
// (colours in an SVG, a PNG) and what opens one (ids) is refused unless it is what it claims.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_PNG_BASE64, parsePalette, parseReportsOptions, parseReportsRequest } from '../../src/protocol/reportsProtocol';

const TYPES = ['ready', 'setOptions', 'open', 'export', 'png', 'pngFailed', 'drawn'];

describe('reports messages', () => {
  const refused: [string, unknown][] = [
    ['not an object', 'ready'],
    ['an unknown type', { type: 'runGit', args: ['push'] }],
    ['an open of a path', { type: 'open', ref: { kind: 'item', id: '../../etc/passwd' } }],
    ['an open of another kind', { type: 'open', ref: { kind: 'file', id: 'BL-1' } }],
    ['an export as an executable', { type: 'export', format: 'exe', palette: {} }],
    ['a PNG without an id', { type: 'png', data: 'AAAA' }],
    ['a PNG with a negative id', { type: 'png', id: -1, data: 'AAAA' }],
    ['a PNG that is not text', { type: 'png', id: 1, data: [1, 2, 3] }],
    ['a PNG over the limit', { type: 'png', id: 1, data: 'A'.repeat(MAX_PNG_BASE64 + 4) }],
  ];
  for (const [name, message] of refused) {
    it(`refuses ${name}`, () => assert.ok('error' in parseReportsRequest(message)));
  }

  it('keeps only colours in a palette, so that nothing else reaches an SVG file', () => {
    const palette = parsePalette({
      remaining: '#3794ff',
      completed: 'rgb(137, 209, 133)',
      scope: 'rgba(180, 128, 215, 0.5)',
      ideal: 'red',
      added: '"/><script>alert(1)</script>',
      removed: 'url(http://evil.example/x)',
      background: '#1e1e1e',
      bogusRole: '#000',
    });
    assert.deepEqual(palette, { remaining: '#3794ff', completed: 'rgb(137, 209, 133)', scope: 'rgba(180, 128, 215, 0.5)', ideal: 'red', background: '#1e1e1e' });
    assert.deepEqual(parsePalette('red'), {});
  });

  it('falls back to the defaults for restored state that is junk', () => {
    assert.deepEqual(parseReportsOptions({ report: 'pie', sprint: '<b>', release: 'R-1', unit: 'hours', releaseMode: 'burndown', root: 3 }), {
      report: 'burndown',
      sprint: '',
      release: 'R-1',
      unit: 'points',
      releaseMode: 'burndown',
      root: '',
    });
  });

  it('never throws, and answers with an error or a known message whose palette holds only colours', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom(...TYPES), id: fc.anything(), data: fc.string(), format: fc.constantFrom('svg', 'png', 'csv', 'gif'), palette: fc.dictionary(fc.string(), fc.string()), options: fc.anything(), ref: fc.anything() }, { requiredKeys: ['type'] })),
        (raw) => {
          const r = parseReportsRequest(raw);
          if ('error' in r) return true;
          if (r.type === 'export') return Object.values(r.palette).every((c) => typeof c === 'string' && !/[<>"';{}]/.test(c));
          return TYPES.includes(r.type);
        },
      ),
    );
  });
});
