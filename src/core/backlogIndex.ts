import { Backlog, FileKind, FileRecord } from './backlog';
import { ATLAS_SETTINGS_FILE, defaultConfig, parseAtlasSettings, parseConfig } from './format/config';
import { fileDiag, MAX_ITEM_BYTES, parseItemFile } from './format/itemFile';
import { MAX_PLAN_BYTES, parseMilestoneFile, parseReleases, parseRoadmap, parseSprints, parseStoryMap } from './format/plans';
import { MAX_YAML_BYTES } from './format/yamlSafe';
import { compareIds } from './rules/rank';
import { CACHED_PLANS, IndexCache, restoreDiagnostics, restoreItem, restoreReleases, restoreSprints, toCachedFile } from './indexCache';
import { contentHash, decodeText } from './text';
import { Slicer } from './slicer';
import { BacklogConfig, Diagnostic, Item, ItemFolder, Release, Sprint } from './types';
import { BacklogWorkspace, basename, DirEntry, dirname, Disposable, isUnder, joinPath, ReadRefused, WorkspaceChange } from './workspace';

export interface IndexOptions {
  /** Workspace folders: each is searched for `backlog/` and `.backlog/`. */
  folders: string[];
  /** More backlog roots, absolute or relative to every folder (a monorepo's `packages/app/backlog`). */
  extraRoots?: string[];
  /** More backlog roots relative to one folder, by folder path (VS Code's per-folder setting). */
  folderRoots?: Readonly<Record<string, readonly string[]>>;
  /**
   * Where parsed item files may be kept between runs, per backlog root (the command line's cache
   * folder, the extension's workspace storage); none when undefined or when it returns undefined.
   */
  cache?: (root: string) => IndexCache | undefined;
}

export interface IndexChange {
  /** Files whose record changed. */
  paths: string[];
  /** True when roots were found or lost, or a whole root was read again. */
  full: boolean;
}

const ROOT_NAMES = ['backlog', '.backlog'];
/** Backlog.md's config at the top of a project, which may name the backlog folder. */
export const ROOT_CONFIG = 'backlog.config.yml';
/** The folders of a root whose files the index reads, besides the root itself. */
export const ITEM_FOLDERS: readonly string[] = ['tasks', 'drafts', 'completed', 'archive', 'archive/tasks', 'archive/drafts', 'archive/milestones', 'milestones'];
const PLAN_FILES = ['sprints.yml', 'releases.yml', 'roadmap.yml', 'storymap.yml'];
/** Reads in flight at once while building: enough to keep the disk busy, few enough to be polite. */
const READ_CONCURRENCY = 64;

/**
 * The most bytes read of each kind of file: what its parser accepts. A bigger file is refused
 * before it is read, so a backlog cannot make the index hold gigabytes.
 */
export const READ_LIMITS: Readonly<Record<FileKind, number>> = {
  config: MAX_YAML_BYTES,
  settings: MAX_YAML_BYTES,
  item: MAX_ITEM_BYTES,
  milestone: MAX_ITEM_BYTES,
  sprints: MAX_PLAN_BYTES,
  releases: MAX_PLAN_BYTES,
  roadmap: MAX_PLAN_BYTES,
  storymap: MAX_PLAN_BYTES,
  folder: 0,
};

const WHAT: Readonly<Record<FileKind, string>> = {
  config: 'config files',
  settings: 'config files',
  item: 'item files',
  milestone: 'milestone files',
  sprints: 'plan files',
  releases: 'plan files',
  roadmap: 'plan files',
  storymap: 'plan files',
  folder: 'folders',
};

/**
 * The diagnostic for a file the workspace would not read (see `ReadRefused`): an error, so that
 * `lint` fails and the Problems panel shows it, instead of the file silently missing.
 */
export function refusalDiagnostic(path: string, kind: FileKind, refusal: Pick<ReadRefused, 'reason' | 'detail' | 'size'>): Diagnostic {
  switch (refusal.reason) {
    case 'symlink':
      return fileDiag(
        path,
        'symlink',
        kind === 'folder'
          ? 'This folder is a symbolic link, which is not followed: a link in a backlog could lead anywhere on the disk. Put the folder itself here.'
          : 'This file is a symbolic link, which is not followed: a link in a backlog could lead anywhere on the disk. Put the file itself here.',
      );
    case 'not-a-regular-file':
      return fileDiag(path, 'not-a-regular-file', `This is ${refusal.detail ?? 'not a regular file'}, not a regular file, and is not read (reading a FIFO or a device could wait forever or never end).`);
    case 'too-large':
      return fileDiag(path, 'too-large', `File is ${Math.round((refusal.size ?? 0) / 1024)} KiB; ${WHAT[kind]} over ${READ_LIMITS[kind] / 1024} KiB are not read.`);
    case 'unreadable':
      return fileDiag(path, 'unreadable', `This file could not be read (${refusal.detail ?? 'no reason given'}), so what it holds is missing from the backlog.`);
  }
}

/**
 * Why a Markdown file directly in an item folder is not read, when its name is what keeps it out
 * (Backlog.md reads a task only by a name that starts with the task prefix); undefined for any
 * other file, and for a README.
 */
export function unreadNameProblem(rel: string, taskPrefix?: string): string | undefined {
  if (!rel.endsWith('.md') || classify(rel, taskPrefix) !== undefined) return undefined;
  const slash = rel.lastIndexOf('/');
  const dir = rel.slice(0, slash);
  const name = rel.slice(slash + 1);
  if (name.toLowerCase() === 'readme.md' || !ITEM_FOLDERS.includes(dir) || dir === 'archive') return undefined;
  const prefixes = dir.endsWith('milestones') ? ['m'] : dir.endsWith('drafts') ? ['draft', ...(taskPrefix ? [taskPrefix] : [])] : taskPrefix ? [taskPrefix] : [];
  if (prefixes.length === 0) return undefined;
  const start = prefixes.map((p) => `"${p.toLowerCase()}-"`).join(' or ');
  return `Not read as ${dir.endsWith('milestones') ? 'a milestone' : 'an item'}: in ${dir}/, Backlog.md and Backlog Atlas read only files whose names start with ${start}. Rename it ("${prefixes[0].toLowerCase()}-<number> - <title>.md"), or move it out of the backlog.`;
}

/**
 * Where a path sits in a backlog root, or undefined if the index does not read it. Item folders
 * hold what Backlog.md loads there and nothing else: `<task_prefix>-*.md` in tasks/, completed/
 * and archive/tasks/, `draft-*.md` in drafts/ and archive/drafts/, `m-*.md` in milestones/ and
 * archive/milestones/ (its globs in src/file-system/operations.ts), so the `readme.md` files
 * Backlog.md keeps there are not items. Without a prefix (a config that names no `task_prefix`,
 * as every config Backlog.md writes does, or none), every `.md` file but `readme.md` is read.
 */
export function classify(rel: string, taskPrefix?: string): { kind: FileKind; folder?: ItemFolder; archived?: boolean } | undefined {
  switch (rel) {
    case 'config.yml':
    case 'config.yaml':
      return { kind: 'config' };
    case ATLAS_SETTINGS_FILE:
      return { kind: 'settings' };
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
  const slash = rel.lastIndexOf('/');
  const dir = rel.slice(0, slash);
  const name = rel.slice(slash + 1).toLowerCase();
  const named = (prefix: string | undefined) => (prefix === undefined ? name !== 'readme.md' : name.startsWith(`${prefix.toLowerCase()}-`));
  switch (dir) {
    case 'tasks':
    case 'completed':
      return named(taskPrefix) ? { kind: 'item', folder: dir } : undefined;
    case 'archive/tasks':
      return named(taskPrefix) ? { kind: 'item', folder: 'archive' } : undefined;
    // Drafts are `draft-*.md` since Backlog.md's prefix migration; older backlogs still hold drafts
    // named with the task prefix, which that migration renames on Backlog.md's first run.
    case 'drafts':
      return named('draft') || named(taskPrefix) ? { kind: 'item', folder: 'drafts' } : undefined;
    case 'archive/drafts':
      return named('draft') || named(taskPrefix) ? { kind: 'item', folder: 'archive', archived: true } : undefined;
    case 'milestones':
      return named('m') ? { kind: 'milestone' } : undefined;
    case 'archive/milestones':
      return named('m') ? { kind: 'milestone', archived: true } : undefined;
  }
  return undefined;
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
    for (const { root, folder, rootConfig } of roots) {
      const b = new Backlog(root, folder, rootConfig);
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
    // Roots read again in this batch: once is enough (a folder and its parent made together are
    // reported each, by each watcher).
    const reread = new Set<string>();
    for (const path of paths) {
      const b = this.backlogFor(path);
      if (!b) continue;
      const rel = path.slice(b.root.length + 1);
      const cls = classify(rel, b.taskPrefix());
      if (!cls && unreadNameProblem(rel, b.taskPrefix()) !== undefined) {
        // A Markdown file in an item folder that no tool reads by its name: said, or no longer.
        const st = await this.ws.stat(path);
        if (st?.kind === 'file') this.unreadName(b, path);
        else this.forget(b, path, 'item');
        b.invalidate();
        touched.push(path);
        continue;
      }
      if (!cls) {
        // One of the item folders appeared or vanished as a whole (a git checkout, say): the
        // watcher may not report each file in it, so the root is read again.
        if (ITEM_FOLDERS.includes(rel)) {
          if (!reread.has(b.root)) await this.rereadRoot(b);
          reread.add(b.root);
          full = true;
          touched.push(path);
        }
        continue;
      }
      if (reread.has(b.root)) {
        // Read with the rest of its root in this batch.
        touched.push(path);
        continue;
      }
      if (cls.kind === 'config' || cls.kind === 'settings') {
        // Statuses and types decide other files' diagnostics, so the whole root is read again.
        await this.rereadRoot(b);
        reread.add(b.root);
        full = true;
      } else if (!(await this.readFile(b, path, cls.kind, cls.folder, false, cls.archived))) continue;
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
    if (basename(path) === ROOT_CONFIG && this.options.folders.includes(dirname(path))) return true;
    return this.options.folders.some((folder) => this.candidates(folder).some((root) => isUnder(path, root)));
  }

  /** Where a folder's backlog roots may be: `backlog/`, `.backlog/` and the configured ones. */
  private candidates(folder: string): string[] {
    const names = [...ROOT_NAMES, ...(this.options.extraRoots ?? []), ...(this.options.folderRoots?.[folder] ?? [])];
    // A relative root that climbs out of its folder (`../other`) is not the folder's to claim.
    return names.flatMap((c) => (c.startsWith('/') ? [joinPath(c)] : isUnder(joinPath(folder, c), folder) ? [joinPath(folder, c)] : []));
  }

  private async findRoots(): Promise<{ root: string; folder: string; rootConfig?: string }[]> {
    const out: { root: string; folder: string; rootConfig?: string }[] = [];
    const seen = new Set<string>();
    for (const folder of this.options.folders) {
      const rc = await this.rootConfig(folder);
      const named = rc?.directory !== undefined ? [joinPath(folder, rc.directory)] : [];
      for (const root of [...named, ...this.candidates(folder)]) {
        if (seen.has(root)) continue;
        const st = await this.ws.stat(root);
        if (st?.kind === 'directory') {
          seen.add(root);
          // The root config is the config of the folder it names, or of the built-in backlog/ or
          // .backlog/ when it names none, as Backlog.md's `resolveBacklogDirectory` decides.
          const governed = rc !== undefined && (rc.directory !== undefined ? root === named[0] : ROOT_NAMES.some((n) => root === joinPath(folder, n)));
          out.push(governed && !out.some((o) => o.rootConfig === rc.path) ? { root, folder, rootConfig: rc.path } : { root, folder });
        }
      }
    }
    return out;
  }

  /**
   * A folder's `backlog.config.yml`, as Backlog.md reads it: it counts only when it names a
   * `project_name`, and its `backlog_directory` only when that is a folder inside this one
   * (`normalizeProjectBacklogDirectory`: not absolute, not climbing out).
   */
  private async rootConfig(folder: string): Promise<{ path: string; directory?: string } | undefined> {
    const path = joinPath(folder, ROOT_CONFIG);
    const st = await this.ws.stat(path);
    if (st?.kind !== 'file') return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await this.ws.read(path, { maxBytes: READ_LIMITS.config });
    } catch {
      return undefined;
    }
    const { config } = parseConfig(path, bytes);
    if (config.projectName.trim() === '') return undefined;
    const raw = config.raw.backlog_directory ?? config.raw.backlogDirectory;
    let dir = typeof raw === 'string' ? raw.trim().replace(/\\/g, '/') : '';
    // Trailing slashes dropped by a loop: `/\/+$/` would retry every run of slashes (quadratic).
    let end = dir.length;
    while (end > 0 && dir[end - 1] === '/') end--;
    dir = dir.slice(0, end);
    const inside = dir !== '' && dir !== '.' && !dir.startsWith('/') && !/^[A-Za-z]:/.test(dir) && isUnder(joinPath(folder, dir), folder) && joinPath(folder, dir) !== folder;
    return { path, directory: inside ? dir : undefined };
  }

  /** Reads a root into a fresh backlog and swaps it in, so that readers never see it half-read. */
  private async rereadRoot(b: Backlog): Promise<void> {
    const fresh = new Backlog(b.root, b.folder, b.rootConfig);
    await this.readRoot(fresh);
    const at = this.backlogs.indexOf(b);
    if (at !== -1) this.backlogs = [...this.backlogs.slice(0, at), fresh, ...this.backlogs.slice(at + 1)];
  }

  /**
   * Reads every file of a root. The listings say what each entry is without following links:
   * files are read, and a link, a FIFO or a device where a backlog file or item folder would be
   * gets a diagnostic instead (the index never follows a link inside a backlog).
   */
  private async readRoot(b: Backlog): Promise<void> {
    const top = byName(await this.listFolder(b, b.root));
    // The config first: item diagnostics depend on its statuses and types. Without one (or
    // with one that is not read), the defaults, named after the folder.
    // Backlog.md's order: a root backlog.config.yml governs; else config.yml, else config.yaml.
    this.forget(b, joinPath(b.root, 'config.yml'), 'config');
    if (b.rootConfig !== undefined) await this.readFile(b, b.rootConfig, 'config');
    else {
      const entry = top.get('config.yml')?.kind === 'file' ? top.get('config.yml') : (top.get('config.yaml') ?? top.get('config.yml'));
      const config = this.entryJob(b, b.root, entry, 'config');
      if (config) await this.readFile(b, config.path, config.kind, undefined, true);
    }
    // Our settings over Backlog.md's config, before anything that reads them.
    this.forget(b, joinPath(b.root, ATLAS_SETTINGS_FILE), 'settings');
    const settings = this.entryJob(b, b.root, top.get(ATLAS_SETTINGS_FILE), 'settings');
    if (settings) await this.readFile(b, settings.path, settings.kind, undefined, true);
    const plans: ReadJob[] = [];
    for (const name of PLAN_FILES) {
      const job = this.entryJob(b, b.root, top.get(name), classify(name)!.kind);
      if (job) plans.push(job);
    }
    const jobs: ReadJob[] = [];
    const folders = ['tasks', 'drafts', 'completed', 'milestones'].map((dir): [string, DirEntry | undefined] => [dir, top.get(dir)]);
    const archive = top.get('archive');
    if (archive?.kind === 'directory') {
      const inArchive = byName(await this.listFolder(b, joinPath(b.root, 'archive')));
      for (const dir of ['tasks', 'drafts', 'milestones']) folders.push([`archive/${dir}`, inArchive.get(dir)]);
    } else folders.push(['archive', archive]);
    const prefix = b.taskPrefix();
    // Reads that finish together are taken in one turn of the event loop, and a cache hands back
    // many at once: without slices, 64 files' parsing or a folder of 10,000 names was one step.
    const slicer = new Slicer();
    for (const [dir, entry] of folders) {
      if (entry?.kind === 'symlink' || entry?.kind === 'other') this.refuse(b, joinPath(b.root, dir), 'folder', entry);
      if (entry?.kind !== 'directory') continue;
      const at = joinPath(b.root, dir);
      for (const e of await this.listFolder(b, at)) {
        await slicer.maybeYield();
        if (!e.name.endsWith('.md')) continue;
        const cls = classify(`${dir}/${e.name}`, prefix);
        if (!cls) {
          if (e.kind === 'file') this.unreadName(b, joinPath(at, e.name));
          continue;
        }
        const job = this.entryJob(b, at, e, cls.kind, cls.folder, cls.archived);
        if (job) jobs.push(job);
      }
    }
    // Each plan file in a turn of its own, before the items: the yaml library takes 10-30 ms over
    // a sprints.yml of 200 sprints, too long to share a slice with other files' parsing.
    for (const job of plans) {
      await slicer.nextTurn();
      await this.readFile(b, job.path, job.kind, job.folder, true, job.archived);
    }
    if (plans.length > 0) await slicer.nextTurn();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        await slicer.maybeYield();
        if (next >= jobs.length) break;
        const job = jobs[next++];
        await this.readFile(b, job.path, job.kind, job.folder, true, job.archived);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, jobs.length) }, worker));
    b.invalidate();
  }

  /**
   * What a listed entry asks for: a file is to be read; a link or a FIFO is reported here; a
   * folder with a file's name, or nothing, leaves nothing to read.
   */
  private entryJob(b: Backlog, dir: string, entry: DirEntry | undefined, kind: FileKind, folder?: ItemFolder, archived?: boolean): ReadJob | undefined {
    if (entry === undefined) return undefined;
    // A listed name is one path segment: joined without joinPath's normalising, which was a
    // tenth of a cached build of 10,000 items.
    const plain = dir !== '/' && entry.name !== '' && entry.name !== '.' && entry.name !== '..' && !entry.name.includes('/');
    const path = plain ? `${dir}/${entry.name}` : joinPath(dir, entry.name);
    if (entry.kind === 'file') return { path, kind, folder, archived };
    if (entry.kind === 'symlink' || entry.kind === 'other') this.refuse(b, path, kind, entry);
    return undefined;
  }

  /** A folder's entries; one that is there but may not be read gets a diagnostic and lists nothing. */
  private async listFolder(b: Backlog, dir: string): Promise<DirEntry[]> {
    try {
      return await this.ws.list(dir);
    } catch (e) {
      if (!(e instanceof ReadRefused)) throw e;
      this.refuse(b, dir, 'folder', e);
      return [];
    }
  }

  /** Records a Markdown file of an item folder whose name no tool reads, with the warning that says so. */
  private unreadName(b: Backlog, path: string): void {
    const problem = unreadNameProblem(path.slice(b.root.length + 1), b.taskPrefix());
    if (problem === undefined) return;
    this.forget(b, path, 'item');
    b.files.set(path, { path, kind: 'item', hash: 'unread-name', diagnostics: [{ ...fileDiag(path, 'unread-file-name', problem), severity: 'warning' }] });
  }

  /** Records a file or folder that is not read, with the diagnostic that says why. */
  private refuse(b: Backlog, path: string, kind: FileKind, why: DirEntry | ReadRefused): void {
    const refusal = why instanceof ReadRefused ? why : why.kind === 'symlink' ? { reason: 'symlink' as const } : { reason: 'not-a-regular-file' as const, detail: why.what };
    this.forget(b, path, kind);
    b.files.set(path, { path, kind, hash: `refused-${refusal.reason}`, diagnostics: [refusalDiagnostic(path, kind, refusal)] });
  }

  /**
   * Reads and parses one file into the backlog, replacing what it held for that path. `listed`
   * says a folder listing just reported it as a file, which saves a stat per file on a build.
   */
  private async readFile(b: Backlog, path: string, kind: FileKind, folder?: ItemFolder, listed = false, archived = false): Promise<boolean> {
    // Read first, then replace the old record in one synchronous step, so that nobody reading
    // the index while the file is being read sees the item missing.
    const cache = kind === 'item' || kind === 'sprints' || kind === 'releases' ? this.options.cache?.(b.root) : undefined;
    let bytes: Uint8Array;
    try {
      if (cache && listed && (kind === 'sprints' || kind === 'releases')) {
        // A plan file unchanged since the cache kept it: its value as parsed then, unless the
        // cache's copy is not of the shape the parser gives (then the file is read).
        const hit = await cache.lookup(path, CACHED_PLANS[kind]);
        const plan = hit && (kind === 'sprints' ? restoreSprints(hit) : restoreReleases(hit, path));
        if (hit && plan) {
          this.forget(b, path, kind);
          if (kind === 'sprints') b.sprints = plan as Sprint[];
          else b.releasesFile = plan as Release[];
          b.files.set(path, { path, kind, hash: hit.hash, diagnostics: restoreDiagnostics(hit, path) });
          return true;
        }
      } else if (cache && listed) {
        // An item file unchanged since the cache kept it is not read: its record comes back as
        // parsed then. Only on a build, where the listing says it is a regular file.
        const hit = await cache.lookup(path, itemContext(b));
        if (hit) {
          this.forget(b, path, kind);
          const item = restoreItem(hit, path, b.root, folder ?? 'tasks');
          b.files.set(path, { path, kind, hash: hit.hash, diagnostics: restoreDiagnostics(hit, path), itemKey: item?.key });
          if (item) addItem(b, item);
          return true;
        }
      }
      if (cache && !listed) {
        // A changed file is read again whatever the cache says, but looked up first: the cache
        // notes the file's stamp before the read, so that what `store` keeps after it is filed
        // under the file as it was before it was read (a write in between makes it a miss).
        await cache.lookup(path, itemContext(b));
      }
      if (!listed) {
        // A FIFO or a link gets as far as the read, which refuses it and says why; a file in a
        // folder that is a link (an editor may have it open) is not the backlog's.
        const st = await this.ws.stat(path);
        if (st === undefined || st.kind === 'directory' || this.inRefusedFolder(b, path)) {
          this.forget(b, path, kind);
          return true;
        }
      }
      bytes = await this.ws.read(path, { maxBytes: READ_LIMITS[kind] });
    } catch (e) {
      if (e instanceof ReadRefused) this.refuse(b, path, kind, e);
      else this.forget(b, path, kind); // Gone between listing and reading.
      return true;
    }
    const decoded = decodeText(bytes);
    const hash = decoded.ok ? contentHash(decoded.value.text) : `bytes-${bytes.byteLength}`;
    // A change reported again (two watchers hear each write), or a save that wrote the same text:
    // the record is what it would be, and nobody need hear of it.
    const held = b.files.get(path);
    if (!listed && kind !== 'config' && kind !== 'settings' && held?.hash === hash && held.kind === kind) return false;
    this.forget(b, path, kind);
    const record: FileRecord = { path, kind, hash, diagnostics: [] };
    switch (kind) {
      case 'config': {
        const r = parseConfig(path, bytes, basename(b.folder));
        b.config = r.config;
        b.configPath = path;
        record.diagnostics = r.diagnostics;
        break;
      }
      case 'settings': {
        const r = parseAtlasSettings(path, bytes, b.config);
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
        if (cache) {
          const kept = toCachedFile(hash, r.diagnostics, r.item, r);
          if (kept) cache.store(path, itemContext(b), kept);
        }
        break;
      }
      case 'sprints': {
        const r = parseSprints(path, bytes);
        b.sprints = r.value;
        record.diagnostics = r.diagnostics;
        cache?.store(path, CACHED_PLANS.sprints, { hash, diagnostics: r.diagnostics, plan: r.value });
        break;
      }
      case 'releases': {
        const r = parseReleases(path, bytes);
        b.releasesFile = r.value;
        record.diagnostics = r.diagnostics;
        cache?.store(path, CACHED_PLANS.releases, { hash, diagnostics: r.diagnostics, plan: r.value });
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
        if (r.value) b.milestones.set(path, archived ? { ...r.value, archived } : r.value);
        record.diagnostics = r.diagnostics;
        break;
      }
    }
    b.files.set(path, record);
    return true;
  }

  private inRefusedFolder(b: Backlog, path: string): boolean {
    const parent = dirname(path);
    return b.files.get(parent)?.kind === 'folder' || b.files.get(dirname(parent))?.kind === 'folder';
  }

  private forget(b: Backlog, path: string, kind: FileKind): void {
    const old = b.files.get(path);
    b.files.delete(path);
    if (kind === 'config') {
      b.config = defaultConfig(basename(b.folder));
      b.configPath = undefined;
    }
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

/**
 * What an item file's parse depends on besides its bytes and path: the root and the parts of the
 * config that `parseItemFile` reads. A cached item is taken only under the same context.
 */
function itemContext(b: Backlog): string {
  const c = b.config;
  let context = contexts.get(c)?.get(b.root);
  if (context === undefined) {
    context = JSON.stringify([b.root, c.statuses, c.defaultStatus, c.types, c.priorities, c.estimateScale.map(String)]);
    const byRoot = contexts.get(c) ?? new Map<string, string>();
    byRoot.set(b.root, context);
    contexts.set(c, byRoot);
  }
  return context;
}

/** Each config's contexts by root, made once: every item file of a build asks. */
const contexts = new WeakMap<BacklogConfig, Map<string, string>>();

/** A file the index is to read, and what it holds. */
interface ReadJob {
  path: string;
  kind: FileKind;
  folder?: ItemFolder;
  /** A milestone in archive/milestones/. */
  archived?: boolean;
}

function byName(entries: DirEntry[]): Map<string, DirEntry> {
  return new Map(entries.map((e) => [e.name, e]));
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
