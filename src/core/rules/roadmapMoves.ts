// Moves on the roadmap: a theme or an epic dropped on a horizon, and what that means for the
// files. Pure, so that the rules are unit-tested; roadmapPanel.ts asks and writes.
import { Backlog } from '../backlog';
import { Item, Theme } from '../types';
import { horizonLabel } from './horizon';

/** The theme (or initiative) of roadmap.yml with this id, in any case. */
export function roadmapTheme(backlog: Backlog, id: string): Theme | undefined {
  return backlog.roadmap.themes.find((t) => t.id.toUpperCase() === id.toUpperCase());
}

/**
 * Where an epic sits on the roadmap: its own `horizon`, or else its theme's. An epic without a
 * horizon of its own follows its theme, so moving the theme moves it too.
 */
export function epicHorizon(epic: Item, theme: Theme | undefined): string | undefined {
  return epic.horizon ?? theme?.horizon;
}

/** What a move on the roadmap writes, or why nothing is written. */
export type RoadmapMove =
  /** The theme's horizon in roadmap.yml (null: unscheduled); its following epics go with it. */
  | { kind: 'theme'; theme: Theme; horizon: string | null }
  /** The epic's own `horizon` (null: the key goes, and the epic follows its theme again). */
  | { kind: 'epic'; epic: Item; horizon: string | null }
  /** Already there: nothing to write, and a sentence saying so. */
  | { kind: 'nothing'; message: string }
  | { kind: 'refuse'; message: string };

/**
 * What moving a theme or an epic to `horizon` (null: Unscheduled) means. Only epics carry a
 * horizon of their own among items; an epic moved to where its theme is follows the theme again
 * rather than repeating its horizon, so that the next move of the theme takes the epic along.
 */
export function planRoadmapMove(backlog: Backlog, ref: { kind: 'theme' | 'item'; id: string }, horizon: string | null): RoadmapMove {
  if (ref.kind === 'theme') {
    const theme = roadmapTheme(backlog, ref.id);
    return theme ? { kind: 'theme', theme, horizon } : { kind: 'refuse', message: `${ref.id} is no longer in roadmap.yml.` };
  }
  const epic = backlog.item(ref.id);
  if (!epic || epic.type !== 'epic') return { kind: 'refuse', message: `Only epics move on the roadmap; ${ref.id} is ${epic ? `a ${epic.type ?? 'task'}` : 'not in the backlog'}.` };
  const theme = epic.theme !== undefined ? roadmapTheme(backlog, epic.theme) : undefined;
  const own = theme?.horizon !== undefined && theme.horizon === horizon ? null : horizon;
  if (own === null && epic.horizon === undefined) return { kind: 'nothing', message: `${epic.id} is already in ${horizon === null ? 'Unscheduled' : horizonLabel(horizon)}.` };
  return { kind: 'epic', epic, horizon: own };
}
