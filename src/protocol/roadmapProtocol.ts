// The roadmap panel's messages and the view model they carry. Both the extension host and the
// webview import this file, so it holds types and pure checks only: no `vscode`, no DOM.
// Everything the webview sends is `unknown` until `parseRoadmapRequest` has checked it. The
// messages every panel shares (`ready`, `setOptions`, `state`…) are in page.ts.
import { isId, isRecord, PageOptions, PageRequest, parsePageRequest, parseRoot, Refused } from './page';

/** Now / Next / Later columns, or a timeline of quarters or months. */
export type RoadmapLayout = 'board' | 'timeline';
/** Stakeholders see goals, themes, initiatives and milestones; the team sees epics and stories too. */
export type RoadmapAudience = 'stakeholder' | 'team';
export type TimelineScale = 'quarter' | 'month';

/** What the user chose in the panel's toolbar; kept in the webview's state across reloads. */
export interface RoadmapOptions extends PageOptions {
  layout: RoadmapLayout;
  audience: RoadmapAudience;
  scale: TimelineScale;
  /** Goal id, theme id or label to show alone; empty shows everything. */
  goal: string;
  theme: string;
  label: string;
}

export const DEFAULT_ROADMAP_OPTIONS: RoadmapOptions = {
  layout: 'board',
  audience: 'team',
  scale: 'quarter',
  goal: '',
  theme: '',
  label: '',
  root: '',
};

/** The board's columns: the three horizons, and a column for what has none. */
export type BoardColumn = 'now' | 'next' | 'later' | 'unscheduled';
export const BOARD_COLUMNS: readonly BoardColumn[] = ['now', 'next', 'later', 'unscheduled'];

export interface ProgressView {
  pointsDone: number;
  pointsTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

/** A period of the timeline, as ISO dates: `end` is the first day after it. */
export interface Period {
  /** `2027-Q2` or `2027-05`. */
  id: string;
  label: string;
  start: string;
  end: string;
}

/** Where a bar sits on the timeline; absent when a card is unscheduled. */
export interface Span {
  start: string;
  end: string;
  /** "later" has no end: the bar runs off the right edge. */
  open: boolean;
}

/**
 * Where a bar is drawn in its lane of the timeline: `left` and `width` as shares (0–1) of the
 * timeline's width, clamped to it, and the row it was packed into (0 at the top). Bars in one
 * lane that share a row never overlap, so a lane is exactly as tall as its number of rows.
 */
export interface TimelinePlace {
  left: number;
  width: number;
  row: number;
}

export interface RoadmapStoryView {
  id: string;
  title: string;
  status: string;
  type?: string;
  points: number;
  done: boolean;
}

export interface RoadmapEpicView {
  id: string;
  title: string;
  status: string;
  done: boolean;
  labels: string[];
  /** The epic's own `horizon`, when it has one; without it the epic follows its theme. */
  horizon?: string;
  /** Where the card sits: its own horizon, else its theme's. */
  column: BoardColumn;
  span?: Span;
  /** Its bar on the timeline, in its theme's lane (or the "No theme" lane); absent without a span. */
  place?: TimelinePlace;
  release?: { id: string; name: string; date?: string };
  progress: ProgressView;
  /** Empty in the stakeholder view. */
  stories: RoadmapStoryView[];
}

export interface RoadmapThemeView {
  id: string;
  title: string;
  kind: 'theme' | 'initiative';
  goal?: string;
  /** Markdown rendered with HTML off and safe links only (see `renderSafeMarkdown`). */
  descriptionHtml: string;
  horizon?: string;
  column: BoardColumn;
  span?: Span;
  /** Its bar on the timeline, in its own lane; absent without a span. */
  place?: TimelinePlace;
  /** Rows of its lane on the timeline, its own bar's and its epics'; 0 when none is scheduled. */
  rows: number;
  /** True for a quarter that has ended while work is left. */
  overdue: boolean;
  progress: ProgressView;
  /** Empty in the stakeholder view. */
  epics: RoadmapEpicView[];
}

export interface RoadmapGoalView {
  id: string;
  title: string;
  descriptionHtml: string;
  themeIds: string[];
  progress: ProgressView;
}

export interface RoadmapMarker {
  kind: 'milestone' | 'release';
  id: string;
  title: string;
  date: string;
}

export interface RoadmapModel {
  /** The backlog roots to pick from (folder-relative names) and the one shown. */
  roots: string[];
  root: string;
  projectName: string;
  /** False when the backlog has no `roadmap.yml` yet: the panel says how to start one. */
  hasRoadmap: boolean;
  vision?: string;
  goals: RoadmapGoalView[];
  /** Themes and initiatives in roadmap order, filtered. */
  themes: RoadmapThemeView[];
  /** Team view only: epics that name no theme (or an unknown one), so that none is hidden. */
  epicsWithoutTheme: RoadmapEpicView[];
  /** Rows of the timeline's "No theme" lane; 0 when none of those epics is scheduled. */
  rowsWithoutTheme: number;
  markers: RoadmapMarker[];
  timeline: { today: string; periods: Period[]; start: string; end: string };
  /** What the filters can pick from (unfiltered). */
  filterChoices: { goals: { id: string; title: string }[]; themes: { id: string; title: string }[]; labels: string[] };
  /** Values a card may move to, in order: now, next, later, then quarters. */
  moveTargets: string[];
}

/** A card or heading the user acted on, by id only: the host resolves ids, never paths. */
export type RoadmapRef =
  | { kind: 'item'; id: string }
  | { kind: 'theme'; id: string }
  | { kind: 'goal'; id: string }
  | { kind: 'milestone'; id: string }
  | { kind: 'release'; id: string }
  | { kind: 'vision' };

/** Messages only the roadmap page sends to the host. */
export type RoadmapOwnRequest =
  /** Sent on a click or Enter on a card: open its file at its line. */
  | { type: 'open'; ref: RoadmapRef }
  /** Sent on a drop, or a pick in the in-page menu: set the theme's or epic's horizon ('' clears it). */
  | { type: 'move'; ref: { kind: 'theme' | 'item'; id: string }; horizon: string }
  /** Sent by the "Move to…" key or button: the host asks where with a quick pick. */
  | { type: 'moveMenu'; ref: { kind: 'theme' | 'item'; id: string } }
  /** Sent by the export buttons. */
  | { type: 'export'; format: 'markdown' | 'html' | 'svg' }
  /** Sent when a link in a rendered description is clicked. */
  | { type: 'openLink'; url: string };

/** Messages from the webview to the host. */
export type RoadmapRequest = PageRequest<RoadmapOptions> | RoadmapOwnRequest;

const HORIZON = /^(now|next|later|\d{4}-Q[1-4])$/;
const LABEL_MAX = 200;

function pick<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

function text(v: unknown, max: number): string {
  return typeof v === 'string' && v.length <= max ? v : '';
}

/**
 * Options from the webview or from restored state: unknown values fall back to the defaults,
 * so an old or tampered state still opens the panel.
 */
export function parseRoadmapOptions(raw: unknown): RoadmapOptions {
  const r = isRecord(raw) ? raw : {};
  return {
    layout: pick(r.layout, ['board', 'timeline'], DEFAULT_ROADMAP_OPTIONS.layout),
    audience: pick(r.audience, ['stakeholder', 'team'], DEFAULT_ROADMAP_OPTIONS.audience),
    scale: pick(r.scale, ['quarter', 'month'], DEFAULT_ROADMAP_OPTIONS.scale),
    goal: isId(r.goal) ? r.goal : '',
    theme: isId(r.theme) ? r.theme : '',
    label: text(r.label, LABEL_MAX),
    root: parseRoot(r.root),
  };
}

function parseRef(raw: unknown): RoadmapRef | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.kind) {
    case 'vision':
      return { kind: 'vision' };
    case 'item':
    case 'theme':
    case 'goal':
    case 'milestone':
    case 'release':
      return isId(raw.id) ? { kind: raw.kind, id: raw.id } : undefined;
    default:
      return undefined;
  }
}

function parseMovable(raw: unknown): { kind: 'theme' | 'item'; id: string } | undefined {
  const ref = parseRef(raw);
  return ref && (ref.kind === 'theme' || ref.kind === 'item') ? ref : undefined;
}

/** Checks a message from the webview; returns why it is refused instead of throwing. */
export function parseRoadmapRequest(raw: unknown): RoadmapRequest | Refused {
  return parsePageRequest(raw, parseRoadmapOptions, parseOwnRequest);
}

function parseOwnRequest(raw: Record<string, unknown>): RoadmapOwnRequest | Refused | undefined {
  switch (raw.type) {
    case 'open': {
      const ref = parseRef(raw.ref);
      return ref ? { type: 'open', ref } : { error: 'open with a malformed ref' };
    }
    case 'move': {
      const ref = parseMovable(raw.ref);
      if (!ref) return { error: 'move with a malformed ref' };
      if (typeof raw.horizon !== 'string' || (raw.horizon !== '' && !HORIZON.test(raw.horizon))) return { error: 'move to a horizon that is not now, next, later or a quarter' };
      return { type: 'move', ref, horizon: raw.horizon };
    }
    case 'moveMenu': {
      const ref = parseMovable(raw.ref);
      return ref ? { type: 'moveMenu', ref } : { error: 'moveMenu with a malformed ref' };
    }
    case 'export':
      return raw.format === 'markdown' || raw.format === 'html' || raw.format === 'svg' ? { type: 'export', format: raw.format } : { error: 'export in an unknown format' };
    case 'openLink':
      return typeof raw.url === 'string' && raw.url.length <= 2048 && /^(https?:|mailto:)/i.test(raw.url) ? { type: 'openLink', url: raw.url } : { error: 'openLink to a URL that is not http(s) or mailto' };
    default:
      return undefined;
  }
}
