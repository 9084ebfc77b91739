import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as nodeModule from 'module';
import * as path from 'path';
import { tempDir } from './tempDir';

const demo = path.resolve(__dirname, '../../examples/demo');
const cliJs = path.resolve(__dirname, '../../dist/cli.js');
const cliMain = path.resolve(__dirname, '../../dist/cli-main.js');

/** Runs `backlog-atlas list` on the demo as a user would, with the caches in `cacheHome`. */
function list(cacheHome: string, ...args: string[]): string {
  return execFileSync(process.execPath, [cliJs, 'list', ...args], { cwd: demo, encoding: 'utf8', env: { ...process.env, BACKLOG_ATLAS_NO_CACHE: '', XDG_CACHE_HOME: cacheHome } });
}

/** Where the launcher keeps the bundle's bytecode: named by a hash of Node's version and the bundle. */
function savedFile(cacheHome: string): string {
  const key = createHash('sha256').update(process.version).update('\0').update(fs.readFileSync(cliMain, 'utf8')).digest('hex');
  return path.join(cacheHome, 'backlog-atlas', 'code', `${key}.code`);
}

describe("the command line's saved bytecode", function () {
  this.timeout(60_000);
  // Node 22.1 and later keep it themselves (module.enableCompileCache): nothing of ours to test there.
  const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  before(function () {
    if (builtIn) this.skip();
  });

  it('is saved by the first run and taken, unchanged, by the next, which prints the same', async () => {
    const home = await tempDir('atlas-code-');
    const first = list(home);
    const file = savedFile(home);
    const saved = fs.readFileSync(file);
    assert.ok(saved.length > 10_000, 'bytecode for the bundle');
    assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600, 'for the user alone');
    assert.strictEqual(list(home), first);
    assert.ok(fs.readFileSync(file).equals(saved), 'V8 took it: a refused one is written again');
  });

  it('when damaged, is refused: the run prints the same and saves it again', async () => {
    const home = await tempDir('atlas-code-');
    const expected = list(home);
    const file = savedFile(home);
    // Inside the bytecode, past every header: V8 alone ran such bytes as they were.
    const damaged = fs.readFileSync(file);
    for (let i = 200; i < damaged.length; i += 997) damaged[i] ^= 0x5a;
    fs.writeFileSync(file, damaged);
    assert.strictEqual(list(home), expected);
    assert.ok(!fs.readFileSync(file).equals(damaged), 'written again');
    fs.truncateSync(file, 100);
    assert.strictEqual(list(home), expected);
    assert.ok(fs.statSync(file).size > 10_000);
  });

  it('does not hold the command when a FIFO stands in its place', async function () {
    if (process.platform === 'win32') this.skip();
    const home = await tempDir('atlas-code-');
    const file = savedFile(home);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    execFileSync('mkfifo', [file]);
    const r = spawnSync(process.execPath, [cliJs, 'list'], { cwd: demo, encoding: 'utf8', timeout: 30_000, env: { ...process.env, BACKLOG_ATLAS_NO_CACHE: '', XDG_CACHE_HOME: home } });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^BL-\d+/m);
  });

  it('keeps one bundle’s bytecode: an older one is removed when a new one is saved', async () => {
    const home = await tempDir('atlas-code-');
    const dir = path.join(home, 'backlog-atlas', 'code');
    fs.mkdirSync(dir, { recursive: true });
    const older = path.join(dir, `${'a'.repeat(64)}.code`);
    const notOurs = path.join(dir, 'notes.txt');
    fs.writeFileSync(older, 'old');
    fs.writeFileSync(notOurs, 'mine');
    list(home);
    assert.ok(fs.existsSync(savedFile(home)));
    assert.ok(!fs.existsSync(older));
    assert.ok(fs.existsSync(notOurs), 'only names of its own kind are removed');
  });

  it('is neither read nor written with --no-cache or BACKLOG_ATLAS_NO_CACHE', async () => {
    const home = await tempDir('atlas-code-');
    list(home, '--no-cache');
    execFileSync(process.execPath, [cliJs, 'list'], { cwd: demo, env: { ...process.env, BACKLOG_ATLAS_NO_CACHE: '1', XDG_CACHE_HOME: home } });
    assert.ok(!fs.existsSync(path.join(home, 'backlog-atlas', 'code')));
  });
});
