import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_ROADMAP_OPTIONS, parseRoadmapOptions, parseRoadmapRequest, RoadmapRequest } from '../../src/protocol/roadmapProtocol';

const KNOWN_TYPES = ['ready', 'setOptions', 'open', 'move', 'moveMenu', 'export', 'openLink', 'drawn'];
const HUGE = 'x'.repeat(100_000);

describe('roadmap messages from the webview', () => {
  describe('parseRoadmapRequest accepts', () => {
    const cases: [name: string, raw: unknown, expected: RoadmapRequest][] = [
      ['ready', { type: 'ready' }, { type: 'ready' }],
      ['ready with extra keys, dropped', { type: 'ready', evil: '<script>' }, { type: 'ready' }],
      ['setOptions', { type: 'setOptions', options: { layout: 'timeline', audience: 'stakeholder', scale: 'month', goal: 'G-1', theme: 'T-2', label: 'maps', root: 'backlog' } }, { type: 'setOptions', options: { layout: 'timeline', audience: 'stakeholder', scale: 'month', goal: 'G-1', theme: 'T-2', label: 'maps', root: 'backlog' } }],
      ['setOptions with junk options, as defaults', { type: 'setOptions', options: { layout: 'grid' } }, { type: 'setOptions', options: DEFAULT_ROADMAP_OPTIONS }],
      ['open an item', { type: 'open', ref: { kind: 'item', id: 'BL-12' } }, { type: 'open', ref: { kind: 'item', id: 'BL-12' } }],
      ['open a theme', { type: 'open', ref: { kind: 'theme', id: 'T-1' } }, { type: 'open', ref: { kind: 'theme', id: 'T-1' } }],
      ['open a goal', { type: 'open', ref: { kind: 'goal', id: 'G-1' } }, { type: 'open', ref: { kind: 'goal', id: 'G-1' } }],
      ['open a milestone', { type: 'open', ref: { kind: 'milestone', id: 'm-1' } }, { type: 'open', ref: { kind: 'milestone', id: 'm-1' } }],
      ['open a release', { type: 'open', ref: { kind: 'release', id: 'R-1.0' } }, { type: 'open', ref: { kind: 'release', id: 'R-1.0' } }],
      ['open the vision, id ignored', { type: 'open', ref: { kind: 'vision', id: '../x' } }, { type: 'open', ref: { kind: 'vision' } }],
      ['move a theme to now', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: 'now' }, { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: 'now' }],
      ['move an epic to next', { type: 'move', ref: { kind: 'item', id: 'BL-5' }, horizon: 'next' }, { type: 'move', ref: { kind: 'item', id: 'BL-5' }, horizon: 'next' }],
      ['move to later', { type: 'move', ref: { kind: 'item', id: 'BL-5' }, horizon: 'later' }, { type: 'move', ref: { kind: 'item', id: 'BL-5' }, horizon: 'later' }],
      ['move to a quarter', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '2027-Q2' }, { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '2027-Q2' }],
      ["move to '' (unschedule)", { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '' }, { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '' }],
      ['moveMenu', { type: 'moveMenu', ref: { kind: 'item', id: 'BL-5' } }, { type: 'moveMenu', ref: { kind: 'item', id: 'BL-5' } }],
      ['export markdown', { type: 'export', format: 'markdown' }, { type: 'export', format: 'markdown' }],
      ['export html', { type: 'export', format: 'html' }, { type: 'export', format: 'html' }],
      ['export svg', { type: 'export', format: 'svg' }, { type: 'export', format: 'svg' }],
      ['openLink https', { type: 'openLink', url: 'https://example.com/plan?q=1#x' }, { type: 'openLink', url: 'https://example.com/plan?q=1#x' }],
      ['openLink HTTP in capitals', { type: 'openLink', url: 'HTTP://example.com' }, { type: 'openLink', url: 'HTTP://example.com' }],
      ['openLink mailto', { type: 'openLink', url: 'mailto:team@example.com' }, { type: 'openLink', url: 'mailto:team@example.com' }],
      ['drawn', { type: 'drawn', cards: 42, ms: 12.5 }, { type: 'drawn', cards: 42, ms: 12.5 }],
      ['drawn with junk counts, as zero', { type: 'drawn', cards: -1, ms: Infinity }, { type: 'drawn', cards: 0, ms: 0 }],
      ['drawn with string counts, as zero', { type: 'drawn', cards: '42', ms: NaN }, { type: 'drawn', cards: 0, ms: 0 }],
    ];
    for (const [name, raw, expected] of cases) {
      it(name, () => assert.deepEqual(parseRoadmapRequest(raw), expected));
    }
  });

  describe('parseRoadmapRequest refuses', () => {
    const cases: [name: string, raw: unknown][] = [
      ['undefined', undefined],
      ['null', null],
      ['a string', 'ready'],
      ['a number', 42],
      ['an array', [{ type: 'ready' }]],
      ['an object without a type', { ref: { kind: 'item', id: 'BL-1' } }],
      ['a type that is not a string', { type: 42 }],
      ['an unknown type', { type: 'deleteEverything' }],
      ['a type in the wrong case', { type: 'READY' }],
      ['a prototype key as type', { type: '__proto__' }],
      ['a huge unknown type', { type: HUGE }],
      ['setOptions without options', { type: 'setOptions' }],
      ['setOptions with options that are not an object', { type: 'setOptions', options: 'board' }],
      ['open without a ref', { type: 'open' }],
      ['open of an unknown kind', { type: 'open', ref: { kind: 'file', id: 'BL-1' } }],
      ['open with an id holding /', { type: 'open', ref: { kind: 'item', id: 'tasks/BL-1' } }],
      ['open with an id ../x', { type: 'open', ref: { kind: 'item', id: '../x' } }],
      ['open with an empty id', { type: 'open', ref: { kind: 'item', id: '' } }],
      ['open with a huge id', { type: 'open', ref: { kind: 'item', id: HUGE } }],
      ['open with a numeric id', { type: 'open', ref: { kind: 'item', id: 12 } }],
      ['open with an id holding a newline', { type: 'open', ref: { kind: 'item', id: 'BL-1\nrm' } }],
      ['move to soon', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: 'soon' }],
      ['move to Now (not normalised here)', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: 'Now' }],
      ['move to 2027-Q5', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '2027-Q5' }],
      ['move to a quarter with spaces', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: ' 2027-Q1 ' }],
      ['move without a horizon', { type: 'move', ref: { kind: 'theme', id: 'T-1' } }],
      ['move to a null horizon', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: null }],
      ['move to a huge horizon', { type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: HUGE }],
      ['move of an id with /', { type: 'move', ref: { kind: 'item', id: 'a/b' }, horizon: 'now' }],
      ['move of ../x', { type: 'move', ref: { kind: 'item', id: '../x' }, horizon: 'now' }],
      ['move of a goal', { type: 'move', ref: { kind: 'goal', id: 'G-1' }, horizon: 'now' }],
      ['move of the vision', { type: 'move', ref: { kind: 'vision' }, horizon: 'now' }],
      ['moveMenu of a release', { type: 'moveMenu', ref: { kind: 'release', id: 'R-1' } }],
      ['moveMenu of ../x', { type: 'moveMenu', ref: { kind: 'theme', id: '../x' } }],
      ['export as pdf', { type: 'export', format: 'pdf' }],
      ['export without a format', { type: 'export' }],
      ['openLink javascript:', { type: 'openLink', url: 'javascript:alert(1)' }],
      ['openLink JavaScript: with spaces', { type: 'openLink', url: ' JavaScript:alert(1)' }],
      ['openLink data:', { type: 'openLink', url: 'data:text/html,<script>alert(1)</script>' }],
      ['openLink file:', { type: 'openLink', url: 'file:///etc/passwd' }],
      ['openLink command:', { type: 'openLink', url: 'command:workbench.action.terminal.new' }],
      ['openLink vscode:', { type: 'openLink', url: 'vscode://some.extension/run' }],
      ['openLink relative', { type: 'openLink', url: '../secrets.md' }],
      ['openLink huge', { type: 'openLink', url: `https://example.com/${HUGE}` }],
      ['openLink without a url', { type: 'openLink' }],
    ];
    for (const [name, raw] of cases) {
      it(name, () => {
        const r = parseRoadmapRequest(raw);
        assert.ok('error' in r, `refused, got ${JSON.stringify(r).slice(0, 200)}`);
        assert.equal(typeof r.error, 'string');
        assert.ok(r.error.length < 200, 'the reason stays short, whatever came in');
      });
    }
  });

  describe('parseRoadmapOptions', () => {
    it('keeps good options', () => {
      const good = { layout: 'timeline', audience: 'stakeholder', scale: 'month', goal: 'G-1', theme: 'T-1', label: 'Offline maps', root: 'app/backlog' } as const;
      assert.deepEqual(parseRoadmapOptions(good), good);
    });

    const junk: [name: string, raw: unknown][] = [
      ['undefined', undefined],
      ['null', null],
      ['a string', 'board'],
      ['an array', ['board']],
      ['an empty object', {}],
      ['unknown values', { layout: 'grid', audience: 'everyone', scale: 'week', goal: '../x', theme: 'a/b', label: 42, root: {} }],
      ['values of the wrong type', { layout: 1, audience: true, scale: null, goal: 7, theme: [], label: null, root: 5 }],
      ['huge strings', { goal: HUGE, theme: HUGE, label: HUGE, root: HUGE }],
      ['values in the wrong case', { layout: 'Board', audience: 'TEAM', scale: 'Month' }],
    ];
    for (const [name, raw] of junk) {
      it(`falls back to the defaults for ${name}`, () => assert.deepEqual(parseRoadmapOptions(raw), DEFAULT_ROADMAP_OPTIONS));
    }

    it('keeps the good fields of a partly bad state', () => {
      assert.deepEqual(parseRoadmapOptions({ layout: 'timeline', audience: 'nobody', label: 'maps' }), { ...DEFAULT_ROADMAP_OPTIONS, layout: 'timeline', label: 'maps' });
    });

    it('does not pick up fields from the prototype', () => {
      const raw = JSON.parse('{"__proto__": {"layout": "timeline", "goal": "G-1"}}') as unknown;
      assert.deepEqual(parseRoadmapOptions(raw), DEFAULT_ROADMAP_OPTIONS);
    });
  });

  describe('properties', () => {
    const check = (raw: unknown): boolean => {
      const r = parseRoadmapRequest(raw);
      if ('error' in r) return typeof r.error === 'string' && Object.keys(r).length === 1;
      return KNOWN_TYPES.includes(r.type);
    };

    it('never throws on any JSON value, and answers with an error or a known message', () => {
      fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 500 });
    });

    it('never throws on anything at all', () => {
      fc.assert(fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true }), check), { numRuns: 500 });
    });

    it('never throws on messages that look nearly right', () => {
      const near = fc.record(
        {
          type: fc.oneof(fc.constantFrom(...KNOWN_TYPES), fc.string()),
          ref: fc.oneof(fc.record({ kind: fc.constantFrom('item', 'theme', 'goal', 'milestone', 'release', 'vision', 'x'), id: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue()),
          horizon: fc.oneof(fc.constantFrom('now', 'next', 'later', '2027-Q2', '', 'soon'), fc.string(), fc.jsonValue()),
          options: fc.oneof(fc.dictionary(fc.constantFrom('layout', 'audience', 'scale', 'goal', 'theme', 'label', 'root'), fc.jsonValue()), fc.jsonValue()),
          format: fc.oneof(fc.constantFrom('markdown', 'html', 'svg'), fc.jsonValue()),
          url: fc.oneof(fc.webUrl(), fc.string(), fc.jsonValue()),
          cards: fc.jsonValue(),
          ms: fc.jsonValue(),
        },
        { requiredKeys: ['type'] },
      );
      fc.assert(
        fc.property(near, (raw) => {
          if (!check(raw)) return false;
          const r = parseRoadmapRequest(raw);
          if ('error' in r) return true;
          // Whatever got through names things by safe ids and moves only to real horizons.
          if ('ref' in r && 'id' in r.ref) assert.match(r.ref.id, /^[A-Za-z0-9][\w.-]{0,63}$/);
          if (r.type === 'move') assert.match(r.horizon, /^(now|next|later|\d{4}-Q[1-4]|)$/);
          if (r.type === 'openLink') assert.match(r.url, /^(https?:|mailto:)/i);
          if (r.type === 'setOptions') assert.deepEqual(parseRoadmapOptions(r.options), r.options, 'options are already clean');
          return true;
        }),
        { numRuns: 1000 },
      );
    });
  });
});
