import * as vscode from 'vscode';
import { BacklogWorkspace, basename, ChangeKind, DirEntry, Disposable, FileStat, isUnder, joinPath, ReadOptions, ReadRefused, WorkspaceChange } from '../../core/workspace';
import { ITEM_FOLDERS, ROOT_CONFIG } from '../../core/backlogIndex';
import { FolderWatcher } from '../../node/folderWatcher';
import { checkRegularFile, listFolder, readRegularFile, statPath } from '../../node/safeRead';

/**
 * How long the watcher waits for more events before handing a batch to the index. VS Code's
 * file watcher hands events over in chunks of at most 500 every 200 ms (`ThrottledWorker` in
 * microsoft/vscode src/vs/platform/files/node/watcher/parcel/parcelWatcher.ts), so a shorter
 * wait would cut every big checkout into chunks that each stay under the burst threshold.
 */
export const WATCH_DEBOUNCE_MS = 250;
/**
 * A batch bigger than this (a git checkout, a branch switch) is answered with one full rescan:
 * re-reading thousands of files one change at a time is slower and floods the index with events.
 */
export const BURST_THRESHOLD = 500;
/**
 * Changes are counted over this sliding window, not per batch: on a loaded machine the watcher's
 * chunks of a checkout can arrive further apart than the debounce, and a burst split into small
 * batches would otherwise be read file by file.
 */
export const BURST_WINDOW_MS = 3000;

/** The folder names the core searches every workspace folder for. */
const ROOT_GLOB = '**/{backlog,.backlog}/**';

/**
 * The core's `BacklogWorkspace` over `vscode.workspace.fs`. Core paths are `uri.path`; each
 * workspace folder's scheme and authority are kept, so virtual and remote workspaces work.
 * Reads return the text of an open document, so the index and the writer see unsaved edits.
 */
export class VscodeWorkspace implements BacklogWorkspace, vscode.Disposable {
  /** Folder path -> folder Uri, longest path first so that nested folders win. */
  private folders: [string, vscode.Uri][] = [];
  /** Folder paths in VS Code's order: the index searches them in this order. */
  private folderOrder: string[] = [];
  /** Extra roots from each folder's `backlogAtlas.roots`, relative to that folder, by folder path. */
  private extraRoots: Readonly<Record<string, readonly string[]>> = {};
  /**
   * Roots the index found that neither `backlog/`, `.backlog/` nor a setting names: a project's
   * `backlog.config.yml` can put its backlog in any folder (`backlog_directory`), as Backlog.md
   * reads it. Watched and read like the others.
   */
  private foundRoots: readonly string[] = [];
  /** Every root the index read, whose folders are also watched one by one (see `watchedFolders`). */
  private indexedRoots: readonly string[] = [];
  private readonly sessions = new Set<WatchSession>();
  private readonly rescan = new vscode.EventEmitter<void>();
  /** Fires when a burst of changes should be answered with a full rebuild instead of a batch. */
  readonly onDidRequestRescan = this.rescan.event;

  constructor(folders: readonly vscode.WorkspaceFolder[] | undefined, private readonly log: vscode.LogOutputChannel) {
    this.setFolders(folders);
  }

  setFolders(folders: readonly vscode.WorkspaceFolder[] | undefined): void {
    this.folderOrder = (folders ?? []).map((f) => f.uri.path);
    this.folders = (folders ?? []).map((f): [string, vscode.Uri] => [f.uri.path, f.uri]).sort((a, b) => b[0].length - a[0].length);
    for (const s of this.sessions) s.refreshWatchers();
  }

  /** Extra backlog roots, relative to their workspace folder, by folder path. */
  setExtraRoots(roots: Readonly<Record<string, readonly string[]>>): void {
    this.extraRoots = roots;
    for (const s of this.sessions) s.refreshWatchers();
  }

  /** The roots the index found; the ones no glob or setting covers get watchers of their own. */
  setIndexedRoots(roots: readonly string[]): void {
    const found = roots.filter((r) => {
      const folder = this.folders.find(([fp]) => isUnder(r, fp));
      return folder !== undefined && !this.coveredRoot(folder[0], r);
    });
    if (found.join('\0') === this.foundRoots.join('\0') && roots.join('\0') === this.indexedRoots.join('\0')) return;
    const added = found.some((r) => !this.foundRoots.includes(r));
    this.foundRoots = found;
    this.indexedRoots = [...roots];
    for (const s of this.sessions) s.refreshWatchers();
    // A file written there between the read that found the root and these watchers was seen by
    // no one: one more read of everything catches it (found roots are rare, so is this).
    if (added) this.rescan.fire();
  }

  /** Workspace folder paths in the order VS Code lists them, for `IndexOptions.folders`. */
  folderPaths(): string[] {
    return [...this.folderOrder];
  }

  getExtraRoots(): Readonly<Record<string, readonly string[]>> {
    return this.extraRoots;
  }

  /** The Uri of a core path, in the scheme and authority of the workspace folder holding it. */
  toUri(path: string): vscode.Uri {
    const folder = this.folders.find(([fp]) => isUnder(path, fp)) ?? this.folders[0];
    return folder ? folder[1].with({ path, query: '', fragment: '' }) : vscode.Uri.file(path);
  }

  /** The core path of a Uri, or undefined when it lies in none of the workspace folders. */
  toPath(uri: vscode.Uri): string | undefined {
    const folder = this.folders.find(([fp, f]) => f.scheme === uri.scheme && f.authority === uri.authority && isUnder(uri.path, fp));
    return folder ? uri.path : undefined;
  }

  /**
   * True for paths the index reads: in a folder's `backlog/` or `.backlog/`, or a configured
   * root. The watcher's glob also matches a `backlog` folder deeper down (`src/backlog/`), and
   * the index would answer each change there with a full rebuild, so those are dropped here.
   */
  isBacklogPath(path: string): boolean {
    const folder = this.folders.find(([fp]) => isUnder(path, fp));
    if (!folder) return false;
    return this.coveredRoot(folder[0], path) || this.foundRoots.some((r) => isUnder(path, r));
  }

  /** Whether a path lies in `backlog/`, `.backlog/` or a configured root of its folder. */
  private coveredRoot(folderPath: string, path: string): boolean {
    return ['backlog', '.backlog', ...(this.extraRoots[folderPath] ?? [])].some((r) => isUnder(path, joinPath(folderPath, r)));
  }

  /** The open, not yet closed document for a Uri, if any. */
  openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
  }

  async list(dir: string): Promise<DirEntry[]> {
    const uri = this.toUri(dir);
    // Files on disk are listed and read with Node's fs, not through `vscode.workspace.fs`,
    // whose every call is a message to the workbench and back: in the test host 10,000 items
    // took 3.4 s to index through it and 2.0 s this way (`npm run bench:startup`). Links are
    // named as links, not followed (src/node/safeRead.ts). Other schemes (virtual workspaces)
    // use VS Code's API, and writes always do (EditApplier), so editors, undo and the Problems
    // panel follow.
    if (uri.scheme === 'file') return listFolder(uri.fsPath);
    // Most backlogs lack some of the folders the index looks in. Reading a missing folder would
    // work (it throws and we return []), but the extension host logs each failure with a stack.
    if ((await this.stat(dir))?.kind !== 'directory') return [];
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(this.toUri(dir));
    } catch {
      return [];
    }
    return entries.map(([name, type]) => ({ name, kind: kindOf(type) }));
  }

  async read(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const uri = this.toUri(path);
    const doc = this.openDocument(uri);
    // Only unsaved text is taken from the editor. A clean document can lag behind the disk (VS
    // Code keeps closed documents for a while and reloads them later), so the disk is the truth.
    // The document drops the BOM; the core hashes text without it, so both sides agree.
    if (doc?.isDirty) {
      // An editor open on a link still edits a link: refused as the file on disk would be.
      if (uri.scheme === 'file') await checkRegularFile(uri.fsPath);
      return capped(new TextEncoder().encode(doc.getText()), options.maxBytes);
    }
    // Never blocks on a FIFO, never follows a link, never reads past the limit.
    if (uri.scheme === 'file') return readRegularFile(uri.fsPath, options.maxBytes);
    return capped(await vscode.workspace.fs.readFile(uri), options.maxBytes);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const uri = this.toUri(path);
    if (uri.scheme === 'file') return statPath(uri.fsPath);
    try {
      const st = await vscode.workspace.fs.stat(this.toUri(path));
      // Links followed, as stat does on disk: a link's type carries its target's bits too.
      const kind = st.type & vscode.FileType.Directory ? 'directory' : st.type & vscode.FileType.File ? 'file' : 'other';
      return { kind, size: st.size };
    } catch {
      return undefined;
    }
  }

  watch(listener: (changes: WorkspaceChange[]) => void): Disposable {
    const session = new WatchSession(this, listener, () => this.rescan.fire(), this.log);
    this.sessions.add(session);
    return {
      dispose: () => {
        this.sessions.delete(session);
        session.dispose();
      },
    };
  }

  /** Hands every pending batch to its listener now, so that a write starts from current text. */
  flush(): void {
    for (const s of this.sessions) s.flush();
  }

  /** The folders and relative roots watchers are created for. */
  watchTargets(): { folder: vscode.Uri; roots: readonly string[] }[] {
    return this.folders.map(([path, folder]) => ({ folder, roots: this.extraRoots[path] ?? [] }));
  }

  /**
   * The folders on the local disk whose files the index reads, in every root it read, as file
   * system paths: each is also watched alone (src/node/folderWatcher.ts says why). On Linux only:
   * the miss is inotify's (macOS and Windows watch a tree natively), and on Windows a watched
   * folder that is deleted cannot be made again until its watch is closed, which could fail a
   * `git checkout`.
   */
  watchedFolders(): string[] {
    if (process.platform !== 'linux') return [];
    return this.indexedRoots
      .flatMap((root) => [root, ...ITEM_FOLDERS.map((f) => joinPath(root, f))])
      .map((path) => this.toUri(path))
      .filter((uri) => uri.scheme === 'file')
      .map((uri) => uri.fsPath);
  }

  /** The folder names of the roots only the index found (see `foundRoots`), for the watchers' globs. */
  foundRootNames(): string[] {
    return [...new Set(this.foundRoots.map((r) => basename(r)))];
  }

  dispose(): void {
    for (const s of this.sessions) s.dispose();
    this.sessions.clear();
    this.rescan.dispose();
  }
}

function capped(bytes: Uint8Array, maxBytes: number | undefined): Uint8Array {
  if (maxBytes !== undefined && bytes.byteLength > maxBytes) throw new ReadRefused('too-large', undefined, bytes.byteLength);
  return bytes;
}

function kindOf(type: vscode.FileType): DirEntry['kind'] {
  // Links carry their target's type too; a link in a backlog is reported, not followed.
  if (type & vscode.FileType.SymbolicLink) return 'symlink';
  if (type & vscode.FileType.Directory) return 'directory';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

/** One `watch()` call: file watchers plus open-document changes, batched and debounced. */
class WatchSession implements vscode.Disposable {
  private readonly pending = new Map<string, ChangeKind>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private overflowed = false;
  /**
   * The paths changed within the burst window, each with when it last changed, oldest first. By
   * path, since two watchers may report one change (see `refreshWatchers`).
   */
  private recent = new Map<string, number>();
  private fixed: vscode.Disposable[] = [];
  private extra: vscode.Disposable[] = [];
  private folders: FolderWatcher | undefined;

  constructor(
    private readonly ws: VscodeWorkspace,
    private readonly listener: (changes: WorkspaceChange[]) => void,
    private readonly requestRescan: () => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const roots = vscode.workspace.createFileSystemWatcher(ROOT_GLOB);
    this.fixed.push(roots, ...this.hook(roots));
    // A project's backlog.config.yml decides where its backlog is and how it reads: any change
    // to it is answered by reading everything again (it changes seldom).
    const rootConfig = vscode.workspace.createFileSystemWatcher(`**/${ROOT_CONFIG}`);
    const onRootConfig = (uri: vscode.Uri) => {
      const path = this.ws.toPath(uri);
      if (path !== undefined && this.ws.folderPaths().some((f) => joinPath(f, ROOT_CONFIG) === path)) this.requestRescan();
    };
    this.fixed.push(rootConfig, rootConfig.onDidCreate(onRootConfig), rootConfig.onDidChange(onRootConfig), rootConfig.onDidDelete(onRootConfig));
    this.fixed.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        // An empty change list is a save or a dirty-flag flip: the text the index holds is still right.
        if (e.contentChanges.length > 0) this.addUri(e.document.uri, 'changed');
      }),
      // Closing a dirty document throws its text away: the index must go back to the disk's.
      vscode.workspace.onDidCloseTextDocument((d) => this.addUri(d.uri, 'changed')),
    );
    this.refreshWatchers();
  }

  /** Recreates the watchers for configured and found roots; the `backlog/` glob covers every folder. */
  refreshWatchers(): void {
    for (const d of this.extra) d.dispose();
    this.extra = [];
    for (const { folder, roots } of this.ws.watchTargets()) {
      for (const root of roots) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(folder, root), '**'));
        this.extra.push(w, ...this.hook(w));
      }
    }
    // A plain glob, as for backlog/: VS Code answers it from the workspace's own watcher, at once,
    // where a watcher of a folder of its own can miss what happens while it starts. Paths are
    // filtered by `isBacklogPath`, so another folder of the same name is not read.
    for (const name of this.ws.foundRootNames()) {
      const w = vscode.workspace.createFileSystemWatcher(`**/${name}/**`);
      this.extra.push(w, ...this.hook(w));
    }
    // What VS Code's recursive watcher may never report (src/node/folderWatcher.ts). A change
    // both report is one change to the index (`addUri`).
    this.folders?.dispose();
    this.folders = new FolderWatcher(this.ws.watchedFolders(), (c) => this.addUri(vscode.Uri.file(c.path), c.kind));
  }

  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.deliver();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    for (const d of [...this.fixed, ...this.extra]) d.dispose();
    this.fixed = [];
    this.extra = [];
    this.folders?.dispose();
    this.folders = undefined;
  }

  private hook(w: vscode.FileSystemWatcher): vscode.Disposable[] {
    return [
      w.onDidCreate((uri) => this.addUri(uri, 'created')),
      w.onDidChange((uri) => this.addUri(uri, 'changed')),
      w.onDidDelete((uri) => this.addUri(uri, 'deleted')),
    ];
  }

  private addUri(uri: vscode.Uri, kind: ChangeKind): void {
    const path = this.ws.toPath(uri);
    if (path === undefined || !this.ws.isBacklogPath(path)) return;
    // Once a batch overflows, nothing more is collected (the rescan reads everything), but each
    // event still pushes the timer back so that the rescan runs once, after the burst.
    if (!this.overflowed) {
      const before = this.pending.get(path);
      // A file created and then changed within one batch is still new to the index.
      this.pending.set(path, before === 'created' && kind === 'changed' ? 'created' : kind);
      const now = Date.now();
      for (const [p, at] of this.recent) {
        if (at >= now - BURST_WINDOW_MS) break;
        this.recent.delete(p);
      }
      this.recent.delete(path);
      this.recent.set(path, now);
      if (this.pending.size > BURST_THRESHOLD || this.recent.size > BURST_THRESHOLD) {
        this.overflowed = true;
        this.pending.clear();
      }
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.deliver(), WATCH_DEBOUNCE_MS);
  }

  private deliver(): void {
    this.timer = undefined;
    if (this.overflowed) {
      this.overflowed = false;
      this.recent.clear();
      this.log.info(`More than ${BURST_THRESHOLD} backlog files changed at once; reading everything again.`);
      this.requestRescan();
      return;
    }
    if (this.pending.size === 0) return;
    const changes = [...this.pending].map(([path, kind]) => ({ path, kind }));
    this.pending.clear();
    this.listener(changes);
  }
}
