import * as assert from 'assert';
import fc from 'fast-check';
import { canonicalStatus, statusKey } from '../../src/core/statuses';
import { itemText, memoryBacklog } from './helpers';

// Backlog.md matches statuses ignoring case and spaces ("todo" is "To Do") and takes the last
// status for the done one: a backlog it keeps must read the same way here.
describe('statuses as Backlog.md matches them', () => {
  const STATUSES = ['To Do', 'In Progress', 'Done'];

  it('finds the configured spelling of a status typed in any case or spacing', () => {
    assert.strictEqual(canonicalStatus(STATUSES, 'todo'), 'To Do');
    assert.strictEqual(canonicalStatus(STATUSES, ' IN  progress '), 'In Progress');
    assert.strictEqual(canonicalStatus(STATUSES, 'in\tprogress'), 'In Progress');
    assert.strictEqual(canonicalStatus(STATUSES, 'DONE'), 'Done');
    assert.strictEqual(canonicalStatus(STATUSES, 'Doing'), undefined);
    assert.strictEqual(canonicalStatus(STATUSES, '   '), undefined, 'blank is no status');
  });

  it('property: any re-casing and re-spacing of a configured status finds it, and nothing else does', () => {
    const word = fc.stringMatching(/^[A-Za-z]{1,8}$/);
    const status = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.uniqueArray(status, { minLength: 1, maxLength: 6, selector: statusKey }), fc.nat(), fc.array(fc.boolean(), { maxLength: 40 }), fc.string({ maxLength: 3 }), (statuses, pick, flips, spaces) => {
        const target = statuses[pick % statuses.length];
        // Flip the case of some letters and put spaces between others.
        const typed = [...target.replace(/\s+/g, '')]
          .map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase()) + (flips[i + 1] && /^\s*$/.test(spaces) ? spaces : ''))
          .join('');
        assert.strictEqual(canonicalStatus(statuses, typed), target);
        const other = `${target.replace(/\s+/g, '')}x`;
        const expected = statuses.find((s) => statusKey(s) === statusKey(other));
        assert.strictEqual(canonicalStatus(statuses, other), expected);
      }),
    );
  });

  it('property: matching is linear in the status typed', () => {
    const long = `${' '.repeat(200_000)}t${' \t'.repeat(200_000)}odo`;
    const t = performance.now();
    assert.strictEqual(canonicalStatus(STATUSES, long), 'To Do');
    assert.ok(performance.now() - t < 500, 'a status of 600,000 characters is matched at once');
  });

  it('reads a status typed in another case as the configured one, without a warning', async () => {
    const { index, backlog } = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["To Do", "In Progress", "Done"]\n',
      'backlog/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A', status: 'todo' }),
      'backlog/tasks/task-2 - B.md': itemText({ id: 'TASK-2', title: 'B', status: 'in progress' }),
      'backlog/tasks/task-3 - C.md': itemText({ id: 'TASK-3', title: 'C', status: 'DONE' }),
      'backlog/tasks/task-4 - D.md': itemText({ id: 'TASK-4', title: 'D', status: 'Doing' }),
    });
    const b = backlog();
    assert.deepStrictEqual(['TASK-1', 'TASK-2', 'TASK-3'].map((id) => b.item(id)!.status), ['To Do', 'In Progress', 'Done']);
    assert.ok(b.isDone(b.item('TASK-3')!), '"DONE" is done');
    const codes = [...index.diagnostics().entries()].flatMap(([p, ds]) => ds.map((d) => `${p.split('/').pop()} ${d.code}`));
    assert.deepStrictEqual(codes, ['task-4 - D.md unknown-status'], 'only a status that is none of them is flagged');
  });

  it('takes the last status as the done one unless done_statuses says otherwise', async () => {
    const { backlog } = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["Backlog", "Doing", "Shipped"]\n',
      'backlog/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A', status: 'Shipped' }),
      'backlog/tasks/task-2 - B.md': itemText({ id: 'TASK-2', title: 'B', status: 'Doing' }),
    });
    assert.deepStrictEqual(backlog().config.doneStatuses, ['Shipped']);
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['TASK-2']);
    const told = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["To Do", "Done", "Won\'t Do"]\ndone_statuses: ["done", "won\'t do"]\n',
    });
    assert.deepStrictEqual(told.backlog().config.doneStatuses, ['Done', "Won't Do"], 'our own key, matched as statuses are');
  });

  it('does not check the statuses of archived items, which are out of play', async () => {
    const { index } = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["To Do", "Done"]\n',
      "backlog/archive/tasks/task-1 - A.md": itemText({ id: 'TASK-1', title: 'A', status: "Won't Do" }),
    });
    assert.deepStrictEqual([...index.diagnostics().values()].flat(), []);
  });

  it('sets a status typed in another case, writing the configured spelling', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog({
      'backlog/config.yml': 'statuses: ["To Do", "In Progress", "Done"]\n',
      'backlog/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A', status: 'Done' }),
    });
    const r = await writer.setField('TASK-1', 'status', 'todo');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    const text = new TextDecoder().decode(await ws.read('/ws/backlog/tasks/task-1 - A.md'));
    assert.match(text, /^status: To Do$/m);
    assert.strictEqual(backlog().item('TASK-1')!.status, 'To Do');
    const done = await writer.setField('TASK-1', 'status', 'DO NE');
    assert.ok(done.ok && /set to Done/.test(done.summary));
  });
});
