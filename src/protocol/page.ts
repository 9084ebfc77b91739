// The envelope every panel page and the host share, whatever the panel: the handshake, the
// options, the whole state, announcements, the saved state, and the checks behind them. Each
// panel's protocol file adds its own messages and model; both the extension host and the
// webview import this file, so it holds types and pure checks only: no `vscode`, no DOM.

/** What every panel's options hold: the page names a root by what the host called it. */
export interface PageOptions {
  /** Which backlog root, when the workspace has several; empty picks the first. */
  root: string;
}

/** Messages every page sends to the host, whatever else its protocol has. */
export type PageRequest<Options> =
  /** Sent once the page's script runs; the host answers with `state`. */
  | { type: 'ready' }
  /** Sent when the user changes an option in the page's toolbar; the host answers with `state`. */
  | { type: 'setOptions'; options: Options }
  /** Sent after each state is painted: how many cards, and how long since the state arrived. */
  | { type: 'drawn'; cards: number; ms: number };

/** Messages the host sends to every page, whatever else its protocol has. */
export type PageUpdate<Model, Options> =
  /** The whole state: after `ready`, after an option change, and whenever the backlog changes. */
  | { type: 'state'; model: Model; options: Options }
  /** A sentence for the page's live region: what a move or an add did, or why it was refused. */
  | { type: 'announce'; message: string };

/** What a page keeps across reloads (VS Code's webview state), and what the host revives it from. */
export interface PageState<Options> {
  options: Options;
}

/** Why a message from a page was refused: the host logs it and does nothing else. */
export interface Refused {
  error: string;
}

/** Ids of items, sprints, releases, themes, steps…: what a page may name, never a path. */
export const ID_PATTERN = /^[A-Za-z0-9][\w.-]{0,63}$/;

/** Paths of roots are long but not unbounded; a longer one is junk, not a root. */
const ROOT_MAX = 1000;

/** Every type of the envelope's messages, each way: the compiler says when one is missing. */
const PAGE_REQUEST_TYPES: Record<PageRequest<unknown>['type'], true> = { ready: true, setOptions: true, drawn: true };
const PAGE_UPDATE_TYPES: Record<PageUpdate<unknown, unknown>['type'], true> = { state: true, announce: true };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isId(v: unknown): v is string {
  return typeof v === 'string' && ID_PATTERN.test(v);
}

/** A count or a duration from a page: anything but a finite number of at least zero is 0. */
export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

/** The `root` of restored or sent options; junk picks the first root. */
export function parseRoot(v: unknown): string {
  return typeof v === 'string' && v.length <= ROOT_MAX ? v : '';
}

/** The options in a page's saved state, checked; an old or tampered state gives the defaults. */
export function parsePageState<Options>(state: unknown, parseOptions: (raw: unknown) => Options): Options {
  return parseOptions(isRecord(state) ? state.options : undefined);
}

/** Whether a parse refused the message: what passes always has a type, a refusal never does. */
export function isRefused<T extends { type: string }>(result: T | Refused): result is Refused {
  return !('type' in result);
}

/** Whether a checked message is one of the envelope's (which the panel's own handler never sees). */
export function isPageRequest<Options, Own extends { type: string }>(message: PageRequest<Options> | Own): message is PageRequest<Options> {
  return Object.hasOwn(PAGE_REQUEST_TYPES, message.type);
}

/** Whether a message from the host is one of the envelope's (which a page's own hook never sees). */
export function isPageUpdate<Model, Options, Own extends { type: string }>(message: PageUpdate<Model, Options> | Own): message is PageUpdate<Model, Options> {
  return Object.hasOwn(PAGE_UPDATE_TYPES, message.type);
}

/**
 * Checks a message from a page: the envelope's messages here, the panel's own by `parseOwn`
 * (which answers undefined for a type it does not know). Returns why it is refused instead of
 * throwing; what passes holds only the keys its type names.
 */
export function parsePageRequest<Options, Own>(
  raw: unknown,
  parseOptions: (raw: unknown) => Options,
  parseOwn: (message: Record<string, unknown> & { type: string }) => Own | Refused | undefined,
): PageRequest<Options> | Own | Refused {
  if (!isRecord(raw) || typeof raw.type !== 'string') return { error: 'not a message object with a type' };
  const message = raw as Record<string, unknown> & { type: string };
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'setOptions':
      return isRecord(message.options) ? { type: 'setOptions', options: parseOptions(message.options) } : { error: 'setOptions without options' };
    case 'drawn':
      return { type: 'drawn', cards: count(message.cards), ms: count(message.ms) };
  }
  return parseOwn(message) ?? { error: `unknown message type "${message.type.slice(0, 40)}"` };
}
