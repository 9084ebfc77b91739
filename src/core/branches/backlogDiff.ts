// What a branch did to the backlog: two versions of one backlog compared item by item (matched by
// id, whatever folder or file name they moved to). Pure: the versions come from the index (the
// working tree) and from git (`backlogAt`, the merge base); the views render the result.

import { Backlog } from '../backlog';
import { figurePoints, sprintScope } from '../figures/figures';
import { Item } from '../types';

/** One change to one item, as a reviewer would name it. */
export type BacklogChange =
  | { kind: 'added' | 'removed' | 'archived' | 'completed' | 'reopened'; id: string; title: string }
  | { kind: 'moved'; id: string; title: string; field: 'sprint' | 'release'; from?: string; to?: string }
  /** The estimate as written (points or a size) and the points it counts for in the figures. */
  | { kind: 're-estimated'; id: string; title: string; from?: string; to?: string; points: { from: number; to: number } }
  /** Its place in the product backlog (1 is the top), for items that moved against the others. */
  | { kind: 're-ranked'; id: string; title: string; from: number; to: number };

export type BacklogChangeKind = BacklogChange['kind'];

/** A sprint whose points changed: the scope it holds before and after (core/figures' `sprintScope`). */
export interface SprintScopeChange {
  sprint: string;
  name: string;
  from: number;
  to: number;
}

export interface BacklogDiff {
  changes: BacklogChange[];
  scope: SprintScopeChange[];
}

const KIND_ORDER: readonly BacklogChangeKind[] = ['added', 'removed', 'archived', 'completed', 'reopened', 'moved', 're-estimated', 're-ranked'];

/** What changed from `base` to `head`. Linear in the items, but for the rank moves (n log n). */
export function diffBacklogs(base: Backlog, head: Backlog): BacklogDiff {
  const before = byKey(base.items());
  const after = byKey(head.items());
  const changes: BacklogChange[] = [];
  const named = (i: Item) => ({ id: i.id, title: i.title });
  for (const [key, now] of after) {
    const was = before.get(key);
    if (!was) {
      changes.push({ kind: 'added', ...named(now) });
      continue;
    }
    if (now.folder === 'archive' && was.folder !== 'archive') {
      changes.push({ kind: 'archived', ...named(now) });
      continue;
    }
    const doneBefore = base.isDone(was);
    const doneNow = head.isDone(now);
    if (doneNow && !doneBefore) changes.push({ kind: 'completed', ...named(now) });
    else if (doneBefore && !doneNow && now.folder !== 'archive') changes.push({ kind: 'reopened', ...named(now) });
    if (!sameText(was.sprint, now.sprint)) changes.push({ kind: 'moved', ...named(now), field: 'sprint', from: was.sprint, to: now.sprint });
    if (!sameText(releaseText(was), releaseText(now))) changes.push({ kind: 'moved', ...named(now), field: 'release', from: releaseText(was), to: releaseText(now) });
    if (estimateText(was) !== estimateText(now)) {
      changes.push({ kind: 're-estimated', ...named(now), from: estimateText(was), to: estimateText(now), points: { from: figurePoints(was, base.config), to: figurePoints(now, head.config) } });
    }
  }
  for (const [key, was] of before) if (!after.has(key)) changes.push({ kind: 'removed', ...named(was) });
  changes.push(...rankMoves(base, head));
  changes.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  return { changes, scope: scopeChanges(base, head) };
}

function byKey(items: readonly Item[]): Map<string, Item> {
  const out = new Map<string, Item>();
  // A duplicate id is the index's problem to report; the first file read stands for it here.
  for (const i of items) if (!out.has(i.key)) out.set(i.key, i);
  return out;
}

function sameText(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').trim().toUpperCase() === (b ?? '').trim().toUpperCase();
}

function releaseText(i: Item): string | undefined {
  return i.release ?? i.milestone;
}

function estimateText(i: Item): string | undefined {
  return i.estimate !== undefined ? String(i.estimate) : i.size;
}

/**
 * Items of the product backlog (in both versions) that moved against the others: those outside a
 * longest run kept in the same order. An item added at the top shifts every other one down, but
 * none of them moved; one dragged from the bottom to the top did.
 */
function rankMoves(base: Backlog, head: Backlog): BacklogChange[] {
  const beforeOrder = base.productBacklog();
  const afterOrder = head.productBacklog();
  const afterPos = new Map(afterOrder.map((i, n) => [i.key, n] as const));
  const common = beforeOrder.flatMap((i, n) => {
    const to = afterPos.get(i.key);
    return to === undefined ? [] : [{ from: n, to }];
  });
  const kept = longestIncreasing(common.map((c) => c.to));
  const changes: BacklogChange[] = [];
  common.forEach((c, n) => {
    if (kept.has(n)) return;
    const i = afterOrder[c.to];
    changes.push({ kind: 're-ranked', id: i.id, title: i.title, from: c.from + 1, to: c.to + 1 });
  });
  return changes;
}

/** The indexes of one longest strictly increasing subsequence of `xs` (patience sorting, n log n). */
export function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let at = tails.length > 0 ? tails[tails.length - 1] : -1; at !== -1; at = prev[at]) out.add(at);
  return out;
}

/** Sprints whose points changed, in the head's sprint order, then those only the base knows. */
function scopeChanges(base: Backlog, head: Backlog): SprintScopeChange[] {
  const ids = new Map<string, { id: string; name: string }>();
  const note = (id: string, name?: string) => {
    const key = id.toUpperCase();
    if (!ids.has(key)) ids.set(key, { id, name: name ?? id });
  };
  for (const s of head.sprints) note(s.id, s.name);
  for (const s of base.sprints) note(s.id, s.name);
  for (const i of [...head.items(), ...base.items()]) if (i.sprint !== undefined && i.sprint.trim() !== '') note(i.sprint.trim());
  const out: SprintScopeChange[] = [];
  for (const { id, name } of ids.values()) {
    const from = sprintScope(base, id);
    const to = sprintScope(head, id);
    if (from !== to) out.push({ sprint: id, name, from, to });
  }
  return out;
}
