// The roadmap panel in real VS Code: the page draws what the host sends, a move from the page
// lands on disk as one changed line, bad messages are ignored, and exports write files. Every
// test starts from this file's own backlog, written before it, on a clock pinned in 2026-Q4:
// the next quarter is 2027-Q1, so T-2 (2027-Q3) is Later.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_ROADMAP_OPTIONS, type RoadmapOptions } from '../../src/protocol/roadmapProtocol';
import type { RoadmapPanel } from '../../src/vscode/panels/roadmapPanel';
import { extensionApi, fixtureUri, openNewPanel, pinClock, readDisk, showPanel, syncBacklog, waitFor, workspaceFiles, writeDisk, waitForItemEditor } from './helpers';

const ROADMAP = [
  '# The plan. Comments stay when the panel moves things.',
  'vision: Hikers plan safe days out.',
  'goals:',
  '  - id: G-1',
  '    title: Trust offline',
  'themes:',
  '  - id: T-1',
  '    title: Offline first',
  '    goal: G-1',
  '    horizon: now   # being built',
  '  - id: T-2',
  '    title: Groups',
  '    goal: G-1',
  '    quarter: 2027-Q3',
  '  - id: T-3',
  '    title: Sync with watches',
  '    # no horizon until discovery says so',
  'milestones:',
  '  - id: MS-1',
  '    title: Beta',
  "    date: '2027-01-20'",
  '',
].join('\n');

const FILES: Record<string, string> = {
  'config.yml': ['project_name: "Roadmap"', 'task_prefix: "rm"', 'statuses: ["To Do", "In Progress", "Done"]', 'done_statuses: ["Done"]', ''].join('\n'),
  'roadmap.yml': ROADMAP,
  'releases.yml': ['releases:', "  - {id: R-1, name: Roadmap 1.0, date: '2027-02-15'}", ''].join('\n'),
  'tasks/rm-1 - Offline-maps.md': ['---', 'id: RM-1', 'title: Offline maps', 'status: In Progress', 'type: epic', 'theme: T-1', 'release: R-1', '---', '', 'Maps without signal.', ''].join('\n'),
  'tasks/rm-2 - Download-a-region.md': ['---', 'id: RM-2', 'title: Download a region', 'status: Done', 'type: story', 'epic: RM-1', 'estimate: 5', '---', ''].join('\n'),
  'tasks/rm-3 - Storage-limits.md': ['---', 'id: RM-3', 'title: Storage limits', 'status: To Do', 'type: story', 'epic: RM-1', 'estimate: 3', '---', ''].join('\n'),
  'tasks/rm-4 - Group-invites.md': ['---', 'id: RM-4', 'title: Group invites', 'status: To Do', 'type: epic', 'theme: T-2', '---', ''].join('\n'),
};

function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return b.filter((line, k) => a[k] !== line);
}

const TODAY = '2026-11-21';
/** A file as an edit leaves it: `updated_date` stamped last in the front matter, as Backlog.md stamps an edit. */
const stamped = (text: string) => text.replace(/\n---\n/, `\nupdated_date: '${TODAY} 00:00'\n---\n`);

describe('the roadmap panel', () => {
  let api: ExtensionApi;
  let panel: RoadmapPanel;

  pinClock(TODAY);

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, FILES, (b) => b.items().length === 4 && b.roadmap.themes.length === 3);
  });

  after(async () => {
    api.roadmap.current?.dispose();
  });

  /** The roadmap panel (the open one, or a new one) showing the default options. */
  const open = async () => (panel = await showPanel<RoadmapOptions, RoadmapPanel>('backlogAtlas.openRoadmap', () => api.roadmap.current, DEFAULT_ROADMAP_OPTIONS));

  it('opens from its command and the page draws every theme and epic the host sent', async function () {
    this.timeout(30_000);
    const opened = await openNewPanel('backlogAtlas.openRoadmap', () => api.roadmap.current);
    panel = opened.panel;
    const cards = opened.cards;
    const model = panel.lastModel!;
    assert.deepEqual(
      model.themes.map((t) => [t.id, t.column]),
      [['T-1', 'now'], ['T-2', 'later'], ['T-3', 'unscheduled']],
    );
    // Team view: three theme cards and two epic cards.
    assert.equal(cards, 5);
    assert.deepEqual(model.themes[0].epics[0].progress, { pointsDone: 5, pointsTotal: 8, itemsDone: 1, itemsTotal: 2 });
  });

  it('moves a theme from Later to Next when the clock reaches the quarter before its own', async function () {
    this.timeout(30_000);
    await open();
    const column = (id: string) => panel.lastModel?.themes.find((t) => t.id === id)?.column;
    assert.equal(column('T-2'), 'later');
    try {
      // 2027-Q2: T-2's 2027-Q3 is next. setClock redraws the open panel by itself.
      api.setClock('2027-04-01');
      assert.equal(column('T-2'), 'next');
      api.setClock('2027-03-31');
      assert.equal(column('T-2'), 'later');
    } finally {
      api.setClock(TODAY);
    }
    assert.equal(column('T-2'), 'later');
  });

  it('moves an epic to another horizon by writing its one field, and back by removing it', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'rm-1 - Offline-maps.md');
    const before = await readDisk(uri);
    const drawn = panel.whenDrawn();
    await panel.receive({ type: 'move', ref: { kind: 'item', id: 'RM-1' }, horizon: 'later' });
    await api.whenIdle();
    const after = await readDisk(uri);
    // One line added at the end of the front matter, and the stamp; every other byte as it was.
    assert.equal(after, stamped(before.replace('release: R-1\n', 'release: R-1\nhorizon: later\n')));
    await drawn;
    await waitFor('the epic in Later', () => panel.lastModel?.themes[0].epics[0].column === 'later');
    // Back where its theme is: the epic follows the theme again, and the file is as it was but for the stamp.
    await panel.receive({ type: 'move', ref: { kind: 'item', id: 'RM-1' }, horizon: 'now' });
    await api.whenIdle();
    assert.equal(await readDisk(uri), stamped(before));
  });

  it('moves a theme by rewriting only its horizon in roadmap.yml, comments and key kept', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'roadmap.yml');
    await panel.receive({ type: 'move', ref: { kind: 'theme', id: 'T-1' }, horizon: '2027-Q1' });
    await api.whenIdle();
    let text = await readDisk(uri);
    assert.deepEqual(changedLines(ROADMAP, text), ['    horizon: 2027-Q1   # being built']);
    // T-2 says `quarter:`; the move keeps that key.
    await panel.receive({ type: 'move', ref: { kind: 'theme', id: 'T-2' }, horizon: 'next' });
    await api.whenIdle();
    text = await readDisk(uri);
    assert.deepEqual(changedLines(ROADMAP, text), ['    horizon: 2027-Q1   # being built', '    quarter: next']);
    await waitFor('the model to follow the file', () => panel.lastModel?.themes.find((t) => t.id === 'T-2')?.column === 'next');
    await writeDisk(uri, ROADMAP);
    await waitFor('the roadmap read again', () => api.index.roots()[0].roadmap.themes[0].horizon === 'now');
  });

  it('ignores malformed messages from the page and keeps working', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'rm-4 - Group-invites.md');
    const before = await readDisk(uri);
    const files = await workspaceFiles(fixtureUri());
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).sort();
    const tabsBefore = tabs();
    const model = JSON.stringify(panel.lastModel);
    const junk: unknown[] = [
      null,
      'move',
      42,
      { type: 'move' },
      { type: 'move', ref: { kind: 'item', id: '../../etc/passwd' }, horizon: 'later' },
      { type: 'move', ref: { kind: 'item', id: 'RM-4' }, horizon: 'soon' },
      { type: 'move', ref: { kind: 'file', id: 'RM-4' }, horizon: 'later' },
      { type: 'open', ref: { kind: 'item', id: 'x'.repeat(10_000) } },
      { type: 'openLink', url: 'command:workbench.action.quit' },
      { type: 'export', format: 'exe' },
      { type: '__proto__' },
    ];
    for (const message of junk) await panel.receive(message);
    await api.whenIdle();
    assert.deepEqual(await workspaceFiles(fixtureUri()), files, 'a message changed the workspace');
    assert.deepEqual(tabs(), tabsBefore, 'a message opened or closed an editor');
    assert.equal(JSON.stringify(panel.lastModel), model, 'the roadmap changed');
    // A story is not an epic: the roadmap does not give it a horizon.
    await panel.receive({ type: 'move', ref: { kind: 'item', id: 'RM-2' }, horizon: 'later' });
    assert.doesNotMatch(await readDisk(fixtureUri('backlog', 'tasks', 'rm-2 - Download-a-region.md')), /horizon/);
    // Still working: a good move lands, and the page is drawn again.
    const drawn = panel.whenDrawn();
    await panel.receive({ type: 'move', ref: { kind: 'item', id: 'RM-4' }, horizon: 'next' });
    await api.whenIdle();
    assert.match(await readDisk(uri), /^horizon: next$/m);
    await drawn;
    await waitFor('the epic in Next on the page', () => panel.lastModel?.themes.find((t) => t.id === 'T-2')?.epics.find((e) => e.id === 'RM-4')?.column === 'next');
    await writeDisk(uri, before);
    await waitFor('the epic read again', () => api.index.roots()[0].item('RM-4')?.horizon === undefined);
  });

  it('redraws when a backlog file changes on disk', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'roadmap.yml');
    await writeDisk(uri, ROADMAP.replace('title: Groups', 'title: Group trips'));
    await waitFor('the new title on the page', () => panel.lastModel?.themes.some((t) => t.title === 'Group trips'), 10_000);
    await writeDisk(uri, ROADMAP);
    await waitFor('the old title back', () => panel.lastModel?.themes.some((t) => t.title === 'Groups'), 10_000);
  });

  it('opens a theme in roadmap.yml at its line, and an epic in the item editor', async function () {
    this.timeout(30_000);
    await open();
    await panel.receive({ type: 'open', ref: { kind: 'theme', id: 'T-2' } });
    const editor = await waitFor('roadmap.yml in an editor', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/roadmap.yml') && vscode.window.activeTextEditor);
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, '  - id: T-2');
    await panel.receive({ type: 'open', ref: { kind: 'item', id: 'RM-1' } });
    await waitForItemEditor('/rm-1 - Offline-maps.md');
    // Both opened beside the panel: closing that group leaves the panel alone.
    await vscode.commands.executeCommand('workbench.action.closeEditorsInGroup');
    assert.ok(api.roadmap.current, 'the panel is still open');
  });

  it('exports what the panel shows as Markdown, HTML and SVG files', async function () {
    this.timeout(30_000);
    await open();
    for (const [format, ext, expected] of [
      ['markdown', 'md', /## Now[\s\S]*Offline first[\s\S]*RM-1/],
      ['html', 'html', /<!DOCTYPE html>[\s\S]*Offline first/i],
      ['svg', 'svg', /<svg[\s\S]*Offline first[\s\S]*<\/svg>\s*$/],
    ] as const) {
      const target = fixtureUri(`roadmap-export.${ext}`);
      await vscode.commands.executeCommand('backlogAtlas.exportRoadmap', format, target);
      const text = await readDisk(target);
      assert.match(text, expected);
      await vscode.workspace.fs.delete(target);
    }
  });
});
