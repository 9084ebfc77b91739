import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { Item } from '../types';

/**
 * The product backlog's order: items with a `rank` first, by rank; then Backlog.md's `ordinal`;
 * then priority; then id. Ranks compare by code unit, which is what fractional indexing needs
 * (`localeCompare` would put "a0" and "A0" in the wrong order).
 */
export function compareItems(a: Item, b: Item, priorities: readonly string[]): number {
  if (a.rank !== undefined || b.rank !== undefined) {
    if (a.rank === undefined) return 1;
    if (b.rank === undefined) return -1;
    if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  }
  if (a.ordinal !== b.ordinal) {
    if (a.ordinal === undefined) return 1;
    if (b.ordinal === undefined) return -1;
    return a.ordinal - b.ordinal;
  }
  const pa = priorityIndex(a.priority, priorities);
  const pb = priorityIndex(b.priority, priorities);
  if (pa !== pb) return pa - pb;
  return compareIds(a.id, b.id);
}

/** Each priority list's positions, looked up rather than searched in every comparison of a sort. */
const priorityPositions = new WeakMap<readonly string[], Map<string, number>>();

function priorityIndex(p: string | undefined, priorities: readonly string[]): number {
  let positions = priorityPositions.get(priorities);
  if (!positions) {
    positions = new Map();
    // The first position of a priority listed twice, as indexOf finds it.
    priorities.forEach((x, i) => positions!.has(x) || positions!.set(x, i));
    priorityPositions.set(priorities, positions);
  }
  const i = p === undefined ? undefined : positions.get(p);
  return i === undefined ? priorities.length : i;
}

/** Compares ids so that BL-9 comes before BL-10 and BL-3.2 before BL-3.10. */
export function compareIds(a: string, b: string): number {
  const pa = a.toUpperCase().split(/(\d+)/);
  const pb = b.toUpperCase().split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    if (i % 2 === 1 && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

const VALID_KEY = /^[a-zA-Z][0-9a-zA-Z]*$/;

/** True when `rank` is a key fractional indexing can place another key next to. */
export function isValidRank(rank: string): boolean {
  if (!VALID_KEY.test(rank)) return false;
  try {
    generateKeyBetween(rank, null);
    return true;
  } catch {
    return false;
  }
}

export type RankResult = { ok: true; rank: string } | { ok: false; message: string };

/** A rank strictly between two neighbours (either may be absent: the start or end of the list). */
export function rankBetween(before: string | undefined, after: string | undefined): RankResult {
  for (const r of [before, after]) {
    if (r !== undefined && !isValidRank(r)) {
      return { ok: false, message: `The rank "${r}" is not a fractional index; run "Rebalance Ranks" to give every item a fresh rank.` };
    }
  }
  if (before !== undefined && after !== undefined && before >= after) {
    return {
      ok: false,
      message: `Two neighbouring items share the rank "${before}" (this happens after branches merge); run "Rebalance Ranks" first.`,
    };
  }
  return { ok: true, rank: generateKeyBetween(before ?? null, after ?? null) };
}

/** `count` consecutive ranks strictly between two neighbours (either may be absent). Throws on invalid keys. */
export function ranksBetween(before: string | undefined, after: string | undefined, count: number): string[] {
  return generateNKeysBetween(before ?? null, after ?? null, count);
}

/** Fresh, evenly spread ranks for `count` items, in order. */
export function freshRanks(count: number): string[] {
  return generateNKeysBetween(null, null, count);
}
