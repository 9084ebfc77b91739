// `backlog-atlas diff <base>`: what this branch did to the backlog since it left <base>, the
// working tree against the merge base, read from git without a checkout.
import { Backlog } from '../core/backlog';
import { backlogAt, mergeBaseArgs, parseCommit } from '../core/branches/backlogAt';
import { diffBacklogs } from '../core/branches/backlogDiff';
import { GitRun } from '../core/branches/gitTree';
import { errorMessage } from '../core/text';
import { diffJson, diffMarkdown, diffTextLines } from '../views/branches/backlogDiffText';
import { forTerminal, jsonText } from './terminal';

export type DiffFormat = 'text' | 'json' | 'markdown';

/** The output of `diff`, or the error and exit code. */
export async function runDiff(backlog: Backlog, baseName: string, format: DiffFormat, run: GitRun): Promise<{ ok: true; out: string; note?: string } | { ok: false; error: string; code: number }> {
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
  const diff = diffBacklogs(before.backlog, backlog);
  const base = { name: baseName, commit };
  const note = before.cut ? `The backlog at ${commit.slice(0, 10)} has more files than are read; the comparison covers the first ones.` : undefined;
  if (format === 'json') return { ok: true, out: jsonText(diffJson(diff, base)), note };
  if (format === 'markdown') return { ok: true, out: diffMarkdown(diff, base), note };
  return { ok: true, out: diffTextLines(diff, base).map(forTerminal).join('\n'), note };
}
