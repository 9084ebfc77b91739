// Check every operation, then write: the rule both appliers take from the core.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkOperation, checkOperations, checkPlace, CurrentFiles, EntryKind, unchangedSince } from '../../src/core/apply';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { contentHash } from '../../src/core/text';
import { FileOperation } from '../../src/core/writer';
import { itemText, memoryBacklog } from './helpers';

const ROOT = '/ws/backlog';
const A = `${ROOT}/tasks/bl-1 - A.md`;
const B = `${ROOT}/tasks/bl-2 - B.md`;
const C = `${ROOT}/tasks/bl-3 - C.md`;

/** The files as the command line sees them: the disk, no editors. */
function diskOf(ws: MemoryWorkspace, reads: string[] = []): CurrentFiles {
  return {
    read: async (path) => {
      reads.push(path);
      return ws.has(path) ? ws.read(path) : undefined;
    },
    exists: async (path) => (await ws.stat(path)) !== undefined,
  };
}

function editOf(path: string, text: string, from: string, to: string): FileOperation {
  const offset = text.indexOf(from);
  assert.ok(offset >= 0, `${from} in ${path}`);
  return { kind: 'edit', path, baseHash: contentHash(text), edits: [{ offset, length: from.length, newText: to }] };
}

const a = itemText({ id: 'BL-1', title: 'A', estimate: 3 });
const b = itemText({ id: 'BL-2', title: 'B', estimate: 5 });

describe('check every operation, then write', () => {
  it('turns a change into the bytes to write, in order, keeping BOM and line ends', async () => {
    const crlf = '\uFEFF' + b.replace(/\n/g, '\r\n');
    const ws = new MemoryWorkspace({ [A]: a, [B]: crlf });
    const checked = await checkOperations(
      [editOf(A, a, 'estimate: 3', 'estimate: 8'), editOf(B, crlf.slice(1), 'estimate: 5', 'estimate: 2'), { kind: 'create', path: C, content: 'new\n' }, { kind: 'rename', from: A, to: `${ROOT}/tasks/bl-1 - A2.md` }],
      diskOf(ws),
      [ROOT],
    );
    assert.ok(checked.ok, checked.ok ? '' : checked.message);
    const text = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    assert.deepEqual(
      checked.writes.map((w) => (w.kind === 'edit' && w.target === 'disk' ? [w.kind, w.path, text(w.bytes)] : w.kind === 'create' ? [w.kind, w.path, text(w.bytes)] : [w.kind])),
      [
        ['edit', A, a.replace('estimate: 3', 'estimate: 8')],
        ['edit', B, crlf.replace('estimate: 5', 'estimate: 2')],
        ['create', C, 'new\n'],
        ['rename'],
      ],
    );
  });

  it('refuses the whole change for one file that changed since it was read, naming it', async () => {
    const ws = new MemoryWorkspace({ [A]: a, [B]: b });
    const ops = [editOf(A, a, 'estimate: 3', 'estimate: 8'), editOf(B, b, 'estimate: 5', 'estimate: 2')];
    ws.write(B, b.replace('title: B', 'title: B, edited elsewhere'));
    const checked = await checkOperations(ops, diskOf(ws), [ROOT]);
    assert.deepEqual(checked, { ok: false, path: B, reason: 'changed', message: 'bl-2 - B.md changed since it was read; nothing was written. Try again.' });
  });

  it('writes nothing at all when one file of a change is stale', async () => {
    const { ws, writer, apply, backlog } = await memoryBacklog({
      'backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n',
      'backlog/sprints.yml': 'sprints:\n  - {id: S-1, name: Sprint 1, state: active}\n',
      'backlog/tasks/bl-1 - A.md': a,
      'backlog/tasks/bl-2 - B.md': b,
    });
    const moved = await writer.moveItems(['BL-1', 'BL-2'], {}, { sprint: 'S-1' }, ROOT);
    assert.ok(moved.ok && moved.operations.length === 2, 'one edit per item');
    // The second file changes after the writer read it: the first must not be written either.
    ws.write(B, b.replace('title: B', 'title: Bee'));
    const before = ws.paths().map((p) => [p, ws.text(p)]);
    await assert.rejects(apply(moved.operations), /bl-2 - B\.md changed since it was read/);
    assert.deepEqual(ws.paths().map((p) => [p, ws.text(p)]), before);
    assert.equal(backlog().item('BL-1')!.sprint, undefined);
  });

  const outside: [why: string, op: FileOperation][] = [
    ['an edit of a file beside the backlog', { kind: 'edit', path: '/ws/src/app.ts', baseHash: 'x', edits: [] }],
    ['a create that climbs out with ..', { kind: 'create', path: `${ROOT}/tasks/../../secret.md`, content: '' }],
    ['a folder that only starts like the backlog', { kind: 'create', path: '/ws/backlog-old/x.md', content: '' }],
    ['a rename to outside', { kind: 'rename', from: A, to: '/tmp/bl-1.md' }],
  ];
  for (const [why, op] of outside) {
    it(`refuses a path outside the backlog: ${why}`, async () => {
      const reads: string[] = [];
      const ws = new MemoryWorkspace({ [A]: a, '/ws/src/app.ts': '' });
      const checked = await checkOperations([op], diskOf(ws, reads), [ROOT]);
      assert.equal(checked.ok, false);
      assert.equal(!checked.ok && checked.reason, 'outside');
      assert.deepEqual(reads, [], 'not even read');
    });
  }

  it('refuses a create over an existing file, a rename of a missing one or onto an existing one, an edit of an unreadable one', async () => {
    const ws = new MemoryWorkspace({ [A]: a, [B]: b });
    const reason = async (op: FileOperation) => {
      const c = await checkOperation(op, diskOf(ws), [ROOT]);
      return c.ok ? 'ok' : `${c.reason} ${c.path}`;
    };
    assert.equal(await reason({ kind: 'create', path: A, content: '' }), `exists ${A}`);
    assert.equal(await reason({ kind: 'create', path: `${ROOT}/tasks`, content: '' }), `exists ${ROOT}/tasks`);
    assert.equal(await reason({ kind: 'rename', from: C, to: `${ROOT}/x.md` }), `missing ${C}`);
    assert.equal(await reason({ kind: 'rename', from: A, to: B }), `exists ${B}`);
    assert.equal(await reason(editOf(C, a, 'estimate: 3', 'estimate: 4')), `unreadable ${C}`);
  });

  describe('with a file open in an editor', () => {
    const op = editOf(A, a, 'estimate: 3', 'estimate: 8');
    const withEditor = (ws: MemoryWorkspace, text: string, dirty: boolean, reads: string[] = []): CurrentFiles => ({ ...diskOf(ws, reads), openText: (p) => (p === A ? { text, dirty } : undefined) });

    it('edits through a clean editor and saves it, when the disk holds the same text', async () => {
      const c = await checkOperation(op, withEditor(new MemoryWorkspace({ [A]: a }), a, false), [ROOT]);
      assert.deepEqual(c.ok && c.write, { kind: 'edit', path: A, op, target: 'editor', save: true });
    });

    it("edits into an editor's unsaved text without saving it, whatever the disk holds", async () => {
      const reads: string[] = [];
      const c = await checkOperation(op, withEditor(new MemoryWorkspace({ [A]: 'newer on disk' }), a, true, reads), [ROOT]);
      assert.deepEqual(c.ok && c.write, { kind: 'edit', path: A, op, target: 'editor', save: false });
      assert.deepEqual(reads, []);
    });

    it('refuses when the editor holds other text than the edit was made for', async () => {
      const c = await checkOperation(op, withEditor(new MemoryWorkspace({ [A]: a }), a + 'typed\n', true), [ROOT]);
      assert.equal(!c.ok && c.reason, 'changed');
    });

    it('refuses to save a clean editor over a newer file on disk', async () => {
      const c = await checkOperation(op, withEditor(new MemoryWorkspace({ [A]: a.replace('title: A', 'title: Changed by git') }), a, false), [ROOT]);
      assert.equal(!c.ok && c.reason, 'changed');
    });
  });

  it('property: a change goes ahead exactly when no file in it is stale, and a refusal names the first stale one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (stale) => {
        const paths = stale.map((_, k) => `${ROOT}/tasks/bl-${k + 1} - I.md`);
        const text = (k: number) => itemText({ id: `BL-${k + 1}`, title: 'I', estimate: k });
        const ws = new MemoryWorkspace(Object.fromEntries(paths.map((p, k) => [p, text(k)])));
        const ops = paths.map((p, k) => editOf(p, text(k), `estimate: ${k}`, `estimate: ${k + 1}`));
        stale.forEach((s, k) => s && ws.write(paths[k], text(k) + 'changed\n'));
        const checked = await checkOperations(ops, diskOf(ws), [ROOT]);
        const first = stale.indexOf(true);
        if (first === -1) assert.equal(checked.ok && checked.writes.length, stale.length);
        else assert.deepEqual(!checked.ok && [checked.reason, checked.path], ['changed', paths[first]]);
      }),
    );
  });
});

describe('where a write may go, once links are resolved', () => {
  const place = (realFolder: string, entry: EntryKind) => ({ path: `${ROOT}/tasks/bl-1 - A.md`, realFolder, realWithin: ['/real/ws/backlog'], entry });
  const reason = (r: { reason: string } | undefined) => r?.reason ?? 'ok';

  it('only a regular file, or nothing for a new one, in a folder whose real path is inside the backlog', () => {
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'file'), 'file')), 'ok');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'absent'), 'absent')), 'ok');
    assert.equal(reason(checkPlace(place('/real/elsewhere/tasks', 'file'), 'file')), 'outside', 'tasks/ is a link to a folder outside');
    assert.equal(reason(checkPlace(place('/real/ws/backlog-old/tasks', 'absent'), 'absent')), 'outside', 'a folder that only starts like the backlog');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'link'), 'file')), 'link');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'link'), 'absent')), 'exists', 'a dangling link where a file is to be created counts as something');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'other'), 'file')), 'not-a-file');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'absent'), 'file')), 'missing');
    assert.equal(reason(checkPlace(place('/real/ws/backlog/tasks', 'file'), 'absent')), 'exists');
  });

  it('a file is unchanged only with the same bytes and the same identity', () => {
    const seen = { identity: '1:2', bytes: new Uint8Array([1, 2, 3]) };
    assert.equal(unchangedSince(seen, { identity: '1:2', bytes: new Uint8Array([1, 2, 3]) }), true);
    assert.equal(unchangedSince(seen, { identity: '1:3', bytes: new Uint8Array([1, 2, 3]) }), false, 'saved again by a rename: another file');
    assert.equal(unchangedSince(seen, { identity: '1:2', bytes: new Uint8Array([1, 2, 4]) }), false);
    assert.equal(unchangedSince(seen, undefined), false);
  });
});
