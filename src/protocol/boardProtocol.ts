// The sprint board panel's messages and the view model they carry. Shared by the extension host
// and the webview: types and pure checks only, no `vscode`, no DOM. Everything the webview sends
// is `unknown` until `parseBoardRequest` has checked it. The messages every panel shares
// (`ready`, `setOptions`, `state`…) are in page.ts.
import { isId, isRecord, PageOptions, PageRequest, parsePageRequest, parseRoot, Refused } from './page';

/** What the board shows: a sprint (id '' is the active one), a release, or the whole open backlog. */
export type BoardScopeKind = 'sprint' | 'release' | 'backlog';
/** Horizontal swimlanes across the columns. */
export type LaneBy = 'none' | 'assignee' | 'epic' | 'priority';

export const LANE_CHOICES: readonly LaneBy[] = ['none', 'assignee', 'epic', 'priority'];

/** What the user chose in the toolbar; kept in the webview's state across reloads. */
export interface BoardOptions extends PageOptions {
  scope: BoardScopeKind;
  /** The sprint's or release's id; '' for the active sprint (or the whole backlog). */
  scopeId: string;
  lanes: LaneBy;
  /** Filters: text in the id or title; one assignee, label and type ('' for any); only my cards. */
  text: string;
  assignee: string;
  label: string;
  type: string;
  onlyMine: boolean;
}

export const DEFAULT_BOARD_OPTIONS: BoardOptions = { root: '', scope: 'sprint', scopeId: '', lanes: 'none', text: '', assignee: '', label: '', type: '', onlyMine: false };

export interface BoardCard {
  id: string;
  /** Its place in the backlog order of the board's cards: where a card dropped on a column goes. */
  order: number;
  title: string;
  status: string;
  type?: string;
  /** Story points (estimate, or size through the config), 0 when unestimated. */
  points: number;
  estimate?: number;
  size?: string;
  assignee: string[];
  labels: string[];
  priority?: string;
  /** Acceptance criteria checked, of all. */
  acDone: number;
  acTotal: number;
  /** The dependencies that keep it from starting (open, missing or archived): the blocked badge. */
  blockedBy: string[];
  /** TODO comments in the code that name it. */
  codeRefs: number;
  done: boolean;
}

export interface BoardColumn {
  status: string;
  /** How many cards of the board are in it, whatever the filters hide. */
  count: number;
  points: number;
  /** The column's WIP limit from config.yml's `wip_limits`, when it has one. */
  limit?: number;
  /** A status no longer in config.yml that cards still carry: shown so that none vanish, but not a drop target. */
  unknown?: boolean;
}

export interface BoardLane {
  /** '' for the board without lanes, and for the lane of cards without an assignee, epic or priority. */
  id: string;
  title: string;
  /** One list per column, in the columns' order, each in backlog order. */
  cells: BoardCard[][];
}

/** A sprint's burndown in small: remaining and ideal per day (null for days still to come). */
export interface BoardBurndown {
  ideal: number[];
  remaining: (number | null)[];
}

export interface BoardHeader {
  scope: BoardScopeKind;
  /** The sprint or release shown; '' for the whole backlog. */
  id: string;
  title: string;
  goal?: string;
  dates?: string;
  state?: string;
  /** Days until the sprint's end: 0 on its last day, negative after it. */
  daysLeft?: number;
  /** An active sprint whose end has passed: the board offers "Complete Sprint". */
  ended: boolean;
  pointsDone: number;
  pointsTotal: number;
  committed?: number;
  capacity?: number;
  burndown?: BoardBurndown;
}

export interface ScopeChoice {
  scope: BoardScopeKind;
  id: string;
  title: string;
}

export interface BoardModel {
  roots: string[];
  root: string;
  projectName: string;
  header: BoardHeader;
  scopes: ScopeChoice[];
  columns: BoardColumn[];
  lanes: BoardLane[];
  /** Cards shown (after the filters), and on the board in all. */
  cardCount: number;
  totalCount: number;
  /** Who "only mine" means (git's user name or the setting); undefined when neither says. */
  me?: string;
  /** What the filter drop-downs offer: the values the board's cards carry. */
  assignees: string[];
  labels: string[];
  types: string[];
}

/** Messages only the board page sends to the host. */
export type BoardOwnRequest =
  /** Sent on a click or Enter on a card: open the item's file. */
  | { type: 'open'; id: string }
  /**
   * Sent on a drop, or a move key: put the cards in the status column; `before`/`after` name the
   * card they were dropped next to (their order), absent for a drop on the column itself.
   */
  | { type: 'move'; ids: string[]; status: string; before?: string; after?: string }
  /** Sent by the "Move to…" key: the host asks which status with a quick pick. */
  | { type: 'moveMenu'; ids: string[] }
  /** Sent by "Complete Sprint" in the header of an ended sprint. */
  | { type: 'completeSprint'; sprint: string }
  /** Sent by a click on the header's burndown: the Reports panel on this sprint. */
  | { type: 'openBurndown'; sprint: string };

/** Messages only the board's host sends to its page. */
export type BoardOwnUpdate =
  /**
   * Sent when a move the page showed at once was not written (a card gone, a status no longer
   * there, a file changed meanwhile): the page says why; the state sent before it puts the cards back.
   */
  { type: 'moveRefused'; ids: string[]; message: string };

/** Messages from the webview to the host. */
export type BoardRequest = PageRequest<BoardOptions> | BoardOwnRequest;

/** A status comes back as the page got it from the host: text of a sane length, on one line. */
const STATUS_MAX = 100;
const FILTER_MAX = 200;
/** The most cards one drop moves: a whole column of a big board, not an unbounded list. */
export const MAX_DRAGGED = 1000;

function isStatus(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '' && v.length <= STATUS_MAX && !/[\r\n]/.test(v);
}

function filterText(v: unknown): string {
  return typeof v === 'string' ? v.replace(/\s+/g, ' ').slice(0, FILTER_MAX) : '';
}

function idList(v: unknown): string[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_DRAGGED || !v.every(isId)) return undefined;
  return [...new Set(v)];
}

/** Options from the webview or restored state: junk falls back to the defaults. */
export function parseBoardOptions(raw: unknown): BoardOptions {
  const r = isRecord(raw) ? raw : {};
  const scope = r.scope === 'release' || r.scope === 'backlog' ? r.scope : 'sprint';
  return {
    root: parseRoot(r.root),
    scope,
    scopeId: scope !== 'backlog' && isId(r.scopeId) ? r.scopeId : '',
    lanes: LANE_CHOICES.includes(r.lanes as LaneBy) ? (r.lanes as LaneBy) : 'none',
    text: filterText(r.text),
    assignee: filterText(r.assignee),
    label: filterText(r.label),
    type: filterText(r.type),
    onlyMine: r.onlyMine === true,
  };
}

/** Checks a message from the webview; returns why it is refused instead of throwing. */
export function parseBoardRequest(raw: unknown): BoardRequest | Refused {
  return parsePageRequest(raw, parseBoardOptions, parseOwnRequest);
}

function parseOwnRequest(raw: Record<string, unknown>): BoardOwnRequest | Refused | undefined {
  switch (raw.type) {
    case 'open':
      return isId(raw.id) ? { type: 'open', id: raw.id } : { error: 'open with a malformed id' };
    case 'move': {
      const ids = idList(raw.ids);
      if (!ids || !isStatus(raw.status)) return { error: 'move without card ids or a status' };
      if ((raw.before !== undefined && !isId(raw.before)) || (raw.after !== undefined && !isId(raw.after)) || (raw.before !== undefined && raw.after !== undefined)) {
        return { error: 'move next to a malformed id, or both before and after one' };
      }
      const message: BoardOwnRequest = { type: 'move', ids, status: raw.status };
      if (raw.before !== undefined) message.before = raw.before as string;
      if (raw.after !== undefined) message.after = raw.after as string;
      return message;
    }
    case 'moveMenu': {
      const ids = idList(raw.ids);
      return ids ? { type: 'moveMenu', ids } : { error: 'moveMenu without card ids' };
    }
    case 'completeSprint':
      return isId(raw.sprint) ? { type: 'completeSprint', sprint: raw.sprint } : { error: 'completeSprint with a malformed sprint id' };
    case 'openBurndown':
      return isId(raw.sprint) ? { type: 'openBurndown', sprint: raw.sprint } : { error: 'openBurndown with a malformed sprint id' };
    default:
      return undefined;
  }
}
