import { Backlog } from '../backlog';
import { BacklogIndex } from '../backlogIndex';
import { DEFAULT_TODO_TAGS } from '../format/config';
import { TodoOptions } from './todo';
import { Item } from '../types';

/**
 * The matcher options for the workspace's backlogs: every root's TODO tags, and every root's
 * id prefix, so that `TODO(BL-42)` counts as a reference only where a backlog uses `BL`.
 */
export function todoOptionsFor(index: BacklogIndex): TodoOptions {
  const tags = new Set<string>();
  const prefixes = new Set<string>();
  for (const b of index.roots()) {
    for (const t of b.config.todoTags) tags.add(t);
    if (b.config.taskPrefix.trim() !== '') prefixes.add(b.config.taskPrefix.trim().toUpperCase());
  }
  if (tags.size === 0) for (const t of DEFAULT_TODO_TAGS) tags.add(t);
  // Sorted, so that equal options compare equal (the extension rescans only when they change).
  return { tags: [...tags].sort(), prefixes: [...prefixes].sort() };
}

/** What a TODO's reference stands for. A dropped item is one in `archive/`. */
export type TodoRefState = 'open' | 'done' | 'dropped' | 'missing';

export type ResolvedTodoRef = { state: 'missing' } | { state: Exclude<TodoRefState, 'missing'>; item: Item; backlog: Backlog };

/** Resolves a referenced id against the index; nothing leaves the machine. */
export function resolveTodoRef(index: BacklogIndex, id: string): ResolvedTodoRef {
  const item = index.item(id);
  const backlog = item ? index.backlogFor(item.path) : undefined;
  if (!item || !backlog) return { state: 'missing' };
  if (item.folder === 'archive') return { state: 'dropped', item, backlog };
  if (backlog.isDone(item)) return { state: 'done', item, backlog };
  return { state: 'open', item, backlog };
}

export type TodoLinkProblem = { code: 'todo-missing-item' | 'todo-done-item' | 'todo-dropped-item'; message: string };

/**
 * What is wrong with a TODO's reference, if anything, in the words of the command line: the
 * item does not exist, is done (the TODO outlived its work), or was archived (dropped).
 */
export function todoLinkProblem(index: BacklogIndex, id: string): TodoLinkProblem | undefined {
  const r = resolveTodoRef(index, id);
  switch (r.state) {
    case 'open':
      return undefined;
    case 'missing':
      return { code: 'todo-missing-item', message: `${id} is not in the backlog: link another item or remove the reference.` };
    case 'dropped':
      return { code: 'todo-dropped-item', message: `${r.item.id} "${r.item.title}" was archived: link another item, remove the reference or the TODO.` };
    case 'done':
      return { code: 'todo-done-item', message: `${r.item.id} "${r.item.title}" is done: finish this TODO, link another item, or reopen ${r.item.id}.` };
  }
}
