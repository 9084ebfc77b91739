import * as assert from 'assert';
import { itemText, memoryBacklog } from './helpers';

const config = 'project_name: "Trailhead"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const sprints = [
  '# Two-week sprints',
  'sprints:',
  '  - id: S-1',
  '    name: Sprint 1',
  '    state: active # now',
  '    capacity: 20',
  '  - id: S-2',
  '    name: Sprint 2',
  '    state: planned',
  '',
].join('\n');

function files() {
  return {
    'backlog/config.yml': config,
    'backlog/sprints.yml': sprints,
    'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', rank: 'a0', sprint: 'S-1', estimate: 3, status: 'Done' }),
    'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', rank: 'a1', sprint: 'S-1', estimate: 5 }),
    'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', rank: 'a2', sprint: 'S-2', size: 'M' }),
    'backlog/tasks/bl-4 - D.md': itemText({ id: 'BL-4', title: 'D', rank: 'a3' }),
    'backlog/tasks/bl-5 - E.md': itemText({ id: 'BL-5', title: 'E', rank: 'a4' }),
  };
}
const R = '/ws/backlog';
/** Lines only one of the two texts has: what an edit removed and added. */
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  return [...a.filter((l) => !b.includes(l)), ...b.filter((l) => !a.includes(l))];
};

describe('planning sprints and releases', () => {
  it('creates a sprint at the end of sprints.yml in its style, keeping comments', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const r = await writer.createSprint(R, { name: 'Sprint 3', start: '2026-12-14', end: '2026-12-25', goal: 'Group trips: invite', capacity: 24 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.strictEqual(r.itemId, 'S-3');
    await apply(r.operations);
    assert.strictEqual(
      ws.text(`${R}/sprints.yml`),
      sprints + "  - id: S-3\n    name: Sprint 3\n    start: '2026-12-14'\n    end: '2026-12-25'\n    goal: 'Group trips: invite'\n    capacity: 24\n    state: planned\n",
    );
    assert.strictEqual(backlog().sprint('S-3')?.state, 'planned');
  });

  it('creates sprints.yml and releases.yml when the backlog has none', async () => {
    const f: Record<string, string> = { ...files() };
    delete f['backlog/sprints.yml'];
    const { writer, apply, backlog } = await memoryBacklog(f);
    const s = await writer.createSprint(R, { name: 'First' });
    assert.ok(s.ok);
    assert.deepStrictEqual(s.operations.map((o) => o.kind), ['create']);
    await apply(s.operations);
    const rel = await writer.createRelease(R, { name: '1.0', date: '2027-01-15' });
    assert.ok(rel.ok);
    await apply(rel.operations);
    assert.strictEqual(backlog().sprint('S-1')?.name, 'First');
    assert.deepStrictEqual(backlog().releases().map((x) => [x.id, x.date]), [['R-1', '2027-01-15']]);
  });

  it('starts a sprint by recording what was committed, refusing while another is active', async () => {
    const { writer, apply, backlog } = await memoryBacklog(files());
    const refused = await writer.startSprint(R, 'S-2');
    assert.strictEqual(refused.ok, false);
    assert.match(refused.ok ? '' : refused.message, /Sprint 1 is still active/);
    const done = await writer.completeSprint(R, 'S-1', 'S-2');
    assert.ok(done.ok, done.ok ? '' : done.message);
    await apply(done.operations);
    const r = await writer.startSprint(R, 'S-2');
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    const s2 = backlog().sprint('S-2')!;
    assert.strictEqual(s2.state, 'active');
    assert.strictEqual(s2.start, '2026-11-21');
    // BL-2 rolled over from S-1 (5 points); BL-3 is sized M, which counts 5.
    assert.deepStrictEqual(s2.committed, [{ id: 'BL-2', estimate: 5 }, { id: 'BL-3', estimate: 5 }]);
  });

  it('completes the active sprint: unfinished items move on, done items stay', async () => {
    const { writer, apply, backlog, ws } = await memoryBacklog(files());
    const before = ws.text(`${R}/tasks/bl-2 - B.md`);
    const r = await writer.completeSprint(R, 'S-1', null);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.strictEqual(r.operations.length, 2, 'sprints.yml and the one unfinished item');
    await apply(r.operations);
    assert.strictEqual(backlog().sprint('S-1')?.state, 'closed');
    assert.strictEqual(backlog().item('BL-1')?.sprint, 'S-1');
    assert.strictEqual(backlog().item('BL-2')?.sprint, undefined);
    assert.deepStrictEqual(changedLines(before, ws.text(`${R}/tasks/bl-2 - B.md`)), ['sprint: S-1', "updated_date: '2026-11-21 09:30'"]);
    const again = await writer.completeSprint(R, 'S-1', null);
    assert.strictEqual(again.ok, false);
  });

  it('moves several items in one drop, one edit per file, keeping their order', async () => {
    const { writer, apply, backlog } = await memoryBacklog(files());
    const r = await writer.moveItems(['BL-5', 'BL-4'], { before: 'BL-2' }, { sprint: 'S-1' });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.strictEqual(r.operations.length, 2);
    await apply(r.operations);
    assert.deepStrictEqual(backlog().sprintBacklog('S-1').map((i) => i.id), ['BL-1', 'BL-5', 'BL-4', 'BL-2']);
  });

  it('changes only the sprint line (and the stamp) when the rank already fits the drop', async () => {
    const { writer, apply, ws } = await memoryBacklog(files());
    const path = `${R}/tasks/bl-3 - C.md`;
    const before = ws.text(path);
    // BL-3 sorts after BL-2 already: appending it to S-1's list needs no new rank.
    const r = await writer.moveItems(['BL-3'], { after: 'BL-2' }, { sprint: 'S-1' });
    assert.ok(r.ok);
    await apply(r.operations);
    assert.deepStrictEqual(changedLines(before, ws.text(path)), ['sprint: S-2', 'sprint: S-1', "updated_date: '2026-11-21 09:30'"]);
  });

  it('refuses to plan into a sprint that does not exist', async () => {
    const { writer } = await memoryBacklog(files());
    const r = await writer.moveItems(['BL-4'], { bottom: true }, { sprint: 'S-9' });
    assert.strictEqual(r.ok, false);
  });
});
