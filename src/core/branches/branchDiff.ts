// What this branch did to a backlog since it left `base`: the merge base found by git, the
// backlog read at it, and the diff against the working tree. One path for the CLI's `diff` and
// the editor's "Backlog Changes on This Branch" view.

import { Backlog } from '../backlog';
import { errorMessage } from '../text';
import { backlogAt, mergeBaseArgs, parseCommit } from './backlogAt';
import { BacklogDiff, diffBacklogs } from './backlogDiff';
import { GitRun } from './gitTree';

export type BranchDiffResult =
  | { ok: true; diff: BacklogDiff; base: { name: string; commit: string }; note?: string }
  /** `code` 2: the base given cannot be one; 1: git could not answer. */
  | { ok: false; error: string; code: 1 | 2 };

/** The working tree's `backlog` against the same backlog at the merge base of `baseName` and HEAD. */
export async function diffSinceMergeBase(run: GitRun, backlog: Backlog, baseName: string): Promise<BranchDiffResult> {
  const args = mergeBaseArgs(baseName);
  if ('error' in args) return { ok: false, error: args.error, code: 2 };
  let commit: string | undefined;
  try {
    commit = parseCommit(new TextDecoder().decode(await run(args)));
  } catch (e) {
    return { ok: false, error: `No merge base of ${baseName} and HEAD: ${errorMessage(e).split('\n')[0]}`, code: 1 };
  }
  if (!commit) return { ok: false, error: `${baseName} and HEAD have no commit in common.`, code: 1 };
  let before: Awaited<ReturnType<typeof backlogAt>>;
  try {
    before = await backlogAt(run, backlog.root, commit);
  } catch (e) {
    return { ok: false, error: `The backlog at ${commit.slice(0, 10)} could not be read: ${errorMessage(e).split('\n')[0]}`, code: 1 };
  }
  const note = before.cut ? `The backlog at ${commit.slice(0, 10)} has more files than are read; the comparison covers the first ones.` : undefined;
  return { ok: true, diff: diffBacklogs(before.backlog, backlog), base: { name: baseName, commit }, note };
}
