// The story map page: the journey across the top, stories under each step, slices as bands.
// It draws what the host sends and reports what the user does, by id only.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '../shared/base.css';
import '../shared/cards.css';
import './storymap.css';
import { parseStoryMapOptions, SliceView, StoryCard, StoryMapModel, StoryMapOptions, StoryMapOwnRequest } from '../../src/protocol/storyMapProtocol';
import { h } from '../shared/dom';
import { startPage } from '../shared/panelPage';
import { LazyBlocks } from '../shared/lazyBlocks';
import { drawnAfterDrags, dropTarget, parseDragData, typeIcon } from '../shared/cards';

const DRAG_TYPE = 'application/vnd.backlog-atlas.story-card';

let model: StoryMapModel | undefined;
// Not under a drag: the card and the column under the pointer would be replaced, and the drop lost.
const stateDrawing = drawnAfterDrags(() => render());
const panel = startPage<StoryMapModel, StoryMapOptions, StoryMapOwnRequest>({
  parseOptions: parseStoryMapOptions,
  render: (m, o) => {
    model = m;
    options = o;
    stateDrawing.draw();
  },
});
let options: StoryMapOptions = panel.initialOptions;

/**
 * Big maps draw only the cells near the window (see LazyBlocks); cells further away are filled
 * as they scroll into view, or when the keyboard moves into them.
 */
const LAZY_ABOVE_CARDS = 400;
const CARD_HEIGHT = 62;
let lazy = false;
const blocks = new LazyBlocks();

/** The card's element, drawing its cell first if it was waiting. */
function cardElement(id: string): HTMLElement | null {
  blocks.ensure(id);
  return app.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
}

const app = document.getElementById('app')!;

function setOptions(change: Partial<StoryMapOptions>): void {
  options = { ...options, ...change };
  panel.setOptions(options);
}

function toggle(list: string[], id: string): string[] {
  return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
}

/** A column of the grid: a step, a collapsed activity standing for its steps, or Unmapped. */
interface Column {
  kind: 'step' | 'collapsed' | 'unmapped';
  id: string;
  title: string;
  /** The step ids whose cards the column shows. */
  steps: string[];
}

function columnsOf(m: StoryMapModel): Column[] {
  const out: Column[] = [];
  for (const a of m.activities) {
    // A collapsed activity, or one without steps yet, takes one narrow column.
    if (options.collapsedActivities.includes(a.id) || a.steps.length === 0) out.push({ kind: 'collapsed', id: a.id, title: a.title, steps: a.steps.map((s) => s.id) });
    else for (const s of a.steps) out.push({ kind: 'step', id: s.id, title: s.title, steps: [s.id] });
  }
  out.push({ kind: 'unmapped', id: '', title: 'Unmapped', steps: [''] });
  return out;
}

// ---- drawing -------------------------------------------------------------------------------

function render(): void {
  if (!model) return;
  const m = model;
  const focusedKey = panel.focusedKey();
  const scroll = { left: window.scrollX, top: window.scrollY };

  const columns = columnsOf(m);
  blocks.reset();
  lazy = m.cardCount > LAZY_ABOVE_CARDS;
  const page = h('main', { class: 'storymap' });
  page.append(header(m), toolbar(m));
  if (!m.hasStoryMap) {
    page.append(h('p', { class: 'empty' }, 'This backlog has no storymap.yml yet. Add the first activity of the user journey with "Add activity"; steps go under it, and stories under the steps.'));
  }
  const grid = h('div', { class: 'map', attrs: { role: 'grid', 'aria-label': 'User story map', 'aria-rowcount': String(m.slices.length + 2) } });
  grid.style.setProperty('--columns', String(columns.length));
  grid.append(...backbone(m, columns));
  for (const slice of m.slices) grid.append(...sliceBand(m, slice, columns));
  page.append(grid);
  app.replaceChildren(page);
  app.removeAttribute('aria-busy');
  blocks.start();

  if (focusedKey?.startsWith('item:')) cardElement(focusedKey.slice(5));
  if (focusedKey) panel.restoreFocus(app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`));
  window.scrollTo(scroll.left, scroll.top);
  panel.drawn(m.cardCount);
}

function header(m: StoryMapModel): HTMLElement {
  return h('header', { class: 'page-header' }, h('h1', {}, m.projectName, h('span', { class: 'muted' }, ' story map')), h('p', { class: 'muted small' }, `${m.cardCount} stories · ${m.activities.length} activities · ${m.activities.reduce((n, a) => n + a.steps.length, 0)} steps`));
}

function toolbar(m: StoryMapModel): HTMLElement {
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Story map options' } });
  const group = h('vscode-radio-group', { attrs: { 'aria-label': 'Slices', 'data-name': 'sliceBy' } });
  for (const [v, text] of [['release', 'Releases'], ['sprint', 'Sprints']] as const) {
    const radio = h('vscode-radio', { attrs: { name: 'sliceBy', value: v, label: text } });
    radio.checked = options.sliceBy === v;
    group.append(radio);
  }
  group.addEventListener('change', (e) => {
    const radio = e.target as HTMLElement & { checked?: boolean; value?: string };
    if (radio.checked && (radio.value === 'release' || radio.value === 'sprint') && radio.value !== options.sliceBy) setOptions({ sliceBy: radio.value });
  });
  bar.append(h('div', { class: 'tool' }, h('span', { class: 'tool-label' }, 'Slices'), group));
  if (m.roots.length > 1) {
    const sel = h('select', { attrs: { 'aria-label': 'Backlog' } }, ...m.roots.map((r) => h('option', { attrs: { value: r, ...(r === m.root ? { selected: '' } : {}) } }, r)));
    sel.addEventListener('change', () => setOptions({ root: sel.value }));
    bar.append(h('label', { class: 'tool' }, h('span', { class: 'tool-label' }, 'Backlog'), sel));
  }
  const addActivity = h('vscode-button', { attrs: { secondary: '', icon: 'add', title: 'Add an activity at the end of the journey' } }, 'Add activity');
  addActivity.addEventListener('click', () => inlineInput(addActivity, 'New activity', (title) => panel.post({ type: 'addActivity', title })));
  const exportButton = (format: 'markdown' | 'html', text: string) => {
    const b = h('vscode-button', { attrs: { secondary: '', icon: 'export', title: `Export the map as shown, as ${text}` } }, text);
    b.addEventListener('click', () => panel.post({ type: 'export', format }));
    return b;
  };
  bar.append(h('div', { class: 'tool' }, addActivity), h('div', { class: 'tool exports', attrs: { role: 'group', 'aria-label': 'Export' } }, h('span', { class: 'tool-label' }, 'Export'), exportButton('markdown', 'Markdown'), exportButton('html', 'HTML')));
  return bar;
}

function backbone(m: StoryMapModel, columns: Column[]): HTMLElement[] {
  const activities = h('div', { class: 'row activities', attrs: { role: 'row' } });
  const steps = h('div', { class: 'row steps', attrs: { role: 'row' } });
  let col = 1;
  for (const a of m.activities) {
    const collapsed = options.collapsedActivities.includes(a.id);
    const span = collapsed ? 1 : Math.max(a.steps.length, 1);
    const toggleButton = h('button', { class: 'icon-button toggle', attrs: { 'aria-expanded': String(!collapsed), title: collapsed ? 'Expand' : 'Collapse', 'aria-label': `${collapsed ? 'Expand' : 'Collapse'} ${a.title}` } }, h('span', { class: `codicon codicon-chevron-${collapsed ? 'right' : 'down'}` }));
    toggleButton.addEventListener('click', () => setOptions({ collapsedActivities: toggle(options.collapsedActivities, a.id) }));
    const addStep = h('button', { class: 'icon-button add-step', attrs: { title: 'Add a step', 'aria-label': `Add a step to ${a.title}` } }, h('span', { class: 'codicon codicon-add' }));
    addStep.addEventListener('click', () => inlineInput(addStep, 'New step', (title) => panel.post({ type: 'addStep', activity: a.id, title })));
    const cell = h('div', { class: 'activity', attrs: { role: 'columnheader', 'aria-colspan': String(span) } }, toggleButton, editableTitle('activity', a.id, a.title), collapsed ? h('span', { class: 'muted small' }, ` ${a.steps.length} steps`) : addStep);
    cell.style.setProperty('grid-column', `${col} / span ${span}`);
    activities.append(cell);
    if (collapsed || a.steps.length === 0) {
      const placeholder = h('div', { class: 'step collapsed muted small', attrs: { role: 'columnheader' } }, collapsed ? '…' : 'No steps yet');
      placeholder.style.setProperty('grid-column', `${col} / span 1`);
      steps.append(placeholder);
    } else {
      a.steps.forEach((s, k) => {
        const stepCell = h('div', { class: 'step', attrs: { role: 'columnheader' } }, editableTitle('step', s.id, s.title));
        stepCell.style.setProperty('grid-column', `${col + k} / span 1`);
        steps.append(stepCell);
      });
    }
    col += span;
  }
  const unmappedHead = h('div', { class: 'activity unmapped-head', attrs: { role: 'columnheader' } }, h('span', { class: 'title' }, 'Unmapped'));
  unmappedHead.style.setProperty('grid-column', `${columns.length} / span 1`);
  activities.append(unmappedHead);
  const unmappedStep = h('div', { class: 'step muted small', attrs: { role: 'columnheader' } }, 'Stories without a step');
  unmappedStep.style.setProperty('grid-column', `${columns.length} / span 1`);
  steps.append(unmappedStep);
  return [activities, steps];
}

/** A step or activity title: Enter opens it in storymap.yml, F2 or a double-click renames it. */
function editableTitle(kind: 'step' | 'activity', id: string, title: string): HTMLElement {
  const el = h('span', { class: 'title editable', attrs: { tabindex: '0', 'data-key': `${kind}:${id}`, title: `${title} (F2 or double-click to rename)` } }, title);
  const rename = () => inlineInput(el, title, (t) => t !== title && panel.post({ type: 'rename', kind, id, title: t }), title);
  el.addEventListener('dblclick', rename);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'F2') {
      e.preventDefault();
      rename();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      panel.post({ type: 'open', ref: { kind, id } });
    }
  });
  return el;
}

/** Replaces `anchor` with a text box; Enter sends the text, Escape or leaving the box cancels. */
function inlineInput(anchor: HTMLElement, placeholder: string, done: (text: string) => unknown, value = ''): void {
  const input = h('input', { class: 'inline-input', attrs: { type: 'text', placeholder, 'aria-label': placeholder, maxlength: '200' } });
  input.value = value;
  let finished = false;
  const finish = (send: boolean) => {
    if (finished) return;
    finished = true;
    const text = input.value.replace(/\s+/g, ' ').trim();
    input.replaceWith(anchor);
    if (send && text !== '') done(text);
    anchor.focus();
  };
  input.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Enter') finish(true);
    else if (e.key === 'Escape') finish(false);
  });
  input.addEventListener('blur', () => finish(false));
  anchor.replaceWith(input);
  input.focus();
  input.select();
}

function sliceBand(m: StoryMapModel, slice: SliceView, columns: Column[]): HTMLElement[] {
  const collapsed = options.collapsedSlices.includes(slice.id);
  const pct = slice.pointsTotal > 0 ? Math.round((slice.pointsDone / slice.pointsTotal) * 100) : slice.itemsTotal > 0 ? Math.round((slice.itemsDone / slice.itemsTotal) * 100) : 0;
  const fill = h('span');
  fill.style.setProperty('width', `${pct}%`);
  const over = slice.capacity !== undefined && slice.pointsTotal - slice.pointsDone > slice.capacity;
  const toggleButton = h('button', { class: 'icon-button toggle', attrs: { 'aria-expanded': String(!collapsed), 'aria-label': `${collapsed ? 'Expand' : 'Collapse'} ${slice.title}` } }, h('span', { class: `codicon codicon-chevron-${collapsed ? 'right' : 'down'}` }));
  toggleButton.addEventListener('click', () => setOptions({ collapsedSlices: toggle(options.collapsedSlices, slice.id) }));
  const title = h('span', { class: 'slice-title', attrs: { tabindex: '0', 'data-key': `slice:${slice.id}` } }, slice.title);
  if (slice.id !== '') {
    title.addEventListener('click', () => panel.post({ type: 'open', ref: { kind: 'slice', id: slice.id } }));
    title.addEventListener('keydown', (e) => e.key === 'Enter' && panel.post({ type: 'open', ref: { kind: 'slice', id: slice.id } }));
  }
  const head = h(
    'div',
    { class: `slice-head${slice.kind === 'unplanned' ? ' unplanned' : ''}`, attrs: { role: 'row', 'data-slice': slice.id } },
    toggleButton,
    title,
    slice.walkingSkeleton ? h('vscode-badge', { attrs: { variant: 'default', title: 'The first slice: the thinnest version of the product that works end to end' } }, 'walking skeleton') : null,
    // Numbers first: the header is as wide as the window, and a long goal wraps after them.
    h('span', { class: 'progress slice-progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(pct), 'aria-label': `${slice.title} done` } }, fill),
    h('span', { class: `numbers small${over ? ' over' : ''}` }, `${slice.pointsDone}/${slice.pointsTotal} pts`, slice.capacity !== undefined ? ` · ${slice.capacityLabel ?? `capacity ${slice.capacity}`}` : '', ` · ${slice.itemsDone}/${slice.itemsTotal} done`),
    slice.state ? h('span', { class: 'muted small' }, slice.state) : null,
    slice.dates ? h('span', { class: 'muted small' }, slice.dates) : null,
    slice.goal ? h('span', { class: 'goal small' }, slice.goal) : null,
  );
  if (collapsed) return [head];
  const row = m.rows.find((r) => r.sliceId === slice.id);
  const band = h('div', { class: 'row cells', attrs: { role: 'row', 'data-slice': slice.id } });
  columns.forEach((column, k) => {
    const cell = h('div', { class: `cell${column.kind === 'unmapped' ? ' unmapped' : ''}`, attrs: { role: 'gridcell', 'data-step': column.kind === 'collapsed' ? '' : column.id, 'data-slice': slice.id, 'data-col': String(k) } });
    const cards = column.steps.flatMap((s) => row?.cells[s] ?? []);
    if (column.kind === 'collapsed') {
      cell.classList.add('collapsed');
      cell.append(h('span', { class: 'muted small' }, cards.length === 0 ? '' : `${cards.length} stories`));
    } else {
      const fill = () => {
        for (const c of cards) cell.append(card(c, column.id, slice.id));
        const add = h('button', { class: 'add-story', attrs: { title: 'Add a story here', 'aria-label': `Add a story to ${column.title}, ${slice.title}` } }, h('span', { class: 'codicon codicon-add' }), ' Add story');
        add.addEventListener('click', () => inlineInput(add, 'New story title', (title) => panel.post({ type: 'addStory', step: column.id, slice: slice.id, title })));
        cell.append(add);
      };
      if (lazy && cards.length > 0) {
        // Drawn when it comes near the window; until then it keeps roughly its height.
        blocks.defer(cell, cards.length * CARD_HEIGHT, cards.map((c) => c.id), fill);
      } else fill();
      cardDropTarget(cell, column.id, slice.id);
    }
    band.append(cell);
  });
  return [head, band];
}

function card(c: StoryCard, step: string, slice: string): HTMLElement {
  const el = h(
    'article',
    {
      class: `card${c.done ? ' done' : ''}`,
      attrs: { tabindex: '0', draggable: 'true', 'data-key': `item:${c.id}`, 'data-id': c.id, 'aria-label': `${c.id}: ${c.title}, ${c.status}${c.points ? `, ${c.points} points` : ''}`, 'aria-description': 'Enter opens it; M moves it; arrow keys move between cards' },
      on: {
        click: () => panel.post({ type: 'open', ref: { kind: 'item', id: c.id } }),
        keydown: (e) => cardKey(e, el, c.id),
        dragstart: (e) => {
          e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify({ id: c.id, step, slice }));
          e.dataTransfer?.setData('text/plain', c.id);
          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
          el.classList.add('dragging');
        },
        dragend: () => el.classList.remove('dragging'),
      },
    },
    h('div', { class: 'card-head' }, h('span', { class: `codicon codicon-${typeIcon(c.type)} type-icon`, attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'id' }, c.id), c.points > 0 || c.size ? h('span', { class: 'estimate' }, c.estimate !== undefined ? String(c.estimate) : (c.size ?? String(c.points))) : null),
    h('div', { class: 'title' }, c.title),
    h('div', { class: 'status muted small' }, c.done ? h('span', { class: 'codicon codicon-pass-filled', attrs: { 'aria-hidden': 'true' } }) : null, ` ${c.status}`),
  );
  return el;
}

function cardKey(e: KeyboardEvent, el: HTMLElement, id: string): void {
  if (e.target !== el) return;
  if (e.key === 'Enter') {
    e.preventDefault();
    panel.post({ type: 'open', ref: { kind: 'item', id } });
  } else if (e.key === 'm' || e.key === 'M' || e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
    e.preventDefault();
    panel.post({ type: 'moveMenu', id });
  } else if (e.key.startsWith('Arrow')) {
    e.preventDefault();
    moveFocus(el, e.key);
  }
}

/** Arrow keys walk the grid: up and down through a cell and on into the slices above and below. */
function moveFocus(el: HTMLElement, key: string): void {
  const cell = el.closest<HTMLElement>('.cell');
  if (!cell) return;
  const cardsIn = (c: Element | null | undefined) => {
    blocks.build(c as HTMLElement | null | undefined);
    return c ? Array.from(c.querySelectorAll<HTMLElement>('.card')) : [];
  };
  const mine = cardsIn(cell);
  const i = mine.indexOf(el);
  const col = cell.dataset.col;
  const bands = Array.from(app.querySelectorAll<HTMLElement>('.row.cells'));
  const b = bands.indexOf(cell.parentElement as HTMLElement);
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const next = mine[i + (key === 'ArrowDown' ? 1 : -1)];
    if (next) return next.focus();
    const step = key === 'ArrowDown' ? 1 : -1;
    for (let k = b + step; k >= 0 && k < bands.length; k += step) {
      const there = cardsIn(bands[k].querySelector(`.cell[data-col="${col}"]`));
      if (there.length > 0) return (step > 0 ? there[0] : there[there.length - 1]).focus();
    }
    return;
  }
  const cells = Array.from(cell.parentElement?.querySelectorAll<HTMLElement>('.cell') ?? []);
  const c = cells.indexOf(cell);
  const step = key === 'ArrowRight' ? 1 : -1;
  for (let k = c + step; k >= 0 && k < cells.length; k += step) {
    const there = cardsIn(cells[k]);
    if (there.length > 0) return there[Math.min(i, there.length - 1)].focus();
  }
}

/** A cell takes a story card: to its step and slice, and next to the card it was dropped on. */
function cardDropTarget(cell: HTMLElement, step: string, slice: string): void {
  dropTarget(
    cell,
    DRAG_TYPE,
    (data, place) => {
      const dragged = parseDragData(data) as { id?: unknown } | undefined;
      if (typeof dragged?.id !== 'string') return;
      // Elsewhere in the cell: only the step and slice change, and the story keeps its place in the backlog order.
      const message: StoryMapOwnRequest = { type: 'move', id: dragged.id, step, slice };
      if (place && 'before' in place) message.before = place.before;
      if (place && 'after' in place) message.after = place.after;
      panel.post(message);
    },
    // Not next to itself.
    (id, data) => (parseDragData(data) as { id?: unknown } | undefined)?.id === id,
  );
}

panel.ready();
