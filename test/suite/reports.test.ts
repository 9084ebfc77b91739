// The Reports panel in real VS Code, over a backlog with a real git history: the burndown knows
// from the commits when scope came in and when work was done, the page draws the chart, and the
// exports write SVG, PNG and CSV files. The file writes a backlog (and a repository) of its own,
// which no test changes, and removes the repository after. Each test takes the one panel as it
// opens by default; the clock is pinned after the sprint and before the release.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_REPORTS_OPTIONS, type ReportsModel, type ReportsOptions } from '../../src/protocol/reportsProtocol';
import type { ReportsPanel } from '../../src/vscode/panels/reportsPanel';
import { gitTrapConfig, writeGitTraps } from '../shared/gitTraps';
import { extensionApi, fixtureUri, pinClock, readDisk, replaceBacklog, showPanel, waitFor, workspaceFiles, waitForItemEditor } from './helpers';

const CONFIG = ['project_name: "Burn"', 'task_prefix: "bu"', 'statuses: ["To Do", "In Progress", "Done"]', 'done_statuses: ["Done"]', ''].join('\n');
const SPRINTS = (state: string) =>
  ['# One two-week sprint; it recorded no committed scope, so the history decides it.', 'sprints:', '  - id: S-1', '    name: Sprint 1', "    start: '2026-10-05'", "    end: '2026-10-16'", '    goal: Burn it down', `    state: ${state}`, ''].join('\n');
const item = (id: string, title: string, extra: string[]) => ['---', `id: ${id}`, `title: ${title}`, 'type: story', 'release: R-1', ...extra, '---', '', ''].join('\n');
const RELEASES = ['releases:', "  - {id: R-1, name: First light, date: '2026-12-18'}", ''].join('\n');

/** The backlog as each commit left it: file contents by path under backlog/. */
const COMMITS: { date: string; files: Record<string, string> }[] = [
  {
    date: '2026-10-02T10:00:00',
    files: {
      'config.yml': CONFIG,
      'releases.yml': RELEASES,
      'sprints.yml': SPRINTS('planned'),
      'tasks/bu-1 - Light.md': item('BU-1', 'Light', ['status: To Do', 'estimate: 3', 'sprint: S-1']),
      'tasks/bu-2 - Fire.md': item('BU-2', 'Fire', ['status: To Do', 'estimate: 5', 'sprint: S-1']),
      'tasks/bu-3 - Smoke.md': item('BU-3', 'Smoke', ['status: To Do', 'estimate: 2']),
    },
  },
  {
    // BU-3 comes into the sprint on the 7th; BU-1 is done that day (no completed_date: git says when).
    date: '2026-10-07T15:00:00',
    files: {
      'sprints.yml': SPRINTS('active'),
      'tasks/bu-1 - Light.md': item('BU-1', 'Light', ['status: Done', 'estimate: 3', 'sprint: S-1']),
      'tasks/bu-3 - Smoke.md': item('BU-3', 'Smoke', ['status: To Do', 'estimate: 2', 'sprint: S-1']),
    },
  },
  {
    // BU-2 is re-estimated from 5 to 8 on the 9th.
    date: '2026-10-09T11:00:00',
    files: { 'tasks/bu-2 - Fire.md': item('BU-2', 'Fire', ['status: In Progress', 'estimate: 8', 'sprint: S-1']) },
  },
  {
    // BU-2 is done; it was committed a day late, and its completed_date says the 13th.
    date: '2026-10-14T16:00:00',
    files: {
      'sprints.yml': SPRINTS('closed'),
      'tasks/bu-2 - Fire.md': item('BU-2', 'Fire', ['status: Done', 'estimate: 8', 'sprint: S-1', "completed_date: '2026-10-13'"]),
    },
  },
];

function git(cwd: string, args: string[], date?: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
  execFileSync('git', args, { cwd, env: date ? { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : env, stdio: 'pipe' });
}

describe('the reports panel', () => {
  let api: ExtensionApi;
  let panel: ReportsPanel;
  const folder = fixtureUri().fsPath;
  const gitHistory = () => vscode.workspace.getConfiguration('backlogAtlas.reports');

  pinClock('2026-11-02');

  before(async function () {
    this.timeout(90_000);
    api = await extensionApi();
    // The working tree ends as the last commit left it; the index reads that.
    const last: Record<string, string> = {};
    for (const c of COMMITS) Object.assign(last, c.files);
    await replaceBacklog(api, last, (b) => b?.items().length === 3 && b.sprints.length === 1 && b.item('BU-2')?.completedDate === '2026-10-13');
    fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    git(folder, ['init', '-q', '-b', 'main']);
    const backlogDir = path.join(folder, 'backlog');
    const keep = new Map(Object.entries(last).map(([p, t]) => [p, t]));
    // Replay the history with the files as each commit had them, then put the last state back.
    for (const c of COMMITS) {
      for (const [p, text] of Object.entries(c.files)) fs.writeFileSync(path.join(backlogDir, ...p.split('/')), text);
      git(folder, ['add', 'backlog']);
      git(folder, ['commit', '-q', '-m', `backlog on ${c.date}`], c.date);
    }
    for (const [p, text] of keep) assert.equal(fs.readFileSync(path.join(backlogDir, ...p.split('/')), 'utf8'), text);
  });

  /** The panel, open on its default report (the burndown of the sprint under way or last), with the git history read. */
  beforeEach(async function () {
    this.timeout(60_000);
    if (gitHistory().inspect('gitHistory')?.workspaceValue !== undefined) await gitHistory().update('gitHistory', undefined, vscode.ConfigurationTarget.Workspace);
    panel = await showPanel<ReportsOptions, ReportsPanel>('backlogAtlas.openReports', () => api.reports.current, DEFAULT_REPORTS_OPTIONS);
    await panel.whenHistoryRead();
    await waitFor('the report from git history', () => panel.lastModel?.history.source === 'git', 20_000);
  });

  after(async () => {
    api.reports.current?.dispose();
    fs.rmSync(path.join(folder, '.git'), { recursive: true, force: true });
    await gitHistory().update('gitHistory', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('draws the sprint burndown with the scope changes and done days the git history records', async function () {
    this.timeout(60_000);
    const model = await waitFor('the burndown from git history', () => panel.lastModel?.history.source === 'git' && panel.lastModel, 20_000);
    assert.match(model.history.detail, /4 commits/);
    const b = model.burndown!;
    assert.equal(b.sprintId, 'S-1');
    // Committed: the scope at the end of the first day, as git had it (no `committed` recorded).
    assert.equal(b.committedSource, 'history');
    assert.equal(b.committed, 8);
    const day = (d: string) => b.days.find((x) => x.date === d)!;
    assert.deepEqual([day('2026-10-05').remaining, day('2026-10-06').remaining], [8, 8]);
    // The 7th: BU-1 (3) done, BU-3 (2) added and drawn as added, not hidden in the burn.
    assert.deepEqual([day('2026-10-07').remaining, day('2026-10-07').added, day('2026-10-07').completed], [7, 2, 3]);
    // The 9th: BU-2 re-estimated 5 → 8.
    assert.deepEqual([day('2026-10-09').remaining, day('2026-10-09').added], [10, 3]);
    // The 13th, from completed_date though git saw it on the 14th.
    assert.deepEqual([day('2026-10-12').remaining, day('2026-10-13').remaining, day('2026-10-16').remaining], [10, 2, 2]);
    assert.deepEqual(
      b.changes.map((c) => [c.date, c.id, c.kind, c.delta, c.dateKnown]),
      [
        ['2026-10-07', 'BU-3', 'added', 2, true],
        ['2026-10-09', 'BU-2', 're-estimated', 3, true],
      ],
    );
    // The ideal line falls from committed to 0 on the last workday, flat over the weekend.
    assert.deepEqual([day('2026-10-05').ideal, day('2026-10-10').ideal === day('2026-10-11').ideal, day('2026-10-16').ideal], [8, true, 0]);
    assert.ok(model.chart && model.chart.marks.length > 10, 'no chart was laid out');
  });

  it('without git history, says so and dates what it cannot know as unknown', async function () {
    this.timeout(30_000);
    await gitHistory().update('gitHistory', false, vscode.ConfigurationTarget.Workspace);
    const model = await waitFor('the burndown without history', () => panel.lastModel?.history.source === 'none' && panel.lastModel, 10_000);
    assert.match(model.history.detail, /turned off/);
    const b = model.burndown!;
    // Every item is taken as it is now, since the start.
    assert.equal(b.committedSource, 'current');
    assert.equal(b.committed, 13);
    assert.deepEqual(b.changes, []);
    assert.ok(b.notes.some((n) => /no history|Without git history/i.test(n)), b.notes.join(' / '));
    await gitHistory().update('gitHistory', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor('the git history back', () => panel.lastModel?.history.source === 'git', 20_000);
  });

  /**
   * Does what should draw a report, and waits until the page has drawn and the panel's model is
   * the one `shown` looks for. The model is built over several turns: a draw the page makes of an
   * older state meanwhile (a redraw after the history was read) can come first.
   */
  async function drawnAfter(act: () => Thenable<unknown>, shown: (m: ReportsModel) => boolean): Promise<ReportsModel> {
    let drawn = panel.whenDrawn();
    await act();
    for (;;) {
      await drawn;
      const m = panel.lastModel;
      if (m && shown(m)) return m;
      drawn = panel.whenDrawn();
    }
  }

  it('shows velocity and the release burn-up when the options say so', async function () {
    this.timeout(30_000);
    const velocity = await drawnAfter(
      () => panel.receive({ type: 'setOptions', options: { report: 'velocity', sprint: '', release: '', unit: 'points', releaseMode: 'burnup', root: '' } }),
      (m) => m.velocity !== undefined,
    );
    const v = velocity.velocity!;
    assert.deepEqual(v.sprints.map((s) => [s.sprintId, s.committed, s.completed]), [['S-1', 8, 11]]);
    assert.equal(v.average, 11);
    const release = await drawnAfter(
      () => panel.receive({ type: 'setOptions', options: { report: 'release', sprint: '', release: 'R-1', unit: 'items', releaseMode: 'burnup', root: '' } }),
      (m) => m.release !== undefined,
    );
    const r = release.release!;
    assert.equal(r.releaseId, 'R-1');
    assert.deepEqual([r.scopeNow, r.completedNow, r.remainingNow], [3, 2, 1]);
    assert.equal(r.forecastSprints, 1);
  });

  it('exports the chart as SVG, PNG and CSV', async function () {
    this.timeout(60_000);
    await drawnAfter(
      () => panel.receive({ type: 'setOptions', options: { report: 'burndown', sprint: 'S-1', release: '', unit: 'points', releaseMode: 'burnup', root: '' } }),
      (m) => m.burndown?.sprintId === 'S-1',
    );
    const svgUri = fixtureUri('burndown-export.svg');
    await vscode.commands.executeCommand('backlogAtlas.exportReport', 'svg', svgUri);
    const svg = await readDisk(svgUri);
    assert.match(svg, /^(?:<\?xml[^>]*\?>\s*)?<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /Sprint 1 burndown/);
    assert.doesNotMatch(svg, /<script|href="http/);

    const pngUri = fixtureUri('burndown-export.png');
    await vscode.commands.executeCommand('backlogAtlas.exportReport', 'png', pngUri);
    const png = await vscode.workspace.fs.readFile(pngUri);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // A 2x rendering of the 720-wide chart: the IHDR width says so.
    assert.equal(Buffer.from(png).readUInt32BE(16), 1440);

    const csvUri = fixtureUri('burndown-export.csv');
    await vscode.commands.executeCommand('backlogAtlas.exportReport', 'csv', csvUri);
    const csv = (await readDisk(csvUri)).split(/\r?\n/);
    assert.match(csv[0], /^date,/i);
    assert.equal(csv.filter((l) => l.startsWith('2026-10-')).length, 12);
    for (const u of [svgUri, pngUri, csvUri]) await vscode.workspace.fs.delete(u);
  });

  it('shows a sprint’s burndown and a release’s burn-up from their rows in the trees', async function () {
    this.timeout(30_000);
    const root = api.index.roots()[0].root;
    const release = await drawnAfter(() => vscode.commands.executeCommand('backlogAtlas.showReleaseBurnup', { kind: 'release', id: 'R-1', root }), (m) => m.release !== undefined);
    assert.equal(release.release?.releaseId, 'R-1');
    const burndown = await drawnAfter(() => vscode.commands.executeCommand('backlogAtlas.showBurndown', { kind: 'sprint', id: 'S-1', root }), (m) => m.burndown !== undefined);
    assert.equal(burndown.burndown?.sprintId, 'S-1');
    assert.equal(panel.currentOptions.report, 'burndown');
  });

  it('opens an item from the list of changes', async function () {
    this.timeout(30_000);
    await panel.receive({ type: 'open', ref: { kind: 'item', id: 'BU-3' } });
    await waitForItemEditor('/bu-3 - Smoke.md');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInGroup');
  });

  it('ignores malformed messages: nothing opens, nothing is written, the panel still answers', async function () {
    this.timeout(30_000);
    // The repository's own files are git's business (it may refresh its index when read).
    const workspace = async () => [...(await workspaceFiles(fixtureUri()))].filter(([p]) => !p.startsWith('.git/'));
    const files = await workspace();
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).sort();
    const tabsBefore = tabs();
    const options = { ...panel.currentOptions };
    const model = JSON.stringify(panel.lastModel);
    const junk: unknown[] = [
      null,
      'ready',
      { type: 'open', ref: { kind: 'file', id: '/etc/passwd' } },
      { type: 'open', ref: { kind: 'item', id: '../../x' } },
      { type: 'export', format: 'exe', palette: {} },
      { type: 'png', id: 1, data: 'not base64 at all!' },
      { type: 'png', id: -1, data: 'AAAA' },
      { type: 'setOptions', options: 'burndown' },
      { type: 'drawn', cards: 'many' },
      { type: 'nope' },
    ];
    for (const m of junk) await panel.receive(m);
    assert.deepEqual(tabs(), tabsBefore, 'a message opened or closed an editor');
    assert.deepEqual(await workspace(), files, 'a message changed the workspace');
    assert.deepEqual(panel.currentOptions, options, 'a malformed setOptions was taken');
    assert.equal(JSON.stringify(panel.lastModel), model, 'the report changed');
    // Still answering: an option change draws again.
    const velocity = await drawnAfter(() => panel.receive({ type: 'setOptions', options: { ...DEFAULT_REPORTS_OPTIONS, report: 'velocity' } }), (m) => m.velocity !== undefined);
    assert.deepEqual(velocity.velocity?.sprints.map((s) => s.sprintId), ['S-1']);
  });

  // Last: it leaves a fifth, signed commit on top and a version missing from the repository.
  it('reads the history without running any program the repository’s config names', async function () {
    if (process.platform === 'win32') this.skip(); // The traps are shell scripts.
    this.timeout(60_000);
    const traps = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-git-traps-'));
    const fired = path.join(traps, 'fired.log');
    const attributes = path.join(folder, '.gitattributes');
    const notes = path.join(folder, 'backlog', 'signed.txt');
    try {
      writeGitTraps(traps, fired, { withCaller: true });
      const out = (args: string[], input?: string) => execFileSync('git', args, { cwd: folder, input, encoding: 'utf8' }).trim();
      // HEAD moves to a signed commit of the backlog folder (git runs gpg.program to check it,
      // valid or not), so the reader reads again; the first version of BU-2 goes, so a partial
      // clone would fetch it.
      fs.writeFileSync(notes, 'signed\n');
      out(['add', notes]);
      const signed = [`tree ${out(['write-tree'])}`, `parent ${out(['rev-parse', 'HEAD'])}`, 'author T <t@example.com> 1760000000 +0000', 'committer T <t@example.com> 1760000000 +0000', 'gpgsig -----BEGIN PGP SIGNATURE-----', ' ', ' AAAA', ' -----END PGP SIGNATURE-----', '', 'signed', ''].join('\n');
      out(['update-ref', 'HEAD', out(['hash-object', '-t', 'commit', '-w', '--stdin'], signed)]);
      const gone = out(['rev-parse', 'HEAD~4:backlog/tasks/bu-2 - Fire.md']);
      fs.rmSync(path.join(folder, '.git', 'objects', gone.slice(0, 2), gone.slice(2)));
      for (const [key, value] of gitTrapConfig(traps, 'ssh://git.example.invalid/burn.git')) out(['config', key, value]);
      fs.writeFileSync(attributes, '*.md diff=trap filter=trap\n*.yml diff=trap filter=trap\n');
      // The traps are live: plain git runs gpg for the log, and ssh for the missing version.
      execFileSync('git', ['log', '-1', '--format=%H'], { cwd: folder, stdio: 'pipe' });
      spawnSync('git', ['cat-file', '--batch'], { cwd: folder, input: `${gone}\n`, stdio: 'pipe', timeout: 20_000 });
      assert.match(fs.readFileSync(fired, 'utf8'), /^gpg: [^]*^ssh: /m, 'plain git did not spring the traps');
      fs.rmSync(fired);

      await panel.whenHistoryRead();
      const drawn = panel.whenDrawn();
      panel.redraw();
      await drawn;
      const model = await waitFor('the history read again', () => panel.lastModel?.history.source === 'git' && /5 commits/.test(panel.lastModel.history.detail) && panel.lastModel, 20_000).catch((e: Error) => {
        throw new Error(`${e.message}: ${panel.lastModel?.history.source}, ${panel.lastModel?.history.detail}`);
      });
      assert.ok(model.burndown, 'the history still reads');
      assert.equal(fs.existsSync(fired) ? fs.readFileSync(fired, 'utf8') : '', '', 'the reader ran a program the repository named');
    } finally {
      fs.rmSync(attributes, { force: true });
      fs.rmSync(notes, { force: true });
      fs.rmSync(traps, { recursive: true, force: true });
    }
  });
});
