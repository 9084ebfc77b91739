// What a drop on a backlog tree means for the files: which items move where in the backlog
// order, and which fields change with them. A rule of the backlog, not of the tree, so that it is
// unit-tested in plain Node; backlogDragAndDropController.ts turns a plan into writes.
import { Backlog } from '../backlog';
import { MoveTarget } from '../writer';
import { Item, Release } from '../types';
import { FieldValue } from '../format/yamlEdit';

/** The list a row belongs to: dropping into it sets (or clears) the matching field. */
export type ListRef =
  | { kind: 'sprint'; id: string }
  | { kind: 'release'; id: string }
  | { kind: 'product' }
  | { kind: 'opportunities' };

/** Where a drop landed, as the tree saw it. */
export type DropTarget =
  /** On an item row: insert before it, in the list that row is shown in. */
  | { kind: 'item'; list: ListRef; item: Item }
  /**
   * On a sprint, release or group row, or the empty space below a list: plan the items into that
   * list (their ranks stay), or, for items already in it, move them to its end.
   */
  | { kind: 'list'; list: ListRef; items: readonly Item[] };

/** One dragged item and the list it was dragged from. */
export interface Dragged {
  item: Item;
  from: ListRef;
}

export type DropPlan =
  | { kind: 'move'; itemIds: string[]; target: MoveTarget; alsoSet: Record<string, FieldValue> }
  | { kind: 'refuse'; message: string }
  | { kind: 'nothing' };

/**
 * What a drop means for the files: which items move where in the backlog order, and which
 * fields change with them. A drop that makes no sense is refused with a sentence for the user.
 */
export function planDrop(backlog: Backlog, dragged: readonly Dragged[], target: DropTarget): DropPlan {
  if (dragged.length === 0) return { kind: 'nothing' };
  if (dragged.some((d) => d.item.root !== backlog.root)) return { kind: 'refuse', message: 'Items move only within their own backlog.' };
  const moving = new Set(dragged.map((d) => d.item.key));
  if (target.kind === 'item' && moving.has(target.item.key)) {
    return dragged.length === 1 ? { kind: 'refuse', message: `${target.item.id} cannot be dropped onto itself.` } : { kind: 'refuse', message: `${target.item.id} is one of the items being moved; drop them onto another item.` };
  }
  const list = target.list;
  const opportunities = dragged.filter((d) => d.item.type === 'opportunity').map((d) => d.item.id);
  const alsoSet: Record<string, FieldValue> = {};
  switch (list.kind) {
    case 'sprint': {
      const sprint = backlog.sprint(list.id);
      if (!sprint) return { kind: 'refuse', message: `No sprint ${list.id} in sprints.yml.` };
      if (sprint.state === 'closed') return { kind: 'refuse', message: `${sprint.name} is closed; plan the work into an active or planned sprint.` };
      if (opportunities.length > 0) return { kind: 'refuse', message: `${opportunities.join(', ')} ${opportunities.length === 1 ? 'is an opportunity' : 'are opportunities'}: promote to the product backlog before planning into a sprint.` };
      if (dragged.some((d) => d.item.sprint === undefined || backlog.sprint(d.item.sprint) !== sprint)) alsoSet.sprint = sprint.id;
      break;
    }
    case 'release': {
      const release = backlog.release(list.id);
      if (!release) return { kind: 'refuse', message: `No release ${list.id} in releases.yml or milestones/.` };
      // An item joins a release through `release:` or Backlog.md's `milestone:`; the one that
      // pointed at another release is cleared, or the item would stay in both.
      const [key, other] = release.source === 'milestone' ? (['milestone', 'release'] as const) : (['release', 'milestone'] as const);
      if (dragged.some((d) => resolves(backlog, d.item[key]) !== release)) alsoSet[key] = release.id;
      if (dragged.some((d) => { const r = resolves(backlog, d.item[other]); return r !== undefined && r !== release; })) alsoSet[other] = null;
      break;
    }
    case 'product': {
      if (opportunities.length > 0) return { kind: 'refuse', message: `${opportunities.join(', ')}: use "Promote to Product Backlog" to move an opportunity into the product backlog.` };
      // Dragged out of a sprint or a release list means "take it out of there".
      if (dragged.some((d) => d.from.kind === 'sprint' && d.item.sprint !== undefined)) alsoSet.sprint = null;
      if (dragged.some((d) => d.from.kind === 'release' && d.item.release !== undefined && resolves(backlog, d.item.release)?.id === d.from.id)) alsoSet.release = null;
      if (dragged.some((d) => d.from.kind === 'release' && d.item.milestone !== undefined && resolves(backlog, d.item.milestone)?.id === d.from.id)) alsoSet.milestone = null;
      break;
    }
    case 'opportunities': {
      const others = dragged.filter((d) => d.item.type !== 'opportunity').map((d) => d.item.id);
      if (others.length > 0) return { kind: 'refuse', message: `${others.join(', ')} ${others.length === 1 ? 'is not an opportunity' : 'are not opportunities'}; only opportunities are ordered here.` };
      break;
    }
  }
  const itemIds = inBacklogOrder(backlog, dragged.map((d) => d.item)).map((i) => i.id);
  if (target.kind === 'item') return { kind: 'move', itemIds, target: { before: target.item.id }, alsoSet };
  // Onto a sprint or release row from elsewhere: planning, not prioritising. Only the field
  // changes and each item keeps its rank, so it shows in that list in backlog order and a move
  // between sprints rewrites one line. (Appending would also lower its priority everywhere.)
  if (Object.keys(alsoSet).length > 0) return { kind: 'move', itemIds, target: {}, alsoSet };
  // Onto the header of the list the items are already in: move them to its end.
  const last = [...target.items].reverse().find((i) => !moving.has(i.key));
  if (last) return { kind: 'move', itemIds, target: { after: last.id }, alsoSet };
  return { kind: 'nothing' };
}

function resolves(backlog: Backlog, ref: string | undefined): Release | undefined {
  return ref !== undefined ? backlog.release(ref) : undefined;
}

/** Items in the backlog's order, so that a multi-select drop keeps the order they had. */
export function inBacklogOrder(backlog: Backlog, items: readonly Item[]): Item[] {
  const position = new Map<string, number>();
  const wanted = new Set(items.map((i) => i.key));
  backlog.allOrdered().forEach((i, n) => {
    if (wanted.has(i.key)) position.set(i.key, n);
  });
  return [...items].sort((a, b) => (position.get(a.key) ?? 0) - (position.get(b.key) ?? 0));
}
