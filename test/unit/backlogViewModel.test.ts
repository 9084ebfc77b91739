import * as assert from 'assert';
import { daysUntil, describeFilter, groupItems, matchesFilter, sprintDescription, sprintOrder, sprintSummary } from '../../src/views/trees/backlogViewModel';
import { itemText, memoryBacklog } from './helpers';

const files = {
  'backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/sprints.yml': [
    'sprints:',
    "  - {id: S-1, name: Sprint 1, state: closed}",
    "  - {id: S-2, name: Sprint 2, state: active, capacity: 5, end: '2026-11-25'}",
    "  - {id: S-3, name: Sprint 3, state: planned, start: '2026-11-30'}",
    '',
  ].join('\n'),
  'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n",
  'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
  'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'Epic A', type: 'epic', rank: 'a0' }),
  'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', type: 'story', epic: 'BL-1', estimate: 3, sprint: 'S-2', rank: 'a1', status: 'Done' }),
  'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', type: 'bug', size: 'S', sprint: 'S-2', rank: 'a2', labels: '[ui]' }),
  'backlog/tasks/bl-4 - D.md': itemText({ id: 'BL-4', title: 'Offline D', type: 'story', rank: 'a3', milestone: 'm-1' }),
  'backlog/tasks/bl-5 - E.md': itemText({ id: 'BL-5', title: 'E', type: 'opportunity', rank: 'a4' }),
};

describe('backlog view model', () => {
  it('orders sprints active, planned, then closed, and summarises points and days', async () => {
    const { backlog } = await memoryBacklog(files);
    const b = backlog();
    assert.deepStrictEqual(sprintOrder(b.sprints).map((s) => s.id), ['S-2', 'S-3', 'S-1']);
    const today = new Date(2026, 10, 21);
    const s2 = sprintSummary(b, b.sprint('S-2')!, today);
    // 3 (done) + S (2) = 5 of a capacity of 5: not over.
    assert.strictEqual(sprintDescription(s2), '3/5 pts of 5 · 4d left');
    assert.strictEqual(s2.overCapacity, false);
    assert.strictEqual(sprintDescription(sprintSummary(b, b.sprint('S-3')!, today)), '0/0 pts · starts in 9d');
    assert.strictEqual(daysUntil('2026-11-21', today), 0);
    assert.strictEqual(daysUntil('nonsense', today), undefined);
  });

  it('filters and groups the product backlog', async () => {
    const { backlog } = await memoryBacklog(files);
    const b = backlog();
    const product = b.productBacklog();
    assert.deepStrictEqual(product.filter((i) => matchesFilter(i, { text: 'offline' })).map((i) => i.id), ['BL-4']);
    assert.deepStrictEqual(product.filter((i) => matchesFilter(i, { label: 'UI' })).map((i) => i.id), ['BL-3']);
    assert.strictEqual(describeFilter({ text: 'x', assignee: '@jo' }), '"x" · @jo');
    assert.deepStrictEqual(groupItems(b, product, 'type').map((g) => [g.label, g.items.map((i) => i.id)]), [['epic', ['BL-1']], ['story', ['BL-4']], ['bug', ['BL-3']]]);
  });
});
