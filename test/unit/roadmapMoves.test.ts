// What a move on the roadmap writes: an epic follows its theme unless it has a horizon of its own,
// and moving it back to its theme's horizon makes it follow again.
import assert from 'node:assert/strict';
import { epicHorizon, planRoadmapMove, roadmapTheme } from '../../src/core/rules/roadmapMoves';
import { itemText, memoryBacklog } from './helpers';

const files = {
  'backlog/config.yml': 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n',
  'backlog/roadmap.yml': ['themes:', '  - {id: T-1, title: Offline maps, horizon: now}', "  - {id: T-2, title: Partner API, quarter: '2027-Q1'}", '  - {id: T-3, title: Trail reviews}', ''].join('\n'),
  // Follows T-1.
  'backlog/tasks/bl-1 - Tile-cache.md': itemText({ id: 'BL-1', title: 'Tile cache', type: 'epic', theme: 'T-1' }),
  // Planned later than its theme.
  'backlog/tasks/bl-2 - Vector-tiles.md': itemText({ id: 'BL-2', title: 'Vector tiles', type: 'epic', theme: 't-1', horizon: 'later' }),
  // No theme at all.
  'backlog/tasks/bl-3 - Sharing.md': itemText({ id: 'BL-3', title: 'Sharing', type: 'epic' }),
  'backlog/tasks/bl-4 - Story.md': itemText({ id: 'BL-4', title: 'A story', type: 'story', epic: 'BL-1' }),
  // A theme with no horizon: its epic follows it into Unscheduled.
  'backlog/tasks/bl-5 - Reviews.md': itemText({ id: 'BL-5', title: 'Reviews', type: 'epic', theme: 'T-3' }),
};

describe('roadmap moves', () => {
  it('places an epic by its own horizon, else by its theme', async () => {
    const b = (await memoryBacklog(files)).backlog();
    const at = (id: string) => {
      const epic = b.item(id)!;
      return epicHorizon(epic, epic.theme !== undefined ? roadmapTheme(b, epic.theme) : undefined);
    };
    assert.deepEqual(['BL-1', 'BL-2', 'BL-3', 'BL-5'].map(at), ['now', 'later', undefined, undefined]);
  });

  const cases: [why: string, ref: { kind: 'theme' | 'item'; id: string }, horizon: string | null, expected: { kind: string; id?: string; horizon?: string | null; message?: string }][] = [
    ['a theme moves; its following epics go with it', { kind: 'theme', id: 't-2' }, 'next', { kind: 'theme', id: 'T-2', horizon: 'next' }],
    ['a theme can be unscheduled', { kind: 'theme', id: 'T-1' }, null, { kind: 'theme', id: 'T-1', horizon: null }],
    ['an epic that follows its theme gets a horizon of its own', { kind: 'item', id: 'BL-1' }, '2027-Q2', { kind: 'epic', id: 'BL-1', horizon: '2027-Q2' }],
    ["an epic moved to its theme's horizon follows the theme again", { kind: 'item', id: 'BL-2' }, 'now', { kind: 'epic', id: 'BL-2', horizon: null }],
    ['an epic moved elsewhere keeps a horizon of its own', { kind: 'item', id: 'BL-2' }, 'next', { kind: 'epic', id: 'BL-2', horizon: 'next' }],
    ['an epic without a theme is unscheduled by removing its horizon', { kind: 'item', id: 'BL-2' }, null, { kind: 'epic', id: 'BL-2', horizon: null }],
    ['an epic without a theme gets the horizon it is moved to', { kind: 'item', id: 'BL-3' }, 'later', { kind: 'epic', id: 'BL-3', horizon: 'later' }],
    ['an epic already with its theme: nothing to write', { kind: 'item', id: 'BL-1' }, 'now', { kind: 'nothing', message: 'BL-1 is already in Now.' }],
    ['an unscheduled epic moved to Unscheduled: nothing to write', { kind: 'item', id: 'BL-3' }, null, { kind: 'nothing', message: 'BL-3 is already in Unscheduled.' }],
    ['following an unscheduled theme into Unscheduled: nothing to write', { kind: 'item', id: 'BL-5' }, null, { kind: 'nothing', message: 'BL-5 is already in Unscheduled.' }],
    ['a story does not move on the roadmap', { kind: 'item', id: 'BL-4' }, 'now', { kind: 'refuse', message: 'Only epics move on the roadmap; BL-4 is a story.' }],
    ['an item that is gone', { kind: 'item', id: 'BL-99' }, 'now', { kind: 'refuse', message: 'Only epics move on the roadmap; BL-99 is not in the backlog.' }],
    ['a theme that is gone', { kind: 'theme', id: 'T-9' }, 'now', { kind: 'refuse', message: 'T-9 is no longer in roadmap.yml.' }],
  ];
  for (const [why, ref, horizon, expected] of cases) {
    it(why, async () => {
      const b = (await memoryBacklog(files)).backlog();
      const plan = planRoadmapMove(b, ref, horizon);
      const seen =
        plan.kind === 'theme'
          ? { kind: plan.kind, id: plan.theme.id, horizon: plan.horizon }
          : plan.kind === 'epic'
            ? { kind: plan.kind, id: plan.epic.id, horizon: plan.horizon }
            : { kind: plan.kind, message: plan.message };
      assert.deepEqual(seen, expected);
    });
  }

  it('an epic moved back to its theme writes the key away, and then moves with the theme', async () => {
    const { backlog, writer, apply } = await memoryBacklog(files);
    const plan = planRoadmapMove(backlog(), { kind: 'item', id: 'BL-2' }, 'now');
    assert.ok(plan.kind === 'epic');
    const written = await writer.setField(plan.epic.id, 'horizon', plan.horizon);
    assert.ok(written.ok, written.ok ? '' : written.message);
    await apply(written.operations);
    const theme = await writer.setThemeHorizon('/ws/backlog', 'T-1', 'next');
    assert.ok(theme.ok, theme.ok ? '' : theme.message);
    await apply(theme.operations);
    const b = backlog();
    assert.equal(b.item('BL-2')!.horizon, undefined);
    assert.equal(epicHorizon(b.item('BL-2')!, roadmapTheme(b, 'T-1')), 'next');
  });
});
