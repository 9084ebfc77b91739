import assert from 'node:assert/strict';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { storyMapHtml, storyMapMarkdown } from '../../src/views/storyMap/storyMapExport';
import { DEFAULT_STORY_MAP_OPTIONS, SliceView, StoryCard, StoryMapModel, StoryMapOptions, UNMAPPED, UNPLANNED } from '../../src/protocol/storyMapProtocol';

const HOSTILE = '<img src=x onerror=alert(1)> a | b';

function card(id: string, title: string, points: number, done = false): StoryCard {
  return { id, title, type: 'story', status: done ? 'Done' : 'To Do', points, done };
}

function sliceView(id: string, title: string, fields: Partial<SliceView> = {}): SliceView {
  return { id, kind: 'release', title, pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0, walkingSkeleton: false, ...fields };
}

/** Titles a test may replace, e.g. with hostile text. */
interface Titles {
  project: string;
  activity: string;
  step: string;
  slice: string;
  goal: string;
  card: string;
}

const PLAIN: Titles = { project: 'Trailmap', activity: 'Find a trail', step: 'Search trails', slice: '1.0', goal: 'Hikers find a trail', card: 'Trails nearby' };

/** Two activities (one without steps), releases 0.9 (past), 1.0 (skeleton), 2.0 (empty), Unplanned. */
function makeModel(t: Partial<Titles> = {}): StoryMapModel {
  const titles = { ...PLAIN, ...t };
  const cells = (search: StoryCard[], filter: StoryCard[], navigate: StoryCard[], unmapped: StoryCard[]) => ({ search, filter, navigate, [UNMAPPED]: unmapped });
  return {
    roots: ['backlog'],
    root: 'backlog',
    projectName: titles.project,
    hasStoryMap: true,
    activities: [
      { id: 'find', title: titles.activity, steps: [{ id: 'search', title: titles.step }, { id: 'filter', title: 'Filter by length' }] },
      { id: 'hike', title: 'Go hiking', steps: [{ id: 'navigate', title: 'Navigate' }] },
      { id: 'share', title: 'Share the hike', steps: [] },
    ],
    slices: [
      sliceView('R-0', '0.9', { dates: '2026-10-01', pointsDone: 2, pointsTotal: 2, itemsDone: 1, itemsTotal: 1 }),
      sliceView('R-1', titles.slice, { goal: titles.goal, dates: '2027-01-15', pointsDone: 3, pointsTotal: 9, itemsDone: 1, itemsTotal: 3, capacity: 84, capacityLabel: '≈ 84 pts at 21 per sprint', walkingSkeleton: true }),
      sliceView('R-2', '2.0'),
      sliceView(UNPLANNED, 'Unplanned', { kind: 'unplanned', pointsTotal: 1, itemsTotal: 2 }),
    ],
    rows: [
      { sliceId: 'R-0', cells: cells([], [card('BL-12', 'Filter by length', 2, true)], [], []) },
      { sliceId: 'R-1', cells: cells([card('BL-2', titles.card, 5), card('BL-1', 'Search by keyword', 3, true)], [], [], [card('BL-5', 'Trail photos', 1)]) },
      { sliceId: 'R-2', cells: cells([], [], [], []) },
      { sliceId: UNPLANNED, cells: cells([], [], [card('BL-4', 'Save as GPX', 1)], [card('BL-6', 'Weather on the trail', 0)]) },
    ],
    cardCount: 6,
  };
}

const OPTIONS: StoryMapOptions = DEFAULT_STORY_MAP_OPTIONS;

/** Index of each needle in order; fails if one is missing or out of order. */
function assertInOrder(text: string, needles: string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    assert.ok(at >= 0, `"${needle}" missing or out of order in:\n${text}`);
    from = at + needle.length;
  }
}

/** Every start tag in the document, by name. */
function tagNames(doc: string): string[] {
  return [...doc.matchAll(/<([A-Za-z][\w:-]*)/g)].map((m) => m[1].toLowerCase());
}

/**
 * A small well-formedness check: every `<` opens a tag, comment or doctype; tags nest and close;
 * attribute values are quoted; `&` starts an entity. `voids` have no end tag.
 */
function assertWellFormed(doc: string, voids = ['meta', 'br', 'hr']): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!DOCTYPE html>|<!--[\s\S]*?-->/y;
  const bareAmp = /&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)/;
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    assert.doesNotMatch(text, bareAmp, `bare & in text near ${JSON.stringify(text.slice(0, 60))}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(doc);
    assert.ok(m, `stray < at ${lt}: ${JSON.stringify(doc.slice(lt, lt + 60))}`);
    const [whole, closing, name, attributes, selfClosing] = m;
    if (name) {
      assert.doesNotMatch(attributes, bareAmp, `bare & in an attribute of <${name}>`);
      if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
      else if (!selfClosing && !voids.includes(name.toLowerCase())) stack.push(name);
    }
    i = lt + whole.length;
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

describe('story map export', () => {
  describe('as Markdown', () => {
    const md = storyMapMarkdown(makeModel(), OPTIONS);

    it('has a title, then one section per slice in order, Unplanned last', () => {
      assertInOrder(md, ['# Trailmap story map', '## 0.9 — 2/2 pts', '## 1.0 — Hikers find a trail — 3/9 pts (walking skeleton)', '## 2.0 — 0/0 pts', '## Unplanned — 0/1 pts']);
      assert.equal(md.match(/\(walking skeleton\)/g)?.length, 1);
      assert.ok(md.includes('Sliced by release; 6 stories.'));
      assert.ok(storyMapMarkdown(makeModel(), { ...OPTIONS, sliceBy: 'sprint' }).includes('Sliced by sprint'));
    });

    it('shows dates, capacity and items done under a slice header', () => {
      assertInOrder(md, ['## 1.0', '_2027-01-15 · ≈ 84 pts at 21 per sprint · 1/3 items done_']);
    });

    it('lists activities, steps and their cards with checkboxes and points, then the Unmapped column', () => {
      assertInOrder(md, [
        '## 1.0',
        '### Find a trail',
        '- Search trails',
        '  - [ ] BL-2 Trails nearby (5 pts)',
        '  - [x] BL-1 Search by keyword (3 pts)',
        '- Filter by length: no stories',
        '### Go hiking',
        '- Navigate: no stories',
        '### Share the hike',
        'No steps yet.',
        '### Unmapped',
        '- [ ] BL-5 Trail photos (1 pt)',
        '## 2.0',
        'No stories yet.',
        '## Unplanned',
        '  - [ ] BL-4 Save as GPX (1 pt)',
        '### Unmapped',
        '- [ ] BL-6 Weather on the trail\n',
      ]);
      assert.doesNotMatch(md.split('## 1.0')[0], /### Unmapped/, 'no Unmapped heading in a slice without unmapped cards');
    });

    it('renders headings and checkbox items in a Markdown viewer', () => {
      const html = new MarkdownIt().render(md);
      assert.ok(html.includes('<h2>1.0 — Hikers find a trail — 3/9 pts (walking skeleton)</h2>'), html);
      assert.ok(html.includes('<li>[x] BL-1 Search by keyword (3 pts)</li>'));
    });

    it('keeps hostile and Markdown-looking titles literal, even where HTML is allowed', () => {
      const hostile = storyMapMarkdown(makeModel({ card: HOSTILE, step: HOSTILE, slice: '# not *a* heading_', activity: '1. not a list', project: '[x](javascript:alert(1))' }), OPTIONS);
      assert.ok(hostile.includes('  - [ ] BL-2 \\<img src=x onerror=alert(1)\\> a \\| b (5 pts)'), hostile);
      const rendered = new MarkdownIt({ html: true, linkify: true }).render(hostile);
      assert.doesNotMatch(rendered, /<img|<script|<table|<a /);
      assert.ok(rendered.includes('BL-2 &lt;img src=x onerror=alert(1)&gt; a | b (5 pts)'), rendered);
      assert.ok(rendered.includes('<h2># not *a* heading_ —'));
      assert.ok(rendered.includes('<h3>1. not a list</h3>'));
      assert.ok(rendered.includes('<h1>[x](javascript:alert(1)) story map</h1>'));
      // A step title that looks like a list item stays the step's text, not a nested list.
      const listy = new MarkdownIt().render(storyMapMarkdown(makeModel({ step: '1. first' }), OPTIONS));
      assert.ok(listy.includes('<li>1. first'), listy);
      assert.doesNotMatch(listy, /<ol/);
    });
  });

  describe('as HTML', () => {
    const html = storyMapHtml(makeModel(), OPTIONS);

    it('is a well-formed standalone page that cannot run or load anything', () => {
      assertWellFormed(html);
      assert.match(html, /^<!DOCTYPE html>/);
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`));
      assert.doesNotMatch(html, /<script|<iframe|<object|<embed|<link|<img|@import|url\(|https?:/i);
      assert.doesNotMatch(html, /\son\w+=/i);
    });

    it('heads the grid with activities over their steps, and the Unmapped column', () => {
      assertInOrder(html, ['<thead>', 'colspan="2">Find a trail</th>', 'colspan="1">Go hiking</th>', 'colspan="1">Share the hike</th>', 'rowspan="2">Unmapped</th>', 'Search trails', 'Filter by length', 'Navigate', '</thead>']);
    });

    it('has one band per slice in order, the walking skeleton marked, cards in their cells', () => {
      assertInOrder(html, [
        '0.9 — 2/2 pts',
        'BL-12',
        '1.0 — Hikers find a trail — 3/9 pts<span class="badge">walking skeleton</span>',
        '2027-01-15 · ≈ 84 pts at 21 per sprint · 1/3 items done',
        'BL-2',
        'Trails nearby',
        'BL-1',
        'BL-5',
        '2.0 — 0/0 pts',
        'Unplanned — 0/1 pts',
        'BL-4',
        'BL-6',
      ]);
      assert.equal(html.match(/walking skeleton/g)?.length, 1);
      assert.equal(html.match(/<tr class="band/g)?.length, 4);
      // Every body row has one cell per column: 4 steps' worth (3 steps and a stepless activity) and Unmapped.
      for (const row of html.match(/<tr><td[\s\S]*?<\/tr>/g) ?? []) assert.equal(row.match(/<td>/g)?.length, 5, row);
    });

    it('reads in light and dark colour schemes', () => {
      assert.match(html, /@media \(prefers-color-scheme: dark\)/);
      assert.match(html, /color-scheme: light dark/);
    });

    it('shows a hostile title as text, not as an element', () => {
      const page = storyMapHtml(makeModel({ card: HOSTILE, step: HOSTILE, activity: HOSTILE, slice: HOSTILE, goal: HOSTILE, project: HOSTILE }), OPTIONS);
      assertWellFormed(page);
      assert.ok(!tagNames(page).includes('img'));
      assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt; a | b'));
    });

    it('leaves out the Unmapped column when nothing is unmapped, and says when there are no activities', () => {
      const m = makeModel();
      for (const row of m.rows) row.cells[UNMAPPED] = [];
      const page = storyMapHtml(m, OPTIONS);
      assertWellFormed(page);
      assert.ok(!page.includes('Unmapped'));
      const empty: StoryMapModel = { ...makeModel(), activities: [], rows: makeModel().rows.map((r) => ({ sliceId: r.sliceId, cells: { [UNMAPPED]: r.cells[UNMAPPED] } })) };
      const onlyUnmapped = storyMapHtml(empty, OPTIONS);
      assertWellFormed(onlyUnmapped);
      assert.ok(onlyUnmapped.includes('rowspan="1">Unmapped</th>'));
      const nothing = storyMapHtml({ ...empty, rows: empty.rows.map((r) => ({ sliceId: r.sliceId, cells: { [UNMAPPED]: [] } })) }, OPTIONS);
      assertWellFormed(nothing);
      assert.ok(nothing.includes('No activities yet'));
    });
  });

  describe('with any user text', () => {
    const hostile = fc.string({ unit: 'binary', maxLength: 30 }).map((s) => `<zz${s}`);
    const titles = fc.record({ project: hostile, activity: hostile, step: hostile, slice: hostile, goal: hostile, card: hostile });

    it('never lets a title open an element in HTML, and keeps the page well-formed', () => {
      fc.assert(
        fc.property(titles, (t) => {
          const page = storyMapHtml(makeModel(t), OPTIONS);
          assert.ok(!page.includes('<zz'));
          assertWellFormed(page);
        }),
        { numRuns: 150 },
      );
    });

    it('never leaves an unescaped < in Markdown', () => {
      fc.assert(
        fc.property(titles, (t) => {
          const md = storyMapMarkdown(makeModel(t), OPTIONS);
          assert.doesNotMatch(md, /(^|[^\\])</m);
          assert.doesNotMatch(new MarkdownIt({ html: true }).render(md), /<zz/);
        }),
        { numRuns: 150 },
      );
    });
  });
});
