import * as assert from 'assert';
import * as path from 'path';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';

// A backlog exactly as Backlog.md writes it (test/fixtures/backlogmd/README.md) must open as it is.
describe('a Backlog.md backlog', () => {
  const folder = path.resolve(__dirname, '../fixtures/backlogmd').split(path.sep).join('/');
  let index: BacklogIndex;
  before(async () => {
    index = new BacklogIndex(new NodeWorkspace(), { folders: [folder] });
    await index.build();
  });

  it('opens without errors, and the one hand-written oddity is explained', () => {
    const all = [...index.diagnostics().values()].flat();
    assert.deepStrictEqual(all.filter((d) => d.severity === 'error'), []);
    assert.deepStrictEqual(all.map((d) => d.code), ['unquoted-handle']);
  });

  it('finds every task in every folder, drafts and archive included', () => {
    const b = index.roots()[0];
    const byFolder = (f: string) => b.items().filter((i) => i.folder === f).map((i) => i.id).sort();
    assert.strictEqual(b.items().length, 18);
    assert.deepStrictEqual(byFolder('completed'), ['TASK-1', 'TASK-2']);
    assert.deepStrictEqual(byFolder('archive'), ['TASK-14']);
    assert.deepStrictEqual(byFolder('drafts'), ['DRAFT-1', 'DRAFT-2']);
  });

  it('reads acceptance criteria as Backlog.md does', () => {
    const b = index.roots()[0];
    const expected: Record<string, [number, number]> = {
      'TASK-1': [2, 2], 'TASK-2': [3, 3], 'TASK-3': [1, 3], 'TASK-3.01': [2, 2], 'TASK-4': [1, 3], 'TASK-5': [1, 2],
      'TASK-7': [3, 3], 'TASK-8': [1, 2], 'TASK-9': [0, 2], 'TASK-11': [0, 2], 'TASK-13': [0, 2],
    };
    for (const [id, [done, total]] of Object.entries(expected)) {
      const ac = b.item(id)!.acceptanceCriteria;
      assert.deepStrictEqual([ac.filter((c) => c.checked).length, ac.length], [done, total], id);
    }
  });

  it('links subtasks to their parent and milestones to their tasks, by id or by title', () => {
    const b = index.roots()[0];
    assert.deepStrictEqual(b.children('TASK-3').map((i) => i.id), ['TASK-3.01', 'TASK-3.02']);
    assert.deepStrictEqual(b.releases().map((r) => `${r.id} ${r.source} ${r.name}`).sort(), ['m-0 milestone First preview', 'm-1 milestone 1.0 release']);
    assert.strictEqual(b.releaseBacklog('m-1').length, 7);
    const legacy = b.item('task-8')!;
    assert.deepStrictEqual(legacy.assignee, ['@jo']);
    assert.strictEqual(b.release(legacy.milestone!)?.id, 'm-0', 'an old file names its milestone by title');
    assert.ok(b.releaseBacklog('m-0').some((i) => i.key === legacy.key));
    assert.strictEqual(b.item('TASK-08')?.key, legacy.key, 'ids compare number by number');
  });

  it('sorts by ordinal, then priority, then id, as Backlog.md does', () => {
    const open = index.roots()[0].productBacklog().map((i) => i.id);
    assert.ok(open.length >= 10);
    const b = index.roots()[0];
    const ordinals = open.map((id) => b.item(id)!.ordinal).filter((o): o is number => o !== undefined);
    assert.deepStrictEqual(ordinals, [...ordinals].sort((x, y) => x - y));
  });
});
