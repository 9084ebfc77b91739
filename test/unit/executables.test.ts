// Which rg or git the command line and the extension start: never one found through a relative
// PATH entry, and never one inside the repository being read, even on an absolute PATH entry
// (npm puts the repository's node_modules/.bin first on the PATH when it runs a script).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findRipgrep, scanTodos } from '../../src/cli/todoScan';
import { TodoMatcher } from '../../src/core/todo/todo';
import { findExecutable, isTrustedExecutable, untrustedFolders } from '../../src/node/executables';

describe('programs found on the PATH', function () {
  if (process.platform === 'win32') return;
  let base: string;
  let repo: string;
  let tools: string;
  const ran = () => fs.existsSync(path.join(base, 'ran'));
  const saved = { path: process.env.PATH, rg: process.env.BACKLOG_ATLAS_RG };

  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-exe-')));
    repo = path.join(base, 'repo');
    tools = path.join(base, 'tools');
    // A repository that ships an `rg` and a `git` where npm puts them on the PATH.
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'node_modules', '.bin'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'src'));
    fs.writeFileSync(path.join(repo, 'src', 'a.ts'), '// TODO keep going\n');
    fs.mkdirSync(tools);
    for (const name of ['rg', 'git']) fs.writeFileSync(path.join(repo, 'node_modules', '.bin', name), `#!/bin/sh\n: > "${path.join(base, 'ran')}"\n`, { mode: 0o755 });
    delete process.env.BACKLOG_ATLAS_RG;
  });

  afterEach(() => {
    process.env.PATH = saved.path;
    if (saved.rg === undefined) delete process.env.BACKLOG_ATLAS_RG;
    else process.env.BACKLOG_ATLAS_RG = saved.rg;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('skips an rg inside the repository being scanned, on an absolute PATH entry too', async () => {
    const bin = path.join(repo, 'node_modules', '.bin');
    process.env.PATH = [bin, '/usr/bin', '/bin'].join(path.delimiter);
    // Scanning a subfolder: the repository around it is still the repository.
    assert.deepStrictEqual(untrustedFolders([path.join(repo, 'src')]), [path.join(repo, 'src'), repo]);
    const found = findRipgrep(untrustedFolders([path.join(repo, 'src')]));
    assert.notStrictEqual(found, path.join(bin, 'rg'));
    const todos = await scanTodos([path.join(repo, 'src')], new TodoMatcher({ tags: ['TODO'], prefixes: [] }));
    assert.deepStrictEqual(todos.map((t) => t.text), ['keep going']);
    assert.strictEqual(ran(), false, 'the repository’s rg ran');
  });

  it('finds a program outside, and never through a link into the repository', () => {
    fs.writeFileSync(path.join(tools, 'git'), '#!/bin/sh\n', { mode: 0o755 });
    const linked = path.join(base, 'linked');
    fs.mkdirSync(linked);
    fs.symlinkSync(path.join(repo, 'node_modules', '.bin', 'git'), path.join(linked, 'git'));
    const searchPath = ['.', '', 'node_modules/.bin', linked, path.join(repo, 'node_modules', '.bin'), tools].join(path.delimiter);
    assert.strictEqual(findExecutable('git', { searchPath, untrusted: [repo] }), path.join(tools, 'git'));
    assert.strictEqual(findExecutable('git', { searchPath: [linked, tools].join(path.delimiter) }), path.join(linked, 'git'), 'outside every untrusted folder, the link is fine');
    assert.strictEqual(isTrustedExecutable(path.join(linked, 'git'), [repo]), false);
    assert.strictEqual(isTrustedExecutable('git', []), false, 'a bare name is no path');
    // Not a file this user may run.
    fs.writeFileSync(path.join(tools, 'rg'), 'not a program', { mode: 0o644 });
    assert.strictEqual(findExecutable('rg', { searchPath: tools }), undefined);
    assert.strictEqual(ran(), false);
  });
});
