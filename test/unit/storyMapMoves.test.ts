// What a drop on the story map writes: only the fields that change, and refusals that say why.
import assert from 'node:assert/strict';
import { SliceBy, storyMapDrop } from '../../src/core/rules/storyMapDrops';
import type { SliceBy as PageSliceBy } from '../../src/protocol/storyMapProtocol';
import { itemText, memoryBacklog } from './helpers';

const files = {
  'backlog/config.yml': 'project_name: "Map"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n',
  'backlog/storymap.yml': 'activities:\n  - id: plan\n    title: Plan\n    steps:\n      - {id: find, title: Find}\n      - {id: save, title: Save}\n',
  'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n  - {id: R-2, name: Two, date: '2027-03-01'}\n",
  'backlog/milestones/m-1 - beta.md': "---\nid: m-1\ntitle: Beta\ndue_date: '2026-12-15'\n---\n",
  'backlog/sprints.yml': "sprints:\n  - {id: S-1, name: Sprint 1, state: closed}\n  - {id: S-2, name: Sprint 2, state: active}\n",
  'backlog/tasks/bl-1 - a.md': itemText({ id: 'BL-1', title: 'A', type: 'story', status: 'To Do', step: 'find', release: 'R-1', sprint: 'S-2' }),
  'backlog/tasks/bl-2 - b.md': itemText({ id: 'BL-2', title: 'B', type: 'story', status: 'To Do', milestone: 'm-1' }),
  'backlog/tasks/bl-3 - c.md': itemText({ id: 'BL-3', title: 'C', type: 'story', status: 'To Do', step: 'gone' }),
};

describe('story map drops', () => {
  const cases: [name: string, id: string, step: string, slice: string, by: SliceBy, expected: ReturnType<typeof storyMapDrop>][] = [
    ['another step and release: both fields', 'BL-1', 'save', 'R-2', 'release', { kind: 'set', fields: { step: 'save', release: 'R-2' } }],
    ['another release only: the release line only', 'BL-1', 'find', 'R-2', 'release', { kind: 'set', fields: { release: 'R-2' } }],
    ['the same cell: nothing', 'BL-1', 'find', 'R-1', 'release', { kind: 'set', fields: {} }],
    ['step ids match in any case', 'BL-1', 'FIND', 'R-1', 'release', { kind: 'set', fields: {} }],
    ['Unmapped and Unplanned: step and release removed', 'BL-1', '', '', 'release', { kind: 'set', fields: { step: null, release: null } }],
    ['a Backlog.md milestone release is written as milestone', 'BL-1', 'find', 'm-1', 'release', { kind: 'set', fields: { milestone: 'm-1', release: null } }],
    ['out of a milestone into a release clears the milestone', 'BL-2', 'find', 'R-1', 'release', { kind: 'set', fields: { step: 'find', release: 'R-1', milestone: null } }],
    ['Unplanned clears a milestone too', 'BL-2', '', '', 'release', { kind: 'set', fields: { milestone: null } }],
    ['an unknown step on file is replaced', 'BL-3', 'save', '', 'release', { kind: 'set', fields: { step: 'save' } }],
    ['an unknown step on file is removed for Unmapped', 'BL-3', '', '', 'release', { kind: 'set', fields: { step: null } }],
    ['by sprint: the sprint line', 'BL-2', 'find', 'S-2', 'sprint', { kind: 'set', fields: { step: 'find', sprint: 'S-2' } }],
    ['by sprint, Unplanned: the sprint removed', 'BL-1', 'find', '', 'sprint', { kind: 'set', fields: { sprint: null } }],
    ['a closed sprint takes no new story', 'BL-2', 'find', 'S-1', 'sprint', { kind: 'refuse', message: 'Sprint 1 is closed; plan the story into an active or planned sprint.' }],
    ['an unknown step is refused', 'BL-1', 'nope', 'R-1', 'release', { kind: 'refuse', message: 'No step nope in storymap.yml.' }],
    ['an unknown release is refused', 'BL-1', 'find', 'R-9', 'release', { kind: 'refuse', message: 'No release R-9 in releases.yml or milestones/.' }],
    ['an unknown sprint is refused', 'BL-1', 'find', 'S-9', 'sprint', { kind: 'refuse', message: 'No sprint S-9 in sprints.yml.' }],
  ];
  for (const [name, id, step, slice, by, expected] of cases) {
    it(name, async () => {
      const { backlog } = await memoryBacklog(files);
      const b = backlog();
      assert.deepEqual(storyMapDrop(b, b.item(id)!, step, slice, by), expected);
    });
  }

  it('a drop written by the writer changes exactly those lines', async () => {
    const { backlog, writer, apply, ws } = await memoryBacklog(files);
    const b = backlog();
    const before = ws.text('/ws/backlog/tasks/bl-1 - a.md');
    const drop = storyMapDrop(b, b.item('BL-1')!, 'save', 'R-2', 'release');
    assert.equal(drop.kind, 'set');
    const r = await writer.moveItems(['BL-1'], {}, drop.kind === 'set' ? drop.fields : {});
    assert.ok(r.ok, r.ok ? '' : r.message);
    await apply(r.operations);
    assert.equal(ws.text('/ws/backlog/tasks/bl-1 - a.md'), `${before.replace('step: find', 'step: save').replace('release: R-1', 'release: R-2').replace(/\n---\n/, "\nupdated_date: '2026-11-21 09:30'\n---\n")}`);
  });

  it('slices by the same choices as the page offers', () => {
    // The core and the protocol each spell the union (neither imports the other); a choice added
    // to one alone would let the page ask for a slicing the rule does not know, or the reverse.
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const same: Same<SliceBy, PageSliceBy> = true;
    assert.equal(same, true);
  });
});
