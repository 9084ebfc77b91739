import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BACKLOG_MD_VERSION, installBacklogMd } from '../../bench/backlogmdBench';
import { runCli } from '../../src/cli/cli';
import { nextItemId, nextSubtaskId } from '../../src/core/naming';
import { canonicalStatus } from '../../src/core/statuses';

interface TheirTask {
  id: string;
  title: string;
  status: string;
  isReady: boolean;
}

interface OurItem {
  id: string;
  title: string;
  status: string;
  path: string;
}

// The real Backlog.md (npm `backlog.md`, pinned as the benchmark pins it and installed into the
// same cache) makes a backlog with `zero_padded_ids: 3`; our command line must list it as its own
// does. Nothing listens: Backlog.md's `task` commands read and write files only (`--no-git`).
describe(`beside the real Backlog.md ${BACKLOG_MD_VERSION}`, function () {
  let binary: string;
  let dir: string;
  const ENV = { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' };

  before(async function () {
    // Installing takes a while the first time only; later runs reuse ~/.cache/backlog-atlas/bench.
    this.timeout(10 * 60_000);
    try {
      binary = (await installBacklogMd()).binary;
    } catch (e) {
      console.warn(`    Skipped: Backlog.md ${BACKLOG_MD_VERSION} could not be installed from npm, so our reading cannot be compared with it: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      this.skip();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-bmd-'));
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** Runs Backlog.md in the backlog's folder; stdout into a file, not a pipe (see bench/backlogmdBench.ts). */
  async function backlog(...args: string[]): Promise<string> {
    const outFile = path.join(dir, '.out');
    const fd = await fs.open(outFile, 'w');
    try {
      const r = spawnSync(binary, args, { cwd: dir, env: ENV, stdio: ['ignore', fd.fd, 'pipe'], encoding: 'utf8', timeout: 30_000 });
      assert.strictEqual(r.status, 0, `backlog ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
    } finally {
      await fd.close();
    }
    return fs.readFile(outFile, 'utf8');
  }

  async function ours(...args: string[]): Promise<OurItem[]> {
    const out: string[] = [];
    assert.strictEqual(await runCli(args, dir, { out: (l) => out.push(l), err: () => undefined }), 0);
    return JSON.parse(out.join('\n')) as OurItem[];
  }

  const theirList = async (...extra: string[]) => (JSON.parse(await backlog('task', 'list', '--json', ...extra)) as { tasks: TheirTask[] }).tasks;

  it('lists the same ids, titles and statuses, padded ids, subtasks and a status typed in another case included', async function () {
    this.timeout(60_000);
    await backlog('init', 'Demo', '--defaults', '--no-git', '--zero-padded-ids', '3', '--integration-mode', 'none');
    await backlog('task', 'create', 'First thing', '-s', 'todo');
    await backlog('task', 'create', 'Second: thing', '-s', 'in progress', '--dep', 'TASK-001');
    await backlog('task', 'create', 'Child', '-p', 'TASK-001', '-s', 'DONE');
    await backlog('task', 'create', 'Child two', '-p', '1');
    // A status typed by hand in another case, which Backlog.md lists under "To Do".
    const tasksDir = path.join(dir, 'backlog', 'tasks');
    const childTwo = path.join(tasksDir, (await fs.readdir(tasksDir)).find((n) => n.startsWith('task-001.02'))!);
    await fs.writeFile(childTwo, (await fs.readFile(childTwo, 'utf8')).replace(/^status: To Do$/m, 'status: to do'));

    const theirs = await theirList();
    const statuses = ['To Do', 'In Progress', 'Done'];
    assert.deepStrictEqual(theirs.map((t) => t.id), ['TASK-001', 'TASK-001.01', 'TASK-001.02', 'TASK-002']);
    const mine = (await ours('list', '--all', '--json')).filter((i) => i.path.startsWith(path.join('backlog', 'tasks')));
    const key = (i: { id: string; title: string; status: string }) => `${i.id} | ${i.title} | ${canonicalStatus(statuses, i.status) ?? `?${i.status}`}`;
    assert.deepStrictEqual(mine.map(key).sort(), theirs.map(key).sort());
    assert.ok(theirs.some((t) => t.status === 'to do'), 'the hand-typed status is there, as written');

    // The plain list groups by status heading; ours names each item's status with that spelling.
    const plain = await backlog('task', 'list', '--plain');
    const groups = new Map<string, string>();
    let heading = '';
    for (const line of plain.split('\n')) {
      const h = /^(\S.*):\s*$/.exec(line);
      if (h) heading = h[1];
      const m = /^\s+(TASK-[\d.]+) - /.exec(line);
      if (m) groups.set(m[1], heading);
    }
    assert.deepStrictEqual(new Map(mine.map((i) => [i.id, i.status])), groups);

    // Ready to start: the open items no open dependency blocks.
    const ready = (await theirList('--ready')).map((t) => t.id);
    assert.deepStrictEqual((await ours('list', '--ready', '--json')).map((i) => i.id).sort(), ready.sort());

    // The next ids we name are the ones Backlog.md then gives.
    const ids = theirs.map((t) => t.id);
    const [nextTop, nextSub] = [nextItemId(ids, 'task', 3), nextSubtaskId(ids, 'TASK-001', 3)];
    await backlog('task', 'create', 'Third');
    await backlog('task', 'create', 'Child three', '-p', 'TASK-001');
    const after = (await theirList()).map((t) => t.id);
    assert.deepStrictEqual(after.filter((id) => !ids.includes(id)).sort(), [nextSub, nextTop].sort());

    // And the other way: what `backlog-atlas create` makes, Backlog.md lists under the padded id,
    // with its title and status.
    const made: string[] = [];
    assert.strictEqual(await runCli(['create', 'Fourth: offline', '--status', 'in progress'], dir, { out: (l) => made.push(l), err: () => undefined }), 0);
    assert.deepStrictEqual(made, ['TASK-004']);
    const sub: string[] = [];
    assert.strictEqual(await runCli(['create', 'Grandchild', '--parent', 'TASK-002'], dir, { out: (l) => sub.push(l), err: () => undefined }), 0);
    assert.deepStrictEqual(sub, ['TASK-002.01']);
    const listed = await theirList();
    assert.deepStrictEqual(
      listed.filter((t) => ['TASK-004', 'TASK-002.01'].includes(t.id)).map((t) => [t.id, t.title, t.status]).sort(),
      [
        ['TASK-002.01', 'Grandchild', 'To Do'],
        ['TASK-004', 'Fourth: offline', 'In Progress'],
      ],
    );
  });
});
