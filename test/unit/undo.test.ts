// Undo (issue 17): what a change did to each file, the check before taking it back, and the words
// a notification names it with.
import * as assert from 'assert';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as path from 'path';
import { ChangeRecorder, changedSinceChange, ChangeStack, FileState, RecordedChange, sameState, textDifference } from '../../src/core/undo';
import { moveLabel } from '../../src/core/writer';
import { removeFile } from '../../src/node/safeWrite';
import { memoryBacklog, PLANNING_FILES } from './helpers';
import { tempDir } from './tempDir';

const bytes = (s: string): FileState => ({ kind: 'bytes', bytes: new TextEncoder().encode(s) });
const absent: FileState = { kind: 'absent' };

describe('undo', () => {
  describe('the record of a change', () => {
    it('follows a file through an edit and a rename: its state before the first write, after the last', () => {
      const r = new ChangeRecorder();
      r.wrote('/b/a.md', '/b/a.md', bytes('one'), bytes('two'));
      r.wrote('/b/a.md', '/b/c.md', bytes('two'), bytes('two'));
      r.wrote('/b/new.md', '/b/new.md', absent, bytes('new'));
      const [renamed, created] = r.changes();
      assert.deepStrictEqual([renamed.before.path, renamed.after.path], ['/b/a.md', '/b/c.md']);
      assert.ok(sameState(renamed.before.state, bytes('one')) && sameState(renamed.after.state, bytes('two')));
      assert.deepStrictEqual([created.before.state.kind, created.after.path], ['absent', '/b/new.md']);
    });

    it('leaves out a write that changed nothing', () => {
      const r = new ChangeRecorder();
      r.wrote('/b/a.md', '/b/a.md', bytes('same'), bytes('same'));
      assert.deepStrictEqual(r.changes(), []);
    });
  });

  describe('the check before an undo', () => {
    const disk = (s: string) => new TextEncoder().encode(s);
    it('lets an undo go ahead only while every file is exactly as the change left it', () => {
      assert.strictEqual(changedSinceChange('/b/a.md', bytes('x'), { disk: disk('x') }), undefined);
      assert.match(changedSinceChange('/b/a.md', bytes('x'), { disk: disk('x ') })!, /a\.md changed since; nothing was undone/);
      assert.match(changedSinceChange('/b/a.md', bytes('x'), { disk: undefined })!, /a\.md is gone/);
      assert.match(changedSinceChange('/b/a.md', absent, { disk: disk('') })!, /exists again/);
      assert.strictEqual(changedSinceChange('/b/a.md', absent, { disk: undefined }), undefined);
    });

    it('refuses a file with unsaved text, unless the change itself went into that text', () => {
      assert.match(changedSinceChange('/b/a.md', bytes('x'), { disk: disk('x'), editor: { text: 'x!', dirty: true } })!, /unsaved changes/);
      assert.strictEqual(changedSinceChange('/b/a.md', bytes('\uFEFFx'), { disk: disk('\uFEFFx'), editor: { text: 'x', dirty: false } }), undefined);
      const text: FileState = { kind: 'text', text: 'typed, then moved' };
      assert.strictEqual(changedSinceChange('/b/a.md', text, { disk: disk('old'), editor: { text: 'typed, then moved', dirty: true } }), undefined);
      assert.match(changedSinceChange('/b/a.md', text, { disk: disk('old'), editor: { text: 'typed more', dirty: true } })!, /changed since/);
      assert.match(changedSinceChange('/b/a.md', text, { disk: disk('old') })!, /closed without saving/);
    });
  });

  describe('the edit an editor gets', () => {
    it('turns any text into any other, touching only what differs and never half a CRLF or surrogate pair', () => {
      const piece = fc.constantFrom('a', 'b', '\r\n', '\n', '😀', 'é', ' ');
      const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
      fc.assert(
        fc.property(text, text, (from, to) => {
          const d = textDifference(from, to);
          if (from === to) return d === undefined;
          assert.ok(d);
          assert.strictEqual(from.slice(0, d.offset) + d.newText + from.slice(d.offset + d.length), to);
          for (const at of [d.offset, d.offset + d.length]) {
            assert.ok(!(from[at - 1] === '\r' && from[at] === '\n'), `splits a CRLF at ${at}`);
            const c = from.charCodeAt(at);
            assert.ok(!(c >= 0xdc00 && c <= 0xdfff), `splits a surrogate pair at ${at}`);
          }
          return true;
        }),
      );
    });
  });

  describe('the stack', () => {
    const change = (label: string): RecordedChange => ({ label, files: [] });
    it('keeps the last 20 changes, newest last, and forgets what was undone once a new change is made', () => {
      const stack = new ChangeStack(20);
      const all = Array.from({ length: 25 }, (_, i) => change(`c${i}`));
      for (const c of all) stack.push(c);
      assert.strictEqual(stack.lastDone(), all[24]);
      assert.ok(!stack.canUndo(all[4]) && stack.canUndo(all[5]));
      const redo = change('redo c24');
      stack.undid(all[24], redo);
      assert.strictEqual(stack.lastDone(), all[23]);
      assert.strictEqual(stack.lastUndone(), redo);
      stack.push(change('new'));
      assert.strictEqual(stack.lastUndone(), undefined);
    });
  });

  describe('the words a notification uses', () => {
    it('names sprints and releases as the views do', async () => {
      const { backlog } = await memoryBacklog(PLANNING_FILES);
      const b = backlog();
      const sprint = b.sprints.find((s) => s.state === 'planned') ?? b.sprints[0];
      const release = b.releases()[0];
      assert.strictEqual(moveLabel(b, [{ id: 'BL-13' }], [['sprint', sprint.id]]), `Moved BL-13 to ${sprint.name}`);
      assert.strictEqual(moveLabel(b, [{ id: 'BL-4', sprint: sprint.id }, { id: 'BL-5' }], [['sprint', null]]), `Moved BL-4 and BL-5 out of ${sprint.name}`);
      assert.strictEqual(moveLabel(b, [{ id: 'BL-2' }], []), 'Moved BL-2 in the backlog order');
      assert.strictEqual(moveLabel(b, [{ id: 'BL-2' }], [['release', release.id]]), `Moved BL-2 to release ${release.name}`);
      assert.strictEqual(moveLabel(b, [{ id: 'A-1' }, { id: 'A-2' }, { id: 'A-3' }, { id: 'A-4' }], [['step', 'Pay']]), 'Moved 4 items: step Pay');
    });

    it('comes with every move the writer makes', async () => {
      const { writer, backlog } = await memoryBacklog(PLANNING_FILES);
      const item = backlog().productBacklog()[0];
      const sprint = backlog().sprints.find((s) => s.state === 'planned') ?? backlog().sprints[0];
      const r = await writer.moveItems([item.id], {}, { sprint: sprint.id });
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.strictEqual(r.label, `Moved ${item.id} to ${sprint.name}`);
    });
  });

  describe('removing a file an undo takes back', () => {
    it('removes only a regular file inside the backlog that still holds what was written', async () => {
      const top = await fs.realpath(await tempDir('atlas-undo-'));
      const root = path.join(top, 'backlog');
      await fs.mkdir(root);
      const file = path.join(root, 'new.md');
      await fs.writeFile(file, 'written');
      const outside = path.join(top, 'outside.md');
      await fs.writeFile(outside, 'written');
      await fs.symlink(outside, path.join(root, 'link.md'));

      const changed = await removeFile(file, new TextEncoder().encode('written, then edited'), [root]);
      assert.ok(!changed.ok && /changed since it was read/.test(changed.message));
      const link = await removeFile(path.join(root, 'link.md'), new TextEncoder().encode('written'), [root]);
      assert.ok(!link.ok && /symbolic link/.test(link.message));
      const elsewhere = await removeFile(outside, new TextEncoder().encode('written'), [root]);
      assert.ok(!elsewhere.ok && elsewhere.reason === 'outside');
      assert.strictEqual(await fs.readFile(outside, 'utf8'), 'written');
      assert.strictEqual(await fs.readFile(file, 'utf8'), 'written');

      assert.deepStrictEqual(await removeFile(file, new TextEncoder().encode('written'), [root]), { ok: true });
      await assert.rejects(fs.stat(file), /ENOENT/);
    });
  });
});
