import { defaultConfig } from './format/config';
import { idKey } from './naming';
import { isDone, ownPoints, releaseOf, Tally, tally } from './figures/figures';
import { dependencyCycles } from './rules/dependencies';
import { compareIds, compareItems, spreadEqualRanks } from './rules/rank';
import { BacklogConfig, Diagnostic, Item, Release, Roadmap, Sprint, StoryMap } from './types';

/** What the index knows about one file: enough to refuse a stale write and to show problems. */
export interface FileRecord {
  path: string;
  kind: FileKind;
  hash: string;
  diagnostics: Diagnostic[];
  /** The item's key when the file parsed into an item. */
  itemKey?: string;
}

/** `folder`: an item folder the index did not list (a link), kept only for its diagnostic. */
export type FileKind = 'config' | 'settings' | 'item' | 'sprints' | 'releases' | 'roadmap' | 'storymap' | 'milestone' | 'folder';

/** A list's points and items, done and in all: `Tally` from core/figures. */
export type Rollup = Tally;

export interface StoryMapCell {
  stepId: string;
  items: Item[];
}

/**
 * One backlog root (`backlog/` or `.backlog/` in a folder) and everything derived from it.
 * The index owns the mutation; this class answers questions and caches the expensive orders
 * until the next change.
 */
export class Backlog {
  config: BacklogConfig = defaultConfig();
  /** The config file read, if any. */
  configPath: string | undefined;
  readonly files = new Map<string, FileRecord>();
  /** Items by upper-cased id; more than one when ids collide (after a merge, say). */
  readonly byKey = new Map<string, Item[]>();
  sprints: Sprint[] = [];
  releasesFile: Release[] = [];
  readonly milestones = new Map<string, Release>();
  roadmap: Roadmap = { goals: [], themes: [], milestones: [] };
  storyMap: StoryMap = { activities: [] };
  private ordered: Item[] | undefined;
  private releaseList: Release[] | undefined;
  private childrenByParent: Map<string, Item[]> | undefined;
  private byTheme: Map<string, Item[]> | undefined;
  // Lookups by id, built once per change (or per sprints list): with 100,000 sprints or releases,
  // a scan of the list per question made `stats` take minutes.
  private sprintIndex: { of: Sprint[]; byKey: Map<string, Sprint>; active?: Sprint } | undefined;
  private releaseIndex: ReleaseIndex | undefined;
  private sprintItems: Map<string, Item[]> | undefined;
  private releaseItems: Map<Release, Item[]> | undefined;
  private blockersByKey: Map<string, Blocker[]> | undefined;

  /** `rootConfig`: a project's `backlog.config.yml` that configures this root instead of its own config.yml. */
  constructor(
    readonly root: string,
    readonly folder: string,
    readonly rootConfig?: string,
  ) {}

  /** The prefix item files are named with, or undefined when no config file names one (see `classify`). */
  taskPrefix(): string | undefined {
    return this.configPath !== undefined && typeof this.config.raw.task_prefix === 'string' ? this.config.taskPrefix : undefined;
  }

  /** Called by the index after every change, so that cached orders are recomputed. */
  invalidate(): void {
    this.ordered = undefined;
    this.releaseList = undefined;
    this.childrenByParent = undefined;
    this.byTheme = undefined;
    this.sprintIndex = undefined;
    this.releaseIndex = undefined;
    this.sprintItems = undefined;
    this.releaseItems = undefined;
    this.blockersByKey = undefined;
  }

  /** Every item, one per id (for colliding ids, the one in `tasks/` wins, then the first path). */
  items(): Item[] {
    const out: Item[] = [];
    for (const list of this.byKey.values()) out.push(list[0]);
    return out;
  }

  /** An item by id; a bare number (`345`, `3.1`) names a task with the backlog's prefix, as in Backlog.md. */
  item(id: string): Item | undefined {
    const found = this.byKey.get(idKey(id))?.[0];
    if (found) return found;
    const bare = id.trim();
    return /^\d/.test(bare) ? this.byKey.get(idKey(`${this.config.taskPrefix}-${bare}`))?.[0] : undefined;
  }

  /** Whether an item is done (archived items never are): core/figures' `isDone`. */
  isDone(item: Item): boolean {
    return isDone(item, this.config);
  }

  /**
   * What keeps an item from being started, as Backlog.md's readiness decides (`getTaskReadiness`):
   * each dependency that is not done, and each that names no live item (missing, or archived),
   * because an unknown dependency is never taken as satisfied. Empty for a done item.
   */
  blockers(item: Item): Blocker[] {
    if (!this.blockersByKey) {
      const map = new Map<string, Blocker[]>();
      for (const i of this.items()) {
        // Done and archived work waits on nothing.
        if (i.dependencies.length === 0 || i.folder === 'archive' || this.isDone(i)) continue;
        const list: Blocker[] = [];
        for (const dep of i.dependencies) {
          const target = this.item(dep);
          if (!target) list.push({ id: dep, reason: 'missing' });
          else if (target.folder === 'archive') list.push({ id: dep, reason: 'archived', item: target });
          else if (!this.isDone(target)) list.push({ id: target.id, reason: 'open', item: target });
        }
        if (list.length > 0) map.set(i.key, list);
      }
      this.blockersByKey = map;
    }
    return this.blockersByKey.get(item.key) ?? [];
  }

  /** True for an open item with a dependency that is not done (or names no live item). */
  isBlocked(item: Item): boolean {
    return this.blockers(item).length > 0;
  }

  /** Open work in `tasks/` that can start now: Backlog.md's `task list --ready`. */
  isReady(item: Item): boolean {
    return item.folder === 'tasks' && !this.isDone(item) && !this.isBlocked(item);
  }

  /** An item's own points (its estimate, or its size through the config): core/figures' `ownPoints`. */
  points(item: Item): number {
    return ownPoints(item, this.config);
  }

  /** Every item in backlog order (rank, ordinal, priority, id), all folders. */
  allOrdered(): Item[] {
    if (!this.ordered) {
      const priorities = this.config.priorities;
      this.ordered = this.items().sort((a, b) => compareItems(a, b, priorities));
    }
    return this.ordered;
  }

  /** The product backlog: open items in `tasks/`, in order. Opportunities wait in their own list. */
  productBacklog(): Item[] {
    return this.allOrdered().filter((i) => i.folder === 'tasks' && !this.isDone(i) && i.type !== 'opportunity');
  }

  /** Discovery items not yet promoted to the product backlog. */
  opportunityBacklog(): Item[] {
    return this.allOrdered().filter((i) => i.folder === 'tasks' && !this.isDone(i) && i.type === 'opportunity');
  }

  sprint(id: string): Sprint | undefined {
    return this.sprintsById().byKey.get(id.toUpperCase());
  }

  activeSprint(): Sprint | undefined {
    return this.sprintsById().active;
  }

  /** Sprints by upper-cased id (the first of a duplicated id wins), built again when the list is replaced. */
  private sprintsById(): NonNullable<Backlog['sprintIndex']> {
    if (this.sprintIndex?.of !== this.sprints) {
      const byKey = new Map<string, Sprint>();
      let active: Sprint | undefined;
      for (const s of this.sprints) {
        const key = s.id.toUpperCase();
        if (!byKey.has(key)) byKey.set(key, s);
        if (!active && s.state === 'active') active = s;
      }
      this.sprintIndex = { of: this.sprints, byKey, active };
    }
    return this.sprintIndex;
  }

  /**
   * The sprint backlog, done items included: a sprint's scope is what burned down. Drafts and
   * archived items are in no sprint (core/figures' `listedInSprint`).
   */
  sprintBacklog(sprintId: string): Item[] {
    if (!this.sprintItems) {
      // One pass for every sprint, in backlog order.
      const bySprint = new Map<string, Item[]>();
      for (const i of this.allOrdered()) {
        if (i.folder === 'drafts' || i.folder === 'archive' || i.sprint === undefined) continue;
        const key = i.sprint.toUpperCase();
        const list = bySprint.get(key);
        if (list) list.push(i);
        else bySprint.set(key, [i]);
      }
      this.sprintItems = bySprint;
    }
    return [...(this.sprintItems.get(sprintId.toUpperCase()) ?? [])];
  }

  /** Releases from `releases.yml`, then Backlog.md milestones, by date (undated last). */
  releases(): Release[] {
    if (this.releaseList) return this.releaseList;
    const linked = this.linkedMilestones();
    const all = [...this.releasesFile, ...[...this.milestones.values()].filter((m) => !m.archived && !linked.has(m))];
    return (this.releaseList = all.sort(byDateThenId));
  }

  /** Milestones in archive/milestones/, by date: items may still name them. */
  archivedMilestones(): Release[] {
    return [...this.milestones.values()].filter((m) => m.archived).sort(byDateThenId);
  }

  /**
   * Milestones a `releases.yml` release stands for (its `milestone:`), with that release: a team
   * that plans by Backlog.md milestones and by our releases sees one release, not two halves.
   * A milestone claimed twice goes to the first release that names it.
   */
  linkedMilestones(): Map<Release, Release> {
    const linked = new Map<Release, Release>();
    if (!this.releasesFile.some((r) => r.milestone !== undefined)) return linked;
    const byKey = new Map<string, Release>();
    const byName = new Map<string, Release>();
    for (const m of this.milestones.values()) {
      if (!byKey.has(idKey(m.id))) byKey.set(idKey(m.id), m);
      if (!byName.has(m.name.toUpperCase())) byName.set(m.name.toUpperCase(), m);
    }
    for (const r of this.releasesFile) {
      if (r.milestone === undefined) continue;
      const key = idKey(r.milestone);
      const m = byKey.get(key) ?? byKey.get(`M-${key}`) ?? byName.get(r.milestone.trim().toUpperCase());
      if (m && !linked.has(m)) linked.set(m, r);
    }
    return linked;
  }

  /**
   * A release by id. Backlog.md milestones also match by title (older files), and by number
   * (`1` and `m-01` are `m-1`), as Backlog.md resolves them.
   */
  release(ref: string): Release | undefined {
    const index = this.releasesById();
    const key = idKey(ref);
    const byId = index.byKey.get(key);
    if (byId) return byId.release;
    // As `find` over the list would: the first milestone, in release order, by title or number.
    const byName = index.milestoneByName.get(ref.trim().toUpperCase());
    const byNumber = index.milestoneByKey.get(`M-${key}`);
    if (byName && byNumber) return byName.at <= byNumber.at ? byName.release : byNumber.release;
    return (byName ?? byNumber)?.release;
  }

  /** The lookups `release` answers from, built once per change from `releases()`. */
  private releasesById(): ReleaseIndex {
    if (!this.releaseIndex) {
      const index: ReleaseIndex = { byKey: new Map(), milestoneByName: new Map(), milestoneByKey: new Map() };
      const first = (map: Map<string, { release: Release; at: number }>, key: string, release: Release, at: number) => {
        if (!map.has(key)) map.set(key, { release, at });
      };
      // Archived milestones come last: an active milestone of the same title or number wins, as
      // Backlog.md's `collectArchivedMilestoneKeys` lets an active title shadow an archived one.
      const list = [...this.releases(), ...this.archivedMilestones()];
      list.forEach((r, at) => {
        first(index.byKey, idKey(r.id), r, at);
        if (r.source !== 'milestone') return;
        first(index.milestoneByName, r.name.toUpperCase(), r, at);
        first(index.milestoneByKey, idKey(r.id), r, at);
      });
      // A milestone a release stands for answers, by its id, number or title, with that release.
      // Positions by release, found once: a search of the list per milestone is quadratic.
      const position = new Map(list.map((r, at) => [r, at]));
      for (const [m, r] of this.linkedMilestones()) {
        const at = position.get(r) ?? -1;
        first(index.byKey, idKey(m.id), r, at);
        first(index.milestoneByName, m.name.toUpperCase(), r, at);
        first(index.milestoneByKey, idKey(m.id), r, at);
      }
      this.releaseIndex = index;
    }
    return this.releaseIndex;
  }

  /** The archived milestone an item is aimed at (by `release` or `milestone`), if that is where it points. */
  archivedMilestoneOf(item: Item): Release | undefined {
    for (const ref of [item.release, item.milestone]) {
      const r = ref !== undefined ? this.release(ref) : undefined;
      if (r?.archived) return r;
    }
    return undefined;
  }

  /**
   * Items in a release: each item is in the one release its `release` names, else its Backlog.md
   * `milestone`'s (core/figures' `releaseOf`), so that no work counts in two releases.
   */
  releaseBacklog(releaseId: string): Item[] {
    const release = this.release(releaseId);
    if (!release) return [];
    if (!this.releaseItems) {
      // One pass for every release, each item's references resolved once.
      const byRelease = new Map<Release, Item[]>();
      for (const i of this.allOrdered()) {
        const r = releaseOf(this, i);
        if (!r) continue;
        const list = byRelease.get(r);
        if (list) list.push(i);
        else byRelease.set(r, [i]);
      }
      this.releaseItems = byRelease;
    }
    return [...(this.releaseItems.get(release) ?? [])];
  }

  /** An epic's stories: items naming it in `epic`, or subtasks naming it as parent. */
  children(epicId: string): Item[] {
    if (!this.childrenByParent) {
      // One pass for every epic: the roadmap asks for each epic's stories, several times, and a
      // scan of the whole backlog per question made 2,000 epics take seconds.
      const byParent = new Map<string, Item[]>();
      const add = (parent: string, i: Item) => {
        const list = byParent.get(parent);
        if (list) {
          if (list[list.length - 1] !== i) list.push(i);
        } else byParent.set(parent, [i]);
      };
      for (const i of this.allOrdered()) {
        if (i.epic !== undefined) add(idKey(i.epic), i);
        if (i.parent !== undefined) add(idKey(i.parent), i);
      }
      this.childrenByParent = byParent;
    }
    return [...(this.childrenByParent.get(idKey(epicId)) ?? [])];
  }

  /** Points and items done of a list, as every figure counts them: core/figures' `tally`. */
  rollup(items: readonly Item[]): Rollup {
    return tally(items, this.config);
  }

  epicRollup(epicId: string): Rollup {
    return this.rollup(this.children(epicId));
  }

  /** Items under a theme: those naming it, and the stories of epics naming it. */
  themeItems(themeId: string): Item[] {
    if (!this.byTheme) {
      const byTheme = new Map<string, Item[]>();
      for (const i of this.allOrdered()) {
        if (i.theme === undefined) continue;
        const k = i.theme.toUpperCase();
        const list = byTheme.get(k);
        if (list) list.push(i);
        else byTheme.set(k, [i]);
      }
      this.byTheme = byTheme;
    }
    const direct = this.byTheme.get(themeId.toUpperCase()) ?? [];
    const seen = new Set(direct.map((i) => i.key));
    const out = [...direct];
    for (const epic of direct.filter((i) => i.type === 'epic')) {
      for (const child of this.children(epic.id)) {
        if (!seen.has(child.key)) {
          seen.add(child.key);
          out.push(child);
        }
      }
    }
    return out;
  }

  /** Roll-up of a theme's work, epics themselves excluded so that points are not counted twice. */
  themeRollup(themeId: string): Rollup {
    return this.rollup(this.themeItems(themeId).filter((i) => i.type !== 'epic'));
  }

  /** The story map's cells, one per step in backbone order, plus the items naming no known step. */
  storyMapGrid(): { cells: StoryMapCell[]; unmapped: Item[] } {
    const cells = new Map<string, StoryMapCell>();
    for (const a of this.storyMap.activities) for (const s of a.steps) cells.set(s.id.toUpperCase(), { stepId: s.id, items: [] });
    const unmapped: Item[] = [];
    for (const i of this.allOrdered()) {
      if (i.folder === 'drafts' || i.type === 'epic' || i.type === 'opportunity') continue;
      const cell = i.step !== undefined ? cells.get(i.step.toUpperCase()) : undefined;
      if (cell) cell.items.push(i);
      else if (i.folder === 'tasks' && i.type === 'story') unmapped.push(i);
    }
    return { cells: [...cells.values()], unmapped };
  }

  /** Dependencies on nothing or on archived items, and cycles, each on the item's `dependencies` line. */
  private dependencyDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    const live = this.items().filter((i) => i.folder !== 'archive');
    const edges = new Map<string, string[]>();
    for (const item of live) {
      const keys: string[] = [];
      // Finished work is blocked by nothing: its dangling dependencies are history, not a problem.
      const open = !this.isDone(item);
      for (const dep of item.dependencies) {
        const target = this.item(dep);
        if (!target) {
          if (open) out.push(fieldDiag(item, 'dependencies', 'warning', 'unknown-dependency', `No item ${dep} in this backlog: Backlog.md counts ${item.id} as blocked until the dependency is removed or the item exists.`));
        } else if (target.folder === 'archive') {
          if (open) out.push(fieldDiag(item, 'dependencies', 'warning', 'archived-dependency', `${dep} is archived (${target.path.slice(this.root.length + 1)}): Backlog.md counts ${item.id} as blocked by it. Remove the dependency.`));
        } else keys.push(target.key);
      }
      if (keys.length > 0) edges.set(item.key, keys);
    }
    const cycles = dependencyCycles(
      live.map((i) => i.key),
      (k) => edges.get(k) ?? [],
    );
    for (const { members, cycle } of cycles) {
      const shown = cycle.length > MAX_CYCLE_SHOWN ? [...cycle.slice(0, MAX_CYCLE_SHOWN - 1).map((k) => this.item(k)!.id), '…', this.item(cycle[cycle.length - 1])!.id] : cycle.map((k) => this.item(k)!.id);
      const more = members.length > cycle.length - 1 ? ` (${members.length.toLocaleString('en')} items depend on each other in all)` : '';
      for (const k of members) {
        if (this.isDone(this.item(k)!)) continue;
        out.push(fieldDiag(this.item(k)!, 'dependencies', 'warning', 'dependency-cycle', `Dependency cycle: ${shown.join(' → ')}${more}. None of these can start; remove one of the dependencies.`));
      }
    }
    return out;
  }

  /** A few of `list` other than `item`, by path: naming all of 10,000 copies in each of their messages would be a hundred million paths. */
  private namesOf(list: readonly Item[], item: Item, holdsItem: boolean): string {
    const others: string[] = [];
    for (const o of list) {
      if (others.length === MAX_NAMED_DUPLICATES) break;
      if (o !== item) others.push(o.path.slice(this.root.length + 1));
    }
    const more = list.length - (holdsItem ? 1 : 0) - others.length;
    return more > 0 ? `${others.join(', ')} and ${more.toLocaleString('en')} more` : others.join(', ');
  }

  /** Problems that only show across files: duplicate ids and references to nothing. */
  crossFileDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const list of this.byKey.values()) {
      if (list.length < 2) continue;
      // Backlog.md hands out an archived item's id again and leaves archive/ out of its duplicate
      // check, so only live items (tasks, drafts, completed) that share an id collide.
      const live = list.filter((i) => i.folder !== 'archive');
      for (const item of list) {
        const archived = item.folder === 'archive';
        if (archived && live.length === 0 && list.length > 1) {
          out.push(fieldDiag(item, 'id', 'info', 'archived-duplicate-id', `The id ${item.id} is also used by ${this.namesOf(list, item, true)}, all archived.`));
        } else if (archived) {
          out.push(fieldDiag(item, 'id', 'info', 'archived-duplicate-id', `The id ${item.id} was given again after this item was archived (${this.namesOf(live, item, false)}); ${item.id} now names that item, as in Backlog.md.`));
        } else if (live.length > 1) {
          out.push(fieldDiag(item, 'id', 'error', 'duplicate-id', `The id ${item.id} is also used by ${this.namesOf(live, item, true)}. Give one of them a new id.`));
        }
      }
    }
    // Two branches that each put an item at the same place leave equal ranks behind.
    for (const { item, sameAs } of spreadEqualRanks(this.allOrdered())) {
      out.push(fieldDiag(item, 'rank', 'warning', EQUAL_RANK_CODE, `${item.id} has the same rank as ${sameAs.id} (as after two branches merge), so priority and id decide their order. Spread the equal ranks apart (quick fix): only the items that share a rank change.`));
    }
    const linked = new Set(this.linkedMilestones().values());
    for (const r of this.releasesFile) {
      if (r.milestone !== undefined && !linked.has(r)) {
        out.push({ path: r.path, line: r.line, column: 0, endLine: r.line, endColumn: 1, severity: 'warning', code: 'unknown-milestone', message: `No milestone ${r.milestone} in milestones/ (or another release already stands for it).` });
      }
    }
    out.push(...this.dependencyDiagnostics());
    const themeIds = new Set(this.roadmap.themes.map((t) => t.id.toUpperCase()));
    const stepIds = new Set(this.storyMap.activities.flatMap((a) => a.steps.map((s) => s.id.toUpperCase())));
    for (const item of this.items()) {
      if (item.sprint !== undefined && !this.sprint(item.sprint)) {
        out.push(fieldDiag(item, 'sprint', 'warning', 'unknown-sprint', `No sprint ${item.sprint} in sprints.yml.`));
      }
      const archived = this.archivedMilestoneOf(item);
      if (archived && !this.isDone(item)) {
        const key = item.milestone !== undefined && this.release(item.milestone) === archived ? 'milestone' : 'release';
        out.push(fieldDiag(item, key, 'info', 'archived-milestone', `Milestone ${archived.id} (${archived.name}) is archived: Backlog.md lists this open item under "No milestone", and Backlog Atlas plans it as Unplanned. Give it a current milestone, or finish it.`));
      }
      if (item.release !== undefined && !this.release(item.release)) {
        out.push(fieldDiag(item, 'release', 'warning', 'unknown-release', `No release ${item.release} in releases.yml or milestones/.`));
      }
      if (item.epic !== undefined && this.item(item.epic)?.type !== 'epic') {
        const target = this.item(item.epic);
        out.push(fieldDiag(item, 'epic', 'warning', 'unknown-epic', target ? `${item.epic} is a ${target.type ?? 'task'}, not an epic.` : `No epic ${item.epic} in this backlog.`));
      }
      if (item.parent !== undefined && !this.item(item.parent)) {
        out.push(fieldDiag(item, 'parent_task_id', 'warning', 'unknown-parent', `No item ${item.parent} in this backlog.`));
      }
      if (item.theme !== undefined && this.files.has(this.root + '/roadmap.yml') && !themeIds.has(item.theme.toUpperCase())) {
        out.push(fieldDiag(item, 'theme', 'warning', 'unknown-theme', `No theme or initiative ${item.theme} in roadmap.yml.`));
      }
      if (item.step !== undefined && this.files.has(this.root + '/storymap.yml') && !stepIds.has(item.step.toUpperCase())) {
        out.push(fieldDiag(item, 'step', 'warning', 'unknown-step', `No step ${item.step} in storymap.yml.`));
      }
    }
    return out;
  }
}

function byDateThenId(a: Release, b: Release): number {
  return (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || compareIds(a.id, b.id);
}

/** Releases by id key, and milestones by upper-cased title and by id key, each with its place in `releases()`. */
interface ReleaseIndex {
  byKey: Map<string, { release: Release; at: number }>;
  milestoneByName: Map<string, { release: Release; at: number }>;
  milestoneByKey: Map<string, { release: Release; at: number }>;
}

/** Why an item cannot start: a dependency that is open, names nothing, or was archived. */
export interface Blocker {
  /** The dependency as the item names it, or the open item's own id. */
  id: string;
  reason: 'open' | 'missing' | 'archived';
  item?: Item;
}

/** Ids named in a dependency-cycle message; a longer cycle is cut in the middle. */
const MAX_CYCLE_SHOWN = 12;

/** Other files with the same id named in a duplicate-id message. */
const MAX_NAMED_DUPLICATES = 5;

/** The code of the warning on an item whose rank equals its neighbour's; its quick fix spreads them apart. */
export const EQUAL_RANK_CODE = 'equal-rank';

function fieldDiag(item: Item, key: string, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  const line = item.fieldLines[key] ?? item.fieldLines.id ?? 1;
  return { path: item.path, line, column: 0, endLine: line, endColumn: key.length, severity, code, message };
}
