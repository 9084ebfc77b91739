// The envelope every panel page shares with the host (src/protocol/page.ts) is checked the same
// way for every panel: a malformed `ready`, `setOptions` or `drawn` never reaches a panel.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { count, isId, isPageRequest, isPageUpdate, isRefused, parsePageRequest, parsePageState, Refused } from '../../src/protocol/page';
import { DEFAULT_REPORTS_OPTIONS, parseReportsRequest } from '../../src/protocol/reportsProtocol';
import { DEFAULT_ROADMAP_OPTIONS, parseRoadmapOptions, parseRoadmapRequest } from '../../src/protocol/roadmapProtocol';
import { DEFAULT_STORY_MAP_OPTIONS, parseStoryMapRequest } from '../../src/protocol/storyMapProtocol';

/** A panel of its own with one message, `ping`, and options that are a root only. */
type Own = { type: 'ping'; n: number };
const parseOptions = (raw: unknown) => ({ root: typeof raw === 'object' && raw !== null && typeof (raw as { root?: unknown }).root === 'string' ? (raw as { root: string }).root : '' });
const parseOwn = (m: Record<string, unknown> & { type: string }): Own | Refused | undefined => {
  if (m.type !== 'ping') return undefined;
  return typeof m.n === 'number' ? { type: 'ping', n: m.n } : { error: 'ping without n' };
};
const parse = (raw: unknown) => parsePageRequest(raw, parseOptions, parseOwn);

const PANELS: [string, (raw: unknown) => object][] = [
  ['test', parse],
  ['reports', parseReportsRequest],
  ['roadmap', parseRoadmapRequest],
  ['story map', parseStoryMapRequest],
];

describe('the page envelope', () => {
  describe('refuses a malformed envelope message, for every panel', () => {
    const malformed: [string, unknown][] = [
      ['undefined', undefined],
      ['null', null],
      ['a bare type', 'ready'],
      ['an array holding a message', [{ type: 'ready' }]],
      ['an object without a type', { options: { root: '' } }],
      ['a type that is not a string', { type: ['ready'] }],
      ['a type in the wrong case', { type: 'Ready' }],
      ['setOptions without options', { type: 'setOptions' }],
      ['setOptions with options that are a string', { type: 'setOptions', options: 'board' }],
      ['setOptions with options that are an array', { type: 'setOptions', options: [{ root: '' }] }],
      ['setOptions with null options', { type: 'setOptions', options: null }],
      ['state, which only the host sends', { type: 'state', model: {}, options: {} }],
      ['announce, which only the host sends', { type: 'announce', message: 'hi' }],
    ];
    for (const [panel, parsePanel] of PANELS) {
      for (const [name, raw] of malformed) {
        it(`${panel}: ${name}`, () => {
          const r = parsePanel(raw);
          assert.ok('error' in r, `refused, got ${JSON.stringify(r)}`);
          assert.equal(typeof r.error, 'string');
        });
      }
    }
  });

  it('takes a message the same way in every panel, keeping only the keys its type names', () => {
    for (const [, parsePanel] of PANELS) {
      assert.deepEqual(parsePanel({ type: 'ready', evil: '<script>' }), { type: 'ready' });
      assert.deepEqual(parsePanel({ type: 'drawn', cards: 12, ms: 3.5, extra: 1 }), { type: 'drawn', cards: 12, ms: 3.5 });
      assert.deepEqual(parsePanel({ type: 'drawn', cards: -1, ms: '7' }), { type: 'drawn', cards: 0, ms: 0 });
    }
  });

  it('checks options with the panel’s own check, so that junk options give its defaults', () => {
    assert.deepEqual(parseRoadmapRequest({ type: 'setOptions', options: { layout: 'grid', root: 42 } }), { type: 'setOptions', options: DEFAULT_ROADMAP_OPTIONS });
    assert.deepEqual(parseReportsRequest({ type: 'setOptions', options: { report: 'pie' } }), { type: 'setOptions', options: DEFAULT_REPORTS_OPTIONS });
    assert.deepEqual(parseStoryMapRequest({ type: 'setOptions', options: { sliceBy: 'epic' } }), { type: 'setOptions', options: DEFAULT_STORY_MAP_OPTIONS });
    assert.deepEqual(parse({ type: 'setOptions', options: { root: 'app/backlog', x: 1 } }), { type: 'setOptions', options: { root: 'app/backlog' } });
  });

  it('leaves a panel’s own messages to it, and refuses a type nobody knows', () => {
    assert.deepEqual(parse({ type: 'ping', n: 3 }), { type: 'ping', n: 3 });
    assert.deepEqual(parse({ type: 'ping' }), { error: 'ping without n' });
    const unknown = parse({ type: `runGit${'x'.repeat(1000)}` });
    assert.ok('error' in unknown && unknown.error.startsWith('unknown message type') && unknown.error.length < 100);
    assert.ok('error' in parse({ type: '__proto__' }));
  });

  it('tells the envelope’s messages from a panel’s own', () => {
    assert.equal(isPageRequest<unknown, Own>({ type: 'ready' }), true);
    assert.equal(isPageRequest<unknown, Own>({ type: 'drawn', cards: 0, ms: 0 }), true);
    assert.equal(isPageRequest<unknown, Own>({ type: 'ping', n: 1 }), false);
  });

  it('tells the host’s envelope messages from a panel’s own, which go to the page’s hook', () => {
    assert.equal(isPageUpdate<unknown, unknown, { type: 'renderPng'; id: number }>({ type: 'state', model: {}, options: {} }), true);
    assert.equal(isPageUpdate<unknown, unknown, { type: 'renderPng'; id: number }>({ type: 'announce', message: 'Moved.' }), true);
    assert.equal(isPageUpdate<unknown, unknown, { type: 'renderPng'; id: number }>({ type: 'renderPng', id: 1 }), false);
  });

  it('tells a refusal from a message, so that the host acts on none it refused', () => {
    assert.equal(isRefused(parse('ready')), true);
    assert.equal(isRefused(parse({ type: 'ping' })), true);
    assert.equal(isRefused(parse({ type: 'ready' })), false);
    assert.equal(isRefused(parse({ type: 'ping', n: 1 })), false);
  });

  it('names things by ids, never by paths', () => {
    for (const good of ['BL-1', 'R-1.0', 'save-route', 'a_b']) assert.ok(isId(good), good);
    for (const bad of ['', '../x', 'tasks/BL-1', 'BL-1\nrm', '-x', 'x'.repeat(65), 12, null]) assert.ok(!isId(bad), String(bad));
  });

  it('counts only finite numbers of at least zero', () => {
    assert.deepEqual([3, 0, 2.5, -1, NaN, Infinity, '4', null].map(count), [3, 0, 2.5, 0, 0, 0, 0, 0]);
  });

  it('revives options from saved state, and the defaults from junk', () => {
    assert.deepEqual(parsePageState({ options: { layout: 'timeline' } }, parseRoadmapOptions), { ...DEFAULT_ROADMAP_OPTIONS, layout: 'timeline' });
    for (const junk of [undefined, null, 'board', [], { options: 'board' }, { layout: 'timeline' }]) {
      assert.deepEqual(parsePageState(junk, parseRoadmapOptions), DEFAULT_ROADMAP_OPTIONS);
    }
  });

  it('never throws, and answers with an error or an envelope or own message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom('ready', 'setOptions', 'drawn', 'ping', 'state'), options: fc.anything(), cards: fc.anything(), ms: fc.anything(), n: fc.anything() }, { requiredKeys: ['type'] })), (raw) => {
        const r = parse(raw);
        return 'error' in r || ['ready', 'setOptions', 'drawn', 'ping'].includes(r.type);
      }),
    );
  });
});
