import * as assert from 'assert';
import { MOVE_SETTINGS_CODE } from '../../src/core/format/config';
import { itemText, memoryBacklog } from './helpers';

const CONFIG = [
  'project_name: "Trailhead"',
  'task_prefix: "bl"',
  'statuses: ["To Do", "In Progress", "Shipped"]',
  '# Backlog Atlas',
  'done_statuses: ["Shipped"] # shipped is done',
  'estimate_scale: [1, 2, 3, 5, 8]',
  'size_points:',
  '  XS: 1',
  '  XL: 20',
  'date_format: yyyy-mm-dd',
  '',
].join('\n');

const files = () => ({ 'backlog/config.yml': CONFIG, 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'Shipped', size: 'XL' }) });

describe("Backlog Atlas's settings in atlas.yml", () => {
  it('still reads them from config.yml, with a hint on each to move it', async () => {
    const { backlog } = await memoryBacklog(files());
    const b = backlog();
    assert.deepStrictEqual(b.config.doneStatuses, ['Shipped']);
    assert.strictEqual(b.points(b.item('BL-1')!), 20);
    const hints = b.files.get('/ws/backlog/config.yml')!.diagnostics.filter((d) => d.code === MOVE_SETTINGS_CODE);
    assert.deepStrictEqual(hints.map((d) => [d.line, d.severity]), [[4, 'info'], [5, 'info'], [7, 'info']]);
    assert.match(hints[0].message, /Backlog\.md rewrites config\.yml without it.*Move it to atlas\.yml/);
  });

  it('moves them in one change: their lines verbatim into atlas.yml, nothing else of config.yml', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const r = await writer.moveSettingsOutOfConfig('/ws/backlog');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepStrictEqual(r.operations.map((o) => o.kind), ['edit', 'create']);
    await apply(r.operations);
    assert.strictEqual(ws.text('/ws/backlog/config.yml'), ['project_name: "Trailhead"', 'task_prefix: "bl"', 'statuses: ["To Do", "In Progress", "Shipped"]', '# Backlog Atlas', 'date_format: yyyy-mm-dd', ''].join('\n'));
    assert.match(ws.text('/ws/backlog/atlas.yml'), /\ndone_statuses: \["Shipped"\] # shipped is done\nestimate_scale: \[1, 2, 3, 5, 8\]\nsize_points:\n {2}XS: 1\n {2}XL: 20\n$/);
    const b = backlog();
    assert.deepStrictEqual(b.config.doneStatuses, ['Shipped']);
    assert.strictEqual(b.points(b.item('BL-1')!), 20);
    assert.deepStrictEqual([...b.files.values()].flatMap((f) => f.diagnostics), [], 'no hints left, no problems');
    const again = await writer.moveSettingsOutOfConfig('/ws/backlog');
    assert.ok(again.ok && again.operations.length === 0);
  });

  it('survives config.yml being rewritten without them, as Backlog.md saves it', async () => {
    const { writer, apply, ws, index, backlog } = await memoryBacklog(files());
    const r = await writer.moveSettingsOutOfConfig('/ws/backlog');
    assert.ok(r.ok);
    await apply(r.operations);
    ws.write('/ws/backlog/config.yml', 'project_name: "Trailhead"\nstatuses: ["To Do", "In Progress", "Shipped"]\nlabels: []\ndate_format: yyyy-mm-dd\ntask_prefix: "bl"\n');
    await index.applyChanges([{ kind: 'changed', path: '/ws/backlog/config.yml' }]);
    assert.deepStrictEqual(backlog().config.doneStatuses, ['Shipped']);
    assert.deepStrictEqual(backlog().config.estimateScale, [1, 2, 3, 5, 8]);
  });

  it('keeps a key atlas.yml already has, and drops the config.yml copy', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog({ ...files(), 'backlog/atlas.yml': 'estimate_scale: [1, 2, 4, 8]\n' });
    assert.deepStrictEqual(backlog().config.estimateScale, [1, 2, 4, 8], 'atlas.yml wins');
    const r = await writer.moveSettingsOutOfConfig('/ws/backlog');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    assert.strictEqual(ws.text('/ws/backlog/atlas.yml'), 'estimate_scale: [1, 2, 4, 8]\ndone_statuses: ["Shipped"] # shipped is done\nsize_points:\n  XS: 1\n  XL: 20\n');
    assert.deepStrictEqual(backlog().config.estimateScale, [1, 2, 4, 8]);
  });
});

describe("Backlog.md's hooks", () => {
  it('says on on_status_change and auto_commit: true that Backlog Atlas runs no command and makes no commit', async () => {
    const config = 'task_prefix: "bl"\nauto_commit: true\nonStatusChange: \'curl https://example.invalid/$TASK_ID\'\n';
    const { backlog } = await memoryBacklog({ 'backlog/config.yml': config });
    const hints = [...backlog().files.get('/ws/backlog/config.yml')!.diagnostics].sort((a, b) => a.line - b.line);
    assert.deepStrictEqual(hints.map((d) => [d.code, d.line, d.severity]), [['auto-commit-not-done', 1, 'info'], ['hook-not-run', 2, 'info']]);
    assert.match(hints[1].message, /does not run `onStatusChange`.*Backlog\.md's own CLI.*still run it/);
    const off = await memoryBacklog({ 'backlog/config.yml': 'task_prefix: "bl"\nauto_commit: false\n' });
    assert.deepStrictEqual(off.backlog().files.get('/ws/backlog/config.yml')!.diagnostics, []);
  });

  it("says the same on a task's own onStatusChange, on its line", async () => {
    const task = itemText({ id: 'BL-1', title: 'Hooked', onStatusChange: "'./notify.sh'" });
    const { backlog } = await memoryBacklog({ 'backlog/config.yml': 'task_prefix: "bl"\n', 'backlog/tasks/bl-1 - Hooked.md': task });
    const hints = backlog().files.get('/ws/backlog/tasks/bl-1 - Hooked.md')!.diagnostics;
    const line = task.split('\n').findIndex((l) => l.startsWith('onStatusChange:'));
    assert.deepStrictEqual(hints.map((d) => [d.code, d.line, d.severity]), [['hook-not-run', line, 'info']]);
  });
});
