import * as assert from 'assert';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { itemText, memoryBacklog } from './helpers';

/** A workspace whose reads take a while, as a disk or a remote file system does. */
class SlowWorkspace extends MemoryWorkspace {
  slow = false;
  override async read(path: string): Promise<Uint8Array> {
    if (this.slow) await new Promise((r) => setTimeout(r, 5));
    return super.read(path);
  }
}

const config = 'project_name: "Trailhead"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const sprints = [
  'sprints:',
  '  - {id: S-1, name: Sprint 1, state: closed, capacity: 10}',
  '  - {id: S-2, name: Sprint 2, state: active, capacity: 20}',
].join('\n');

function files() {
  return {
    'backlog/config.yml': config,
    'backlog/sprints.yml': sprints,
    'backlog/releases.yml': "releases:\n  - {id: R-1, name: '1.0', date: '2026-12-18'}\n",
    'backlog/roadmap.yml': 'themes:\n  - {id: T-1, title: Offline, horizon: now}\n',
    'backlog/storymap.yml': 'activities:\n  - id: plan\n    title: Plan\n    steps:\n      - {id: find, title: Find a route}\n',
    'backlog/tasks/bl-1 - Epic.md': itemText({ id: 'BL-1', title: 'Offline epic', type: 'epic', rank: 'a3', theme: 'T-1' }),
    'backlog/tasks/bl-2 - A.md': itemText({ id: 'BL-2', title: 'A', type: 'story', estimate: 3, rank: 'a1', epic: 'BL-1', sprint: 'S-2', step: 'find', status: 'Done' }),
    'backlog/tasks/bl-3 - B.md': itemText({ id: 'BL-3', title: 'B', type: 'story', size: 'M', rank: 'a0', epic: 'BL-1', release: 'R-1' }),
    'backlog/tasks/bl-4 - C.md': itemText({ id: 'BL-4', title: 'C', ordinal: 2000, priority: 'low' }),
    'backlog/tasks/bl-5 - D.md': itemText({ id: 'BL-5', title: 'D', priority: 'high' }),
    'backlog/tasks/bl-6 - E.md': itemText({ id: 'BL-6', title: 'E', ordinal: 1000 }),
    'backlog/tasks/bl-7 - Idea.md': itemText({ id: 'BL-7', title: 'Idea', type: 'opportunity', rank: 'a2' }),
    'backlog/completed/bl-8 - Old.md': itemText({ id: 'BL-8', title: 'Old', estimate: 2, sprint: 'S-1' }),
  };
}

describe('the index', () => {
  it("orders the product backlog by Backlog.md's ordinal, then rank, then priority, then id", async () => {
    const { backlog } = await memoryBacklog(files());
    // BL-2 is done, BL-7 an opportunity, BL-8 completed: none is in the product backlog.
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['BL-6', 'BL-4', 'BL-3', 'BL-1', 'BL-5']);
    assert.deepStrictEqual(backlog().opportunityBacklog().map((i) => i.id), ['BL-7']);
  });

  it('derives sprint and release backlogs, epic and theme roll-ups, and the story-map grid', async () => {
    const { backlog } = await memoryBacklog(files());
    const b = backlog();
    assert.deepStrictEqual(b.sprintBacklog('S-2').map((i) => i.id), ['BL-2']);
    assert.deepStrictEqual(b.sprintBacklog('s-1').map((i) => i.id), ['BL-8']);
    assert.strictEqual(b.activeSprint()?.id, 'S-2');
    assert.deepStrictEqual(b.releaseBacklog('R-1').map((i) => i.id), ['BL-3']);
    // Size M counts 5 points through the default size map.
    assert.deepStrictEqual(b.epicRollup('BL-1'), { pointsDone: 3, pointsTotal: 8, itemsDone: 1, itemsTotal: 2 });
    assert.deepStrictEqual(b.themeRollup('T-1'), { pointsDone: 3, pointsTotal: 8, itemsDone: 1, itemsTotal: 2 });
    // A sprint or release that lists an epic does not count its size on top of its stories'.
    assert.deepStrictEqual(b.rollup([b.item('BL-1')!, b.item('BL-2')!, b.item('BL-3')!]), { pointsDone: 3, pointsTotal: 8, itemsDone: 1, itemsTotal: 2 });
    const grid = b.storyMapGrid();
    assert.deepStrictEqual(grid.cells.map((c) => [c.stepId, c.items.map((i) => i.id)]), [['find', ['BL-2']]]);
    assert.deepStrictEqual(grid.unmapped.map((i) => i.id), ['BL-3']);
  });

  it('re-reads only the changed file and tells listeners which', async () => {
    const { ws, index, backlog } = await memoryBacklog(files());
    const seen: string[][] = [];
    index.onDidChange((c) => seen.push(c.paths));
    ws.write('/ws/backlog/tasks/bl-4 - C.md', itemText({ id: 'BL-4', title: 'C renamed', ordinal: 10 }));
    await index.applyChanges([{ kind: 'changed', path: '/ws/backlog/tasks/bl-4 - C.md' }]);
    assert.deepStrictEqual(seen, [['/ws/backlog/tasks/bl-4 - C.md']]);
    assert.strictEqual(backlog().item('BL-4')?.title, 'C renamed');
    assert.strictEqual(backlog().productBacklog()[0].id, 'BL-4', 'the cached order was recomputed');
    ws.delete('/ws/backlog/tasks/bl-4 - C.md');
    await index.applyChanges([{ kind: 'deleted', path: '/ws/backlog/tasks/bl-4 - C.md' }]);
    assert.strictEqual(backlog().item('BL-4'), undefined);
  });

  it('tells no one of a change that left the file as the index read it, as a second watcher reports it', async () => {
    const { ws, index, backlog } = await memoryBacklog(files());
    const seen: string[][] = [];
    index.onDidChange((c) => seen.push(c.paths));
    const path = '/ws/backlog/tasks/bl-4 - C.md';
    const before = backlog().item('BL-4');
    await index.applyChanges([{ kind: 'changed', path }]);
    assert.deepStrictEqual(seen, [], 'the same text, read again');
    assert.strictEqual(backlog().item('BL-4'), before, 'the item was parsed again');
    ws.write(path, itemText({ id: 'BL-4', title: 'C renamed', ordinal: 2000, priority: 'low' }));
    await index.applyChanges([{ kind: 'changed', path }]);
    await index.applyChanges([{ kind: 'changed', path }]);
    assert.deepStrictEqual(seen, [[path]], 'one change, heard twice');
    assert.strictEqual(backlog().item('BL-4')?.title, 'C renamed');
  });

  it('reads a root once for a batch that names several of its folders and files', async () => {
    const { ws, index, backlog } = await memoryBacklog(files());
    let reads = 0;
    const read = ws.read.bind(ws);
    ws.read = (path, options) => {
      reads++;
      return read(path, options);
    };
    ws.write('/ws/backlog/archive/drafts/draft-1 - Idea.md', itemText({ id: 'DRAFT-1', title: 'Idea' }));
    ws.write('/ws/backlog/archive/tasks/bl-9 - Gone.md', itemText({ id: 'BL-9', title: 'Gone' }));
    const seen: string[][] = [];
    index.onDidChange((c) => seen.push(c.paths));
    await index.applyChanges([
      { kind: 'created', path: '/ws/backlog/archive' },
      { kind: 'created', path: '/ws/backlog/archive/drafts' },
      { kind: 'created', path: '/ws/backlog/archive/tasks' },
      { kind: 'created', path: '/ws/backlog/archive/drafts/draft-1 - Idea.md' },
    ]);
    assert.strictEqual(reads, Object.keys(files()).length + 2, 'every file of the root, once');
    assert.strictEqual(backlog().item('DRAFT-1')?.title, 'Idea');
    assert.strictEqual(backlog().item('BL-9')?.title, 'Gone');
    assert.strictEqual(seen.length, 1);
  });

  it('reports a duplicate id on both files, as after two branches merge', async () => {
    const f = { ...files(), 'backlog/tasks/bl-9 - Twin.md': itemText({ id: 'bl-02', title: 'Twin' }) };
    const { index } = await memoryBacklog(f);
    const d = index.diagnostics();
    const dup = (p: string) => d.get(p)?.find((x) => x.code === 'duplicate-id');
    assert.match(dup('/ws/backlog/tasks/bl-2 - A.md')!.message, /bl-9 - Twin\.md/);
    assert.match(dup('/ws/backlog/tasks/bl-9 - Twin.md')!.message, /bl-2 - A\.md/);
    assert.strictEqual(dup('/ws/backlog/tasks/bl-9 - Twin.md')!.line, 1);
  });

  it('warns about references to sprints, releases, epics, themes and steps that do not exist', async () => {
    const f = { ...files(), 'backlog/tasks/bl-9 - X.md': itemText({ id: 'BL-9', title: 'X', sprint: 'S-9', release: 'R-9', epic: 'BL-3', theme: 'T-9', step: 'nope' }) };
    const { index } = await memoryBacklog(f);
    const codes = index.diagnostics().get('/ws/backlog/tasks/bl-9 - X.md')!.map((d) => `${d.code}@${d.line}`);
    assert.deepStrictEqual(codes.sort(), ['unknown-epic@5', 'unknown-release@4', 'unknown-sprint@3', 'unknown-step@7', 'unknown-theme@6']);
  });

  it('keeps a broken file visible as a diagnostic instead of dropping it silently', async () => {
    const f = { ...files(), 'backlog/tasks/bl-9 - Broken.md': '---\nid: BL-9\ntitle: "oops\n---\n' };
    const { index, backlog } = await memoryBacklog(f);
    assert.strictEqual(backlog().item('BL-9'), undefined);
    assert.ok(index.diagnostics().get('/ws/backlog/tasks/bl-9 - Broken.md')!.some((d) => d.severity === 'error'));
  });

  it('re-reads the whole root when config.yml changes, because statuses decide other files', async () => {
    const { ws, index } = await memoryBacklog(files());
    const full: boolean[] = [];
    index.onDidChange((c) => full.push(c.full));
    ws.write('/ws/backlog/config.yml', 'task_prefix: "bl"\nstatuses: ["Open", "Closed"]\n');
    await index.applyChanges([{ kind: 'changed', path: '/ws/backlog/config.yml' }]);
    assert.deepStrictEqual(full, [true], 'listeners are told to refresh everything');
    const warnings = [...index.diagnostics().values()].flat().filter((d) => d.code === 'unknown-status');
    assert.strictEqual(warnings.length, 1, 'BL-2 says Done, which the new config does not have');
  });

  it('finds backlogs in every folder and in configured roots of a monorepo', async () => {
    const { index } = await memoryBacklog({
      'backlog/config.yml': config,
      '.backlog/config.yml': config,
      'packages/app/backlog/config.yml': config,
    });
    assert.deepStrictEqual(index.roots().map((b) => b.root), ['/ws/backlog', '/ws/.backlog']);
    await index.setOptions({ folders: ['/ws'], extraRoots: ['packages/app/backlog'] });
    assert.strictEqual(index.roots().length, 3);
  });

  it('never shows a half-read backlog while a file or the whole root is read again', async () => {
    const ws = new SlowWorkspace(Object.fromEntries(Object.entries(files()).map(([p, c]) => [`/ws/${p}`, c])));
    const index = new BacklogIndex(ws, { folders: ['/ws'] });
    await index.build();
    const count = () => index.roots()[0].items().length;
    const full = count();
    ws.slow = true;
    for (const path of ['/ws/backlog/tasks/bl-4 - C.md', '/ws/backlog/config.yml']) {
      const seen: number[] = [];
      const timer = setInterval(() => seen.push(count()), 1);
      await index.applyChanges([{ kind: 'changed', path }]);
      clearInterval(timer);
      assert.ok(seen.length > 0, 'the index was looked at while it was reading');
      assert.deepStrictEqual([...new Set(seen)], [full], path);
    }
    assert.strictEqual(count(), full);
  });

  it('rebuilds only for changes where a root can appear, configured roots included', async () => {
    const ws = new MemoryWorkspace({ '/ws/backlog/config.yml': config });
    const index = new BacklogIndex(ws, { folders: ['/ws'], extraRoots: ['packages/app/backlog'] });
    await index.build();
    let full = 0;
    index.onDidChange((c) => (full += c.full ? 1 : 0));
    ws.write('/ws/src/backlog/view.ts', 'export {}');
    await index.applyChanges([{ kind: 'created', path: '/ws/src/backlog/view.ts' }]);
    assert.strictEqual(full, 0, 'a source folder named backlog is not a backlog');
    ws.write('/ws/packages/app/backlog/config.yml', config);
    await index.applyChanges([{ kind: 'created', path: '/ws/packages/app/backlog/config.yml' }]);
    assert.strictEqual(full, 1);
    assert.deepStrictEqual(index.roots().map((b) => b.root), ['/ws/backlog', '/ws/packages/app/backlog']);
  });

  it("searches each folder for its own configured roots only, and never outside it", async () => {
    const ws = new MemoryWorkspace({
      '/a/packages/app/backlog/config.yml': config,
      '/b/packages/app/backlog/config.yml': config,
      '/outside/backlog/config.yml': config,
    });
    const index = new BacklogIndex(ws, { folders: ['/a', '/b'], folderRoots: { '/a': ['packages/app/backlog', '../outside/backlog'] } });
    await index.build();
    assert.deepStrictEqual(index.roots().map((b) => b.root), ['/a/packages/app/backlog']);
  });
});


describe('Markdown files no tool reads by their name', () => {
  const config = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n';
  const codes = (index: BacklogIndex, path: string) => (index.diagnostics().get(path) ?? []).map((d) => `${d.severity} ${d.code}`);

  it('are warned of in an item folder, as they appear and until they go, and a README is not', async () => {
    const { index, ws } = await memoryBacklog({
      'backlog/config.yml': config,
      'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do' }),
      'backlog/tasks/draft-1.1 - Sub.md': itemText({ id: 'DRAFT-1.1', title: 'Sub', status: 'To Do' }),
      'backlog/tasks/README.md': '# What goes here\n',
      'backlog/drafts/bl-2 - Old draft.md': itemText({ id: 'BL-2', title: 'Old draft', status: 'Draft' }),
      'backlog/milestones/release-1.md': '---\nid: m-1\ntitle: One\n---\n',
    });
    assert.deepStrictEqual(codes(index, '/ws/backlog/tasks/draft-1.1 - Sub.md'), ['warning unread-file-name']);
    assert.match(index.diagnostics().get('/ws/backlog/tasks/draft-1.1 - Sub.md')![0].message, /in tasks\/, Backlog\.md and Backlog Atlas read only files whose names start with "bl-"/);
    assert.match(index.diagnostics().get('/ws/backlog/milestones/release-1.md')![0].message, /start with "m-"/);
    assert.deepStrictEqual(codes(index, '/ws/backlog/tasks/README.md'), []);
    // A draft named with the task prefix is still a draft, as Backlog.md's older layout had it.
    assert.deepStrictEqual(codes(index, '/ws/backlog/drafts/bl-2 - Old draft.md'), []);
    assert.deepStrictEqual(index.roots()[0].items().map((i) => i.id).sort(), ['BL-1', 'BL-2']);

    ws.write('/ws/backlog/completed/notes.md', '# notes\n');
    await index.applyChanges([{ kind: 'changed', path: '/ws/backlog/completed/notes.md' }]);
    assert.deepStrictEqual(codes(index, '/ws/backlog/completed/notes.md'), ['warning unread-file-name']);
    ws.delete('/ws/backlog/tasks/draft-1.1 - Sub.md');
    await index.applyChanges([{ kind: 'deleted', path: '/ws/backlog/tasks/draft-1.1 - Sub.md' }]);
    assert.deepStrictEqual(codes(index, '/ws/backlog/tasks/draft-1.1 - Sub.md'), []);
  });
});
