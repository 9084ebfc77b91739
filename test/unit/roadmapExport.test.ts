import * as assert from 'assert';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { roadmapHtml, roadmapMarkdown, roadmapSvg } from '../../src/views/roadmap/roadmapExport';
import { layOutLanes } from '../../src/views/roadmap/roadmapModel';
import { renderSafeMarkdown } from '../../src/views/safeMarkdown';
import {
  DEFAULT_ROADMAP_OPTIONS,
  ProgressView,
  RoadmapEpicView,
  RoadmapModel,
  RoadmapOptions,
  RoadmapStoryView,
} from '../../src/protocol/roadmapProtocol';

const HOSTILE = '<img src=x onerror=alert(1)> | pipe';

function progress(pointsDone: number, pointsTotal: number, itemsDone = 0, itemsTotal = 0): ProgressView {
  return { pointsDone, pointsTotal, itemsDone, itemsTotal };
}

function story(id: string, title: string, done: boolean): RoadmapStoryView {
  return { id, title, status: done ? 'Done' : 'To Do', points: 3, done };
}

function epic(id: string, title: string, fields: Partial<RoadmapEpicView> = {}): RoadmapEpicView {
  return { id, title, status: 'In Progress', done: false, labels: [], column: 'now', progress: progress(3, 8, 1, 2), stories: [], ...fields };
}

/** Titles a test may replace, e.g. with hostile text. */
interface Titles {
  project: string;
  theme: string;
  epic: string;
  story: string;
  goal: string;
  marker: string;
  vision: string;
}

const PLAIN: Titles = { project: 'Trailmap', theme: HOSTILE, epic: 'Tile cache', story: 'Download tiles', goal: 'Hikers trust the app', marker: 'Beta', vision: 'Every hiker finds the way home.' };

/**
 * Three themes (now, later, unscheduled), epics with stories, two markers, Q4 2026 to Q3 2027;
 * laid out on the timeline as the model lays out a real backlog's (`rows` and places come from
 * `layOutLanes`).
 */
function makeModel(t: Partial<Titles> = {}): RoadmapModel {
  const titles = { ...PLAIN, ...t };
  const model: RoadmapModel = {
    roots: ['backlog'],
    root: 'backlog',
    projectName: titles.project,
    hasRoadmap: true,
    vision: titles.vision,
    goals: [{ id: 'G-1', title: titles.goal, descriptionHtml: renderSafeMarkdown('Fewer *lost* hikers.'), themeIds: ['T-1', 'T-2'], progress: progress(5, 21) }],
    themes: [
      {
        id: 'T-1',
        title: 'Offline maps',
        kind: 'theme',
        goal: 'G-1',
        descriptionHtml: renderSafeMarkdown('Maps that work **without signal**.'),
        horizon: 'now',
        column: 'now',
        span: { start: '2026-10-01', end: '2027-01-01', open: false },
        overdue: false,
        progress: progress(5, 13, 2, 5),
        rows: 0,
        epics: [
          epic('E-1', titles.epic, { span: { start: '2026-10-01', end: '2027-01-01', open: false }, stories: [story('S-1', titles.story, true), story('S-2', 'Evict old tiles', false)] }),
          epic('E-2', 'Route sharing', {
            horizon: 'next',
            column: 'next',
            span: { start: '2027-01-01', end: '2027-04-01', open: false },
            release: { id: 'R-1', name: '1.0', date: '2027-03-01' },
          }),
        ],
      },
      {
        id: 'T-2',
        title: 'Partner API',
        kind: 'initiative',
        goal: 'G-1',
        descriptionHtml: '',
        horizon: 'later',
        column: 'later',
        span: { start: '2027-04-01', end: '2027-10-01', open: true },
        overdue: false,
        progress: progress(0, 8),
        rows: 0,
        epics: [epic('E-3', 'Public REST API', { column: 'later', span: { start: '2027-04-01', end: '2027-10-01', open: true }, progress: progress(0, 8, 0, 3) })],
      },
      {
        id: 'T-3',
        title: titles.theme,
        kind: 'theme',
        descriptionHtml: renderSafeMarkdown('See [docs](https://example.com/docs) & [bad](javascript:alert(1)) <script>x</script>'),
        column: 'unscheduled',
        overdue: false,
        progress: progress(0, 0),
        rows: 0,
        epics: [epic('E-4', 'Night mode', { column: 'unscheduled' })],
      },
    ],
    epicsWithoutTheme: [epic('E-9', 'Crash reporting', { column: 'next' })],
    rowsWithoutTheme: 0,
    markers: [
      { kind: 'release', id: 'R-1', title: '1.0', date: '2027-03-01' },
      { kind: 'milestone', id: 'M-1', title: titles.marker, date: '2026-12-15' },
    ],
    timeline: {
      today: '2026-11-21',
      start: '2026-10-01',
      end: '2027-10-01',
      periods: [
        { id: '2026-Q4', label: 'Q4 2026', start: '2026-10-01', end: '2027-01-01' },
        { id: '2027-Q1', label: 'Q1 2027', start: '2027-01-01', end: '2027-04-01' },
        { id: '2027-Q2', label: 'Q2 2027', start: '2027-04-01', end: '2027-07-01' },
        { id: '2027-Q3', label: 'Q3 2027', start: '2027-07-01', end: '2027-10-01' },
      ],
    },
    filterChoices: { goals: [], themes: [], labels: [] },
    moveTargets: ['now', 'next', 'later'],
  };
  return { ...model, ...layOutLanes(model.themes, model.epicsWithoutTheme, model.timeline) };
}

const TEAM: RoadmapOptions = { ...DEFAULT_ROADMAP_OPTIONS, audience: 'team', layout: 'board' };
const STAKEHOLDER: RoadmapOptions = { ...TEAM, audience: 'stakeholder' };
const TIMELINE: RoadmapOptions = { ...TEAM, layout: 'timeline' };

/** Index of each needle in order; fails if one is missing or out of order. */
function assertInOrder(text: string, needles: string[]): void {
  let from = 0;
  for (const needle of needles) {
    const at = text.indexOf(needle, from);
    assert.ok(at >= 0, `"${needle}" missing or out of order`);
    from = at + needle.length;
  }
}

function attrs(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/\s([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** Every start tag in the document, with its name and attributes. */
function tags(doc: string): { name: string; attrs: Record<string, string> }[] {
  return [...doc.matchAll(/<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*\/?>/g)].map((m) => ({ name: m[1], attrs: attrs(m[0]) }));
}

/**
 * Each bar of an SVG timeline lies inside the lane drawn before it, and no two bars cover the
 * same spot: what a reader would see as a bar in the wrong lane, or bars over each other.
 */
function assertBarsInLanes(svg: string): void {
  const n = (v: string | undefined) => Number(v);
  let lane: { top: number; bottom: number } | undefined;
  const bars: { x0: number; x1: number; y0: number; y1: number }[] = [];
  for (const t of tags(svg)) {
    if (t.name !== 'rect') continue;
    if (t.attrs.class === 'rt-lane') lane = { top: n(t.attrs.y), bottom: n(t.attrs.y) + n(t.attrs.height) };
    if (t.attrs.class !== 'rt-bar' && t.attrs.class !== 'rt-bar rt-epic') continue;
    const bar = { x0: n(t.attrs.x), x1: n(t.attrs.x) + n(t.attrs.width), y0: n(t.attrs.y), y1: n(t.attrs.y) + n(t.attrs.height) };
    assert.ok(lane && bar.y0 >= lane.top && bar.y1 <= lane.bottom, `a bar at y ${bar.y0}–${bar.y1} outside its lane ${JSON.stringify(lane)}`);
    for (const other of bars) {
      const overlap = bar.x0 < other.x1 && other.x0 < bar.x1 && bar.y0 < other.y1 && other.y0 < bar.y1;
      assert.ok(!overlap, `bars over each other: ${JSON.stringify(bar)} and ${JSON.stringify(other)}`);
    }
    bars.push(bar);
  }
}

/**
 * A small well-formedness check: every `<` opens a tag, comment or doctype; tags nest and close;
 * attribute values are quoted; `&` starts an entity; no control characters. `voids` are HTML
 * elements without an end tag.
 */
function assertWellFormed(doc: string, voids: string[] = []): void {
  // eslint-disable-next-line no-control-regex -- characters XML 1.0 does not allow at all
  assert.doesNotMatch(doc, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/, 'a character XML forbids');
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!DOCTYPE html>|<!--[\s\S]*?-->/y;
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    assert.doesNotMatch(text, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/, `bare & in text near ${JSON.stringify(text.slice(0, 60))}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(doc);
    assert.ok(m, `stray < at ${lt}: ${JSON.stringify(doc.slice(lt, lt + 60))}`);
    const [whole, closing, name, attributes, selfClosing] = m;
    if (name) {
      assert.doesNotMatch(attributes, /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/, `bare & in attribute of <${name}>`);
      if (closing) assert.strictEqual(stack.pop(), name, `</${name}> closes the wrong element`);
      else if (!selfClosing && !voids.includes(name.toLowerCase())) stack.push(name);
    }
    i = lt + whole.length;
  }
  assert.deepStrictEqual(stack, [], 'unclosed elements');
}

const HTML_VOIDS = ['meta', 'br', 'hr'];

describe('roadmap export', () => {
  describe('as Markdown', () => {
    const team = roadmapMarkdown(makeModel(), TEAM);
    const stakeholder = roadmapMarkdown(makeModel(), STAKEHOLDER);

    it('has title, vision, goals, the four columns and the milestones, in that order', () => {
      assertInOrder(team, [
        '# Trailmap roadmap',
        '> Every hiker finds the way home.',
        '## Goals',
        '- Hikers trust the app (G-1): 5/21 points',
        '## Now',
        '### Offline maps (T-1, theme)',
        '## Next',
        '## Later',
        '### Partner API (T-2, initiative)',
        '## Unscheduled',
        '(T-3, theme)',
        '## Epics without a theme',
        '- Crash reporting (E-9) (in Next)',
        '## Milestones and releases',
        '- 2026-12-15: Milestone Beta (M-1)',
        '- 2027-03-01: Release 1.0 (R-1)',
      ]);
      assert.match(team, /## Next\n\nNothing here yet\.\n/);
    });

    it('gives each theme its goal, progress and description as plain text', () => {
      assertInOrder(team, ['### Offline maps (T-1, theme)', 'Goal: Hikers trust the app', 'Progress: 5/13 points, 2/5 items done', 'Maps that work without signal.']);
      assert.ok(team.includes('See docs \\& \\[bad\\](javascript:alert(1)) \\<script\\>x\\</script\\>'), team);
      assert.doesNotMatch(team, /Overdue/);
      const overdue = makeModel();
      overdue.themes[0].overdue = true;
      assertInOrder(roadmapMarkdown(overdue, TEAM), ['### Offline maps', '**Overdue:**', '## Next']);
    });

    it('lists epics with progress, release and story checkboxes for the team, under their theme even when moved', () => {
      assertInOrder(team, [
        '### Offline maps (T-1, theme)',
        '- Tile cache (E-1): 3/8 points, 1/2 items done',
        '  - [x] Download tiles (S-1)',
        '  - [ ] Evict old tiles (S-2)',
        '- Route sharing (E-2) (in Next): 3/8 points, 1/2 items done, release 1.0 (2027-03-01)',
        '## Next',
      ]);
      assert.doesNotMatch(team, /Tile cache \(E-1\) \(in/, 'an epic in its theme\'s column gets no note');
    });

    it('leaves epics, stories and theme-less epics out of the stakeholder view', () => {
      for (const teamOnly of ['Tile cache', 'Download tiles', '[x]', '[ ]', 'Epics without a theme', 'Crash reporting']) {
        assert.ok(!stakeholder.includes(teamOnly), `stakeholder view shows ${teamOnly}`);
      }
      assertInOrder(stakeholder, ['> Every hiker', '## Goals', '## Now', '### Offline maps', 'Progress: 5/13', '## Milestones and releases', 'Beta']);
    });

    it('keeps hostile titles literal when a Markdown viewer renders the export, even one that allows HTML', () => {
      assert.ok(team.includes('### \\<img src=x onerror=alert(1)\\> \\| pipe (T-3, theme)'));
      const rendered = new MarkdownIt({ html: true }).render(team);
      assert.doesNotMatch(rendered, /<img|<script|<table/);
      assert.ok(rendered.includes('<h3>&lt;img src=x onerror=alert(1)&gt; | pipe (T-3, theme)</h3>'), rendered);
      const marks = roadmapMarkdown(makeModel({ epic: '# not *a* heading_', story: '[link](https://x.example) `code`' }), TEAM);
      const html = new MarkdownIt().render(marks);
      assert.ok(html.includes('# not *a* heading_ (E-1)'));
      assert.ok(html.includes('[link](https://x.example) `code` (S-1)'));
    });

    it('says which filter was on, so a partial export is not mistaken for the whole', () => {
      assert.match(roadmapMarkdown(makeModel(), { ...TEAM, goal: 'G-1', label: 'mobile' }), /Showing only goal Hikers trust the app, label mobile\./);
      assert.doesNotMatch(team, /Showing only/);
    });
  });

  describe('as HTML', () => {
    const board = roadmapHtml(makeModel(), TEAM);
    const timeline = roadmapHtml(makeModel(), TIMELINE);

    it('is a well-formed standalone page that cannot run or load anything', () => {
      for (const page of [board, timeline, roadmapHtml(makeModel(), STAKEHOLDER)]) {
        assertWellFormed(page, HTML_VOIDS);
        assert.match(page, /^<!DOCTYPE html>/);
        assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`));
        assert.doesNotMatch(page, /<script|<iframe|<object|<embed|<link|<img|@import|url\((?!#)/i);
        for (const t of tags(page)) {
          assert.ok(!Object.keys(t.attrs).some((a) => /^on/i.test(a) || a === 'src'), `<${t.name}> has ${Object.keys(t.attrs)}`);
        }
        // The only URLs: the SVG namespace (a name, never fetched) and the user's safe links.
        const links = tags(page).filter((t) => t.name === 'a').map((t) => t.attrs.href);
        const urls = page.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
        for (const url of urls) assert.ok(url === 'http://www.w3.org/2000/svg' || links.includes(url), `unexpected URL ${url}`);
      }
      assert.deepStrictEqual(tags(board).filter((t) => t.name === 'a').map((t) => t.attrs.href), ['https://example.com/docs']);
    });

    it('shows a hostile title as text, not as an element', () => {
      assert.ok(board.includes('&lt;img src=x onerror=alert(1)&gt; | pipe'));
      assert.ok(!tags(board).some((t) => t.name === 'img'));
    });

    it('lays the board out in four columns with theme cards, epics and progress bars for the team', () => {
      assertInOrder(board, ['<h2>Vision</h2>', 'Every hiker', '<h2>Goals</h2>', 'Hikers trust the app', '<h2>Board</h2>', '>Now <', 'Offline maps', 'Tile cache', 'Download tiles', 'Route sharing', 'in Next', '>Next <', '>Later <', 'Partner API', '>Unscheduled <', 'pipe', 'Epics without a theme', 'Crash reporting', 'Milestones and releases', 'Beta', '1.0']);
      assert.match(board, /<span class="fill" style="width:38%"><\/span><\/span><span>5\/13 points/);
      const stakeholder = roadmapHtml(makeModel(), STAKEHOLDER);
      for (const teamOnly of ['Tile cache', 'Download tiles', 'Epics without a theme']) assert.ok(!stakeholder.includes(teamOnly), teamOnly);
      assertInOrder(stakeholder, ['Vision', 'Goals', 'Offline maps', '5/13 points', 'Milestones and releases']);
    });

    it('embeds the timeline picture in timeline layout, keeping vision, goals and milestones', () => {
      assertInOrder(timeline, ['<h2>Vision</h2>', '<h2>Goals</h2>', '<h2>Timeline</h2>', '<svg', 'Q4 2026', '</svg>', 'Milestones and releases']);
      assert.ok(!timeline.includes('<h2>Board</h2>'));
      assert.ok(timeline.includes(roadmapSvg(makeModel(), TIMELINE)));
    });

    it('reads in light and dark colour schemes', () => {
      assert.match(board, /@media \(prefers-color-scheme: dark\)/);
      assert.match(board, /color-scheme: light dark/);
    });
  });

  describe('as SVG', () => {
    const svg = roadmapSvg(makeModel(), TEAM);
    const all = tags(svg);
    const num = (v: string | undefined) => Number(v);
    const gridX = all.filter((t) => t.attrs.class === 'rt-grid').map((t) => num(t.attrs.x1));
    const bars = all.filter((t) => t.name === 'rect' && t.attrs.class === 'rt-bar');
    const epicBars = all.filter((t) => t.name === 'rect' && t.attrs.class === 'rt-bar rt-epic');

    it('is a well-formed standalone SVG with size and view box', () => {
      assertWellFormed(svg);
      const root = all[0];
      assert.strictEqual(root.name, 'svg');
      assert.strictEqual(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
      assert.strictEqual(root.attrs.viewBox, `0 0 ${root.attrs.width} ${root.attrs.height}`);
      assert.doesNotMatch(svg, /<script|<image|<foreignObject|href=|url\((?!#)/i);
    });

    it('labels the quarters along the top', () => {
      assertInOrder(svg, ['Q4 2026', 'Q1 2027', 'Q2 2027', 'Q3 2027']);
      assert.strictEqual(gridX.length, 4);
      assert.ok(gridX.every((x, i) => i === 0 || x > gridX[i - 1]));
    });

    it('draws each scheduled theme as a bar from its start to its end quarter, and an open one to the edge', () => {
      assert.strictEqual(bars.length, 2, 'Offline maps and Partner API; the unscheduled theme has no bar');
      const [offline, partner] = bars.map((b) => ({ x0: num(b.attrs.x), x1: num(b.attrs.x) + num(b.attrs.width), fill: b.attrs.fill }));
      assert.strictEqual(offline.x0, gridX[0]);
      // 2 px short of Q1, the gap that keeps bars that follow each other on a row apart.
      assert.ok(Math.abs(offline.x1 + 2 - gridX[1]) < 0.2, `Offline maps ends at Q1 (${offline.x1} vs ${gridX[1]})`);
      assert.strictEqual(partner.x0, gridX[2]);
      assert.ok(partner.x1 - gridX[3] > gridX[3] - gridX[2] - 5, 'Partner API runs to the right edge');
      assert.match(partner.fill, /^url\(#/, 'an open bar fades out');
      assert.doesNotMatch(offline.fill, /^url/);
    });

    it('adds a bar per epic for the team, where the epic is planned, with its id and title on it', () => {
      const routeSharing = epicBars.find((b) => Math.abs(num(b.attrs.x) - gridX[1]) < 0.2);
      assert.ok(routeSharing, 'Route sharing (next quarter) starts at Q1');
      assert.strictEqual(epicBars.length, 3, 'Tile cache, Route sharing, Public REST API');
      assert.ok(svg.includes('>E-2 Route sharing</text>'));
      assert.strictEqual(tags(roadmapSvg(makeModel(), STAKEHOLDER)).filter((t) => t.attrs.class === 'rt-bar rt-epic').length, 0);
    });

    it('stacks bars that overlap in time on rows of their own lane: Tile cache under Offline maps, Route sharing beside it', () => {
      const lanes = all.filter((t) => t.attrs.class === 'rt-lane');
      assert.strictEqual(lanes.length, 2, 'Offline maps and Partner API');
      const [offline, tileCache, routeSharing] = [bars[0], epicBars[0], epicBars[1]].map((b) => num(b.attrs.y));
      assert.ok(tileCache > offline, 'Tile cache runs in the same quarter as its theme: a row lower');
      assert.strictEqual(routeSharing, offline, 'Route sharing follows its theme in time: the same row');
      assertBarsInLanes(svg);
    });

    it('draws today as a dashed line between the quarter lines, where the date falls', () => {
      const today = all.find((t) => t.attrs.class === 'rt-today')!;
      assert.ok(today.attrs['stroke-dasharray']);
      const x = num(today.attrs.x1);
      assert.ok(x > gridX[0] && x < gridX[1]);
      // 2026-11-21 is 51 of the 92 days of Q4 2026.
      assert.ok(Math.abs((x - gridX[0]) / (gridX[1] - gridX[0]) - 51 / 92) < 0.01);
      assert.ok(svg.includes('>Today</text>'));
    });

    it('marks milestones and releases with their own lines and labels', () => {
      const milestone = all.find((t) => t.attrs.class === 'rt-marker rt-milestone')!;
      const release = all.find((t) => t.attrs.class === 'rt-marker rt-release')!;
      assert.ok(num(milestone.attrs.x1) > gridX[0] && num(milestone.attrs.x1) < gridX[1], 'Beta in December');
      assert.ok(num(release.attrs.x1) > gridX[1] && num(release.attrs.x1) < gridX[2], '1.0 in March');
      assert.notStrictEqual(milestone.attrs.stroke, release.attrs.stroke);
      assert.ok(svg.includes('Beta</text>') && svg.includes('1.0</text>'));
    });

    it('lists unscheduled themes in their own lane, with hostile titles escaped', () => {
      assertInOrder(svg, ['Offline maps', 'Partner API', '>Unscheduled</text>', '&lt;img src=x onerror=alert(1)&gt; | pipe (T-3)']);
      assert.ok(!all.some((t) => t.name === 'img'));
    });
  });

  describe('with any bars', () => {
    const quarters = ['2026-04-01', '2026-10-01', '2027-01-01', '2027-04-01', '2027-07-01', '2027-10-01', '2028-04-01'];
    const span = fc.option(
      fc.tuple(fc.nat(quarters.length - 2), fc.nat(3), fc.boolean()).map(([k, n, open]) => ({ start: quarters[k], end: quarters[Math.min(quarters.length - 1, k + 1 + n)], open })),
      { nil: undefined },
    );
    const spans = fc.array(span, { maxLength: 12 });

    it('draws every bar inside its own lane, and no two bars over each other, in the SVG and the HTML', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(span, spans), { minLength: 1, maxLength: 5 }), spans, (themes, loose) => {
          const base = makeModel();
          const model: RoadmapModel = {
            ...base,
            themes: themes.map(([themeSpan, epics], t) => ({
              ...base.themes[0],
              id: `T-${t}`,
              span: themeSpan,
              epics: epics.map((s, e) => epic(`E-${t}-${e}`, `Epic ${e}`, { span: s })),
            })),
            epicsWithoutTheme: loose.map((s, e) => epic(`E-${e}`, `Loose ${e}`, { span: s })),
          };
          const laidOut = { ...model, ...layOutLanes(model.themes, model.epicsWithoutTheme, model.timeline) };
          assertBarsInLanes(roadmapSvg(laidOut, TIMELINE));
          assertBarsInLanes(roadmapHtml(laidOut, TIMELINE));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('with any user text', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    const hostile = text.map((s) => `<zz${s}`);
    const titles = fc.record({ project: hostile, theme: hostile, epic: hostile, story: hostile, goal: hostile, marker: hostile, vision: hostile });

    it('never lets a title open an element in HTML or SVG, and never breaks the SVG', () => {
      fc.assert(
        fc.property(titles, fc.constantFrom(TEAM, TIMELINE, STAKEHOLDER), (t, options) => {
          const model = makeModel(t);
          const html = roadmapHtml(model, options);
          const svg = roadmapSvg(model, options);
          assert.ok(!html.includes('<zz') && !svg.includes('<zz'));
          assertWellFormed(svg);
          assertWellFormed(html, HTML_VOIDS);
        }),
        { numRuns: 150 },
      );
    });

    it('never leaves an unescaped < in Markdown', () => {
      fc.assert(
        fc.property(titles, (t) => {
          const md = roadmapMarkdown(makeModel(t), TEAM);
          assert.doesNotMatch(md, /(^|[^\\])</m);
          assert.doesNotMatch(new MarkdownIt({ html: true }).render(md), /<zz/);
        }),
        { numRuns: 150 },
      );
    });
  });
});
