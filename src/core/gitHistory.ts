// Reading a backlog's past from git, without git: this module parses what
// `git log --raw -z` and `git cat-file --batch` print and turns the item files' versions into a
// Timeline. The adapter (src/vscode/gitHistoryReader.ts) runs the processes and streams their
// output here, so the parsing is tested in plain Node and never needs a repository.

import { Backlog } from './backlog';
import { classify } from './backlogIndex';
import { HistoryEntry, ItemSnapshot, snapshotOf, Timeline } from './history';
import { parseItemFile } from './itemFile';
import { ItemFolder } from './types';

/** The record separator the adapter asks `git log` to print before each commit. */
export const COMMIT_MARK = '\x1e';
/** `git log` arguments after `log`: oldest first, the branch's own line, one record per commit. */
export function gitLogArgs(maxCommits: number, pathspec: string): string[] {
  return ['log', '--first-parent', `--max-count=${maxCommits}`, '--reverse', `--format=${COMMIT_MARK}%H %ct`, '--raw', '-z', '--no-renames', '--no-abbrev', '--', pathspec];
}

export interface GitFileChange {
  /** A, M, D, T…: git's status letter. */
  status: string;
  /** The file's blob after the commit (all zeros when deleted). */
  blob: string;
  /** Path from the repository's top, as git prints it (-z: no quoting). */
  path: string;
}

export interface GitCommit {
  hash: string;
  /** Committer time, seconds since the epoch. */
  time: number;
  changes: GitFileChange[];
}

const NO_BLOB = /^0+$/;

/**
 * Parses `git log --format=<COMMIT_MARK>%H %ct --raw -z --no-renames`. Anything it does not
 * understand is skipped, so odd output costs a commit, never the whole history.
 */
export function parseGitLog(text: string): GitCommit[] {
  const out: GitCommit[] = [];
  for (const record of text.split(COMMIT_MARK)) {
    if (record === '') continue;
    const fields = record.split('\0');
    const head = /^([0-9a-f]{40,64}) (\d+)$/.exec(fields[0].trim());
    if (!head) continue;
    const commit: GitCommit = { hash: head[1], time: Number(head[2]), changes: [] };
    // Then pairs: ":<mode> <mode> <blob> <blob> <status>" and the path.
    for (let i = 1; i + 1 < fields.length; i += 2) {
      const meta = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ([A-Z])\d*$/.exec(fields[i].trim());
      if (!meta) {
        i -= 1;
        continue;
      }
      commit.changes.push({ status: meta[2], blob: meta[1], path: fields[i + 1] });
    }
    out.push(commit);
  }
  return out;
}

/** One object `git cat-file --batch` printed: its content, or undefined when it is missing. */
export interface CatFileObject {
  sha: string;
  content?: Uint8Array;
}

/**
 * Splits the stream of `git cat-file --batch` (`<sha> <type> <size>\n<content>\n`, or
 * `<sha> missing\n`) into objects, whatever the chunk boundaries.
 */
export class CatFileParser {
  private buffer = new Uint8Array(0);

  constructor(private readonly onObject: (o: CatFileObject) => void) {}

  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    let at = 0;
    for (;;) {
      const nl = joined.indexOf(10, at);
      if (nl < 0) break;
      const header = new TextDecoder().decode(joined.subarray(at, nl));
      const missing = /^(\S+) (?:missing|ambiguous)$/.exec(header);
      if (missing) {
        this.onObject({ sha: missing[1] });
        at = nl + 1;
        continue;
      }
      const m = /^(\S+) (\S+) (\d+)$/.exec(header);
      if (!m) {
        // Not a header: the stream is out of step; drop the line rather than misread the rest.
        at = nl + 1;
        continue;
      }
      const size = Number(m[3]);
      const end = nl + 1 + size;
      if (end + 1 > joined.length) break;
      this.onObject({ sha: m[1], content: joined.slice(nl + 1, end) });
      at = end + 1;
    }
    this.buffer = joined.slice(at);
  }
}

/** An item file's place in the history: where it is under the backlog root decides its folder. */
export function itemFolderOf(path: string, rootPrefix: string): ItemFolder | undefined {
  if (!path.startsWith(rootPrefix)) return undefined;
  const cls = classify(path.slice(rootPrefix.length));
  return cls?.kind === 'item' ? cls.folder : undefined;
}

/** The blobs a history needs, each with the folders it was seen in (a move to completed/ keeps the blob). */
export function blobsToRead(commits: GitCommit[], rootPrefix: string, limit: number): Map<string, Set<ItemFolder>> {
  const out = new Map<string, Set<ItemFolder>>();
  for (const c of commits) {
    for (const ch of c.changes) {
      if (ch.status === 'D' || NO_BLOB.test(ch.blob)) continue;
      const folder = itemFolderOf(ch.path, rootPrefix);
      if (!folder) continue;
      const set = out.get(ch.blob) ?? new Set<ItemFolder>();
      if (set.size === 0 && out.size >= limit) continue;
      set.add(folder);
      out.set(ch.blob, set);
    }
  }
  return out;
}

/** The snapshot of one version of an item file, or undefined when that version does not parse. */
export function snapshotOfBlob(backlog: Backlog, path: string, folder: ItemFolder, bytes: Uint8Array): ItemSnapshot | undefined {
  const { item } = parseItemFile(path, bytes, { root: backlog.root, folder, config: backlog.config });
  return item ? snapshotOf(backlog, item) : undefined;
}

/**
 * Replays the commits, oldest first, into each item's versions. Items are matched by id, so a
 * rename or a move to completed/ is one item; a file deleted in a commit that adds its id
 * elsewhere is a move, not a deletion. `snapshots` maps `blob\0folder` to what that version held.
 * `complete` says the commits go back to the first: only then is a file's first appearance the
 * item's creation (in a cut history it may be a move of an item created before the cut).
 */
export function replayHistory(commits: GitCommit[], rootPrefix: string, snapshots: Map<string, ItemSnapshot | undefined>, dayOf: (time: number) => string, complete = true): Timeline {
  const timeline: Timeline = new Map();
  const keyAt = new Map<string, string>();
  // How many paths hold each id now, so that a deletion of one copy is not the item's end.
  const paths = new Map<string, number>();
  const setPath = (path: string, key: string | undefined) => {
    const old = keyAt.get(path);
    if (old !== undefined) paths.set(old, (paths.get(old) ?? 1) - 1);
    if (key === undefined) keyAt.delete(path);
    else {
      keyAt.set(path, key);
      paths.set(key, (paths.get(key) ?? 0) + 1);
    }
  };
  let lastTime = -Infinity;
  const push = (key: string, entry: HistoryEntry) => {
    const list = timeline.get(key) ?? [];
    list.push(entry);
    timeline.set(key, list);
  };
  for (const c of commits) {
    // Committer times can go backwards (rebases, skewed clocks); the branch's order wins.
    lastTime = Math.max(lastTime, c.time);
    const date = dayOf(lastTime);
    const present = new Set<string>();
    const deletedKeys: string[] = [];
    for (const ch of c.changes) {
      const folder = itemFolderOf(ch.path, rootPrefix);
      if (!folder) continue;
      const previous = keyAt.get(ch.path);
      if (ch.status === 'D' || NO_BLOB.test(ch.blob)) {
        setPath(ch.path, undefined);
        if (previous !== undefined) deletedKeys.push(previous);
        continue;
      }
      const snap = snapshots.get(`${ch.blob}\0${folder}`);
      if (!snap) {
        // A version that does not parse (or was not read) says nothing; the file keeps its id.
        continue;
      }
      setPath(ch.path, snap.key);
      present.add(snap.key);
      if (previous !== undefined && previous !== snap.key) deletedKeys.push(previous);
      // A file added here, for an id never seen before: the item was created in this commit.
      const created = complete && ch.status === 'A' && !timeline.has(snap.key) ? true : undefined;
      push(snap.key, { date, snapshot: snap, fromHistory: true, created });
    }
    for (const key of deletedKeys) {
      if (present.has(key) || (paths.get(key) ?? 0) > 0) continue;
      push(key, { date, snapshot: undefined, fromHistory: true });
    }
  }
  return timeline;
}

/** A local calendar day for a commit time: the day the team saw it happen. */
export function localDay(time: number): string {
  const d = new Date(time * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
