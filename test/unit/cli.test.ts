import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { Clock, clockFromSetting } from '../../src/core/clock';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { BacklogWriter } from '../../src/core/writer';
import { tempDir } from './tempDir';

const demo = path.resolve(__dirname, '../../examples/demo');
const cliJs = path.resolve(__dirname, '../../dist/cli.js');

async function run(args: string[], cwd: string, env: Record<string, string> = {}, clock?: Clock) {
  const out: string[] = [];
  const err: string[] = [];
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function copyOf(dir: string): Promise<string> {
  const tmp = await tempDir('atlas-cli-');
  await fs.cp(dir, tmp, { recursive: true });
  return tmp;
}

/** Every file under `dir`, with its content: what a refused write must leave exactly as it was. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = await fs.readFile(file, 'utf8');
  }
  return out;
}

describe('the command line', () => {
  it('lists the product backlog in rank order, as JSON', async () => {
    const r = await run(['list', '--json'], demo);
    assert.strictEqual(r.code, 0);
    const items = JSON.parse(r.out) as { id: string; rank?: string; done: boolean; type: string }[];
    assert.ok(items.length > 30);
    assert.ok(items.every((i) => !i.done && i.type !== 'opportunity'));
    const ranks = items.filter((i) => i.rank !== undefined).map((i) => i.rank!);
    assert.deepStrictEqual(ranks, [...ranks].sort(), 'ranked items come in rank order');
  });

  it('lints: file:line:col severity message, exit 1 on errors', async () => {
    const dir = await copyOf(demo);
    // The demo's code has two stale TODO links on purpose; --no-todos checks the backlog alone.
    const clean = await run(['lint', '--no-todos'], dir);
    assert.strictEqual(clean.code, 0, clean.out);
    const bad = path.join(dir, 'backlog/tasks/bl-99 - Broken.md');
    await fs.writeFile(bad, '---\nid: BL-99\ntitle: Broken\nestimate: five\n---\n');
    const r = await run(['lint', '--no-todos'], dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /^backlog\/tasks\/bl-99 - Broken\.md:4:11 error `estimate` should be a number/m);
    const json = await run(['lint', '--json', '--no-todos'], dir);
    assert.strictEqual(JSON.parse(json.out).find((d: { code: string }) => d.code === 'wrong-type').line, 4);
  });

  it('creates, moves, completes, archives, promotes and demotes through the writer, printing what it did', async () => {
    const dir = await copyOf(path.resolve(__dirname, '../fixtures/backlogmd'));
    const clock = clockFromSetting('2026-11-21T09:30Z').clock;
    const created = await run(['create', 'Offline search', '--type', 'feature', '--status', 'in progress', '--estimate', '3'], dir, {}, clock);
    assert.strictEqual(created.code, 0, created.err);
    // TASK-14 is in archive/tasks/: numbers count every folder.
    assert.strictEqual(created.out, 'TASK-15');
    const file = path.join(dir, 'backlog/tasks/task-15 - Offline-search.md');
    assert.match(await fs.readFile(file, 'utf8'), /^status: In Progress$/m);
    const sub = await run(['create', 'Index', '--parent', 'TASK-15', '--json'], dir, {}, clock);
    assert.deepStrictEqual(JSON.parse(sub.out), { id: 'TASK-15.1', path: 'backlog/tasks/task-15.1 - Index.md' });
    const moved = await run(['move', 'TASK-15', '--top'], dir, {}, clock);
    assert.strictEqual(moved.code, 0, moved.err);
    const list = await run(['list'], dir);
    assert.match(list.out.split('\n')[0], /^TASK-15 /);
    assert.strictEqual((await run(['complete', 'TASK-15'], dir)).code, 1, 'not done yet');
    assert.strictEqual((await run(['set', 'TASK-15', 'status', 'done'], dir, {}, clock)).code, 0);
    assert.strictEqual((await run(['complete', 'TASK-15'], dir)).code, 0);
    assert.ok((await fs.readdir(path.join(dir, 'backlog/completed'))).includes('task-15 - Offline-search.md'));
    const archived = await run(['archive', 'TASK-4'], dir);
    assert.strictEqual(archived.code, 0, archived.err);
    assert.ok((await fs.readdir(path.join(dir, 'backlog/archive/tasks'))).some((f) => f.startsWith('task-4 ')));
    const promoted = await run(['promote', 'DRAFT-1'], dir, {}, clock);
    assert.strictEqual(promoted.out, 'Promoted DRAFT-1 to TASK-16');
    const demoted = await run(['demote', 'TASK-16'], dir, {}, clock);
    assert.strictEqual(demoted.out, 'Demoted TASK-16 to DRAFT-3');
    const usage = await run(['move', 'TASK-5'], dir);
    assert.strictEqual(usage.code, 2);
    assert.match(usage.err, /one of --top, --bottom, --before <id>, --after <id>/);
    const refused = await run(['complete', 'TASK-99'], dir);
    assert.strictEqual(refused.code, 1);
    assert.match(refused.err, /No item TASK-99/);
  });

  it('sets one field through the writer and changes nothing else', async () => {
    const dir = await copyOf(demo);
    const file = path.join(dir, 'backlog/tasks', (await fs.readdir(path.join(dir, 'backlog/tasks'))).find((f) => f.startsWith('bl-13 '))!);
    const before = await fs.readFile(file, 'utf8');
    const r = await run(['set', 'BL-13', 'estimate', '8'], dir, {}, clockFromSetting('2026-11-21T09:30Z').clock);
    assert.strictEqual(r.code, 0, r.err);
    const after = await fs.readFile(file, 'utf8');
    assert.match(after, /^estimate: 8$/m);
    // Stamped as Backlog.md stamps an edit, in the quotes the file already uses.
    assert.match(after, /^updated_date: '2026-11-21 09:30'$/m);
    const others = (text: string) => text.replace(/^(estimate|updated_date): .*\n/gm, '');
    assert.strictEqual(others(after), others(before));
    const refused = await run(['set', 'BL-13', 'estimate', 'lots'], dir);
    assert.strictEqual(refused.code, 1);
    assert.match(refused.err, /must be a number/);
  });

  it('refuses a write when a file changed since it was read, and leaves every file as it was', async () => {
    const dir = await copyOf(demo);
    const ws = new NodeWorkspace();
    const index = new BacklogIndex(ws, { folders: [dir.split(path.sep).join('/')] });
    await index.build();
    const backlog = index.roots()[0];
    const [first, second] = backlog.productBacklog().filter((i) => i.sprint === undefined);
    // One change, two files: both items planned into the active sprint.
    const moved = await new BacklogWriter(index, ws).moveItems([first.id, second.id], {}, { sprint: backlog.activeSprint()!.id }, backlog.root);
    assert.ok(moved.ok, moved.ok ? '' : moved.message);
    assert.deepStrictEqual(moved.operations.map((op) => op.kind === 'edit' && op.path), [first.path, second.path]);
    // Another program changes the second file after the CLI read it.
    await fs.appendFile(second.path, 'A line added by someone else.\n');
    const before = await snapshot(dir);
    const r = await ws.apply(moved.operations, [backlog.root]);
    assert.deepStrictEqual(r.ok ? r : { reason: r.reason, path: r.path }, { reason: 'changed', path: second.path });
    assert.deepStrictEqual(await snapshot(dir), before, 'the first file is not written either, and no temporary file is left');
  });

  it('lists TODO comments and the items they name, with and without ripgrep', async () => {
    const r = await run(['todos', '--json'], demo);
    assert.strictEqual(r.code, 0);
    const todos = JSON.parse(r.out) as { path: string; line: number; tag: string; ref?: string; item?: string }[];
    const at = (path: string, line: number) => todos.find((t) => t.path === path && t.line === line);
    assert.deepStrictEqual(at('src/map/MapView.ts', 19), { ...at('src/map/MapView.ts', 19), tag: 'TODO', ref: 'BL-21', item: 'Debounce map redraws while zooming' });
    assert.ok(todos.some((t) => !t.ref), 'unlinked TODOs are listed too');
    // Strings and identifiers in the demo that look like tags are not TODOs.
    assert.ok(!todos.some((t) => t.path.endsWith('.md')), 'backlog items are not scanned as code');
    const withoutRg = await run(['todos', '--json'], demo, { BACKLOG_ATLAS_RG: '/nonexistent', PATH: '' });
    assert.deepStrictEqual(JSON.parse(withoutRg.out), todos, 'the fallback finds the same TODOs');
  });

  it('finds TODOs in hidden folders and Python docstrings, and lints alike, with and without ripgrep', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-cli-todos-'));
    const files: Record<string, string> = {
      'backlog/config.yml': 'project_name: "Hidden"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\ndone_statuses: ["Done"]\n',
      'backlog/tasks/bl-42 - Load-tiles.md': '---\nid: BL-42\ntitle: Load tiles\nstatus: To Do\n---\n<!-- TODO(BL-7): a note in an item, not code -->\n',
      '.github/workflows/ci.yml': 'jobs:\n  test:\n    # TODO(BL-21): cache the tiles between runs\n',
      'src/loader.py': 'def load():\n    """Loads a tile.\n\n    # TODO(BL-42): a comment line in a docstring\n    TODO: prose in a docstring\n    """\n',
      '.git/hooks/pre-push.sh': '# TODO(BL-1): git data, not code\n',
    };
    try {
      for (const [rel, text] of Object.entries(files)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), text);
      }
      const noRg = { BACKLOG_ATLAS_RG: '/nonexistent', PATH: '' };
      const withRg = await run(['todos', '--json'], dir);
      const withoutRg = await run(['todos', '--json'], dir, noRg);
      assert.deepStrictEqual(
        (JSON.parse(withRg.out) as { path: string; line: number; ref?: string }[]).map((t) => `${t.path}:${t.line} ${t.ref}`),
        ['.github/workflows/ci.yml:3 BL-21', 'src/loader.py:4 BL-42'],
      );
      assert.deepStrictEqual(JSON.parse(withoutRg.out), JSON.parse(withRg.out));
      // BL-21 is not in the backlog: lint fails, whichever way the code was read.
      for (const env of [{}, noRg]) {
        const lint = await run(['lint'], dir, env);
        assert.strictEqual(lint.code, 1);
        assert.match(lint.out, /^\.github\/workflows\/ci\.yml:3:\d+ error BL-21 is not in the backlog/m);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('fails lint on TODOs that name missing or done items, so stale links stay out of main', async () => {
    const r = await run(['lint'], demo);
    assert.strictEqual(r.code, 1);
    assert.match(r.out, /^src\/trips\/groupTrip\.ts:\d+:\d+ error BL-999 is not in the backlog/m);
    assert.match(r.out, /^src\/scripts\/backfill_route_ids\.sh:\d+:\d+ error BL-10 "[^"]+" is done/m);
  });

  it('prints stats as JSON', async () => {
    const r = await run(['stats', '--json'], demo);
    const [s] = JSON.parse(r.out);
    assert.strictEqual(s.project, 'Trailhead');
    assert.ok(s.byType.epic >= 4 && s.byType.story >= 10);
    assert.ok(s.sprints.some((x: { state: string }) => x.state === 'active'));
  });

  it('runs as a program from the built bundle', function () {
    this.timeout(30_000);
    const out = execFileSync(process.execPath, [cliJs, 'list'], { cwd: demo, encoding: 'utf8' });
    assert.match(out, /^BL-\d+/m);
    const usage = spawnSync(process.execPath, [cliJs, 'nonsense'], { encoding: 'utf8' });
    assert.strictEqual(usage.status, 2);
    assert.match(usage.stderr, /Unknown command/);
  });
});

// What a review of the command line beside Backlog.md's found: options parsed and then ignored,
// paths that name nothing, and messages that sent people to what the command line lacks.
describe('the command line says no instead of doing something else', () => {
  it('refuses extra words for set and options a command does not take, and changes nothing', async () => {
    const dir = await copyOf(demo);
    const before = await snapshot(dir);
    const words = await run(['set', 'BL-13', 'title', 'Sign', 'in', 'with', 'Apple'], dir);
    assert.strictEqual(words.code, 2);
    assert.match(words.err, /set takes one value, and was given 4; quote a value of several words: backlog-atlas set BL-13 title "Sign in with Apple"/);
    for (const [args, option] of [[['list', '--in', 'elsewhere'], '--in'], [['list', '--sprint', 'S-15'], '--sprint'], [['stats', '--all'], '--all'], [['complete', 'BL-13', '--estimate', '3'], '--estimate']] as const) {
      const r = await run([...args], dir);
      assert.strictEqual(r.code, 2, args.join(' '));
      assert.match(r.err, new RegExp(`^${args[0]} does not take ${option}\\.`));
    }
    assert.deepStrictEqual(await snapshot(dir), before);
  });

  it('says when a path names nothing or no backlog is there, and lints a file in another project', async () => {
    const dir = await copyOf(demo);
    const missing = await run(['lint', path.join(dir, 'nope')], dir);
    assert.deepStrictEqual([missing.code, missing.err], [2, `No such file or folder: ${path.join(dir, 'nope')}`]);
    const empty = await tempDir('atlas-empty-');
    await fs.mkdir(path.join(empty, '.git'));
    for (const command of ['list', 'lint', 'stats']) {
      const r = await run([command], empty);
      assert.strictEqual(r.code, 1, command);
      assert.match(r.err, /^No backlog\/ or \.backlog\/ folder found here or above/);
    }
    // A broken file named from outside its project is linted in its own backlog.
    const broken = path.join(dir, 'backlog/tasks/bl-70 - Empty.md');
    await fs.writeFile(broken, '');
    const lint = await run(['lint', broken], empty);
    assert.strictEqual(lint.code, 1, lint.err);
    assert.match(lint.out, /bl-70 - Empty\.md:1:1 error/);
  });

  it('prints its version, takes -h for help, and reads bare numbers as the backlog’s ids', async () => {
    const dir = await copyOf(demo);
    assert.match((await run(['--version'], dir)).out, /^\d+\.\d+\.\d+/);
    const help = await run(['-h'], dir);
    assert.deepStrictEqual([help.code, help.out.split('\n')[0]], [0, 'Usage: backlog-atlas <command> [options]']);
    const clock = clockFromSetting('2026-11-21T09:30Z').clock;
    const moved = await run(['move', '13', '--after', '12'], dir, {}, clock);
    assert.strictEqual(moved.code, 0, moved.err);
    const order = (await run(['list', '--all'], dir)).out.split('\n').map((l) => l.split(' ')[0]);
    assert.strictEqual(order[order.indexOf('BL-12') + 1], 'BL-13');
    const renumber = await run(['renumber', '13'], dir);
    assert.match(renumber.err, /BL-13 is the only item with its id/);
  });

  it('moves an item to the bottom of the ranked items when unranked ones end the order, and rebalances on request', async () => {
    const dir = await copyOf(demo);
    const clock = clockFromSetting('2026-11-21T09:30Z').clock;
    const bottom = await run(['move', 'BL-20', '--bottom'], dir, {}, clock);
    assert.strictEqual(bottom.code, 0, bottom.err);
    assert.match(bottom.out, /^BL-20: moved, below every item with a rank or ordinal; BL-\d+ and the \d+ after it have neither/);
    const ranked = (await run(['list', '--all', '--json'], dir)).out;
    const items = JSON.parse(ranked) as { id: string; rank?: string }[];
    const lastRanked = items.filter((i) => i.rank !== undefined).pop();
    assert.strictEqual(lastRanked?.id, 'BL-20');
    const rebalanced = await run(['rebalance'], dir, {}, clock);
    assert.strictEqual(rebalanced.code, 0, rebalanced.err);
    const after = JSON.parse((await run(['list', '--all', '--json'], dir)).out) as { id: string; rank?: string }[];
    assert.deepStrictEqual(after.map((i) => i.id), items.map((i) => i.id), 'the order is kept');
    assert.ok(after.every((i) => i.rank !== undefined), 'every item has its place');
    // Now the end is the very end.
    assert.strictEqual((await run(['move', 'BL-20', '--bottom'], dir, {}, clock)).out, 'BL-20: moved');
  });
});
