// How the TODO quick fixes rewrite a comment and name a new item. Pure (no `vscode`), so that
// plain-Node unit tests cover it; the adapters turn the results into workspace edits.
import { TodoMatch, TodoRef } from './todo';
import { FileOperation } from '../writer';
import { contentHash, decodeText, lineStarts } from '../text';

/** Longest title taken from a comment; the description keeps the whole text. */
export const MAX_TITLE = 80;

/** A replacement of columns [start, end) of one line. */
export interface LineEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * Removes an item reference and its brackets: `TODO(BL-9): x` becomes `TODO: x`,
 * `FIXME [BL-9] x` becomes `FIXME x`, `TODO BL-9: x` becomes `TODO: x`. An owner stays:
 * `TODO(alice, BL-9): x` becomes `TODO(alice): x`.
 */
export function removeRefEdit(line: string, todo: TodoMatch & { ref: TodoRef }): LineEdit {
  if (todo.owner) return { start: todo.owner.column, end: todo.owner.endColumn, newText: `(${todo.owner.name})` };
  const start = todo.column + todo.tag.length;
  let end = todo.ref.endColumn;
  const close = /^\s*[)\]]/.exec(line.slice(end));
  if (close) end += close[0].length;
  // `TODO(BL-9)fix` would otherwise become `TODOfix`, which is no longer a tag.
  const newText = /^[A-Za-z0-9_]/.test(line.slice(end)) ? ' ' : '';
  return { start, end, newText };
}

/**
 * Writes an id into an unlinked TODO: `TODO: x` becomes `TODO(BL-50): x`, and an owner stays
 * beside it: `TODO(alice): x` becomes `TODO(alice, BL-50): x`.
 */
export function addRefEdit(todo: TodoMatch, id: string): LineEdit {
  if (todo.owner) return { start: todo.owner.column, end: todo.owner.endColumn, newText: ownedRef(todo.owner.name, id) };
  const at = todo.column + todo.tag.length;
  return { start: at, end: at, newText: `(${id})` };
}

/** The reference of an owned TODO, as the matcher reads it back: `(alice, BL-42)`. */
export function ownedRef(owner: string, id: string): string {
  return `(${owner}, ${id})`;
}

/**
 * A title for an item made from a TODO: the comment's text on one line, capitalised, cut at a
 * word boundary near `MAX_TITLE`. A comment with no words gets `TODO in file.ts:12`.
 */
export function titleFromTodo(todo: Pick<TodoMatch, 'tag' | 'text'>, location: string): string {
  const text = todo.text.replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return `${todo.tag} in ${location}`;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  if (capital.length <= MAX_TITLE) return capital;
  const cut = capital.slice(0, MAX_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_TITLE / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.\-–—]+$/, '')}…`;
}

/** The description of an item made from a TODO: where the comment is, and its whole text. */
export function descriptionFromTodo(todo: Pick<TodoMatch, 'tag' | 'text'>, location: string): string {
  const text = todo.text.replace(/\s+/g, ' ').trim();
  // The location in a code span, so that an underscore in a path is not taken as emphasis.
  const where = `From a ${todo.tag} comment at \`${location.replace(/`/g, "'")}\`.`;
  return text === '' ? where : `${where}\n\n> ${text}`;
}

/**
 * The edit that makes the references of one code file name `newId` (an item given a new id
 * after a merge): each reference's columns, and nothing else, as one operation on the file's text
 * as read. Undefined when the file is not text or a reference is not where the scan found it.
 */
export function retargetTodoRefs(path: string, bytes: Uint8Array, refs: readonly { line: number; ref: TodoRef }[], newId: string): FileOperation | undefined {
  const decoded = decodeText(bytes);
  if (!decoded.ok || refs.length === 0) return undefined;
  const text = decoded.value.text;
  const starts = lineStarts(text);
  const edits = [];
  for (const { line, ref } of refs) {
    const offset = starts[line] + ref.column;
    if (starts[line] === undefined || text.slice(offset, offset + ref.endColumn - ref.column).toUpperCase() !== ref.id.toUpperCase()) return undefined;
    edits.push({ offset, length: ref.endColumn - ref.column, newText: newId });
  }
  return { kind: 'edit', path, baseHash: contentHash(text), edits };
}
