// Moves on the roadmap: a theme or an epic dropped on a horizon, and what that means for the
// files. Pure, so that the rules are unit-tested; roadmapPanel.ts asks and writes.
import { Backlog } from '../backlog';
import { Theme } from '../types';

/** The theme (or initiative) of roadmap.yml with this id, in any case. */
export function roadmapTheme(backlog: Backlog, id: string): Theme | undefined {
  return backlog.roadmap.themes.find((t) => t.id.toUpperCase() === id.toUpperCase());
}
