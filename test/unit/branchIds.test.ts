// Ids that are safe across branches: a new id skips the ids of every active branch, read from git
// without a checkout, and falls back to the working tree (with a note) where git cannot say.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { branchRefsArgs, parseBranchRefs, parseLsTree } from '../../src/core/branches/gitTree';
import { idsOnActiveBranches } from '../../src/core/branches/branchIds';
import { parseConfig } from '../../src/core/format/config';
import { itemText } from './helpers';
import { scratchRepo, ScratchRepo } from './scratchRepo';

const CONFIG = 'project_name: "B"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const NOW = clockFromSetting('2026-11-21T09:30Z').clock;

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, NOW);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function item(n: number, title = `Item ${n}`): [string, string] {
  return [`backlog/tasks/bl-${n} - ${title.replace(/ /g, '-')}.md`, itemText({ id: `BL-${n}`, title, status: 'To Do' })];
}

describe('ids safe across branches', () => {
  let repo: ScratchRepo;

  beforeEach(() => {
    repo = scratchRepo();
    repo.write('backlog/config.yml', CONFIG);
    for (let n = 1; n <= 4; n++) repo.write(...item(n));
    repo.commit('four items', '2026-11-10T10:00:00Z');
    // A branch creates BL-5 and the user goes back to main.
    repo.git(['checkout', '-q', '-b', 'feature/search']);
    repo.write(...item(5, 'Offline search'));
    repo.commit('BL-5 on a branch', '2026-11-18T10:00:00Z');
    repo.git(['checkout', '-q', 'main']);
  });
  afterEach(() => repo.dispose());

  it('creates BL-6 on main when a branch created BL-5', async () => {
    assert.equal(fs.existsSync(path.join(repo.dir, 'backlog/tasks/bl-5 - Offline-search.md')), false);
    const r = await cli(['create', 'Export to CSV'], repo.dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'BL-6');
    assert.equal(r.err, '');
    assert.ok(fs.existsSync(path.join(repo.dir, 'backlog/tasks/bl-6 - Export-to-CSV.md')));
  });

  it('counts remote-tracking branches', async () => {
    // A remote's branch, as a fetch leaves it: BL-7 exists only there.
    repo.git(['checkout', '-q', '-b', 'tmp']);
    repo.write(...item(7, 'Remote work'));
    repo.commit('BL-7 on the remote', '2026-11-19T10:00:00Z');
    const tip = repo.git(['rev-parse', 'HEAD']).trim();
    repo.git(['checkout', '-q', 'main']);
    repo.git(['branch', '-q', '-D', 'tmp']);
    repo.git(['update-ref', 'refs/remotes/origin/feature/remote', tip]);
    const r = await cli(['create', 'Next'], repo.dir);
    assert.equal(r.out, 'BL-8');
  });

  it('leaves out branches older than active_branch_days, and every branch with check_active_branches: false', async () => {
    repo.write('backlog/config.yml', `${CONFIG}active_branch_days: 2\n`);
    assert.equal((await cli(['create', 'A'], repo.dir)).out, 'BL-5');
    repo.write('backlog/config.yml', `${CONFIG}check_active_branches: false\n`);
    assert.equal((await cli(['create', 'B'], repo.dir)).out, 'BL-6');
  });

  it('promotes a draft to the next id across branches', async () => {
    repo.write('backlog/drafts/draft-1 - Idea.md', itemText({ id: 'DRAFT-1', title: 'Idea', status: 'Draft' }));
    const r = await cli(['promote', 'DRAFT-1'], repo.dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /BL-6/);
  });

  it('without git, takes the working tree alone and says so', async () => {
    fs.rmSync(path.join(repo.dir, '.git'), { recursive: true });
    const r = await cli(['create', 'Alone'], repo.dir);
    assert.equal(r.code, 0);
    assert.equal(r.out, 'BL-5');
    assert.match(r.err, /not checked .*working tree/);
  });

  it('never runs a hook or the repository’s programs while reading branches', async () => {
    const marker = path.join(repo.dir, 'ran');
    repo.write('.git/hooks/post-checkout', `#!/bin/sh\ntouch "${marker}"\n`);
    fs.chmodSync(path.join(repo.dir, '.git/hooks/post-checkout'), 0o755);
    repo.git(['config', 'core.fsmonitor', `touch "${marker}"`]);
    repo.git(['config', 'core.pager', `touch "${marker}"`]);
    const r = await cli(['create', 'Safe'], repo.dir);
    assert.equal(r.out, 'BL-6');
    assert.equal(fs.existsSync(marker), false);
    repo.git(['config', '--unset', 'core.fsmonitor']);
  });
});

describe('branch and tree listings', () => {
  it('reads refs newer than the cut-off, without remote HEADs', () => {
    const a = 'a'.repeat(40);
    const text = [`${a} 1000 refs/heads/main`, `${a} 10 refs/heads/old`, `${a} 2000 refs/remotes/origin/HEAD`, `${a} 2000 refs/remotes/origin/x y`, 'garbage', ''].join('\n');
    assert.deepEqual(parseBranchRefs(text, 100), [{ ref: 'refs/heads/main', commit: a, time: 1000 }]);
    assert.deepEqual(branchRefsArgs(5, false).slice(-1), ['refs/heads']);
  });

  it('reads any path ls-tree prints, whatever it holds, in one pass', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }).filter((s) => !s.includes('\0'))), (paths) => {
        const b = 'b'.repeat(40);
        const text = paths.map((p) => `100644 blob ${b}\t${p}\u0000`).join('') + `120000 blob ${b}\tlink\u0000160000 commit ${b}\tsub\u0000`;
        assert.deepEqual(
          parseLsTree(text).map((f) => f.path),
          paths,
        );
      }),
    );
  });

  it('gives no ids and a note when git fails', async () => {
    const { config } = parseConfig('/c.yml', new TextEncoder().encode(CONFIG));
    const r = await idsOnActiveBranches(() => Promise.reject(new Error('fatal: not a git repository')), config, 0, () => 0);
    assert.deepEqual(r.ids, []);
    assert.match(r.note ?? '', /not a git repository/);
  });
});
