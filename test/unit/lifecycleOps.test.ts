import * as assert from 'assert';
import { itemText, memoryBacklog } from './helpers';

const files = () => ({
  'backlog/config.yml': 'task_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/tasks/bl-1 - Map.md': itemText({ id: 'BL-1', title: 'Map', status: 'Done', rank: 'a0' }),
  'backlog/tasks/bl-2 - Route.md': itemText({ id: 'BL-2', title: 'Route', rank: 'a1', dependencies: '[BL-1, bl-3]', references: '[BL-1]' }),
  'backlog/tasks/bl-3 - Share.md': itemText({ id: 'BL-3', title: 'Share', rank: 'a2', dependencies: '[BL-2]' }),
  'backlog/drafts/draft-1 - Idea.md': itemText({ id: 'DRAFT-1', title: 'Idea', status: 'Draft' }),
  'backlog/drafts/draft-2 - Sub.md': itemText({ id: 'DRAFT-2', title: 'Sub', status: 'In Progress', parent_task_id: 'BL-2' }),
});

describe("Backlog.md's everyday operations", () => {
  it('completes: the file moves as it is to completed/, one operation', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const before = ws.text('/ws/backlog/tasks/bl-1 - Map.md');
    const r = await writer.completeItem('BL-1');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepStrictEqual(r.operations, [{ kind: 'rename', from: '/ws/backlog/tasks/bl-1 - Map.md', to: '/ws/backlog/completed/bl-1 - Map.md' }]);
    await apply(r.operations);
    assert.strictEqual(ws.text('/ws/backlog/completed/bl-1 - Map.md'), before);
    assert.strictEqual(backlog().item('BL-1')!.folder, 'completed');
    const again = await writer.completeItem('BL-1');
    assert.match(again.ok ? '' : again.message, /BL-1 is in completed\/; only items in tasks\/ are completed/);
    const open = await writer.completeItem('BL-2');
    assert.match(open.ok ? '' : open.message, /BL-2 is not done \(its status is "To Do"\); set a done status \(Done\)/, 'as Backlog.md refuses it');
  });

  it('archives: the file moves to archive/tasks/ and leaves the dependencies and references of tasks/', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const r = await writer.archiveItem('BL-1');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepStrictEqual(r.operations.map((o) => o.kind), ['rename', 'edit']);
    await apply(r.operations);
    assert.strictEqual(backlog().item('BL-1')!.folder, 'archive');
    assert.deepStrictEqual(backlog().item('BL-2')!.dependencies, ['bl-3']);
    assert.match(ws.text('/ws/backlog/tasks/bl-2 - Route.md'), /^references: \[\]$/m);
    assert.strictEqual(r.summary, 'Archived BL-1; no longer a dependency of BL-2');
  });

  it('promotes a draft to the next task id, with the default status for "Draft", and a subtask to its parent', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const r = await writer.promoteDraft('DRAFT-1');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    assert.ok(!ws.has('/ws/backlog/drafts/draft-1 - Idea.md'));
    const item = backlog().item('BL-4')!;
    assert.strictEqual(item.path, '/ws/backlog/tasks/bl-4 - Idea.md');
    assert.strictEqual(item.status, 'To Do');
    const sub = await writer.promoteDraft('DRAFT-2');
    assert.ok(sub.ok, sub.ok ? '' : sub.message);
    await apply(sub.operations);
    assert.strictEqual(backlog().item('BL-2.1')!.status, 'In Progress', 'a status of its own is kept');
  });

  it('demotes a task to the next draft id in drafts/', async () => {
    const { writer, apply, backlog } = await memoryBacklog(files());
    const r = await writer.demoteItem('BL-3');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    const draft = backlog().item('DRAFT-3')!;
    assert.strictEqual(draft.path, '/ws/backlog/drafts/draft-3 - Share.md');
    assert.strictEqual(draft.folder, 'drafts');
    assert.strictEqual(backlog().item('BL-3'), undefined);
  });
});
