import * as assert from 'assert';
import { itemText, memoryBacklog, ROOT } from './helpers';

// Writes that used to go through and leave a file that one of the two tools cannot show, or that
// changed a file other than the one meant. Each is refused now, with a message saying what to do.

const config = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const sprints = 'sprints:\n  - {id: S-1, name: Sprint 1, state: active}\n';
const releases = 'releases:\n  - {id: R-1, name: Public beta}\n';

function files(): Record<string, string> {
  return {
    'backlog/config.yml': config,
    'backlog/sprints.yml': sprints,
    'backlog/releases.yml': releases,
    'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do', rank: 'a0' }),
    'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', status: 'To Do', rank: 'a1', dependencies: '\n  - BL-1\n  - BL-3  # keep me' }),
    'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', status: 'To Do', rank: 'a2' }),
    'backlog/drafts/draft-1 - Idea.md': itemText({ id: 'DRAFT-1', title: 'Idea', status: 'Draft' }),
  };
}

const refusal = (r: { ok: boolean; message?: string }) => (r.ok ? '' : (r as { message: string }).message);

describe('writes that are refused', () => {
  it('refuses a subtask of a draft, which would be a file in tasks/ that no tool reads', async () => {
    const { writer, ws } = await memoryBacklog(files());
    const r = await writer.createItem(ROOT, { title: 'Sub', parent: 'DRAFT-1' });
    assert.match(refusal(r), /DRAFT-1 is a draft; promote it to a task/);
    assert.ok(!ws.has(`${ROOT}/tasks/draft-1.1 - Sub.md`));
  });

  it('refuses a due date Backlog.md cannot read, and lint calls one in a file an error', async () => {
    const { writer } = await memoryBacklog(files());
    for (const bad of ['2026-13-45', '2026-02-30', 'next week', '2026/12/20']) {
      assert.match(refusal(await writer.setField('BL-1', 'due_date', bad)), /due_date/, bad);
    }
    const ok = await writer.setField('BL-1', 'due_date', '2026-12-20');
    assert.ok(ok.ok, refusal(ok));
    const { index } = await memoryBacklog({ ...files(), 'backlog/tasks/bl-9 - X.md': itemText({ id: 'BL-9', title: 'X', status: 'To Do', due_date: '2026-13-45' }) });
    const d = index.diagnostics().get(`${ROOT}/tasks/bl-9 - X.md`)?.find((x) => x.code === 'bad-date');
    assert.strictEqual(d?.severity, 'error');
    assert.match(d?.message ?? '', /Backlog\.md does not show an item/);
  });

  it('refuses an id that two files share instead of changing the first one found', async () => {
    const { writer } = await memoryBacklog({ ...files(), 'backlog/tasks/bl-1 - A copy.md': itemText({ id: 'BL-1', title: 'A copy', status: 'To Do' }) });
    for (const r of [await writer.setField('BL-1', 'estimate', 8), await writer.archiveItem('BL-1'), await writer.moveItem('BL-1', { bottom: true })]) {
      assert.match(refusal(r), /BL-1 is the id of 2 files \(tasks\/bl-1 - A copy\.md, tasks\/bl-1 - A\.md\); give one of them a new id/);
    }
  });

  it('checks and spells a new item’s sprint and release as set does, and stamps a done one', async () => {
    const { writer } = await memoryBacklog(files());
    assert.match(refusal(await writer.createItem(ROOT, { title: 'Z', sprint: 'S-99' })), /No sprint S-99/);
    assert.match(refusal(await writer.createItem(ROOT, { title: 'Z', release: 'R-9' })), /No release R-9/);
    const r = await writer.createItem(ROOT, { title: 'Y', sprint: 's-1', release: 'r-1', status: 'done' });
    assert.ok(r.ok, refusal(r));
    const made = r.operations[0];
    assert.ok(made.kind === 'create');
    assert.match(made.content, /^sprint: S-1$/m);
    assert.match(made.content, /^release: R-1$/m);
    assert.match(made.content, /^status: Done$/m);
    assert.match(made.content, /^completed_date: '2026-11-21'$/m);
  });

  it('refuses a title of two lines, a description field, and an item depending on itself', async () => {
    const { writer } = await memoryBacklog(files());
    assert.match(refusal(await writer.setTitle('BL-1', 'x\ny')), /one line/);
    assert.match(refusal(await writer.setField('BL-1', 'description', 'hello')), /## Description/);
    assert.match(refusal(await writer.setField('BL-1', 'dependencies', ['BL-3', 'bl-1'])), /BL-1 cannot depend on itself/);
  });
});

describe('archiving keeps the other lines of a block list', () => {
  it('drops only the archived id’s line, keeping the comment on the next entry', async () => {
    const { writer, apply, ws } = await memoryBacklog(files());
    const before = ws.text(`${ROOT}/tasks/bl-2 - B.md`);
    const r = await writer.archiveItem('BL-1');
    assert.ok(r.ok, refusal(r));
    await apply(r.operations);
    assert.strictEqual(ws.text(`${ROOT}/tasks/bl-2 - B.md`), before.replace('  - BL-1\n', '').replace(/\n---\n$/, "\nupdated_date: '2026-11-21 09:30'\n---\n"));
  });
});

describe('an item naming both a release and its Backlog.md milestone', () => {
  const files = (): Record<string, string> => ({
    'backlog/config.yml': config,
    'backlog/releases.yml': "releases:\n  - {id: R-1, name: Beta, milestone: m-1}\n  - {id: R-2, name: One, milestone: m-2}\n  - {id: R-3, name: Two}\n",
    'backlog/milestones/m-1 - Beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
    'backlog/milestones/m-2 - One.md': '---\nid: m-2\ntitle: One\n---\n',
    'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'To Do', release: 'R-1', milestone: 'm-1' }),
  });

  it('leaves the release for every tool when the release is cleared or changed', async () => {
    for (const [value, release, milestone] of [
      [null, undefined, undefined],
      ['R-2', 'R-2', 'm-2'],
      ['R-3', 'R-3', undefined],
    ] as const) {
      const { writer, apply, backlog } = await memoryBacklog(files());
      const r = await writer.setField('BL-1', 'release', value);
      assert.ok(r.ok, refusal(r));
      await apply(r.operations);
      const item = backlog().item('BL-1')!;
      // What Backlog.md reads (`milestone`) and what every view here reads agree.
      assert.deepStrictEqual([item.release, item.milestone], [release, milestone], String(value));
      assert.strictEqual(backlog().releaseBacklog('R-1').length, 0, `${String(value)}: no longer in R-1`);
    }
  });
});

describe('a write that changes nothing', () => {
  it('says so instead of claiming the change', async () => {
    const { writer } = await memoryBacklog(files());
    const none = await writer.setField('BL-1', 'size', null);
    assert.ok(none.ok && none.operations.length === 0);
    assert.strictEqual(none.summary, 'BL-1: size was not set; nothing changed');
    const same = await writer.updateItem('BL-1', { fields: [['status', 'to do']] });
    assert.ok(same.ok && same.operations.length === 0);
    assert.strictEqual(same.summary, 'BL-1: already as asked (status set to To Do); nothing changed');
  });
});
