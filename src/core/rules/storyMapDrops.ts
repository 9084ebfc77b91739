// What a drop on the story map means for the item's file: which fields change. Pure, so that
// "only what changed is written" is unit-tested.
import { Backlog } from '../backlog';
import { Item } from '../types';
import { FieldValue } from '../format/yamlEdit';

/**
 * How the story map cuts its stories into slices: one per release or one per sprint. A domain
 * choice, so the core names it itself; the protocol spells the same union for the webview.
 */
export type SliceBy = 'release' | 'sprint';

export type StoryMapDrop = { kind: 'set'; fields: Record<string, FieldValue> } | { kind: 'refuse'; message: string };

function resolves(backlog: Backlog, ref: string | undefined) {
  return ref === undefined ? undefined : backlog.release(ref);
}

/** The step the item sits under on the map: a known step id, or '' (Unmapped). */
export function currentStep(backlog: Backlog, item: Item): string {
  if (item.step === undefined) return '';
  const key = item.step.toUpperCase();
  for (const a of backlog.storyMap.activities) for (const s of a.steps) if (s.id.toUpperCase() === key) return s.id;
  return '';
}

/**
 * The fields to write when `item` is dropped in `step` ('' = Unmapped) and `slice` ('' =
 * Unplanned). Fields that already say so are left out, so a drop into the same column writes
 * only the release (or sprint) line, and a drop into the same cell writes nothing here.
 */
export function storyMapDrop(backlog: Backlog, item: Item, step: string, slice: string, sliceBy: SliceBy): StoryMapDrop {
  const fields: Record<string, FieldValue> = {};
  if (step !== '') {
    const known = backlog.storyMap.activities.flatMap((a) => a.steps).find((s) => s.id.toUpperCase() === step.toUpperCase());
    if (!known) return { kind: 'refuse', message: `No step ${step} in storymap.yml.` };
    if (currentStep(backlog, item).toUpperCase() !== known.id.toUpperCase()) fields.step = known.id;
  } else if (item.step !== undefined) {
    fields.step = null;
  }
  if (sliceBy === 'sprint') {
    const current = item.sprint !== undefined ? backlog.sprint(item.sprint) : undefined;
    if (slice === '') {
      if (item.sprint !== undefined) fields.sprint = null;
    } else {
      const sprint = backlog.sprint(slice);
      if (!sprint) return { kind: 'refuse', message: `No sprint ${slice} in sprints.yml.` };
      if (sprint.state === 'closed' && current !== sprint) return { kind: 'refuse', message: `${sprint.name} is closed; plan the story into an active or planned sprint.` };
      if (current !== sprint) fields.sprint = sprint.id;
    }
    return { kind: 'set', fields };
  }
  if (slice === '') {
    // Out of every release: both ways of naming one are cleared.
    if (item.release !== undefined) fields.release = null;
    if (item.milestone !== undefined && resolves(backlog, item.milestone)) fields.milestone = null;
    return { kind: 'set', fields };
  }
  const release = backlog.release(slice);
  if (!release) return { kind: 'refuse', message: `No release ${slice} in releases.yml or milestones/.` };
  // An item joins a release through `release:` or Backlog.md's `milestone:`; the one that
  // pointed at another release is cleared, or the item would sit in both.
  const [key, other] = release.source === 'milestone' ? (['milestone', 'release'] as const) : (['release', 'milestone'] as const);
  if (resolves(backlog, item[key]) !== release) fields[key] = release.id;
  const otherRelease = resolves(backlog, item[other]);
  if (item[other] !== undefined && otherRelease !== release) fields[other] = null;
  return { kind: 'set', fields };
}
