// The item editor's messages and the form model they carry. Shared by the extension host and
// the webview: types and pure checks only, no `vscode`, no DOM. Everything the page sends is
// `unknown` until `parseItemRequest` has checked it. The envelope (`ready`, `state`…) is page.ts's.
import { isId, isRecord, PageOptions, PageRequest, parsePageRequest, parseRoot, Refused } from './page';

/** The item editor has no toolbar options; the envelope still carries a root. */
export type ItemOptions = PageOptions;
export const DEFAULT_ITEM_OPTIONS: ItemOptions = { root: '' };

/** An item named by the form (a dependency, the parent, a subtask), with what the index says of it. */
export interface ItemRef {
  id: string;
  title?: string;
  status?: string;
  done?: boolean;
  /** Why the reference is a problem: no such item, archived, or part of a dependency cycle. */
  problem?: 'missing' | 'archived' | 'cycle';
}

export interface CheckRow {
  index: number;
  checked: boolean;
  text: string;
}

export interface Choice {
  id: string;
  title: string;
}

export interface ItemFields {
  status: string;
  type: string;
  priority: string;
  estimate: string;
  size: string;
  sprint: string;
  /** The release's id, whether written as `release` or as Backlog.md's `milestone`. */
  release: string;
  epic: string;
  theme: string;
  step: string;
  dueDate: string;
  assignee: string[];
  labels: string[];
  references: string[];
  documentation: string[];
}

/** One line of the item's history: a day and what changed on it. */
export interface HistoryLine {
  date: string;
  text: string;
}

export interface TodoLine {
  /** Index into the host's list for this model: the page names a TODO by it, never by path. */
  ref: number;
  where: string;
  text: string;
}

export interface ItemForm {
  kind: 'form';
  id: string;
  title: string;
  folder: string;
  fields: ItemFields;
  choices: {
    statuses: string[];
    types: string[];
    priorities: string[];
    sizes: string[];
    estimates: string[];
    sprints: Choice[];
    releases: Choice[];
    epics: Choice[];
    themes: Choice[];
    steps: Choice[];
    labels: string[];
    assignees: string[];
    /** Items a dependency or parent may name (open ones first; at most a few thousand). */
    items: Choice[];
  };
  dependencies: ItemRef[];
  parent?: ItemRef;
  subtasks: ItemRef[];
  descriptionHtml: string;
  description: string;
  acceptanceCriteria: CheckRow[];
  definitionOfDone: CheckRow[];
  plan: string;
  notes: string;
  summary: string;
  comments: { author: string; created: string; text: string }[];
  /** Where it stands: "3rd of 40 in the product backlog", "Sprint 14 (active)", … */
  standing: { label: string; value: string }[];
  todos: TodoLine[];
  /** Oldest first; undefined while git is read, and a note saying why there is none. */
  history?: HistoryLine[];
  historyNote: string;
  /** Warnings the index has for this file (dependency cycles, unknown values…). */
  warnings: string[];
}

/** A file that does not parse: its problems and its text, never a form that would rewrite it. */
export interface ItemProblems {
  kind: 'problems';
  problems: { line: number; column: number; message: string }[];
  text: string;
}

export type ItemModel = ItemForm | ItemProblems;

export type CheckListName = 'ac' | 'dod';
export type SectionName = 'description' | 'plan' | 'notes' | 'summary';

/** Keys the page may set; the host checks each value against the backlog. */
export const ITEM_FIELD_KEYS = ['title', 'status', 'type', 'priority', 'estimate', 'size', 'sprint', 'release', 'epic', 'theme', 'step', 'assignee', 'labels', 'dependencies', 'due_date', 'references', 'documentation', 'parent'] as const;
export type ItemFieldKey = (typeof ITEM_FIELD_KEYS)[number];

/** Messages only the item editor's page sends to the host. */
export type ItemOwnRequest =
  /** Sent when a choice is picked, a field loses focus, or typing in the title pauses: set the value ('' or [] removes it). */
  | { type: 'setField'; key: ItemFieldKey; value: string | string[] }
  /** Sent when a box is ticked or cleared. */
  | { type: 'check'; list: CheckListName; index: number; checked: boolean }
  /** Sent when a criterion's text is edited and the field is left. */
  | { type: 'checkText'; list: CheckListName; index: number; text: string }
  /** Sent by "Add" under a list. */
  | { type: 'checkAdd'; list: CheckListName; text: string }
  /** Sent by a criterion's remove button. */
  | { type: 'checkRemove'; list: CheckListName; index: number }
  /** Sent by a criterion's up and down buttons: move it to place `to` (0-based). */
  | { type: 'checkMove'; list: CheckListName; index: number; to: number }
  /** Sent while a section (Description, Plan, Notes, Final Summary) is typed in, after each pause. */
  | { type: 'setSection'; section: SectionName; content: string }
  /** Sent by Ctrl+S (Cmd+S) when typing had not yet been sent: save the document after what came before. */
  | { type: 'save' }
  /** Sent by "Open as Text". */
  | { type: 'openText' }
  /** Sent by a click on a dependency, the parent or a subtask: open that item. */
  | { type: 'openItem'; id: string }
  /** Sent by a click on a TODO: open its line. */
  | { type: 'openTodo'; ref: number };

export type ItemRequest = PageRequest<ItemOptions> | ItemOwnRequest;

const MAX_TEXT = 100_000;
const MAX_LIST = 500;
const MAX_VALUE = 2000;
const MAX_INDEX = 100_000;

function isList(v: unknown): v is CheckListName {
  return v === 'ac' || v === 'dod';
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INDEX;
}

function isLine(v: unknown, max = MAX_VALUE): v is string {
  return typeof v === 'string' && v.length <= max && !/[\r\n]/.test(v);
}

function fieldValue(v: unknown): string | string[] | undefined {
  if (isLine(v)) return v;
  if (Array.isArray(v) && v.length <= MAX_LIST && v.every((x) => isLine(x))) return v as string[];
  return undefined;
}

export function parseItemOptions(raw: unknown): ItemOptions {
  return { root: parseRoot(isRecord(raw) ? raw.root : undefined) };
}

/** Checks a message from the page; returns why it is refused instead of throwing. */
export function parseItemRequest(raw: unknown): ItemRequest | Refused {
  return parsePageRequest(raw, parseItemOptions, parseOwnRequest);
}

function parseOwnRequest(raw: Record<string, unknown>): ItemOwnRequest | Refused | undefined {
  switch (raw.type) {
    case 'setField': {
      const value = fieldValue(raw.value);
      if (!(ITEM_FIELD_KEYS as readonly unknown[]).includes(raw.key) || value === undefined) return { error: 'setField with an unknown key or a malformed value' };
      return { type: 'setField', key: raw.key as ItemFieldKey, value };
    }
    case 'check':
      return isList(raw.list) && isIndex(raw.index) && typeof raw.checked === 'boolean' ? { type: 'check', list: raw.list, index: raw.index, checked: raw.checked } : { error: 'check with a malformed list, index or box' };
    case 'checkText':
      return isList(raw.list) && isIndex(raw.index) && isLine(raw.text) ? { type: 'checkText', list: raw.list, index: raw.index, text: raw.text } : { error: 'checkText with a malformed list, index or text' };
    case 'checkAdd':
      return isList(raw.list) && isLine(raw.text) ? { type: 'checkAdd', list: raw.list, text: raw.text } : { error: 'checkAdd with a malformed list or text' };
    case 'checkRemove':
      return isList(raw.list) && isIndex(raw.index) ? { type: 'checkRemove', list: raw.list, index: raw.index } : { error: 'checkRemove with a malformed list or index' };
    case 'checkMove':
      return isList(raw.list) && isIndex(raw.index) && isIndex(raw.to) ? { type: 'checkMove', list: raw.list, index: raw.index, to: raw.to } : { error: 'checkMove with a malformed list, index or place' };
    case 'setSection': {
      const ok = (raw.section === 'description' || raw.section === 'plan' || raw.section === 'notes' || raw.section === 'summary') && typeof raw.content === 'string' && raw.content.length <= MAX_TEXT;
      return ok ? { type: 'setSection', section: raw.section as SectionName, content: raw.content as string } : { error: 'setSection with a malformed section or text' };
    }
    case 'openText':
      return { type: 'openText' };
    case 'save':
      return { type: 'save' };
    case 'openItem':
      return isId(raw.id) ? { type: 'openItem', id: raw.id } : { error: 'openItem with a malformed id' };
    case 'openTodo':
      return isIndex(raw.ref) ? { type: 'openTodo', ref: raw.ref } : { error: 'openTodo with a malformed reference' };
    default:
      return undefined;
  }
}
