// What a repository can put where a backlog file should be: a FIFO (a plain read waits for a
// writer forever), a link to /dev/zero (a plain read never ends), a link out of the repository,
// a file the user may not read, a huge file. Each is reported (a diagnostic, and `lint` fails)
// and none hangs or floods a read. The command line runs as a child process with a time limit,
// so that a regression fails the test instead of hanging it.
import * as assert from 'assert';
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { ReadRefused } from '../../src/core/workspace';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';
import { scanTodos } from '../../src/cli/todoScan';
import { TodoMatcher } from '../../src/core/todo/todo';
import { readRegularFile } from '../../src/node/safeRead';
import { itemText } from './helpers';

const cliJs = path.resolve(__dirname, '../../dist/cli.js');
const posix = process.platform !== 'win32';
/** Root reads a chmod 000 file anyway: the command line then runs as `nobody` to see it refused. */
const isRoot = posix && process.getuid?.() === 0;
const NOBODY = 65534;
/** Each run of the command line gets this long; a hang shows as a failed run, not a stuck test. */
const RUN_LIMIT_MS = 20_000;

const CONFIG = 'project_name: "Hostile"\nstatuses: ["To Do", "Done"]\n';

function makeRepo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-hostile-'));
  fs.mkdirSync(path.join(dir, 'backlog', 'tasks'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'backlog', 'config.yml'), CONFIG);
  fs.writeFileSync(path.join(dir, 'backlog', 'tasks', 'bl-1 - Fine.md'), itemText({ id: 'BL-1', title: 'Fine', status: 'To Do' }));
  return dir;
}

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  assert.strictEqual(r.status, 0, `mkfifo failed: ${r.stderr?.toString()}`);
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  lint: { path: string; line: number; code: string; message: string }[];
}

function cli(cwd: string, args: string[], options: SpawnSyncOptions = {}): Run {
  const started = Date.now();
  const r = spawnSync(process.execPath, [cliJs, ...args], { cwd, encoding: 'utf8', timeout: RUN_LIMIT_MS, killSignal: 'SIGKILL', ...options });
  const ms = Date.now() - started;
  assert.ok(r.signal === null && r.error === undefined, `backlog-atlas ${args.join(' ')} did not finish within ${RUN_LIMIT_MS} ms (${r.signal ?? r.error?.message}); stderr: ${String(r.stderr)}`);
  const stdout = String(r.stdout);
  return { status: r.status, stdout, stderr: String(r.stderr), ms, lint: args.includes('--json') && args[0] === 'lint' ? JSON.parse(stdout) : [] };
}

function lint(cwd: string, options: SpawnSyncOptions = {}): Run {
  return cli(cwd, ['lint', '--json', '--no-todos'], options);
}

describe('files that are not regular files', function () {
  if (!posix) return;
  this.timeout(60_000);
  const dirs: string[] = [];
  const repo = () => {
    const dir = makeRepo();
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('the command line', () => {
    it('reports a FIFO named sprints.yml instead of waiting for it forever', () => {
      const dir = repo();
      mkfifo(path.join(dir, 'backlog', 'sprints.yml'));
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(
        r.lint.map((d) => [d.path, d.line, d.code]),
        [[path.join('backlog', 'sprints.yml'), 1, 'not-a-regular-file']],
      );
      assert.match(r.lint[0].message, /FIFO/);
      // The rest of the backlog is read as ever.
      assert.match(cli(dir, ['list']).stdout, /BL-1/);
    });

    it('reports a FIFO item file, and lists the other items', () => {
      const dir = repo();
      mkfifo(path.join(dir, 'backlog', 'tasks', 'bl-2 - Pipe.md'));
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(r.lint.map((d) => d.code), ['not-a-regular-file']);
      const list = cli(dir, ['list']);
      assert.strictEqual(list.status, 0);
      assert.match(list.stdout, /BL-1/);
    });

    it('does not follow config.yml linked to /dev/zero, and reads nothing of it', () => {
      const dir = repo();
      const config = path.join(dir, 'backlog', 'config.yml');
      fs.rmSync(config);
      fs.symlinkSync('/dev/zero', config);
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(r.lint.map((d) => [d.path, d.code]), [[path.join('backlog', 'config.yml'), 'symlink']]);
      assert.ok(r.ms < RUN_LIMIT_MS / 2, `took ${r.ms} ms`);
    });

    it('reports an item file that is a link, even to a good item, and does not read it', () => {
      const dir = repo();
      const outside = path.join(repo(), 'backlog', 'tasks', 'bl-1 - Fine.md');
      fs.symlinkSync(outside, path.join(dir, 'backlog', 'tasks', 'bl-9 - Elsewhere.md'));
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(r.lint.map((d) => [d.path, d.code]), [[path.join('backlog', 'tasks', 'bl-9 - Elsewhere.md'), 'symlink']]);
      // Not read: no duplicate BL-1 from the file the link points to.
      assert.strictEqual(cli(dir, ['list']).stdout.match(/^BL-1\b/gm)?.length, 1);
    });

    it('does not follow an item folder that is a link, and says so', () => {
      const dir = repo();
      const other = repo();
      fs.symlinkSync(path.join(other, 'backlog', 'tasks'), path.join(dir, 'backlog', 'drafts'));
      fs.mkdirSync(path.join(dir, 'backlog', 'archive'));
      fs.symlinkSync(path.join(other, 'backlog', 'tasks'), path.join(dir, 'backlog', 'archive', 'tasks'));
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(
        r.lint.map((d) => [d.path, d.code]),
        [
          [path.join('backlog', 'archive', 'tasks'), 'symlink'],
          [path.join('backlog', 'drafts'), 'symlink'],
        ],
      );
      assert.match(r.lint[0].message, /folder is a symbolic link/);
    });

    it('reports an item file it may not read', function () {
      const dir = repo();
      const file = path.join(dir, 'backlog', 'tasks', 'bl-3 - Secret.md');
      fs.writeFileSync(file, itemText({ id: 'BL-3', title: 'Secret' }));
      fs.chmodSync(file, 0o000);
      // Root reads it anyway: the command line runs as `nobody`, who needs to reach the rest.
      const options: SpawnSyncOptions = isRoot ? { uid: NOBODY, gid: NOBODY } : {};
      if (isRoot) {
        // Only the folders this test made: the temp folder itself is shared (on Linux /tmp is
        // 1777, and 755 would take the sticky bit and everyone else's right to write there).
        for (let d = dir; d !== path.dirname(d) && d.startsWith(os.tmpdir() + path.sep); d = path.dirname(d)) fs.chmodSync(d, 0o755);
        for (const p of ['backlog', 'backlog/tasks']) fs.chmodSync(path.join(dir, p), 0o755);
        const probe = spawnSync(process.execPath, ['-e', ''], options);
        if (probe.status !== 0) this.skip(); // No user to drop to: root reads every file.
      }
      const r = lint(dir, options);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(r.lint.map((d) => [d.path, d.code]), [[path.join('backlog', 'tasks', 'bl-3 - Secret.md'), 'unreadable']]);
      assert.match(r.lint[0].message, /permission denied/);
    });

    it('refuses an item file over the limit without reading it', () => {
      const dir = repo();
      fs.writeFileSync(path.join(dir, 'backlog', 'tasks', 'bl-4 - Huge.md'), itemText({ id: 'BL-4', title: 'Huge' }, 'x'.repeat(3 * 1024 * 1024)));
      const r = lint(dir);
      assert.strictEqual(r.status, 1);
      assert.deepStrictEqual(r.lint.map((d) => d.code), ['too-large']);
      assert.match(r.lint[0].message, /3072 KiB; item files over 1024 KiB/);
    });

    it('scans for TODOs past a FIFO named .gitignore, without ripgrep', () => {
      const dir = repo();
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), '// TODO keep going\n');
      mkfifo(path.join(dir, 'src', '.gitignore'));
      const r = cli(dir, ['todos'], { env: { ...process.env, PATH: '', BACKLOG_ATLAS_RG: '' } });
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /src\/a\.ts:1:4 TODO keep going/);
    });
  });

  describe('the TODO scan', () => {
    const hasRg = spawnSync('rg', ['--version']).status === 0;

    it('stops an rg stalled on a FIFO named .gitignore, and reads the files instead', async function () {
      if (!hasRg) this.skip(); // Without rg, the test above covers the scan.
      const dir = repo();
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), '// TODO keep going\n');
      mkfifo(path.join(dir, 'src', '.gitignore'));
      const started = Date.now();
      const todos = await scanTodos([dir], new TodoMatcher({ tags: ['TODO'], prefixes: [] }), { rg: 'rg', rgTimeoutMs: 1500 });
      assert.deepStrictEqual(todos.map((t) => [path.relative(dir, t.path), t.text]), [[path.join('src', 'a.ts'), 'keep going']]);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    });

    it('follows a linked .gitignore as rg does, with rg and without', async () => {
      const dir = repo();
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'shared-ignore'), 'generated.ts\n');
      fs.symlinkSync(path.join(dir, 'shared-ignore'), path.join(dir, 'src', '.gitignore'));
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), '// TODO keep going\n');
      fs.writeFileSync(path.join(dir, 'src', 'generated.ts'), '// TODO never seen\n');
      const matcher = new TodoMatcher({ tags: ['TODO'], prefixes: [] });
      for (const rg of hasRg ? [null, 'rg'] : [null]) {
        const todos = await scanTodos([path.join(dir, 'src')], matcher, { rg });
        assert.deepStrictEqual(todos.map((t) => t.text), ['keep going'], `with rg ${rg ?? 'none'}`);
      }
    });
  });

  describe('the index', () => {
    const ROOT = '/ws/backlog';
    const files = () => ({ [`${ROOT}/config.yml`]: CONFIG, [`${ROOT}/tasks/bl-1 - Fine.md`]: itemText({ id: 'BL-1', title: 'Fine', status: 'To Do' }) });
    const codes = (index: BacklogIndex) => [...index.diagnostics()].flatMap(([p, ds]) => ds.map((d) => `${p.slice(ROOT.length + 1)} ${d.code}`)).sort();

    it('reports what the workspace would not read, and forgets it once a file takes its place', async () => {
      const ws = new MemoryWorkspace(files());
      ws.placeSpecial(`${ROOT}/sprints.yml`, 'fifo');
      ws.placeSpecial(`${ROOT}/tasks/bl-2 - Link.md`, 'symlink');
      ws.placeSpecial(`${ROOT}/tasks/bl-3 - Locked.md`, 'unreadable');
      const index = new BacklogIndex(ws, { folders: ['/ws'] });
      await index.build();
      assert.deepStrictEqual(codes(index), ['sprints.yml not-a-regular-file', 'tasks/bl-2 - Link.md symlink', 'tasks/bl-3 - Locked.md unreadable']);
      assert.deepStrictEqual(index.roots()[0].items().map((i) => i.id), ['BL-1']);
      for (const d of index.diagnostics().values()) assert.deepStrictEqual([d[0].severity, d[0].line], ['error', 0]);

      // A file in place of the link, as a watcher reports it: read, and the diagnostic goes.
      ws.write(`${ROOT}/tasks/bl-2 - Link.md`, itemText({ id: 'BL-2', title: 'Real now' }));
      await index.applyChanges([{ kind: 'changed', path: `${ROOT}/tasks/bl-2 - Link.md` }]);
      assert.deepStrictEqual(codes(index), ['sprints.yml not-a-regular-file', 'tasks/bl-3 - Locked.md unreadable']);
      assert.strictEqual(index.item('BL-2')?.title, 'Real now');

      // And the other way: a file that becomes a FIFO is reported, its item gone.
      ws.placeSpecial(`${ROOT}/tasks/bl-1 - Fine.md`, 'fifo');
      await index.applyChanges([{ kind: 'changed', path: `${ROOT}/tasks/bl-1 - Fine.md` }]);
      assert.ok(codes(index).includes('tasks/bl-1 - Fine.md not-a-regular-file'));
      assert.strictEqual(index.item('BL-1'), undefined);
      ws.delete(`${ROOT}/tasks/bl-1 - Fine.md`);
      await index.applyChanges([{ kind: 'deleted', path: `${ROOT}/tasks/bl-1 - Fine.md` }]);
      assert.ok(!codes(index).some((c) => c.startsWith('tasks/bl-1')));
    });

    it('falls back to the default config, named after the folder, when config.yml is missing or not read', async () => {
      for (const config of [undefined, 'symlink', 'fifo'] as const) {
        const ws = new MemoryWorkspace({ [`${ROOT}/tasks/bl-1 - Fine.md`]: itemText({ id: 'BL-1', title: 'Fine' }) });
        if (config) ws.placeSpecial(`${ROOT}/config.yml`, config);
        const index = new BacklogIndex(ws, { folders: ['/ws'] });
        await index.build();
        assert.strictEqual(index.roots()[0].config.projectName, 'ws', `config.yml ${config ?? 'missing'}`);
      }
    });

    it('asks for no more bytes than each kind of file may have', async () => {
      const big = 'x'.repeat(1024 * 1024 + 1);
      const ws = new MemoryWorkspace({ ...files(), [`${ROOT}/tasks/bl-5 - Big.md`]: itemText({ id: 'BL-5', title: 'Big' }, big), [`${ROOT}/roadmap.yml`]: `# ${big}\ngoals: []\n` });
      const index = new BacklogIndex(ws, { folders: ['/ws'] });
      await index.build();
      // An item over 1 MiB is refused; a plan file may have up to 4 MiB.
      assert.deepStrictEqual(codes(index), ['tasks/bl-5 - Big.md too-large']);
    });
  });

  describe('readRegularFile', () => {
    it('refuses a socket, a folder and a FIFO at once, and reads a regular file whole', async function () {
      const dir = repo();
      const sock = path.join(dir, 's.sock');
      const server = net.createServer().listen(sock);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const ws = new NodeWorkspace();
        mkfifo(path.join(dir, 'pipe'));
        const reasons = await Promise.all(
          [sock, dir, path.join(dir, 'pipe')].map((p) =>
            readRegularFile(p).then(
              () => 'read',
              (e: unknown) => (e instanceof ReadRefused ? `${e.reason}: ${e.detail}` : String(e)),
            ),
          ),
        );
        assert.deepStrictEqual(reasons, ['not-a-regular-file: a socket', 'not-a-regular-file: a folder', 'not-a-regular-file: a FIFO (named pipe)']);
        const listed = Object.fromEntries((await ws.list(dir)).map((e) => [e.name, e.what ?? e.kind]));
        assert.deepStrictEqual([listed['s.sock'], listed.pipe, listed.backlog], ['a socket', 'a FIFO (named pipe)', 'directory']);
        assert.strictEqual(new TextDecoder().decode(await ws.read(path.join(dir, 'backlog', 'config.yml'))), CONFIG);
        await assert.rejects(ws.read(path.join(dir, 'backlog', 'config.yml'), { maxBytes: 10 }), (e: unknown) => e instanceof ReadRefused && e.reason === 'too-large' && e.size === CONFIG.length);
        await assert.rejects(ws.read(path.join(dir, 'nothing')), /ENOENT/);
      } finally {
        server.close();
      }
    });
  });
});
