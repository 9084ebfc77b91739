// The Reports panel's messages and the view model they carry: sprint burndown, release burn-up
// and velocity. Shared by the extension host and the webview: types and pure checks only, no
// `vscode`, no DOM. Everything the webview sends is `unknown` until `parseReportsRequest` has
// checked it. The messages every panel shares (`ready`, `setOptions`, `state`…) are in page.ts.
import { isId, isRecord, PageOptions, PageRequest, parsePageRequest, parseRoot, Refused } from './page';

export type ReportKind = 'burndown' | 'release' | 'velocity';
/** Points (estimates, or sizes through the config) or a count of items. */
export type ReportUnit = 'points' | 'items';
export type ReleaseMode = 'burnup' | 'burndown';

/** What the user chose in the toolbar; kept in the webview's state across reloads. */
export interface ReportsOptions extends PageOptions {
  report: ReportKind;
  /** A sprint id; empty picks the active sprint, else the last one that started. */
  sprint: string;
  /** A release id; empty picks the next release by date. */
  release: string;
  unit: ReportUnit;
  releaseMode: ReleaseMode;
}

export const DEFAULT_REPORTS_OPTIONS: ReportsOptions = { report: 'burndown', sprint: '', release: '', unit: 'points', releaseMode: 'burnup', root: '' };

/** One day of a sprint, as it stood at the end of that day. */
export interface BurndownDay {
  date: string;
  /** Days the team does not work (weekends): the ideal line stays flat over them. */
  workday: boolean;
  /** Work left in the sprint's scope; null for days still to come. */
  remaining: number | null;
  /** Work done so far, of what is in scope that day; null for days still to come. */
  completed: number | null;
  /** The scope that day (remaining + completed); null for days still to come. */
  scope: number | null;
  ideal: number;
  /** Scope that came in that day (added items, estimates raised), and scope that left. */
  added: number;
  removed: number;
}

/** One change of a sprint's or a release's scope after it started, for the list under the chart. */
export interface ScopeChange {
  date: string;
  id: string;
  title: string;
  kind: 'added' | 'removed' | 're-estimated';
  /** Change of scope in the report's unit: positive when work came in. */
  delta: number;
  /** False when the history does not say when it happened: then `date` is the first day known. */
  dateKnown: boolean;
}

/** Where a sprint's committed scope came from. */
export type CommittedSource = 'recorded' | 'history' | 'current';

export interface SprintBurndown {
  sprintId: string;
  name: string;
  goal?: string;
  start: string;
  end: string;
  state: string;
  unit: ReportUnit;
  /** The scope the sprint started with. */
  committed: number;
  committedSource: CommittedSource;
  days: BurndownDay[];
  changes: ScopeChange[];
  /** As of today (or the sprint's last day, once it is over). */
  scopeNow: number;
  completedNow: number;
  remainingNow: number;
  /** What the chart cannot know, in sentences for the user. */
  notes: string[];
}

/** A release's scope and progress at the end of one sprint. */
export interface ReleaseColumn {
  sprintId: string;
  name: string;
  /** The day the figures are taken: the sprint's end, or today for the sprint under way. */
  date: string;
  state: string;
  scope: number;
  /** Done, in all, by `date`. */
  completed: number;
  remaining: number;
  /** Scope that came into and left the release during this sprint. */
  added: number;
  removed: number;
}

export interface ReleaseBurn {
  releaseId: string;
  name: string;
  date?: string;
  goal?: string;
  unit: ReportUnit;
  /** The scope before the first sprint shown. */
  baseline: number;
  columns: ReleaseColumn[];
  changes: ScopeChange[];
  scopeNow: number;
  completedNow: number;
  remainingNow: number;
  /** Average completed per sprint over `velocitySprints` (the last three closed sprints). */
  velocity?: number;
  velocitySprints: string[];
  /** Sprints still needed at that velocity, and the day the last of them would end. */
  forecastSprints?: number;
  forecastDate?: string;
  /** Whether the forecast lands on or before the release date; undefined without both. */
  onTrack?: boolean;
  /** The forecast as one sentence, as the chart describes it (`releaseForecastText`); the panel's model sets it. */
  forecast?: string;
  notes: string[];
}

export interface VelocitySprint {
  sprintId: string;
  name: string;
  start: string;
  end: string;
  state: string;
  committed: number;
  committedSource: CommittedSource;
  completed: number;
}

export interface VelocityReport {
  unit: ReportUnit;
  sprints: VelocitySprint[];
  /** Average completed over `averageOver` (the last three closed sprints). */
  average?: number;
  averageOver: string[];
  notes: string[];
}

/**
 * What a chart draws, in the chart's own coordinates (a viewBox of `width` × `height`). The host
 * lays it out once; the page draws it as SVG elements and on a canvas for PNG, and the host
 * writes it as an SVG file. A mark's `role` picks its colour from the editor's theme.
 */
export type ChartRole =
  | 'axis'
  | 'grid'
  | 'label'
  | 'title'
  | 'ideal'
  | 'remaining'
  | 'completed'
  | 'scope'
  | 'committed'
  | 'added'
  | 'removed'
  | 'forecast'
  | 'today'
  | 'target'
  | 'average';

export type ChartMark =
  | { kind: 'line'; role: ChartRole; points: [number, number][]; dashed?: boolean }
  | { kind: 'rect'; role: ChartRole; x: number; y: number; w: number; h: number; tip?: string }
  | { kind: 'circle'; role: ChartRole; x: number; y: number; r: number; tip?: string }
  | { kind: 'text'; role: ChartRole; x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; size?: number };

/**
 * How marks are drawn, the same in the page (SVG and canvas) and in an SVG file: the dash
 * pattern, line widths and fill opacities by role, and the label size. Colours come from the theme.
 */
export const CHART_STYLE = {
  dash: [6, 4],
  lineWidth: { grid: 1, axis: 1, ideal: 1.5, scope: 1.5, today: 1.5, target: 1.5, average: 1.5, remaining: 2.5, completed: 2.5 } as Partial<Record<ChartRole, number>>,
  /** Shading (non-working days) stays faint; committed bars are lighter than completed ones. */
  fillOpacity: { grid: 0.35, committed: 0.55 } as Partial<Record<ChartRole, number>>,
  defaultLineWidth: 2,
  labelSize: 11,
} as const;

export interface ChartScene {
  width: number;
  height: number;
  /** A sentence that says what the chart shows, for screen readers and the SVG's <desc>. */
  description: string;
  marks: ChartMark[];
  legend: { role: ChartRole; label: string; dashed?: boolean }[];
}

/** Where the history behind the charts came from. */
export interface HistoryStatus {
  source: 'git' | 'none' | 'loading';
  /** A sentence for the user: how many commits were read, or why none were. */
  detail: string;
}

export interface ReportsModel {
  roots: string[];
  root: string;
  projectName: string;
  sprints: { id: string; name: string; state: string }[];
  releases: { id: string; name: string; date?: string }[];
  /** The report the options name; the others are undefined. */
  burndown?: SprintBurndown;
  release?: ReleaseBurn;
  velocity?: VelocityReport;
  /** Undefined when there is nothing to draw (no sprint, no dates): `empty` says why. */
  chart?: ChartScene;
  empty?: string;
  history: HistoryStatus;
}

export type ExportFormatName = 'svg' | 'png' | 'csv';

/** Colours the page read from the editor's theme, so that an SVG file looks like the panel. */
export type ChartPalette = Partial<Record<ChartRole | 'background', string>>;

/** Messages only the reports page sends to the host. */
export type ReportsOwnRequest =
  /** Sent on a click on an item in a change list, or on the sprint's or release's name. */
  | { type: 'open'; ref: { kind: 'item' | 'sprint' | 'release'; id: string } }
  /** Sent by the export buttons, with the theme's colours, so that an SVG file looks like the panel. */
  | { type: 'export'; format: ExportFormatName; palette: ChartPalette }
  /** The answer to `renderPng`: the chart drawn on a canvas, as base64 PNG. */
  | { type: 'png'; id: number; data: string }
  /** Sent when the page could not rasterize the chart for a `renderPng`. */
  | { type: 'pngFailed'; id: number; reason: string };

/** Messages from the webview to the host. */
export type ReportsRequest = PageRequest<ReportsOptions> | ReportsOwnRequest;

/** Messages only the host of the reports page sends it. */
export type ReportsOwnUpdate =
  /** A PNG export: only the page can draw the chart with the theme's fonts; it answers `png` or `pngFailed`. */
  { type: 'renderPng'; id: number };

/** The biggest PNG the host accepts from the page, as base64 (a 2x chart is ~100 KiB). */
export const MAX_PNG_BASE64 = 16 * 1024 * 1024;
/** Colours as `getComputedStyle` gives them: hex, rgb()/rgba(), or a plain name. Nothing else reaches a file. */
const COLOUR = /^(?:#[0-9a-fA-F]{3,8}|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+%?\s*)?\)|rgba?\([\d.%\s]+(?:\/\s*[\d.]+%?\s*)?\)|[a-zA-Z]{3,20})$/;
const ROLES: readonly string[] = ['axis', 'grid', 'label', 'title', 'ideal', 'remaining', 'completed', 'scope', 'committed', 'added', 'removed', 'forecast', 'today', 'target', 'average', 'background'];

function requestId(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** Keeps the known roles whose value looks like a colour; drops everything else. */
export function parsePalette(raw: unknown): ChartPalette {
  const out: ChartPalette = {};
  if (!isRecord(raw)) return out;
  for (const role of ROLES) {
    const v = raw[role];
    if (typeof v === 'string' && v.length <= 60 && COLOUR.test(v.trim())) out[role as ChartRole] = v.trim();
  }
  return out;
}

/** Options from the webview or restored state: junk falls back to the defaults. */
export function parseReportsOptions(raw: unknown): ReportsOptions {
  const r = isRecord(raw) ? raw : {};
  const d = DEFAULT_REPORTS_OPTIONS;
  return {
    report: r.report === 'release' || r.report === 'velocity' ? r.report : d.report,
    sprint: isId(r.sprint) ? r.sprint : '',
    release: isId(r.release) ? r.release : '',
    unit: r.unit === 'items' ? 'items' : 'points',
    releaseMode: r.releaseMode === 'burndown' ? 'burndown' : 'burnup',
    root: parseRoot(r.root),
  };
}

/** Checks a message from the webview; returns why it is refused instead of throwing. */
export function parseReportsRequest(raw: unknown): ReportsRequest | Refused {
  return parsePageRequest(raw, parseReportsOptions, parseOwnRequest);
}

function parseOwnRequest(raw: Record<string, unknown>): ReportsOwnRequest | Refused | undefined {
  switch (raw.type) {
    case 'open': {
      const ref = raw.ref;
      if (!isRecord(ref) || !['item', 'sprint', 'release'].includes(String(ref.kind)) || !isId(ref.id)) return { error: 'open with a malformed ref' };
      return { type: 'open', ref: { kind: ref.kind as 'item' | 'sprint' | 'release', id: ref.id } };
    }
    case 'export':
      return raw.format === 'svg' || raw.format === 'png' || raw.format === 'csv' ? { type: 'export', format: raw.format, palette: parsePalette(raw.palette) } : { error: 'export in an unknown format' };
    case 'png': {
      const id = requestId(raw.id);
      if (id === undefined || typeof raw.data !== 'string') return { error: 'png without an id or data' };
      if (raw.data.length > MAX_PNG_BASE64) return { error: 'png larger than the limit' };
      return { type: 'png', id, data: raw.data };
    }
    case 'pngFailed': {
      const id = requestId(raw.id);
      return id === undefined ? { error: 'pngFailed without an id' } : { type: 'pngFailed', id, reason: typeof raw.reason === 'string' ? raw.reason.slice(0, 200) : 'unknown' };
    }
    default:
      return undefined;
  }
}
