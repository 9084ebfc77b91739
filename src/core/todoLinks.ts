import { BacklogIndex } from './backlogIndex';
import { DEFAULT_TODO_TAGS } from './config';
import { TodoOptions } from './todo';

/**
 * The matcher options for the workspace's backlogs: every root's TODO tags, and every root's
 * id prefix, so that `TODO(BL-42)` counts as a reference only where a backlog uses `BL`.
 */
export function todoOptionsFor(index: BacklogIndex): TodoOptions {
  const roots = index.roots();
  const tags = new Set(roots.length > 0 ? roots.flatMap((b) => b.config.todoTags) : DEFAULT_TODO_TAGS);
  const prefixes = new Set(roots.map((b) => b.config.taskPrefix.toUpperCase()));
  return { tags: [...tags], prefixes: [...prefixes] };
}

export type TodoLinkProblem = { code: 'todo-missing-item' | 'todo-done-item' | 'todo-dropped-item'; message: string };

/**
 * What is wrong with a TODO's reference, if anything: the item does not exist, is done (the
 * TODO outlived its work), or was archived (dropped). Undefined for a live item.
 */
export function todoLinkProblem(index: BacklogIndex, id: string): TodoLinkProblem | undefined {
  const item = index.item(id);
  if (!item) return { code: 'todo-missing-item', message: `${id} is not in the backlog: link another item or remove the reference.` };
  const backlog = index.backlogFor(item.path)!;
  if (item.folder === 'archive') return { code: 'todo-dropped-item', message: `${item.id} "${item.title}" was archived: link another item, remove the reference or the TODO.` };
  if (backlog.isDone(item)) return { code: 'todo-done-item', message: `${item.id} "${item.title}" is done: finish this TODO, link another item, or reopen ${item.id}.` };
  return undefined;
}
