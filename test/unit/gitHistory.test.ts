// Reading a backlog's past from git output: the parsers against real `git` output from a
// scratch repository, whatever the chunking, and the replay of moves, renames and deletions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { BlobSlices, blobsToRead, CatFileObject, CatFileParser, commitDay, GitCommit, gitLogArgs, HistoryReplay, itemFolderOf, parseGitLog, replayHistory, snapshotOfBlob } from '../../src/core/history/gitHistory';
import { HistoryEntry, ItemSnapshot, snapshotOf, Timeline, timelineOf } from '../../src/core/history/history';
import { Slices } from '../../src/core/steps';
import { releaseBurn } from '../../src/views/reports/reports';
import { itemText, memoryBacklog } from './helpers';

const CONFIG = 'project_name: "Git"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const DAY = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

function snap(key: string, fields: Partial<ItemSnapshot> = {}): ItemSnapshot {
  return { key, id: key, title: key, points: 1, estimated: true, done: false, ...fields };
}

function commit(time: string, changes: [string, string, string][]): GitCommit {
  return { hash: 'a'.repeat(40), time: Date.parse(`${time}T12:00:00Z`) / 1000, changes: changes.map(([status, blob, p]) => ({ status, blob, path: p })) };
}

/** The replay as it was before it ran in steps: a commit at a time, each in one call. */
function replayBefore(commits: GitCommit[], rootPrefix: string, snapshots: Map<string, ItemSnapshot | undefined>, dayOf: (time: number) => string, complete = true): Timeline {
  const timeline: Timeline = new Map();
  const keyAt = new Map<string, string>();
  const paths = new Map<string, number>();
  let lastTime = -Infinity;
  let sawItems = false;
  const setPath = (path: string, key: string | undefined) => {
    const old = keyAt.get(path);
    if (old !== undefined) paths.set(old, (paths.get(old) ?? 1) - 1);
    if (key === undefined) keyAt.delete(path);
    else {
      keyAt.set(path, key);
      paths.set(key, (paths.get(key) ?? 0) + 1);
    }
  };
  const push = (key: string, entry: HistoryEntry) => {
    const list = timeline.get(key);
    if (list) list.push(entry);
    else timeline.set(key, [entry]);
  };
  for (const c of commits) {
    lastTime = Math.max(lastTime, c.time);
    const date = dayOf(lastTime);
    const present = new Set<string>();
    const deletedKeys: string[] = [];
    const bringsBacklog = !sawItems;
    for (const ch of c.changes) {
      const folder = itemFolderOf(ch.path, rootPrefix);
      if (!folder) continue;
      const previous = keyAt.get(ch.path);
      if (ch.status === 'D' || /^0+$/.test(ch.blob)) {
        setPath(ch.path, undefined);
        if (previous !== undefined) deletedKeys.push(previous);
        continue;
      }
      const snap = snapshots.get(`${ch.blob}\0${folder}`);
      if (!snap) continue;
      setPath(ch.path, snap.key);
      present.add(snap.key);
      if (previous !== undefined && previous !== snap.key) deletedKeys.push(previous);
      sawItems = true;
      const imported = bringsBacklog && snap.createdDate !== undefined && snap.createdDate < date;
      const created = complete && ch.status === 'A' && !timeline.has(snap.key) && !imported ? true : undefined;
      push(snap.key, { date, snapshot: snap, fromHistory: true, created });
    }
    for (const key of deletedKeys) {
      if (present.has(key) || (paths.get(key) ?? 0) > 0) continue;
      push(key, { date, snapshot: undefined, fromHistory: true });
    }
  }
  return timeline;
}

describe('git history', () => {
  describe('in a scratch repository', () => {
    let dir: string;
    const git = (args: string[], date?: string) =>
      execFileSync('git', args, {
        cwd: dir,
        env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
      });
    const write = (p: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    };

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-git-'));
      git(['init', '-q', '-b', 'main']);
      write('app/backlog/config.yml', CONFIG);
      write('app/backlog/tasks/bl-1 - One.md', itemText({ id: 'BL-1', title: 'One', status: 'To Do', estimate: 3, sprint: 'S-1' }));
      write('app/backlog/tasks/bl-2 - Two with spaces & "quotes".md', itemText({ id: 'BL-2', title: 'Two', status: 'To Do', estimate: 5 }));
      write('README.md', 'not the backlog');
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'one'], '2026-10-01T10:00:00Z');
      // BL-1 done and moved to completed/; BL-2 re-estimated.
      fs.rmSync(path.join(dir, 'app/backlog/tasks/bl-1 - One.md'));
      write('app/backlog/completed/bl-1 - One.md', itemText({ id: 'BL-1', title: 'One', status: 'Done', estimate: 3, sprint: 'S-1' }));
      write('app/backlog/tasks/bl-2 - Two with spaces & "quotes".md', itemText({ id: 'BL-2', title: 'Two', status: 'To Do', estimate: 8 }));
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'two'], '2026-10-03T10:00:00Z');
      // BL-2 deleted.
      fs.rmSync(path.join(dir, 'app/backlog/tasks/bl-2 - Two with spaces & "quotes".md'));
      git(['add', '-A']);
      git(['commit', '-q', '-m', 'three'], '2026-10-05T10:00:00Z');
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('replays what git printed into each item’s versions: a move is not a deletion, a deletion is', async () => {
      const out = execFileSync('git', gitLogArgs(100, '.'), { cwd: path.join(dir, 'app/backlog') }).toString('utf8');
      const commits = parseGitLog(out);
      assert.equal(commits.length, 3);
      assert.deepEqual(commits.map((c) => DAY(c.time)), ['2026-10-01', '2026-10-03', '2026-10-05']);
      // Paths come from the repository's top, with spaces and quotes as they are (-z).
      assert.ok(commits[0].changes.some((c) => c.path === 'app/backlog/tasks/bl-2 - Two with spaces & "quotes".md'));

      const { backlog } = await memoryBacklog({ 'backlog/config.yml': CONFIG });
      const b = backlog();
      const { blobs, cut } = blobsToRead(commits, 'app/backlog/', 100);
      assert.equal(cut, false);
      const batch = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, input: [...blobs.keys()].join('\n') + '\n' });
      const snapshots = new Map<string, ItemSnapshot | undefined>();
      const parser = new CatFileParser((o) => {
        for (const folder of blobs.get(o.sha) ?? []) snapshots.set(`${o.sha}\0${folder}`, snapshotOfBlob(b, `${b.root}/${folder}/x.md`, folder, o.content!));
      });
      // Byte by byte at the start, to be sure a header split anywhere is put back together.
      for (let i = 0; i < 50; i++) parser.push(batch.subarray(i, i + 1));
      parser.push(batch.subarray(50));
      const timeline = replayHistory(commits, 'app/backlog/', snapshots, DAY);

      const one = timeline.get('BL-1')!;
      assert.deepEqual(one.map((e) => [e.date, e.snapshot?.done, e.created]), [['2026-10-01', false, true], ['2026-10-03', true, undefined]]);
      const two = timeline.get('BL-2')!;
      assert.deepEqual(one.length + two.length, 5);
      assert.deepEqual(two.map((e) => [e.date, e.snapshot?.points ?? 'deleted']), [['2026-10-01', 5], ['2026-10-03', 8], ['2026-10-05', 'deleted']]);
    });

    it('asks git only for the backlog folder, oldest first, along the first parent', () => {
      const args = gitLogArgs(5000, '.');
      assert.ok(args.includes('--first-parent') && args.includes('--reverse') && args.includes('-z') && args.includes('--no-renames'));
      assert.deepEqual(args.slice(-2), ['--', '.']);
    });
  });

  describe('parsing', () => {
    it('skips records it cannot read instead of failing the whole history', () => {
      const text = '\0garbage\0\n:odd\0\0' + 'b'.repeat(40) + ' 1790000000\0\n:100644 100644 ' + '1'.repeat(40) + ' ' + '2'.repeat(40) + ' M\0backlog/tasks/x.md\0:odd line\0';
      const commits = parseGitLog(text);
      assert.equal(commits.length, 1);
      assert.deepEqual(commits[0].changes, [{ status: 'M', blob: '2'.repeat(40), path: 'backlog/tasks/x.md' }]);
    });

    it('counts an object over the size limit through without keeping it, and reads the next one', () => {
      const big = 8 * 1024 * 1024;
      const got: CatFileObject[] = [];
      const parser = new CatFileParser((o) => got.push(o), 1024);
      parser.push(Buffer.from(`${'a'.repeat(40)} blob ${big}\n`));
      // 64 KiB chunks, as a pipe gives them (joining each onto the rest was quadratic: 46 s at 64 MiB).
      const chunk = new Uint8Array(64 * 1024);
      for (let n = 0; n < big / chunk.length; n++) parser.push(chunk);
      parser.push(Buffer.from(`\n${'b'.repeat(40)} blob 2\nhi\n`));
      assert.deepEqual(got.map((o) => [o.sha[0], o.content && Buffer.from(o.content).toString()]), [['a', undefined], ['b', 'hi']]);
    });

    it('dates commits by their UTC day, the clock of completed_date and today', () => {
      assert.equal(commitDay(Date.parse('2026-11-20T23:30:00Z') / 1000), '2026-11-20');
      assert.equal(commitDay(Date.parse('2026-11-21T00:10:00+10:00') / 1000), '2026-11-20');
    });

    it('splits cat-file output into the same objects however it is chunked', () => {
      const objects = fc.array(fc.tuple(fc.stringMatching(/^[0-9a-f]{40}$/), fc.option(fc.uint8Array({ maxLength: 300 }))), { maxLength: 8 });
      fc.assert(
        fc.property(objects, fc.array(fc.nat(400), { maxLength: 10 }), (list, cuts) => {
          const parts: Buffer[] = [];
          for (const [sha, content] of list) {
            if (content === null) parts.push(Buffer.from(`${sha} missing\n`));
            else parts.push(Buffer.from(`${sha} blob ${content.length}\n`), Buffer.from(content), Buffer.from('\n'));
          }
          const stream = Buffer.concat(parts);
          const got: CatFileObject[] = [];
          const parser = new CatFileParser((o) => got.push(o));
          const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const c of [...at, stream.length]) {
            parser.push(stream.subarray(from, c));
            from = c;
          }
          assert.deepEqual(
            got.map((o) => [o.sha, o.content ? Buffer.from(o.content).toString('hex') : null]),
            list.map(([sha, content]) => [sha, content === null ? null : Buffer.from(content).toString('hex')]),
          );
        }),
      );
    });
  });

  describe('replay', () => {
    const S = (key: string, fields: Partial<ItemSnapshot> = {}) => snap(key, fields);

    it('replays a slice of commits and files at a time, within a commit too, into the versions a commit at a time gave (property)', () => {
      // Blobs b0–b7 hold BL-1 to BL-4 (b6 does not parse, b7 was not read); paths in and out of the item folders.
      const snaps = new Map<string, ItemSnapshot | undefined>();
      for (let b = 0; b < 6; b++) for (const folder of ['tasks', 'completed']) snaps.set(`b${b}\0${folder}`, S(`BL-${(b % 4) + 1}`, { points: b, createdDate: b % 2 ? '2026-09-20' : undefined }));
      snaps.set('b6\0tasks', undefined);
      const change = fc.tuple(fc.constantFrom('A', 'M', 'D'), fc.constantFrom('b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', '0'.repeat(40)), fc.constantFrom('backlog/tasks/a.md', 'backlog/tasks/b.md', 'backlog/completed/a.md', 'backlog/notes/x.md', 'src/y.md'));
      const commits = fc.array(fc.tuple(fc.constantFrom('2026-10-01', '2026-10-02', '2026-09-28', '2026-10-05'), fc.array(change, { maxLength: 6 })), { maxLength: 8 });
      fc.assert(
        fc.property(commits, fc.integer({ min: 1, max: 4 }), fc.boolean(), (list, size, complete) => {
          const cs = list.map(([time, changes]) => commit(time, changes));
          const replay = new HistoryReplay('backlog/', snaps, DAY, complete);
          const steps = replay.addSteps(cs, new Slices(size));
          let turns = 0;
          while (!steps.next().done) turns++;
          // A slice counts commits and the files they changed alike.
          const units = cs.reduce((n, c) => n + 1 + c.changes.length, 0);
          assert.equal(turns, Math.ceil(units / size));
          assert.deepEqual([...replay.timeline], [...replayBefore(cs, 'backlog/', snaps, DAY, complete)]);
          assert.deepEqual([...replayHistory(cs, 'backlog/', snaps, DAY, complete)], [...replay.timeline]);
        }),
        { numRuns: 500 },
      );
    });

    it('keeps the branch’s order when committer clocks go backwards', () => {
      const snaps = new Map([
        ['b1\0tasks', S('BL-1', { points: 1 })],
        ['b2\0tasks', S('BL-1', { points: 2 })],
      ]);
      const t = replayHistory([commit('2026-10-05', [['A', 'b1', 'backlog/tasks/a.md']]), commit('2026-10-03', [['M', 'b2', 'backlog/tasks/a.md']])], 'backlog/', snaps, DAY);
      assert.deepEqual(t.get('BL-1')!.map((e) => e.date), ['2026-10-05', '2026-10-05']);
    });

    it('treats a file renamed in one commit as the same item, and a first appearance in a cut history as no creation', () => {
      const snaps = new Map([
        ['b1\0tasks', S('BL-1')],
        ['b2\0tasks', S('BL-1', { title: 'Renamed' })],
      ]);
      const commits = [commit('2026-10-01', [['A', 'b1', 'backlog/tasks/old.md']]), commit('2026-10-02', [['D', '0'.repeat(40), 'backlog/tasks/old.md'], ['A', 'b2', 'backlog/tasks/new.md']])];
      const t = replayHistory(commits, 'backlog/', snaps, DAY);
      assert.deepEqual(t.get('BL-1')!.map((e) => e.snapshot?.title ?? 'deleted'), ['BL-1', 'Renamed']);
      assert.equal(t.get('BL-1')![0].created, true);
      assert.equal(replayHistory(commits, 'backlog/', snaps, DAY, false).get('BL-1')![0].created, undefined);
    });

    it('takes the files’ created dates over the commit that brought the whole backlog in, and only that one', () => {
      const snaps = new Map([
        ['b1\0tasks', S('BL-1', { createdDate: '2026-09-01' })],
        ['b2\0tasks', S('BL-2', { createdDate: '2026-10-01' })],
        ['b3\0tasks', S('BL-3', { createdDate: '2026-09-15' })],
      ]);
      // A squashed import on 2026-10-01, then BL-3 committed later with an older created_date.
      const commits = [commit('2026-10-01', [['A', 'b1', 'backlog/tasks/a.md'], ['A', 'b2', 'backlog/tasks/b.md']]), commit('2026-10-08', [['A', 'b3', 'backlog/tasks/c.md']])];
      const t = replayHistory(commits, 'backlog/', snaps, DAY);
      // Imported: git does not know when BL-1 was created, its file does.
      assert.equal(t.get('BL-1')![0].created, undefined);
      // Created on the day of the import: the commit is its creation.
      assert.equal(t.get('BL-2')![0].created, true);
      // Added after the backlog was in git: git saw it being created.
      assert.equal(t.get('BL-3')![0].created, true);
    });

    it('draws a release burn-up over every sprint when the history is one import commit', async () => {
      const sprints = [
        "  - {id: S-1, name: One, start: '2026-09-07', end: '2026-09-18', state: closed}",
        "  - {id: S-2, name: Two, start: '2026-09-21', end: '2026-10-02', state: closed}",
        "  - {id: S-3, name: Three, start: '2026-10-05', end: '2026-10-16', state: active}",
      ];
      const files: Record<string, string> = {
        'backlog/config.yml': CONFIG,
        'backlog/sprints.yml': `sprints:\n${sprints.join('\n')}\n`,
        'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2026-12-18'}\n",
        'backlog/tasks/bl-1 - a.md': itemText({ id: 'BL-1', title: 'A', status: 'Done', estimate: 3, release: 'R-1', sprint: 'S-1', created_date: "'2026-09-01'", completed_date: "'2026-09-10'" }),
        'backlog/tasks/bl-2 - b.md': itemText({ id: 'BL-2', title: 'B', status: 'To Do', estimate: 5, release: 'R-1', sprint: 'S-3', created_date: "'2026-09-22'" }),
      };
      const { backlog } = await memoryBacklog(files);
      const b = backlog();
      const one = b.item('BL-1')!;
      const two = b.item('BL-2')!;
      // All of it committed at once, on 2026-10-06.
      const snaps = new Map([
        ['b1\0tasks', snapshotOf(b, one)],
        ['b2\0tasks', snapshotOf(b, two)],
      ]);
      const history = replayHistory([commit('2026-10-06', [['A', 'b1', 'backlog/tasks/bl-1 - a.md'], ['A', 'b2', 'backlog/tasks/bl-2 - b.md']])], 'backlog/', snaps, DAY);
      const timeline = timelineOf(b, { items: history, source: 'git', commits: 1, detail: '' }, '2026-10-09');
      const r = releaseBurn(b, 'R-1', timeline, { today: '2026-10-09', unit: 'points', hasHistory: true });
      assert.ok(!('empty' in r), JSON.stringify(r));
      assert.deepEqual(
        r.columns.map((c) => [c.sprintId, c.scope, c.completed]),
        [
          ['S-1', 3, 3],
          ['S-2', 8, 3],
          ['S-3', 8, 3],
        ],
      );
    });

    it('reads the newest versions first when there are more than it will read, and says the history was cut', () => {
      const commits = [commit('2026-10-01', [['A', 'old', 'backlog/tasks/a.md']]), commit('2026-10-02', [['M', 'mid', 'backlog/tasks/a.md']]), commit('2026-10-03', [['M', 'new', 'backlog/tasks/a.md']])];
      const { blobs, cut } = blobsToRead(commits, 'backlog/', 2);
      assert.deepEqual([[...blobs.keys()], cut], [['new', 'mid'], true]);
    });

    it('ignores files outside the backlog’s item folders and versions that do not parse', () => {
      const snaps = new Map<string, ItemSnapshot | undefined>([['b1\0tasks', undefined]]);
      const t = replayHistory([commit('2026-10-01', [['A', 'b1', 'backlog/tasks/broken.md'], ['A', 'b2', 'backlog/notes/x.md'], ['A', 'b3', 'src/x.md']])], 'backlog/', snaps, DAY);
      assert.equal(t.size, 0);
      assert.equal(blobsToRead([commit('2026-10-01', [['A', 'b2', 'backlog/notes/x.md'], ['A', 'b4', 'backlog/completed/y.md']])], 'backlog/', 10).blobs.size, 1);
    });

    it('leaves epics, opportunities and drafts out of every sprint and release: their work is counted elsewhere or not planned', async () => {
      const { backlog } = await memoryBacklog({
        'backlog/config.yml': CONFIG,
        'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2026-12-18'}\n",
        'backlog/tasks/bl-1 - epic.md': itemText({ id: 'BL-1', title: 'Epic', status: 'To Do', type: 'epic', size: 'XL', release: 'R-1', sprint: 'S-1' }),
        'backlog/tasks/bl-2 - story.md': itemText({ id: 'BL-2', title: 'Story', status: 'To Do', type: 'story', estimate: 3, release: 'R-1', sprint: 'S-1', epic: 'BL-1' }),
        'backlog/tasks/bl-3 - opp.md': itemText({ id: 'BL-3', title: 'Opportunity', status: 'To Do', type: 'opportunity', release: 'R-1' }),
        'backlog/drafts/draft-4 - draft.md': itemText({ id: 'DRAFT-4', title: 'Draft', status: 'To Do', estimate: 2, release: 'R-1', sprint: 'S-1' }),
      });
      const t = timelineOf(backlog(), undefined, '2026-11-21');
      const planned = [...t.values()].map((e) => e[0].snapshot!).filter((s) => s.sprint !== undefined || s.release !== undefined);
      assert.deepEqual(planned.map((s) => [s.id, s.sprint, s.release]), [['BL-2', 'S-1', 'R-1']]);
    });

    it('adds the working tree as today’s version, and a deletion for an item that is gone', async () => {
      const { backlog } = await memoryBacklog({ 'backlog/config.yml': CONFIG, 'backlog/tasks/bl-1 - a.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do', estimate: 3, created_date: "'2026-10-02 09:00'" }) });
      const b = backlog();
      const now = timelineOf(b, { items: new Map([['BL-9', [{ date: '2026-10-01', snapshot: S('BL-9'), fromHistory: true }]]]), source: 'git', commits: 1, detail: '' }, '2026-11-21');
      assert.deepEqual(now.get('BL-1')!.map((e) => [e.date, e.fromHistory, e.snapshot?.createdDate]), [['2026-11-21', false, '2026-10-02']]);
      assert.deepEqual(now.get('BL-9')!.map((e) => [e.date, e.snapshot === undefined]), [['2026-10-01', false], ['2026-11-21', true]]);
    });
  });
});

describe('item versions handed on in slices', () => {
  it('hands on every version with content, in order, at most a slice per step, however they arrive', () => {
    const object = fc.record({ sha: fc.stringMatching(/^[0-9a-f]{1,6}$/), content: fc.option(fc.uint8Array({ maxLength: 4 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(fc.array(object, { maxLength: 12 }), { maxLength: 8 }), fc.integer({ min: 1, max: 5 }), (arrivals, perSlice) => {
        const handed: string[] = [];
        const slices = new BlobSlices((sha, bytes) => handed.push(`${sha}:${bytes.join('.')}`), perSlice);
        // Objects arrive in bursts (a chunk each); a step or more runs between bursts, as turns do.
        for (const burst of arrivals) {
          for (const o of burst) slices.add(o);
          const before = handed.length;
          const more = slices.step();
          assert.ok(handed.length - before <= perSlice, 'a step handed on more than a slice');
          assert.equal(more, slices.pending);
        }
        while (slices.step());
        assert.equal(slices.pending, false);
        assert.deepEqual(handed, arrivals.flat().flatMap((o) => (o.content ? [`${o.sha}:${o.content.join('.')}`] : [])));
      }),
      { numRuns: 500 },
    );
  });
});
