// Watches a set of folders on the local disk, each without recursing, with Node's `fs.watch`.
//
// Why, beside VS Code's own watcher: on Linux that watcher (@parcel/watcher over inotify) adds a
// watch for a new folder only when it hears of it, so a folder made together with its parent
// (`mkdir -p backlog/archive/drafts`, as `backlog init` and `git checkout` make them) is now and
// then never watched, and nothing in it is reported until the window is reloaded
// (parcel-bundler/watcher#97, microsoft/vscode#142694). VS Code's watchers that do not recurse do
// not help: one whose folder is missing waits for that same recursive watcher to report the
// folder. Here a folder of the set that appears in a watched parent is watched at once, before
// it is reported, and the report makes the index read it: what was written into it before the
// watch is found by that read, and everything after by the watch.
import { FSWatcher, lstatSync, watch } from 'fs';
import * as nodePath from 'path';

/** What changed: a path in a watched folder (a file, or a folder of the set that came or went). */
export interface FolderChange {
  path: string;
  kind: 'changed' | 'created' | 'deleted';
}

export class FolderWatcher {
  /** Every folder of the set, watched or not (missing ones wait for their parent to report them). */
  private readonly folders: ReadonlySet<string>;
  /** Each watched folder's watch, and the inode it was started on. */
  private readonly watchers = new Map<string, { w: FSWatcher; ino: number }>();
  private disposed = false;

  /**
   * `folders` are absolute paths; a folder's parent should be in the set too when the folder may
   * appear later (a backlog root and its item folders are). Links are not followed: a link where
   * a folder should be is not watched (the index refuses it anyway).
   */
  constructor(
    folders: Iterable<string>,
    private readonly onChange: (change: FolderChange) => void,
  ) {
    this.folders = new Set([...folders].map((f) => nodePath.resolve(f)));
    for (const folder of this.folders) this.start(folder);
  }

  /** The folders being watched now, for tests. */
  watching(): string[] {
    return [...this.watchers.keys()];
  }

  dispose(): void {
    this.disposed = true;
    for (const { w } of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Watches `folder` if it is a directory (not a link); true when it is watched. */
  private start(folder: string): boolean {
    if (this.disposed) return false;
    if (this.watchers.has(folder)) return true;
    const ino = directoryInode(folder);
    if (ino === undefined) return false;
    let w: FSWatcher;
    try {
      // Not persistent: a watcher never keeps a process (a test, say) alive.
      w = watch(folder, { persistent: false }, (_event, name) => this.heard(folder, name));
    } catch {
      return false; // Gone meanwhile, or no permission: nothing to watch.
    }
    // The watch broke: forgotten; the folder's parent reports it if it comes back.
    w.on('error', () => this.stop(folder, w));
    this.watchers.set(folder, { w, ino });
    return true;
  }

  private stop(folder: string, w?: FSWatcher): void {
    const was = this.watchers.get(folder);
    if (!was || (w && was.w !== w)) return;
    this.watchers.delete(folder);
    was.w.close();
  }

  private heard(folder: string, name: string | Buffer | null): void {
    if (this.disposed) return;
    // No name (some platforms): something in the folder changed, so the folder is reported.
    const path = name === null ? folder : nodePath.join(folder, name.toString());
    if (path === folder) {
      if (directoryInode(folder) !== this.watchers.get(folder)?.ino) this.stop(folder);
      this.onChange({ path, kind: 'changed' });
      return;
    }
    if (!this.folders.has(path)) {
      this.onChange({ path, kind: 'changed' });
      return;
    }
    // A folder of the set came, went, or went and came back (another inode) between two events.
    const ino = directoryInode(path);
    const was = this.watchers.get(path);
    if (was && was.ino === ino) return; // Its times or mode changed: nothing the index reads.
    if (ino === undefined) {
      if (!was) return;
      for (const folder of this.folders) if (isUnder(folder, path)) this.stop(folder);
      this.onChange({ path, kind: 'deleted' });
      return;
    }
    // It and the folders of the set in it (`mkdir -p` makes them together) are watched before
    // anyone hears of them: what is written there from now on is reported, and the index reads
    // what was written before.
    for (const folder of this.folders) {
      if (!isUnder(folder, path) || (folder !== path && this.watchers.get(folder)?.ino === directoryInode(folder))) continue;
      this.stop(folder);
      this.start(folder);
    }
    this.onChange({ path, kind: 'created' });
  }
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + nodePath.sep);
}

/** The inode of a directory (not a link to one), or undefined when there is none. */
function directoryInode(path: string): number | undefined {
  try {
    const st = lstatSync(path);
    return st.isDirectory() ? st.ino : undefined;
  } catch {
    return undefined;
  }
}
