// Backlog.md's milestones, added, renamed, removed and archived as its own milestone commands do,
// through our writer and command line, and read back by the real Backlog.md.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { milestoneFileName } from '../../src/core/writer';
import { backlogMd, BACKLOG_MD_TEST_VERSION, requireBacklogMd } from './backlogMd';
import { itemText } from './helpers';

const clock = clockFromSetting('2026-11-21T09:30Z').clock;

async function atlas(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

describe('milestones, as Backlog.md manages them', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-milestones-'));
    const put = async (rel: string, text: string) => {
      await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await fs.writeFile(path.join(dir, rel), text);
    };
    await put('backlog/config.yml', 'project_name: "M"\ntask_prefix: "task"\nstatuses: ["To Do", "Done"]\n');
    await put('backlog/milestones/m-0 - beta.md', '---\nid: m-0\ntitle: "Beta"\n---\n\n## Description\n\nMilestone: Beta\n');
    await put('backlog/archive/milestones/m-3 - old.md', '---\nid: m-3\ntitle: "Old"\n---\n');
    await put('backlog/tasks/task-1 - One.md', itemText({ id: 'TASK-1', title: 'One', status: 'To Do', milestone: 'Beta' }));
    await put('backlog/tasks/task-2 - Two.md', itemText({ id: 'TASK-2', title: 'Two', status: 'To Do', milestone: 'm-0' }));
    await put('backlog/tasks/task-3 - Three.md', itemText({ id: 'TASK-3', title: 'Three', status: 'To Do' }));
  });

  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('names a milestone file as Backlog.md does', () => {
    assert.equal(milestoneFileName('m-4', 'Public Beta: iOS/Android?'), 'm-4 - public-beta-iosandroid.md');
    assert.equal(milestoneFileName('m-1', `  ${'x'.repeat(80)}  `), `m-1 - -${'x'.repeat(49)}.md`);
    assert.equal(milestoneFileName('m-2', 'A\u202eB\u0000C'), 'm-2 - abc.md');
  });

  it('adds the next milestone after every active and archived one, in Backlog.md’s words', async () => {
    const r = await atlas(['milestone', 'add', 'Groups launch', '--due-date', '2027-03-12'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Added milestone m-4 "Groups launch"');
    assert.equal(await fs.readFile(path.join(dir, 'backlog/milestones/m-4 - groups-launch.md'), 'utf8'), '---\nid: m-4\ntitle: "Groups launch"\ndue_date: "2027-03-12"\n---\n\n## Description\n\nMilestone: Groups launch\n');
    assert.equal((await atlas(['milestone', 'add', 'beta'], dir)).code, 1, 'a second milestone of the same title');
    assert.equal((await atlas(['milestone', 'add', 'Later', '--due-date', '2027-02-30'], dir)).code, 1, 'a day no calendar has');
  });

  it('renames the title’s bytes and the file, and items that named the old title then name the id', async () => {
    const before = await files(dir);
    const r = await atlas(['milestone', 'rename', 'beta', 'Public beta'], dir);
    assert.equal(r.code, 0, r.err);
    const after = await files(dir);
    assert.equal(after['backlog/milestones/m-0 - beta.md'], undefined);
    assert.equal(after['backlog/milestones/m-0 - public-beta.md'], before['backlog/milestones/m-0 - beta.md'].replace('title: "Beta"', 'title: "Public beta"'));
    assert.match(after['backlog/tasks/task-1 - One.md'], /^milestone: m-0$/m);
    assert.equal(after['backlog/tasks/task-2 - Two.md'], before['backlog/tasks/task-2 - Two.md'], 'named by id already');
    assert.equal(after['backlog/tasks/task-3 - Three.md'], before['backlog/tasks/task-3 - Three.md']);
  });

  it('removes a milestone: its items cleared, moved to another, or kept; its file archived', async () => {
    assert.equal((await atlas(['milestone', 'add', 'Groups'], dir)).code, 0);
    const moved = await atlas(['milestone', 'remove', 'm-0', '--task-handling', 'reassign', '--reassign-to', 'Groups'], dir);
    assert.equal(moved.code, 0, moved.err);
    const after = await files(dir);
    assert.ok(after['backlog/archive/milestones/m-0 - beta.md'], 'archived, not deleted');
    assert.match(after['backlog/tasks/task-1 - One.md'], /^milestone: m-4$/m);
    assert.match(after['backlog/tasks/task-2 - Two.md'], /^milestone: m-4$/m);

    const cleared = await atlas(['milestone', 'remove', 'Groups'], dir);
    assert.equal(cleared.code, 0, cleared.err);
    const now = await files(dir);
    assert.doesNotMatch(now['backlog/tasks/task-1 - One.md'], /milestone:/);
    assert.equal((await atlas(['milestone', 'remove', 'nope'], dir)).code, 1);
    assert.equal((await atlas(['milestone', 'remove', 'm-9', '--task-handling', 'later'], dir)).code, 2);
  });

  it('archives a milestone and leaves its items naming it', async () => {
    const before = await files(dir);
    const r = await atlas(['milestone', 'archive', 'Beta'], dir);
    assert.equal(r.code, 0, r.err);
    const after = await files(dir);
    assert.equal(after['backlog/archive/milestones/m-0 - beta.md'], before['backlog/milestones/m-0 - beta.md']);
    assert.equal(after['backlog/tasks/task-1 - One.md'], before['backlog/tasks/task-1 - One.md']);
  });

  describe(`read back by the real Backlog.md ${BACKLOG_MD_TEST_VERSION}`, function () {
    this.timeout(60_000);
    const binaryOf = requireBacklogMd();
    let binary = '';
    beforeEach(() => (binary = binaryOf()));

    it('lists the milestones we add, rename and remove as its own', async () => {
      const work = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-bmd-milestones-'));
      try {
        backlogMd(binary, ['init', 'Interop', '--no-git', '--defaults', '--integration-mode', 'none'], work);
        backlogMd(binary, ['milestone', 'add', 'Beta'], work);
        backlogMd(binary, ['task', 'create', 'One', '--milestone', 'Beta'], work);
        assert.equal((await atlas(['milestone', 'add', 'Groups'], work)).code, 0);
        assert.equal((await atlas(['milestone', 'rename', 'Beta', 'Public beta'], work)).code, 0);
        const listed = backlogMd(binary, ['milestone', 'list', '--plain'], work);
        assert.match(listed, /m-0: Public beta \(0\/1 done\)/);
        assert.match(listed, /m-1: Groups \(0\/0 done\)/);
        assert.equal((await atlas(['milestone', 'remove', 'Public beta', '--task-handling', 'reassign', '--reassign-to', 'm-1'], work)).code, 0);
        const after = backlogMd(binary, ['milestone', 'list', '--plain'], work);
        assert.doesNotMatch(after, /Public beta/);
        assert.match(after, /m-1: Groups \(0\/1 done\)/);
        // And it adds after ours: the next number, past the archived one.
        assert.match(backlogMd(binary, ['milestone', 'add', 'Later'], work), /\(m-2\)/);
      } finally {
        await fs.rm(work, { recursive: true, force: true });
      }
    });
  });
});
