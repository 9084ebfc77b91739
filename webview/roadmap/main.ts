// The roadmap page. It draws what the host sends and reports what the user does; it never
// reads a file or names a path, only ids, and every change goes through the host.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '../shared/base.css';
import './roadmap.css';
import {
  BOARD_COLUMNS,
  BoardColumn,
  parseRoadmapOptions,
  ProgressView,
  RoadmapEpicView,
  RoadmapModel,
  RoadmapOptions,
  RoadmapOwnRequest,
  RoadmapRef,
  RoadmapThemeView,
  Span,
  TimelinePlace,
} from '../../src/protocol/roadmapProtocol';
import { announce, append, h, safeFragment } from '../shared/dom';
import { radioGroup, select } from '../shared/controls';
import { drawnAfterDrags, dropTarget, parseDragData } from '../shared/cards';
import { LazyBlocks } from '../shared/lazyBlocks';
import { startPage } from '../shared/panelPage';

const DRAG_TYPE = 'application/vnd.backlog-atlas.roadmap-card';
const COLUMN_TITLES: Record<BoardColumn, string> = { now: 'Now', next: 'Next', later: 'Later', unscheduled: 'Unscheduled' };
const COLUMN_HINTS: Record<BoardColumn, string> = {
  now: 'Being built',
  next: 'Coming up',
  later: 'Further out',
  unscheduled: 'No horizon yet',
};
/** Goals get a colour each, from the theme's chart palette, so that themes show whose they are. */
const GOAL_COLOURS = ['blue', 'green', 'purple', 'orange', 'yellow', 'red'];

let model: RoadmapModel | undefined;
// Not under a drag: the card and the column under the pointer would be replaced, and the drop lost.
const stateDrawing = drawnAfterDrags(() => render());
const panel = startPage<RoadmapModel, RoadmapOptions, RoadmapOwnRequest>({
  parseOptions: parseRoadmapOptions,
  render: (m, o) => {
    model = m;
    options = o;
    stateDrawing.draw();
  },
});
let options: RoadmapOptions = panel.initialOptions;

const app = document.getElementById('app')!;

function setOptions(change: Partial<RoadmapOptions>): void {
  options = { ...options, ...change };
  panel.setOptions(options);
}

// ---- drawing -------------------------------------------------------------------------------

function render(): void {
  if (!model) return;
  const focusedKey = panel.focusedKey();
  const scroller = document.querySelector('.layout');
  const scroll = scroller ? { left: scroller.scrollLeft, top: window.scrollY } : undefined;

  const page = h('main', { class: `roadmap audience-${options.audience}` });
  page.append(header(model), toolbar(model));
  if (!model.hasRoadmap) {
    page.append(
      h('p', { class: 'empty' }, 'This backlog has no roadmap.yml yet. Add one next to config.yml with a vision, goals and themes; ', h('a', { attrs: { href: '#' }, on: { click: (e) => openRef(e, { kind: 'vision' }) } }, 'the format is in docs/format.md'), '.'),
    );
  }
  if (model.goals.length > 0) page.append(goals(model));
  epicObserver?.disconnect();
  pendingEpics.clear();
  blocks.reset();
  const view = options.layout === 'board' ? board(model) : timeline(model);
  // A big roadmap lets the browser skip style, layout and paint for the cards off screen: 2,000
  // cards took 0.7–0.9 s to paint, in code-server on the workbench's own thread.
  if (countCards(model) > BIG_ROADMAP) view.classList.add('big');
  page.append(view);
  app.replaceChildren(page);
  app.removeAttribute('aria-busy');
  const layout = document.querySelector('.layout');
  if (scroll && layout) {
    layout.scrollLeft = scroll.left;
    window.scrollTo(0, scroll.top);
  }
  // After the scroll is back: the timeline's lanes near where the user was are built first.
  blocks.start();

  if (focusedKey) {
    // The focused card may be one a big board or timeline has not built yet.
    blocks.ensure(focusedKey);
    let target = app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (!target && pendingEpics.size > 0) {
      fillAllEpics();
      target = app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`);
    }
    panel.restoreFocus(target);
  }
  // Every card the page holds, those a big board or timeline builds only as they scroll near
  // included: each theme and each epic is one card on the board and one bar on the timeline.
  // Measured after layout: the frame after next has been painted.
  panel.drawn(countCards(model));
}

/**
 * Cards (themes and epics) past which the board and the timeline build only what is near the
 * window and let the browser skip the ones off screen. At 300, a roadmap of 200 cards was built
 * whole: 155 ms from the state to the paint on open, against 57 ms built lazily
 * (`BENCH_SIZES=200 npm run bench:roadmap`, run alternately at a load average of 2.4).
 */
const BIG_ROADMAP = 100;

function countCards(m: RoadmapModel): number {
  return m.themes.reduce((n, t) => n + 1 + t.epics.length, 0) + m.epicsWithoutTheme.length;
}

function header(m: RoadmapModel): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('h1', {}, m.projectName, h('span', { class: 'muted' }, ' roadmap')),
    m.vision ? h('blockquote', { class: 'vision', attrs: { tabindex: '0', title: 'Open the vision in roadmap.yml', 'data-key': 'vision' }, on: { click: (e) => openRef(e, { kind: 'vision' }), keydown: (e) => enterOpens(e, { kind: 'vision' }) } }, m.vision) : null,
  );
}

function toolbar(m: RoadmapModel): HTMLElement {
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Roadmap options' } });
  bar.append(
    radioGroup('Layout', 'layout', options.layout, [['board', 'Now / Next / Later'], ['timeline', 'Timeline']], (v) => setOptions({ layout: v === 'timeline' ? 'timeline' : 'board' })),
    radioGroup('Show', 'audience', options.audience, [['stakeholder', 'Stakeholders'], ['team', 'Team']], (v) => setOptions({ audience: v === 'stakeholder' ? 'stakeholder' : 'team' })),
  );
  if (options.layout === 'timeline') {
    bar.append(radioGroup('By', 'scale', options.scale, [['quarter', 'Quarter'], ['month', 'Month']], (v) => setOptions({ scale: v === 'month' ? 'month' : 'quarter' })));
  }
  const all = (what: string): [string, string] => ['', `All ${what}`];
  bar.append(
    select('Goal', 'goal', options.goal, [all('goals'), ...m.filterChoices.goals.map((g): [string, string] => [g.id, `${g.id} ${g.title}`])], (v) => setOptions({ goal: v })),
    select('Theme', 'theme', options.theme, [all('themes'), ...m.filterChoices.themes.map((t): [string, string] => [t.id, `${t.id} ${t.title}`])], (v) => setOptions({ theme: v })),
    select('Label', 'label', options.label, [all('labels'), ...m.filterChoices.labels.map((l): [string, string] => [l, l])], (v) => setOptions({ label: v })),
  );
  if (m.roots.length > 1) bar.append(select('Backlog', 'root', m.root, m.roots.map((r): [string, string] => [r, r]), (v) => setOptions({ root: v })));
  const exportButton = (format: 'markdown' | 'html' | 'svg', text: string) => {
    const b = h('vscode-button', { attrs: { secondary: '', icon: 'export', title: `Export the roadmap as shown, as ${text}` } }, text);
    b.addEventListener('click', () => panel.post({ type: 'export', format }));
    return b;
  };
  bar.append(h('div', { class: 'tool exports', attrs: { role: 'group', 'aria-label': 'Export' } }, h('span', { class: 'tool-label' }, 'Export'), exportButton('markdown', 'Markdown'), exportButton('html', 'HTML'), exportButton('svg', 'SVG')));
  return bar;
}

function goalColour(goalId: string | undefined): string {
  if (!model || goalId === undefined) return 'none';
  const i = model.filterChoices.goals.findIndex((g) => g.id.toUpperCase() === goalId.toUpperCase());
  return i < 0 ? 'none' : GOAL_COLOURS[i % GOAL_COLOURS.length];
}

function progressBar(p: ProgressView, what: string): HTMLElement {
  const usePoints = p.pointsTotal > 0;
  const done = usePoints ? p.pointsDone : p.itemsDone;
  const total = usePoints ? p.pointsTotal : p.itemsTotal;
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  const fill = h('span');
  fill.style.setProperty('width', `${pct}%`);
  const text = total === 0 ? 'No work planned yet' : `${p.pointsDone}/${p.pointsTotal} pts · ${p.itemsDone}/${p.itemsTotal} items`;
  return h(
    'div',
    { class: 'progress-line' },
    h('span', { class: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': `${what} progress` } }, fill),
    h('span', { class: 'progress-text muted' }, text),
  );
}

function goals(m: RoadmapModel): HTMLElement {
  const list = h('div', { class: 'goals' });
  for (const g of m.goals) {
    const desc = h('div', { class: 'description' });
    desc.append(safeFragment(g.descriptionHtml));
    const ref: RoadmapRef = { kind: 'goal', id: g.id };
    list.append(
      h(
        'article',
        { class: `goal goal-${goalColour(g.id)}`, attrs: { tabindex: '0', 'data-key': `goal:${g.id}`, 'aria-label': `Goal ${g.id}: ${g.title}` }, on: { click: (e) => openRef(e, ref), keydown: (e) => enterOpens(e, ref) } },
        h('div', { class: 'card-head' }, h('span', { class: 'id' }, g.id), h('strong', {}, g.title)),
        desc,
        progressBar(g.progress, g.title),
        h('div', { class: 'muted small' }, `${g.themeIds.length} theme${g.themeIds.length === 1 ? '' : 's'}`),
      ),
    );
  }
  return h('section', { attrs: { 'aria-label': 'Goals' } }, h('h2', { class: 'section-title' }, 'Goals'), list);
}

/** A card the keyboard can reach, open (Enter), and move (M or the context-menu key). */
function cardShell(kind: 'theme' | 'item', id: string, label: string, extraClass: string): HTMLElement {
  const ref = { kind, id } as const;
  const card = h('article', {
    class: `card ${extraClass}`,
    attrs: { tabindex: '0', draggable: 'true', 'data-key': `${kind}:${id}`, 'aria-label': label, 'aria-keyshortcuts': 'Enter M', 'aria-description': 'Enter opens it; M moves it to another horizon' },
    on: {
      click: (e) => openRef(e, ref),
      keydown: (e) => {
        if (e.target !== card) return;
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          panel.post({ type: 'open', ref });
        } else if (e.key === 'm' || e.key === 'M' || e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
          e.preventDefault();
          panel.post({ type: 'moveMenu', ref });
        } else if (e.key.startsWith('Arrow')) {
          moveFocus(card, e.key);
          e.preventDefault();
        }
      },
      dragstart: (e) => {
        e.stopPropagation();
        e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify(ref));
        e.dataTransfer?.setData('text/plain', id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
        document.body.classList.add('dragging');
      },
      dragend: () => document.body.classList.remove('dragging'),
    },
  });
  const move = h('button', { class: 'icon-button move', attrs: { title: 'Move to…', 'aria-label': `Move ${id} to…`, tabindex: '-1' } }, h('span', { class: 'codicon codicon-arrow-swap' }));
  move.addEventListener('click', (e) => {
    e.stopPropagation();
    panel.post({ type: 'moveMenu', ref });
  });
  card.append(move);
  return card;
}

function themeCard(t: RoadmapThemeView, epicsHere: RoadmapEpicView[]): HTMLElement {
  const card = cardShell('theme', t.id, `${t.kind === 'initiative' ? 'Initiative' : 'Theme'} ${t.id}: ${t.title}`, `theme goal-${goalColour(t.goal)}`);
  const desc = h('div', { class: 'description' });
  desc.append(safeFragment(t.descriptionHtml));
  append(
    card,
    h(
      'div',
      { class: 'card-head' },
      h('vscode-badge', { attrs: { variant: 'default' } }, t.kind),
      h('span', { class: 'id' }, t.id),
      h('strong', { class: 'title' }, t.title),
    ),
    h('div', { class: 'meta muted small' }, t.goal ? `Goal ${t.goal}` : 'No goal', t.horizon && /Q/.test(t.horizon) ? ` · ${t.horizon}` : '', t.overdue ? h('span', { class: 'overdue' }, ' · overdue') : ''),
    desc,
    progressBar(t.progress, t.title),
  );
  if (epicsHere.length > 0) card.append(epicsGroup(epicsHere));
  return card;
}

/** Epic cards a big board has not built yet, and the observer that builds them near the window. */
const pendingEpics = new Map<HTMLElement, RoadmapEpicView[]>();
let epicObserver: IntersectionObserver | undefined;
/** Height kept for an epic card not built yet, so that the scroll bar does not jump when it is. */
const EPIC_CARD_HEIGHT = 72;

function fillEpics(group: HTMLElement): void {
  const epics = pendingEpics.get(group);
  if (!epics) return;
  pendingEpics.delete(group);
  epicObserver?.unobserve(group);
  group.style.removeProperty('min-height');
  group.replaceChildren(...epics.map(epicCard));
}

/** Builds every epic card still pending: before the keyboard walks the board or the focus comes back. */
function fillAllEpics(): void {
  for (const group of [...pendingEpics.keys()]) fillEpics(group);
}

/**
 * A theme's epic cards. On a big board (see BIG_ROADMAP) they are built when the group comes
 * within a screen of the window: 2,000 epic cards built at once held the page for a third of a
 * second, in code-server on the workbench's own thread.
 */
function epicsGroup(epics: RoadmapEpicView[]): HTMLElement {
  const group = h('div', { class: 'epics' });
  if (!model || countCards(model) <= BIG_ROADMAP || options.layout !== 'board') {
    group.append(...epics.map(epicCard));
    return group;
  }
  pendingEpics.set(group, epics);
  group.style.setProperty('min-height', `${epics.length * EPIC_CARD_HEIGHT}px`);
  epicObserver ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) if (entry.isIntersecting) fillEpics(entry.target as HTMLElement);
    },
    { rootMargin: '100% 0px' },
  );
  epicObserver.observe(group);
  return group;
}

function epicCard(e: RoadmapEpicView): HTMLElement {
  const card = cardShell('item', e.id, `Epic ${e.id}: ${e.title}, ${e.status}`, `epic${e.done ? ' done' : ''}`);
  append(
    card,
    h('div', { class: 'card-head' }, h('span', { class: 'codicon codicon-layers type-icon', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'id' }, e.id), h('span', { class: 'title' }, e.title)),
    h('div', { class: 'meta muted small' }, e.status, e.release ? ` · ${e.release.name}${e.release.date ? ` (${e.release.date})` : ''}` : '', e.horizon ? ` · own horizon ${e.horizon}` : ''),
    progressBar(e.progress, e.title),
  );
  if (e.stories.length > 0) {
    // The list is built when it is first opened: a big roadmap has thousands of stories, and
    // building them all on each redraw cost the page a fifth of a second it showed none of.
    const list = h('ul', { class: 'stories' });
    const fill = () => {
      for (const s of e.stories) {
        const ref: RoadmapRef = { kind: 'item', id: s.id };
        list.append(
          h(
            'li',
            { class: s.done ? 'done' : '', attrs: { tabindex: '0', 'data-key': `story:${s.id}`, 'aria-label': `${s.id}: ${s.title}, ${s.status}` }, on: { click: (ev) => openRef(ev, ref), keydown: (ev) => enterOpens(ev, ref) } },
            h('span', { class: `codicon ${s.done ? 'codicon-pass-filled' : 'codicon-circle-large-outline'}`, attrs: { 'aria-hidden': 'true' } }),
            h('span', { class: 'id' }, s.id),
            h('span', { class: 'title' }, s.title),
            s.points > 0 ? h('span', { class: 'points muted' }, `${s.points}`) : null,
          ),
        );
      }
    };
    const details = h('details', { class: 'story-list' }, h('summary', {}, `${e.stories.length} stor${e.stories.length === 1 ? 'y' : 'ies'}`), list);
    details.addEventListener('toggle', () => {
      if (details.open && list.childElementCount === 0) fill();
    });
    details.addEventListener('click', (ev) => ev.stopPropagation());
    card.append(details);
  }
  return card;
}

/** Makes `el` take the page's own card drags, and asks the host to move the card to `horizon()`. */
function dropZone(el: HTMLElement, horizon: () => string, describe: string): void {
  dropTarget(el, DRAG_TYPE, (data) => {
    document.body.classList.remove('dragging');
    const ref = parseDragData(data);
    if (ref === undefined) return;
    // The host checks the ref again; here it only has to be the shape the host expects.
    panel.post({ type: 'move', ref: ref as { kind: 'theme' | 'item'; id: string }, horizon: horizon() });
    announce(`Moving to ${describe}…`);
  });
}

function board(m: RoadmapModel): HTMLElement {
  const grid = h('div', { class: 'layout board', attrs: { role: 'list', 'aria-label': 'Roadmap by horizon' } });
  const team = options.audience === 'team';
  for (const column of BOARD_COLUMNS) {
    const body = h('div', { class: 'column-body' });
    let count = 0;
    for (const t of m.themes) {
      const epicsHere = team ? t.epics.filter((e) => e.column === column) : [];
      if (t.column === column) {
        body.append(themeCard(t, epicsHere));
        count++;
      } else if (epicsHere.length > 0) {
        // The theme lives in another column; its epics that are planned here still show, under its name.
        body.append(h('div', { class: `continued goal-${goalColour(t.goal)}` }, h('div', { class: 'muted small' }, `${t.id} ${t.title} (in ${COLUMN_TITLES[t.column]})`), epicsGroup(epicsHere)));
      }
    }
    const orphans = m.epicsWithoutTheme.filter((e) => e.column === column);
    if (orphans.length > 0) body.append(h('div', { class: 'continued no-theme' }, h('div', { class: 'muted small' }, 'No theme'), epicsGroup(orphans)));
    if (body.childElementCount === 0) body.append(h('p', { class: 'muted small placeholder' }, column === 'unscheduled' ? 'Everything has a horizon.' : 'Nothing here yet. Drop a theme or epic here.'));
    const col = h(
      'section',
      { class: `column column-${column}`, attrs: { role: 'listitem', 'aria-label': `${COLUMN_TITLES[column]}: ${count} themes`, 'data-column': column } },
      h('h2', { class: 'column-title' }, COLUMN_TITLES[column], h('span', { class: 'count muted' }, ` ${count}`), h('span', { class: 'hint muted small' }, COLUMN_HINTS[column])),
      body,
    );
    dropZone(col, () => (column === 'unscheduled' ? '' : column), COLUMN_TITLES[column]);
    grid.append(col);
  }
  return grid;
}

// ---- timeline ------------------------------------------------------------------------------

function dayNumber(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000;
}

function quarterOfDate(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** A bar of the timeline, by its card's key, built when its lane is. */
interface Bar {
  key: string;
  build: () => HTMLElement;
}

/**
 * Big timelines (see BIG_ROADMAP) build a lane's bars, and the unscheduled chips, when they come
 * within about a screen of the window (see LazyBlocks), or when the keyboard or the focus needs
 * one: 2,000 bars built at once held the page for a third of a second.
 */
const blocks = new LazyBlocks();
/** A row of bars with the gap below it (32 px at the default font size): the room a waiting lane keeps. */
const BAR_ROW_HEIGHT = 32;
/** Roughly how many unscheduled chips share a line, and its height, for the room they keep. */
const CHIPS_PER_LINE = 4;
const CHIP_LINE_HEIGHT = 36;

function timeline(m: RoadmapModel): HTMLElement {
  const t = m.timeline;
  const start = dayNumber(t.start);
  const width = dayNumber(t.end) - start;
  const at = (date: string) => Math.min(100, Math.max(0, ((dayNumber(date) - start) / width) * 100));
  // Where and on which row the model placed the bar: bars on one row never overlap, and the
  // lane's grid has a row for each, so the lane grows with its bars. The 2 px keep two bars
  // that follow each other apart.
  const place = (el: HTMLElement, p: TimelinePlace, span: Span | undefined) => {
    el.style.setProperty('grid-row', String(p.row + 1));
    el.style.setProperty('margin-left', `${p.left * 100}%`);
    el.style.setProperty('width', `calc(${p.width * 100}% - 2px)`);
    if (span?.open) el.classList.add('open');
  };
  const team = options.audience === 'team';
  const root = h('div', { class: 'layout timeline', attrs: { 'aria-label': 'Roadmap timeline' } });
  const columns = (row: HTMLElement) => {
    for (const p of t.periods) row.append(h('div', { class: 'period', attrs: { 'data-period': p.id } }));
  };

  const head = h('div', { class: 'tl-row tl-head' }, h('div', { class: 'lane-label' }));
  const headTrack = h('div', { class: 'track' });
  for (const p of t.periods) headTrack.append(h('div', { class: 'period-label', attrs: { title: p.label } }, p.label));
  const markerRow = h('div', { class: 'markers' });
  for (const mk of m.markers) {
    if (mk.date < t.start || mk.date >= t.end) continue;
    const marker = h('button', { class: `marker marker-${mk.kind}`, attrs: { title: `${mk.kind === 'release' ? 'Release' : 'Milestone'} ${mk.title}, ${mk.date}`, 'data-key': `${mk.kind}:${mk.id}` } }, h('span', { class: `codicon ${mk.kind === 'release' ? 'codicon-rocket' : 'codicon-milestone'}` }), ` ${mk.title}`);
    marker.addEventListener('click', (e) => openRef(e, { kind: mk.kind, id: mk.id }));
    marker.style.setProperty('left', `${at(mk.date)}%`);
    markerRow.append(marker);
  }
  headTrack.append(markerRow);
  head.append(headTrack);
  root.append(head);

  const lines = h('div', { class: 'lines', attrs: { 'aria-hidden': 'true' } });
  for (const mk of m.markers) {
    if (mk.date < t.start || mk.date >= t.end) continue;
    const line = h('div', { class: `line line-${mk.kind}` });
    line.style.setProperty('left', `${at(mk.date)}%`);
    lines.append(line);
  }
  const today = h('div', { class: 'line today' }, h('span', {}, 'Today'));
  today.style.setProperty('left', `${at(t.today)}%`);
  lines.append(today);

  const lazy = countCards(m) > BIG_ROADMAP;
  const lanes = h('div', { class: 'lanes', attrs: { role: 'list', 'aria-label': 'Lanes' } });
  const unscheduled: Bar[] = [];
  /**
   * Puts a lane's bars (or the unscheduled chips) into `box`: at once, or on a big timeline when
   * the box comes within about a screen of the window, holding `height` pixels until then.
   */
  const fill = (box: HTMLElement, bars: Bar[], height: number) => {
    const build = () => box.append(...bars.map((b) => b.build()));
    if (!lazy) return build();
    // Not hidden from screen readers: the lane's name says how many bars it holds, and
    // aria-busy that they are on their way.
    box.setAttribute('aria-busy', 'true');
    blocks.defer(box, height, bars.map((b) => b.key), () => {
      build();
      box.removeAttribute('aria-busy');
    });
  };
  const lane = (label: HTMLElement, name: string, bars: Bar[], rows: number, colour: string) => {
    // The periods lie under the bars, as drop targets; the bars' grid gives the lane its height.
    const periods = h('div', { class: 'periods' });
    columns(periods);
    const barBox = h('div', { class: 'bars' });
    barBox.style.setProperty('grid-template-rows', `repeat(${rows}, auto)`);
    fill(barBox, bars, rows * BAR_ROW_HEIGHT);
    const track = h('div', { class: 'track' }, periods, barBox);
    for (const cell of Array.from(periods.querySelectorAll<HTMLElement>('.period'))) {
      // A month drops into its quarter: horizons are quarters, months are only a finer view.
      const period = cell.dataset.period ?? '';
      const quarter = period.includes('Q') ? period : quarterOfDate(`${period}-01`);
      dropZone(cell, () => quarter, quarter);
    }
    lanes.append(h('div', { class: `tl-row lane goal-${colour}`, attrs: { role: 'listitem', 'aria-label': `${name}: ${bars.length} bar${bars.length === 1 ? '' : 's'}` } }, label, track));
  };
  /** An epic's bar, in its theme's lane (or the "No theme" lane) or, without a span, among the unscheduled. */
  const epicBar = (e: RoadmapEpicView, extraClass: string, into: Bar[]) => {
    const bar: Bar = {
      key: `item:${e.id}`,
      build: () => {
        const el = cardShell('item', e.id, `Epic ${e.id}: ${e.title}`, `bar epic-bar${extraClass}`);
        append(el, h('span', { class: 'bar-text' }, `${e.id} ${e.title}`), progressBar(e.progress, e.title));
        if (e.place) place(el, e.place, e.span);
        return el;
      },
    };
    (e.place ? into : unscheduled).push(bar);
  };
  for (const th of m.themes) {
    const label = h('div', { class: 'lane-label' }, h('span', { class: 'id' }, th.id), h('span', { class: 'title' }, th.title));
    const bars: Bar[] = [];
    const themeBar: Bar = {
      key: `theme:${th.id}`,
      build: () => {
        const el = cardShell('theme', th.id, `${th.kind === 'initiative' ? 'Initiative' : 'Theme'} ${th.id}: ${th.title}`, `bar theme-bar goal-${goalColour(th.goal)}`);
        append(el, h('span', { class: 'bar-text' }, th.title), progressBar(th.progress, th.title));
        if (th.place) place(el, th.place, th.span);
        return el;
      },
    };
    (th.place ? bars : unscheduled).push(themeBar);
    if (team) for (const e of th.epics) epicBar(e, e.done ? ' done' : '', bars);
    if (bars.length > 0) lane(label, `${th.id} ${th.title}`, bars, th.rows, goalColour(th.goal));
  }
  if (team && m.epicsWithoutTheme.length > 0) {
    const bars: Bar[] = [];
    for (const e of m.epicsWithoutTheme) epicBar(e, '', bars);
    if (bars.length > 0) lane(h('div', { class: 'lane-label muted' }, 'No theme'), 'No theme', bars, m.rowsWithoutTheme, 'none');
  }
  const body = h('div', { class: 'tl-body' }, lanes, lines);
  root.append(body);

  const chips = h('div', { class: 'chips' });
  if (unscheduled.length > 0) fill(chips, unscheduled, Math.ceil(unscheduled.length / CHIPS_PER_LINE) * CHIP_LINE_HEIGHT);
  else chips.append(h('span', { class: 'muted small' }, 'Everything has a horizon.'));
  const unscheduledLane = h('div', { class: 'tl-row unscheduled-lane', attrs: { 'data-column': 'unscheduled', role: 'group', 'aria-label': `Unscheduled: ${unscheduled.length} card${unscheduled.length === 1 ? '' : 's'}` } }, h('div', { class: 'lane-label' }, 'Unscheduled'), chips);
  dropZone(unscheduledLane, () => '', 'Unscheduled');
  root.append(unscheduledLane);
  return root;
}

// ---- keyboard and clicks -------------------------------------------------------------------

function openRef(e: Event, ref: RoadmapRef): void {
  const target = e.target as HTMLElement;
  const link = target.closest('a');
  if (link && link.getAttribute('href') && link.getAttribute('href') !== '#') {
    e.preventDefault();
    e.stopPropagation();
    panel.post({ type: 'openLink', url: link.getAttribute('href')! });
    return;
  }
  e.preventDefault();
  e.stopPropagation();
  panel.post({ type: 'open', ref });
}

function enterOpens(e: KeyboardEvent, ref: RoadmapRef): void {
  if (e.key !== 'Enter' || e.target !== e.currentTarget) return;
  e.preventDefault();
  panel.post({ type: 'open', ref });
}

/**
 * Arrow keys walk the cards: up and down in reading order, left and right between columns or
 * lanes. A lane a big timeline has not built yet is built as the keyboard comes to it.
 */
function moveFocus(card: HTMLElement, key: string): void {
  fillAllEpics();
  // Every card is in a column or a lane: reading order is theirs, one after the other.
  const groups = Array.from(app.querySelectorAll<HTMLElement>('.column, .tl-row'));
  const cardsIn = (group: HTMLElement) => {
    blocks.buildWithin(group);
    return Array.from(group.querySelectorAll<HTMLElement>('.card'));
  };
  const container = card.closest<HTMLElement>('.column, .tl-row');
  const g = container ? groups.indexOf(container) : -1;
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    const down = key === 'ArrowDown';
    const mine = container ? cardsIn(container) : [];
    const next = mine[mine.indexOf(card) + (down ? 1 : -1)];
    if (next) return next.focus();
    for (let k = g + (down ? 1 : -1); k >= 0 && k < groups.length; k += down ? 1 : -1) {
      const there = cardsIn(groups[k]);
      if (there.length > 0) return there[down ? 0 : there.length - 1].focus();
    }
    return;
  }
  const step = key === 'ArrowRight' ? 1 : -1;
  for (let k = g + step; k >= 0 && k < groups.length; k += step) {
    const first = cardsIn(groups[k])[0];
    if (first) {
      first.focus();
      return;
    }
  }
}

panel.ready();
