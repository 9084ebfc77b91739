// The folder watcher on the real disk: what the index hears when files come and go in a
// backlog's folders, above all in folders made together with their parent (`mkdir -p`), which
// VS Code's recursive watcher on Linux misses now and then (@parcel/watcher alone missed 18 of 20
// on this machine) and then hears nothing in.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FolderChange, FolderWatcher } from '../../src/node/folderWatcher';
import { tempDirSync } from './tempDir';

const ITEM_FOLDERS = ['tasks', 'drafts', 'archive', 'archive/tasks', 'archive/drafts'];

describe('the folder watcher', function () {
  // The extension uses it on Linux only (src/vscode/platform/vscodeWorkspace.ts says why).
  if (process.platform !== 'linux') return;
  this.timeout(20_000);
  let root: string;
  let heard: FolderChange[];
  let watcher: FolderWatcher | undefined;

  beforeEach(() => {
    root = fs.realpathSync(tempDirSync('atlas-watch-'));
    fs.mkdirSync(path.join(root, 'tasks'));
    heard = [];
  });
  afterEach(() => watcher?.dispose());

  const watchRoot = () => {
    watcher = new FolderWatcher([root, ...ITEM_FOLDERS.map((f) => path.join(root, f))], (c) => heard.push(c));
    return watcher;
  };
  /** Waits until a change to `file` of `kind` has been heard: what the index would be handed. */
  const hears = async (file: string, kind?: FolderChange['kind']) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      if (heard.some((c) => c.path === file && (kind === undefined || c.kind === kind))) return;
      await new Promise((r) => setImmediate(r));
    }
    assert.fail(`never heard ${kind ?? 'a change'} of ${path.relative(root, file)}; heard ${JSON.stringify(heard.map((c) => [c.kind, path.relative(root, c.path)]))}`);
  };

  it('watches the folders that exist, and no link where a folder should be', () => {
    fs.symlinkSync(path.join(root, 'tasks'), path.join(root, 'drafts'));
    const w = watchRoot();
    assert.deepEqual(w.watching().map((f) => path.relative(root, f)).sort(), ['', 'tasks']);
  });

  it('hears files written, changed and removed in a watched folder', async () => {
    watchRoot();
    const file = path.join(root, 'tasks', 'bl-1 - One.md');
    fs.writeFileSync(file, 'one');
    await hears(file);
    heard = [];
    fs.rmSync(file);
    await hears(file);
  });

  it('hears every file in folders made together with their parent, round after round', async () => {
    const w = watchRoot();
    const archive = path.join(root, 'archive');
    const drafts = path.join(archive, 'drafts');
    for (let round = 1; round <= 20; round++) {
      heard = [];
      fs.mkdirSync(drafts, { recursive: true });
      // The parent's watcher reports the top folder that came, once both are watched.
      await hears(archive, 'created');
      assert.ok(w.watching().includes(drafts), `round ${round}: archive/drafts is not watched`);
      const file = path.join(drafts, `draft-${round}.md`);
      fs.writeFileSync(file, 'idea');
      await hears(file);
      fs.rmSync(archive, { recursive: true });
      await hears(archive, 'deleted');
      assert.ok(!w.watching().includes(drafts), `round ${round}: the removed folder is still watched`);
    }
  });

  it('watches a folder again when it is replaced between two of its parent\'s events', async () => {
    const w = watchRoot();
    const tasks = path.join(root, 'tasks');
    // Moved away and another made in its place: the old watch follows the moved folder.
    fs.renameSync(tasks, path.join(root, 'old'));
    fs.mkdirSync(tasks);
    await hears(tasks, 'created');
    heard = [];
    fs.writeFileSync(path.join(root, 'old', 'x.md'), 'moved away');
    const file = path.join(tasks, 'bl-2 - Two.md');
    fs.writeFileSync(file, 'two');
    await hears(file);
    // Nothing from inside the moved folder, under either name.
    assert.ok(!heard.some((c) => c.path.startsWith(path.join(root, 'old') + path.sep) || c.path === path.join(tasks, 'x.md')), JSON.stringify(heard));
    assert.ok(w.watching().includes(tasks));
  });

  it('hears nothing once disposed', async () => {
    const w = watchRoot();
    w.dispose();
    assert.deepEqual(w.watching(), []);
    fs.writeFileSync(path.join(root, 'tasks', 'late.md'), 'late');
    fs.mkdirSync(path.join(root, 'drafts'));
    // A watcher that was told to stop may still have an event on its way: wait for one turn of
    // the loop past the writes' events (a second watcher, still live, hears them).
    const probe: FolderChange[] = [];
    const live = new FolderWatcher([path.join(root, 'tasks')], (c) => probe.push(c));
    fs.writeFileSync(path.join(root, 'tasks', 'probe.md'), 'probe');
    for (const deadline = Date.now() + 10_000; !probe.length && Date.now() < deadline; ) await new Promise((r) => setImmediate(r));
    live.dispose();
    assert.ok(probe.length > 0, 'the live watcher heard nothing');
    assert.deepEqual(heard, []);
  });
});
