// The Reports page: a sprint burndown, a release burn-up or burndown, or velocity. The host sends
// the figures and a laid-out chart; this page draws it, lists the scope changes and the figures
// as text, and sends back only what the user chose. It never reads a file or names a path.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '../shared/base.css';
import './reports.css';
import {
  ExportFormatName,
  parseReportsOptions,
  ReleaseBurn,
  ReportsModel,
  ReportsOptions,
  ReportsOwnRequest,
  ReportsOwnUpdate,
  ScopeChange,
  SprintBurndown,
  VelocityReport,
} from '../../src/protocol/reportsProtocol';
import { radioGroup, select } from '../shared/controls';
import { h } from '../shared/dom';
import { startPage } from '../shared/panelPage';
import { chartPng, drawChart, readPalette } from './chart';

/** Scope changes listed open; more than this are folded under a summary. */
const MAX_UNFOLDED_CHANGES = 15;

let model: ReportsModel | undefined;
const panel = startPage<ReportsModel, ReportsOptions, ReportsOwnRequest, ReportsOwnUpdate>({
  parseOptions: parseReportsOptions,
  render: (m, o) => {
    model = m;
    options = o;
    render();
  },
  receive: (msg) => {
    switch (msg.type) {
      case 'renderPng':
        renderPng(msg.id);
        return;
    }
  },
});
let options: ReportsOptions = panel.initialOptions;
const app = document.getElementById('app')!;

/** Answers the host's `renderPng`: only the page has a canvas and the theme's fonts. */
function renderPng(id: number): void {
  if (!model?.chart) {
    panel.post({ type: 'pngFailed', id, reason: 'there is no chart to draw' });
    return;
  }
  try {
    panel.post({ type: 'png', id, data: chartPng(model.chart, readPalette(), 2) });
  } catch (e) {
    panel.post({ type: 'pngFailed', id, reason: e instanceof Error ? e.message : String(e) });
  }
}

function setOptions(change: Partial<ReportsOptions>): void {
  options = { ...options, ...change };
  panel.setOptions(options);
}

/** Figures as people read them: whole numbers stay whole, halves keep one decimal. */
function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}

/** "Nov 18" from an ISO day, without the time zone moving it. */
function shortDate(iso: string | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

// ---- drawing -------------------------------------------------------------------------------

function render(): void {
  if (!model) return;
  const focusedKey = panel.focusedKey();
  const page = h('main', { class: 'reports' });
  page.append(h('header', { class: 'page-header' }, h('h1', {}, model.projectName, h('span', { class: 'muted' }, ' reports'))), toolbar(model));
  if (model.empty) page.append(h('p', { class: 'empty', attrs: { role: 'status' } }, model.empty));
  if (model.burndown) page.append(...burndownSection(model.burndown));
  else if (model.release) page.append(...releaseSection(model.release));
  else if (model.velocity && !model.empty) page.append(...velocitySection(model.velocity));
  page.append(h('footer', { class: `history muted small history-${model.history.source}` }, model.history.detail));
  app.replaceChildren(page);
  app.removeAttribute('aria-busy');
  if (focusedKey) panel.restoreFocus(app.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`));
  panel.drawn(model.chart?.marks.length ?? 0);
}

function toolbar(m: ReportsModel): HTMLElement {
  const bar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Report options' } });
  bar.append(
    radioGroup('Report', 'report', options.report, [['burndown', 'Sprint burndown'], ['release', 'Release'], ['velocity', 'Velocity']], (v) =>
      setOptions({ report: v === 'release' || v === 'velocity' ? v : 'burndown' }),
    ),
  );
  if (options.report === 'burndown' && m.sprints.length > 0) {
    const current = m.burndown?.sprintId ?? options.sprint;
    bar.append(select('Sprint', 'sprint', current, m.sprints.map((s): [string, string] => [s.id, `${s.name} (${s.state})`]), (v) => setOptions({ sprint: v })));
  }
  if (options.report === 'release' && m.releases.length > 0) {
    const current = m.release?.releaseId ?? options.release;
    bar.append(
      select('Release', 'release', current, m.releases.map((r): [string, string] => [r.id, r.date ? `${r.name} (${r.date})` : r.name]), (v) => setOptions({ release: v })),
      radioGroup('Chart', 'releaseMode', options.releaseMode, [['burnup', 'Burn-up'], ['burndown', 'Burndown']], (v) => setOptions({ releaseMode: v === 'burndown' ? 'burndown' : 'burnup' })),
    );
  }
  bar.append(radioGroup('Count', 'unit', options.unit, [['points', 'Points'], ['items', 'Items']], (v) => setOptions({ unit: v === 'items' ? 'items' : 'points' })));
  if (m.roots.length > 1) bar.append(select('Backlog', 'root', m.root, m.roots.map((r): [string, string] => [r, r]), (v) => setOptions({ root: v })));
  const exportButton = (format: ExportFormatName, text: string, title: string) => {
    const b = h('vscode-button', { attrs: { secondary: '', icon: format === 'csv' ? 'table' : 'export', title, 'data-key': `export:${format}` } }, text);
    if (!m.chart) b.setAttribute('disabled', '');
    b.addEventListener('click', () => panel.post({ type: 'export', format, palette: readPalette() }));
    return b;
  };
  bar.append(
    h(
      'div',
      { class: 'tool exports', attrs: { role: 'group', 'aria-label': 'Save the chart' } },
      h('span', { class: 'tool-label' }, 'Save'),
      exportButton('svg', 'SVG', 'Save the chart as SVG, in the theme’s colours'),
      exportButton('png', 'PNG', 'Save the chart as PNG, in the theme’s colours'),
      exportButton('csv', 'CSV', 'Save the figures as CSV'),
    ),
  );
  return bar;
}

/** The chart with its legend; the figure's caption says in words what it shows. */
function figure(m: ReportsModel): HTMLElement | null {
  if (!m.chart) return null;
  const { svg, legend } = drawChart(m.chart);
  return h('figure', { class: 'chart-figure' }, svg, legend, h('figcaption', { class: 'visually-hidden' }, m.chart.description));
}

function openLink(kind: 'item' | 'sprint' | 'release', id: string, text: string, title: string): HTMLElement {
  return h(
    'a',
    {
      attrs: { href: '#', title, 'data-key': `${kind}:${id}` },
      on: {
        click: (e) => {
          e.preventDefault();
          panel.post({ type: 'open', ref: { kind, id } });
        },
      },
    },
    text,
  );
}

function stat(label: string, value: string, extra?: string): HTMLElement {
  return h('div', { class: `stat ${extra ?? ''}` }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
}

function notes(list: string[]): HTMLElement | null {
  if (list.length === 0) return null;
  return h('section', { class: 'notes', attrs: { 'aria-label': 'What this chart cannot know' } }, h('h2', { class: 'section-title' }, 'What this chart cannot know'), h('ul', {}, ...list.map((n) => h('li', {}, n))));
}

/**
 * A table of scope changes. A burndown knows each change's day; a release's burn-up compares the
 * ends of its sprints, so it knows only the sprint end (or today) by which a change was seen,
 * and says so in its heading rather than showing that day as the day it happened.
 */
function changesList(changes: ScopeChange[], title: string, when: { heading: string; tip?: string } = { heading: 'When' }): HTMLElement {
  const section = h('section', { class: 'changes', attrs: { 'aria-label': title } }, h('h2', { class: 'section-title' }, title));
  if (changes.length === 0) {
    section.append(h('p', { class: 'muted' }, 'None: the scope has not changed.'));
    return section;
  }
  const rows = changes.map((c) =>
    h(
      'tr',
      { class: `change change-${c.kind}` },
      h('td', {}, c.dateKnown ? shortDate(c.date) : h('span', { class: 'muted', attrs: { title: `Known from ${c.date}; the history does not say when it happened` } }, 'date unknown')),
      h('td', {}, openLink('item', c.id, c.id, `Open ${c.id}`), ' ', h('span', { class: 'title' }, c.title)),
      h('td', {}, c.kind),
      h('td', { class: `num ${c.delta >= 0 ? 'up' : 'down'}` }, `${c.delta > 0 ? '+' : c.delta < 0 ? '−' : ''}${fmt(Math.abs(c.delta))}`),
    ),
  );
  const table = h('table', { class: 'grid-table' }, h('thead', {}, h('tr', {}, h('th', when.tip ? { attrs: { title: when.tip } } : {}, when.heading), h('th', {}, 'Item'), h('th', {}, 'Change'), h('th', { class: 'num' }, options.unit === 'items' ? 'Items' : 'Points'))), h('tbody', {}, ...rows));
  // A release's whole life can hold hundreds of changes: folded past a screenful, with the count.
  if (changes.length > MAX_UNFOLDED_CHANGES) {
    const added = changes.filter((c) => c.delta > 0).length;
    section.append(h('details', { class: 'figures' }, h('summary', {}, `${changes.length} changes: ${added} adding work, ${changes.length - added} taking it away`), table));
  } else section.append(table);
  return section;
}

/** The chart's figures as a table, folded: what a screen reader or a careful reader wants. */
function figures(headers: string[], rows: (string | number | null)[][]): HTMLElement {
  return h(
    'details',
    { class: 'figures' },
    h('summary', {}, 'Figures'),
    h(
      'table',
      { class: 'grid-table' },
      h('thead', {}, h('tr', {}, ...headers.map((x, i) => h('th', { class: i === 0 ? '' : 'num' }, x)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { class: i === 0 ? '' : 'num' }, typeof c === 'number' || c === null ? fmt(c) : c))))),
    ),
  );
}

function burndownSection(b: SprintBurndown): HTMLElement[] {
  const head = h(
    'section',
    { class: 'report-head' },
    h('h2', {}, openLink('sprint', b.sprintId, b.name, `Open ${b.name} in sprints.yml`), h('span', { class: 'muted' }, ` · ${shortDate(b.start)} – ${shortDate(b.end)} · ${b.state}`)),
    b.goal ? h('p', { class: 'goal' }, b.goal) : null,
    h(
      'div',
      { class: 'stats' },
      stat(b.committedSource === 'recorded' ? 'committed' : 'at the start', fmt(b.committed)),
      stat('in scope now', fmt(b.scopeNow)),
      stat('done', fmt(b.completedNow), 'done'),
      stat('remaining', fmt(b.remainingNow), 'remaining'),
    ),
  );
  return [
    head,
    figure(model!),
    changesList(b.changes, 'Scope changes since the start'),
    figures(
      ['Day', 'Ideal', 'Remaining', 'Done', 'Scope', 'Added', 'Removed'],
      b.days.map((d) => [`${shortDate(d.date)}${d.workday ? '' : ' (off)'}`, d.ideal, d.remaining, d.completed, d.scope, d.added, d.removed]),
    ),
    notes(b.notes),
  ].filter((x): x is HTMLElement => x !== null);
}

function releaseSection(r: ReleaseBurn): HTMLElement[] {
  const forecast = r.forecast ?? '';
  const head = h(
    'section',
    { class: 'report-head' },
    h('h2', {}, openLink('release', r.releaseId, r.name, `Open ${r.name}`), r.date ? h('span', { class: 'muted' }, ` · ${shortDate(r.date)}`) : null),
    r.goal ? h('p', { class: 'goal' }, r.goal) : null,
    h('div', { class: 'stats' }, stat('in scope', fmt(r.scopeNow)), stat('done', fmt(r.completedNow), 'done'), stat('remaining', fmt(r.remainingNow), 'remaining')),
    h('p', { class: `forecast ${r.onTrack === false ? 'late' : ''}`, attrs: { role: 'note' } }, forecast),
  );
  return [
    head,
    figure(model!),
    changesList(r.changes, 'Scope changes, sprint by sprint', { heading: 'Seen by', tip: 'The end of the sprint (or today) by which the change was in the files; the burndown of that sprint has its day.' }),
    figures(
      ['Sprint', 'Scope', 'Done', 'Remaining', 'Added', 'Removed'],
      r.columns.map((c) => [`${c.name} (${shortDate(c.date)})`, c.scope, c.completed, c.remaining, c.added, c.removed]),
    ),
    notes(r.notes),
  ].filter((x): x is HTMLElement => x !== null);
}

function velocitySection(v: VelocityReport): HTMLElement[] {
  const head = h(
    'section',
    { class: 'report-head' },
    h('h2', {}, 'Velocity'),
    h(
      'div',
      { class: 'stats' },
      stat(v.averageOver.length > 0 ? `average of ${v.averageOver.join(', ')}` : 'average (no sprint closed yet)', fmt(v.average)),
    ),
  );
  return [
    head,
    figure(model!),
    figures(
      ['Sprint', 'Committed', 'Completed', 'Done of committed'],
      v.sprints.map((s) => [`${s.name}${s.state === 'active' ? ' (under way)' : ''}`, s.committed, s.completed, s.committed > 0 ? `${Math.round((s.completed / s.committed) * 100)}%` : '–']),
    ),
    notes(v.notes),
  ].filter((x): x is HTMLElement => x !== null);
}

panel.ready();
