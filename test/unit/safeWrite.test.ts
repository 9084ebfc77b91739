// Writing to a disk whose repository is untrusted, and which another program saves into too
// (issue 16, classes 4 and 5): only regular files inside the backlog once links are resolved, a
// temporary file nobody could plant, the file's mode and owner kept, nothing left behind on a
// failure, and no save by another program undone.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { BacklogWriter, FileOperation } from '../../src/core/writer';
import { createFile, renameFile, replaceFile, WriteHooks } from '../../src/node/safeWrite';

const config = 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n';
const item = (estimate: number, note = '') => `---\nid: BL-1\ntitle: One\nstatus: To Do\nestimate: ${estimate}\n---\n\n${note}`;
const SECRET = 'outside the backlog: must never change\n';

/** A repository with one item, and a folder beside it that nothing may write into. */
async function repo(): Promise<{ top: string; root: string; file: string; outside: string }> {
  const top = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-write-')));
  const root = path.join(top, 'repo', 'backlog');
  await fs.mkdir(path.join(root, 'tasks'), { recursive: true });
  await fs.writeFile(path.join(root, 'config.yml'), config);
  const file = path.join(root, 'tasks', 'bl-1 - One.md');
  await fs.writeFile(file, item(3));
  const outside = path.join(top, 'outside');
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'secret.md'), SECRET);
  return { top, root, file, outside };
}

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every entry under `dir` (links as links), with the content of regular files. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = e.isSymbolicLink() ? `-> ${await fs.readlink(p)}` : e.isFile() ? await fs.readFile(p, 'utf8') : '(folder)';
  }
  return out;
}

const temps = async (dir: string) => (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'));

/** The index, writer and workspace of the CLI over `root`'s repository. */
async function loaded(root: string) {
  const ws = new NodeWorkspace();
  const index = new BacklogIndex(ws, { folders: [path.dirname(root)] });
  await index.build();
  return { ws, index, writer: new BacklogWriter(index, ws) };
}

describe('writing to disk', () => {
  let dirs: string[] = [];
  const fresh = async () => {
    const r = await repo();
    dirs.push(r.top);
    return r;
  };
  afterEach(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
    dirs = [];
  });

  describe('never outside the backlog', () => {
    it('refuses a set through a tasks/ folder that is a link to a folder outside, and writes nothing there', async () => {
      const { root, outside } = await fresh();
      await fs.rm(path.join(root, 'tasks'), { recursive: true });
      await fs.mkdir(path.join(outside, 'tasks'));
      const target = path.join(outside, 'tasks', 'bl-1 - One.md');
      await fs.writeFile(target, item(3));
      await fs.symlink(path.join(outside, 'tasks'), path.join(root, 'tasks'));
      const before = await tree(outside);
      const r = await cli(['set', 'BL-1', 'estimate', '5'], path.dirname(root));
      assert.strictEqual(r.code, 1, r.out);
      // The linked folder is not even read (a link in a backlog is a problem of its own), so the
      // item is not there to change; either way nothing outside is touched.
      assert.match(r.err, /No item BL-1 in the backlog\.|leads outside the backlog \(through a symbolic link\); nothing was written\./);
      assert.deepStrictEqual(await tree(outside), before);
    });

    it('refuses to replace an item file that is a link, to create one where a dangling link waits, or to rename onto a link', async () => {
      const { root, file, outside } = await fresh();
      const secret = path.join(outside, 'secret.md');
      const link = path.join(root, 'tasks', 'bl-2 - Two.md');
      await fs.symlink(secret, link);
      const replaced = await replaceFile(link, Buffer.from(SECRET), Buffer.from('pwned'), [root]);
      assert.deepStrictEqual(replaced.ok ? replaced : replaced.reason, 'link');
      const dangling = path.join(root, 'tasks', 'bl-3 - Three.md');
      await fs.symlink(path.join(outside, 'created.md'), dangling);
      const created = await createFile(dangling, Buffer.from('pwned'), [root]);
      assert.deepStrictEqual(created.ok ? created : created.reason, 'exists');
      const renamed = await renameFile(file, dangling, [root]);
      assert.deepStrictEqual(renamed.ok ? renamed : renamed.reason, 'exists');
      assert.deepStrictEqual(await tree(outside), { 'secret.md': SECRET });
      assert.strictEqual(await fs.readFile(file, 'utf8'), item(3));
    });

    it('refuses a whole change when one of its files lies behind a link, writing none of them', async () => {
      const { root, file, outside } = await fresh();
      const { ws, writer, index } = await loaded(root);
      // A rename's new name taken by a dangling link: the writer's own look (which follows links) finds nothing there.
      await fs.symlink(path.join(outside, 'renamed.md'), path.join(root, 'tasks', 'bl-1 - Uno.md'));
      const r = await writer.setTitle('BL-1', 'Uno');
      assert.ok(r.ok, r.ok ? '' : r.message);
      // An edit and a rename in one change, as completing an item makes.
      const operations: FileOperation[] = [...r.operations, { kind: 'rename', from: file, to: path.join(root, 'tasks', 'bl-1 - Uno.md') }];
      const applied = await ws.apply(operations, index.roots().map((b) => b.root));
      assert.deepStrictEqual(applied.ok ? applied : [applied.reason, applied.message], ['exists', 'bl-1 - Uno.md already exists; nothing was written.']);
      assert.strictEqual(await fs.readFile(file, 'utf8'), item(3), 'the title edit before the rename is not written either');
      assert.deepStrictEqual(await tree(outside), { 'secret.md': SECRET });
    });

    it('refuses to create a file in a new folder under a link that leads outside', async () => {
      const { root, outside } = await fresh();
      await fs.symlink(outside, path.join(root, 'drafts'));
      const r = await createFile(path.join(root, 'drafts', 'deeper', 'x.md'), Buffer.from('pwned'), [root]);
      assert.deepStrictEqual(r.ok ? r : r.reason, 'outside');
      assert.deepStrictEqual(await tree(outside), { 'secret.md': SECRET });
    });

    it('never writes through a link planted where the temporary file goes (the old predictable name, or the very name drawn)', async () => {
      const { root, file, outside } = await fresh();
      const secret = path.join(outside, 'secret.md');
      // The name the CLI used to write to: dot, file name, process id.
      await fs.symlink(secret, path.join(root, 'tasks', `.bl-1 - One.md.${process.pid}.tmp`));
      let planted = 0;
      const hooks: WriteHooks = {
        beforeTemp: async (tmp) => {
          // An attacker who could guess the name: the first one drawn is taken by a link.
          if (planted++ === 0) await fs.symlink(secret, tmp);
        },
      };
      const { ws, writer, index } = await loaded(root);
      const r = await writer.setField('BL-1', 'estimate', 5);
      assert.ok(r.ok);
      const applied = await ws.apply(r.operations, index.roots().map((b) => b.root), hooks);
      assert.deepStrictEqual(applied, { ok: true });
      assert.strictEqual(planted, 2, 'a second, fresh name was drawn');
      assert.strictEqual(await fs.readFile(secret, 'utf8'), SECRET);
      assert.match(await fs.readFile(file, 'utf8'), /^estimate: 5$/m);
      assert.ok((await fs.lstat(file)).isFile() && !(await fs.lstat(file)).isSymbolicLink());
    });
  });

  describe('the file keeps what it had', () => {
    it('keeps the mode (0640 stays 0640) and, where allowed, owner and group', async function () {
      const { root, file } = await fresh();
      await fs.chmod(file, 0o640);
      const asRoot = process.getuid?.() === 0;
      if (asRoot) await fs.chown(file, 4321, 4322);
      const r = await cli(['set', 'BL-1', 'estimate', '5'], path.dirname(root));
      assert.strictEqual(r.code, 0, r.err);
      const st = await fs.stat(file);
      assert.strictEqual(st.mode & 0o7777, 0o640);
      if (asRoot) assert.deepStrictEqual([st.uid, st.gid], [4321, 4322]);
      assert.match(await fs.readFile(file, 'utf8'), /^estimate: 5$/m);
    });

    it('keeps an executable or group-writable mode too', async () => {
      const { file, root } = await fresh();
      for (const mode of [0o600, 0o664, 0o755]) {
        await fs.chmod(file, mode);
        const base = await fs.readFile(file);
        const r = await replaceFile(file, base, Buffer.from(item(mode)), [root]);
        assert.deepStrictEqual(r, { ok: true });
        assert.strictEqual((await fs.stat(file)).mode & 0o7777, mode);
      }
    });

    it('leaves no temporary file and the file as it was when the disk fills up while writing', async () => {
      const { root, file } = await fresh();
      const probe = await fs.open(file, 'r');
      const proto = Object.getPrototypeOf(probe) as FileHandle;
      await probe.close();
      const original = proto.writeFile;
      proto.writeFile = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      try {
        await assert.rejects(cli(['set', 'BL-1', 'estimate', '5'], path.dirname(root)).then((r) => (r.code === 0 ? r : Promise.reject(new Error(r.err)))), /ENOSPC/);
      } finally {
        proto.writeFile = original;
      }
      assert.deepStrictEqual(await temps(path.dirname(file)), []);
      assert.strictEqual(await fs.readFile(file, 'utf8'), item(3));
    });

    it('leaves no temporary file when anything fails between writing it and the rename', async () => {
      const { root, file } = await fresh();
      const { ws, writer, index } = await loaded(root);
      const r = await writer.setField('BL-1', 'estimate', 5);
      assert.ok(r.ok);
      let seen = '';
      await assert.rejects(
        ws.apply(r.operations, index.roots().map((b) => b.root), {
          beforeReplace: async (tmp) => {
            seen = tmp;
            assert.ok((await fs.lstat(tmp)).isFile(), 'the temporary file exists at this point');
            throw new Error('EIO: simulated');
          },
        }),
        /EIO: simulated/,
      );
      assert.ok(seen.startsWith(path.join(root, 'tasks', '.bl-1 - One.md.')) && /\.[0-9a-f]{16}\.tmp$/.test(seen), seen);
      assert.deepStrictEqual(await temps(path.dirname(file)), []);
      assert.strictEqual(await fs.readFile(file, 'utf8'), item(3));
    });

    it('says why, with no temporary file left, when the folder cannot be written to', async function () {
      if (process.getuid?.() === 0) this.skip(); // root writes into read-only folders
      const { root, file } = await fresh();
      await fs.chmod(path.dirname(file), 0o555);
      try {
        const r = await cli(['set', 'BL-1', 'estimate', '5'], path.dirname(root)).catch((e: Error) => ({ code: 2, err: e.message }));
        assert.notStrictEqual(r.code, 0);
      } finally {
        await fs.chmod(path.dirname(file), 0o755);
      }
      assert.deepStrictEqual(await temps(path.dirname(file)), []);
    });
  });

  describe('never undoing another program\'s save', () => {
    /** Another program's ways to save: rewrite in place, or write its own temporary file and rename it. */
    const saves: [string, (file: string, text: string) => Promise<void>][] = [
      ['in place', (file, text) => fs.writeFile(file, text)],
      [
        'by a rename',
        async (file, text) => {
          await fs.writeFile(`${file}.other`, text);
          await fs.rename(`${file}.other`, file);
        },
      ],
    ];
    const points: (keyof WriteHooks)[] = ['beforeTemp', 'beforeReplace'];

    for (const [how, save] of saves) {
      for (const point of points) {
        it(`refuses when the file is saved ${how} at ${point}, and keeps that save`, async () => {
          const { root, file } = await fresh();
          const { ws, writer, index } = await loaded(root);
          const r = await writer.setField('BL-1', 'estimate', 5);
          assert.ok(r.ok);
          const theirs = item(3, 'Saved by another program.\n');
          const applied = await ws.apply(r.operations, index.roots().map((b) => b.root), { [point]: () => save(file, theirs) });
          assert.deepStrictEqual(applied.ok ? applied : [applied.reason, applied.message], ['changed', 'bl-1 - One.md changed since it was read; nothing was written. Try again.']);
          assert.strictEqual(await fs.readFile(file, 'utf8'), theirs);
          assert.deepStrictEqual(await temps(path.dirname(file)), []);
        });
      }
    }

    it('refuses even when the other program saves the very same bytes by a rename (another file now)', async () => {
      const { root, file } = await fresh();
      const { ws, writer, index } = await loaded(root);
      const r = await writer.setField('BL-1', 'estimate', 5);
      assert.ok(r.ok);
      const applied = await ws.apply(r.operations, index.roots().map((b) => b.root), { beforeReplace: () => saves[1][1](file, item(3)) });
      assert.strictEqual(applied.ok || applied.reason, 'changed');
    });

    it('200 sets while another program saves at a moment drawn for each: no save of its is ever undone', async function () {
      this.timeout(60_000);
      const { root, file } = await fresh();
      const { ws, writer, index } = await loaded(root);
      // A fixed seed: the same moments every run, so that the test never depends on timing.
      let seed = 16;
      const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      let latest = 'saved 0';
      let written = 0;
      let refused = 0;
      for (let k = 1; k <= 200; k++) {
        const r = await writer.setField('BL-1', 'estimate', 100 + k);
        assert.ok(r.ok && r.operations.length === 1, r.ok ? '' : r.message);
        const when = next();
        const [how, save] = saves[Math.floor(next() * saves.length)];
        const at: keyof WriteHooks | 'before the set' | 'not at all' = when < 0.25 ? 'beforeTemp' : when < 0.5 ? 'beforeReplace' : when < 0.75 ? 'before the set' : 'not at all';
        const theirs = async () => {
          latest = `saved ${k}`;
          const now = await fs.readFile(file, 'utf8');
          await save(file, now.replace(/saved \d+|$/, latest));
        };
        if (at === 'before the set') await theirs();
        const hooks: WriteHooks = at === 'beforeTemp' || at === 'beforeReplace' ? { [at]: theirs } : {};
        const applied = await ws.apply(r.operations, index.roots().map((b) => b.root), hooks);
        const text = await fs.readFile(file, 'utf8');
        if (applied.ok) {
          written++;
          assert.ok(at === 'not at all', `set ${k}: a set went ahead over a save ${how} ${at}`);
          assert.match(text, new RegExp(`^estimate: ${100 + k}$`, 'm'));
        } else {
          refused++;
          assert.strictEqual(applied.reason, 'changed');
        }
        assert.ok(latest === 'saved 0' || text.includes(latest), `set ${k}: the other program's "${latest}" (saved ${how} ${at}) was undone`);
        assert.deepStrictEqual(await temps(path.dirname(file)), []);
        await index.applyChanges([{ kind: 'changed', path: file }]);
      }
      assert.ok(written > 30 && refused > 100, `${written} written, ${refused} refused`);
    });
  });

  it('a create and a rename by the CLI go through the same checks and succeed in an ordinary backlog', async () => {
    const { root, file } = await fresh();
    const { ws, writer, index } = await loaded(root);
    const created = await writer.createItem(index.roots()[0].root, { title: 'Two' });
    assert.ok(created.ok);
    assert.deepStrictEqual(await ws.apply(created.operations, [index.roots()[0].root]), { ok: true });
    const renamed = await writer.setTitle('BL-1', 'Uno');
    assert.ok(renamed.ok);
    const operations: FileOperation[] = [...renamed.operations, { kind: 'rename', from: file, to: path.join(path.dirname(file), 'bl-1 - Uno.md') }];
    assert.deepStrictEqual(await ws.apply(operations, [index.roots()[0].root]), { ok: true });
    assert.deepStrictEqual((await fs.readdir(path.dirname(file))).sort(), ['bl-1 - Uno.md', 'bl-2 - Two.md']);
  });

  it('refuses an edit built for other bytes than the file holds, before making any temporary file', async () => {
    const { root, file } = await fresh();
    let made = 0;
    const r = await replaceFile(file, Buffer.from(item(4)), Buffer.from('x'), [root], { beforeTemp: () => void made++ });
    assert.strictEqual(r.ok || r.reason, 'changed');
    assert.strictEqual(made, 0);
  });
});
