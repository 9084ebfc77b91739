// What the item editor's form changes, as one text edit of the item file: a front-matter value
// (through the writer's checks and `yamlEdit`), a checklist line, or a section (`bodyEdit`).
// Pure: the editor applies the edit to the open document, so that VS Code's undo, dirty state
// and save work as they do for typing.
import { Backlog } from './backlog';
import { addCheck, BodyEditResult, CheckList, moveCheck, removeCheck, setCheck, setCheckText, setSectionText, TextSection } from './format/bodyEdit';
import { splitFrontMatter } from './format/itemFile';
import { FieldValue, TextEdit } from './format/yamlEdit';
import { parseYamlSafe } from './format/yamlSafe';
import { checkFieldValue, diffEdit, setFrontMatterKey } from './writer';

/** One change the form asks for. */
export type ItemEdit =
  | { kind: 'field'; key: string; value: FieldValue }
  | { kind: 'check'; list: CheckList; index: number; checked: boolean }
  | { kind: 'checkText'; list: CheckList; index: number; text: string }
  | { kind: 'checkAdd'; list: CheckList; text: string }
  | { kind: 'checkRemove'; list: CheckList; index: number }
  | { kind: 'checkMove'; list: CheckList; index: number; to: number }
  | { kind: 'section'; section: TextSection; content: string };

/** The front-matter keys the form edits; anything else is edited as text. */
export const FORM_KEYS = [
  'title',
  'status',
  'type',
  'priority',
  'estimate',
  'size',
  'sprint',
  'release',
  'milestone',
  'epic',
  'theme',
  'step',
  'assignee',
  'labels',
  'dependencies',
  'due_date',
  'references',
  'documentation',
  'parent_task_id',
  'parent',
] as const;
export type FormKey = (typeof FORM_KEYS)[number];

export type ItemEditResult = { ok: true; edit: TextEdit | undefined; text: string } | { ok: false; message: string };

/**
 * Turns one form change into the edit of `text` (the item file's whole text, as the open
 * document holds it) that changes only that value's bytes; `undefined` when nothing changes.
 * Values are checked as the writer checks them (a status as config.yml spells it, a sprint that
 * exists); unlike the writer, `updated_date` is left alone: the change is typing in the document,
 * and the user saves it.
 */
export function itemTextEdit(text: string, change: ItemEdit, backlog: Backlog): ItemEditResult {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let r: BodyEditResult;
  switch (change.kind) {
    case 'field': {
      if (!(FORM_KEYS as readonly string[]).includes(change.key)) return { ok: false, message: `${change.key} is not edited in the form; open the item as text.` };
      let value = change.value;
      if (typeof value === 'string' && value.trim() === '' && change.key !== 'title') value = null;
      const key = keyInFile(text, change.key, value, backlog);
      if (key === 'milestone' && typeof value === 'string') value = backlog.release(value)?.id ?? value;
      const checked = checkFieldValue(backlog, key, value);
      if ('error' in checked) return { ok: false, message: checked.error };
      const set = setFrontMatterKey(text, key, checked.value, eol);
      r = 'message' in set ? { ok: false, message: set.message } : { ok: true, text: set.text };
      break;
    }
    case 'check':
      r = setCheck(text, change.list, change.index, change.checked);
      break;
    case 'checkText':
      r = setCheckText(text, change.list, change.index, change.text);
      break;
    case 'checkAdd':
      r = addCheck(text, change.list, change.text);
      break;
    case 'checkRemove':
      r = removeCheck(text, change.list, change.index);
      break;
    case 'checkMove':
      r = moveCheck(text, change.list, change.index, change.to);
      break;
    case 'section':
      r = setSectionText(text, change.section, change.content);
      break;
  }
  if (!r.ok) return r;
  return { ok: true, edit: diffEdit(text, r.text), text: r.text };
}

/**
 * Where a value the form names one way is written in this file: a release in `release`, or in
 * Backlog.md's `milestone` when it is a milestone (or the file keeps its release there); the
 * parent in `parent_task_id` unless the file uses `parent`.
 */
function keyInFile(text: string, key: string, value: FieldValue, backlog: Backlog): string {
  if (key !== 'release' && key !== 'parent' && key !== 'parent_task_id' && key !== 'milestone') return key;
  const has = frontMatterKeys(text);
  if (key === 'parent' || key === 'parent_task_id') return has.has('parent') && !has.has('parent_task_id') ? 'parent' : 'parent_task_id';
  const release = typeof value === 'string' ? backlog.release(value) : undefined;
  if (release) return release.source === 'milestone' ? 'milestone' : 'release';
  return has.has('milestone') && !has.has('release') ? 'milestone' : 'release';
}

/** The top-level keys of a file's front matter (none when it does not parse). */
function frontMatterKeys(text: string): Set<string> {
  const split = splitFrontMatter(text);
  if (!split.ok) return new Set();
  const parsed = parseYamlSafe(text.slice(split.span.yamlStart, split.span.yamlEnd));
  const value: unknown = parsed.value;
  return new Set(typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : []);
}
