// The backlog as other commits hold it, read without a checkout: `git for-each-ref` names the
// branches, `git ls-tree` lists a commit's backlog files and `git cat-file --batch` gives their
// bytes. This module builds the arguments and parses the output; the adapters (the CLI, the
// extension's git gate) run git through `safeGit`, with a time limit, in the backlog's folder.

import { classify } from '../backlogIndex';
import { CatFileParser } from '../history/gitHistory';

/**
 * Runs `git <args>` in the backlog's root folder (pinned config, a time limit, bounded output)
 * and resolves with what it printed; `input` goes to its stdin. Rejects when git is missing,
 * fails or runs too long.
 */
export type GitRun = (args: readonly string[], input?: string) => Promise<Uint8Array>;

/** A branch tip: its full ref name, commit and committer time (seconds). */
export interface BranchRef {
  ref: string;
  commit: string;
  time: number;
}

/** Refs read at most: the newest `max` branches by their last commit. */
export function branchRefsArgs(max: number, remotes: boolean): string[] {
  return ['for-each-ref', '--sort=-committerdate', `--count=${max}`, '--format=%(objectname) %(committerdate:unix) %(refname)', 'refs/heads', ...(remotes ? ['refs/remotes'] : [])];
}

const REF_LINE = /^([0-9a-f]{40,64}) (\d+) (refs\/\S+)$/;

/**
 * Parses `branchRefsArgs` output, keeping branches whose last commit is at or after `since`
 * (seconds). A remote's `HEAD` (a pointer to one of its branches) is left out. Lines that do not
 * read as a ref are skipped; the work is linear in the output.
 */
export function parseBranchRefs(text: string, since: number): BranchRef[] {
  const out: BranchRef[] = [];
  for (const line of text.split('\n')) {
    const m = REF_LINE.exec(line.trim());
    if (!m || m[3].endsWith('/HEAD')) continue;
    const time = Number(m[2]);
    if (time >= since) out.push({ ref: m[3], commit: m[1], time });
  }
  return out;
}

/** `git ls-tree` of the backlog folder (the current folder) at `commit`: every file, with its blob. */
export function lsTreeArgs(commit: string): string[] {
  return ['ls-tree', '-r', '-z', commit, '--', '.'];
}

/** One file `git ls-tree -r -z` listed: its blob and its path below the folder git ran in. */
export interface TreeFile {
  blob: string;
  path: string;
}

const TREE_ENTRY = /^\d{6} blob ([0-9a-f]{40,64})\t/;

/**
 * Parses `git ls-tree -r -z` output (`<mode> blob <sha>\t<path>`, NUL-ended). Submodules and
 * symbolic links (mode 120000 is a blob too, but it is never followed) are left out, as the index
 * leaves them out on disk.
 */
export function parseLsTree(text: string): TreeFile[] {
  const out: TreeFile[] = [];
  for (const entry of text.split('\0')) {
    const m = TREE_ENTRY.exec(entry);
    if (!m || entry.startsWith('120000')) continue;
    out.push({ blob: m[1], path: entry.slice(m[0].length) });
  }
  return out;
}

/** The files the index would read at `path` below a backlog root (items, plans, config). */
export function isBacklogFile(path: string, taskPrefix?: string): boolean {
  return classify(path, taskPrefix) !== undefined;
}

/** Reads blobs through `git cat-file --batch`: each sha's bytes, or none when git has none or it is over `maxBytes`. */
export async function readBlobs(run: GitRun, shas: readonly string[], maxBytes: number): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  if (shas.length === 0) return out;
  const bytes = await run(['cat-file', '--batch'], [...new Set(shas)].join('\n') + '\n');
  new CatFileParser((o) => {
    if (o.content) out.set(o.sha, o.content);
  }, maxBytes).push(bytes);
  return out;
}
