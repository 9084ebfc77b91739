// `backlog-atlas diff <base>`: what this branch did to the backlog since it left <base>, the
// working tree against the merge base, read from git without a checkout.
import { Backlog } from '../core/backlog';
import { diffSinceMergeBase } from '../core/branches/branchDiff';
import { GitRun } from '../core/branches/gitTree';
import { diffJson, diffMarkdown, diffTextLines } from '../views/branches/backlogDiffText';
import { forTerminal, jsonText } from './terminal';

export type DiffFormat = 'text' | 'json' | 'markdown';

/** The output of `diff`, or the error and exit code. */
export async function runDiff(backlog: Backlog, baseName: string, format: DiffFormat, run: GitRun): Promise<{ ok: true; out: string; note?: string } | { ok: false; error: string; code: number }> {
  const r = await diffSinceMergeBase(run, backlog, baseName);
  if (!r.ok) return r;
  const out = format === 'json' ? jsonText(diffJson(r.diff, r.base)) : format === 'markdown' ? diffMarkdown(r.diff, r.base) : diffTextLines(r.diff, r.base).map(forTerminal).join('\n');
  return { ok: true, out, note: r.note };
}
