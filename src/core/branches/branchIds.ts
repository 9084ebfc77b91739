// Ids that are safe across branches: before a new id is taken, the ids on every branch that moved
// in the last `active_branch_days` count as taken, as Backlog.md's `check_active_branches` does,
// so that two branches never both create BL-6. Read with `git for-each-ref` and one `git ls-tree`
// per branch tip, never a checkout; bounded in branches and time.

import { BacklogConfig } from '../types';
import { idOfFileName } from '../naming';
import { basename } from '../workspace';
import { errorMessage } from '../text';
import { branchRefsArgs, GitRun, isBacklogFile, lsTreeArgs, parseBranchRefs, parseLsTree } from './gitTree';

/** Branches looked at most: the newest by their last commit. */
export const MAX_BRANCHES = 100;
/** Tree listings run at once. */
const GIT_AT_ONCE = 4;
/** After this long, the branches not yet listed are left out (and the note says so). */
export const BRANCH_IDS_BUDGET_MS = 10_000;

/** The ids on other branches, the branches they came from, and what the user should know. */
export interface BranchIds {
  ids: string[];
  /** How many branch tips were read. */
  branches: number;
  /** Why the ids are those of the working tree alone, or only some branches': undefined when all were read. */
  note?: string;
}

/**
 * Every item id on the branches `config` asks for (local ones, and remote-tracking ones unless
 * `remote_operations: false`) whose last commit is within `active_branch_days` of `nowMs`.
 * Never throws: a failing git gives no ids and a note. `elapsedMs` measures the budget.
 */
export async function idsOnActiveBranches(run: GitRun, config: BacklogConfig, nowMs: number, elapsedMs: () => number, limits = { maxBranches: MAX_BRANCHES, budgetMs: BRANCH_IDS_BUDGET_MS }): Promise<BranchIds> {
  if (!config.checkActiveBranches) return { ids: [], branches: 0 };
  let refs;
  try {
    const since = Math.floor(nowMs / 1000) - config.activeBranchDays * 86400;
    refs = parseBranchRefs(new TextDecoder().decode(await run(branchRefsArgs(limits.maxBranches, config.remoteOperations))), since);
  } catch (e) {
    return { ids: [], branches: 0, note: `Ids on other branches were not checked (${firstLine(e)}): the new id is the next one in the working tree.` };
  }
  const ids = new Set<string>();
  const commits = [...new Set(refs.map((r) => r.commit))];
  let read = 0;
  let failed = 0;
  let next = 0;
  // A few gits at a time: each tree listing is short, and most of its time is the process start.
  const worker = async () => {
    while (next < commits.length && elapsedMs() <= limits.budgetMs) {
      const commit = commits[next++];
      try {
        for (const f of parseLsTree(new TextDecoder().decode(await run(lsTreeArgs(commit))))) {
          if (!isBacklogFile(f.path, config.taskPrefix)) continue;
          const id = idOfFileName(basename(f.path));
          if (id) ids.add(id);
        }
        read++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(GIT_AT_ONCE, commits.length) }, worker));
  const skipped = commits.length - read - failed;
  const note =
    skipped > 0 || failed > 0
      ? `Ids on ${skipped + failed} of ${commits.length} branch tips were not checked (${skipped > 0 ? `over ${Math.round(limits.budgetMs / 1000)} s` : 'git failed'}): the new id may still meet one there.`
      : undefined;
  return { ids: [...ids], branches: read, note };
}

function firstLine(e: unknown): string {
  return (errorMessage(e).split('\n')[0] || 'git failed').slice(0, 160);
}
