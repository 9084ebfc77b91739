// What a drop on the sprint board means for the files: the dragged cards' status, their place in
// the backlog order, and the completion date a status change brings with it. Pure, so that "a
// drop changes only the dragged items' status and order" is unit-tested; the board panel hands
// each move to the writer's `moveItems`, which writes them.
import { Backlog } from '../backlog';
import { canonicalStatus, sameStatus } from '../statuses';
import { Item } from '../types';
import { MoveTarget } from '../writer';
import { FieldValue } from '../format/yamlEdit';
import { inBacklogOrder } from './treeDrops';

/** Where the cards were dropped: a status column, and the card they landed next to, if any. */
export interface BoardDropTarget {
  status: string;
  before?: string;
  after?: string;
}

/** One call of the writer's `moveItems`: these items, to this place (or none), with these fields. */
export interface BoardMove {
  itemIds: string[];
  target: MoveTarget;
  alsoSet: Record<string, FieldValue>;
}

export type BoardDropPlan = { kind: 'move'; moves: BoardMove[]; status: string } | { kind: 'refuse'; message: string } | { kind: 'nothing' };

/**
 * What the writer's `setField(id, 'status', …)` stamps along with a status: `completed_date`
 * today on the way into a done status, removed on the way out of one (for a file in `tasks/`).
 * The same rule, so that a card dragged to Done reads in the burndown as a status set elsewhere.
 */
export function completionChange(backlog: Backlog, item: Item, status: string, today: string): FieldValue | undefined {
  const wasDone = backlog.isDone(item);
  const willBeDone = backlog.config.doneStatuses.some((s) => sameStatus(s, status));
  if (willBeDone && !wasDone && item.completedDate === undefined) return today;
  if (!willBeDone && wasDone && item.completedDate !== undefined && item.folder === 'tasks') return null;
  return undefined;
}

/**
 * The writes a drop of `dragged` on `target` makes. Into another column: the status of each card
 * not already there (and its completion date); next to a card: the order too, through the
 * backlog's rank, as the Product Backlog's drops write it. A drop that makes no sense is refused
 * with a sentence for the user; a drop that changes nothing is `nothing`.
 */
export function planBoardDrop(backlog: Backlog, dragged: readonly Item[], target: BoardDropTarget, today: string): BoardDropPlan {
  if (dragged.length === 0) return { kind: 'nothing' };
  if (dragged.some((i) => i.root !== backlog.root)) return { kind: 'refuse', message: 'Cards move only within their own backlog.' };
  const status = canonicalStatus(backlog.config.statuses, target.status);
  if (status === undefined) return { kind: 'refuse', message: `"${target.status}" is not a status of this backlog: ${backlog.config.statuses.join(', ')}.` };
  const anchorId = target.before ?? target.after;
  const anchor = anchorId !== undefined ? backlog.item(anchorId) : undefined;
  if (anchorId !== undefined && !anchor) return { kind: 'refuse', message: `${anchorId} is no longer in the backlog.` };
  if (anchor && dragged.some((i) => i.key === anchor.key)) {
    return dragged.length === 1 ? { kind: 'nothing' } : { kind: 'refuse', message: `${anchor.id} is one of the cards being moved; drop them next to another card.` };
  }
  const ordered = inBacklogOrder(backlog, dragged);
  const at: MoveTarget = target.before !== undefined ? { before: target.before } : target.after !== undefined ? { after: target.after } : {};
  const changing = ordered.filter((i) => !sameStatus(i.status, status));
  if (changing.length === 0 && anchor === undefined) return { kind: 'nothing' };

  // Cards that need the same fields go in one move. The writer sets the same fields on every item
  // of a move, so cards whose completion date differs (one was done, one was not) are moved apart.
  const groups = new Map<string, { ids: string[]; fields: Record<string, FieldValue> }>();
  for (const item of ordered) {
    const fields: Record<string, FieldValue> = {};
    if (!sameStatus(item.status, status)) {
      fields.status = status;
      const completed = completionChange(backlog, item, status, today);
      if (completed !== undefined) fields.completed_date = completed;
    }
    const key = JSON.stringify(fields);
    const g = groups.get(key);
    if (g) g.ids.push(item.id);
    else groups.set(key, { ids: [item.id], fields });
  }
  if (groups.size === 1 || anchor === undefined) {
    const moves = [...groups.values()].filter((g) => anchor !== undefined || Object.keys(g.fields).length > 0).map((g) => ({ itemIds: g.ids, target: at, alsoSet: g.fields }));
    return { kind: 'move', moves, status };
  }
  // Several groups and a place to land: the writer places one list of items at a time, from the
  // order the index holds, so two placements next to one card would be given the same ranks.
  // The cards change column and keep their ranks; dropped again they take the place.
  return { kind: 'move', moves: [...groups.values()].filter((g) => Object.keys(g.fields).length > 0).map((g) => ({ itemIds: g.ids, target: {}, alsoSet: g.fields })), status };
}
