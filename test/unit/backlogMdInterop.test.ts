// Backlog Atlas and the real Backlog.md (npm `backlog.md`, pinned) on one backlog, both ways:
// each runs its own CLI on files the other wrote, and what each lists must agree.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { ItemEdit, itemTextEdit } from '../../src/core/itemEdits';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { backlogMd, backlogMdBinary, backlogMdList, BACKLOG_MD_TEST_VERSION } from './backlogMd';

const clock = clockFromSetting('2026-11-21T09:30Z').clock;

/** `backlog-atlas <args>` in `cwd`, in this process; throws with its stderr on a non-zero exit. */
async function atlas(args: string[], cwd: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
  if (code !== 0) throw new Error(`backlog-atlas ${args.join(' ')} exited ${code}: ${err.join('\n')}`);
  return out.join('\n');
}

/** Our product backlog, in order: id, title, status. */
async function atlasList(cwd: string): Promise<{ id: string; title: string; status: string; path: string }[]> {
  return JSON.parse(await atlas(['list', '--all', '--json'], cwd)) as { id: string; title: string; status: string; path: string }[];
}

describe(`Backlog Atlas beside the real Backlog.md ${BACKLOG_MD_TEST_VERSION}`, function () {
  this.timeout(60_000);
  let binary: string;
  let dir: string;
  const theirs = (...args: string[]) => backlogMd(binary, args, dir);
  /** Backlog.md's open tasks in its board order (what `task list` shows, done work left out). */
  const theirOrder = () => backlogMdList(binary, dir).filter((t) => t.status !== 'Done').map((t) => t.id);
  const ourOrder = async () => (JSON.parse(await atlas(['list', '--json'], dir)) as { id: string }[]).map((i) => i.id);

  before(async function () {
    const found = await backlogMdBinary();
    if (found instanceof Error) {
      // Only where npm cannot install it (no registry): say so, and why.
      console.warn(`Skipping the Backlog.md interop tests: backlog.md@${BACKLOG_MD_TEST_VERSION} could not be installed: ${found.message}`);
      this.skip();
    }
    binary = found as string;
  });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-bmd-'));
    // As `backlog init` makes it, without git (nothing to commit, no branches to scan).
    theirs('init', 'Interop', '--no-git', '--defaults', '--integration-mode', 'none');
    for (const title of ['Map tiles', 'Route planner', 'Weather alerts']) theirs('task', 'create', title);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("starts a new item with config.yml's default assignee and Definition of Done, as Backlog.md shows them", async () => {
    const config = path.join(dir, 'backlog', 'config.yml');
    await fs.appendFile(config, 'default_assignee: ["@alice"]\ndefinition_of_done: ["Tests pass", "Docs updated"]\n');
    const id = await atlas(['create', 'With defaults'], dir);
    const shown = theirs('task', id, '--plain');
    assert.match(shown, /^Assignee: @alice$/m);
    assert.match(shown, /Definition of Done:\n-+\n- \[ \] #1 Tests pass\n- \[ \] #2 Docs updated/);
  });

  it('lists what the other created, with the same title and status', async () => {
    const id = await atlas(['create', 'Offline search', '--status', 'in progress', '--type', 'feature'], dir);
    assert.strictEqual(id, 'TASK-4');
    const listed = backlogMdList(binary, dir).find((t) => t.id === 'TASK-4');
    assert.deepStrictEqual(listed && { title: listed.title, status: listed.status }, { title: 'Offline search', status: 'In Progress' });
    theirs('task', 'create', 'Share a route', '-s', 'In Progress');
    const ours = (await atlasList(dir)).find((i) => i.id === 'TASK-5');
    assert.deepStrictEqual(ours && { title: ours.title, status: ours.status }, { title: 'Share a route', status: 'In Progress' });
  });

  it('shows edits each way, the file keeping its path', async () => {
    await atlas(['set', 'TASK-2', 'title', 'Route planner with elevation'], dir);
    assert.strictEqual(backlogMdList(binary, dir).find((t) => t.id === 'TASK-2')?.title, 'Route planner with elevation');
    theirs('task', 'edit', 'TASK-3', '-t', 'Storm alerts', '-s', 'In Progress');
    const ours = (await atlasList(dir)).find((i) => i.id === 'TASK-3')!;
    assert.deepStrictEqual([ours.title, ours.status], ['Storm alerts', 'In Progress']);
    assert.ok((await fs.readdir(path.join(dir, 'backlog/tasks'))).includes('task-2 - Route-planner.md'), 'the title edit kept the path, as Backlog.md does');
  });

  it('after `backlog-atlas move <id> --top`, Backlog.md lists it first', async () => {
    await atlas(['move', 'TASK-3', '--top'], dir);
    assert.deepStrictEqual(theirOrder(), ['TASK-3', 'TASK-1', 'TASK-2']);
    await atlas(['move', 'TASK-1', '--after', 'TASK-2'], dir);
    assert.deepStrictEqual(theirOrder(), ['TASK-3', 'TASK-2', 'TASK-1']);
    assert.deepStrictEqual(await ourOrder(), theirOrder());
  });

  it('after Backlog.md changes an ordinal, `backlog-atlas list` shows its order, even over our ranks', async () => {
    await atlas(['move', 'TASK-2', '--top'], dir);
    theirs('task', 'edit', 'TASK-3', '--ordinal', '10');
    assert.deepStrictEqual(theirOrder(), ['TASK-3', 'TASK-2', 'TASK-1']);
    assert.deepStrictEqual(await ourOrder(), theirOrder());
  });

  it('completes and archives each way', async () => {
    await atlas(['set', 'TASK-1', 'status', 'done'], dir);
    await atlas(['complete', 'TASK-1'], dir);
    assert.ok(!backlogMdList(binary, dir).some((t) => t.id === 'TASK-1'), 'gone from its board, as its own complete does');
    theirs('task', 'edit', 'TASK-2', '--dep', 'TASK-3');
    await atlas(['archive', 'TASK-3'], dir);
    assert.deepStrictEqual(backlogMdList(binary, dir).map((t) => t.id), ['TASK-2']);
    assert.match(theirs('task', 'view', 'TASK-2', '--plain'), /^(?![\s\S]*TASK-3)/, 'the archived id left its dependencies');
    const gear = /Created task (TASK-\d+)/.exec(theirs('task', 'create', 'Gear list'))![1];
    theirs('task', 'edit', gear, '-s', 'Done');
    theirs('task', 'complete', gear);
    theirs('task', 'archive', 'TASK-2');
    const paths = new Map((await atlasList(dir)).map((i) => [i.id, i.path]));
    assert.match(paths.get(gear) ?? '', /^backlog\/completed\//);
    assert.match(paths.get('TASK-2') ?? '', /^backlog\/archive\/tasks\//);
    assert.deepStrictEqual(await ourOrder(), []);
  });

  it("keeps our settings when Backlog.md saves config.yml, which drops keys it does not know", async () => {
    const config = path.join(dir, 'backlog/config.yml');
    await fs.appendFile(config, 'estimate_scale: [1, 2, 4, 8]\n');
    // What happens to them in config.yml: gone at Backlog.md's next save.
    theirs('config', 'set', 'defaultStatus', 'In Progress');
    assert.doesNotMatch(await fs.readFile(config, 'utf8'), /estimate_scale/);
    await fs.writeFile(path.join(dir, 'backlog/atlas.yml'), 'estimate_scale: [1, 2, 4, 8]\n');
    theirs('config', 'set', 'defaultStatus', 'To Do');
    const stats = JSON.parse(await atlas(['lint', '--json', '--no-todos'], dir)) as { code: string }[];
    assert.deepStrictEqual(stats, [], 'atlas.yml read, nothing to report');
    assert.strictEqual(await fs.readFile(path.join(dir, 'backlog/atlas.yml'), 'utf8'), 'estimate_scale: [1, 2, 4, 8]\n');
  });

  it("reads a task after every kind of change the item editor's form makes", async () => {
    theirs('task', 'create', 'Trail notes', '--ac', 'Notes sync', '--ac', 'Notes export', '--ac', 'Notes search', '-d', 'Keep notes per trail.');
    const file = path.join(dir, 'backlog/tasks', (await fs.readdir(path.join(dir, 'backlog/tasks'))).find((f) => f.startsWith('task-4 '))!);
    const index = new BacklogIndex(new NodeWorkspace(), { folders: [dir] });
    await index.build();
    const backlog = index.roots()[0];
    const edits: ItemEdit[] = [
      { kind: 'check', list: 'ac', index: 2, checked: true },
      { kind: 'field', key: 'status', value: 'in progress' },
      { kind: 'field', key: 'estimate', value: 5 },
      { kind: 'field', key: 'labels', value: ['notes', 'offline'] },
      { kind: 'checkText', list: 'ac', index: 3, text: 'Notes are searchable' },
      { kind: 'checkMove', list: 'ac', index: 3, to: 0 },
      { kind: 'checkRemove', list: 'ac', index: 2 },
      { kind: 'checkAdd', list: 'ac', text: 'Notes show on the map' },
      { kind: 'checkAdd', list: 'dod', text: 'Docs updated' },
      { kind: 'check', list: 'dod', index: 1, checked: true },
      { kind: 'section', section: 'description', content: 'Keep **notes** per trail.\n\nOffline too.' },
      { kind: 'section', section: 'plan', content: 'Store notes beside the tiles.' },
    ];
    let text = await fs.readFile(file, 'utf8');
    for (const edit of edits) {
      const r = itemTextEdit(text, edit, backlog);
      assert.ok(r.ok, `${edit.kind}: ${r.ok ? '' : r.message}`);
      text = r.text;
    }
    await fs.writeFile(file, text);
    const shown = theirs('task', 'view', 'TASK-4', '--plain');
    assert.match(shown, /^Status: .*In Progress/m);
    assert.match(shown, /^Labels: notes, offline$/m);
    assert.match(shown, /Acceptance Criteria:\n-+\n- \[ \] #1 Notes are searchable\n- \[x\] #2 Notes export\n- \[ \] #3 Notes show on the map\n/);
    assert.match(shown, /Definition of Done:\n-+\n- \[x\] #1 Docs updated/);
    assert.match(shown, /Keep \*\*notes\*\* per trail\.\n\nOffline too\./);
    assert.match(shown, /Store notes beside the tiles\./);
    // And Backlog.md's own edit of a box is what our form then shows.
    theirs('task', 'edit', 'TASK-4', '--check-ac', '3');
    const after = await fs.readFile(file, 'utf8');
    assert.match(after, /^- \[x\] #3 Notes show on the map$/m);
  });
});
