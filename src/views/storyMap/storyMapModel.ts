// The story map panel's view model: the backbone (activities and their steps) across the top,
// one horizontal slice per release or sprint below it, and the stories in rank order in each
// cell. Pure and linear in the number of items, so that a large backlog paints at once and the
// placement rules are unit-tested.
import { ActivityView, SliceRow, SliceView, StoryCard, StoryMapModel, StoryMapOptions, UNMAPPED, UNPLANNED } from '../../protocol/storyMapProtocol';
import { Backlog } from '../../core/backlog';
import { dayOf } from '../../core/dates';
import { formatFigure, releaseFigures, sprintFigures, sprintsAhead, SprintsAhead, sprintsEndingBy, Tally, tally, velocity as velocityOfBacklog } from '../../core/figures/figures';
import { Item, Release, Sprint } from '../../core/types';

export interface StoryMapContext {
  /** Today as an ISO date; the caller's clock, so that tests can pin it. */
  today: string;
  /** Names of the workspace's backlog roots, and the one this backlog is. */
  roots: string[];
  root: string;
}

function day(date: string): string {
  return date.slice(0, 10);
}

/** What a sprint's header shows for its dates; a half-dated sprint still says what it knows. */
function sprintDates(s: Sprint): string | undefined {
  if (s.start && s.end) return `${day(s.start)} – ${day(s.end)}`;
  if (s.start) return `from ${day(s.start)}`;
  if (s.end) return `until ${day(s.end)}`;
  return undefined;
}


/**
 * What a release can still hold: the team's average velocity (core/figures) times the sprints
 * still to come that end by its date, counted as the Reports panel's forecast counts them, so
 * that a release over its capacity here is one the forecast there says is late. No capacity
 * without a velocity: a zero would promise a release nothing at all.
 */
function releaseCapacity(release: Release, velocity: number | undefined, ahead: SprintsAhead | undefined, today: string): { capacity?: number; capacityLabel?: string } {
  const date = dayOf(release.date);
  if (velocity === undefined || !(velocity > 0) || !ahead || date === undefined || date < today) return {};
  const sprints = sprintsEndingBy(ahead, date);
  const capacity = velocity * sprints;
  return { capacity, capacityLabel: `≈ ${formatFigure(capacity)} pts in ${sprints === 1 ? '1 sprint' : `${sprints} sprints`} by its date at ${formatFigure(velocity)} per sprint` };
}

/** A slice under construction: its header and the row of cells its cards go into. */
interface Slot {
  view: SliceView;
  row: SliceRow;
}

/** Builds the story map as the panel shows it, sliced as the options say. */
export function buildStoryMapModel(backlog: Backlog, options: StoryMapOptions, ctx: StoryMapContext): StoryMapModel {
  const todayText = day(ctx.today);
  const activities: ActivityView[] = backlog.storyMap.activities.map((a) => ({ id: a.id, title: a.title, steps: a.steps.map((s) => ({ id: s.id, title: s.title })) }));
  const stepIds = activities.flatMap((a) => a.steps.map((s) => s.id));

  // Every row has a key for every step and for Unmapped, so the webview never checks for one.
  const emptyCells = (): Record<string, StoryCard[]> => {
    const cells: Record<string, StoryCard[]> = { [UNMAPPED]: [] };
    // Defined, not assigned: a step named `__proto__` must be a key, not replace the prototype.
    for (const id of stepIds) Object.defineProperty(cells, id, { value: [], enumerable: true, writable: true, configurable: true });
    return cells;
  };
  const slot = (view: Omit<SliceView, 'pointsDone' | 'pointsTotal' | 'itemsDone' | 'itemsTotal' | 'walkingSkeleton'>): Slot => ({
    view: { ...view, pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0, walkingSkeleton: false },
    row: { sliceId: view.id, cells: emptyCells() },
  });

  // Slots, and how an item finds its slot: resolved once per distinct reference, not per item.
  const slots: Slot[] = [];
  let slotOf: (item: Item) => Slot | undefined;
  let finished: (index: number) => boolean;
  // A band's figures are its sprint's or release's (core/figures), the same as every other view
  // gives, whether or not each of its items has a card on the map.
  let figuresOf: (index: number) => Tally;
  if (options.sliceBy === 'sprint') {
    const sprints = backlog.sprints
      .map((s, index) => ({ s, index }))
      .sort((a, b) => (a.s.start ?? '\uffff').localeCompare(b.s.start ?? '\uffff') || a.index - b.index)
      .map((x) => x.s);
    const bySprint = new Map<Sprint, Slot>();
    for (const s of sprints) {
      const sl = slot({ id: s.id, kind: 'sprint', title: s.name, goal: s.goal, dates: sprintDates(s), state: s.state, capacity: s.capacity, capacityLabel: s.capacity !== undefined ? `capacity ${s.capacity}` : undefined });
      bySprint.set(s, sl);
      slots.push(sl);
    }
    const resolved = new Map<string, Slot | undefined>();
    slotOf = (item) => {
      if (item.sprint === undefined) return undefined;
      if (!resolved.has(item.sprint)) {
        const s = backlog.sprint(item.sprint);
        resolved.set(item.sprint, s ? bySprint.get(s) : undefined);
      }
      return resolved.get(item.sprint);
    };
    finished = (index) => sprints[index].state === 'closed';
    figuresOf = (index) => {
      const points = sprintFigures(backlog, sprints[index]);
      const items = sprintFigures(backlog, sprints[index], 'items');
      return { pointsDone: points.completed, pointsTotal: points.scope, itemsDone: items.completed, itemsTotal: items.scope };
    };
  } else {
    const releases = backlog.releases();
    const velocity = velocityOfBacklog(backlog).average;
    const ahead = sprintsAhead(backlog, todayText);
    const byRelease = new Map<Release, Slot>();
    for (const r of releases) {
      const sl = slot({ id: r.id, kind: 'release', title: r.name, goal: r.goal, dates: r.date ? day(r.date) : undefined, ...releaseCapacity(r, velocity, ahead, todayText) });
      byRelease.set(r, sl);
      slots.push(sl);
    }
    const resolved = new Map<string, Slot | undefined>();
    const resolve = (ref: string | undefined): Slot | undefined => {
      if (ref === undefined) return undefined;
      if (!resolved.has(ref)) {
        const r = backlog.release(ref);
        resolved.set(ref, r ? byRelease.get(r) : undefined);
      }
      return resolved.get(ref);
    };
    // As `releaseBacklog`: `release` first, then a Backlog.md `milestone` naming a known release.
    slotOf = (item) => resolve(item.release) ?? resolve(item.milestone);
    finished = (index) => {
      const date = releases[index].date;
      return date !== undefined && day(date) < todayText;
    };
    figuresOf = (index) => releaseFigures(backlog, releases[index]);
  }
  const unplanned = slot({ id: UNPLANNED, kind: 'unplanned', title: 'Unplanned' });

  let cardCount = 0;
  const unplannedItems: Item[] = [];
  const place = (item: Item, stepId: string) => {
    // Archived items have left the product: the grid keeps them for history, the map does not.
    if (item.folder === 'archive') return;
    const target = slotOf(item) ?? unplanned;
    const points = backlog.points(item);
    const done = backlog.isDone(item);
    const card: StoryCard = { id: item.id, title: item.title, status: item.status, points, done };
    if (item.type !== undefined) card.type = item.type;
    if (item.estimate !== undefined) card.estimate = item.estimate;
    if (item.size !== undefined) card.size = item.size;
    target.row.cells[stepId].push(card);
    if (target === unplanned) unplannedItems.push(item);
    cardCount++;
  };

  // The grid decides which items are on the map and in which column, so the tree view, the
  // diagnostics and this panel agree; it walks the items once, in rank order.
  const grid = backlog.storyMapGrid();
  for (const cell of grid.cells) for (const item of cell.items) place(item, cell.stepId);
  for (const item of grid.unmapped) place(item, UNMAPPED);

  const setFigures = (v: SliceView, t: Tally) => Object.assign(v, { pointsDone: t.pointsDone, pointsTotal: t.pointsTotal, itemsDone: t.itemsDone, itemsTotal: t.itemsTotal });
  slots.forEach((sl, index) => setFigures(sl.view, figuresOf(index)));
  setFigures(unplanned.view, tally(unplannedItems, backlog.config));

  const skeleton = slots.findIndex((_, index) => !finished(index));
  if (skeleton >= 0) slots[skeleton].view.walkingSkeleton = true;
  const all = [...slots, unplanned];

  return {
    roots: ctx.roots,
    root: ctx.root,
    projectName: backlog.config.projectName,
    hasStoryMap: backlog.files.has(backlog.root + '/storymap.yml'),
    activities,
    slices: all.map((s) => s.view),
    rows: all.map((s) => s.row),
    cardCount,
  };
}
