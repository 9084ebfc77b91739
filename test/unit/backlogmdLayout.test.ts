import * as assert from 'assert';
import { classify } from '../../src/core/backlogIndex';
import { planText } from '../../src/views/trees/backlogViewModel';
import { itemText, memoryBacklog } from './helpers';

const README = '# Tasks\n\nBacklog.md keeps one task per file here.\n';

// What Backlog.md loads from each folder (its globs in src/file-system/operations.ts), and how it
// treats archived ids and milestones: Backlog.md's own repository must lint clean of false errors.
describe("Backlog.md's folders, read as Backlog.md reads them", () => {
  it('takes only <prefix>-*.md, draft-*.md and m-*.md as items and milestones', () => {
    assert.deepStrictEqual(classify('tasks/back-1 - A.md', 'back'), { kind: 'item', folder: 'tasks' });
    assert.deepStrictEqual(classify('tasks/BACK-1 - A.md', 'back'), { kind: 'item', folder: 'tasks' });
    assert.strictEqual(classify('tasks/readme.md', 'back'), undefined);
    assert.strictEqual(classify('tasks/task-1 - old prefix.md', 'back'), undefined, 'another prefix is not loaded by Backlog.md');
    assert.strictEqual(classify('completed/notes.md', 'back'), undefined);
    assert.deepStrictEqual(classify('archive/tasks/back-2 - B.md', 'back'), { kind: 'item', folder: 'archive' });
    assert.deepStrictEqual(classify('drafts/draft-1 - C.md', 'back'), { kind: 'item', folder: 'drafts' });
    assert.deepStrictEqual(classify('drafts/back-1 - C.md', 'back'), { kind: 'item', folder: 'drafts' }, 'a draft from before Backlog.md renamed drafts to draft-*');
    assert.strictEqual(classify('drafts/readme.md', 'back'), undefined);
    assert.deepStrictEqual(classify('tasks/bl-1 - A.md'), { kind: 'item', folder: 'tasks' }, 'with no task_prefix, any name');
    assert.strictEqual(classify('tasks/README.md'), undefined, 'but never a readme');
    assert.deepStrictEqual(classify('archive/drafts/draft-2 - D.md', 'back'), { kind: 'item', folder: 'archive', archived: true });
    assert.deepStrictEqual(classify('milestones/m-1 - beta.md', 'back'), { kind: 'milestone' });
    assert.deepStrictEqual(classify('archive/milestones/m-0 - alpha.md', 'back'), { kind: 'milestone', archived: true });
    for (const rel of ['milestones/readme.md', 'docs/doc-001 - Guide.md', 'decisions/decision-1 - X.md', 'archive/readme.md', 'readme.md']) {
      assert.strictEqual(classify(rel, 'back'), undefined, rel);
    }
    assert.deepStrictEqual(classify('config.yaml'), { kind: 'config' });
  });

  it("reports nothing for the readme.md files, docs/ and decisions/ of Backlog.md's own repository", async () => {
    const { index, backlog } = await memoryBacklog({
      'backlog/config.yml': 'project_name: "Backlog.md"\ntask_prefix: "back"\n',
      'backlog/readme.md': README,
      'backlog/tasks/readme.md': README,
      'backlog/tasks/back-1 - A.md': itemText({ id: 'BACK-1', title: 'A' }),
      'backlog/drafts/readme.md': README,
      'backlog/drafts/draft-1 - D.md': itemText({ id: 'DRAFT-1', title: 'D' }),
      'backlog/milestones/readme.md': README,
      'backlog/archive/readme.md': README,
      'backlog/archive/tasks/readme.md': README,
      'backlog/archive/drafts/readme.md': README,
      'backlog/docs/readme.md': README,
      'backlog/docs/doc-001 - Testing-Style-Guide.md': '---\nid: doc-001\ntitle: Testing\n---\n',
      'backlog/decisions/decision-1 - Tailwind.md': '---\nid: decision-1\ntitle: Tailwind\n---\n',
    });
    assert.deepStrictEqual([...index.diagnostics().values()].flat(), []);
    assert.deepStrictEqual(backlog().items().map((i) => i.id).sort(), ['BACK-1', 'DRAFT-1']);
  });

  it('is an error only when live items share an id; an archived id given again is noted', async () => {
    const { index, backlog } = await memoryBacklog({
      'backlog/config.yml': 'task_prefix: "back"\n',
      'backlog/tasks/back-569 - New.md': itemText({ id: 'BACK-569', title: 'New' }),
      'backlog/archive/tasks/back-569 - Old.md': itemText({ id: 'BACK-569', title: 'Old' }),
      'backlog/completed/back-7 - Done.md': itemText({ id: 'BACK-7', title: 'Done', status: 'Done' }),
      'backlog/tasks/back-7 - Twin.md': itemText({ id: 'BACK-7', title: 'Twin' }),
    });
    const found = [...index.diagnostics().values()].flat().map((d) => `${d.path.slice('/ws/backlog/'.length)} ${d.severity} ${d.code}`).sort();
    assert.deepStrictEqual(found, [
      'archive/tasks/back-569 - Old.md info archived-duplicate-id',
      'completed/back-7 - Done.md error duplicate-id',
      'tasks/back-7 - Twin.md error duplicate-id',
    ]);
    assert.strictEqual(backlog().item('BACK-569')!.title, 'New', 'the id names the live item');
  });

  it('resolves a bare number with the backlog prefix, as Backlog.md does', async () => {
    const { index, backlog } = await memoryBacklog({
      'backlog/config.yml': 'task_prefix: "back"\n',
      'backlog/tasks/back-345 - Parent.md': itemText({ id: 'BACK-345', title: 'Parent' }),
      'backlog/tasks/back-345.1 - Child.md': itemText({ id: 'BACK-345.1', title: 'Child', parent_task_id: 345 }),
    });
    assert.strictEqual(backlog().item('345')?.id, 'BACK-345');
    assert.deepStrictEqual([...index.diagnostics().values()].flat(), []);
  });

  it('reads archived drafts and archived milestones; an item of an archived milestone is Unplanned, and says so', async () => {
    const { index, backlog } = await memoryBacklog({
      'backlog/tasks/task-1 - Open.md': itemText({ id: 'TASK-1', title: 'Open', milestone: 'm-0' }),
      'backlog/tasks/task-2 - Shipped.md': itemText({ id: 'TASK-2', title: 'Shipped', status: 'Done', milestone: 'Alpha' }),
      'backlog/tasks/task-3 - Next.md': itemText({ id: 'TASK-3', title: 'Next', milestone: 'm-1' }),
      'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
      'backlog/archive/milestones/m-0 - alpha.md': '---\nid: m-0\ntitle: Alpha\n---\n',
      'backlog/archive/drafts/draft-4 - Dropped.md': itemText({ id: 'DRAFT-4', title: 'Dropped' }),
    });
    const b = backlog();
    assert.strictEqual(b.item('DRAFT-4')?.folder, 'archive');
    assert.deepStrictEqual(b.releases().map((r) => r.id), ['m-1'], 'an archived milestone is no release to plan into');
    assert.strictEqual(b.release('m-0')?.archived, true, 'but items naming it still resolve to it');
    assert.strictEqual(b.release('Alpha')?.id, 'm-0', 'by title too');
    assert.strictEqual(planText(b, b.item('TASK-1')!), 'Alpha (archived)');
    const found = [...index.diagnostics().values()].flat().map((d) => `${d.path.split('/').pop()} ${d.line} ${d.severity} ${d.code}`);
    assert.deepStrictEqual(found, ['task-1 - Open.md 3 info archived-milestone'], 'open work is pointed out; finished work in an archived milestone is normal');
  });
});
