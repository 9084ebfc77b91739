// Reading a backlog's past from git, without git: this module parses what
// `git log --raw -z` and `git cat-file --batch` print and turns the item files' versions into a
// Timeline. The adapter (src/vscode/panels/gitHistoryReader.ts) runs the processes and streams their
// output here, so the parsing is tested in plain Node and never needs a repository.

import { Backlog } from '../backlog';
import { classify } from '../backlogIndex';
import { HistoryEntry, ItemSnapshot, snapshotOf, Timeline } from './history';
import { parseItemFile } from '../format/itemFile';
import { ItemFolder } from '../types';
import { finish, Slices, Steps } from '../steps';

/**
 * What the adapter asks `git log` to print before each commit: a NUL (`%x00`). With `-z`, every
 * path also ends in a NUL and no path is empty, so an empty field is a commit's start and nothing
 * else: a file name or commit message can hold any other byte (a newline, the `\x1e` this once
 * was), never a NUL. The commit message itself is not printed.
 */
export const COMMIT_MARK = '%x00';
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

const HEAD = /^([0-9a-f]{40,64}) (\d+)$/;
const META = /^\n?:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ([A-Z])\d*$/;

/**
 * Parses `git log --format=%x00%H %ct --raw -z --no-renames`: NUL-separated fields, read by
 * position. An empty field starts a commit (its hash and time come next); then each change is
 * its `:<mode> <mode> <blob> <blob> <status>` field and the path, taken as the next field
 * whatever it holds, so that a file name cannot pass for a commit or a change (a rename or copy,
 * should git print one, has two paths). After a field it cannot read, nothing is read until the
 * next commit starts, so odd output costs the rest of a commit, never the whole history.
 */
export function parseGitLog(text: string): GitCommit[] {
  const out: GitCommit[] = [];
  const fields = text.split('\0');
  let commit: GitCommit | undefined;
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] === '') {
      const head = i + 1 < fields.length ? HEAD.exec(fields[i + 1]) : null;
      commit = head ? { hash: head[1], time: Number(head[2]), changes: [] } : undefined;
      if (commit) {
        out.push(commit);
        i++;
      }
      continue;
    }
    const meta = commit ? META.exec(fields[i]) : null;
    if (!commit || !meta) {
      // Out of step: nothing is read until the next commit starts.
      commit = undefined;
      continue;
    }
    const paths = meta[2] === 'R' || meta[2] === 'C' ? 2 : 1;
    if (i + paths >= fields.length) break;
    commit.changes.push({ status: meta[2], blob: meta[1], path: fields[i + paths] });
    i += paths;
  }
  return out;
}

/** One object `git cat-file --batch` printed: its content, or undefined when it is missing or too big. */
export interface CatFileObject {
  sha: string;
  content?: Uint8Array;
}

/**
 * Splits the stream of `git cat-file --batch` (`<sha> <type> <size>\n<content>\n`, or
 * `<sha> missing\n`) into objects, whatever the chunk boundaries. Work and memory grow with the
 * stream, never with its square: chunks are kept as they come and joined once per object, and an
 * object over `maxBytes` (a 100 MiB file committed by mistake) is counted through, not kept.
 */
export class CatFileParser {
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private current: { sha: string; size: number; got: number; parts: Uint8Array[] | undefined } | undefined;

  constructor(
    private readonly onObject: (o: CatFileObject) => void,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      const cur = this.current;
      if (cur) {
        // The content and its closing newline.
        const take = Math.min(cur.size + 1 - cur.got, chunk.length - at);
        cur.parts?.push(chunk.slice(at, at + take));
        cur.got += take;
        at += take;
        if (cur.got === cur.size + 1) {
          this.current = undefined;
          this.onObject({ sha: cur.sha, content: cur.parts ? joinBytes(cur.parts, cur.size + 1).subarray(0, cur.size) : undefined });
        }
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl < 0) {
        // A header never runs long; a stream that says otherwise is out of step, and dropped.
        if (this.headBytes < 4096) {
          this.head.push(chunk.slice(at));
          this.headBytes += chunk.length - at;
        }
        return;
      }
      const header = new TextDecoder().decode(joinBytes([...this.head, chunk.subarray(at, nl)], this.headBytes + nl - at));
      this.head = [];
      this.headBytes = 0;
      at = nl + 1;
      const missing = /^(\S+) (?:missing|ambiguous)$/.exec(header);
      if (missing) {
        this.onObject({ sha: missing[1] });
        continue;
      }
      const m = /^(\S+) (\S+) (\d+)$/.exec(header);
      // Not a header: drop the line rather than misread the rest.
      if (!m) continue;
      const size = Number(m[3]);
      this.current = { sha: m[1], size, got: 0, parts: size <= this.maxBytes ? [] : undefined };
    }
  }
}

/**
 * Item versions read from `git cat-file`, handed on a slice at a time: each is parsed into a
 * snapshot (its front matter and body), a few hundred µs while the code is cold, and a 64 KB
 * chunk of small item files holds dozens of them. The reader pauses the stream while slices
 * wait, so that what is held stays a chunk or two, and runs one slice per turn of the event loop.
 */
export class BlobSlices {
  private queue: CatFileObject[] = [];
  private at = 0;

  constructor(
    private readonly onBlob: (sha: string, bytes: Uint8Array) => void,
    private readonly perSlice = BLOBS_PER_SLICE,
  ) {}

  /** For CatFileParser: keeps an object with content for the next slices. */
  readonly add = (o: CatFileObject): void => {
    if (o.content) this.queue.push(o);
  };

  /** Whether versions wait for a slice. */
  get pending(): boolean {
    return this.at < this.queue.length;
  }

  /** Hands on one slice of the waiting versions; true while more wait. */
  step(): boolean {
    const end = Math.min(this.queue.length, this.at + this.perSlice);
    for (; this.at < end; this.at++) {
      const o = this.queue[this.at];
      this.onBlob(o.sha, o.content as Uint8Array);
    }
    if (this.at === this.queue.length) {
      this.queue = [];
      this.at = 0;
    }
    return this.pending;
  }
}

/** Item versions per slice: about 10 ms of parsing while the code is cold. */
export const BLOBS_PER_SLICE = 32;

function joinBytes(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An item file's place in the history: where it is under the backlog root decides its folder. */
export function itemFolderOf(path: string, rootPrefix: string): ItemFolder | undefined {
  if (!path.startsWith(rootPrefix)) return undefined;
  const cls = classify(path.slice(rootPrefix.length));
  return cls?.kind === 'item' ? cls.folder : undefined;
}

/**
 * The blobs a history needs, each with the folders it was seen in (a move to completed/ keeps the
 * blob). Past `limit`, the newest versions are kept: they matter most to the charts of today.
 */
export function blobsToRead(commits: GitCommit[], rootPrefix: string, limit: number): { blobs: Map<string, Set<ItemFolder>>; cut: boolean } {
  const blobs = new Map<string, Set<ItemFolder>>();
  let cut = false;
  for (let i = commits.length - 1; i >= 0; i--) {
    for (const ch of commits[i].changes) {
      if (ch.status === 'D' || NO_BLOB.test(ch.blob)) continue;
      const folder = itemFolderOf(ch.path, rootPrefix);
      if (!folder) continue;
      const set = blobs.get(ch.blob) ?? new Set<ItemFolder>();
      if (set.size === 0 && blobs.size >= limit) {
        cut = true;
        continue;
      }
      set.add(folder);
      blobs.set(ch.blob, set);
    }
  }
  return { blobs, cut };
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
  const replay = new HistoryReplay(rootPrefix, snapshots, dayOf, complete);
  replay.add(commits);
  return replay.timeline;
}

/**
 * `replayHistory` a slice at a time, so that the caller can yield between slices: 2,000 commits
 * of a 10,000-item backlog take 40–60 ms in one go, too long to hold the extension host.
 */
export class HistoryReplay {
  readonly timeline: Timeline = new Map();
  private readonly keyAt = new Map<string, string>();
  /** How many paths hold each id now, so that a deletion of one copy is not the item's end. */
  private readonly paths = new Map<string, number>();
  private lastTime = -Infinity;
  /** Whether a commit so far held an item file: the first one that does brought the backlog in. */
  private sawItems = false;

  constructor(
    private readonly rootPrefix: string,
    private readonly snapshots: Map<string, ItemSnapshot | undefined>,
    private readonly dayOf: (time: number) => string,
    private readonly complete = true,
  ) {}

  /** Replays the next commits, oldest first. */
  add(commits: GitCommit[]): void {
    finish(this.addSteps(commits));
  }

  /**
   * `add` in steps (core/steps.ts): a slice of changed files at a time, within a commit too: the
   * commit that brought a 10,000-item backlog in is 25 ms of work alone.
   */
  *addSteps(commits: GitCommit[], slices = new Slices()): Steps<void> {
    for (const c of commits) {
      // A commit weighs as much as a file: most hold a few, and each has its own bookkeeping.
      if (slices.count()) yield;
      yield* this.commit(c, slices);
    }
    if (slices.close()) yield;
  }

  private setPath(path: string, key: string | undefined): void {
    const old = this.keyAt.get(path);
    if (old !== undefined) this.paths.set(old, (this.paths.get(old) ?? 1) - 1);
    if (key === undefined) this.keyAt.delete(path);
    else {
      this.keyAt.set(path, key);
      this.paths.set(key, (this.paths.get(key) ?? 0) + 1);
    }
  }

  private push(key: string, entry: HistoryEntry): void {
    const list = this.timeline.get(key);
    if (list) list.push(entry);
    else this.timeline.set(key, [entry]);
  }

  private *commit(c: GitCommit, slices: Slices): Steps<void> {
    // Committer times can go backwards (rebases, skewed clocks); the branch's order wins.
    this.lastTime = Math.max(this.lastTime, c.time);
    const date = this.dayOf(this.lastTime);
    const present = new Set<string>();
    const deletedKeys: string[] = [];
    const bringsBacklog = !this.sawItems;
    for (const ch of c.changes) {
      // Counted before the file is replayed: several paths below go on to the next one.
      if (slices.count()) yield;
      const folder = itemFolderOf(ch.path, this.rootPrefix);
      if (!folder) continue;
      const previous = this.keyAt.get(ch.path);
      if (ch.status === 'D' || NO_BLOB.test(ch.blob)) {
        this.setPath(ch.path, undefined);
        if (previous !== undefined) deletedKeys.push(previous);
        continue;
      }
      const snap = this.snapshots.get(`${ch.blob}\0${folder}`);
      // A version that does not parse (or was not read) says nothing; the file keeps its id.
      if (!snap) continue;
      this.setPath(ch.path, snap.key);
      present.add(snap.key);
      if (previous !== undefined && previous !== snap.key) deletedKeys.push(previous);
      this.sawItems = true;
      // A file added here, for an id never seen before: the item was created in this commit.
      // Unless this commit brought the whole backlog in (an import, a squash, a shallow clone's
      // first commit) and the file says it was created earlier: then git knows less than the
      // file, and the item is taken to have existed since its created_date.
      const imported = bringsBacklog && snap.createdDate !== undefined && snap.createdDate < date;
      const created = this.complete && ch.status === 'A' && !this.timeline.has(snap.key) && !imported ? true : undefined;
      this.push(snap.key, { date, snapshot: snap, fromHistory: true, created });
    }
    for (const key of deletedKeys) {
      if (present.has(key) || (this.paths.get(key) ?? 0) > 0) continue;
      this.push(key, { date, snapshot: undefined, fromHistory: true });
    }
  }
}

/**
 * The calendar day of a commit time, in UTC: the clock Backlog.md's dates and the writer's
 * `completed_date` use, so that a commit and the file it changed agree on the day.
 */
export function commitDay(time: number): string {
  const d = new Date(time * 1000);
  return Number.isNaN(d.getTime()) ? '1970-01-01' : d.toISOString().slice(0, 10);
}
