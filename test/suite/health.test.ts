// The Backlog Health view in real VS Code: the 20/30/50 bands and the findings of a backlog
// written for it, a finding's item opening from its row, and the settings taking effect.
// Every test starts from this file's own backlog, written before it, on a clock pinned inside
// its sprint; HL-9, last updated on 2026-01-02, is stale by then (over 90 days).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { HealthNode } from '../../src/vscode/trees/healthView';
import { extensionApi, pinClock, syncBacklog, waitFor, waitForItemEditor } from './helpers';

const ready = ['estimate: 3'];
const AC = ['## Acceptance Criteria', '<!-- AC:BEGIN -->', '- [ ] #1 It works', '<!-- AC:END -->', ''];

function item(n: number, title: string, extra: string[], body: string[] = []): [string, string] {
  return [`tasks/hl-${n} - item-${n}.md`, ['---', `id: HL-${n}`, `title: '${title}'`, 'status: To Do', 'type: task', `rank: 'a${n - 1}'`, ...extra, '---', '', ...body].join('\n')];
}

const FILES: Record<string, string> = Object.fromEntries([
  ['config.yml', ['project_name: "Health"', 'task_prefix: "hl"', 'statuses: ["To Do", "Done"]', 'done_statuses: ["Done"]', ''].join('\n')],
  ['sprints.yml', ['sprints:', "  - {id: S-1, name: Sprint 1, state: active, start: '2026-11-16', end: '2026-11-27'}", ''].join('\n')],
  // The top 20% of ten items is two: HL-1 is ready, HL-2 is not.
  item(1, 'Ready one', ready, AC),
  item(2, 'Not ready yet', ['size: M']),
  item(3, 'Partly', ['size: S']),
  item(4, 'Partly too', ['estimate: 2']),
  item(5, 'Coarse in the middle', []),
  item(6, 'Big in the sprint', ['estimate: 13', 'sprint: S-1']),
  item(7, 'Same title', []),
  item(8, 'same  title.', []),
  item(9, 'Old', ["updated_date: '2026-01-02'"]),
  item(10, 'Last', []),
]);

const TODAY = '2026-11-21';

describe('the Backlog Health view', () => {
  let api: ExtensionApi;

  pinClock(TODAY);

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async function () {
    this.timeout(60_000);
    await syncBacklog(api, FILES, (b) => b.items().length === 10);
    api.health.refresh();
  });

  const label = (n: HealthNode) => String(api.health.getTreeItem(n).label);
  const description = (n: HealthNode) => String(api.health.getTreeItem(n).description ?? '');

  it('shows the 20/30/50 bands, with the top items that are not ready under the first', () => {
    const top = api.health.getChildren();
    assert.equal(label(top[0]), 'Refinement (20/30/50)');
    const bands = api.health.getChildren(top[0]);
    assert.deepEqual(bands.map(label), ['Top 20%', 'Next 30%', 'Remaining 50%']);
    assert.equal(description(bands[0]), '1 of 2 ready');
    assert.equal(description(bands[1]), '2 of 3 refined');
    assert.deepEqual(api.health.getChildren(bands[0]).map(label), ['Not ready yet']);
    // The middle band should be at least partly refined: HL-5 is coarse.
    assert.deepEqual(api.health.getChildren(bands[1]).map(label), ['Coarse in the middle']);
  });

  const findings = () => Object.fromEntries(api.health.getChildren().slice(1).map((f) => [label(f), api.health.getChildren(f).map((i) => String(api.health.getTreeItem(i).description))]));

  it('lists stale, too big and same-title items as findings', () => {
    const byTitle = findings();
    assert.deepEqual(byTitle['Too big for a sprint'], ['HL-6']);
    assert.deepEqual(byTitle['Same title'], ['HL-7', 'HL-8']);
    // Only HL-9 has a date; the others are never stale.
    assert.deepEqual(byTitle['Stale'], ['HL-9'], JSON.stringify(byTitle));
  });

  it('calls an item stale only once it is old enough on the clock', () => {
    try {
      // 44 days after HL-9's last update: not yet stale. setClock redraws the view by itself.
      api.setClock('2026-02-15');
      assert.equal(findings()['Stale'], undefined, JSON.stringify(findings()));
      // 90 days are not over 90; 91 are.
      api.setClock('2026-04-02');
      assert.equal(findings()['Stale'], undefined, JSON.stringify(findings()));
      api.setClock('2026-04-03');
      assert.deepEqual(findings()['Stale'], ['HL-9']);
    } finally {
      api.setClock(TODAY);
    }
  });

  it('opens a finding\'s item from its row', async function () {
    this.timeout(20_000);
    const finding = api.health.getChildren().find((f) => label(f) === 'Too big for a sprint')!;
    const row = api.health.getTreeItem(api.health.getChildren(finding)[0]);
    await vscode.commands.executeCommand(row.command!.command, ...(row.command!.arguments ?? []));
    await waitForItemEditor('/hl-6 - item-6.md');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('follows its settings: a larger sprint item limit clears the finding', async function () {
    this.timeout(20_000);
    const cfg = vscode.workspace.getConfiguration('backlogAtlas.health');
    assert.ok(api.health.getChildren().some((f) => label(f) === 'Too big for a sprint'), 'HL-6 (13 points) is too big for a sprint by default');
    await cfg.update('maxSprintItemPoints', 13, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the finding to go', () => !api.health.getChildren().some((f) => label(f) === 'Too big for a sprint'));
    } finally {
      await cfg.update('maxSprintItemPoints', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
