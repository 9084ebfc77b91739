import * as assert from 'assert';
import { itemText, memoryBacklog } from './helpers';
import { backlogHealth, DEFAULT_HEALTH_OPTIONS } from '../../src/views/backlogHealth';

const config = 'project_name: "Trailhead"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const sprints = 'sprints:\n  - {id: S-1, name: Sprint 1, state: active}\n  - {id: S-2, name: Sprint 2, state: planned}\n';
const story = [
  '\uFEFF---',
  'id: BL-1',
  "title: 'Offline maps' # the big one",
  'status: To Do',
  'labels: [maps]',
  'rank: a0',
  'estimate: 3',
  '---',
  '',
  '## Description',
  'Keep this body exactly.  ',
  '',
].join('\r\n');

function files() {
  return {
    'backlog/config.yml': config,
    'backlog/sprints.yml': sprints,
    'backlog/tasks/bl-1 - Offline-maps.md': story,
    'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', rank: 'a1' }),
    'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', rank: 'a2' }),
    'backlog/completed/bl-7 - Done.md': itemText({ id: 'BL-7', title: 'Done long ago' }),
  };
}
const P1 = '/ws/backlog/tasks/bl-1 - Offline-maps.md';
const raw = (ws: { read(p: string): Promise<Uint8Array> }, p: string) => ws.read(p).then((b) => Buffer.from(b).toString('latin1'));

describe('the writer', () => {
  it('changes only the bytes of the value, keeping BOM, CRLF, comments and body', async () => {
    const { ws, writer, apply, backlog } = await memoryBacklog(files());
    const before = await raw(ws, P1);
    const r = await writer.setField('BL-1', 'sprint', 'S-1');
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.strictEqual(r.operations.length, 1);
    await apply(r.operations);
    const after = await raw(ws, P1);
    assert.strictEqual(after, before.replace('estimate: 3\r\n', "estimate: 3\r\nsprint: S-1\r\nupdated_date: '2026-11-21 09:30'\r\n"));
    assert.strictEqual(backlog().item('BL-1')!.sprint, 'S-1');
  });

  it('refuses to write a file that changed since it was indexed, and writes nothing', async () => {
    const { ws, writer } = await memoryBacklog(files());
    // Same size, different content: an mtime-and-size check would miss it.
    const changed = story.replace('estimate: 3', 'estimate: 5');
    ws.write(P1, changed);
    const r = await writer.setField('BL-1', 'status', 'Done');
    assert.strictEqual(r.ok, false);
    assert.match(r.ok ? '' : r.message, /changed since it was read/);
    assert.strictEqual(await raw(ws, P1), Buffer.from(changed).toString('latin1'));
  });

  it('never rewrites a file that does not parse', async () => {
    const broken = '---\nid: BL-4\ntitle: B\nlabels: [a\n---\n';
    const { writer, index } = await memoryBacklog({ ...files(), 'backlog/tasks/bl-4 - B.md': broken });
    assert.strictEqual(index.item('BL-4'), undefined);
    const r = await writer.setPlanKey('/ws/backlog', 'sprints.yml', ['sprints', { id: 'S-9' }], 'state', 'closed');
    assert.strictEqual(r.ok, false, 'a missing target is refused too');
  });

  it('refuses a value of the wrong type with a message that says what is allowed', async () => {
    const { writer } = await memoryBacklog(files());
    for (const [key, value, pattern] of [
      ['estimate', 'five', /number/],
      ['size', 'XXL', /XS, S, M, L, XL/],
      ['status', 'Blocked', /To Do, In Progress, Done/],
      ['sprint', 'S-99', /No sprint S-99/],
      ['id', 'BL-9', /cannot be changed/],
    ] as const) {
      const r = await writer.setField('BL-1', key, value);
      assert.strictEqual(r.ok, false, key);
      assert.match(r.ok ? '' : r.message, pattern);
    }
  });

  it('stamps completed_date when an item reaches a done status, and clears it when reopened', async () => {
    const { writer, apply, backlog } = await memoryBacklog(files());
    let r = await writer.setField('BL-2', 'status', 'done');
    assert.ok(r.ok);
    await apply(r.operations);
    assert.strictEqual(backlog().item('BL-2')!.completedDate, '2026-11-21');
    assert.strictEqual(backlog().item('BL-2')!.status, 'Done', 'the status is written as the config spells it');
    r = await writer.setField('BL-2', 'status', 'In Progress');
    assert.ok(r.ok);
    await apply(r.operations);
    assert.strictEqual(backlog().item('BL-2')!.completedDate, undefined);
  });

  it('reorders by writing the rank of the moved item only', async () => {
    const { writer, apply, backlog } = await memoryBacklog(files());
    const r = await writer.moveItem('BL-3', { before: 'BL-1' });
    assert.ok(r.ok);
    assert.deepStrictEqual(r.operations.map((o) => o.kind === 'edit' && o.path), ['/ws/backlog/tasks/bl-3 - C.md']);
    await apply(r.operations);
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['BL-3', 'BL-1', 'BL-2']);
    const r2 = await writer.moveItem('BL-3', { after: 'BL-2' });
    assert.ok(r2.ok);
    await apply(r2.operations);
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['BL-1', 'BL-2', 'BL-3']);
  });

  it('refuses to squeeze between equal ranks, and rebalances on request', async () => {
    const f = { ...files(), 'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', rank: 'a1' }) };
    const { writer, apply, backlog } = await memoryBacklog(f);
    // BL-2 and BL-3 share a1 (a merge did it): they sort by id, and nothing fits between them.
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['BL-1', 'BL-2', 'BL-3']);
    const refused = await writer.moveItem('BL-1', { before: 'BL-3' });
    assert.strictEqual(refused.ok, false);
    assert.match(refused.ok ? '' : refused.message, /Rebalance/);
    const rb = await writer.rebalance('/ws/backlog');
    assert.ok(rb.ok);
    await apply(rb.operations);
    const ranks = backlog().productBacklog().map((i) => i.rank!);
    assert.strictEqual(new Set(ranks).size, 3);
    assert.deepStrictEqual(backlog().productBacklog().map((i) => i.id), ['BL-1', 'BL-2', 'BL-3'], 'rebalancing keeps the order');
    const moved = await writer.moveItem('BL-1', { before: 'BL-3' });
    assert.ok(moved.ok);
  });

  it('creates an item with the next free id across every folder, Backlog.md naming and template', async () => {
    const f = { ...files(), 'backlog/tasks/bl-9 - Broken.md': '---\nid: BL-9\ntitle: [\n---\n' };
    const { writer, apply, backlog, ws } = await memoryBacklog(f);
    const r = await writer.createItem('/ws/backlog', { title: 'Trail: closures & alerts', type: 'story', sprint: 'S-1', estimate: 5 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    // BL-9 does not parse, but its file name still owns the id.
    assert.strictEqual(r.itemId, 'BL-10');
    const op = r.operations[0];
    assert.strictEqual(op.kind === 'create' && op.path, '/ws/backlog/tasks/bl-10 - Trail-closures-alerts.md');
    await apply(r.operations);
    const item = backlog().item('BL-10')!;
    assert.strictEqual(item.title, 'Trail: closures & alerts');
    assert.strictEqual(item.sprint, 'S-1');
    assert.strictEqual(item.createdDate, '2026-11-21 09:30');
    assert.strictEqual(backlog().productBacklog().at(-1)!.id, 'BL-10', 'new items go to the bottom');
    assert.match(ws.text(op.kind === 'create' ? op.path : ''), /<!-- AC:BEGIN -->\n<!-- AC:END -->/);
    const sub = await writer.createItem('/ws/backlog', { title: 'Part', parent: 'BL-10' });
    assert.strictEqual(sub.ok && sub.itemId, 'BL-10.1', 'subtasks numbered as Backlog.md numbers them in a backlog without zero_padded_ids');
  });

  it('keeps the file where it is when the title changes, as Backlog.md does since #603/#606', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(files());
    const r = await writer.setTitle('BL-2', 'Better name');
    assert.ok(r.ok);
    assert.deepStrictEqual(r.operations.map((o) => o.kind), ['edit']);
    await apply(r.operations);
    assert.ok(ws.has('/ws/backlog/tasks/bl-2 - B.md'));
    assert.ok(!ws.has('/ws/backlog/tasks/bl-2 - Better-name.md'));
    assert.strictEqual(backlog().item('BL-2')!.title, 'Better name');
  });

  it('names a new file after the whole title, however long, as Backlog.md does', async () => {
    const { writer, apply, ws } = await memoryBacklog(files());
    const title = `Route planning ${'with many words '.repeat(10)}end`;
    const r = await writer.createItem('/ws/backlog', { title });
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    assert.ok(ws.has(`/ws/backlog/tasks/bl-8 - ${title.replace(/ /g, '-')}.md`));
    const tooLong = await writer.createItem('/ws/backlog', { title: 'x'.repeat(300) });
    assert.match(tooLong.ok ? '' : tooLong.message, /more than file systems allow \(255\); shorten the title/);
  });

  it('stamps updated_date on each edit as Backlog.md does, but not on a move, so grooming clears "stale"', async () => {
    const old = itemText({ id: 'BL-4', title: 'Old', rank: 'a3', created_date: "'2026-01-05 10:00'", updated_date: "'2026-02-01 08:00'" });
    const { writer, apply, ws, backlog } = await memoryBacklog({ ...files(), 'backlog/tasks/bl-4 - Old.md': old });
    const stale = () => backlogHealth(backlog(), { ...DEFAULT_HEALTH_OPTIONS, today: '2026-11-21' }).findings.find((f) => f.kind === 'stale')?.itemIds ?? [];
    assert.deepStrictEqual(stale(), ['BL-4']);
    const moved = await writer.moveItem('BL-4', { top: true });
    assert.ok(moved.ok);
    await apply(moved.operations);
    assert.doesNotMatch(ws.text('/ws/backlog/tasks/bl-4 - Old.md'), /2026-11-21/, 'a move is not an edit of the item');
    const before = ws.text('/ws/backlog/tasks/bl-4 - Old.md');
    const r = await writer.setField('BL-4', 'estimate', 5);
    assert.ok(r.ok);
    await apply(r.operations);
    // Only the value's bytes change, in the quotes the file already used.
    assert.strictEqual(ws.text('/ws/backlog/tasks/bl-4 - Old.md'), before.replace("'2026-02-01 08:00'", "'2026-11-21 09:30'").replace(/\n---\n/, '\nestimate: 5\n---\n'));
    assert.deepStrictEqual(stale(), []);
    const same = await writer.setField('BL-4', 'estimate', 5);
    assert.ok(same.ok);
    assert.strictEqual(same.operations.length, 0, 'setting the value it already has changes nothing, not even the stamp');
  });

  it('edits a plan file in place, keeping its comments', async () => {
    const withComments = '# Sprints\nsprints:\n  - id: S-1 # first\n    state: active\n';
    const { writer, apply, ws } = await memoryBacklog({ ...files(), 'backlog/sprints.yml': withComments });
    const r = await writer.setPlanKey('/ws/backlog', 'sprints.yml', ['sprints', { id: 'S-1' }], 'state', 'closed');
    assert.ok(r.ok);
    await apply(r.operations);
    assert.strictEqual(ws.text('/ws/backlog/sprints.yml'), withComments.replace('active', 'closed'));
  });
});
