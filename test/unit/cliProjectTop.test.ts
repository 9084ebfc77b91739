import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { itemText } from './helpers';

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }
}

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// Like git, the command line works from any folder inside the project.
describe('the command line, run inside a project', () => {
  let top: string;
  beforeEach(async () => {
    top = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-top-'));
  });
  afterEach(() => fs.rm(top, { recursive: true, force: true }));

  it('finds the backlog at the top of the project from src/, for lint, list and todos', async () => {
    const repo = path.join(top, 'repo');
    await write(repo, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      'backlog/config.yml': 'task_prefix: "bl"\n',
      'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: 'Done' }),
      'src/deep/a.ts': '// TODO(BL-1): still here\n',
    });
    const lint = await run(['lint'], path.join(repo, 'src/deep'));
    assert.strictEqual(lint.code, 1, 'the stale TODO link fails lint');
    assert.match(lint.err, /in 1 backlog\(s\)/);
    assert.match(lint.out, /a\.ts:1:\d+ error .*BL-1/);
    assert.match((await run(['list', '--all'], path.join(repo, 'src'))).out, /^BL-1 /);
    const todos = await run(['todos', 'src', '--json'], repo);
    assert.deepStrictEqual((JSON.parse(todos.out) as { ref?: string; item?: string }[]).map((t) => [t.ref, t.item]), [['BL-1', 'A']]);
    const inside = await run(['todos', '.', '--json'], path.join(repo, 'src'));
    assert.deepStrictEqual((JSON.parse(inside.out) as { item?: string }[]).map((t) => t.item), ['A']);
  });

  it('finds a project a root backlog.config.yml names', async () => {
    await write(top, {
      'backlog.config.yml': 'project_name: "P"\ntask_prefix: "jira"\nbacklog_directory: "planning"\n',
      'planning/tasks/jira-1 - A.md': itemText({ id: 'JIRA-1', title: 'A' }),
      'src/x.ts': '\n',
    });
    assert.match((await run(['list'], path.join(top, 'src'))).out, /^JIRA-1 /);
  });

  it('stops at the top of the repository: a backlog above it is not this project', async () => {
    await write(top, { 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A' }), 'inner/.git/HEAD': 'x\n', 'inner/src/a.ts': '\n' });
    const r = await run(['lint', '--no-todos'], path.join(top, 'inner/src'));
    assert.match(r.err, /^No backlog\/ or \.backlog\/ folder found here or above/);
  });
});
