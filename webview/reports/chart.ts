// Draws a report's chart, laid out by the host as a `ChartScene`: as SVG elements in the page
// (colours from the theme through CSS classes), and on a canvas for "Save as PNG" (colours read
// from the theme). The SVG file the host writes (src/views/reports/reportExport.ts) follows the same
// conventions: dash pattern, line widths, opacities, the legend under the chart for files.
//
// Text goes in through textContent and attributes through setAttribute: nothing is parsed as markup.

import { CHART_STYLE, ChartMark, ChartPalette, ChartRole, ChartScene } from '../../src/protocol/reportsProtocol';
import { h } from '../shared/dom';

/**
 * Each role's colour: the stylesheet gives `.role-<role>` the variable's colour, and readPalette
 * reads the same variables for exports. drawChart sets fill/stroke to `currentColor` itself, so
 * the page's stylesheet (webview/reports/reports.css) only maps `.role-<role>` to these.
 */
export const ROLE_VARIABLES: Record<ChartRole | 'background', string> = {
  axis: '--vscode-charts-foreground',
  grid: '--vscode-charts-lines',
  label: '--vscode-charts-foreground',
  title: '--vscode-charts-foreground',
  ideal: '--vscode-charts-foreground',
  remaining: '--vscode-charts-blue',
  completed: '--vscode-charts-green',
  scope: '--vscode-charts-purple',
  committed: '--vscode-charts-foreground',
  added: '--vscode-charts-orange',
  removed: '--vscode-charts-red',
  forecast: '--vscode-charts-blue',
  today: '--vscode-charts-yellow',
  target: '--vscode-charts-red',
  average: '--vscode-charts-purple',
  background: '--vscode-editor-background',
};

// Drawn as the SVG file is (src/views/reports/reportExport.ts): both follow CHART_STYLE.
const DASH = [...CHART_STYLE.dash];
const LINE_WIDTH = CHART_STYLE.lineWidth;
const FILL_OPACITY = CHART_STYLE.fillOpacity;
const LABEL_SIZE = CHART_STYLE.labelSize;
const LEGEND_ROW = 20;
const FONT = 'system-ui, -apple-system, "Segoe UI", sans-serif';
/** For a role the palette lacks: readable on light and dark backgrounds alike. */
const FALLBACK_COLOUR = '#808080';
const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function withTip<E extends SVGElement>(el: E, tip: string | undefined): E {
  if (tip) {
    const title = svgEl('title', {});
    title.textContent = tip;
    el.appendChild(title);
  }
  return el;
}

function markElement(m: ChartMark): SVGElement | undefined {
  const cls = `mark role-${m.role}`;
  switch (m.kind) {
    case 'line': {
      if (m.points.length < 2) return undefined;
      const el = svgEl('polyline', {
        class: cls,
        points: m.points.map(([x, y]) => `${x},${y}`).join(' '),
        fill: 'none',
        stroke: 'currentColor',
        'stroke-width': LINE_WIDTH[m.role] ?? 2,
        'stroke-linejoin': 'round',
      });
      if (m.dashed) el.setAttribute('stroke-dasharray', DASH.join(' '));
      return el;
    }
    case 'rect':
      return withTip(
        svgEl('rect', { class: cls, x: m.x, y: m.y, width: Math.max(0, m.w), height: Math.max(0, m.h), fill: 'currentColor', 'fill-opacity': FILL_OPACITY[m.role] ?? 1 }),
        m.tip,
      );
    case 'circle':
      return withTip(svgEl('circle', { class: cls, cx: m.x, cy: m.y, r: Math.max(0, m.r), fill: 'currentColor', 'stroke-width': 1.5 }), m.tip);
    case 'text': {
      const el = svgEl('text', { class: cls, x: m.x, y: m.y, 'font-size': m.size ?? LABEL_SIZE, 'text-anchor': m.anchor, fill: 'currentColor' });
      el.textContent = m.text;
      return el;
    }
  }
}

/** Whether a legend entry shows a box (the role is drawn as bars) or a line. */
function swatchKind(scene: ChartScene, role: ChartRole): 'box' | 'line' {
  const mark = scene.marks.find((m) => m.role === role && m.kind !== 'text');
  return mark?.kind === 'rect' ? 'box' : 'line';
}

function swatch(scene: ChartScene, entry: ChartScene['legend'][number]): SVGSVGElement {
  const svg = svgEl('svg', { class: 'swatch', width: 18, height: 10, viewBox: '0 0 18 10', 'aria-hidden': 'true' });
  if (swatchKind(scene, entry.role) === 'box') {
    svg.appendChild(svgEl('rect', { class: `mark role-${entry.role}`, x: 4, y: 0, width: 10, height: 10, fill: 'currentColor', 'fill-opacity': FILL_OPACITY[entry.role] ?? 1 }));
  } else {
    const line = svgEl('line', { class: `mark role-${entry.role}`, x1: 0, y1: 5, x2: 18, y2: 5, stroke: 'currentColor', 'stroke-width': LINE_WIDTH[entry.role] ?? 2 });
    if (entry.dashed) line.setAttribute('stroke-dasharray', DASH.join(' '));
    svg.appendChild(line);
  }
  return svg;
}

/**
 * Draws a scene as an <svg> element: each mark gets `mark role-<role>` and currentColor, the
 * stylesheet gives each role its colour; a mark's tip becomes its <title>. Also the legend, as a
 * list of swatches and labels to put under it.
 */
export function drawChart(scene: ChartScene): { svg: SVGSVGElement; legend: HTMLElement } {
  const svg = svgEl('svg', {
    class: 'chart',
    viewBox: `0 0 ${scene.width} ${scene.height}`,
    width: scene.width,
    height: scene.height,
    preserveAspectRatio: 'xMinYMin meet',
    role: 'img',
    'aria-label': scene.description,
  });
  for (const m of scene.marks) {
    const el = markElement(m);
    if (el) svg.appendChild(el);
  }
  const legend = h(
    'ul',
    { class: 'chart-legend', attrs: { 'aria-label': 'Legend' } },
    ...scene.legend.map((entry) => {
      const li = h('li', {});
      li.append(swatch(scene, entry), h('span', {}, entry.label));
      return li;
    }),
  );
  return { svg, legend };
}

/** The theme's colours the stylesheet applies, one per role, for exports; roles without a value are left out. */
export function readPalette(): ChartPalette {
  const style = getComputedStyle(document.body);
  const out: ChartPalette = {};
  for (const [role, variable] of Object.entries(ROLE_VARIABLES) as [ChartRole | 'background', string][]) {
    const v = style.getPropertyValue(variable).trim();
    if (v) out[role] = v;
  }
  return out;
}

/**
 * Draws a scene on a canvas at `scale`, background filled and the legend under the chart, and
 * returns the PNG as base64 without the `data:` prefix. Canvas 2D only: no image is loaded.
 * Throws when the page has no 2D canvas.
 */
export function chartPng(scene: ChartScene, palette: ChartPalette, scale = 2): string {
  const s = Number.isFinite(scale) ? Math.max(0.5, Math.min(4, scale)) : 2;
  const colour = (role: ChartRole | 'background') => palette[role] ?? (role === 'background' ? '#ffffff' : FALLBACK_COLOUR);
  const canvas = document.createElement('canvas');
  const probe = canvas.getContext('2d');
  if (!probe) throw new Error('This page cannot draw on a canvas.');
  probe.font = `${LABEL_SIZE}px ${FONT}`;
  const layout = legendLayout(scene, (t) => probe.measureText(t).width);
  const height = scene.height + layout.height;
  canvas.width = Math.ceil(scene.width * s);
  canvas.height = Math.ceil(height * s);
  // Resizing the canvas resets its state: take the context again.
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This page cannot draw on a canvas.');
  ctx.scale(s, s);
  ctx.fillStyle = colour('background');
  ctx.fillRect(0, 0, scene.width, height);
  for (const m of scene.marks) drawMark(ctx, m, colour);
  for (const item of layout.items) {
    const c = colour(item.entry.role);
    if (swatchKind(scene, item.entry.role) === 'box') {
      ctx.globalAlpha = FILL_OPACITY[item.entry.role] ?? 1;
      ctx.fillStyle = c;
      ctx.fillRect(item.x + 4, item.y - 5, 10, 10);
      ctx.globalAlpha = 1;
    } else {
      strokeLine(ctx, [[item.x, item.y], [item.x + 18, item.y]], c, LINE_WIDTH[item.entry.role] ?? 2, item.entry.dashed === true);
    }
    ctx.font = `${LABEL_SIZE}px ${FONT}`;
    ctx.textAlign = 'left';
    ctx.fillStyle = colour('label');
    ctx.fillText(item.entry.label, item.x + 24, item.y + 4);
  }
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** Legend entries left to right under the chart, wrapping into rows. */
function legendLayout(scene: ChartScene, measure: (text: string) => number): { items: { entry: ChartScene['legend'][number]; x: number; y: number }[]; height: number } {
  const items: { entry: ChartScene['legend'][number]; x: number; y: number }[] = [];
  let x = 16;
  let row = 0;
  for (const entry of scene.legend) {
    const width = 18 + 6 + measure(entry.label) + 16;
    if (x > 16 && x + width > scene.width - 8) {
      row++;
      x = 16;
    }
    items.push({ entry, x, y: scene.height + row * LEGEND_ROW + LEGEND_ROW / 2 });
    x += width;
  }
  return { items, height: scene.legend.length > 0 ? (row + 1) * LEGEND_ROW + 6 : 0 };
}

function strokeLine(ctx: CanvasRenderingContext2D, points: [number, number][], colour: string, width: number, dashed: boolean): void {
  ctx.beginPath();
  points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  ctx.setLineDash(dashed ? DASH : []);
  ctx.lineJoin = 'round';
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawMark(ctx: CanvasRenderingContext2D, m: ChartMark, colour: (role: ChartRole | 'background') => string): void {
  const c = colour(m.role);
  switch (m.kind) {
    case 'line':
      if (m.points.length >= 2) strokeLine(ctx, m.points, c, LINE_WIDTH[m.role] ?? 2, m.dashed === true);
      break;
    case 'rect':
      ctx.globalAlpha = FILL_OPACITY[m.role] ?? 1;
      ctx.fillStyle = c;
      ctx.fillRect(m.x, m.y, Math.max(0, m.w), Math.max(0, m.h));
      ctx.globalAlpha = 1;
      break;
    case 'circle':
      ctx.beginPath();
      ctx.arc(m.x, m.y, Math.max(0, m.r), 0, 2 * Math.PI);
      ctx.fillStyle = c;
      ctx.fill();
      ctx.setLineDash([]);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = colour('background');
      ctx.stroke();
      break;
    case 'text':
      ctx.font = `${m.size ?? LABEL_SIZE}px ${FONT}`;
      ctx.textAlign = m.anchor === 'middle' ? 'center' : m.anchor === 'end' ? 'right' : 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillStyle = c;
      ctx.fillText(m.text, m.x, m.y);
      break;
  }
}
