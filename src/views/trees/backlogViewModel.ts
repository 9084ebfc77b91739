// What the backlog trees show, without VS Code: orders, summaries, filters and groups. Kept free
// of `vscode` so that plain-Node unit tests cover it; backlogTreeProvider.ts turns it into tree
// rows. What a drop means is a rule of the backlog, in src/core/rules/treeDrops.ts.
import { Backlog } from '../../core/backlog';
import { DAY_MS, dayNumber } from '../../core/dates';
import { formatFigure, releaseFigures, sprintFigures } from '../../core/figures/figures';
import { idKey } from '../../core/naming';
import { Item, Release, Sprint } from '../../core/types';

/** Criteria of the Product Backlog filter; every one that is set must match. */
export interface ItemFilter {
  text?: string;
  type?: string;
  label?: string;
  assignee?: string;
  status?: string;
}

export type FilterKey = keyof ItemFilter;
export const FILTER_KEYS: readonly FilterKey[] = ['text', 'type', 'label', 'assignee', 'status'];

export type GroupBy = 'none' | 'epic' | 'type' | 'theme';

/** Sprints as the Sprints view lists them: the active one, then planned, then closed (newest first). */
export function sprintOrder(sprints: readonly Sprint[]): Sprint[] {
  const active = sprints.filter((s) => s.state === 'active');
  const planned = sprints.filter((s) => s.state === 'planned');
  // sprints.yml lists sprints oldest first; the closed one just finished is the interesting one.
  const closed = sprints.filter((s) => s.state === 'closed').reverse();
  return [...active, ...planned, ...closed];
}

/** Whole days from `today` to a `YYYY-MM-DD` date (negative when it has passed). */
export function daysUntil(date: string | undefined, today: Date): number | undefined {
  const target = dayNumber(date);
  if (target === undefined) return undefined;
  const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) / DAY_MS;
  return Math.round(target - now);
}

export interface SprintSummary {
  pointsDone: number;
  pointsTotal: number;
  capacity?: number;
  /** True when the sprint backlog holds more points than the sprint's capacity. */
  overCapacity: boolean;
  /** `4d left`, `last day`, `ended`, `starts in 9d`, or '' when the sprint has no dates. */
  when: string;
}

/** A sprint's row and status bar figures: core/figures' completed and scope, in points. */
export function sprintSummary(backlog: Backlog, sprint: Sprint, today: Date): SprintSummary {
  const f = sprintFigures(backlog, sprint);
  return {
    pointsDone: f.completed,
    pointsTotal: f.scope,
    capacity: sprint.capacity,
    overCapacity: sprint.capacity !== undefined && f.scope > sprint.capacity,
    when: sprintWhen(sprint, today),
  };
}

function sprintWhen(sprint: Sprint, today: Date): string {
  if (sprint.state === 'closed') return 'closed';
  if (sprint.state === 'planned') {
    const starts = daysUntil(sprint.start, today);
    return starts !== undefined && starts > 0 ? `starts in ${starts}d` : 'planned';
  }
  const left = daysUntil(sprint.end, today);
  if (left === undefined) return '';
  if (left > 0) return `${left}d left`;
  return left === 0 ? 'last day' : `ended ${-left}d ago`;
}

/** The sprint row's description: `13/26 pts of 30 · 4d left`. */
export function sprintDescription(s: SprintSummary): string {
  const points = `${fmt(s.pointsDone)}/${fmt(s.pointsTotal)} pts${s.capacity !== undefined ? ` of ${fmt(s.capacity)}` : ''}`;
  return s.when === '' ? points : `${points} · ${s.when}`;
}

/** The status bar's text after the icon: `Sprint 14 · 13/26 pts · 4d left`. */
export function sprintStatusText(sprint: Sprint, s: SprintSummary): string {
  return [sprint.name, `${fmt(s.pointsDone)}/${fmt(s.pointsTotal)} pts`, s.when].filter((p) => p !== '').join(' · ');
}

/** The release row's description: `2026-12-18 · 8/40 pts`. */
export function releaseDescription(backlog: Backlog, release: Release): string {
  const r = releaseFigures(backlog, release);
  const points = `${fmt(r.pointsDone)}/${fmt(r.pointsTotal)} pts`;
  return release.date !== undefined ? `${release.date} · ${points}` : points;
}

/** `5 pts`, `M`, or '' for an item with neither estimate nor size. */
export function estimateText(item: Item): string {
  if (item.estimate !== undefined) return `${fmt(item.estimate)} pts`;
  return item.size ?? '';
}

/** Where an item is planned, for the Product Backlog's rows: `Sprint 14`, `Trailhead 1.0`. */
export function planText(backlog: Backlog, item: Item): string {
  const parts: string[] = [];
  if (item.sprint !== undefined) parts.push(backlog.sprint(item.sprint)?.name ?? item.sprint);
  const release = item.release !== undefined ? backlog.release(item.release) : undefined;
  const milestone = item.milestone !== undefined ? backlog.release(item.milestone) : undefined;
  // An archived milestone plans nothing (Backlog.md lists the item under "No milestone"), but
  // the row still says where the item pointed, so that it does not look unplanned by accident.
  const name = (r: Release) => (r.archived ? `${r.name} (archived)` : r.name);
  if (release) parts.push(name(release));
  else if (item.release !== undefined) parts.push(item.release);
  if (milestone && milestone !== release) parts.push(name(milestone));
  return parts.join(', ');
}

/**
 * The rows of a list: each item once. An item whose parent (`parent_task_id`) or epic is in the
 * same list shows under it, not also as a row of its own. The Product Backlog passes `['parent']`:
 * there every story is ranked on its own, so it keeps its row beside its epic's, while a subtask
 * is worked as part of its task and shows under it only.
 */
export function listRows(items: readonly Item[], under: readonly ('parent' | 'epic')[] = ['parent', 'epic']): Item[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const parentsOf = (i: Item) => under.map((k) => i[k]).flatMap((ref) => (ref !== undefined && idKey(ref) !== i.key && byKey.has(idKey(ref)) ? [idKey(ref)] : []));
  const rows = items.filter((i) => parentsOf(i).length === 0);
  // Items that name each other as parents (a cycle) have no row to show under: they keep their own.
  const reached = new Set<string>();
  const childrenOf = new Map<string, Item[]>();
  for (const i of items) {
    for (const p of parentsOf(i)) {
      const list = childrenOf.get(p);
      if (list) list.push(i);
      else childrenOf.set(p, [i]);
    }
  }
  const stack = rows.map((i) => i.key);
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (reached.has(k)) continue;
    reached.add(k);
    for (const c of childrenOf.get(k) ?? []) stack.push(c.key);
  }
  return items.filter((i) => parentsOf(i).length === 0 || !reached.has(i.key));
}

/** True when the item is in a sprint or aimed at a release ("Hide Planned Items" hides it). */
export function isPlanned(item: Item): boolean {
  return item.sprint !== undefined || item.release !== undefined || item.milestone !== undefined;
}

/** The item row's description: `BL-12 · 5 pts · In Progress`, plus where it is planned and what blocks it. */
export function itemDescription(item: Item, plan: string, blocked = ''): string {
  return [item.id, estimateText(item), item.status, plan, blocked].filter((p) => p !== '').join(' · ');
}

/** Shown ids of what blocks an item; the tooltip names the rest. */
const BLOCKERS_SHOWN = 3;

/** `blocked by BL-3, BL-9`, or '' for an item nothing blocks (see `Backlog.blockers`). */
export function blockedText(backlog: Backlog, item: Item): string {
  const blockers = backlog.blockers(item);
  if (blockers.length === 0) return '';
  const shown = blockers.slice(0, BLOCKERS_SHOWN).map((b) => b.id);
  return `blocked by ${shown.join(', ')}${blockers.length > BLOCKERS_SHOWN ? ` +${blockers.length - BLOCKERS_SHOWN}` : ''}`;
}

/** Every blocker with why: `Blocked by BL-3 (In Progress), BL-9 (no such item), BL-2 (archived)`. */
export function blockersTooltip(backlog: Backlog, item: Item): string {
  const blockers = backlog.blockers(item);
  if (blockers.length === 0) return '';
  const why = (b: (typeof blockers)[number]) => (b.reason === 'open' ? b.item!.status : b.reason === 'archived' ? 'archived' : 'no such item');
  return `Blocked by ${blockers.map((b) => `${b.id} (${why(b)})`).join(', ')}`;
}

export function matchesFilter(item: Item, filter: ItemFilter): boolean {
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (filter.type !== undefined && !eq(item.type ?? 'task', filter.type)) return false;
  if (filter.status !== undefined && !eq(item.status, filter.status)) return false;
  if (filter.label !== undefined && !item.labels.some((l) => eq(l, filter.label!))) return false;
  if (filter.assignee !== undefined && !item.assignee.some((a) => eq(a.replace(/^@/, ''), filter.assignee!.replace(/^@/, '')))) return false;
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    if (!item.id.toLowerCase().includes(needle) && !item.title.toLowerCase().includes(needle) && !item.description.toLowerCase().includes(needle)) return false;
  }
  return true;
}

export function isFilterActive(filter: ItemFilter): boolean {
  return FILTER_KEYS.some((k) => filter[k] !== undefined);
}

/** The view's description while a filter is on: `"offline" · type: bug · @maria`. */
export function describeFilter(filter: ItemFilter): string {
  const parts: string[] = [];
  if (filter.text !== undefined) parts.push(`"${filter.text}"`);
  if (filter.type !== undefined) parts.push(`type: ${filter.type}`);
  if (filter.label !== undefined) parts.push(`label: ${filter.label}`);
  if (filter.assignee !== undefined) parts.push(`@${filter.assignee.replace(/^@/, '')}`);
  if (filter.status !== undefined) parts.push(`status: ${filter.status}`);
  return parts.join(' · ');
}

export interface ItemGroup {
  /** Unique within the view: the row's label and the key its children are found by. */
  label: string;
  items: Item[];
}

/**
 * Splits an ordered list into groups, each keeping the list's order. Groups come in the order
 * of the thing they stand for (epics by rank, types and themes as configured); items without
 * one come last. Grouped by epic, the epics themselves are the groups, not rows.
 */
export function groupItems(backlog: Backlog, items: readonly Item[], by: Exclude<GroupBy, 'none'>): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  const none: Item[] = [];
  const add = (label: string, item: Item) => {
    const g = groups.get(label);
    if (g) g.items.push(item);
    else groups.set(label, { label, items: [item] });
  };
  if (by === 'epic') {
    // Open epics first, in rank order, so that the groups read like the backlog.
    for (const i of items) if (i.type === 'epic') groups.set(epicLabel(i), { label: epicLabel(i), items: [] });
    for (const i of items) {
      if (i.type === 'epic') continue;
      const epic = i.epic !== undefined ? backlog.item(i.epic) : undefined;
      if (epic) add(epicLabel(epic), i);
      else if (i.epic !== undefined) add(i.epic, i);
      else none.push(i);
    }
    return finish([...groups.values()].filter((g) => g.items.length > 0), none, 'No epic');
  }
  if (by === 'type') {
    for (const t of backlog.config.types) groups.set(t, { label: t, items: [] });
    for (const i of items) add(i.type ?? 'task', i);
    return finish([...groups.values()].filter((g) => g.items.length > 0), none, 'No type');
  }
  const themes = new Map(backlog.roadmap.themes.map((t) => [t.id.toUpperCase(), t]));
  for (const t of backlog.roadmap.themes) groups.set(themeLabel(t.id, t.title), { label: themeLabel(t.id, t.title), items: [] });
  for (const i of items) {
    // A story belongs to its epic's theme when it names none itself.
    const id = i.theme ?? (i.epic !== undefined ? backlog.item(i.epic)?.theme : undefined);
    if (id === undefined) none.push(i);
    else {
      const t = themes.get(id.toUpperCase());
      add(t ? themeLabel(t.id, t.title) : id, i);
    }
  }
  return finish([...groups.values()].filter((g) => g.items.length > 0), none, 'No theme');
}

function finish(groups: ItemGroup[], none: Item[], noneLabel: string): ItemGroup[] {
  if (none.length > 0) groups.push({ label: noneLabel, items: none });
  return groups;
}

function epicLabel(epic: Item): string {
  return `${epic.id} ${epic.title}`;
}

function themeLabel(id: string, title: string): string {
  return `${id} ${title}`;
}

const fmt = formatFigure;
