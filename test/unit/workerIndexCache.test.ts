import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs, readdirSync } from 'fs';
import * as path from 'path';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { CachedFile } from '../../src/core/indexCache';
import { IndexCacheEntry } from '../../src/node/indexCacheFile';
import { CacheFileSpec, CHUNK, loadInWorker, nextTurn, WorkerIndexCache } from '../../src/node/indexCacheWorkerClient';
import { tempDir } from './tempDir';

// The extension's index cache (src/vscode/platform/extensionIndexCache.ts) loads and writes the
// command line's cache file in a worker (dist/indexCacheWorker.js, which `npm run test:unit`
// builds). Whatever the file holds, a reopened index shows what an index without it shows.

const WORKER = path.resolve(__dirname, '..', '..', 'dist', 'indexCacheWorker.js');
const CONFIG = 'project_name: "C"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';

function item(n: number, status = 'To Do', title = `Item ${n}`): string {
  return `---\nid: BL-${n}\ntitle: ${title}\nstatus: ${status}\nestimate: 3\n---\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 one\n- [ ] #2 two\n<!-- AC:END -->\n`;
}

async function project(count: number): Promise<{ dir: string; storage: string; root: string }> {
  const top = await tempDir('atlas-wcache-');
  const dir = path.join(top, 'project');
  const root = path.join(dir, 'backlog');
  await fs.mkdir(path.join(root, 'tasks'), { recursive: true });
  await fs.writeFile(path.join(root, 'config.yml'), CONFIG);
  for (let n = 1; n <= count; n++) await fs.writeFile(taskPath(dir, n), item(n));
  return { dir, root, storage: path.join(top, 'storage') };
}

function taskPath(dir: string, n: number): string {
  return path.join(dir, 'backlog', 'tasks', `bl-${n} - Item-${n}.md`);
}

/** What a user sees of an index: every item's fields and body, and every diagnostic (by path: reads finish in any order). */
function seen(index: BacklogIndex): string {
  const items = index.roots().flatMap((b) => [...b.items()].sort((x, y) => x.path.localeCompare(y.path)).map((i) => ({ ...i, fields: i.fields, acceptanceCriteria: i.acceptanceCriteria, description: i.description })));
  return JSON.stringify({ items, diagnostics: [...index.diagnostics()].sort(([a], [b]) => a.localeCompare(b)) });
}

/** Builds an index over `dir` as a window opening would, with the cache at `spec`. */
async function open(dir: string, spec: CacheFileSpec, workerFile = WORKER): Promise<{ index: BacklogIndex; cache: WorkerIndexCache }> {
  let cache: WorkerIndexCache | undefined;
  const index = new BacklogIndex(new NodeWorkspace(), { folders: [dir], cache: (root) => (root === spec.root ? (cache ??= new WorkerIndexCache(workerFile, spec)) : undefined) });
  await index.build();
  assert.ok(cache, 'the index asked for the cache');
  return { index, cache };
}

/** Fails naming the first item or diagnostic that differs, not with two walls of JSON. */
function sameAs(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  assert.fail(`${what}: differs at ${i}: …${actual.slice(Math.max(0, i - 200), i + 200)}… instead of …${expected.slice(Math.max(0, i - 200), i + 200)}…`);
}

async function plain(dir: string): Promise<string> {
  const index = new BacklogIndex(new NodeWorkspace(), { folders: [dir] });
  await index.build();
  return seen(index);
}

describe('the index cache through a worker', () => {
  let p: Awaited<ReturnType<typeof project>>;
  let spec: CacheFileSpec;
  beforeEach(async () => {
    p = await project(30);
    spec = { file: path.join(p.storage, 'index-cache', 'root.cache'), root: p.root, rootOnDisk: p.root, program: WORKER };
  });

  it('serves a reopened index from the file, the same as without it', async () => {
    const first = await open(p.dir, spec);
    assert.strictEqual(first.cache.counts.hits, 0);
    assert.strictEqual(await first.cache.save(), 30);
    assert.strictEqual(await first.cache.save(), 0, 'nothing changed: nothing written');
    const again = await open(p.dir, spec);
    assert.strictEqual(again.cache.counts.hits, 30);
    sameAs(seen(again.index), await plain(p.dir), 'again.index');
    assert.deepStrictEqual(again.index.roots()[0].item('BL-7')?.acceptanceCriteria.map((c) => c.checked), [true, false]);
  });

  it('reads again a file changed while it was closed, and one changed while it was open', async () => {
    await (await open(p.dir, spec)).cache.save();
    // Changed while "VS Code was closed": between the save and the next opening.
    await fs.writeFile(taskPath(p.dir, 3), item(3, 'Done', 'Changed behind the cache'));
    await fs.rm(taskPath(p.dir, 4));
    const again = await open(p.dir, spec);
    assert.strictEqual(again.cache.counts.hits, 28);
    assert.strictEqual(again.index.item('BL-3')?.title, 'Changed behind the cache');
    assert.strictEqual(again.index.item('BL-4'), undefined);
    sameAs(seen(again.index), await plain(p.dir), 'again.index');
    // Changed while open: the watcher's re-read is stored under the file as it was before that read.
    await fs.writeFile(taskPath(p.dir, 5), item(5, 'In Progress', 'Changed while open'));
    await again.index.applyChanges([{ kind: 'changed', path: taskPath(p.dir, 5) }]);
    assert.strictEqual(await again.cache.save(), 29);
    const third = await open(p.dir, spec);
    assert.strictEqual(third.cache.counts.hits, 29, 'the changed files are kept as they are now');
    assert.strictEqual(third.index.item('BL-5')?.title, 'Changed while open');
    sameAs(seen(third.index), await plain(p.dir), 'third.index');
  });

  it('is empty, never wrong, when the file is corrupt, truncated, edited or the worker is missing', async () => {
    await (await open(p.dir, spec)).cache.save();
    const good = await fs.readFile(spec.file);
    const expected = await plain(p.dir);
    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] ^= 0x20;
    // Values edited in place: the checksum no longer matches (a well-formed hostile file's shapes
    // are test/unit/indexCache.test.ts's, through the same loader).
    const hostile = good.toString('utf8').replace(/Item 1\b/g, 'Hijacked');
    for (const [what, bytes] of [['corrupt', flipped], ['truncated', good.subarray(0, good.length >> 1)], ['edited', Buffer.from(hostile)], ['empty', Buffer.alloc(0)]] as const) {
      await fs.writeFile(spec.file, bytes);
      const again = await open(p.dir, spec);
      assert.strictEqual(again.cache.counts.hits, 0, what);
      sameAs(seen(again.index), expected, what);
    }
    const noWorker = await open(p.dir, spec, path.join(p.storage, 'missing.js'));
    assert.match(noWorker.cache.loaded?.error ?? '', /./);
    sameAs(seen(noWorker.index), expected, 'noWorker.index');
  });

  it('never writes into the repository that holds the backlog', async () => {
    execFileSync('git', ['init', '-q', p.dir]);
    const inside = { ...spec, file: path.join(p.dir, '.vscode', 'index.cache') };
    const first = await open(p.dir, inside);
    assert.strictEqual(await first.cache.save(), undefined);
    assert.deepStrictEqual(readdirSync(p.dir).sort(), ['.git', 'backlog']);
  });
});

describe('the index cache through a worker, taken in while it loads', () => {
  // More than three chunks, so that a load has a beginning, a middle and an end.
  const COUNT = 3 * CHUNK + 50;
  let p: Awaited<ReturnType<typeof project>>;
  let spec: CacheFileSpec;
  let paths: string[];
  let context: string;
  before(async function () {
    this.timeout(60_000);
    p = await project(COUNT);
    spec = { file: path.join(p.storage, 'index-cache', 'root.cache'), root: p.root, rootOnDisk: p.root, program: WORKER };
    await (await open(p.dir, spec)).cache.save();
    paths = Array.from({ length: COUNT }, (_, i) => taskPath(p.dir, i + 1));
    // The context the index files items under, as the cache holds it (one config: one context).
    context = [...(await loadInWorker(WORKER, spec)).values()][0].context;
  });

  /** Each path's answer from a cache whose load was waited for: hit or miss, and what a hit holds. */
  async function afterLoad(): Promise<(CachedFile | undefined)[]> {
    const cache = new WorkerIndexCache(WORKER, spec);
    await cache.whenLoaded();
    return Promise.all([...paths, path.join(p.dir, 'backlog', 'tasks', 'not-in-the-cache.md')].map((f) => cache.lookup(f, context)));
  }

  it('hands the entries over a chunk at a time, the event loop turning between chunks', async () => {
    const into = new Map<string, IndexCacheEntry>();
    const sizes: number[] = [];
    let loading = true;
    const probe = () => {
      sizes.push(into.size);
      if (loading) setImmediate(probe);
    };
    setImmediate(probe);
    await loadInWorker(WORKER, spec, into);
    loading = false;
    assert.strictEqual(into.size, COUNT);
    const seenSizes = [...new Set(sizes)];
    assert.ok(seenSizes.length >= 4, `the probe saw the entries arrive in ${seenSizes.length} steps: ${seenSizes.join(', ')}`);
    for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] - sizes[i - 1] <= CHUNK, `${sizes[i] - sizes[i - 1]} entries taken in one turn`);
  });

  it('answers a lookup as soon as its entry arrives, the same as after the whole load', async () => {
    const expected = await afterLoad();
    // The load holds after its first chunk until released: a lookup answered meanwhile was answered before the load finished.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let chunks = 0;
    const cache = new WorkerIndexCache(WORKER, spec, () => (++chunks === 1 ? held.then(nextTurn) : nextTurn()));
    const all = [...paths, path.join(p.dir, 'backlog', 'tasks', 'not-in-the-cache.md')];
    const answered = new Set<number>();
    const lookups = all.map((f, i) => cache.lookup(f, context).then((hit) => (answered.add(i), hit)));
    const first = await Promise.race(lookups);
    const loaded = () => cache.loaded;
    assert.strictEqual(loaded(), undefined, 'the load is still held');
    assert.ok(first, 'the first answer is a hit');
    assert.ok(answered.size > 0 && answered.size <= CHUNK, `${answered.size} answered from the first chunk`);
    release();
    const got = await Promise.all(lookups);
    assert.strictEqual(loaded()?.entries, COUNT);
    assert.deepStrictEqual(
      got.map((hit) => hit?.hash),
      expected.map((hit) => hit?.hash),
    );
    assert.strictEqual(got[got.length - 1], undefined, 'a path the file does not hold is a miss, once the load is done');
    assert.strictEqual(cache.counts.hits, COUNT);
    assert.strictEqual(await cache.save(), 0, 'nothing changed: nothing written');
  });

  it('gives a reopened index the same items whether its lookups came before or after the load', async () => {
    const reopened = await open(p.dir, spec);
    assert.strictEqual(reopened.cache.counts.hits, COUNT);
    sameAs(seen(reopened.index), await plain(p.dir), 'reopened.index');
  });
});
