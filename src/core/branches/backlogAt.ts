// A backlog as a commit holds it, read through git (ls-tree, then cat-file) into memory and parsed
// by the same index as the working tree, so that both versions are read by the same rules.

import { Backlog } from '../backlog';
import { BacklogIndex } from '../backlogIndex';
import { MAX_ITEM_BYTES } from '../format/itemFile';
import { MemoryWorkspace } from '../memoryWorkspace';
import { dirname } from '../workspace';
import { GitRun, isBacklogFile, lsTreeArgs, parseLsTree, readBlobs } from './gitTree';

/** Backlog files read from one commit at most: a backlog of this size is read in seconds. */
export const MAX_BASE_FILES = 50_000;

/** `git merge-base <base> HEAD`; refuses a base that git would take for an option. */
export function mergeBaseArgs(base: string): string[] | { error: string } {
  const control = [...base].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  if (base.trim() === '' || base.startsWith('-') || control) return { error: `"${base}" is not a branch, tag or commit to compare with.` };
  return ['merge-base', base, 'HEAD'];
}

/** The commit `git merge-base` printed, or undefined when it printed none. */
export function parseCommit(text: string): string | undefined {
  const line = text.trim();
  return /^[0-9a-f]{40,64}$/.test(line) ? line : undefined;
}

/**
 * The backlog at `root` as `commit` holds it, `run` being git in that folder. An empty backlog
 * (no files there at that commit) is a backlog without items, so that everything reads as added.
 */
export async function backlogAt(run: GitRun, root: string, commit: string): Promise<{ backlog: Backlog; cut: boolean }> {
  const listed = parseLsTree(new TextDecoder().decode(await run(lsTreeArgs(commit)))).filter((f) => isBacklogFile(f.path));
  const files = listed.slice(0, MAX_BASE_FILES);
  const blobs = await readBlobs(
    run,
    files.map((f) => f.blob),
    MAX_ITEM_BYTES,
  );
  const content: Record<string, Uint8Array> = {};
  for (const f of files) {
    const bytes = blobs.get(f.blob);
    if (bytes) content[`${root}/${f.path}`] = bytes;
  }
  const ws = new MemoryWorkspace(content);
  // The root is named as an extra root of its own folder, so that any folder name reads as a backlog.
  const index = new BacklogIndex(ws, { folders: [dirname(root)], extraRoots: [root] });
  await index.build();
  const backlog = index.roots().find((b) => b.root === root) ?? new Backlog(root, dirname(root));
  return { backlog, cut: listed.length > files.length };
}
