// Exports of the story map for people outside the editor: Markdown for a wiki or a pull request,
// and a self-contained HTML page. Pure: the caller writes the returned text wherever the user
// chose. Titles come from files anyone can commit, so every piece of user text is escaped for
// the format it lands in.
//
// Both exports show the whole map: collapsing an activity or a slice in the panel is a way of
// looking, not a filter, and a shared document should not silently lack part of the plan.

import { escapeMarkdown, escapeXml, standalonePage } from '../exportText';
import { ActivityView, SliceRow, SliceView, StoryCard, StoryMapModel, StoryMapOptions, UNMAPPED } from '../../protocol/storyMapProtocol';

const UNMAPPED_TITLE = 'Unmapped';

// ---------------------------------------------------------------------------------------------
// Shared helpers

function rowOf(model: StoryMapModel, slice: SliceView): SliceRow | undefined {
  return model.rows.find((r) => r.sliceId === slice.id);
}

function cell(row: SliceRow | undefined, stepId: string): StoryCard[] {
  return row?.cells[stepId] ?? [];
}

function unmappedCards(model: StoryMapModel): boolean {
  return model.rows.some((r) => cell(r, UNMAPPED).length > 0);
}

function pointsText(points: number): string {
  return points === 1 ? '1 pt' : `${points} pts`;
}

/** The header line of a slice: name, goal and done/total points, as the panel shows them. */
function sliceParts(slice: SliceView): string[] {
  return [slice.title, ...(slice.goal ? [slice.goal] : []), `${slice.pointsDone}/${slice.pointsTotal} pts`];
}

/** The smaller print under a slice's header: dates, sprint state, capacity and items done. */
function sliceDetails(slice: SliceView): string[] {
  const parts: string[] = [];
  if (slice.dates) parts.push(slice.dates);
  if (slice.state) parts.push(slice.state);
  if (slice.capacityLabel) parts.push(slice.capacityLabel);
  parts.push(`${slice.itemsDone}/${slice.itemsTotal} items done`);
  return parts;
}

function sliceKind(options: StoryMapOptions): string {
  return options.sliceBy === 'sprint' ? 'Sliced by sprint' : 'Sliced by release';
}

const esc = escapeXml;
const mdText = escapeMarkdown;

/** Text at the start of a list item, where `- x` or `1. x` would start a nested list (`1.0` would not). */
function mdLead(text: string): string {
  return mdText(text).replace(/^([-+])(?=\s|$)/, '\\$1').replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

function mdCard(card: StoryCard, indent: string): string {
  const points = card.points > 0 ? ` (${pointsText(card.points)})` : '';
  return `${indent}- [${card.done ? 'x' : ' '}] ${mdText(card.id)} ${mdText(card.title)}${points}`;
}

function mdSlice(model: StoryMapModel, slice: SliceView): string[] {
  const row = rowOf(model, slice);
  const skeleton = slice.walkingSkeleton ? ' (walking skeleton)' : '';
  // A heading's text is inline: `1. x` or `- x` there is no list, so only inline marks are escaped.
  const lines = [`## ${sliceParts(slice).map(mdText).join(' — ')}${skeleton}`, ''];
  lines.push(`_${sliceDetails(slice).map(mdText).join(' · ')}_`, '');
  if (slice.itemsTotal === 0) return [...lines, 'No stories yet.', ''];
  for (const activity of model.activities) {
    lines.push(`### ${mdText(activity.title)}`, '');
    if (activity.steps.length === 0) lines.push('No steps yet.');
    for (const step of activity.steps) {
      const cards = cell(row, step.id);
      lines.push(`- ${mdLead(step.title)}${cards.length === 0 ? ': no stories' : ''}`);
      for (const card of cards) lines.push(mdCard(card, '  '));
    }
    lines.push('');
  }
  const unmapped = cell(row, UNMAPPED);
  if (unmapped.length > 0) {
    lines.push(`### ${UNMAPPED_TITLE}`, '');
    for (const card of unmapped) lines.push(mdCard(card, ''));
    lines.push('');
  }
  return lines;
}

/** The story map as a Markdown document: one section per slice, activities and steps inside. */
export function storyMapMarkdown(model: StoryMapModel, options: StoryMapOptions): string {
  const lines = [`# ${mdText(model.projectName)} story map`, ''];
  lines.push(`_${sliceKind(options)}; ${model.cardCount} ${model.cardCount === 1 ? 'story' : 'stories'}._`, '');
  if (model.activities.length === 0) lines.push('No activities yet: add them to storymap.yml.', '');
  for (const slice of model.slices) lines.push(...mdSlice(model, slice));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const HTML_STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa; --line: #d1d9e0;
  --head: #eaeef2; --band: #ddf4ff; --skeleton: #fff8c5; --accent: #0969da; --done: #1a7f37; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #161b22; --line: #3d444d;
    --head: #21262d; --band: #0c2d6b; --skeleton: #3b2e00; --accent: #4493f8; --done: #3fb950; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 26px; }
.meta, .note { color: var(--muted); font-size: 12px; }
.wrap { overflow-x: auto; margin-top: 16px; }
table.map { border-collapse: collapse; min-width: 100%; }
.map th, .map td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; min-width: 180px; }
.map thead th { background: var(--head); position: sticky; top: 0; }
.map th.activity { font-size: 15px; }
.map th.step { font-weight: 600; font-size: 13px; }
.map th.unmapped { font-style: italic; }
.map tr.band th { background: var(--band); font-size: 14px; }
.map tr.band.skeleton th { background: var(--skeleton); }
.badge { display: inline-block; margin-left: 8px; padding: 0 6px; border: 1px solid var(--line); border-radius: 9px; font-size: 11px; font-weight: normal; }
.cards { list-style: none; margin: 0; padding: 0; }
.card { background: var(--card); border: 1px solid var(--line); border-left: 3px solid var(--accent); border-radius: 4px; padding: 4px 6px; margin-bottom: 6px; }
.card.done { border-left-color: var(--done); color: var(--muted); }
.card.done .title { text-decoration: line-through; }
.card .id { color: var(--muted); font-size: 11px; margin-right: 4px; }
.card .pts { float: right; color: var(--muted); font-size: 11px; }
.empty { color: var(--muted); font-style: italic; }
`;

/** A header column: a step, an activity without steps (one blank column), or Unmapped. */
interface Column {
  stepId: string | undefined;
}

function columnsOf(model: StoryMapModel, withUnmapped: boolean): Column[] {
  const columns = model.activities.flatMap((a): Column[] => (a.steps.length > 0 ? a.steps.map((s) => ({ stepId: s.id })) : [{ stepId: undefined }]));
  if (withUnmapped) columns.push({ stepId: UNMAPPED });
  return columns;
}

function htmlCard(card: StoryCard): string {
  const points = card.points > 0 ? `<span class="pts">${pointsText(card.points)}</span>` : '';
  const state = card.done ? 'done' : 'open';
  return `<li class="card ${state}">${points}<span class="id">${esc(card.id)}</span> <span class="title">${esc(card.title)}</span> <span class="note">${esc(card.status)}</span></li>`;
}

function htmlCell(cards: StoryCard[]): string {
  return cards.length > 0 ? `<td><ul class="cards">${cards.map(htmlCard).join('')}</ul></td>` : '<td></td>';
}

function htmlHead(model: StoryMapModel, withUnmapped: boolean): string {
  const activityCells = model.activities.map((a: ActivityView) => `<th class="activity" scope="colgroup" colspan="${Math.max(1, a.steps.length)}">${esc(a.title)}</th>`);
  const stepCells = model.activities.flatMap((a) => (a.steps.length > 0 ? a.steps.map((s) => `<th class="step" scope="col">${esc(s.title)}</th>`) : ['<th class="step"></th>']));
  // Without any activity there is no step row, and Unmapped is the whole header.
  const rows = stepCells.length > 0 ? 2 : 1;
  if (withUnmapped) activityCells.push(`<th class="activity unmapped" scope="col" rowspan="${rows}">${UNMAPPED_TITLE}</th>`);
  const stepRow = rows === 2 ? `\n<tr>${stepCells.join('')}</tr>` : '';
  return `<thead>\n<tr>${activityCells.join('')}</tr>${stepRow}\n</thead>`;
}

function htmlBand(model: StoryMapModel, slice: SliceView, columns: Column[]): string {
  const row = rowOf(model, slice);
  const skeleton = slice.walkingSkeleton ? '<span class="badge">walking skeleton</span>' : '';
  const title = sliceParts(slice).map(esc).join(' — ');
  const band = `<tr class="band${slice.walkingSkeleton ? ' skeleton' : ''}"><th scope="rowgroup" colspan="${columns.length}">${title}${skeleton}<div class="meta">${esc(sliceDetails(slice).join(' · '))}</div></th></tr>`;
  const cells = columns.map((c) => (c.stepId === undefined ? '<td></td>' : htmlCell(cell(row, c.stepId))));
  return `<tbody>\n${band}\n<tr>${cells.join('')}</tr>\n</tbody>`;
}

/** The story map as a standalone HTML page: the backbone as header rows, one band per slice. */
export function storyMapHtml(model: StoryMapModel, options: StoryMapOptions): string {
  const withUnmapped = unmappedCards(model);
  const columns = columnsOf(model, withUnmapped);
  const title = `${model.projectName} story map`;
  const body =
    columns.length === 0
      ? '<p class="empty">No activities yet: add them to storymap.yml.</p>'
      : `<div class="wrap"><table class="map">\n${htmlHead(model, withUnmapped)}\n${model.slices.map((s) => htmlBand(model, s, columns)).join('\n')}\n</table></div>`;
  return standalonePage(title, HTML_STYLE, [
    `<h1>${esc(title)}</h1>`,
    `<div class="meta">${sliceKind(options)}; ${model.cardCount} ${model.cardCount === 1 ? 'story' : 'stories'}.</div>`,
    body,
  ]);
}
