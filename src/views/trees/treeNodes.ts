// The rows of the backlog trees, shared by the views (which create them) and the commands
// (which receive them as their first argument from context menus). Commands get `unknown` and
// check it with `asNode`, because a command can also be run from the palette with no argument.
import { ListRef } from '../../core/rules/treeDrops';

export type TreeNode =
  | { kind: 'item'; root: string; id: string; /** The list the row is shown in, for drops. */ list: ListRef }
  | { kind: 'sprint'; root: string; id: string }
  | { kind: 'release'; root: string; id: string }
  | { kind: 'group'; root: string; label: string; list: ListRef }
  | { kind: 'epic-children'; root: string; id: string };

/** Tree item `contextValue`s, matched by `when` clauses in package.json menus. */
export const CONTEXT = {
  item: 'backlogItem',
  opportunity: 'backlogItem.opportunity',
  sprintPlanned: 'sprint.planned',
  sprintActive: 'sprint.active',
  sprintClosed: 'sprint.closed',
  release: 'release',
  /** A Backlog.md milestone file listed as a release: it can be renamed, removed and archived. */
  milestone: 'release.milestone',
} as const;

/** The node a command was invoked on, if it is one of ours. */
export function asNode(arg: unknown): TreeNode | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const n = arg as Record<string, unknown>;
  if (typeof n.kind !== 'string' || typeof n.root !== 'string') return undefined;
  if ((n.kind === 'item' || n.kind === 'sprint' || n.kind === 'release' || n.kind === 'epic-children') && typeof n.id === 'string') return n as TreeNode;
  if (n.kind === 'group' && typeof n.label === 'string') return n as TreeNode;
  return undefined;
}
