import * as assert from 'assert';
import { daysUntil, describeFilter, groupItems, matchesFilter, sprintDescription, sprintOrder, sprintSummary } from '../../src/views/trees/backlogViewModel';
import { memoryBacklog, PLANNING_FILES } from './helpers';

const files = PLANNING_FILES;

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
