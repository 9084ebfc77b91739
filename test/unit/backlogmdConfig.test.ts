import * as assert from 'assert';
import fc from 'fast-check';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { idKey, nextItemId, nextSubtaskId } from '../../src/core/naming';
import { itemText, memoryBacklog } from './helpers';

async function indexOf(files: Record<string, string>): Promise<BacklogIndex> {
  const index = new BacklogIndex(new MemoryWorkspace(Object.fromEntries(Object.entries(files).map(([p, c]) => [`/ws/${p}`, c]))), { folders: ['/ws'] });
  await index.build();
  return index;
}

// Backlog.md's config: where it is found, and the keys a writer needs to name and fill new items.
describe("Backlog.md's config, read as Backlog.md reads it", () => {
  it('reads zero_padded_ids, default_assignee, default_reporter and definition_of_done', async () => {
    const { backlog, index } = await memoryBacklog({
      'backlog/config.yml': [
        'project_name: "Demo"',
        'zero_padded_ids: 3',
        'default_assignee: ["@maria"]',
        'default_reporter: "@jo"',
        'definition_of_done: ["Tests pass", "Docs updated"]',
        'task_prefix: "task"',
        '',
      ].join('\n'),
      'backlog/tasks/task-008 - Padded.md': itemText({ id: 'TASK-008', title: 'Padded' }),
    });
    const cfg = backlog().config;
    assert.strictEqual(cfg.zeroPaddedIds, 3);
    assert.deepStrictEqual(cfg.defaultAssignee, ['@maria']);
    assert.strictEqual(cfg.defaultReporter, '@jo');
    assert.deepStrictEqual(cfg.definitionOfDone, ['Tests pass', 'Docs updated']);
    assert.strictEqual(backlog().item('TASK-8')?.id, 'TASK-008', 'a padded id is the same id');
    assert.deepStrictEqual([...index.diagnostics().values()].flat(), []);
  });

  it('reads zero_padded_ids: 0 as no padding, and warns on a value that is no number of digits', async () => {
    assert.strictEqual((await memoryBacklog({ 'backlog/config.yml': 'zero_padded_ids: 0\n' })).backlog().config.zeroPaddedIds, undefined);
    const { backlog, index } = await memoryBacklog({ 'backlog/config.yml': 'zero_padded_ids: 2.5\n' });
    assert.strictEqual(backlog().config.zeroPaddedIds, undefined);
    assert.deepStrictEqual([...index.diagnostics().values()].flat().map((d) => d.code), ['wrong-type']);
  });

  it('reads hide_empty_columns from config.yml, and wip_limits (ours, in atlas.yml) by status as statuses spells it, warning on the rest', async () => {
    const { backlog, index } = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["To Do", "In Progress", "Done"]\nhide_empty_columns: true\n',
      'backlog/atlas.yml': 'wip_limits:\n  in progress: 3\n  Done: 0\n  Review: 2\n',
    });
    assert.strictEqual(backlog().config.hideEmptyColumns, true);
    assert.deepStrictEqual(backlog().config.wipLimits, { 'In Progress': 3 });
    assert.deepStrictEqual([...index.diagnostics().values()].flat().map((d) => d.code).sort(), ['unknown-status', 'wrong-type']);
    // Left in config.yml, it still counts, with the hint to move it (Backlog.md would drop it).
    const old = await memoryBacklog({ 'backlog/config.yml': 'statuses: ["To Do", "In Progress", "Done"]\nwip_limits: {In Progress: 2}\n' });
    assert.deepStrictEqual(old.backlog().config.wipLimits, { 'In Progress': 2 });
    assert.deepStrictEqual([...old.index.diagnostics().values()].flat().map((d) => d.code), ['atlas-setting-in-config']);
    assert.deepStrictEqual((await memoryBacklog({ 'backlog/config.yml': 'project_name: x\n' })).backlog().config.wipLimits, {});
  });

  it('reads config.yaml when there is no config.yml, and config.yml when there are both', async () => {
    const yaml = await indexOf({ 'backlog/config.yaml': 'task_prefix: "jira"\n', 'backlog/tasks/jira-1 - A.md': itemText({ id: 'JIRA-1', title: 'A' }) });
    assert.strictEqual(yaml.roots()[0].config.taskPrefix, 'jira');
    assert.deepStrictEqual(yaml.roots()[0].items().map((i) => i.id), ['JIRA-1']);
    const both = await indexOf({ 'backlog/config.yml': 'task_prefix: "one"\n', 'backlog/config.yaml': 'task_prefix: "two"\n' });
    assert.strictEqual(both.roots()[0].config.taskPrefix, 'one');
  });

  it("finds the backlog a root backlog.config.yml names, and reads that file as its config", async () => {
    const index = await indexOf({
      'backlog.config.yml': 'project_name: "Demo2"\nstatuses: ["Open", "Closed"]\ntask_prefix: "jira"\nbacklog_directory: "planning"\n',
      'planning/tasks/jira-1 - A.md': itemText({ id: 'JIRA-1', title: 'A', status: 'open' }),
      'planning/config.yml': 'task_prefix: "ignored"\n',
    });
    const [b] = index.roots();
    assert.strictEqual(b.root, '/ws/planning');
    assert.strictEqual(b.config.taskPrefix, 'jira');
    assert.strictEqual(b.item('JIRA-1')?.status, 'Open');
    assert.deepStrictEqual([...index.diagnostics().values()].flat(), []);
    const builtIn = await indexOf({ 'backlog.config.yml': 'project_name: "P"\ntask_prefix: "abc"\n', 'backlog/tasks/abc-1 - A.md': itemText({ id: 'ABC-1', title: 'A' }) });
    assert.strictEqual(builtIn.roots()[0].config.taskPrefix, 'abc', 'without backlog_directory it configures backlog/');
  });

  it('does not follow a backlog_directory out of the project, nor a root config without project_name', async () => {
    const out = await indexOf({ 'backlog.config.yml': 'project_name: "P"\nbacklog_directory: "../elsewhere"\n', 'backlog/config.yml': 'task_prefix: "bl"\n' });
    assert.deepStrictEqual(out.roots().map((b) => b.root), ['/ws/backlog']);
    const nameless = await indexOf({ 'backlog.config.yml': 'task_prefix: "zz"\n', 'backlog/config.yml': 'task_prefix: "bl"\n' });
    assert.strictEqual(nameless.roots()[0].config.taskPrefix, 'bl', 'Backlog.md ignores a root config with no project_name');
  });

  it('sees a backlog.config.yml appear and moves to the folder it names', async () => {
    const ws = new MemoryWorkspace({ '/ws/planning/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A' }), '/ws/backlog/tasks/task-2 - B.md': itemText({ id: 'TASK-2', title: 'B' }) });
    const index = new BacklogIndex(ws, { folders: ['/ws'] });
    await index.build();
    assert.deepStrictEqual(index.roots().map((b) => b.root), ['/ws/backlog']);
    ws.write('/ws/backlog.config.yml', 'project_name: "P"\nbacklog_directory: planning\n');
    await index.applyChanges([{ kind: 'created', path: '/ws/backlog.config.yml' }]);
    assert.strictEqual(index.roots()[0].root, '/ws/planning');
  });

  describe('the next id, named as Backlog.md names it', () => {
    it('pads to zero_padded_ids and counts every id with the prefix, padded or not', () => {
      assert.strictEqual(nextItemId([], 'task', 3), 'TASK-001');
      assert.strictEqual(nextItemId(['TASK-008', 'task-2', 'OTHER-50'], 'task', 3), 'TASK-009');
      assert.strictEqual(nextItemId(['TASK-8'], 'task'), 'TASK-9');
      assert.strictEqual(nextItemId(['TASK-999'], 'task', 3), 'TASK-1000', 'past the padding the number grows');
      assert.strictEqual(nextItemId(['task-7.1'], 'task'), 'TASK-8', "a subtask's parent number stays taken");
      assert.strictEqual(nextItemId(['TASK-99999999999999999999'], 'task'), 'TASK-100000000000000000000');
    });

    it('numbers subtasks TASK-3.1, or TASK-003.01 when padded', () => {
      assert.strictEqual(nextSubtaskId(['TASK-3'], 'TASK-3'), 'TASK-3.1');
      assert.strictEqual(nextSubtaskId(['TASK-3', 'TASK-3.1', 'task-3.02', 'TASK-30.5', 'TASK-3.1.4'], 'task-3'), 'TASK-3.3');
      assert.strictEqual(nextSubtaskId(['TASK-003', 'TASK-003.01'], 'TASK-003', 3), 'TASK-003.02');
      assert.strictEqual(nextSubtaskId([], 'TASK-003', 3), 'TASK-003.01');
    });

    it('property: the next id is one past the highest, padded, and never an id already taken', () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 30 }), fc.integer({ min: 0, max: 8 }), fc.array(fc.boolean(), { maxLength: 30 }), (numbers, padding, pad) => {
          const ids = numbers.map((n, i) => `${pad[i] ? 'task' : 'TASK'}-${pad[i] ? String(n).padStart(padding, '0') : n}`);
          const next = nextItemId(ids, 'task', padding);
          const m = /^TASK-(\d+)$/.exec(next);
          assert.ok(m, next);
          assert.strictEqual(Number(m[1]), Math.max(0, ...numbers) + 1);
          assert.ok(m[1].length >= padding);
          assert.ok(padding === 0 || m[1].length === Math.max(padding, String(Number(m[1])).length), 'padded to exactly the width, or wider when the number is');
          assert.ok(!ids.some((id) => idKey(id) === idKey(next)));
          const child = nextSubtaskId([...ids, `${next}.1`], next, padding);
          assert.strictEqual(child, `${next}.${padding > 0 ? '02' : '2'}`);
        }),
      );
    });
  });
});
