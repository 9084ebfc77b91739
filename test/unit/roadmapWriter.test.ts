import assert from 'node:assert/strict';
import { itemText, memoryBacklog } from './helpers';

const R = '/ws/backlog';
const ROADMAP = `${R}/roadmap.yml`;
const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const roadmap = [
  '# Roadmap for Trailmap: reviewed every quarter',
  'vision: Every hiker finds the way home.',
  'themes:',
  '  - id: T-1 # the big one',
  '    title: Offline maps',
  '    horizon: now # agreed in October',
  '    description: Maps that work without signal.',
  '  - id: T-2',
  '    title: Partner API',
  "    quarter: '2027-Q1' # with the partners",
  '  - id: T-3',
  '    title: Trail reviews',
  '    # not scheduled yet',
  '  - {id: T-4, title: Night mode, horizon: later}',
  '',
].join('\n');
const EPIC = `${R}/tasks/bl-1 - Tile-cache.md`;

function files(): Record<string, string> {
  return {
    'backlog/config.yml': config,
    'backlog/roadmap.yml': roadmap,
    'backlog/tasks/bl-1 - Tile-cache.md': itemText({ id: 'BL-1', title: 'Tile cache', type: 'epic', theme: 'T-1', status: 'To Do', rank: 'a0' }, '## Description\nKeep me.\n'),
  };
}

/** The lines that differ, position by position, between two texts with as many lines. */
function differingLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, `same number of lines:\n${after}`);
  return a.flatMap((line, k) => (line === b[k] ? [] : [[line, b[k]] as [string, string]]));
}

describe('writing horizons', () => {
  describe('setThemeHorizon', () => {
    const moves: [name: string, theme: string, horizon: string, from: string, to: string, read: string][] = [
      ['changes only the value of horizon, keeping its comment', 'T-1', 'next', '    horizon: now # agreed in October', '    horizon: next # agreed in October', 'next'],
      ['normalises what it writes', 'T-1', ' 2027-q3 ', '    horizon: now # agreed in October', "    horizon: 2027-Q3 # agreed in October", '2027-Q3'],
      ['writes quarter: when the theme used quarter:, keeping its quotes', 'T-2', '2027-Q2', "    quarter: '2027-Q1' # with the partners", "    quarter: '2027-Q2' # with the partners", '2027-Q2'],
      ['writes a relative horizon under quarter: too', 'T-2', 'Later', "    quarter: '2027-Q1' # with the partners", "    quarter: 'later' # with the partners", 'later'],
      ['edits a flow mapping in place', 'T-4', 'now', '  - {id: T-4, title: Night mode, horizon: later}', '  - {id: T-4, title: Night mode, horizon: now}', 'now'],
      ['finds the theme by id in any case', 't-1', 'later', '    horizon: now # agreed in October', '    horizon: later # agreed in October', 'later'],
    ];
    for (const [name, theme, horizon, from, to, read] of moves) {
      it(name, async () => {
        const { writer, apply, ws, backlog } = await memoryBacklog(files());
        const r = await writer.setThemeHorizon(R, theme, horizon);
        assert.ok(r.ok, r.ok ? '' : r.message);
        assert.equal(r.operations.length, 1);
        await apply(r.operations);
        const after = ws.text(ROADMAP);
        assert.deepEqual(differingLines(roadmap, after), [[from, to]], 'exactly one line differs');
        const t = backlog().roadmap.themes.find((x) => x.id.toUpperCase() === theme.toUpperCase());
        assert.equal(t?.horizon, read);
      });
    }

    it('says where the theme went', async () => {
      const { writer } = await memoryBacklog(files());
      const r = await writer.setThemeHorizon(R, 'T-1', 'later');
      assert.ok(r.ok);
      assert.match(r.summary, /Offline maps moved to Later/);
    });

    it('adds a horizon to a theme without one, and removing it gives the original bytes back', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files());
      const add = await writer.setThemeHorizon(R, 'T-3', '2027-Q4');
      assert.ok(add.ok, add.ok ? '' : add.message);
      await apply(add.operations);
      const added = ws.text(ROADMAP);
      assert.equal(added.split('\n').length, roadmap.split('\n').length + 1, 'one line added');
      const extra = added.split('\n').filter((l) => !roadmap.split('\n').includes(l));
      assert.deepEqual(extra, ['    horizon: 2027-Q4']);
      assert.ok(added.includes('# Roadmap for Trailmap: reviewed every quarter') && added.includes('    # not scheduled yet'), 'comments kept');
      assert.equal(backlog().roadmap.themes.find((t) => t.id === 'T-3')?.horizon, '2027-Q4');
      assert.equal(backlog().roadmap.themes.find((t) => t.id === 'T-3')?.horizonKey, 'horizon');

      const remove = await writer.setThemeHorizon(R, 'T-3', null);
      assert.ok(remove.ok, remove.ok ? '' : remove.message);
      assert.match(remove.summary, /Trail reviews is unscheduled/);
      await apply(remove.operations);
      assert.equal(ws.text(ROADMAP), roadmap, 'byte for byte');
      assert.equal(backlog().roadmap.themes.find((t) => t.id === 'T-3')?.horizon, undefined);
    });

    it('unschedules a theme by removing its key, and nothing else', async () => {
      const { writer, apply, ws } = await memoryBacklog(files());
      const r = await writer.setThemeHorizon(R, 'T-2', null);
      assert.ok(r.ok, r.ok ? '' : r.message);
      await apply(r.operations);
      assert.equal(ws.text(ROADMAP), roadmap.replace("    quarter: '2027-Q1' # with the partners\n", ''));
    });

    it('unschedules a theme whose horizon did not parse by removing the bad value', async () => {
      const bad = { ...files(), 'backlog/roadmap.yml': roadmap.replace('horizon: now # agreed in October', 'horizon: soon # agreed in October') };
      const { writer, apply, ws } = await memoryBacklog(bad);
      const r = await writer.setThemeHorizon(R, 'T-1', null);
      assert.ok(r.ok, r.ok ? '' : r.message);
      assert.equal(r.operations.length, 1, 'the bad value is a change to make');
      await apply(r.operations);
      assert.doesNotMatch(ws.text(ROADMAP), /soon/);
    });

    it('writes nothing when the theme is already there', async () => {
      const { writer } = await memoryBacklog(files());
      for (const [theme, horizon] of [['T-1', 'NOW'], ['T-2', '2027-q1'], ['T-3', null]] as const) {
        const r = await writer.setThemeHorizon(R, theme, horizon);
        assert.ok(r.ok, theme);
        assert.deepEqual(r.operations, [], theme);
      }
    });

    const refusals: [name: string, root: string, theme: string, horizon: string, message: RegExp][] = [
      ['an unknown theme', R, 'T-99', 'now', /No theme or initiative T-99/],
      ['a horizon like soon', R, 'T-1', 'soon', /now, next, later or a quarter.*"soon"/],
      ['a fifth quarter', R, 'T-1', '2027-Q5', /"2027-Q5"/],
      ['an empty horizon', R, 'T-1', '', /now, next, later or a quarter/],
      ['a backlog that is not there', '/ws/elsewhere', 'T-1', 'now', /No backlog/],
    ];
    for (const [name, root, theme, horizon, message] of refusals) {
      it(`refuses ${name} and writes nothing`, async () => {
        const { writer, ws } = await memoryBacklog(files());
        const r = await writer.setThemeHorizon(root, theme, horizon);
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, message);
        assert.equal(ws.text(ROADMAP), roadmap);
      });
    }

    it('refuses when roadmap.yml changed since it was read', async () => {
      const { writer, ws } = await memoryBacklog(files());
      ws.write(ROADMAP, roadmap.replace('horizon: now', 'horizon: new'));
      const r = await writer.setThemeHorizon(R, 'T-1', 'later');
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /changed since it was read/);
    });
  });

  describe("an item's horizon", () => {
    const accepted: [value: string, line: string, read: string][] = [
      ['Later', 'horizon: later', 'later'],
      ['NOW', 'horizon: now', 'now'],
      ['2027-q2', 'horizon: 2027-Q2', '2027-Q2'],
    ];
    for (const [value, line, read] of accepted) {
      it(`setField(epic, 'horizon', '${value}') writes ${line}`, async () => {
        const { writer, apply, ws, backlog } = await memoryBacklog(files());
        const before = ws.text(EPIC);
        const r = await writer.setField('BL-1', 'horizon', value);
        assert.ok(r.ok, r.ok ? '' : r.message);
        await apply(r.operations);
        const after = ws.text(EPIC);
        assert.equal(after.split('\n').filter((l) => !before.split('\n').includes(l)).join('\n'), `${line}\nupdated_date: '2026-11-21 09:30'`);
        assert.ok(after.endsWith('---\n## Description\nKeep me.\n'), 'body kept');
        assert.equal(backlog().item('BL-1')?.horizon, read);
        assert.deepEqual(backlog().files.get(EPIC)?.diagnostics, []);
      });
    }

    it('removes the horizon with null, giving the original file back but for the stamp', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files());
      const before = ws.text(EPIC);
      const set = await writer.setField('BL-1', 'horizon', 'next');
      assert.ok(set.ok);
      await apply(set.operations);
      const clear = await writer.setField('BL-1', 'horizon', null);
      assert.ok(clear.ok);
      await apply(clear.operations);
      assert.equal(ws.text(EPIC), before.replace('\n---\n## Description', "\nupdated_date: '2026-11-21 09:30'\n---\n## Description"));
      assert.equal(backlog().item('BL-1')?.horizon, undefined);
    });

    for (const bad of ['soon', '2027-Q5', 'Q1 2027', '']) {
      it(`refuses setField(epic, 'horizon', ${JSON.stringify(bad)}) and writes nothing`, async () => {
        const { writer, ws } = await memoryBacklog(files());
        const before = ws.text(EPIC);
        const r = await writer.setField('BL-1', 'horizon', bad);
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, /Horizon should be now, next, later or a quarter like 2027-Q2/);
        assert.equal(ws.text(EPIC), before);
      });
    }

    it('reads horizon: soon in an item as a bad-horizon warning, the item still indexed', async () => {
      const path = `${R}/tasks/bl-2 - Soon.md`;
      const { index, backlog } = await memoryBacklog({ ...files(), 'backlog/tasks/bl-2 - Soon.md': itemText({ id: 'BL-2', title: 'Soon', type: 'epic', horizon: 'soon' }) });
      const item = backlog().item('BL-2');
      assert.ok(item, 'still indexed');
      assert.equal(item.horizon, undefined);
      const diags = index.diagnostics().get(path) ?? [];
      const d = diags.find((x) => x.code === 'bad-horizon');
      assert.ok(d, JSON.stringify(diags));
      assert.equal(d.severity, 'warning');
      assert.match(d.message, /"soon"/);
    });

    it('reads Now and 2027-q1 in an item as now and 2027-Q1, without a warning', async () => {
      const { index, backlog } = await memoryBacklog({
        ...files(),
        'backlog/tasks/bl-2 - A.md': itemText({ id: 'BL-2', title: 'A', type: 'epic', horizon: 'Now' }),
        'backlog/tasks/bl-3 - B.md': itemText({ id: 'BL-3', title: 'B', type: 'epic', horizon: '2027-q1' }),
      });
      assert.equal(backlog().item('BL-2')?.horizon, 'now');
      assert.equal(backlog().item('BL-3')?.horizon, '2027-Q1');
      assert.deepEqual([...index.diagnostics().values()].flat().filter((d) => d.code === 'bad-horizon'), []);
    });
  });
});
