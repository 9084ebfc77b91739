// The sprint board page: a column per status, the cards of a sprint in each, lanes across them.
// It draws what the host sends and reports what the user does, by id only. A drop moves the
// cards on the page at once; the host writes the files and sends the board as it now is.
// Only the button of an ended sprint is a custom element: the toolbar's controls are the
// browser's own, in the theme's colours. A custom element per control (and per option) cost the
// first paint of a big board more than all its cards (see docs/benchmarks.md).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../shared/base.css';
import '../shared/cards.css';
import './board.css';
import { BoardBurndown, BoardCard, BoardHeader, BoardModel, BoardOptions, BoardOwnRequest, BoardOwnUpdate, LaneBy, parseBoardOptions } from '../../src/protocol/boardProtocol';
import { h } from '../shared/dom';
import { startPage } from '../shared/panelPage';
import { LazyBlocks } from '../shared/lazyBlocks';
import { drawnAfterDrags, DropPlace, dropTarget, parseDragData, typeIcon } from '../shared/cards';

// Ctrl+Z (Cmd+Z) on the board undoes the last backlog change (the workbench's "Backlog: Undo",
// bound while the board is the active panel); in the filter box it is the box's own undo, so the
// key stays in the page there instead of going to the workbench.
document.addEventListener(
  'keydown',
  (e) => {
    const key = e.key.toLowerCase();
    if (!(e.ctrlKey || e.metaKey) || (key !== 'z' && key !== 'y')) return;
    const target = e.composedPath()[0];
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) e.stopPropagation();
  },
  true,
);

const DRAG_TYPE = 'application/vnd.backlog-atlas.board-cards';
const SVG = 'http://www.w3.org/2000/svg';

let model: BoardModel | undefined;
const stateDrawing = drawnAfterDrags(() => render());
const panel = startPage<BoardModel, BoardOptions, BoardOwnRequest, BoardOwnUpdate>({
  parseOptions: parseBoardOptions,
  render: (m, o) => {
    model = m;
    options = o;
    // Not under a drag in progress: the card and the column under the pointer would be replaced,
    // and the drop lost. The board is drawn once the drag ends.
    stateDrawing.draw();
  },
  receive: (message) => {
    // The state sent just before this has put the cards back where the files say.
    if (message.type === 'moveRefused') showNotice(message.message);
  },
});
let options: BoardOptions = panel.initialOptions;
const app = document.getElementById('app')!;
/** Cards selected for a move of several (Ctrl/Cmd-click or Space). */
const selected = new Set<string>();
/** Card elements by id and what they were drawn from: an unchanged card is reused, not rebuilt. */
const cardCache = new Map<string, { sig: string; el: HTMLElement }>();
/**
 * Big boards build a column's cards in runs of RUN_LENGTH as they come near the window: a
 * sprint of a thousand cards builds the two hundred or so on screen first, the rest as the user
 * scrolls, and the browser styles and lays out only those (see LazyBlocks).
 */
const LAZY_ABOVE_CARDS = 150;
const RUN_LENGTH = 12;
/** Roughly a card's height with the gap below it, for the room a waiting run keeps. */
const CARD_HEIGHT = 76;
const blocks = new LazyBlocks();
/** Each cell's cards as the page shows them: the model's, and then each drop made on the page. */
const cellCards = new WeakMap<HTMLElement, BoardCard[]>();
/** A sentence above the board: why the host did not write the last drop. */
let notice: string | undefined;

/**
 * The header and the toolbar as drawn last, with what they were drawn from: a state that changes
 * neither (a drop, a file saved) reuses them rather than building their controls again.
 */
const partCache = new Map<string, { sig: string; el: HTMLElement }>();

function reused(key: string, from: unknown, build: () => HTMLElement): HTMLElement {
  const sig = JSON.stringify(from);
  const cached = partCache.get(key);
  if (cached && cached.sig === sig) return cached.el;
  const el = build();
  partCache.set(key, { sig, el });
  return el;
}

function setOptions(change: Partial<BoardOptions>): void {
  options = { ...options, ...change };
  panel.setOptions(options);
}

// ---- drawing -------------------------------------------------------------------------------

function render(): void {
  if (!model) return;
  const m = model;
  const focusedKey = panel.focusedKey();
  const scroll = { x: window.scrollX, y: window.scrollY, board: document.querySelector('.board')?.scrollLeft ?? 0 };
  const present = new Set(m.lanes.flatMap((l) => l.cells.flat().map((c) => c.id)));
  for (const id of [...selected]) if (!present.has(id)) selected.delete(id);
  for (const id of [...cardCache.keys()]) if (!present.has(id)) cardCache.delete(id);
  blocks.reset();
  const lazy = m.cardCount > LAZY_ABOVE_CARDS;

  const page = h('main', { class: 'board-page' });
  page.append(reused('header', m.header, () => header(m.header)), reused('toolbar', [m.scopes, m.header.scope, m.header.id, m.assignees, m.labels, m.types, m.me, m.cardCount, m.totalCount, options], () => toolbar(m)));
  const grid = h('div', { class: 'board', attrs: { role: 'grid', 'aria-label': `${m.header.title} board`, 'aria-rowcount': String(m.lanes.length + 1) } });
  grid.style.setProperty('--columns', String(m.columns.length));
  grid.append(columnHeads(m));
  const withLanes = options.lanes !== 'none';
  for (const lane of m.lanes) {
    if (withLanes) grid.append(h('div', { class: 'lane-head', attrs: { role: 'row' } }, h('span', { class: 'lane-title', attrs: { role: 'rowheader' } }, lane.title), h('span', { class: 'muted small' }, ` ${lane.cells.reduce((n, c) => n + c.length, 0)}`)));
    const row = h('div', { class: 'lane', attrs: { role: 'row', 'data-lane': lane.id } });
    lane.cells.forEach((cards, c) => {
      const column = m.columns[c];
      const cell = h('div', { class: `cell${column.unknown ? ' unknown' : ''}`, attrs: { role: 'gridcell', 'data-status': column.status, 'data-col': String(c), 'aria-label': `${column.status}${withLanes ? `, ${lane.title}` : ''}` } });
      cellCards.set(cell, [...cards]);
      for (let start = 0; start < cards.length; start += RUN_LENGTH) {
        const run = cards.slice(start, start + RUN_LENGTH);
        if (!lazy) {
          for (const card of run) cell.append(cardElement(card));
          continue;
        }
        // A run of cards waits as an empty block of about their height, until it comes near.
        const later = h('div', { class: 'later', attrs: { 'aria-hidden': 'true' } });
        blocks.defer(later, run.length * CARD_HEIGHT, run.map((card) => card.id), () => later.replaceWith(...run.map(cardElement)));
        cell.append(later);
      }
      if (!column.unknown) cardDropTarget(cell, () => cell);
      row.append(cell);
    });
    grid.append(row);
  }
  if (notice) page.append(noticeElement(notice));
  page.append(grid);
  if (m.totalCount === 0) page.append(h('p', { class: 'empty' }, emptyText(m)));
  else if (m.cardCount === 0) page.append(h('p', { class: 'empty' }, options.onlyMine && !m.me ? '"Only mine" needs to know who you are: set backlogAtlas.board.me, or git’s user.name in a trusted workspace.' : 'No card matches the filters.'));
  app.replaceChildren(page);
  app.removeAttribute('aria-busy');
  // Only the cards in the window before the first paint; those just outside it right after.
  blocks.start(0);

  if (focusedKey?.startsWith('item:')) blocks.ensure(focusedKey.slice(5));
  if (focusedKey) panel.restoreFocus(app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`));
  const board = document.querySelector('.board');
  if (board) board.scrollLeft = scroll.board;
  window.scrollTo(scroll.x, scroll.y);
  panel.drawn(m.cardCount);
}

function emptyText(m: BoardModel): string {
  if (m.header.scope === 'sprint') return `${m.header.title} has no items yet. Plan work into it from the Product Backlog view.`;
  if (m.header.scope === 'release') return `${m.header.title} has no items yet.`;
  return m.scopes.length > 1 ? 'The backlog has no items in tasks/ yet.' : 'This backlog has no sprints and no items yet. Create an item or a sprint from the Backlog views.';
}

function header(hd: BoardHeader): HTMLElement {
  const facts: (string | HTMLElement)[] = [];
  if (hd.dates) facts.push(hd.dates);
  if (hd.scope === 'sprint' && hd.state === 'planned') facts.push('planned');
  else if (hd.daysLeft !== undefined) facts.push(hd.daysLeft > 0 ? `${hd.daysLeft} ${hd.daysLeft === 1 ? 'day' : 'days'} left` : hd.daysLeft === 0 ? 'last day' : `ended ${-hd.daysLeft} ${hd.daysLeft === -1 ? 'day' : 'days'} ago`);
  if (hd.state === 'closed') facts.push('closed');
  const figures = h(
    'div',
    { class: 'figures' },
    figure('Done', `${fmt(hd.pointsDone)} / ${fmt(hd.pointsTotal)} pts`),
    hd.committed !== undefined ? figure('Committed', `${fmt(hd.committed)} pts`) : null,
    hd.capacity !== undefined ? figure('Capacity', `${fmt(hd.capacity)} pts`, hd.pointsTotal > hd.capacity ? 'over' : undefined) : null,
  );
  const head = h(
    'header',
    { class: 'page-header' },
    h('div', { class: 'title-row' }, h('h1', {}, hd.title, h('span', { class: 'muted' }, hd.scope === 'sprint' ? ' sprint board' : ' board')), h('span', { class: 'muted small' }, facts.join(' · '))),
    hd.goal ? h('p', { class: 'goal' }, h('span', { class: 'muted' }, 'Goal: '), hd.goal) : null,
    h('div', { class: 'header-row' }, figures, hd.burndown ? burndown(hd.burndown, hd) : null),
  );
  if (hd.ended) {
    const complete = h('vscode-button', { attrs: { icon: 'pass', 'data-key': 'complete-sprint' } }, 'Complete Sprint');
    complete.addEventListener('click', () => panel.post({ type: 'completeSprint', sprint: hd.id }));
    head.append(h('div', { class: 'ended', attrs: { role: 'status' } }, h('span', { class: 'codicon codicon-warning', attrs: { 'aria-hidden': 'true' } }), ` ${hd.title} ended on ${hd.dates?.split(' – ')[1] ?? 'its end date'}. Complete it to carry unfinished work over. `, complete));
  }
  return head;
}

function figure(label: string, value: string, cls?: string): HTMLElement {
  return h('div', { class: `figure${cls ? ` ${cls}` : ''}` }, h('span', { class: 'figure-label' }, label), h('span', { class: 'figure-value' }, value));
}

function fmt(n: number): string {
  return String(Math.round(n * 10) / 10 || 0);
}

/** The burndown in small: the ideal line and the remaining work so far; a click opens the report. */
function burndown(b: BoardBurndown, hd: BoardHeader): HTMLElement {
  const width = 160;
  const height = 44;
  const max = Math.max(1, ...b.ideal, ...b.remaining.map((r) => r ?? 0));
  const x = (i: number) => (b.ideal.length <= 1 ? 0 : (i / (b.ideal.length - 1)) * (width - 4) + 2);
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('aria-hidden', 'true');
  const line = (points: [number, number][], cls: string) => {
    if (points.length === 0) return;
    const p = document.createElementNS(SVG, 'polyline');
    p.setAttribute('points', points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' '));
    p.setAttribute('class', cls);
    svg.append(p);
  };
  line(b.ideal.map((v, i) => [x(i), y(v)]), 'ideal');
  line(b.remaining.flatMap((v, i) => (v === null ? [] : [[x(i), y(v)] as [number, number]])), 'remaining');
  const last = [...b.remaining].reverse().find((v) => v !== null);
  const button = h('button', { class: 'burndown', attrs: { title: 'Open the burndown in Reports', 'aria-label': `Burndown: ${last === undefined || last === null ? 'not started' : `${fmt(last)} points remaining`}. Open it in Reports.`, 'data-key': 'burndown' } });
  button.append(svg);
  button.addEventListener('click', () => panel.post({ type: 'openBurndown', sprint: hd.id }));
  return button;
}

function toolbar(m: BoardModel): HTMLElement {
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Board options' } });
  const scopeValue = `${m.header.scope}:${m.header.id}`;
  bar.append(
    select('Show', 'scope', scopeValue, m.scopes.map((s) => [`${s.scope}:${s.id}`, s.title]), (v) => {
      const [scope, ...rest] = v.split(':');
      setOptions({ scope: scope as BoardOptions['scope'], scopeId: rest.join(':') });
    }),
    select('Lanes', 'lanes', options.lanes, [['none', 'None'], ['assignee', 'Assignee'], ['epic', 'Epic'], ['priority', 'Priority']], (v) => setOptions({ lanes: v as LaneBy })),
  );
  const text = h('input', { class: 'control', attrs: { type: 'search', placeholder: 'Filter by id or title', 'aria-label': 'Filter by id or title', 'data-key': 'filter-text', spellcheck: 'false' } });
  text.value = options.text;
  let timer: ReturnType<typeof setTimeout> | undefined;
  text.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    // One state per pause in typing, not one per key.
    timer = setTimeout(() => setOptions({ text: text.value }), 250);
  });
  bar.append(h('label', { class: 'tool filter' }, h('span', { class: 'codicon codicon-filter', attrs: { 'aria-hidden': 'true' } }), text));
  const any = (what: string, values: string[]) => [['', `Any ${what}`] as [string, string], ...values.map((v) => [v, v] as [string, string])];
  bar.append(
    select('Assignee', 'assignee', options.assignee, any('assignee', m.assignees), (v) => setOptions({ assignee: v })),
    select('Label', 'label', options.label, any('label', m.labels), (v) => setOptions({ label: v })),
    select('Type', 'type', options.type, any('type', m.types), (v) => setOptions({ type: v })),
  );
  const mine = h('input', { attrs: { type: 'checkbox', 'data-key': 'only-mine' } });
  mine.checked = options.onlyMine;
  mine.addEventListener('change', () => setOptions({ onlyMine: mine.checked }));
  bar.append(
    h('label', { class: 'tool check', attrs: { title: m.me ? `Cards assigned to ${m.me}` : 'Cards assigned to you (git’s user.name, or the backlogAtlas.board.me setting)' } }, mine, 'Only mine'),
    h('span', { class: 'muted small count' }, m.cardCount === m.totalCount ? `${m.totalCount} cards` : `${m.cardCount} of ${m.totalCount} cards`),
  );
  return bar;
}

/** A labelled drop-down, the browser's own; `onChange` runs when the user picks another. */
function select(label: string, name: string, value: string, choices: [string, string][], onChange: (v: string) => void): HTMLElement {
  const sel = h('select', { class: 'control', attrs: { 'data-name': name, 'data-key': `option-${name}` } });
  for (const [v, text] of choices) {
    const opt = h('option', { attrs: { value: v } }, text);
    opt.selected = v === value;
    sel.append(opt);
  }
  sel.addEventListener('change', () => {
    if (sel.value !== value) onChange(sel.value);
  });
  return h('label', { class: 'tool' }, h('span', { class: 'tool-label' }, label), sel);
}

function columnHeads(m: BoardModel): HTMLElement {
  const row = h('div', { class: 'column-heads', attrs: { role: 'row' } });
  m.columns.forEach((c, k) => {
    const over = c.limit !== undefined && c.count > c.limit;
    const head = h(
      'div',
      { class: `column-head${over ? ' over' : ''}${c.unknown ? ' unknown' : ''}`, attrs: { role: 'columnheader', 'data-status': c.status, title: c.unknown ? `"${c.status}" is not a status of config.yml: cards cannot be dropped here.` : over ? `${c.count} cards, over the WIP limit of ${c.limit}` : '' } },
      h('span', { class: 'column-title' }, c.status),
      h('span', { class: 'column-count', attrs: { 'aria-label': c.limit !== undefined ? `${c.count} of a WIP limit of ${c.limit}` : `${c.count} cards` } }, c.limit !== undefined ? `${c.count}/${c.limit}` : String(c.count)),
      over ? h('span', { class: 'codicon codicon-warning wip-warning', attrs: { 'aria-hidden': 'true' } }) : null,
      c.points > 0 ? h('span', { class: 'muted small' }, `${fmt(c.points)} pts`) : null,
    );
    // The heading stays in sight while a long column scrolls: a drop on it changes the status only.
    if (!c.unknown) cardDropTarget(head, (ids) => cardById(ids[0])?.closest('.lane')?.querySelector<HTMLElement>(`.cell[data-col="${k}"]`));
    row.append(head);
  });
  return row;
}

function cardElement(c: BoardCard): HTMLElement {
  const sig = JSON.stringify(c);
  const cached = cardCache.get(c.id);
  const el = cached && cached.sig === sig ? cached.el : buildCard(c);
  if (!cached || cached.el !== el) cardCache.set(c.id, { sig, el });
  el.classList.toggle('selected', selected.has(c.id));
  el.setAttribute('aria-selected', String(selected.has(c.id)));
  return el;
}

function buildCard(c: BoardCard): HTMLElement {
  const estimate = c.estimate !== undefined ? String(c.estimate) : c.size ?? (c.points > 0 ? String(c.points) : undefined);
  const label = [`${c.id}: ${c.title}`, c.type, estimate ? `${estimate} ${c.estimate !== undefined ? 'points' : ''}`.trim() : undefined, c.assignee.length ? `assigned to ${c.assignee.join(', ')}` : undefined, c.blockedBy.length ? `blocked by ${c.blockedBy.join(', ')}` : undefined].filter(Boolean).join(', ');
  const el = h(
    'article',
    {
      class: `card${c.done ? ' done' : ''}${c.blockedBy.length ? ' blocked' : ''}`,
      attrs: { tabindex: '0', draggable: 'true', role: 'option', 'data-key': `item:${c.id}`, 'data-id': c.id, 'aria-label': label, 'aria-description': 'Enter opens it; Alt+arrows move it; M moves it to a column; Space selects it' },
      on: {
        click: (e) => {
          if (e.ctrlKey || e.metaKey) return toggleSelected(c.id);
          panel.post({ type: 'open', id: c.id });
        },
        keydown: (e) => cardKey(e, el, c.id),
        dragstart: (e) => {
          const ids = selected.has(c.id) ? selectedInOrder() : [c.id];
          e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify(ids));
          e.dataTransfer?.setData('text/plain', ids.join(' '));
          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
          for (const id of ids) cardById(id)?.classList.add('dragging');
        },
        dragend: () => app.querySelectorAll('.card.dragging').forEach((x) => x.classList.remove('dragging')),
      },
    },
    h(
      'div',
      { class: 'card-head' },
      h('span', { class: `codicon codicon-${typeIcon(c.type)} type-icon`, attrs: { 'aria-hidden': 'true', title: c.type ?? '' } }),
      h('span', { class: 'id' }, c.id),
      c.blockedBy.length ? h('span', { class: 'blocked-badge', attrs: { title: `Blocked by ${c.blockedBy.join(', ')}` } }, h('span', { class: 'codicon codicon-circle-slash', attrs: { 'aria-hidden': 'true' } }), ' blocked') : null,
      estimate ? h('span', { class: 'estimate', attrs: { title: c.estimate !== undefined ? 'Story points' : c.size ? 'Size' : 'Points' } }, estimate) : null,
    ),
    h('div', { class: 'title' }, c.title),
    meta(c),
  );
  return el;
}

function meta(c: BoardCard): HTMLElement | null {
  const parts: HTMLElement[] = [];
  if (c.priority) parts.push(h('span', { class: `priority priority-${c.priority.replace(/[^a-z]/g, '')}`, attrs: { title: 'Priority' } }, c.priority));
  for (const l of c.labels) parts.push(h('span', { class: 'label' }, l));
  if (c.acTotal > 0) parts.push(h('span', { class: `ac${c.acDone === c.acTotal ? ' complete' : ''}`, attrs: { title: 'Acceptance criteria met' } }, h('span', { class: 'codicon codicon-checklist', attrs: { 'aria-hidden': 'true' } }), ` ${c.acDone}/${c.acTotal}`));
  if (c.codeRefs > 0) parts.push(h('span', { class: 'refs', attrs: { title: `${c.codeRefs} TODO comment${c.codeRefs === 1 ? '' : 's'} in the code name it` } }, h('span', { class: 'codicon codicon-code', attrs: { 'aria-hidden': 'true' } }), ` ${c.codeRefs}`));
  if (c.assignee.length) parts.push(h('span', { class: 'assignee' }, c.assignee.join(', ')));
  return parts.length ? h('div', { class: 'meta' }, ...parts) : null;
}

/** The card's element, building its run first if it waits. */
function cardById(id: string): HTMLElement | null {
  blocks.ensure(id);
  return app.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
}

function toggleSelected(id: string): void {
  if (selected.has(id)) selected.delete(id);
  else selected.add(id);
  const el = cardById(id);
  el?.classList.toggle('selected', selected.has(id));
  el?.setAttribute('aria-selected', String(selected.has(id)));
}

/** The selected cards in the order they are on the page. */
function selectedInOrder(): string[] {
  return Array.from(app.querySelectorAll<HTMLElement>('.card')).map((e) => e.dataset.id!).filter((id) => selected.has(id));
}

// ---- keyboard ------------------------------------------------------------------------------

function cardKey(e: KeyboardEvent, el: HTMLElement, id: string): void {
  if (e.target !== el) return;
  if (e.key === 'Enter') {
    e.preventDefault();
    panel.post({ type: 'open', id });
  } else if (e.key === ' ') {
    e.preventDefault();
    toggleSelected(id);
  } else if (e.key === 'm' || e.key === 'M' || e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
    e.preventDefault();
    panel.post({ type: 'moveMenu', ids: selected.has(id) ? selectedInOrder() : [id] });
  } else if (e.key === 'Escape' && selected.size > 0) {
    e.preventDefault();
    for (const s of [...selected]) toggleSelected(s);
  } else if (e.key.startsWith('Arrow')) {
    e.preventDefault();
    if (e.altKey) moveByKey(el, id, e.key);
    else moveFocus(el, e.key);
  }
}

/** A cell's cards, every run of them built: the keyboard walks through them all. */
function cardsIn(cell: Element): HTMLElement[] {
  blocks.buildWithin(cell);
  return Array.from(cell.querySelectorAll<HTMLElement>('.card'));
}

/** Arrow keys walk the board: up and down in a cell, left and right to the next column with cards. */
function moveFocus(el: HTMLElement, key: string): void {
  const cell = el.closest<HTMLElement>('.cell');
  if (!cell) return;
  const mine = cardsIn(cell);
  const i = mine.indexOf(el);
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const next = mine[i + (key === 'ArrowDown' ? 1 : -1)];
    if (next) return next.focus();
    const lanes = Array.from(app.querySelectorAll<HTMLElement>('.lane'));
    const step = key === 'ArrowDown' ? 1 : -1;
    for (let k = lanes.indexOf(cell.parentElement as HTMLElement) + step; k >= 0 && k < lanes.length; k += step) {
      const next = lanes[k].querySelector(`.cell[data-col="${cell.dataset.col}"]`);
      const there = next ? cardsIn(next) : [];
      if (there.length > 0) return (step > 0 ? there[0] : there[there.length - 1]).focus();
    }
    return;
  }
  const cells = Array.from(cell.parentElement?.querySelectorAll<HTMLElement>('.cell') ?? []);
  const step = key === 'ArrowRight' ? 1 : -1;
  for (let k = cells.indexOf(cell) + step; k >= 0 && k < cells.length; k += step) {
    const there = cardsIn(cells[k]);
    if (there.length > 0) return there[Math.min(i, there.length - 1)].focus();
  }
}

/** Alt+Left/Right: the card (or the selection) to the next column; Alt+Up/Down: one place up or down in its own. */
function moveByKey(el: HTMLElement, id: string, key: string): void {
  const cell = el.closest<HTMLElement>('.cell');
  if (!cell) return;
  const ids = selected.has(id) ? selectedInOrder() : [id];
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const cells = Array.from(cell.parentElement?.querySelectorAll<HTMLElement>('.cell:not(.unknown)') ?? []);
    const target = cells[cells.indexOf(cell) + (key === 'ArrowRight' ? 1 : -1)];
    if (!target) return;
    drop(ids, target, undefined);
    return;
  }
  const others = cardsIn(cell);
  const at = others.indexOf(el);
  if (key === 'ArrowUp') {
    // Before the card above it (the first card not moving, above the first one moving).
    const above = others.slice(0, at).reverse().find((c) => !ids.includes(c.dataset.id!));
    if (above) drop(ids, cell, { before: above.dataset.id! });
  } else {
    const below = others.slice(at + 1).find((c) => !ids.includes(c.dataset.id!));
    if (below) drop(ids, cell, { after: below.dataset.id! });
  }
}

// ---- drag and drop ---------------------------------------------------------------------------

/**
 * Moves the cards on the page at once, where the host will put them, then asks the host to write
 * them; the host's next state draws the board as the files say (a refused move puts them back,
 * and the page says why).
 */
function drop(ids: string[], cell: HTMLElement, at: DropPlace | undefined): void {
  const status = cell.dataset.status;
  if (status === undefined) return;
  showNotice(undefined);
  // A state that came during the drag is older than this move; the host answers the move with a new one.
  stateDrawing.forgetHeld();
  const moving = new Set(ids);
  const elements = ids.map(cardById).filter((e): e is HTMLElement => e !== null);
  const cards: BoardCard[] = [];
  for (const e of elements) {
    const from = e.closest<HTMLElement>('.cell');
    const list = from ? cellCards.get(from) : undefined;
    const k = list?.findIndex((c) => c.id === e.dataset.id) ?? -1;
    if (list && k >= 0) cards.push(...list.splice(k, 1));
  }
  const target = cellCards.get(cell) ?? [];
  // Next to the card it was dropped on; else, as the host does, in its place in the backlog order.
  const anchorId = at ? ('before' in at ? at.before : at.after) : undefined;
  let index = anchorId !== undefined ? target.findIndex((c) => c.id === anchorId) : -1;
  if (index >= 0 && at && 'after' in at) index++;
  if (index < 0) {
    const first = cards[0]?.order ?? Infinity;
    index = target.findIndex((c) => !moving.has(c.id) && c.order > first);
  }
  const before = index >= 0 && index < target.length ? cardById(target[index].id) : null;
  if (before && before.parentElement === cell) before.before(...elements);
  else cell.append(...elements);
  target.splice(index >= 0 ? index : target.length, 0, ...cards);
  elements[0]?.focus({ preventScroll: true });
  const message: BoardOwnRequest = { type: 'move', ids, status };
  if (at && 'before' in at) message.before = at.before;
  if (at && 'after' in at) message.after = at.after;
  panel.post(message);
}

/** Shows (or, with undefined, clears) the sentence above the board. */
function showNotice(message: string | undefined): void {
  notice = message;
  const shown = app.querySelector('.notice');
  if (!message) return shown?.remove();
  const el = noticeElement(message);
  if (shown) shown.replaceWith(el);
  else app.querySelector('.board')?.before(el);
}

function noticeElement(message: string): HTMLElement {
  return h('div', { class: 'notice', attrs: { role: 'alert' } }, h('span', { class: 'codicon codicon-warning', attrs: { 'aria-hidden': 'true' } }), ` ${message}`);
}

/**
 * A status column's cell, or its heading, takes the page's cards; dropped on a card, they go
 * next to it. `cellFor` names the cell they go to (for a heading: the first card's own lane).
 */
function cardDropTarget(target: HTMLElement, cellFor: (ids: string[]) => HTMLElement | null | undefined): void {
  dropTarget(
    target,
    DRAG_TYPE,
    (data, place) => {
      const ids = parseDragData(data);
      if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string') || ids.length === 0) return;
      const cell = cellFor(ids as string[]);
      // Elsewhere in the cell: only the status changes, and the cards keep their place in the backlog order.
      if (cell) drop(ids as string[], cell, place);
    },
    // Not next to a card that is itself moving.
    (id, data) => data.includes(JSON.stringify(id)),
  );
}

panel.ready();
