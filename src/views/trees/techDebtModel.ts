// What the Tech Debt view shows and what a drop onto it writes, without `vscode`, so that unit
// tests run it in plain Node.
import { TodoMatch } from '../../core/todo/todo';
import { ownedRef } from '../../core/todo/todoEditText';

/** One replacement within a line, in UTF-16 columns. */
export interface LineEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * The edit that links an unlinked TODO to an item: `// HACK: splits on spaces` becomes
 * `// HACK(BL-42): splits on spaces`. The tag keeps the case it was written in; whatever stood
 * between the tag and the text (a colon, a dash) becomes `(ID): `, and an owner stays beside the
 * id: `// TODO(alice): ask Bob` becomes `// TODO(alice, BL-42): ask Bob`. Undefined when the
 * line no longer holds the tag where the match says.
 */
export function linkTodoEdit(line: string, todo: Pick<TodoMatch, 'column' | 'endColumn' | 'tag' | 'text' | 'owner'>, id: string): LineEdit | undefined {
  const tagEnd = todo.column + todo.tag.length;
  const written = line.slice(todo.column, tagEnd);
  if (written.toUpperCase() !== todo.tag.toUpperCase()) return undefined;
  const ref = todo.owner ? ownedRef(todo.owner.name, id) : `(${id})`;
  if (todo.text === '') return { start: todo.column, end: Math.max(tagEnd, todo.endColumn), newText: `${written}${ref}` };
  const textStart = line.indexOf(todo.text, Math.max(tagEnd, todo.owner?.endColumn ?? 0));
  if (textStart === -1) return undefined;
  return { start: todo.column, end: textStart, newText: `${written}${ref}: ` };
}

/** Unlinked TODOs grouped for the view: folders in path order, each with its files. */
export interface FolderGroup<T> {
  /** The folder's path relative to the workspace (`src/search`), or '' for the top. */
  folder: string;
  files: { rel: string; name: string; todos: T[] }[];
  count: number;
}

/** Groups TODOs by folder and file; `relOf` gives each one's workspace-relative path. */
export function groupByFolder<T>(todos: readonly T[], relOf: (t: T) => string): FolderGroup<T>[] {
  const folders = new Map<string, Map<string, T[]>>();
  for (const t of todos) {
    const rel = relOf(t);
    const slash = rel.lastIndexOf('/');
    const folder = slash === -1 ? '' : rel.slice(0, slash);
    let files = folders.get(folder);
    if (!files) folders.set(folder, (files = new Map()));
    const list = files.get(rel);
    if (list) list.push(t);
    else files.set(rel, [t]);
  }
  return [...folders.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([folder, files]) => ({
      folder,
      files: [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([rel, list]) => ({ rel, name: rel.slice(rel.lastIndexOf('/') + 1), todos: list })),
      count: [...files.values()].reduce((n, l) => n + l.length, 0),
    }));
}
