// The story map panel in real VS Code: the page draws the backbone and slices the host sends,
// a move lands on disk as exactly the lines it must change, and adds write new files and steps.
// Every test starts from this file's own backlog, written before it, on a clock pinned before
// either release's date, so that R-1 is the walking skeleton.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { DEFAULT_STORY_MAP_OPTIONS, type StoryMapOptions } from '../../src/protocol/storyMapProtocol';
import type { StoryMapPanel } from '../../src/vscode/panels/storyMapPanel';
import { extensionApi, fixtureUri, openNewPanel, pinClock, readDisk, showPanel, syncBacklog, waitFor, workspaceFiles, writeDisk, waitForItemEditor } from './helpers';

const STORYMAP = [
  '# The journey. Comments stay when the panel edits it.',
  'activities:',
  '  - id: plan',
  '    title: Plan a hike',
  '    steps:',
  '      - id: find-route',
  '        title: Find a route',
  '      - id: save-route',
  '        title: Save the route   # naming is hard',
  '  - id: hike',
  '    title: On the trail',
  '    steps:',
  '      - id: navigate',
  '        title: Navigate',
  '',
].join('\n');

const item = (id: string, title: string, extra: string[]) => ['---', `id: ${id}`, `title: ${title}`, 'status: To Do', 'type: story', ...extra, '---', '', ''].join('\n');

const FILES: Record<string, string> = {
  'config.yml': ['project_name: "Map"', 'task_prefix: "sm"', 'statuses: ["To Do", "In Progress", "Done"]', 'done_statuses: ["Done"]', ''].join('\n'),
  'storymap.yml': STORYMAP,
  'releases.yml': ['releases:', "  - {id: R-1, name: Walking skeleton, date: '2027-01-15'}", "  - {id: R-2, name: Better routes, date: '2027-03-01'}", ''].join('\n'),
  'tasks/sm-1 - Search-by-name.md': item('SM-1', 'Search by name', ['step: find-route', 'release: R-1', 'estimate: 3', "rank: 'a0'"]),
  'tasks/sm-2 - Filter-by-length.md': item('SM-2', 'Filter by length', ['step: find-route', 'release: R-2', 'estimate: 2', "rank: 'a1'"]),
  'tasks/sm-3 - Save-a-route.md': item('SM-3', 'Save a route', ['step: save-route', 'release: R-1', 'estimate: 5', "rank: 'a2'"]),
  'tasks/sm-4 - Turn-by-turn.md': item('SM-4', 'Turn by turn', ['step: navigate', "rank: 'a3'"]),
  'tasks/sm-5 - Share-with-a-friend.md': item('SM-5', 'Share with a friend', ["rank: 'a4'"]),
};

const TODAY = '2026-11-21';
/** A file as an edit leaves it: `updated_date` stamped last in the front matter, as Backlog.md stamps an edit. */
const stamped = (text: string) => text.replace(/\n---\n/, `\nupdated_date: '${TODAY} 00:00'\n---\n`);

describe('the story map panel', () => {
  let api: ExtensionApi;
  let panel: StoryMapPanel;

  pinClock(TODAY);

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, FILES, (b) => b.items().length === 5 && b.storyMap.activities.length === 2);
  });

  after(() => api.storyMap.current?.dispose());

  /** The story map panel (the open one, or a new one) showing the default options. */
  const open = async () => (panel = await showPanel<StoryMapOptions, StoryMapPanel>('backlogAtlas.openStoryMap', () => api.storyMap.current, DEFAULT_STORY_MAP_OPTIONS));

  it('opens from its command and the page draws every card in its step and slice', async function () {
    this.timeout(30_000);
    const opened = await openNewPanel('backlogAtlas.openStoryMap', () => api.storyMap.current);
    panel = opened.panel;
    assert.equal(opened.cards, 5);
    const model = panel.lastModel!;
    assert.deepEqual(model.slices.map((s) => [s.id, s.walkingSkeleton]), [['R-1', true], ['R-2', false], ['', false]]);
    const where = (id: string) => {
      for (const row of model.rows) for (const [step, list] of Object.entries(row.cells)) if (list.some((c) => c.id === id)) return `${step}/${row.sliceId}`;
      return 'nowhere';
    };
    assert.deepEqual(['SM-1', 'SM-2', 'SM-3', 'SM-4', 'SM-5'].map(where), ['find-route/R-1', 'find-route/R-2', 'save-route/R-1', 'navigate/', '/']);
  });

  it('makes the next release the walking skeleton once the first one’s date has passed', async function () {
    this.timeout(30_000);
    await open();
    const skeleton = () => panel.lastModel?.slices.filter((s) => s.walkingSkeleton).map((s) => s.id);
    assert.deepEqual(skeleton(), ['R-1']);
    try {
      // R-1 is dated 2027-01-15. setClock redraws the open panel by itself.
      api.setClock('2027-01-15');
      assert.deepEqual(skeleton(), ['R-1'], 'on its day, R-1 is not over yet');
      api.setClock('2027-01-16');
      assert.deepEqual(skeleton(), ['R-2']);
    } finally {
      api.setClock(TODAY);
    }
    assert.deepEqual(skeleton(), ['R-1']);
  });

  it('moves a card to another step and slice by rewriting exactly those two lines', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'tasks', 'sm-2 - Filter-by-length.md');
    const before = await readDisk(uri);
    await panel.receive({ type: 'move', id: 'SM-2', step: 'save-route', slice: 'R-1' });
    await api.whenIdle();
    assert.equal(await readDisk(uri), stamped(before.replace('step: find-route', 'step: save-route').replace('release: R-2', 'release: R-1')));
    // Back again, and the file is as it was but for the stamp.
    await panel.receive({ type: 'move', id: 'SM-2', step: 'find-route', slice: 'R-2' });
    await api.whenIdle();
    assert.equal(await readDisk(uri), stamped(before));
  });

  it('reorders inside a cell by writing the rank only', async function () {
    this.timeout(30_000);
    await open();
    await panel.receive({ type: 'move', id: 'SM-3', step: 'save-route', slice: 'R-1' });
    const uri = fixtureUri('backlog', 'tasks', 'sm-1 - Search-by-name.md');
    const before = await readDisk(uri);
    // SM-1 and SM-3 are in different cells; in one cell, SM-1 moves below a new neighbour.
    await panel.receive({ type: 'move', id: 'SM-1', step: 'find-route', slice: 'R-1', after: 'SM-3' });
    await api.whenIdle();
    const after = await readDisk(uri);
    const changed = after.split('\n').filter((l, k) => l !== before.split('\n')[k]);
    assert.equal(changed.length, 1, after);
    assert.match(changed[0], /^rank: /);
  });

  it('adds a story in a cell as a new file with its step and release', async function () {
    this.timeout(30_000);
    await open();
    await panel.receive({ type: 'addStory', step: 'navigate', slice: 'R-2', title: 'Offline <b>compass</b>' });
    await api.whenIdle();
    const created = await waitFor('the new story in the index', () => api.index.roots()[0].items().find((i) => i.title === 'Offline <b>compass</b>'));
    assert.equal(created.step, 'navigate');
    assert.equal(created.release, 'R-2');
    assert.equal(created.type, 'story');
    assert.match(await readDisk(fixtureUri().with({ path: created.path })), /^step: navigate$/m, 'the new file is on disk');
  });

  it('adds and renames steps in storymap.yml, comments kept', async function () {
    this.timeout(30_000);
    await open();
    const uri = fixtureUri('backlog', 'storymap.yml');
    await panel.receive({ type: 'addStep', activity: 'hike', title: 'Share location' });
    await api.whenIdle();
    let text = await readDisk(uri);
    assert.ok(text.startsWith(STORYMAP.trimEnd()), text);
    assert.match(text, /title: Share location/);
    await panel.receive({ type: 'rename', kind: 'step', id: 'save-route', title: 'Save and share' });
    await api.whenIdle();
    text = await readDisk(uri);
    assert.match(text, /^ {8}title: Save and share {3}# naming is hard$/m);
    await writeDisk(uri, STORYMAP);
    await waitFor('storymap.yml read again', () => api.index.roots()[0].storyMap.activities[1].steps.length === 1);
  });

  it('refuses malformed messages and moves into a closed place, and keeps working', async function () {
    this.timeout(30_000);
    await open();
    const files = await workspaceFiles(fixtureUri());
    const model = JSON.stringify(panel.lastModel);
    for (const message of [null, [], { type: 'move', id: 'SM-4', step: '../x', slice: '' }, { type: 'move', id: 'SM-4', step: 'nope', slice: '' }, { type: 'addStory', step: '', slice: '', title: ' \n ' }, { type: 'addStory', step: 'navigate', slice: 'R-9', title: 'Ghost' }, { type: 'rename', kind: 'file', id: 'x', title: 'y' }]) {
      await panel.receive(message);
    }
    await api.whenIdle();
    assert.deepEqual(await workspaceFiles(fixtureUri()), files, 'a refused message changed the workspace');
    assert.equal(api.index.roots()[0].items().length, 5, 'no story from an empty title or an unknown release');
    assert.equal(JSON.stringify(panel.lastModel), model, 'the map changed');
    // Still working: a good move lands on disk and on the page.
    const uri = fixtureUri('backlog', 'tasks', 'sm-4 - Turn-by-turn.md');
    const before = await readDisk(uri);
    await panel.receive({ type: 'move', id: 'SM-4', step: 'navigate', slice: 'R-2' });
    await api.whenIdle();
    const after = await readDisk(uri);
    assert.match(after, /^release: R-2$/m);
    assert.equal(after.replace(/^release: R-2\n/m, ''), stamped(before), 'the move adds the release line alone, and the stamp');
    await waitFor('SM-4 in R-2 on the page', () => panel.lastModel?.rows.find((r) => r.sliceId === 'R-2')?.cells['navigate']?.some((c) => c.id === 'SM-4'));
  });

  it('opens a card in the item editor and a step in storymap.yml at its line', async function () {
    this.timeout(30_000);
    await open();
    await panel.receive({ type: 'open', ref: { kind: 'item', id: 'SM-4' } });
    await waitForItemEditor('/sm-4 - Turn-by-turn.md');
    await panel.receive({ type: 'open', ref: { kind: 'step', id: 'navigate' } });
    const editor = await waitFor('storymap.yml in an editor', () => vscode.window.activeTextEditor?.document.uri.path.endsWith('/storymap.yml') && vscode.window.activeTextEditor);
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, '      - id: navigate');
    await vscode.commands.executeCommand('workbench.action.closeEditorsInGroup');
    assert.ok(api.storyMap.current, 'the panel is still open');
  });

  it('exports the map as Markdown and HTML', async function () {
    this.timeout(30_000);
    await open();
    for (const [format, ext, expected] of [
      ['markdown', 'md', /Walking skeleton[\s\S]*SM-1[\s\S]*Search by name/],
      ['html', 'html', /<!DOCTYPE html>[\s\S]*Find a route[\s\S]*Search by name/i],
    ] as const) {
      const target = fixtureUri(`story-map-export.${ext}`);
      await vscode.commands.executeCommand('backlogAtlas.exportStoryMap', format, target);
      assert.match(await readDisk(target), expected);
      await vscode.workspace.fs.delete(target);
    }
  });

  it('opens again, drawn, after the panel was closed', async function () {
    this.timeout(60_000);
    const first = await open();
    first.dispose();
    assert.equal(api.storyMap.current, undefined, 'a closed panel is forgotten');
    await vscode.commands.executeCommand('backlogAtlas.openStoryMap');
    panel = api.storyMap.current!;
    assert.notEqual(panel, first);
    assert.equal(await panel.whenDrawn(), 5);
  });
});
