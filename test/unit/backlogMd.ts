// The real Backlog.md for the tests that check both tools on one backlog: the pinned npm release,
// installed once into the cache the benchmark uses (~/.cache/backlog-atlas/bench) and reused.
import { spawnSync } from 'child_process';
import { installBacklogMd } from '../../bench/backlogmdBench';

/** The release the interop tests are written against. */
export const BACKLOG_MD_TEST_VERSION = '1.52.0';

let installed: Promise<string | Error> | undefined;

/** The path of Backlog.md's binary, or why it could not be installed (no registry, say). */
export function backlogMdBinary(): Promise<string | Error> {
  installed ??= installBacklogMd(BACKLOG_MD_TEST_VERSION).then(
    (r) => r.binary,
    (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
  );
  return installed;
}

/**
 * For a `describe` whose tests need the real Backlog.md: installs it before them, or skips them
 * saying why (only where npm cannot install it). The returned function gives its binary.
 */
export function requireBacklogMd(): () => string {
  let binary = '';
  before(async function () {
    const found = await backlogMdBinary();
    if (found instanceof Error) {
      console.warn(`Skipping: backlog.md@${BACKLOG_MD_TEST_VERSION} could not be installed: ${found.message}`);
      this.skip();
    }
    binary = found as string;
  });
  return () => binary;
}

/**
 * Runs `backlog <args>` in `cwd`: no terminal, nothing to prompt for, no colours, and never a
 * server (the tests use only commands that print and exit). Throws with its output on failure.
 */
export function backlogMd(binary: string, args: string[], cwd: string): string {
  const r = spawnSync(binary, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } });
  if (r.status !== 0) throw new Error(`backlog ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface ListedTask {
  id: string;
  title: string;
  status: string;
  ordinal: number | null;
}

/** `backlog task list --json --sort ordinal`: the tasks in tasks/, in Backlog.md's board order. */
export function backlogMdList(binary: string, cwd: string): ListedTask[] {
  const out = JSON.parse(backlogMd(binary, ['task', 'list', '--json', '--sort', 'ordinal'], cwd)) as { tasks: ListedTask[] };
  return out.tasks.map((t) => ({ id: t.id, title: t.title, status: t.status, ordinal: t.ordinal }));
}
