import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { Item } from '../types';

/**
 * The backlog's order, Backlog.md's and ours in one. Backlog.md's `ordinal` comes first, as on
 * its board: items with one, by ordinal, before items without. Our `rank` orders what Backlog.md
 * leaves unordered (no ordinal, or the same one): ranked items, by rank, before unranked ones.
 * Then priority, then id. So whatever Backlog.md's board or CLI last did to an ordinal shows
 * here as it shows there (it also drops `rank` from every file it saves), and a backlog that
 * only Backlog Atlas orders keeps its ranks. Ranks compare by code unit, which is what
 * fractional indexing needs (`localeCompare` would put "a0" and "A0" in the wrong order).
 */
export function compareItems(a: Ordered, b: Ordered, priorities: readonly string[]): number {
  if (a.ordinal !== b.ordinal) {
    if (a.ordinal === undefined) return 1;
    if (b.ordinal === undefined) return -1;
    return a.ordinal - b.ordinal;
  }
  if (a.rank !== b.rank) {
    if (a.rank === undefined) return 1;
    if (b.rank === undefined) return -1;
    return a.rank < b.rank ? -1 : 1;
  }
  const pa = priorityIndex(a.priority, priorities);
  const pb = priorityIndex(b.priority, priorities);
  if (pa !== pb) return pa - pb;
  return compareIds(a.id, b.id);
}

/** What the order reads of an item. */
export type Ordered = Pick<Item, 'id' | 'rank' | 'ordinal' | 'priority'>;

/** Backlog.md's gap between neighbouring ordinals (`DEFAULT_ORDINAL_STEP` in its `core/reorder.ts`). */
export const ORDINAL_STEP = 1000;

/**
 * What a move writes into one moved item: `undefined` leaves the key as it is, `null` removes it.
 */
export interface Place {
  rank?: string | null;
  ordinal?: number | null;
}

export type PlaceResult = { ok: true; places: Place[] } | { ok: false; message: string };

/** 0: placed by its ordinal; 1: by its rank; 2: by neither (priority, then id). */
/** How the palette and the command line name the one change that gives every item its place. */
const REBALANCE = '"Rebalance Ranks" (backlog-atlas rebalance on the command line)';

/** Whether an item has a place of its own in the order (an ordinal or a rank), not only priority and id. */
export function hasOwnPlace(i: Ordered): boolean {
  return tier(i) < 2;
}

function tier(i: Ordered): 0 | 1 | 2 {
  return i.ordinal !== undefined ? 0 : i.rank !== undefined ? 1 : 2;
}

/**
 * Where `moving` (in this order) lands at position `at` of `order` (the backlog order without
 * them), as values written into the moved items' own files only: one move, one file per moved
 * item, never a neighbour's. Among items Backlog.md orders (with an ordinal) a moved item gets an
 * ordinal between its neighbours' as Backlog.md computes one (the midpoint; 1000 past the last;
 * half the first's before it), and a rank that agrees as far as the ranks allow. Among items
 * only we order it gets a rank between its neighbours' and loses any ordinal. Among items neither
 * orders (priority, then id) it can land only where that puts it: anything else is refused with
 * a sentence saying what to do instead. Values that already fit are left alone.
 */
export function placeBetween(order: readonly Ordered[], at: number, moving: readonly Ordered[], priorities: readonly string[]): PlaceResult {
  const prev = order[at - 1];
  const next = order[at];
  const k = moving.length;
  const place = prev ? tier(prev) : 0;
  if (place === 2) {
    // Only where priority and id put them: without rank or ordinal, in this order, between the two.
    const bare = moving.map((i) => ({ ...i, rank: undefined, ordinal: undefined }));
    const fits = bare.every((b, n) => compareItems(n === 0 ? prev! : bare[n - 1], b, priorities) < 0) && (next === undefined || compareItems(bare[k - 1], next, priorities) < 0);
    if (!fits) {
      const first = order.find((i) => tier(i) === 2)!;
      return {
        ok: false,
        message: `${first.id} and the items after it have no place of their own in the order (no rank or ordinal: they follow priority, then id), so ${names(moving)} cannot go between them by changing ${k === 1 ? 'its own file' : 'their own files'}. Move ${k === 1 ? 'it' : 'them'} above ${first.id}, or run ${REBALANCE} once to give every item its place.`,
      };
    }
    return { ok: true, places: moving.map(() => ({ rank: null, ordinal: null })) };
  }
  if (place === 1) {
    const hi = next !== undefined && tier(next) === 1 ? next.rank : undefined;
    const ranks = ranksFor(moving, prev!.rank, hi);
    if (!ranks.ok) return ranks;
    return { ok: true, places: ranks.ranks.map((rank) => ({ rank, ordinal: null })) };
  }
  const lo = prev?.ordinal;
  const hi = next !== undefined && tier(next) === 0 ? next.ordinal : undefined;
  if (lo !== undefined && hi !== undefined && !(lo < hi)) {
    return { ok: false, message: `${prev!.id} and ${next!.id} share the ordinal ${lo}; run ${REBALANCE} first.` };
  }
  const ordinals = ordinalsBetween(moving, lo, hi);
  if (ordinals === undefined) {
    const where = prev === undefined ? `above ${next!.id}'s ordinal ${hi}` : `between the ordinals of ${prev.id} and ${next!.id}`;
    return { ok: false, message: `No room is left ${where}; run ${REBALANCE} first.` };
  }
  // The ranks only break ties here, so the best a rank can do is agree with as many others as it
  // can: above the highest rank before the spot, below the lowest one after it that is higher.
  let lowRank: string | undefined;
  for (let n = 0; n < at; n++) {
    const r = order[n].rank;
    if (r !== undefined && isValidRank(r) && (lowRank === undefined || r > lowRank)) lowRank = r;
  }
  let highRank: string | undefined;
  for (let n = at; n < order.length; n++) {
    const r = order[n].rank;
    if (r !== undefined && isValidRank(r) && (lowRank === undefined || r > lowRank) && (highRank === undefined || r < highRank)) highRank = r;
  }
  const ranks = ranksFor(moving, lowRank, highRank);
  if (!ranks.ok) return ranks;
  return { ok: true, places: moving.map((_, n) => ({ rank: ranks.ranks[n], ordinal: ordinals[n] })) };
}

/** Ranks for `moving` strictly between two ranks (either may be absent); undefined keeps one that fits. */
function ranksFor(moving: readonly Ordered[], lo: string | undefined, hi: string | undefined): { ok: true; ranks: (string | undefined)[] } | { ok: false; message: string } {
  const current = moving.map((i) => i.rank);
  const fits = current.every((r, n) => r !== undefined && isValidRank(r) && (n === 0 ? lo === undefined || r > lo : r > current[n - 1]!) && (hi === undefined || r < hi));
  if (fits) return { ok: true, ranks: current.map(() => undefined) };
  for (const r of [lo, hi]) {
    if (r !== undefined && !isValidRank(r)) return { ok: false, message: `The rank "${r}" is not a fractional index; run ${REBALANCE} to give every item a fresh rank.` };
  }
  if (lo !== undefined && hi !== undefined && lo >= hi) {
    return { ok: false, message: `Two neighbouring items share the rank "${lo}" (this happens after branches merge); run ${REBALANCE} first.` };
  }
  return { ok: true, ranks: generateNKeysBetween(lo ?? null, hi ?? null, moving.length) };
}

/**
 * Ordinals for `moving` strictly between two (either may be absent), spaced as Backlog.md spaces
 * them and whole numbers where the gap allows; undefined entries keep an ordinal that fits.
 * Undefined when no number fits (the gap is used up).
 */
function ordinalsBetween(moving: readonly Ordered[], lo: number | undefined, hi: number | undefined): (number | undefined)[] | undefined {
  const current = moving.map((i) => i.ordinal);
  const inside = (v: number | undefined, after: number | undefined) => v !== undefined && Number.isFinite(v) && v >= 0 && (after === undefined || v > after) && (hi === undefined || v < hi);
  if (current.every((v, n) => inside(v, n === 0 ? lo : current[n - 1]))) return current.map(() => undefined);
  const k = moving.length;
  const at = (n: number): number => {
    if (hi === undefined) return (lo ?? 0) + ORDINAL_STEP * n;
    const from = lo ?? 0;
    return from + ((hi - from) * n) / (k + 1);
  };
  const exact = Array.from({ length: k }, (_, n) => at(n + 1));
  const whole = exact.map(Math.round);
  for (const candidate of [whole, exact]) {
    if (candidate.every((v, n) => inside(v, n === 0 ? lo : candidate[n - 1]) && (lo !== undefined || v > 0))) return candidate;
  }
  return undefined;
}

function names(items: readonly Ordered[]): string {
  return items.length === 1 ? items[0].id : `${items.slice(0, -1).map((i) => i.id).join(', ')} and ${items[items.length - 1].id}`;
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
      return { ok: false, message: `The rank "${r}" is not a fractional index; run ${REBALANCE} to give every item a fresh rank.` };
    }
  }
  if (before !== undefined && after !== undefined && before >= after) {
    return {
      ok: false,
      message: `Two neighbouring items share the rank "${before}" (this happens after branches merge); run ${REBALANCE} first.`,
    };
  }
  return { ok: true, rank: generateKeyBetween(before ?? null, after ?? null) };
}

/**
 * After a merge, two branches may each have put an item at the same place: the same rank, where
 * the order then falls back to priority and id. For each run of neighbours in `order` that share
 * a rank (and have no ordinal, which would order them first), the first keeps its rank and the
 * others get ranks between it and the next rank after the run, in the order they show now. Only
 * the items of such runs are named: every other item keeps its rank and its file.
 */
export function spreadEqualRanks<T extends Ordered>(order: readonly T[]): { item: T; sameAs: T; rank: string }[] {
  const out: { item: T; sameAs: T; rank: string }[] = [];
  for (let start = 0; start < order.length; ) {
    const shared = order[start].rank;
    let end = start + 1;
    const tied = (i: Ordered) => tier(i) === 1 && i.rank === shared;
    if (tier(order[start]) === 1 && shared !== undefined && isValidRank(shared)) while (end < order.length && tied(order[end])) end++;
    if (end - start > 1) {
      const next = order[end];
      const hi = next !== undefined && tier(next) === 1 && next.rank !== undefined && isValidRank(next.rank) && next.rank > shared! ? next.rank : undefined;
      const ranks = ranksBetween(shared, hi, end - start - 1);
      for (let n = start + 1; n < end; n++) out.push({ item: order[n], sameAs: order[start], rank: ranks[n - start - 1] });
    }
    start = end;
  }
  return out;
}

/** `count` consecutive ranks strictly between two neighbours (either may be absent). Throws on invalid keys. */
export function ranksBetween(before: string | undefined, after: string | undefined, count: number): string[] {
  return generateNKeysBetween(before ?? null, after ?? null, count);
}

/** Fresh, evenly spread ranks for `count` items, in order. */
export function freshRanks(count: number): string[] {
  return generateNKeysBetween(null, null, count);
}
