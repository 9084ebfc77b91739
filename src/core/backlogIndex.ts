import { Backlog, FileKind, FileRecord } from './backlog';
import { defaultConfig, parseConfig } from './format/config';
import { parseItemFile } from './format/itemFile';
import { parseMilestoneFile, parseReleases, parseRoadmap, parseSprints, parseStoryMap } from './format/plans';
import { compareIds } from './rules/rank';
import { contentHash, decodeText } from './text';
import { Diagnostic, Item, ItemFolder } from './types';
import { BacklogWorkspace, basename, Disposable, isUnder, joinPath, WorkspaceChange } from './workspace';

export interface IndexOptions {
  /** Workspace folders: each is searched for `backlog/` and `.backlog/`. */
  folders: string[];
  /** More backlog roots, absolute or relative to every folder (a monorepo's `packages/app/backlog`). */
  extraRoots?: string[];
  /** More backlog roots relative to one folder, by folder path (VS Code's per-folder setting). */
  folderRoots?: Readonly<Record<string, readonly string[]>>;
}

export interface IndexChange {
  /** Files whose record changed. */
  paths: string[];
  /** True when roots were found or lost, or a whole root was read again. */
  full: boolean;
}

const ROOT_NAMES = ['backlog', '.backlog'];
const ITEM_FOLDERS = ['tasks', 'drafts', 'completed', 'archive', 'archive/tasks', 'milestones'];
/** Reads in flight at once while building: enough to keep the disk busy, few enough to be polite. */
const READ_CONCURRENCY = 64;

/** Where a path sits in a backlog root, or undefined if the index does not read it. */
export function classify(rel: string): { kind: FileKind; folder?: ItemFolder } | undefined {
  switch (rel) {
    case 'config.yml':
      return { kind: 'config' };
    case 'sprints.yml':
      return { kind: 'sprints' };
    case 'releases.yml':
      return { kind: 'releases' };
    case 'roadmap.yml':
      return { kind: 'roadmap' };
    case 'storymap.yml':
      return { kind: 'storymap' };
  }
  if (!rel.endsWith('.md')) return undefined;
  const m = /^(tasks|drafts|completed|archive\/tasks|milestones)\/[^/]+\.md$/.exec(rel);
  if (!m) return undefined;
  if (m[1] === 'milestones') return { kind: 'milestone' };
  return { kind: 'item', folder: m[1] === 'archive/tasks' ? 'archive' : (m[1] as ItemFolder) };
}

/**
 * The in-memory index of every backlog in the workspace. It reads through a `BacklogWorkspace`,
 * re-reads only the files that change, and tells listeners what changed. It never writes.
 */
export class BacklogIndex implements Disposable {
  private backlogs: Backlog[] = [];
  private readonly listeners = new Set<(change: IndexChange) => void>();
  private version = 0;

  constructor(
    private readonly ws: BacklogWorkspace,
    private options: IndexOptions,
  ) {}

  /** Finds the roots and reads every backlog file in them. */
  async build(): Promise<void> {
    const roots = await this.findRoots();
    const fresh: Backlog[] = [];
    for (const { root, folder } of roots) {
      const b = new Backlog(root, folder);
      await this.readRoot(b);
      fresh.push(b);
    }
    this.backlogs = fresh;
    this.version++;
    this.emit({ paths: [], full: true });
  }

  setOptions(options: IndexOptions): Promise<void> {
    this.options = options;
    return this.build();
  }

  get changeCount(): number {
    return this.version;
  }

  roots(): readonly Backlog[] {
    return this.backlogs;
  }

  /** The backlog a path belongs to (the innermost root that contains it). */
  backlogFor(path: string): Backlog | undefined {
    let best: Backlog | undefined;
    for (const b of this.backlogs) if (isUnder(path, b.root) && (!best || b.root.length > best.root.length)) best = b;
    return best;
  }

  /** Finds an item by id, in the given backlog or the first that has it. */
  item(id: string, root?: string): Item | undefined {
    for (const b of this.backlogs) {
      if (root !== undefined && b.root !== root) continue;
      const it = b.item(id);
      if (it) return it;
    }
    return undefined;
  }

  file(path: string): FileRecord | undefined {
    return this.backlogFor(path)?.files.get(path);
  }

  /** Every diagnostic, per file: each file's own and the cross-file ones (duplicate ids, dangling references). */
  diagnostics(): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const b of this.backlogs) {
      for (const f of b.files.values()) if (f.diagnostics.length > 0) out.set(f.path, [...f.diagnostics]);
      for (const d of b.crossFileDiagnostics()) {
        const list = out.get(d.path);
        if (list) list.push(d);
        else out.set(d.path, [d]);
      }
    }
    return out;
  }

  onDidChange(listener: (change: IndexChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Re-reads what a batch of changes touched; a change that may add or remove a root rebuilds. */
  async applyChanges(changes: WorkspaceChange[]): Promise<void> {
    const paths = new Set<string>();
    let rebuild = false;
    for (const c of changes) {
      const b = this.backlogFor(c.path);
      if (!b) {
        if (this.mayCreateRoot(c.path)) rebuild = true;
        continue;
      }
      if (c.path === b.root) {
        // The root folder itself: gone means rebuild; "changed" says nothing its files won't.
        if (c.kind === 'deleted') rebuild = true;
      } else paths.add(c.path);
    }
    if (rebuild) return this.build();
    const touched: string[] = [];
    // Set when a whole root was read again: listeners then refresh everything, not a few files.
    let full = false;
    for (const path of paths) {
      const b = this.backlogFor(path);
      if (!b) continue;
      const rel = path.slice(b.root.length + 1);
      const cls = classify(rel);
      if (!cls) {
        // One of the item folders appeared or vanished as a whole (a git checkout, say): the
        // watcher may not report each file in it, so the root is read again.
        if (ITEM_FOLDERS.includes(rel)) {
          await this.rereadRoot(b);
          full = true;
          touched.push(path);
        }
        continue;
      }
      if (cls.kind === 'config') {
        // Statuses and types decide other files' diagnostics, so the whole root is read again.
        await this.rereadRoot(b);
        full = true;
      } else {
        await this.readFile(b, path, cls.kind, cls.folder);
      }
      b.invalidate();
      touched.push(path);
    }
    if (touched.length > 0) {
      this.version++;
      this.emit({ paths: touched, full });
    }
  }

  /** Re-reads one file (after a write, say). */
  update(path: string): Promise<void> {
    return this.applyChanges([{ kind: 'changed', path }]);
  }

  dispose(): void {
    this.listeners.clear();
  }

  private emit(change: IndexChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  /** True when a path lies in a place where a root would be found (`src/backlog/` is not one). */
  private mayCreateRoot(path: string): boolean {
    return this.options.folders.some((folder) => this.candidates(folder).some((root) => isUnder(path, root)));
  }

  /** Where a folder's backlog roots may be: `backlog/`, `.backlog/` and the configured ones. */
  private candidates(folder: string): string[] {
    const names = [...ROOT_NAMES, ...(this.options.extraRoots ?? []), ...(this.options.folderRoots?.[folder] ?? [])];
    // A relative root that climbs out of its folder (`../other`) is not the folder's to claim.
    return names.flatMap((c) => (c.startsWith('/') ? [joinPath(c)] : isUnder(joinPath(folder, c), folder) ? [joinPath(folder, c)] : []));
  }

  private async findRoots(): Promise<{ root: string; folder: string }[]> {
    const out: { root: string; folder: string }[] = [];
    const seen = new Set<string>();
    for (const folder of this.options.folders) {
      for (const root of this.candidates(folder)) {
        if (seen.has(root)) continue;
        const st = await this.ws.stat(root);
        if (st?.kind === 'directory') {
          seen.add(root);
          out.push({ root, folder });
        }
      }
    }
    return out;
  }

  /** Reads a root into a fresh backlog and swaps it in, so that readers never see it half-read. */
  private async rereadRoot(b: Backlog): Promise<void> {
    const fresh = new Backlog(b.root, b.folder);
    await this.readRoot(fresh);
    const at = this.backlogs.indexOf(b);
    if (at !== -1) this.backlogs = [...this.backlogs.slice(0, at), fresh, ...this.backlogs.slice(at + 1)];
  }

  private async readRoot(b: Backlog): Promise<void> {
    // The config first: item diagnostics depend on its statuses and types.
    await this.readFile(b, joinPath(b.root, 'config.yml'), 'config');
    // `listed`: the folder listing already said it is a file, so it need not be stat'ed first.
    const jobs: { path: string; kind: FileKind; folder?: ItemFolder; listed?: boolean }[] = [];
    for (const name of ['sprints.yml', 'releases.yml', 'roadmap.yml', 'storymap.yml']) {
      jobs.push({ path: joinPath(b.root, name), kind: classify(name)!.kind });
    }
    for (const dir of ['tasks', 'drafts', 'completed', 'archive/tasks', 'milestones']) {
      for (const e of await this.ws.list(joinPath(b.root, dir))) {
        if (e.kind !== 'file' || !e.name.endsWith('.md')) continue;
        const cls = classify(`${dir}/${e.name}`);
        if (cls) jobs.push({ path: joinPath(b.root, dir, e.name), kind: cls.kind, folder: cls.folder, listed: true });
      }
    }
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        await this.readFile(b, job.path, job.kind, job.folder, job.listed);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, jobs.length) }, worker));
    b.invalidate();
  }

  /**
   * Reads and parses one file into the backlog, replacing what it held for that path. `listed`
   * says a folder listing just reported it as a file, which saves a stat per file on a build.
   */
  private async readFile(b: Backlog, path: string, kind: FileKind, folder?: ItemFolder, listed = false): Promise<void> {
    // Read first, then replace the old record in one synchronous step, so that nobody reading
    // the index while the file is being read sees the item missing.
    let bytes: Uint8Array;
    try {
      if (!listed) {
        const st = await this.ws.stat(path);
        if (st?.kind !== 'file') {
          this.forget(b, path, kind);
          return;
        }
      }
      bytes = await this.ws.read(path);
    } catch {
      this.forget(b, path, kind); // Gone between listing and reading.
      return;
    }
    this.forget(b, path, kind);
    const decoded = decodeText(bytes);
    const hash = decoded.ok ? contentHash(decoded.value.text) : `bytes-${bytes.byteLength}`;
    const record: FileRecord = { path, kind, hash, diagnostics: [] };
    switch (kind) {
      case 'config': {
        const r = parseConfig(path, bytes, basename(b.folder));
        b.config = r.config;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'item': {
        const r = parseItemFile(path, bytes, { root: b.root, folder: folder ?? 'tasks', config: b.config });
        record.diagnostics = r.diagnostics;
        if (r.item) {
          record.itemKey = r.item.key;
          addItem(b, r.item);
        }
        break;
      }
      case 'sprints': {
        const r = parseSprints(path, bytes);
        b.sprints = r.value;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'releases': {
        const r = parseReleases(path, bytes);
        b.releasesFile = r.value;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'roadmap': {
        const r = parseRoadmap(path, bytes);
        b.roadmap = r.value;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'storymap': {
        const r = parseStoryMap(path, bytes);
        b.storyMap = r.value;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'milestone': {
        const r = parseMilestoneFile(path, bytes);
        if (r.value) b.milestones.set(path, r.value);
        record.diagnostics = r.diagnostics;
        break;
      }
    }
    b.files.set(path, record);
  }

  private forget(b: Backlog, path: string, kind: FileKind): void {
    const old = b.files.get(path);
    b.files.delete(path);
    if (kind === 'config') b.config = defaultConfig(basename(b.folder));
    else if (kind === 'sprints') b.sprints = [];
    else if (kind === 'releases') b.releasesFile = [];
    else if (kind === 'roadmap') b.roadmap = { goals: [], themes: [], milestones: [] };
    else if (kind === 'storymap') b.storyMap = { activities: [] };
    else if (kind === 'milestone') b.milestones.delete(path);
    if (old?.itemKey) {
      const list = b.byKey.get(old.itemKey)?.filter((i) => i.path !== path) ?? [];
      if (list.length > 0) b.byKey.set(old.itemKey, list);
      else b.byKey.delete(old.itemKey);
    }
  }
}

const FOLDER_PREFERENCE: Record<ItemFolder, number> = { tasks: 0, drafts: 1, completed: 2, archive: 3 };

/** Adds an item; with colliding ids, the open one (then the first path) is the one others see. */
function addItem(b: Backlog, item: Item): void {
  const list = b.byKey.get(item.key);
  if (!list) {
    b.byKey.set(item.key, [item]);
    return;
  }
  // Into its place in the sorted list: sorting again after every add made a repository of
  // thousands of files sharing one id (a script gone wrong, or a hostile one) quadratic.
  const before = (x: Item, y: Item) => FOLDER_PREFERENCE[x.folder] - FOLDER_PREFERENCE[y.folder] || compareIds(x.path, y.path);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(list[mid], item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}
