// Repair after a merge: two branches each made BL-5; `renumber` gives one of them the next free id
// in its front matter and file name, and (when asked) moves the references to it, as one change.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { itemText, memoryBacklog } from './helpers';
import { scratchRepo, ScratchRepo } from './scratchRepo';

const CONFIG = 'project_name: "R"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const NOW = clockFromSetting('2026-11-21T09:30Z').clock;

const FILES: Record<string, string> = {
  'backlog/config.yml': CONFIG,
  'backlog/tasks/bl-4 - Four.md': itemText({ id: 'BL-4', title: 'Four', status: 'To Do', dependencies: '[BL-5]' }),
  'backlog/tasks/bl-5 - Ours.md': itemText({ id: 'BL-5', title: 'Ours', status: 'To Do', estimate: 3 }),
  'backlog/tasks/bl-5 - Theirs.md': itemText({ id: 'BL-5', title: 'Theirs', status: 'To Do' }, '\nBody kept.\n'),
  'backlog/tasks/bl-6 - Child.md': itemText({ id: 'BL-6', title: 'Child', status: 'To Do', parent_task_id: 'BL-5', epic: 'bl-5' }),
};

describe('renumbering a duplicate id', () => {
  it('changes only the id, the id part of the file name and, when asked, the references', async () => {
    const { writer, apply, ws, backlog } = await memoryBacklog(FILES);
    assert.ok(backlog().crossFileDiagnostics().some((d) => d.code === 'duplicate-id'));
    const r = await writer.renumberItem('/ws/backlog/tasks/bl-5 - Theirs.md', { moveReferences: true });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.itemId, 'BL-7');
    await apply(r.operations);
    const read = async (p: string) => new TextDecoder().decode(await ws.read(`/ws/backlog/tasks/${p}`));
    assert.equal(await read('bl-7 - Theirs.md'), FILES['backlog/tasks/bl-5 - Theirs.md'].replace('id: BL-5', 'id: BL-7').replace('status: To Do', "status: To Do\nupdated_date: '2026-11-21 09:30'"));
    assert.equal(await read('bl-5 - Ours.md'), FILES['backlog/tasks/bl-5 - Ours.md']);
    assert.match(await read('bl-4 - Four.md'), /dependencies: \[BL-7\]/);
    assert.match(await read('bl-6 - Child.md'), /parent_task_id: BL-7\nepic: BL-7/);
    assert.ok(!backlog().crossFileDiagnostics().some((d) => d.code === 'duplicate-id'));
  });

  it('leaves the references with the item that keeps the id unless asked', async () => {
    const { writer, apply, ws } = await memoryBacklog(FILES);
    const r = await writer.renumberItem('/ws/backlog/tasks/bl-5 - Ours.md');
    assert.ok(r.ok);
    await apply(r.operations);
    assert.equal(r.operations.length, 2);
    assert.equal(new TextDecoder().decode(await ws.read('/ws/backlog/tasks/bl-4 - Four.md')), FILES['backlog/tasks/bl-4 - Four.md']);
  });

  it('refuses an id nobody else has', async () => {
    const { writer } = await memoryBacklog(FILES);
    const r = await writer.renumberItem('/ws/backlog/tasks/bl-4 - Four.md');
    assert.equal(r.ok, false);
  });
});

describe('backlog-atlas renumber', () => {
  let repo: ScratchRepo;
  beforeEach(() => {
    repo = scratchRepo('atlas-renumber-');
    for (const [p, t] of Object.entries(FILES)) repo.write(p, t);
    repo.write('src/app.ts', 'export const x = 1; // TODO(BL-5): theirs\r\n// FIXME [bl-5] and BL-4 stay\r\n');
    repo.commit('merged', '2026-11-20T10:00:00Z');
    // Another branch has taken BL-7 already: the repair skips it.
    repo.git(['checkout', '-q', '-b', 'other']);
    repo.write('backlog/tasks/bl-7 - Elsewhere.md', itemText({ id: 'BL-7', title: 'Elsewhere', status: 'To Do' }));
    repo.commit('BL-7', '2026-11-20T11:00:00Z');
    repo.git(['checkout', '-q', 'main']);
  });
  afterEach(() => repo.dispose());

  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, repo.dir, { out: (l) => out.push(l), err: (l) => err.push(l) }, NOW);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('asks which file when several share the id, then gives it the next id across branches', async () => {
    const ask = await cli(['renumber', 'BL-5']);
    assert.equal(ask.code, 2);
    assert.match(ask.err, /2 files have the id BL-5; name the one to renumber with --file:\n {2}backlog\/tasks\/bl-5 - Ours\.md\n {2}backlog\/tasks\/bl-5 - Theirs\.md$/);
    const r = await cli(['renumber', 'BL-5', '--file', 'backlog/tasks/bl-5 - Theirs.md', '--move-references']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Renumbered BL-5 "Theirs" to BL-8; BL-4, BL-6 now name BL-8; TODOs in 1 file(s) too');
    assert.equal(fs.readFileSync(path.join(repo.dir, 'src/app.ts'), 'utf8'), 'export const x = 1; // TODO(BL-8): theirs\r\n// FIXME [BL-8] and BL-4 stay\r\n');
    assert.ok(fs.existsSync(path.join(repo.dir, 'backlog/tasks/bl-8 - Theirs.md')));
    assert.ok(!fs.existsSync(path.join(repo.dir, 'backlog/tasks/bl-5 - Theirs.md')));
    const lint = await cli(['lint', '--no-todos']);
    assert.doesNotMatch(lint.out, /duplicate/);
  });
});
