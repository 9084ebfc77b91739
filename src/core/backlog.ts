import { defaultConfig } from './format/config';
import { idKey } from './naming';
import { compareIds, compareItems } from './rules/rank';
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

export interface Rollup {
  pointsDone: number;
  pointsTotal: number;
  itemsDone: number;
  itemsTotal: number;
}

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
  private doneIndex: { of: readonly string[]; statuses: Set<string> } | undefined;

  constructor(readonly root: string, readonly folder: string) {}

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
  }

  /** Every item, one per id (for colliding ids, the one in `tasks/` wins, then the first path). */
  items(): Item[] {
    const out: Item[] = [];
    for (const list of this.byKey.values()) out.push(list[0]);
    return out;
  }

  item(id: string): Item | undefined {
    return this.byKey.get(idKey(id))?.[0];
  }

  isDone(item: Item): boolean {
    if (item.folder === 'completed' || item.folder === 'archive') return true;
    const done = this.config.doneStatuses;
    if (this.doneIndex?.of !== done) this.doneIndex = { of: done, statuses: new Set(done.map((s) => s.toLowerCase())) };
    return this.doneIndex.statuses.has(item.status.toLowerCase());
  }

  /** Story points of an item: its estimate, or its T-shirt size through the config's map. */
  points(item: Item): number {
    if (item.estimate !== undefined) return item.estimate;
    return item.size !== undefined ? this.config.sizePoints[item.size] : 0;
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

  /** The sprint backlog, done items included: a sprint's scope is what burned down. */
  sprintBacklog(sprintId: string): Item[] {
    if (!this.sprintItems) {
      // One pass for every sprint, in backlog order.
      const bySprint = new Map<string, Item[]>();
      for (const i of this.allOrdered()) {
        if (i.folder === 'drafts' || i.sprint === undefined) continue;
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
    const all = [...this.releasesFile, ...this.milestones.values()];
    return (this.releaseList = all.sort((a, b) => (a.date ?? '\uffff').localeCompare(b.date ?? '\uffff') || compareIds(a.id, b.id)));
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
      this.releases().forEach((r, at) => {
        first(index.byKey, idKey(r.id), r, at);
        if (r.source !== 'milestone') return;
        first(index.milestoneByName, r.name.toUpperCase(), r, at);
        first(index.milestoneByKey, idKey(r.id), r, at);
      });
      this.releaseIndex = index;
    }
    return this.releaseIndex;
  }

  /** Items aimed at a release: by `release`, or by a Backlog.md `milestone` that resolves to it. */
  releaseBacklog(releaseId: string): Item[] {
    const release = this.release(releaseId);
    if (!release) return [];
    if (!this.releaseItems) {
      // One pass for every release, each item's references resolved once.
      const byRelease = new Map<Release, Item[]>();
      for (const i of this.allOrdered()) {
        if (i.folder === 'drafts') continue;
        const a = i.release !== undefined ? this.release(i.release) : undefined;
        const b = i.milestone !== undefined ? this.release(i.milestone) : undefined;
        for (const r of a === b ? [a] : [a, b]) {
          if (!r) continue;
          const list = byRelease.get(r);
          if (list) list.push(i);
          else byRelease.set(r, [i]);
        }
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

  /**
   * Points and items done of a list. Epics are left out: they are containers whose stories carry
   * the work, and counting an XL epic and its stories would count the work twice (the reports and
   * the roadmap count the same way).
   */
  rollup(items: Item[]): Rollup {
    const r: Rollup = { pointsDone: 0, pointsTotal: 0, itemsDone: 0, itemsTotal: 0 };
    for (const i of items) {
      if (i.type === 'epic') continue;
      const p = this.points(i);
      const done = this.isDone(i);
      r.itemsTotal++;
      r.pointsTotal += p;
      if (done) {
        r.itemsDone++;
        r.pointsDone += p;
      }
    }
    return r;
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

  /** Problems that only show across files: duplicate ids and references to nothing. */
  crossFileDiagnostics(): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const list of this.byKey.values()) {
      if (list.length < 2) continue;
      for (const item of list) {
        // A few of the others by name: listing all of 10,000 copies in each of their 10,000
        // messages would be a hundred million paths.
        const others: string[] = [];
        for (const o of list) {
          if (others.length === MAX_NAMED_DUPLICATES) break;
          if (o !== item) others.push(o.path.slice(this.root.length + 1));
        }
        const more = list.length - 1 - others.length;
        const names = more > 0 ? `${others.join(', ')} and ${more.toLocaleString('en')} more` : others.join(', ');
        out.push(fieldDiag(item, 'id', 'error', 'duplicate-id', `The id ${item.id} is also used by ${names}. Give one of them a new id.`));
      }
    }
    const themeIds = new Set(this.roadmap.themes.map((t) => t.id.toUpperCase()));
    const stepIds = new Set(this.storyMap.activities.flatMap((a) => a.steps.map((s) => s.id.toUpperCase())));
    for (const item of this.items()) {
      if (item.sprint !== undefined && !this.sprint(item.sprint)) {
        out.push(fieldDiag(item, 'sprint', 'warning', 'unknown-sprint', `No sprint ${item.sprint} in sprints.yml.`));
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

/** Releases by id key, and milestones by upper-cased title and by id key, each with its place in `releases()`. */
interface ReleaseIndex {
  byKey: Map<string, { release: Release; at: number }>;
  milestoneByName: Map<string, { release: Release; at: number }>;
  milestoneByKey: Map<string, { release: Release; at: number }>;
}

/** Other files with the same id named in a duplicate-id message. */
const MAX_NAMED_DUPLICATES = 5;

function fieldDiag(item: Item, key: string, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  const line = item.fieldLines[key] ?? item.fieldLines.id ?? 1;
  return { path: item.path, line, column: 0, endLine: line, endColumn: key.length, severity, code, message };
}
