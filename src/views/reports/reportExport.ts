// Exports of the Reports panel's charts for people outside the editor: a standalone SVG picture of
// a laid-out `ChartScene`, and each chart's figures as CSV. Pure: the caller writes the text.
//
// The SVG draws the scene the way the page does (webview/reports/chart.ts): same dash pattern,
// line widths and opacities, colours from the theme the page read, the legend under the chart.
// Texts (titles come from files anyone can commit) are escaped; colours are checked again here,
// so that nothing but a colour ever lands in an attribute.

import { escapeXml } from '../exportText';
import { CHART_STYLE, ChartMark, ChartPalette, ChartRole, ChartScene, parsePalette, ReleaseBurn, SprintBurndown, VelocityReport } from '../../protocol/reportsProtocol';

type PaletteKey = ChartRole | 'background';

/** Close to VS Code's default light theme (`--vscode-charts-*`, editor background). */
export const LIGHT_PALETTE: Required<ChartPalette> = {
  background: '#ffffff',
  axis: '#616161',
  grid: '#61616180',
  label: '#616161',
  title: '#616161',
  ideal: '#616161',
  remaining: '#1a85ff',
  completed: '#388a34',
  scope: '#652d90',
  committed: '#616161',
  added: '#d18616',
  removed: '#e51400',
  forecast: '#1a85ff',
  today: '#bf8803',
  target: '#e51400',
  average: '#652d90',
};

/** Close to VS Code's default dark theme. */
export const DARK_PALETTE: Required<ChartPalette> = {
  background: '#1e1e1e',
  axis: '#cccccc',
  grid: '#cccccc80',
  label: '#cccccc',
  title: '#cccccc',
  ideal: '#cccccc',
  remaining: '#3794ff',
  completed: '#89d185',
  scope: '#b180d7',
  committed: '#cccccc',
  added: '#d18616',
  removed: '#f14c4c',
  forecast: '#3794ff',
  today: '#cca700',
  target: '#f14c4c',
  average: '#b180d7',
};

// Drawn as the page draws it (webview/reports/chart.ts): both follow CHART_STYLE.
const DASH = CHART_STYLE.dash.join(' ');
const LINE_WIDTH = CHART_STYLE.lineWidth;
const FILL_OPACITY = CHART_STYLE.fillOpacity;
const LABEL_SIZE = CHART_STYLE.labelSize;
const TITLE_SIZE = 14;
const TITLE_BAND = 30;
const LEGEND_ROW = 20;

function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(Number.isFinite(r) && r !== 0 ? r : 0);
}

/**
 * A colour as SVG 1.1 renderers read it: `#rgba` and `#rrggbbaa` become a plain hex colour and
 * an opacity (some renderers ignore the alpha digits), other colours pass as they are.
 */
function paint(colour: string): { colour: string; opacity: number } {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(colour);
  if (short) return { colour: `#${short[1]}${short[2]}${short[3]}`, opacity: parseInt(short[4] + short[4], 16) / 255 };
  const long = /^#([0-9a-f]{6})([0-9a-f]{2})$/i.exec(colour);
  if (long) return { colour: `#${long[1]}`, opacity: parseInt(long[2], 16) / 255 };
  return { colour, opacity: 1 };
}

/** `fill="…"` or `stroke="…"`, with its opacity when it is not 1. */
function paintAttrs(kind: 'fill' | 'stroke', colour: string, opacity = 1): string {
  const p = paint(colour);
  const o = Math.round(p.opacity * opacity * 100) / 100;
  return ` ${kind}="${escapeXml(p.colour)}"${o < 1 ? ` ${kind}-opacity="${o}"` : ''}`;
}

function clip(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function tipOf(tip: string | undefined): string {
  return tip ? `<title>${escapeXml(tip)}</title>` : '';
}

function markSvg(m: ChartMark, colour: (role: PaletteKey) => string): string {
  const c = colour(m.role);
  switch (m.kind) {
    case 'line': {
      if (m.points.length < 2) return '';
      const points = m.points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
      const dash = m.dashed ? ` stroke-dasharray="${DASH}"` : '';
      return `<polyline points="${points}" fill="none"${paintAttrs('stroke', c)} stroke-width="${LINE_WIDTH[m.role] ?? 2}" stroke-linejoin="round"${dash} />`;
    }
    case 'rect': {
      const attrs = `x="${num(m.x)}" y="${num(m.y)}" width="${num(Math.max(0, m.w))}" height="${num(Math.max(0, m.h))}"${paintAttrs('fill', c, FILL_OPACITY[m.role] ?? 1)}`;
      return m.tip ? `<rect ${attrs}>${tipOf(m.tip)}</rect>` : `<rect ${attrs} />`;
    }
    case 'circle': {
      const attrs = `cx="${num(m.x)}" cy="${num(m.y)}" r="${num(Math.max(0, m.r))}"${paintAttrs('fill', c)}${paintAttrs('stroke', colour('background'))} stroke-width="1.5"`;
      return m.tip ? `<circle ${attrs}>${tipOf(m.tip)}</circle>` : `<circle ${attrs} />`;
    }
    case 'text': {
      const anchor = m.anchor === 'middle' || m.anchor === 'end' ? m.anchor : 'start';
      return `<text x="${num(m.x)}" y="${num(m.y)}" font-size="${num(m.size ?? LABEL_SIZE)}" text-anchor="${anchor}"${paintAttrs('fill', c)}>${escapeXml(m.text)}</text>`;
    }
  }
}

/** Whether a legend entry shows a box (the role is drawn as bars) or a line. */
function swatchKind(scene: ChartScene, role: ChartRole): 'box' | 'line' {
  const mark = scene.marks.find((m) => m.role === role && m.kind !== 'text');
  return mark?.kind === 'rect' ? 'box' : 'line';
}

/** Legend entries placed left to right, wrapping into rows; widths are estimates (no font metrics here). */
function legendSvg(scene: ChartScene, colour: (role: PaletteKey) => string, top: number): { svg: string[]; height: number } {
  const out: string[] = [];
  let x = 16;
  let row = 0;
  for (const entry of scene.legend) {
    const width = 18 + 6 + Array.from(entry.label).length * LABEL_SIZE * 0.6 + 16;
    if (x > 16 && x + width > scene.width - 8) {
      row++;
      x = 16;
    }
    const y = top + row * LEGEND_ROW + LEGEND_ROW / 2;
    const c = colour(entry.role);
    if (swatchKind(scene, entry.role) === 'box') {
      out.push(`<rect x="${num(x + 4)}" y="${num(y - 5)}" width="10" height="10"${paintAttrs('fill', c, FILL_OPACITY[entry.role] ?? 1)} />`);
    } else {
      const dash = entry.dashed ? ` stroke-dasharray="${DASH}"` : '';
      out.push(`<line x1="${num(x)}" y1="${num(y)}" x2="${num(x + 18)}" y2="${num(y)}"${paintAttrs('stroke', c)} stroke-width="${LINE_WIDTH[entry.role] ?? 2}"${dash} />`);
    }
    out.push(`<text x="${num(x + 24)}" y="${num(y + 4)}" font-size="${LABEL_SIZE}"${paintAttrs('fill', colour('label'))}>${escapeXml(entry.label)}</text>`);
    x += width;
  }
  return { svg: out, height: scene.legend.length > 0 ? (row + 1) * LEGEND_ROW + 6 : 0 };
}

/**
 * A standalone SVG file of the chart: the title above, the legend below, colours from `palette`
 * (anything that is not a colour is dropped, and a missing role falls back to LIGHT_PALETTE), a
 * <title> and <desc> for screen readers. No scripts, no styles, no external references.
 */
export function chartSvg(scene: ChartScene, palette: ChartPalette, title: string): string {
  const checked = parsePalette(palette);
  const colour = (role: PaletteKey) => checked[role] ?? LIGHT_PALETTE[role];
  const width = Number.isFinite(scene.width) && scene.width > 0 ? scene.width : 720;
  const sceneHeight = Number.isFinite(scene.height) && scene.height > 0 ? scene.height : 340;
  const legend = legendSvg({ ...scene, width }, colour, TITLE_BAND + sceneHeight);
  const height = TITLE_BAND + sceneHeight + legend.height;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc id="chart-desc">${escapeXml(scene.description)}</desc>`,
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}"${paintAttrs('fill', colour('background'))} />`,
    `<text x="16" y="21" font-size="${TITLE_SIZE}" font-weight="600"${paintAttrs('fill', colour('title'))}>${escapeXml(clip(title, 90))}</text>`,
    `<g transform="translate(0 ${TITLE_BAND})">`,
    ...scene.marks.map((m) => markSvg(m, colour)).filter((s) => s !== ''),
    '</g>',
    ...legend.svg,
    '</svg>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * A text cell, RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. A cell
 * that a spreadsheet would run as a formula (= + - @, tab, carriage return first) gets a leading '.
 */
function textCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A figure: at most two decimals; empty for days still to come. */
function numberCell(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function csv(header: string[], rows: string[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].map((line) => `${line}\r\n`).join('');
}

/** The burndown's days: date, workday, ideal, remaining, completed, scope, added, removed. */
export function burndownCsv(b: SprintBurndown): string {
  return csv(
    ['date', 'workday', 'ideal', 'remaining', 'completed', 'scope', 'added', 'removed'],
    b.days.map((d) => [textCell(d.date), d.workday ? 'true' : 'false', numberCell(d.ideal), numberCell(d.remaining), numberCell(d.completed), numberCell(d.scope), numberCell(d.added), numberCell(d.removed)]),
  );
}

/** The release's columns: sprint, date, scope, completed, remaining, added, removed. */
export function releaseCsv(r: ReleaseBurn): string {
  return csv(
    ['sprint', 'date', 'scope', 'completed', 'remaining', 'added', 'removed'],
    r.columns.map((c) => [textCell(c.name), textCell(c.date), numberCell(c.scope), numberCell(c.completed), numberCell(c.remaining), numberCell(c.added), numberCell(c.removed)]),
  );
}

/** The velocity's sprints: sprint, start, end, state, committed, completed. */
export function velocityCsv(v: VelocityReport): string {
  return csv(
    ['sprint', 'start', 'end', 'state', 'committed', 'completed'],
    v.sprints.map((s) => [textCell(s.name), textCell(s.start), textCell(s.end), textCell(s.state), numberCell(s.committed), numberCell(s.completed)]),
  );
}
