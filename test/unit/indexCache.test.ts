import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { promises as fs, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
import fc from 'fast-check';
import { runCli } from '../../src/cli/cli';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile } from '../../src/core/format/itemFile';
import { CACHED_TEXT_SLOTS, restoreItem, toCachedFile } from '../../src/core/indexCache';
import { cliCacheFile, IndexCacheFile } from '../../src/node/indexCacheFile';
import { tempDir } from './tempDir';

// The index cache must never change a result: whatever the cache holds (nothing, the truth, a
// stale, corrupt, truncated, foreign or hostile file, a FIFO or a link), `list --json` and
// `lint --json` print what a run without it prints.

const CONFIG = 'project_name: "C"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';

function item(n: number, status = 'To Do', estimate = 3, extra = ''): string {
  return `---\nid: BL-${n}\ntitle: Item ${n}\nstatus: ${status}\nestimate: ${estimate}\n${extra}---\n\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 one\n- [ ] #2 two\n<!-- AC:END -->\n`;
}

async function project(count = 5): Promise<{ dir: string; cacheHome: string }> {
  const top = await tempDir('atlas-cache-');
  const dir = path.join(top, 'project');
  await fs.mkdir(path.join(dir, 'backlog', 'tasks'), { recursive: true });
  await fs.writeFile(path.join(dir, 'backlog', 'config.yml'), CONFIG);
  for (let n = 1; n <= count; n++) await fs.writeFile(taskPath(dir, n), item(n));
  return { dir, cacheHome: path.join(top, 'cache') };
}

/** Puts a file's modification time back to `mtimeNs`, to the nanosecond (fs.utimes rounds). */
function setMtime(file: string, mtimeNs: bigint): void {
  const s = mtimeNs / 1_000_000_000n;
  execFileSync('touch', ['-m', '-d', `@${s}.${(mtimeNs % 1_000_000_000n).toString().padStart(9, '0')}`, file]);
}

function taskPath(dir: string, n: number): string {
  return path.join(dir, 'backlog', 'tasks', `bl-${n} - Item-${n}.md`);
}

async function cli(args: string[], cwd: string, cacheHome?: string): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, undefined, cacheHome === undefined ? {} : { cache: { XDG_CACHE_HOME: cacheHome } });
  return `${code}\n${out.join('\n')}\n${err.join('\n')}`;
}

/** What a user sees of the backlog, with and without the cache: they must be equal. */
async function sameWithCache(dir: string, cacheHome: string, what = ''): Promise<void> {
  for (const args of [['list', '--all', '--json'], ['lint', '--json', '--no-todos'], ['stats', '--json']]) {
    const plain = await cli(args, dir);
    assert.strictEqual(await cli(args, dir, cacheHome), plain, `${args.join(' ')} with the cache ${what}`);
  }
}

function cacheFileOf(dir: string, cacheHome: string): string {
  const file = cliCacheFile(path.join(dir, 'backlog'), { XDG_CACHE_HOME: cacheHome });
  assert.ok(file, 'the cache has a place outside the project');
  return file;
}

/** An index over `dir` with a cache at `file`, and the cache, for counting hits. */
async function indexWith(dir: string, file: string, now?: () => number) {
  const root = path.join(dir, 'backlog');
  const cache = IndexCacheFile.open({ file, root, version: 'test', blocking: true, now });
  const index = new BacklogIndex(new NodeWorkspace(), { folders: [dir], cache: (r) => (r === root ? cache : undefined) });
  await index.build();
  await cache.save();
  return { index, cache };
}

type CacheEntry = [string, number, string, number, Record<string, unknown>];

/**
 * Edits a cache file's entries and writes it back with a checksum that matches, as a hostile
 * program would. The layout: a header line (format, checksum, the JSON's length in bytes), the
 * JSON, then the items' texts, which the JSON names by offset and length.
 */
async function rewriter(file: string) {
  const bytes = await fs.readFile(file);
  const nl = bytes.indexOf(0x0a);
  const [format, , jsonLength] = bytes.toString('latin1', 0, nl).split('\t');
  const json = bytes.toString('utf8', nl + 1, nl + 1 + Number(jsonLength));
  const texts = bytes.subarray(nl + 1 + Number(jsonLength));
  const rewrite = async (edit: (e: CacheEntry) => void) => {
    const copy = JSON.parse(json) as { entries: CacheEntry[] };
    for (const e of copy.entries) edit(e);
    const body = Buffer.from(JSON.stringify(copy));
    const rest = Buffer.concat([body, texts]);
    await fs.writeFile(file, Buffer.concat([Buffer.from(`${format}\t${crc32(rest).toString(16)}-${rest.length}\t${body.length}\n`), rest]));
  };
  return { rewrite, texts };
}

describe('the index cache', () => {
  it('gives the same results as no cache, and reads no unchanged file again', async () => {
    const { dir, cacheHome } = await project(20);
    await sameWithCache(dir, cacheHome, 'made');
    await sameWithCache(dir, cacheHome, 'read back');
    const file = path.join(cacheHome, 'direct');
    // A clock ten seconds after the files' last change (read from the files, not the test's own
    // clock, which faketime moves a year away from the file system's): old enough for their
    // times alone to be trusted.
    const names = await fs.readdir(path.join(dir, 'backlog', 'tasks'));
    const changed = await Promise.all([path.join(dir, 'backlog', 'config.yml'), ...names.map((n) => path.join(dir, 'backlog', 'tasks', n))].map(async (f) => (await fs.stat(f)).ctimeMs));
    const ahead = () => Math.max(...changed) + 10_000;
    await indexWith(dir, file, ahead);
    const { cache, index } = await indexWith(dir, file, ahead);
    assert.deepStrictEqual(cache.counts, { hits: 20, misses: 0, verified: 0 });
    assert.deepStrictEqual(index.roots()[0].item('BL-7')?.acceptanceCriteria.map((c) => c.checked), [true, false], 'the body comes back too');
  });

  it('lives outside the repository, and --no-cache or BACKLOG_ATLAS_NO_CACHE keeps none', async () => {
    const { dir, cacheHome } = await project(2);
    await cli(['list', '--no-cache'], dir, cacheHome);
    await runCli(['list'], dir, { out: () => undefined, err: () => undefined }, undefined, { cache: { XDG_CACHE_HOME: cacheHome, BACKLOG_ATLAS_NO_CACHE: '1' } });
    await assert.rejects(fs.stat(cacheHome), 'nothing written');
    await cli(['list'], dir, cacheHome);
    assert.ok(statSync(cacheFileOf(dir, cacheHome)).isFile());
    // A cache home inside the project (or its repository) is not used.
    execFileSync('git', ['init', '-q', dir]);
    const inside = path.join(dir, '.cache');
    assert.strictEqual(cliCacheFile(path.join(dir, 'backlog'), { XDG_CACHE_HOME: inside }), undefined);
    await sameWithCache(dir, inside, 'inside the repository');
    assert.deepStrictEqual(readdirSync(dir).sort(), ['.git', 'backlog']);
  });

  it('sees a same-size edit whose modification time was put back', async () => {
    const { dir, cacheHome } = await project(3);
    await sameWithCache(dir, cacheHome, 'made');
    const file = taskPath(dir, 2);
    const before = statSync(file, { bigint: true });
    const changed = item(2, 'Done', 5);
    assert.strictEqual(changed.length, item(2).length - 1);
    await fs.writeFile(file, changed + ' ');
    setMtime(file, before.mtimeNs);
    assert.strictEqual(statSync(file, { bigint: true }).size, before.size);
    assert.strictEqual(statSync(file, { bigint: true }).mtimeNs, before.mtimeNs);
    await sameWithCache(dir, cacheHome, 'after a same-size edit');
    assert.match(await cli(['list', '--all'], dir, cacheHome), /BL-2 .* Done/);
  });

  it('is a miss when corrupt, truncated, foreign, a FIFO or a link', async () => {
    const { dir, cacheHome } = await project(4);
    await sameWithCache(dir, cacheHome, 'made');
    const file = cacheFileOf(dir, cacheHome);
    const good = await fs.readFile(file);
    // A byte changed in the middle (the checksum no longer matches).
    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] ^= 0x20;
    await fs.writeFile(file, flipped);
    await sameWithCache(dir, cacheHome, 'corrupt');
    // Cut short.
    await fs.writeFile(file, good.subarray(0, good.length >> 1));
    await sameWithCache(dir, cacheHome, 'truncated');
    // Another backlog's cache, whose files are at the same paths with other content.
    const other = await project(4);
    await fs.writeFile(taskPath(other.dir, 1), item(1, 'Done', 8));
    await sameWithCache(other.dir, other.cacheHome, 'made');
    await fs.copyFile(cacheFileOf(other.dir, other.cacheHome), file);
    await sameWithCache(dir, cacheHome, 'from another root');
    // A FIFO at its name: never waited on.
    await fs.rm(file);
    execFileSync('mkfifo', [file]);
    await sameWithCache(dir, cacheHome, 'a FIFO');
    // A link to a good cache is not followed, and the link is replaced, not written through.
    await fs.rm(file);
    const elsewhere = path.join(cacheHome, 'elsewhere');
    await fs.writeFile(elsewhere, good);
    await fs.symlink(elsewhere, file);
    await sameWithCache(dir, cacheHome, 'a link');
    assert.deepStrictEqual(await fs.readFile(elsewhere), good, 'the link target is left alone');
  });

  it('takes nothing of the wrong shape from a well-formed hostile cache', async () => {
    const { dir, cacheHome } = await project(3);
    await sameWithCache(dir, cacheHome, 'made');
    const { rewrite, texts } = await rewriter(cacheFileOf(dir, cacheHome));
    const item = (e: CacheEntry) => (e[4].item ?? []) as unknown[];
    const hostile: [string, (e: CacheEntry) => void][] = [
      ['a number for a title', (e) => (item(e)[1] = 5)],
      ['no id', (e) => (item(e)[0] = null)],
      ['a number for a type', (e) => (item(e)[3] = 5)],
      ['no label list', (e) => (item(e)[20] = null)],
      ['an object for a label', (e) => (item(e)[20] = [{}])],
      ['a text estimate', (e) => (item(e)[26] = '5')],
      ['a size that is none', (e) => (item(e)[27] = 'XXL')],
      ['a list one short', (e) => item(e).pop()],
      ['a diagnostic without a line', (e) => (e[4].diagnostics = [{ message: 'x' }])],
      ['an unknown context', (e) => (e[1] = 99)],
      ['a negative body line', (e) => (item(e)[31] = -1)],
      ['a body past the end of the texts', (e) => (item(e)[30] = [texts.length - 2, 5])],
      ['a body at a fractional offset', (e) => (item(e)[30] = [0.5, 3])],
      ['a body of negative length', (e) => (item(e)[30] = [5, -1])],
      ['a front matter as a number', (e) => (item(e)[28] = 7)],
      ['an object for the item', (e) => (e[4].item = JSON.parse('{"__proto__": {"polluted": 1}}'))],
    ];
    for (const [what, edit] of hostile) {
      await rewrite(edit);
      await sameWithCache(dir, cacheHome, what);
    }
    assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
    // A path the walk does not find is never listed, whatever the cache says of it.
    await rewrite((e) => (e[0] = e[0].replace('bl-1 ', 'bl-9 ')));
    await sameWithCache(dir, cacheHome, 'with a path of its own');
  });

  it('keeps sprints.yml and releases.yml as parsed, and takes no plan of the wrong shape', async () => {
    const { dir, cacheHome } = await project(3);
    const sprints = path.join(dir, 'backlog', 'sprints.yml');
    await fs.writeFile(
      sprints,
      'sprints:\n  - {id: S-1, name: One, state: closed, capacity: 20, committed: [{id: BL-1, estimate: 3}]}\n  - {id: S-2, state: active, start: 2026-10-01, end: 2026-10-14}\n  - {id: S-3, state: active}\n',
    );
    await fs.writeFile(path.join(dir, 'backlog', 'releases.yml'), 'releases:\n  - {id: R-1, name: One, date: 2026-12-01, goal: Ship}\n  - {id: R-2, date: 2026-13-01}\n');
    await fs.writeFile(taskPath(dir, 1), item(1, 'Done', 3, 'sprint: S-1\nrelease: R-1\n'));
    await fs.writeFile(taskPath(dir, 2), item(2, 'To Do', 5, 'sprint: S-2\nrelease: R-2\n'));
    await sameWithCache(dir, cacheHome, 'made');
    await sameWithCache(dir, cacheHome, 'read back');
    // Taken from the cache once the files are old enough to trust their times alone.
    const names = [sprints, path.join(dir, 'backlog', 'releases.yml'), path.join(dir, 'backlog', 'config.yml'), ...[1, 2, 3].map((n) => taskPath(dir, n))];
    const ahead = () => Math.max(...names.map((f) => statSync(f).ctimeMs)) + 10_000;
    const direct = path.join(cacheHome, 'direct');
    await indexWith(dir, direct, ahead);
    const { cache, index } = await indexWith(dir, direct, ahead);
    assert.deepStrictEqual(cache.counts, { hits: 5, misses: 0, verified: 0 }, 'three items and two plan files');
    assert.deepStrictEqual(index.roots()[0].sprints.map((s) => [s.id, s.state, s.committed]), [['S-1', 'closed', [{ id: 'BL-1', estimate: 3 }]], ['S-2', 'active', []], ['S-3', 'active', []]]);
    // Changed behind the cache, same size and modification time.
    const before = statSync(sprints, { bigint: true });
    await fs.writeFile(sprints, (await fs.readFile(sprints, 'utf8')).replace('capacity: 20', 'capacity: 30'));
    setMtime(sprints, before.mtimeNs);
    await sameWithCache(dir, cacheHome, 'after sprints.yml changed behind it');
    const { rewrite } = await rewriter(cacheFileOf(dir, cacheHome));
    const plan = (e: CacheEntry) => e[4].plan as Record<string, unknown>[] | undefined;
    const hostile: [string, (e: CacheEntry) => void][] = [
      ['a number for an id', (e) => plan(e)?.forEach((p) => (p.id = 5))],
      ['a state that is none', (e) => plan(e)?.forEach((p) => 'state' in p && (p.state = 'paused'))],
      ['a committed entry without an id', (e) => plan(e)?.forEach((p) => 'committed' in p && (p.committed = [{ estimate: 1 }]))],
      ['an infinite capacity', (e) => plan(e)?.forEach((p) => 'state' in p && (p.capacity = Number.POSITIVE_INFINITY))],
      ['a release from a milestone', (e) => plan(e)?.forEach((p) => 'source' in p && (p.source = 'milestone'))],
      ['a plan that is text', (e) => e[4].plan !== undefined && (e[4].plan = 'sprints')],
      ['a plan beside an item', (e) => e[4].item !== undefined && (e[4].plan = [])],
      ['a plan of the other file', (e) => e[0].endsWith('sprints.yml') && (e[0] = e[0].replace('sprints.yml', 'releases.yml'))],
    ];
    for (const [what, edit] of hostile) {
      await rewrite(edit);
      await sameWithCache(dir, cacheHome, what);
    }
  });

  it('gives the same results as no cache over any sequence of edits', async function () {
    this.timeout(120_000);
    const { dir, cacheHome } = await project(0);
    type Op =
      | { kind: 'write'; n: number; status: string; estimate: number }
      | { kind: 'same-size'; n: number }
      | { kind: 'remove'; n: number }
      | { kind: 'config'; statuses: string }
      | { kind: 'break'; n: number }
      | { kind: 'corrupt-cache'; at: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), n: fc.integer({ min: 1, max: 6 }), status: fc.constantFrom('To Do', 'Done', 'Blocked'), estimate: fc.constantFrom(1, 2, 3, 13) }),
      fc.record({ kind: fc.constant('same-size' as const), n: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('remove' as const), n: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('config' as const), statuses: fc.constantFrom('["To Do", "Done"]', '["To Do", "Blocked", "Done"]') }),
      fc.record({ kind: fc.constant('break' as const), n: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('corrupt-cache' as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 6 }), async (ops) => {
        for (const o of ops) {
          const file = 'n' in o ? taskPath(dir, o.n) : '';
          switch (o.kind) {
            case 'write':
              await fs.writeFile(file, item(o.n, o.status, o.estimate));
              break;
            case 'same-size': {
              // Swap two characters of the title, keep size and mtime: only ctime and content tell.
              const st = await fs.stat(file, { bigint: true }).catch(() => undefined);
              if (!st) break;
              const text = await fs.readFile(file, 'utf8');
              await fs.writeFile(file, text.replace(/estimate: (\d)/, (_m, d: string) => `estimate: ${(Number(d) % 9) + 1}`));
              setMtime(file, st.mtimeNs);
              break;
            }
            case 'remove':
              await fs.rm(file, { force: true });
              break;
            case 'config':
              await fs.writeFile(path.join(dir, 'backlog', 'config.yml'), `project_name: "C"\ntask_prefix: "bl"\nstatuses: ${o.statuses}\n`);
              break;
            case 'break':
              await fs.writeFile(file, `---\nid: BL-${o.n}\ntitle: [unclosed\n---\n`);
              break;
            case 'corrupt-cache': {
              const cf = cacheFileOf(dir, cacheHome);
              const bytes = await fs.readFile(cf).catch(() => undefined);
              if (bytes && bytes.length > 0) {
                bytes[o.at % bytes.length] ^= 0x01;
                await fs.writeFile(cf, bytes);
              }
              break;
            }
          }
          await sameWithCache(dir, cacheHome, `after ${JSON.stringify(o)}`);
        }
      }),
      { numRuns: 15 },
    );
  });
});

describe('an item from the index cache', () => {
  it('is the item parsing the file gives, every field of it', () => {
    const text = [
      '---',
      'id: BL-3',
      'title: "A: title"',
      'status: In Progress',
      'assignee: @jo',
      'reporter: "@ann"',
      'labels: [a, b]',
      'dependencies: [BL-1]',
      'references: [https://example.com]',
      'documentation: [docs/a.md]',
      'modified_files: [src/a.ts]',
      'priority: high',
      'parent_task_id: BL-1',
      'milestone: m-1',
      'ordinal: 2000',
      'rank: a0',
      'estimate: 5',
      'size: M',
      'sprint: S-1',
      'release: R-1',
      'epic: BL-2',
      'theme: T-1',
      'step: s1',
      'horizon: next',
      "created_date: '2026-10-01 09:30'",
      "updated_date: '2026-10-02'",
      "completed_date: '2026-10-03'",
      "due_date: '2026-10-04'",
      'type: story',
      'constructor: x',
      '---',
      '## Description',
      'Words.',
      '## Acceptance Criteria',
      '<!-- AC:BEGIN -->',
      '- [x] #1 one',
      '<!-- AC:END -->',
      '',
    ].join('\n');
    const parsed = parseItemFile('/r/backlog/tasks/bl-3 - A.md', Buffer.from(text), { root: '/r/backlog', folder: 'tasks', config: defaultConfig() });
    assert.ok(parsed.item);
    const kept = toCachedFile('h', parsed.diagnostics, parsed.item, parsed);
    assert.ok(kept);
    const back = restoreItem(JSON.parse(JSON.stringify(kept)) as typeof kept, parsed.item.path, parsed.item.root, parsed.item.folder);
    assert.ok(back);
    const plain = (i: object) => JSON.parse(JSON.stringify(i)) as unknown;
    assert.deepStrictEqual(plain(back), plain(parsed.item));
    assert.deepStrictEqual(Object.keys(back).sort(), Object.keys(parsed.item).sort(), 'the same keys, undefined ones included');
    assert.strictEqual(back.fieldLines.constructor, 29, 'fieldLines has no prototype');
    assert.strictEqual(back.fieldLines.toString, undefined);
  });

  it('reads its body without its front matter, and each once', () => {
    const text = '---\nid: BL-3\ntitle: A\nstatus: To Do\n---\n## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [x] #1 one\n- [ ] #2 two\n<!-- AC:END -->\n';
    const parsed = parseItemFile('/r/backlog/tasks/bl-3 - A.md', Buffer.from(text), { root: '/r/backlog', folder: 'tasks', config: defaultConfig() });
    const kept = toCachedFile('h', parsed.diagnostics, parsed.item, parsed);
    assert.ok(kept?.item);
    // Each text as the cache file hands it over: a function that decodes it, counted here.
    const decoded: string[] = [];
    const item = [...kept.item];
    const [front, body] = CACHED_TEXT_SLOTS.map((slot) => item[slot] as string);
    item[CACHED_TEXT_SLOTS[0]] = () => (decoded.push('front matter'), front);
    item[CACHED_TEXT_SLOTS[1]] = () => (decoded.push('body'), body);
    const back = restoreItem({ ...kept, item: item as typeof kept.item }, '/r/backlog/tasks/bl-3 - A.md', '/r/backlog', 'tasks');
    assert.ok(back);
    assert.deepStrictEqual(decoded, [], 'nothing is decoded before a field is read');
    assert.deepStrictEqual(back.acceptanceCriteria.map((c) => c.checked), [true, false]);
    assert.strictEqual(back.description, '');
    assert.deepStrictEqual(decoded, ['body'], 'the acceptance criteria need the body alone');
    assert.strictEqual(back.fields.title, 'A');
    assert.strictEqual(back.fieldLines.title, 2);
    assert.deepStrictEqual(decoded, ['body', 'front matter']);
  });
});
