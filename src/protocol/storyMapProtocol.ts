// The story map panel's messages and the view model they carry. Shared by the extension host
// and the webview: types and pure checks only, no `vscode`, no DOM. Everything the webview
// sends is `unknown` until `parseStoryMapRequest` has checked it. The messages every panel
// shares (`ready`, `setOptions`, `state`…) are in page.ts.
import { isId, isRecord, PageOptions, PageRequest, parsePageRequest, parseRoot, Refused } from './page';

/**
 * Horizontal slices: one per release (by date) or one per sprint, then "Unplanned". The core's
 * rules spell the same union (`src/core/rules/storyMapDrops.ts`): the protocol imports only
 * protocol files and the core never imports the protocol, and structural typing joins the two.
 */
export type SliceBy = 'release' | 'sprint';

/** What the user chose in the toolbar; kept in the webview's state across reloads. */
export interface StoryMapOptions extends PageOptions {
  sliceBy: SliceBy;
  /** Activity ids and slice ids the user collapsed. */
  collapsedActivities: string[];
  collapsedSlices: string[];
}

export const DEFAULT_STORY_MAP_OPTIONS: StoryMapOptions = { sliceBy: 'release', collapsedActivities: [], collapsedSlices: [], root: '' };

/** The id of the "Unmapped" column (stories without a known step) and of the "Unplanned" slice. */
export const UNMAPPED = '';
export const UNPLANNED = '';

export interface StoryCard {
  id: string;
  title: string;
  type?: string;
  status: string;
  /** Story points (estimate, or size through the config), 0 when unestimated. */
  points: number;
  estimate?: number;
  size?: string;
  done: boolean;
}

export interface StepView {
  id: string;
  title: string;
}

export interface ActivityView {
  id: string;
  title: string;
  steps: StepView[];
}

export interface SliceView {
  /** A release or sprint id, or UNPLANNED. */
  id: string;
  kind: SliceBy | 'unplanned';
  title: string;
  goal?: string;
  /** A release's date or a sprint's start and end, for the header. */
  dates?: string;
  /** Sprint state, for sprints. */
  state?: string;
  pointsDone: number;
  pointsTotal: number;
  itemsDone: number;
  itemsTotal: number;
  /** What the slice can hold: a sprint's capacity, or for a release the velocity over the sprints until its date. */
  capacity?: number;
  capacityLabel?: string;
  /** The first planned slice: the thinnest end-to-end version of the product. */
  walkingSkeleton: boolean;
}

/** One row of cards per slice: `cells[stepId]` in rank order; UNMAPPED holds the unmapped ones. */
export interface SliceRow {
  sliceId: string;
  cells: Record<string, StoryCard[]>;
}

export interface StoryMapModel {
  roots: string[];
  root: string;
  projectName: string;
  /** False when the backlog has no `storymap.yml` yet: the panel says how to start one. */
  hasStoryMap: boolean;
  activities: ActivityView[];
  slices: SliceView[];
  rows: SliceRow[];
  /** How many cards the map holds in all. */
  cardCount: number;
}

/** Messages only the story map page sends to the host. */
export type StoryMapOwnRequest =
  /** Sent on a click or Enter on a card or header: open the file at the line. */
  | { type: 'open'; ref: { kind: 'item' | 'step' | 'activity' | 'slice'; id: string } }
  /**
   * Sent on a drop: put the card in that step and slice; `before`/`after` name the card it was
   * dropped next to, when it lands among others (inside its own cell that writes the rank only).
   */
  | { type: 'move'; id: string; step: string; slice: string; before?: string; after?: string }
  /** Sent by the "Move to…" key: the host asks where with quick picks. */
  | { type: 'moveMenu'; id: string }
  /** Sent by a cell's "Add story" box. */
  | { type: 'addStory'; step: string; slice: string; title: string }
  /** Sent by an activity's "Add step" button, or the "Add activity" button. */
  | { type: 'addStep'; activity: string; title: string }
  | { type: 'addActivity'; title: string }
  /** Sent when a step's or an activity's title is edited in place. */
  | { type: 'rename'; kind: 'step' | 'activity'; id: string; title: string }
  /** Sent by the export buttons. */
  | { type: 'export'; format: 'markdown' | 'html' };

/** Messages from the webview to the host. */
export type StoryMapRequest = PageRequest<StoryMapOptions> | StoryMapOwnRequest;

const TITLE_MAX = 200;

/** An id or the empty string (the Unmapped column, the Unplanned slice). */
function isIdOrNone(v: unknown): v is string {
  return v === '' || isId(v);
}

function title(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  // One line: a title with a newline would break the YAML or the front matter it goes into.
  const t = v.replace(/\s+/g, ' ').trim();
  return t !== '' && t.length <= TITLE_MAX ? t : undefined;
}

function idList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter(isIdOrNone).slice(0, 500) : [];
}

/** Options from the webview or restored state: junk falls back to the defaults. */
export function parseStoryMapOptions(raw: unknown): StoryMapOptions {
  const r = isRecord(raw) ? raw : {};
  return {
    sliceBy: r.sliceBy === 'sprint' ? 'sprint' : 'release',
    collapsedActivities: idList(r.collapsedActivities),
    collapsedSlices: idList(r.collapsedSlices),
    root: parseRoot(r.root),
  };
}

/** Checks a message from the webview; returns why it is refused instead of throwing. */
export function parseStoryMapRequest(raw: unknown): StoryMapRequest | Refused {
  return parsePageRequest(raw, parseStoryMapOptions, parseOwnRequest);
}

function parseOwnRequest(raw: Record<string, unknown>): StoryMapOwnRequest | Refused | undefined {
  switch (raw.type) {
    case 'open': {
      const ref = raw.ref;
      if (!isRecord(ref) || !['item', 'step', 'activity', 'slice'].includes(String(ref.kind)) || !isIdOrNone(ref.id)) return { error: 'open with a malformed ref' };
      return { type: 'open', ref: { kind: ref.kind as 'item' | 'step' | 'activity' | 'slice', id: ref.id } };
    }
    case 'move': {
      if (!isId(raw.id) || !isIdOrNone(raw.step) || !isIdOrNone(raw.slice)) return { error: 'move with a malformed id, step or slice' };
      if ((raw.before !== undefined && !isId(raw.before)) || (raw.after !== undefined && !isId(raw.after))) return { error: 'move next to a malformed id' };
      return { type: 'move', id: raw.id, step: raw.step, slice: raw.slice, before: raw.before as string | undefined, after: raw.after as string | undefined };
    }
    case 'moveMenu':
      return isId(raw.id) ? { type: 'moveMenu', id: raw.id } : { error: 'moveMenu with a malformed id' };
    case 'addStory': {
      const t = title(raw.title);
      if (!t || !isIdOrNone(raw.step) || !isIdOrNone(raw.slice)) return { error: 'addStory without a one-line title, or with a malformed step or slice' };
      return { type: 'addStory', step: raw.step, slice: raw.slice, title: t };
    }
    case 'addStep': {
      const t = title(raw.title);
      return t && isId(raw.activity) ? { type: 'addStep', activity: raw.activity, title: t } : { error: 'addStep without an activity or a one-line title' };
    }
    case 'addActivity': {
      const t = title(raw.title);
      return t ? { type: 'addActivity', title: t } : { error: 'addActivity without a one-line title' };
    }
    case 'rename': {
      const t = title(raw.title);
      if (!t || !isId(raw.id) || (raw.kind !== 'step' && raw.kind !== 'activity')) return { error: 'rename without a kind, an id or a one-line title' };
      return { type: 'rename', kind: raw.kind, id: raw.id, title: t };
    }
    case 'export':
      return raw.format === 'markdown' || raw.format === 'html' ? { type: 'export', format: raw.format } : { error: 'export in an unknown format' };
    default:
      return undefined;
  }
}
