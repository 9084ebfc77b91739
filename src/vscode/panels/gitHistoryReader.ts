import * as vscode from 'vscode';
import { GitProcesses } from '../platform/gitProcess';
import { Disposable } from '../platform/lifecycle';
import { Backlog } from '../../core/backlog';
import { BlobSlices, blobsToRead, CatFileParser, commitDay, gitLogArgs, HistoryReplay, parseGitLog, snapshotOfBlob } from '../../core/history/gitHistory';
import { BacklogHistory, ItemSnapshot } from '../../core/history/history';
import { MAX_ITEM_BYTES } from '../../core/format/itemFile';
import { joinPath } from '../../core/workspace';
import { errorMessage } from '../../core/text';

/** Commits of the backlog folder read at most: years of a busy team, and bounded work. */
const MAX_COMMITS = 5000;
/** Item versions read at most. */
const MAX_BLOBS = 20000;
/** `git log` output kept at most; a history bigger than this is cut, not read into memory. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;
/** `git cat-file` output read at most: past it, the history is too big to be worth the wait. */
const MAX_BLOB_BYTES = 512 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

interface Cached {
  /** HEAD, and what the versions were read with (see `readWith`): either changing means a new read. */
  key: string;
  history: BacklogHistory;
}

/**
 * Reads the git history of each backlog folder for the reports, off the extension host's
 * critical path: git runs as a child process, its output streams in, and each chunk is parsed
 * as it arrives. The result is kept per backlog root until HEAD moves. Nothing runs in an
 * untrusted workspace (a repository's config can make git run programs), nor when the user
 * turned it off.
 */
export class GitHistoryReader extends Disposable {
  private readonly cache = new Map<string, Cached>();
  private readonly loading = new Map<string, Promise<boolean>>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly uriOf: (root: string) => vscode.Uri,
    private readonly git: GitProcesses,
  ) {
    super();
  }

  /** What is known now: the cached history, or why there is none. */
  current(backlog: Backlog): BacklogHistory | undefined {
    const off = this.disabledReason();
    if (off) return { items: new Map(), source: 'none', commits: 0, detail: off };
    return this.cache.get(backlog.root)?.history;
  }

  isLoading(backlog: Backlog): boolean {
    return this.loading.has(backlog.root);
  }

  /**
   * Reads the history again if HEAD moved since the last read. Resolves true when what
   * `current` returns has changed.
   */
  refresh(backlog: Backlog): Promise<boolean> {
    if (this.disabledReason()) return Promise.resolve(false);
    const running = this.loading.get(backlog.root);
    if (running) return running;
    const job = this.read(backlog).finally(() => this.loading.delete(backlog.root));
    this.loading.set(backlog.root, job);
    return job;
  }

  private disabledReason(): string | undefined {
    if (!vscode.workspace.isTrusted) return 'Git history is not read in an untrusted workspace: the charts use what the backlog files record.';
    if (!vscode.workspace.getConfiguration('backlogAtlas.reports').get<boolean>('gitHistory', true)) return 'Git history is turned off (backlogAtlas.reports.gitHistory): the charts use what the backlog files record.';
    return undefined;
  }

  private async read(backlog: Backlog): Promise<boolean> {
    const uri = this.uriOf(backlog.root);
    if (uri.scheme !== 'file') {
      return this.store(backlog, '', { items: new Map(), source: 'none', commits: 0, detail: 'The backlog is not on this computer’s disk (a virtual workspace), so git cannot read its history: the charts use what the files record.' });
    }
    const cwd = uri.fsPath;
    const started = Date.now();
    let head: string;
    let prefix: string;
    try {
      const out = (await this.run(cwd, ['rev-parse', '--show-prefix', 'HEAD'])).toString('utf8').split('\n');
      prefix = out[0];
      head = out[1]?.trim() ?? '';
      if (!/^[0-9a-f]{40,64}$/.test(head)) throw new Error('no HEAD');
    } catch (e) {
      return this.store(backlog, '', { items: new Map(), source: 'none', commits: 0, detail: whyNoGit(e) });
    }
    const key = `${head}\0${readWith(backlog)}`;
    if (this.cache.get(backlog.root)?.key === key) return false;
    try {
      const logText = (await this.run(cwd, gitLogArgs(MAX_COMMITS, '.'), MAX_LOG_BYTES)).toString('utf8');
      const commits = parseGitLog(logText);
      const { blobs, cut } = blobsToRead(commits, prefix, MAX_BLOBS);
      const snapshots = new Map<string, ItemSnapshot | undefined>();
      await this.catFile(cwd, [...blobs.keys()], (sha, bytes) => {
        for (const folder of blobs.get(sha) ?? []) snapshots.set(`${sha}\0${folder}`, snapshotOfBlob(backlog, joinPath(backlog.root, `${folder}/history.md`), folder, bytes));
      });
      const complete = commits.length < MAX_COMMITS && !cut;
      const replay = new HistoryReplay(prefix, snapshots, commitDay, complete);
      // A slice of changed files per turn of the event loop, with the extension host's other work in between.
      for (const steps = replay.addSteps(commits); !steps.next().done; ) await new Promise((resolve) => setImmediate(resolve));
      const items = replay.timeline;
      const capped = commits.length >= MAX_COMMITS ? ` (the last ${MAX_COMMITS})` : '';
      const older = cut ? `; versions older than the newest ${MAX_BLOBS.toLocaleString('en')} were not read` : '';
      this.log.info(`Reports: read ${commits.length} commits and ${blobs.size} item versions of ${backlog.root} from git in ${Date.now() - started} ms.`);
      return this.store(backlog, key, {
        items,
        source: 'git',
        commits: commits.length,
        detail: commits.length === 0 ? 'Git has no commits of the backlog folder yet: the charts use what the files record.' : `From ${commits.length} commits${capped} of the backlog folder in git${older}, and the files as they are now.`,
      });
    } catch (e) {
      this.log.warn(`Reports: reading the git history of ${backlog.root} failed:`, errorMessage(e));
      return this.store(backlog, key, { items: new Map(), source: 'none', commits: 0, detail: `Git history could not be read (${errorMessage(e)}): the charts use what the files record.` });
    }
  }

  private store(backlog: Backlog, key: string, history: BacklogHistory): boolean {
    const before = this.cache.get(backlog.root);
    this.cache.set(backlog.root, { key, history });
    return before === undefined || before.history.detail !== history.detail || before.history.commits !== history.commits || before.key !== key;
  }

  /** Runs git and collects its output, up to `limit` bytes; fails on a non-zero exit. */
  private run(cwd: string, args: string[], limit = 1024 * 1024): Promise<Buffer> {
    return this.git.run(cwd, args, { timeoutMs: TIMEOUT_MS, limit });
  }

  /**
   * Streams the blobs through `git cat-file --batch`, handing each to `onBlob`, a slice of them
   * per turn of the event loop (`BlobSlices`), the stream paused while slices wait.
   */
  private catFile(cwd: string, shas: string[], onBlob: (sha: string, bytes: Uint8Array) => void): Promise<void> {
    if (shas.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const child = this.spawnGit(cwd, ['cat-file', '--batch']);
      const slices = new BlobSlices(onBlob);
      // Item files over the index's limit are not read anyway: they are counted through, not kept.
      const parser = new CatFileParser(slices.add, MAX_ITEM_BYTES);
      let size = 0;
      let failed = false;
      let closed = false;
      let turn: ReturnType<typeof setImmediate> | undefined;
      const fail = (e: Error) => {
        failed = true;
        if (turn) clearImmediate(turn);
        reject(e);
      };
      const next = () => {
        turn = undefined;
        if (failed) return;
        if (slices.step()) {
          turn = setImmediate(next);
          return;
        }
        if (closed) resolve();
        else child.stdout?.resume();
      };
      child.stdout?.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BLOB_BYTES) {
          child.kill();
          fail(new Error(`the backlog's history holds more than ${MAX_BLOB_BYTES / 1024 / 1024} MiB of item versions`));
          return;
        }
        parser.push(c);
        if (slices.pending && !turn) {
          child.stdout?.pause();
          turn = setImmediate(next);
        }
      });
      child.on('error', fail);
      child.on('close', (code) => {
        if (code !== 0) return fail(new Error(`git cat-file exited with ${code}`));
        closed = true;
        // What the last chunks held is still being handed on: the last slice resolves.
        if (!turn) next();
      });
      child.stdin?.on('error', fail);
      child.stdin?.end(shas.join('\n') + '\n');
    });
  }

  /**
   * git's `user.name` in the backlog's repository: who "only mine" on the board means. Undefined
   * when it is not set, git is missing, or the workspace is not trusted (no process starts then).
   */
  async userName(root: string): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted || this.disposed) return undefined;
    try {
      const child = this.spawnGit(this.uriOf(root).fsPath, ['config', 'user.name']);
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (c: string) => (out = (out + c).slice(0, 1000)));
      const code = await new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', resolve);
      });
      const name = out.trim();
      return code === 0 && name !== '' ? name : undefined;
    } catch (e) {
      this.log.info(`git's user name could not be read: ${errorMessage(e)}`);
      return undefined;
    }
  }

  private spawnGit(cwd: string, args: string[]) {
    // The repository's config cannot make git run a program (fsmonitor, pager, hooks, diff
    // drivers, signature checks) or reach the network (a partial clone would fetch every old
    // version, one at a time; a missing one is simply not read): see src/vscode/platform/gitProcess.ts.
    return this.git.start(cwd, args, { timeoutMs: TIMEOUT_MS, input: args[0] === 'cat-file' });
  }
}

/**
 * What each version's snapshot depends on besides its file: done statuses, size points and the
 * releases an item's `release` or `milestone` resolves to. A change to them reads the history again.
 */
function readWith(backlog: Backlog): string {
  return JSON.stringify([backlog.config.doneStatuses, backlog.config.sizePoints, backlog.releases().map((r) => [r.id, r.name])]);
}

function whyNoGit(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'Git is not installed or not on the PATH: the charts use what the backlog files record.';
  const msg = errorMessage(e);
  if (/not a git repository/i.test(msg)) return 'The backlog is not in a git repository: the charts use what the backlog files record.';
  if (/no HEAD|unknown revision|ambiguous argument 'HEAD'/i.test(msg)) return 'The repository has no commits yet: the charts use what the backlog files record.';
  return `Git history could not be read (${msg.slice(0, 120)}): the charts use what the backlog files record.`;
}
