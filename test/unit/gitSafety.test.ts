// A repository whose .git/config and .gitattributes name a program for every place git runs one:
// fsmonitor, pager, external diff, textconv, filter, hooks, signature checks (gpg.program) and a
// partial clone's lazy fetch over ssh (core.sshCommand). Each program only notes that it ran.
// Plain git runs each (so the traps are live); git as `safeGit` starts it runs none, the reports'
// reads still work, and the command line starts git only to read branches (create, diff), as
// safeGit starts it.
import * as assert from 'assert';
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gitLogArgs, parseGitLog } from '../../src/core/history/gitHistory';
import { safeGit, safeGitEnv } from '../../src/core/history/gitSafety';
import { GitTrap as Trap, gitTrapConfig, writeGitTraps } from '../shared/gitTraps';
import { itemText } from './helpers';

const cliJs = path.resolve(__dirname, '../../dist/cli.js');
const hasGit = spawnSync('git', ['--version']).status === 0;
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
const MISSING = '1234567890123456789012345678901234567890';

describe('git in a repository whose config names programs', function () {
  if (!hasGit || process.platform === 'win32') return;
  this.timeout(60_000);
  let dir: string;
  let fired: string;
  /** The machine's own git config left out, so that the test sees the repository's alone. */
  const isolated = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
  const plain = (args: string[], input?: string) => spawnSync('git', args, { cwd: dir, env: isolated, input, encoding: 'utf8', timeout: 20_000 });
  const safe = (args: string[], input?: string) => {
    const git = safeGit(args, isolated);
    return spawnSync('git', git.args, { cwd: dir, env: git.env, input, encoding: 'utf8', timeout: 20_000 });
  };
  const firedTraps = (): string[] => (fs.existsSync(fired) ? [...new Set(fs.readFileSync(fired, 'utf8').split('\n').filter(Boolean))].sort() : []);
  const clear = () => fs.rmSync(fired, { force: true });
  const ok = (r: SpawnSyncReturns<string>) => {
    assert.ok(r.error === undefined && r.signal === null, `git did not finish: ${r.error?.message ?? r.signal}`);
    return r;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-git-traps-'));
    fired = path.join(dir, 'fired.log');
    const traps = path.join(dir, 'traps');
    writeGitTraps(traps, fired);

    const backlog = path.join(dir, 'backlog', 'tasks');
    fs.mkdirSync(backlog, { recursive: true });
    fs.writeFileSync(path.join(dir, 'backlog', 'config.yml'), 'project_name: "Traps"\n');
    const item = path.join(backlog, 'bl-1 - Trap.md');
    ok(plain(['init', '-q', '-b', 'main']));
    fs.writeFileSync(item, itemText({ id: 'BL-1', title: 'Trap', status: 'To Do' }));
    ok(plain(['add', '.']));
    ok(plain(['commit', '-q', '-m', 'one']));
    fs.writeFileSync(item, itemText({ id: 'BL-1', title: 'Trap', status: 'Done' }));
    ok(plain(['commit', '-q', '-am', 'two']));
    // A signed commit on top (the signature need not be valid: git runs gpg.program to check it).
    const head = ok(plain(['rev-parse', 'HEAD'])).stdout.trim();
    const tree = ok(plain(['rev-parse', 'HEAD^{tree}'])).stdout.trim();
    const signed = [`tree ${tree}`, `parent ${head}`, 'author T <t@example.com> 1700000000 +0000', 'committer T <t@example.com> 1700000000 +0000', 'gpgsig -----BEGIN PGP SIGNATURE-----', ' ', ' AAAA', ' -----END PGP SIGNATURE-----', '', 'signed', ''].join('\n');
    const sha = ok(plain(['hash-object', '-t', 'commit', '-w', '--stdin'], signed)).stdout.trim();
    ok(plain(['update-ref', 'HEAD', sha]));
    ok(plain(['update-ref', 'refs/tags/signed', sha]));
    // Files older than the index, so that `status` need not hash them again (which would run the
    // clean filter: filters are the repository's to run on its own work tree, see below).
    const old = new Date('2020-01-01T00:00:00Z');
    for (const f of [item, path.join(dir, 'backlog', 'config.yml')]) fs.utimesSync(f, old, old);
    ok(plain(['update-index', '--refresh']));

    for (const [key, value] of gitTrapConfig(traps, 'ssh://git.example.invalid/traps.git')) ok(plain(['config', key, value]));
    fs.writeFileSync(path.join(dir, '.gitattributes'), '*.md diff=trap filter=trap\n');
    clear();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Each trap, and a git command that springs it: run plainly, and as `safeGit` starts it. */
  const springs: [Trap, string[], string?][] = [
    ['fsmonitor', ['status']],
    ['external-diff', ['diff', 'HEAD~2', 'HEAD~1']],
    ['textconv', ['log', '-p', '-1', 'HEAD~1']],
    ['hook', ['commit', '--allow-empty', '-q', '-m', 'three']],
    ['gpg', ['log', '-1', '--format=%H', 'signed']],
    ['ssh', ['cat-file', '--batch'], `${MISSING}\n`],
  ];

  for (const [name, args, input] of springs) {
    it(`runs no ${name} program, which plain git runs`, () => {
      clear();
      ok(plain(args, input));
      assert.ok(firedTraps().includes(name), `plain git ${args.join(' ')} did not run the ${name} trap (fired: ${firedTraps().join(', ') || 'none'}): the test's trap is not live`);
      clear();
      ok(safe(args, input));
      assert.deepStrictEqual(firedTraps(), [], `git ${args.join(' ')} as safeGit starts it`);
    });
  }

  it('refuses to run the repository’s filters, which plain git runs', () => {
    // Filters run on a work tree's files (status, diff, add, checkout) whatever -c says, since
    // their names are the repository's: no git started here touches the work tree, and the one
    // read that would run them on stored versions is refused.
    const args = ['cat-file', '--filters', 'HEAD:backlog/tasks/bl-1 - Trap.md'];
    clear();
    ok(plain(args));
    assert.deepStrictEqual(firedTraps(), ['filter'], 'plain git did not run the filter: the test’s trap is not live');
    assert.throws(() => safeGit(args, isolated), /--filters would run a program/);
  });

  it('runs no pager, even on a terminal', function () {
    if (!hasScript) this.skip(); // `script` gives git a terminal, where it would start the pager.
    const onTerminal = (argv: string[], env: NodeJS.ProcessEnv) =>
      ok(spawnSync('script', ['-qec', ['git', ...argv].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null'], { cwd: dir, env, encoding: 'utf8', timeout: 20_000 }));
    clear();
    onTerminal(['log', '-1', '--format=%H'], isolated);
    assert.ok(firedTraps().includes('pager'), `plain git on a terminal did not start the pager (fired: ${firedTraps().join(', ') || 'none'})`);
    clear();
    const git = safeGit(['log', '-1', '--format=%H'], isolated);
    onTerminal(git.args, git.env);
    assert.deepStrictEqual(firedTraps(), []);
  });

  it('reads the history the reports need, with nothing run', () => {
    clear();
    const head = ok(safe(['rev-parse', '--show-prefix', 'HEAD']));
    assert.strictEqual(head.status, 0, head.stderr);
    const log = ok(safe(gitLogArgs(100, '.')));
    assert.strictEqual(log.status, 0, log.stderr);
    const commits = parseGitLog(log.stdout);
    assert.strictEqual(commits.filter((c) => c.changes.some((ch) => ch.path.endsWith('bl-1 - Trap.md'))).length, 2);
    const blobs = commits.flatMap((c) => c.changes.map((ch) => ch.blob)).filter((b) => !/^0+$/.test(b));
    const batch = ok(safe(['cat-file', '--batch'], [...blobs, MISSING].join('\n') + '\n'));
    assert.strictEqual(batch.status, 0, batch.stderr);
    assert.match(batch.stdout, /status: Done/);
    assert.match(batch.stdout, new RegExp(`${MISSING} missing`));
    assert.deepStrictEqual(firedTraps(), []);
  });

  it('refuses arguments that would run the repository’s filters or diff programs', () => {
    for (const bad of [['cat-file', '--filters', 'HEAD:x'], ['cat-file', '--textconv', 'HEAD:x'], ['log', '--ext-diff'], ['--no-pager', 'log']]) {
      assert.throws(() => safeGit(bad, {}), /safeGit/);
    }
  });

  it('drops what would point git elsewhere or run a program, and keeps the rest', () => {
    const env = safeGitEnv({ PATH: '/usr/bin', HOME: '/home/u', GIT_DIR: '/elsewhere/.git', GIT_EXTERNAL_DIFF: '/tmp/x', GIT_SSH_COMMAND: 'x', GIT_PAGER: 'less', GIT_CONFIG_GLOBAL: '/home/u/.gitconfig' });
    assert.deepStrictEqual(
      [env.PATH, env.HOME, env.GIT_DIR, env.GIT_EXTERNAL_DIFF, env.GIT_SSH_COMMAND, env.GIT_PAGER, env.GIT_TERMINAL_PROMPT, env.GIT_ALLOW_PROTOCOL, env.GIT_CONFIG_GLOBAL],
      ['/usr/bin', '/home/u', undefined, undefined, undefined, 'cat', '0', 'none', '/home/u/.gitconfig'],
    );
  });

  it('is never started by the command line to read or set a field', () => {
    clear();
    for (const args of [['list'], ['lint', '--json'], ['todos'], ['stats'], ['set', 'BL-1', 'priority', 'high']]) {
      const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: dir, env: isolated, encoding: 'utf8', timeout: 20_000 });
      assert.ok(r.error === undefined && r.signal === null && r.status !== null && r.status <= 1, `backlog-atlas ${args.join(' ')}: ${r.stderr}`);
    }
    assert.deepStrictEqual(firedTraps(), []);
  });

  it('runs none of them when the command line reads branches (create, diff)', () => {
    clear();
    for (const args of [['diff', 'HEAD~1', '--json'], ['create', 'Next one']]) {
      const r = spawnSync(process.execPath, [cliJs, ...args], { cwd: dir, env: isolated, encoding: 'utf8', timeout: 20_000 });
      assert.strictEqual(r.status, 0, `backlog-atlas ${args.join(' ')}: ${r.stderr}`);
    }
    assert.deepStrictEqual(firedTraps(), []);
  });
});
