// How healthy a product backlog is, as a product owner would judge it: is the top refined enough
// to plan from, does the work trace to the roadmap, is anything stale, too big or duplicated, and
// is the list short enough to manage. Pure, so that every rule is unit-tested against fixed dates.
import { Backlog } from '../core/backlog';
import { dayNumber } from '../core/dates';
import { Item } from '../core/types';

export interface HealthOptions {
  /** Today as an ISO date; the caller's clock, so that tests can pin it. */
  today: string;
  /** An item untouched for more than this many days is stale. */
  staleDays: number;
  /** A sprint item worth more points than this should be split. */
  maxSprintItemPoints: number;
  /** A product backlog longer than this is more than anyone can keep ordered. */
  maxBacklogLength: number;
}

export const DEFAULT_HEALTH_OPTIONS: Omit<HealthOptions, 'today'> = { staleDays: 90, maxSprintItemPoints: 8, maxBacklogLength: 150 };

export type Refinement = 'ready' | 'partial' | 'coarse';

export interface HealthBand {
  name: 'top' | 'middle' | 'rest';
  label: string;
  /** The refinement every item in the band should at least have. */
  expected: Refinement;
  items: { id: string; title: string; refinement: Refinement }[];
  ready: number;
  partial: number;
  coarse: number;
  /** Items in the band that fall short of `expected` (for top: not ready; middle: coarse). */
  shortfall: string[];
}

export type FindingKind = 'not-ready' | 'untraceable' | 'stale' | 'too-big' | 'duplicate-title' | 'too-long';

export interface HealthFinding {
  kind: FindingKind;
  /** The items concerned, in rank order. */
  itemIds: string[];
  message: string;
}

export interface BacklogHealth {
  /** Items the 20/30/50 rule was applied to (the product backlog without epics). */
  total: number;
  bands: HealthBand[];
  findings: HealthFinding[];
}

/** Types that carry roadmap work and so should trace to an epic or a theme. */
const TRACED_TYPES = new Set(['story', 'improvement']);
/** Sizes too vague to commit to in a sprint until someone has estimated them. */
const BIG_SIZES = new Set(['L', 'XL']);

/**
 * How far an item is refined: enough to plan a sprint from, a first guess, or just an idea.
 * The backlog is taken, though unused today, so that a rule may later read its config without
 * changing every caller.
 */
export function refinementOf(_backlog: Backlog, item: Item): Refinement {
  const estimated = item.estimate !== undefined;
  const criteria = item.acceptanceCriteria.length > 0;
  // Ready needs both: an estimate says how big, acceptance criteria say when it is done.
  if (estimated && criteria) return 'ready';
  // Any one of them shows someone has started to think it through.
  if (estimated || criteria || item.size !== undefined) return 'partial';
  return 'coarse';
}

/** Judges a backlog by the 20/30/50 rule and the findings a product owner can act on. */
export function backlogHealth(backlog: Backlog, options: HealthOptions): BacklogHealth {
  const product = backlog.productBacklog();
  // Epics are containers for stories, not backlog entries to refine and pull into a sprint.
  const entries = product.filter((i) => i.type !== 'epic');
  const bands = bandsOf(backlog, entries);
  const findings: HealthFinding[] = [];

  const notReady = notReadyFinding(bands[0]);
  if (notReady) findings.push(notReady);
  const untraceable = untraceableFinding(backlog, product);
  if (untraceable) findings.push(untraceable);
  const stale = staleFinding(product, options);
  if (stale) findings.push(stale);
  const tooBig = tooBigFinding(backlog, options);
  if (tooBig) findings.push(tooBig);
  findings.push(...duplicateTitleFindings(backlog));
  const tooLong = tooLongFinding(product, options);
  if (tooLong) findings.push(tooLong);

  return { total: entries.length, bands, findings };
}

/** The 20/30/50 rule: the top fifth ready, the next 30% at least partly refined, the rest coarse. */
function bandsOf(backlog: Backlog, entries: Item[]): HealthBand[] {
  const n = entries.length;
  // Integer arithmetic, so that 30% of 10 is 3 and not 3.0000000000000004 rounded up to 4.
  const topCount = n > 0 ? Math.max(1, Math.ceil((n * 20) / 100)) : 0;
  const middleCount = Math.min(Math.ceil((n * 30) / 100), n - topCount);
  const band = (name: HealthBand['name'], label: string, expected: Refinement, items: Item[]): HealthBand => {
    const rows = items.map((i) => ({ id: i.id, title: i.title, refinement: refinementOf(backlog, i) }));
    const count = (r: Refinement) => rows.filter((x) => x.refinement === r).length;
    // Top must be ready; the middle may be partial but not coarse; the rest may be anything.
    const short = (r: Refinement) => (expected === 'ready' ? r !== 'ready' : expected === 'partial' ? r === 'coarse' : false);
    return { name, label, expected, items: rows, ready: count('ready'), partial: count('partial'), coarse: count('coarse'), shortfall: rows.filter((x) => short(x.refinement)).map((x) => x.id) };
  };
  return [
    band('top', 'Top 20%', 'ready', entries.slice(0, topCount)),
    band('middle', 'Next 30%', 'partial', entries.slice(topCount, topCount + middleCount)),
    band('rest', 'Remaining 50%', 'coarse', entries.slice(topCount + middleCount)),
  ];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** The next sprints come from the top of the backlog: what is not ready there stalls planning. */
function notReadyFinding(top: HealthBand): HealthFinding | undefined {
  const ids = top.shortfall;
  if (ids.length === 0) return undefined;
  const n = top.items.length;
  const message =
    n === 1
      ? 'The top item is not ready: give it an estimate and acceptance criteria.'
      : `${ids.length} of the top ${n} items ${plural(ids.length, 'is', 'are')} not ready: give ${plural(ids.length, 'it', 'them')} an estimate and acceptance criteria.`;
  return { kind: 'not-ready', itemIds: ids, message };
}

/** Roadmap work should say which epic or theme it serves, so that priorities can be defended. */
function untraceableFinding(backlog: Backlog, product: Item[]): HealthFinding | undefined {
  const hasRoadmap = backlog.files.has(backlog.root + '/roadmap.yml');
  const items = backlog.items();
  // With neither a roadmap nor any epic there is nothing to trace to.
  if (!hasRoadmap && !items.some((i) => i.type === 'epic')) return undefined;
  const themeIds = new Set(backlog.roadmap.themes.map((t) => t.id.toUpperCase()));
  const knownTheme = (i: Item) => i.theme !== undefined && themeIds.has(i.theme.toUpperCase());
  const knownEpic = (i: Item) => i.epic !== undefined && backlog.item(i.epic)?.type === 'epic';
  const ids = product
    .filter((i) => {
      // Epics trace to themes, which only a roadmap defines: without one, an epic has nothing to name.
      if (i.type === 'epic') return hasRoadmap && !knownTheme(i);
      // Bugs, tasks, debt and spikes are upkeep, not roadmap work: they need no epic or theme.
      if (i.type === undefined || !TRACED_TYPES.has(i.type)) return false;
      return !knownEpic(i) && !knownTheme(i);
    })
    .map((i) => i.id);
  if (ids.length === 0) return undefined;
  const message = `${ids.length} ${plural(ids.length, 'item traces', 'items trace')} to no epic or roadmap theme: link ${plural(ids.length, 'it', 'each')} to the epic or theme it serves, or ask why it is on the backlog.`;
  return { kind: 'untraceable', itemIds: ids, message };
}

/** Items nobody has touched for months are probably no longer wanted, or no longer understood. */
function staleFinding(product: Item[], options: HealthOptions): HealthFinding | undefined {
  const today = dayNumber(options.today);
  if (today === undefined) return undefined;
  const ids = product
    .filter((i) => {
      const date = i.updatedDate ?? i.createdDate;
      // An item with no date cannot be judged: its age is unknown, not old.
      const day = date !== undefined ? dayNumber(date) : undefined;
      return day !== undefined && today - day > options.staleDays;
    })
    .map((i) => i.id);
  if (ids.length === 0) return undefined;
  const message = `${ids.length} ${plural(ids.length, 'item has', 'items have')} not changed in over ${options.staleDays} ${plural(options.staleDays, 'day', 'days')}: check ${plural(ids.length, 'it still matters', 'they still matter')}, refresh or drop ${plural(ids.length, 'it', 'them')}.`;
  return { kind: 'stale', itemIds: ids, message };
}

/** A big item in a sprint rarely finishes inside it; closed sprints are history and not judged. */
function tooBigFinding(backlog: Backlog, options: HealthOptions): HealthFinding | undefined {
  const open = new Set(backlog.sprints.filter((s) => s.state !== 'closed').map((s) => s.id.toUpperCase()));
  const ids = backlog
    .allOrdered()
    .filter((i) => {
      if (i.folder === 'drafts' || backlog.isDone(i) || i.sprint === undefined) return false;
      if (!open.has(backlog.sprint(i.sprint)?.id.toUpperCase() ?? '')) return false;
      // A large T-shirt size with no estimate is too vague to commit to, whatever it maps to.
      return backlog.points(i) > options.maxSprintItemPoints || (i.size !== undefined && BIG_SIZES.has(i.size) && i.estimate === undefined);
    })
    .map((i) => i.id);
  if (ids.length === 0) return undefined;
  const message = `${ids.length} ${plural(ids.length, 'item', 'items')} in open sprints ${plural(ids.length, 'is', 'are')} too big (over ${options.maxSprintItemPoints} points, or sized L or XL without an estimate): split ${plural(ids.length, 'it', 'them')} into smaller stories.`;
  return { kind: 'too-big', itemIds: ids, message };
}

/** Titles compared as people read them: case, spacing and a trailing full stop make no difference. */
function titleKey(title: string): string {
  return trimTrailingPunctuation(title.toLowerCase().replace(/\s+/g, ' ').trim());
}

const SPACE_OR_PUNCTUATION = /^[\s\p{P}]$/u;

/**
 * `s` without the spaces and punctuation it ends with, read from the end: `/[\s\p{P}]+$/u` tried
 * again from every character of a long run of them that does not end the title (quadratic).
 */
function trimTrailingPunctuation(s: string): string {
  let end = s.length;
  while (end > 0) {
    const low = s.charCodeAt(end - 1);
    const pair = end > 1 && low >= 0xdc00 && low <= 0xdfff && s.charCodeAt(end - 2) >= 0xd800 && s.charCodeAt(end - 2) <= 0xdbff;
    const width = pair ? 2 : 1;
    if (!SPACE_OR_PUNCTUATION.test(s.slice(end - width, end))) break;
    end -= width;
  }
  return s.slice(0, end);
}

/** Two open items with one title are usually one piece of work entered twice. */
function duplicateTitleFindings(backlog: Backlog): HealthFinding[] {
  const groups = new Map<string, Item[]>();
  for (const i of backlog.allOrdered()) {
    // Done work is history: repeating an old title for new work is not a duplicate.
    if ((i.folder !== 'tasks' && i.folder !== 'drafts') || backlog.isDone(i)) continue;
    const key = titleKey(i.title);
    // A title of nothing but punctuation says nothing, so it cannot be a duplicate.
    if (key === '') continue;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => ({
      kind: 'duplicate-title' as const,
      itemIds: g.map((i) => i.id),
      message: `${g.length} open items are titled "${g[0].title.trim()}": merge them, or retitle them to say how they differ.`,
    }));
}

/** Nobody keeps hundreds of items ordered: the tail is where work that will never happen hides. */
function tooLongFinding(product: Item[], options: HealthOptions): HealthFinding | undefined {
  const n = product.length;
  if (n <= options.maxBacklogLength) return undefined;
  const over = n - options.maxBacklogLength;
  return {
    kind: 'too-long',
    itemIds: product.slice(options.maxBacklogLength).map((i) => i.id),
    message: `The product backlog has ${n} items, ${over} over ${options.maxBacklogLength}: archive or drop what will not be done.`,
  };
}
