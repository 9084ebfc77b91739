// Exports of the roadmap for people outside the editor: Markdown for a wiki or a pull request,
// a self-contained HTML page, and an SVG picture of the timeline. Everything here is pure: the
// caller writes the returned text wherever the user chose.
//
// Titles and descriptions come from files anyone can commit, so every piece of user text is
// escaped for the format it lands in. Descriptions arrive as `descriptionHtml`, which
// `renderSafeMarkdown` has already made safe, and are inserted as they are into HTML.

import { dayNumber } from '../../core/dates';
import { escapeMarkdown, escapeXml, standalonePage } from '../exportText';
import {
  BOARD_COLUMNS,
  BoardColumn,
  ProgressView,
  RoadmapEpicView,
  RoadmapMarker,
  RoadmapModel,
  RoadmapOptions,
  RoadmapThemeView,
  Span,
  TimelinePlace,
} from '../../protocol/roadmapProtocol';

const COLUMN_TITLES: Record<BoardColumn, string> = { now: 'Now', next: 'Next', later: 'Later', unscheduled: 'Unscheduled' };

// ---------------------------------------------------------------------------------------------
// Shared helpers

function isTeam(options: RoadmapOptions): boolean {
  return options.audience === 'team';
}

function themesIn(model: RoadmapModel, column: BoardColumn): RoadmapThemeView[] {
  return model.themes.filter((t) => t.column === column);
}

/** Goals are referenced by id; show the goal's title when the model knows it. */
function goalTitle(model: RoadmapModel, goal: string): string {
  return model.goals.find((g) => g.id === goal)?.title ?? goal;
}

function points(p: ProgressView): string {
  return `${p.pointsDone}/${p.pointsTotal} points`;
}

/** Points first, since that is what roadmaps are planned in; items when nothing is estimated. */
function progressText(p: ProgressView): string {
  const items = `${p.itemsDone}/${p.itemsTotal} items done`;
  if (p.pointsTotal === 0) return p.itemsTotal > 0 ? items : 'nothing planned yet';
  return p.itemsTotal > 0 ? `${points(p)}, ${items}` : points(p);
}

/** Done share in whole percent; points when there are any, else items. */
function percent(p: ProgressView): number {
  const [done, total] = p.pointsTotal > 0 ? [p.pointsDone, p.pointsTotal] : [p.itemsDone, p.itemsTotal];
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** Milestones and releases by date, then title, so the list reads as a calendar. */
function sortedMarkers(markers: RoadmapMarker[]): RoadmapMarker[] {
  return [...markers].sort((a, b) => a.date.localeCompare(b.date) || a.title.localeCompare(b.title));
}

function markerKind(m: RoadmapMarker): string {
  return m.kind === 'milestone' ? 'Milestone' : 'Release';
}

/** Says which filters were on, since a filtered export otherwise looks like the whole roadmap. */
function filterNote(model: RoadmapModel, options: RoadmapOptions): string | undefined {
  const parts: string[] = [];
  if (options.goal) parts.push(`goal ${goalTitle(model, options.goal)}`);
  if (options.theme) parts.push(`theme ${model.themes.find((t) => t.id === options.theme)?.title ?? options.theme}`);
  if (options.label) parts.push(`label ${options.label}`);
  return parts.length > 0 ? `Showing only ${parts.join(', ')}.` : undefined;
}

function audienceText(options: RoadmapOptions): string {
  return isTeam(options) ? 'Team view' : 'Stakeholder view';
}

const esc = escapeXml;
const mdText = escapeMarkdown;

/** A paragraph that starts like a list item, heading underline or rule would turn into one. */
function mdParagraph(text: string): string {
  return mdText(text).replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Plain paragraphs from safe HTML: block ends become breaks, tags go, the five entities decode. */
function htmlToParagraphs(html: string): string[] {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li>/gi, '\n\n• ')
    .replace(/<\/(p|li|h[1-6]|pre|blockquote|ul|ol|tr)>/gi, '\n\n');
  const untagged = stripTags(text).replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
  return untagged
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * What `.replace(/<[^>]*>/g, '')` does, in one pass: that pattern scans to the end from every `<`
 * when no `>` follows, which a long run of them makes quadratic.
 */
export function stripTags(text: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('<', from);
    const close = open === -1 ? -1 : text.indexOf('>', open + 1);
    // No `>` after this `<` means none after any later `<` either: nothing more to remove.
    if (close === -1) break;
    parts.push(text.slice(from, open));
    from = close + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

function mdDescription(html: string): string[] {
  return htmlToParagraphs(html).flatMap((p) => [mdParagraph(p), '']);
}

function mdEpic(epic: RoadmapEpicView, note: string | undefined): string[] {
  const release = epic.release ? `, release ${mdText(epic.release.name)}${epic.release.date ? ` (${mdText(epic.release.date)})` : ''}` : '';
  const where = note ? ` (${note})` : '';
  const lines = [`- ${mdText(epic.title)} (${mdText(epic.id)})${where}: ${progressText(epic.progress)}${release}`];
  for (const story of epic.stories) {
    lines.push(`  - [${story.done ? 'x' : ' '}] ${mdText(story.title)} (${mdText(story.id)})`);
  }
  return lines;
}

function mdTheme(model: RoadmapModel, theme: RoadmapThemeView, team: boolean): string[] {
  const lines = [`### ${mdText(theme.title)} (${mdText(theme.id)}, ${theme.kind})`, ''];
  if (theme.goal) lines.push(`Goal: ${mdText(goalTitle(model, theme.goal))}`, '');
  lines.push(`Progress: ${progressText(theme.progress)}`, '');
  if (theme.overdue) lines.push('**Overdue:** its quarter has ended with work left.', '');
  lines.push(...mdDescription(theme.descriptionHtml));
  if (team && theme.epics.length > 0) {
    // An epic moved to another horizon stays under its theme, with a note saying where it went.
    for (const epic of theme.epics) lines.push(...mdEpic(epic, epic.column !== theme.column ? `in ${COLUMN_TITLES[epic.column]}` : undefined));
    lines.push('');
  }
  return lines;
}

function mdGoals(model: RoadmapModel): string[] {
  if (model.goals.length === 0) return [];
  const lines = ['## Goals', ''];
  for (const goal of model.goals) {
    lines.push(`- ${mdText(goal.title)} (${mdText(goal.id)}): ${progressText(goal.progress)}`);
    for (const p of htmlToParagraphs(goal.descriptionHtml)) lines.push('', `  ${mdParagraph(p)}`, '');
  }
  return [...lines, ''];
}

function mdMarkers(model: RoadmapModel): string[] {
  const lines = ['## Milestones and releases', ''];
  const markers = sortedMarkers(model.markers);
  if (markers.length === 0) lines.push('None planned.');
  for (const m of markers) lines.push(`- ${mdText(m.date)}: ${markerKind(m)} ${mdText(m.title)} (${mdText(m.id)})`);
  return [...lines, ''];
}

/** The roadmap as a Markdown document: vision, goals, Now/Next/Later columns and milestones. */
export function roadmapMarkdown(model: RoadmapModel, options: RoadmapOptions): string {
  const team = isTeam(options);
  const lines = [`# ${mdText(model.projectName)} roadmap`, ''];
  lines.push(`_${audienceText(options)}, as of ${mdText(model.timeline.today)}._`, '');
  const filter = filterNote(model, options);
  if (filter) lines.push(mdParagraph(filter), '');
  const vision = (model.vision ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p);
  if (vision.length > 0) lines.push(vision.map((p) => `> ${mdParagraph(p)}`).join('\n>\n'), '');
  lines.push(...mdGoals(model));
  for (const column of BOARD_COLUMNS) {
    lines.push(`## ${COLUMN_TITLES[column]}`, '');
    const themes = themesIn(model, column);
    if (themes.length === 0) lines.push('Nothing here yet.', '');
    for (const theme of themes) lines.push(...mdTheme(model, theme, team));
  }
  if (team && model.epicsWithoutTheme.length > 0) {
    lines.push('## Epics without a theme', '');
    for (const epic of model.epicsWithoutTheme) lines.push(...mdEpic(epic, `in ${COLUMN_TITLES[epic.column]}`));
    lines.push('');
  }
  lines.push(...mdMarkers(model));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const HTML_STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0;
  --accent: #0969da; --bar: #dde3ea; --done: #1a7f37; --warn: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #161b22; --line: #3d444d;
    --accent: #4493f8; --bar: #30363d; --done: #3fb950; --warn: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 4px; }
a { color: var(--accent); }
.meta, .note { color: var(--muted); font-size: 12px; }
blockquote { margin: 0; padding: 8px 16px; border-left: 4px solid var(--accent); background: var(--card); font-size: 16px; }
ul { padding-left: 20px; }
.board { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 16px; align-items: start; }
.column { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
.column > h2 { margin: 0 0 10px; font-size: 16px; }
.count { color: var(--muted); font-weight: normal; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-bottom: 10px; }
.card.overdue { border-left: 4px solid var(--warn); }
.overdue-note { color: var(--warn); font-size: 12px; font-weight: 600; }
.desc p { margin: 6px 0; }
.progress { display: flex; align-items: center; gap: 8px; font-size: 12px; color: var(--muted); }
.track { flex: 1; max-width: 360px; height: 6px; background: var(--bar); border-radius: 3px; overflow: hidden; min-width: 40px; }
.fill { display: block; height: 100%; background: var(--done); }
.epics { list-style: none; padding: 0; margin: 8px 0 0; border-top: 1px solid var(--line); }
.epics > li { padding: 6px 0; border-bottom: 1px dashed var(--line); }
.epics > li:last-child { border-bottom: none; }
.stories { margin: 4px 0 0; padding-left: 18px; font-size: 12px; }
.stories .done { color: var(--muted); text-decoration: line-through; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
.timeline { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #ffffff; }
.timeline svg { display: block; }
.markers li { margin: 2px 0; }
.empty { color: var(--muted); font-style: italic; }
`;

function htmlProgress(p: ProgressView): string {
  const pct = percent(p);
  return `<div class="progress"><span class="track" role="img" aria-label="${pct}% done"><span class="fill" style="width:${pct}%"></span></span><span>${esc(progressText(p))}</span></div>`;
}

function htmlStories(epic: RoadmapEpicView): string {
  if (epic.stories.length === 0) return '';
  const items = epic.stories
    .map((s) => `<li${s.done ? ' class="done"' : ''}>${s.done ? '☑' : '☐'} ${esc(s.title)} <span class="note">${esc(s.id)}</span></li>`)
    .join('');
  const done = epic.stories.filter((s) => s.done).length;
  // <details> folds long story lists without a script.
  return `<details><summary>${done}/${epic.stories.length} stories done</summary><ul class="stories">${items}</ul></details>`;
}

function htmlEpic(epic: RoadmapEpicView, note: string | undefined): string {
  const release = epic.release ? ` · release ${esc(epic.release.name)}${epic.release.date ? ` (${esc(epic.release.date)})` : ''}` : '';
  const where = note ? ` · ${esc(note)}` : '';
  return `<li><strong>${esc(epic.title)}</strong> <span class="note">${esc(epic.id)}${where}${release}</span>${htmlProgress(epic.progress)}${htmlStories(epic)}</li>`;
}

function htmlCard(model: RoadmapModel, theme: RoadmapThemeView, team: boolean): string {
  const goal = theme.goal ? ` · goal: ${esc(goalTitle(model, theme.goal))}` : '';
  const parts = [
    `<article class="card${theme.overdue ? ' overdue' : ''}">`,
    `<h3>${esc(theme.title)}</h3>`,
    `<div class="meta">${esc(theme.id)} · ${theme.kind}${goal}</div>`,
    theme.overdue ? '<div class="overdue-note">Overdue: its quarter has ended with work left.</div>' : '',
    theme.descriptionHtml ? `<div class="desc">${theme.descriptionHtml}</div>` : '',
    htmlProgress(theme.progress),
  ];
  if (team && theme.epics.length > 0) {
    const epics = theme.epics.map((e) => htmlEpic(e, e.column !== theme.column ? `in ${COLUMN_TITLES[e.column]}` : undefined));
    parts.push(`<ul class="epics">${epics.join('')}</ul>`);
  }
  parts.push('</article>');
  return parts.join('');
}

function htmlBoard(model: RoadmapModel, team: boolean): string {
  const columns = BOARD_COLUMNS.map((column) => {
    const themes = themesIn(model, column);
    const cards = themes.length > 0 ? themes.map((t) => htmlCard(model, t, team)).join('\n') : '<p class="empty">Nothing here yet.</p>';
    return `<section class="column"><h2>${COLUMN_TITLES[column]} <span class="count">${themes.length}</span></h2>\n${cards}\n</section>`;
  });
  return `<div class="board">\n${columns.join('\n')}\n</div>`;
}

function htmlGoals(model: RoadmapModel): string {
  if (model.goals.length === 0) return '';
  const items = model.goals.map(
    (g) => `<li><strong>${esc(g.title)}</strong> <span class="note">${esc(g.id)}</span>${g.descriptionHtml ? `<div class="desc">${g.descriptionHtml}</div>` : ''}${htmlProgress(g.progress)}</li>`,
  );
  return `<section><h2>Goals</h2><ul>${items.join('')}</ul></section>`;
}

function htmlMarkers(model: RoadmapModel): string {
  const markers = sortedMarkers(model.markers);
  const items = markers.map((m) => `<li><time>${esc(m.date)}</time> · ${markerKind(m)} <strong>${esc(m.title)}</strong> <span class="note">${esc(m.id)}</span></li>`);
  const list = items.length > 0 ? `<ul class="markers">${items.join('')}</ul>` : '<p class="empty">None planned.</p>';
  return `<section><h2>Milestones and releases</h2>${list}</section>`;
}

function htmlEpicsWithoutTheme(model: RoadmapModel): string {
  if (model.epicsWithoutTheme.length === 0) return '';
  const items = model.epicsWithoutTheme.map((e) => htmlEpic(e, `in ${COLUMN_TITLES[e.column]}`));
  return `<section><h2>Epics without a theme</h2><ul class="epics">${items.join('')}</ul></section>`;
}

/** The roadmap as one self-contained HTML page: no scripts, no external resources, light and dark. */
export function roadmapHtml(model: RoadmapModel, options: RoadmapOptions): string {
  const team = isTeam(options);
  const filter = filterNote(model, options);
  const body = [
    `<header><h1>${esc(model.projectName)} roadmap</h1><div class="meta">${audienceText(options)}, as of ${esc(model.timeline.today)}</div>${filter ? `<p class="note">${esc(filter)}</p>` : ''}</header>`,
    model.vision ? `<section><h2>Vision</h2><blockquote>${esc(model.vision).replace(/\r?\n/g, '<br>')}</blockquote></section>` : '',
    htmlGoals(model),
    options.layout === 'timeline'
      ? `<section><h2>Timeline</h2><div class="timeline">${roadmapSvg(model, options)}</div></section>`
      : `<section><h2>Board</h2>${htmlBoard(model, team)}</section>`,
    team ? htmlEpicsWithoutTheme(model) : '',
    htmlMarkers(model),
  ];
  return standalonePage(`${model.projectName} roadmap`, HTML_STYLE, body);
}

// ---------------------------------------------------------------------------------------------
// SVG

const SVG = {
  labelWidth: 240,
  headerHeight: 46,
  /** Space above the first row of a lane and below its last. */
  lanePad: 8,
  /** A lane's row: a bar and the gap under it. */
  row: 20,
  bar: 14,
  /** A lane without bars still holds its title. */
  minLane: 30,
  footerRow: 16,
  listRow: 18,
  /** What an 11 px label needs per character, to cut it to the width of its bar. */
  charWidth: 6.5,
};

const SVG_STYLE = `
.rt-text { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; }
.rt-small { font-size: 11px; }
.rt-head { font-weight: 600; }
.rt-theme { font-weight: 600; }
.rt-halo { paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
`;

/** Days since 1970 for an ISO date, so that positions are linear in calendar days. */
function day(iso: string): number {
  return dayNumber(iso) ?? NaN;
}

/** Maps a date to x between the label column and the right edge; outside dates are clamped. */
function xScale(model: RoadmapModel, plotWidth: number): (iso: string) => number {
  const from = day(model.timeline.start);
  const to = day(model.timeline.end);
  const range = to > from ? to - from : 1;
  return (iso) => {
    const d = day(iso);
    const t = Number.isFinite(d) ? Math.max(0, Math.min(1, (d - from) / range)) : 0;
    return round(SVG.labelWidth + t * plotWidth);
  };
}

function inRange(model: RoadmapModel, iso: string): boolean {
  const d = day(iso);
  return d >= day(model.timeline.start) && d <= day(model.timeline.end);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Long titles would run into the bars; the full text stays in a tooltip. */
function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' '));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

// Colours are presentation attributes, not CSS, so that they survive renderers that ignore <style>.
const INK = '#1f2328';
const MUTED = '#59636e';
const ALERT = '#cf222e';
const MILESTONE = '#8250df';
const RELEASE = '#1a7f37';

function svgText(x: number, y: number, text: string, cls: string, fill = INK, extra = ''): string {
  return `<text x="${x}" y="${y}" class="rt-text${cls ? ` ${cls}` : ''}" fill="${fill}"${extra}>${esc(text)}</text>`;
}

/** Every other lane is shaded, so that the eye can follow one across; the others get an unfilled rect, so that every lane's extent is in the picture. */
function laneBackground(y: number, width: number, h: number, index: number): string {
  return `<rect class="rt-lane" x="0" y="${y}" width="${width}" height="${h}" fill="${index % 2 === 1 ? '#f6f8fa' : 'none'}" />`;
}

function laneHeight(rows: number): number {
  return Math.max(SVG.minLane, 2 * SVG.lanePad + rows * SVG.row - (SVG.row - SVG.bar));
}

interface BarColour {
  fill: string;
  done: string;
  /** The gradient an open bar fades out with. */
  fade: string;
  cls: string;
}
const THEME_COLOUR: BarColour = { fill: '#8cb4f0', done: '#2f6fd6', fade: 'rt-fade-theme', cls: 'rt-bar' };
const EPIC_COLOUR: BarColour = { fill: '#a8d5a0', done: '#2e8540', fade: 'rt-fade-epic', cls: 'rt-bar rt-epic' };

/**
 * A bar where the model placed it, with a done share drawn darker; open spans fade out at the
 * right edge. `label` is written on the bar, cut to its width.
 */
function svgBar(place: TimelinePlace, span: Span | undefined, plotWidth: number, top: number, p: ProgressView, colour: BarColour, overdue: boolean, label = ''): string {
  const x0 = round(SVG.labelWidth + place.left * plotWidth);
  // 2 px short, so that two bars that follow each other on one row stay apart.
  const w = round(Math.max(2, place.width * plotWidth - 2));
  const x1 = round(x0 + w);
  const y = round(top + place.row * SVG.row);
  const h = SVG.bar;
  const open = span?.open === true;
  const fill = open ? `url(#${colour.fade})` : colour.fill;
  const stroke = overdue ? ` stroke="${ALERT}" stroke-width="2"` : '';
  const done = round((w * percent(p)) / 100);
  const parts = [`<rect class="${colour.cls}" x="${x0}" y="${y}" width="${w}" height="${h}" rx="3" fill="${fill}"${stroke} />`];
  if (done > 0) parts.push(`<rect class="rt-done" x="${x0}" y="${y}" width="${done}" height="${h}" rx="3" fill="${colour.done}" />`);
  if (open) parts.push(`<line x1="${x1}" y1="${y}" x2="${x1}" y2="${y + h}" stroke="${colour.fill}" stroke-width="2" stroke-dasharray="2 2" />`);
  const fits = Math.floor((w - 8) / SVG.charWidth);
  if (label !== '' && fits >= 4) parts.push(svgText(x0 + 4, y + 11, clip(label, fits), 'rt-small rt-halo'));
  return parts.join('');
}

function svgFade(colour: BarColour): string {
  const stop = (offset: string, opacity: string) => `<stop offset="${offset}" stop-color="${colour.fill}" stop-opacity="${opacity}" />`;
  return `<linearGradient id="${colour.fade}" x1="0" x2="1" y1="0" y2="0">${stop('0', '1')}${stop('0.6', '1')}${stop('1', '0.05')}</linearGradient>`;
}

function svgLane(theme: RoadmapThemeView, y: number, width: number, plotWidth: number, team: boolean, index: number): string {
  const h = laneHeight(theme.rows);
  const parts = [`<g><title>${esc(`${theme.title} (${theme.id}, ${theme.kind}): ${progressText(theme.progress)}`)}</title>`];
  parts.push(laneBackground(y, width, h, index));
  const overdue = theme.overdue ? `<tspan fill="${ALERT}"> · overdue</tspan>` : '';
  parts.push(`<text x="10" y="${y + 20}" class="rt-text rt-theme" fill="${INK}">${esc(clip(theme.title, theme.overdue ? 22 : 30))}${overdue}</text>`);
  const top = y + SVG.lanePad;
  if (theme.place) parts.push(svgBar(theme.place, theme.span, plotWidth, top, theme.progress, THEME_COLOUR, theme.overdue));
  if (team) parts.push(...svgEpicBars(theme.epics, plotWidth, top));
  parts.push(`</g>`);
  return parts.join('');
}

/** Epic bars on the rows the model packed them into, each titled for a tooltip. */
function svgEpicBars(epics: readonly RoadmapEpicView[], plotWidth: number, top: number): string[] {
  return epics.flatMap((epic) =>
    epic.place
      ? [`<g><title>${esc(`${epic.title} (${epic.id}): ${progressText(epic.progress)}`)}</title>${svgBar(epic.place, epic.span, plotWidth, top, epic.progress, EPIC_COLOUR, false, `${epic.id} ${epic.title}`)}</g>`]
      : [],
  );
}

function svgLaneWithoutTheme(model: RoadmapModel, y: number, width: number, plotWidth: number, index: number): string {
  const h = laneHeight(model.rowsWithoutTheme);
  const parts = ['<g>'];
  parts.push(laneBackground(y, width, h, index));
  parts.push(svgText(10, y + 20, 'No theme', 'rt-theme', MUTED));
  parts.push(...svgEpicBars(model.epicsWithoutTheme, plotWidth, y + SVG.lanePad), '</g>');
  return parts.join('');
}

function svgHeader(model: RoadmapModel, x: (iso: string) => number, width: number, height: number): string {
  const parts = [`<rect x="0" y="0" width="${width}" height="${SVG.headerHeight}" fill="#eaeef2" />`];
  for (const period of model.timeline.periods) {
    const x0 = x(period.start);
    const x1 = x(period.end);
    parts.push(`<line class="rt-grid" x1="${x0}" y1="0" x2="${x0}" y2="${height}" stroke="#d1d9e0" />`);
    parts.push(svgText(round((x0 + x1) / 2), 22, period.label, 'rt-head', INK, ' text-anchor="middle"'));
  }
  parts.push(svgText(10, 22, 'Theme', 'rt-head'));
  return parts.join('');
}

/** What has no place on the timeline, one line each, as the panel's Unscheduled lane lists it. */
function unscheduledLines(model: RoadmapModel, team: boolean): string[] {
  return [
    ...model.themes.filter((t) => !t.place).map((t) => `${clip(t.title, 60)} (${t.id})`),
    ...(team ? [...model.themes.flatMap((t) => t.epics), ...model.epicsWithoutTheme].filter((e) => !e.place).map((e) => `Epic ${clip(e.title, 54)} (${e.id})`) : []),
  ];
}

function unscheduledHeight(lines: string[]): number {
  return 16 + lines.length * SVG.listRow;
}

function svgUnscheduled(lines: string[], y: number, width: number): string {
  const parts = [`<rect x="0" y="${y}" width="${width}" height="${unscheduledHeight(lines)}" fill="#fff8c5" fill-opacity="0.5" />`];
  parts.push(svgText(10, y + 20, 'Unscheduled', 'rt-theme'));
  lines.forEach((line, i) => parts.push(svgText(SVG.labelWidth + 8, y + 20 + i * SVG.listRow, line, '')));
  return parts.join('');
}

function svgToday(model: RoadmapModel, x: (iso: string) => number, bottom: number): string {
  if (!inRange(model, model.timeline.today)) return '';
  const tx = x(model.timeline.today);
  return (
    `<line class="rt-today" x1="${tx}" y1="${SVG.headerHeight - 14}" x2="${tx}" y2="${bottom}" stroke="${ALERT}" stroke-width="1.5" stroke-dasharray="4 3" />` +
    svgText(tx + 4, SVG.headerHeight - 5, 'Today', 'rt-small', ALERT)
  );
}

/** Milestones are purple diamonds, releases green flags; labels alternate rows to overlap less. */
function svgMarkers(model: RoadmapModel, x: (iso: string) => number, top: number, bottom: number): string {
  const lines: string[] = [];
  const labels: string[] = [];
  sortedMarkers(model.markers)
    .filter((m) => inRange(model, m.date))
    .forEach((m, i) => {
      const mx = x(m.date);
      const colour = m.kind === 'milestone' ? MILESTONE : RELEASE;
      const ly = bottom + 14 + (i % 2) * SVG.footerRow;
      const shape =
        m.kind === 'milestone'
          ? `<path d="M${mx} ${bottom - 5} l5 5 l-5 5 l-5 -5 z" fill="${colour}" />`
          : `<path d="M${mx} ${bottom - 5} l8 4 l-8 4 z" fill="${colour}" />`;
      lines.push(
        `<g><title>${esc(`${markerKind(m)} ${m.title} (${m.id}), ${m.date}`)}</title>` +
          `<line class="rt-marker rt-${m.kind}" x1="${mx}" y1="${top}" x2="${mx}" y2="${ly - 10}" stroke="${colour}" stroke-width="1.5"${m.kind === 'release' ? ' stroke-dasharray="6 2"' : ''} />` +
          `${shape}</g>`,
      );
      labels.push(svgText(mx + 4, ly, `${m.kind === 'milestone' ? '◆' : '▶'} ${clip(m.title, 28)}`, 'rt-small rt-halo', colour));
    });
  // Labels go over every line, and their halo keeps them readable where a later line crosses.
  return lines.join('') + labels.join('');
}

/** The roadmap's timeline as a standalone SVG picture: periods, one lane per theme, today, markers. */
export function roadmapSvg(model: RoadmapModel, options: RoadmapOptions): string {
  const team = isTeam(options);
  const periodWidth = options.scale === 'month' ? 90 : 200;
  const plotWidth = Math.max(1, model.timeline.periods.length) * periodWidth;
  const width = SVG.labelWidth + plotWidth + 20;
  const x = xScale(model, plotWidth);
  // The lanes the panel draws: a theme's when its bar or one of its epics' is on the timeline.
  const scheduled = model.themes.filter((t) => t.place || (team && t.epics.some((e) => e.place)));
  const unscheduled = unscheduledLines(model, team);

  const lanes: string[] = [];
  let y = SVG.headerHeight;
  scheduled.forEach((theme, i) => {
    lanes.push(svgLane(theme, y, width, plotWidth, team, i));
    y += laneHeight(theme.rows);
  });
  if (team && model.rowsWithoutTheme > 0) {
    lanes.push(svgLaneWithoutTheme(model, y, width, plotWidth, scheduled.length));
    y += laneHeight(model.rowsWithoutTheme);
  }
  if (unscheduled.length > 0) {
    lanes.push(svgUnscheduled(unscheduled, y, width));
    y += unscheduledHeight(unscheduled);
  }
  const markersShown = model.markers.some((m) => inRange(model, m.date));
  const height = y + (markersShown ? 2 * SVG.footerRow + 10 : 10);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${model.projectName} roadmap timeline`)}">`,
    `<title>${esc(`${model.projectName} roadmap, as of ${model.timeline.today}`)}</title>`,
    `<style>${SVG_STYLE}</style>`,
    // An open bar fades out to say "no end date yet" rather than ending at the picture's edge.
    `<defs>${svgFade(THEME_COLOUR)}${svgFade(EPIC_COLOUR)}</defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff" />`,
    svgHeader(model, x, width, y),
    ...lanes,
    `<line x1="${SVG.labelWidth}" y1="0" x2="${SVG.labelWidth}" y2="${y}" stroke="#afb8c1" />`,
    svgToday(model, x, y),
    svgMarkers(model, x, SVG.headerHeight, y),
    '</svg>',
  ]
    .filter((part) => part !== '')
    .join('\n')
    .concat('\n');
}
