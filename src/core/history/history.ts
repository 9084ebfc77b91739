// What the reports know about each item over time. Every version of an item file the history
// holds (a git commit, say) becomes a snapshot of the few fields a chart follows; the working
// tree's version is the last one, dated today. Pure: the git adapter feeds it, the reports read it.

import type { Backlog } from '../backlog';
import { dayOf } from '../dates';
import { counts, releaseOf } from '../figures/figures';
import { idKey } from '../naming';
import { Item } from '../types';
import { finish, Slices, Steps } from '../steps';

/** The fields of one version of an item that the reports follow. */
export interface ItemSnapshot {
  /** `idKey` of the id: how versions of one item are matched across renames and moves. */
  key: string;
  id: string;
  title: string;
  /** The sprint id, upper-cased; undefined for items in no sprint and for those that do not count (core/figures' `counts`). */
  sprint?: string;
  /** The id of the release the item aims at (by `release`, or a milestone that resolves to one); undefined as for `sprint`. */
  release?: string;
  /** Story points: the estimate, or the size through the config; 0 without either. */
  points: number;
  /** Whether the item had an estimate or a size (an unestimated item counts 0 points). */
  estimated: boolean;
  done: boolean;
  /** The status as the file writes it: the item editor's history shows its changes; no figure reads it. */
  status?: string;
  /**
   * The day it was done: `completed_date`, which the writer sets when an item moves to a done
   * status, or else Backlog.md's `updated_date` of a done item (`completedGuessed`).
   */
  completedDate?: string;
  completedGuessed?: boolean;
  /** The day the item was created (`created_date`): it did not exist before. */
  createdDate?: string;
}

/** One version: the item as it stood from `date` on, or `snapshot` undefined once it was deleted. */
export interface HistoryEntry {
  date: string;
  snapshot?: ItemSnapshot;
  /** True for versions read from the history, false for the working tree's version. */
  fromHistory: boolean;
  /** True when the history saw the file being added here: the item did not exist before. */
  created?: boolean;
}

/** Every item's versions, oldest first (entries of one day in the order they were made). */
export type Timeline = Map<string, HistoryEntry[]>;

/** What the history adapter read, before the working tree is added. */
export interface BacklogHistory {
  items: Timeline;
  source: 'git' | 'none';
  /** Commits read, for the panel's footnote. */
  commits: number;
  /** Why there is no history (no git, untrusted workspace, not a repository), or a note on it. */
  detail: string;
}

/** The day of a date field (its time of day dropped), when it is a day that exists. */
function day(v: string | undefined): string | undefined {
  return dayOf(v);
}

/** The snapshot of one version of an item, read with the backlog's current config and releases. */
export function snapshotOf(backlog: Backlog, item: Item): ItemSnapshot {
  // Only work that counts in figures is in a sprint or a release: an item archived (dropped)
  // leaves its sprint's and release's scope, as a removal.
  const planned = counts(item);
  const release = planned ? releaseOf(backlog, item) : undefined;
  const done = backlog.isDone(item);
  const completed = day(item.completedDate);
  const guessed = done && completed === undefined ? day(item.updatedDate) : undefined;
  return {
    key: item.key || idKey(item.id),
    id: item.id,
    title: item.title,
    sprint: planned && item.sprint ? item.sprint.trim().toUpperCase() : undefined,
    release: release?.id,
    points: backlog.points(item),
    estimated: item.estimate !== undefined || item.size !== undefined,
    done,
    status: item.status,
    completedDate: done ? (completed ?? guessed) : undefined,
    completedGuessed: guessed !== undefined ? true : undefined,
    createdDate: day(item.createdDate),
  };
}

function sameSnapshot(a: ItemSnapshot | undefined, b: ItemSnapshot | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.sprint === b.sprint &&
    a.release === b.release &&
    a.points === b.points &&
    a.estimated === b.estimated &&
    a.done === b.done &&
    a.completedDate === b.completedDate &&
    a.createdDate === b.createdDate &&
    a.title === b.title
  );
}

/**
 * The history plus the working tree: each item's versions from the history, then its current
 * version dated `today` when it differs from the last one (and a deletion for items the history
 * has but the backlog no longer does). Without a history, every item has one version: today's.
 */
export function timelineOf(backlog: Backlog, history: BacklogHistory | undefined, today: string): Timeline {
  return finish(timelineSteps(backlog, history, today));
}

/** `timelineOf` in steps (core/steps.ts): a slice of items at a time. */
export function* timelineSteps(backlog: Backlog, history: BacklogHistory | undefined, today: string, slices = new Slices()): Steps<Timeline> {
  // The history's lists are shared, and one is copied only when a version is added to it: most
  // items are as the last commit left them. Nothing changes a list once it is in a timeline or a
  // history (a new read of git makes a new history).
  const out: Timeline = new Map(history?.items ?? []);
  const ours = new Set<string>();
  const add = (key: string, entry: HistoryEntry) => {
    const entries = out.get(key);
    if (entries && ours.has(key)) entries.push(entry);
    else {
      out.set(key, entries ? [...entries, entry] : [entry]);
      ours.add(key);
    }
  };
  const seen = new Set<string>();
  for (const item of backlog.items()) {
    const snap = snapshotOf(backlog, item);
    seen.add(snap.key);
    const entries = out.get(snap.key);
    const last = entries?.[entries.length - 1];
    if (!last || !sameSnapshot(last.snapshot, snap)) add(snap.key, { date: today, snapshot: snap, fromHistory: false });
    if (slices.count()) yield;
  }
  for (const [key, entries] of out) {
    const last = entries[entries.length - 1];
    if (!seen.has(key) && last?.snapshot !== undefined) add(key, { date: today, snapshot: undefined, fromHistory: false });
    if (slices.count()) yield;
  }
  if (slices.close()) yield;
  return out;
}
