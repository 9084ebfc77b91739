// `backlog-atlas report`: the Reports panel's figures on the command line, from the same models.
import * as assert from 'assert';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { clockFromSetting } from '../../src/core/clock';
import { timelineOf } from '../../src/core/history/history';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { releaseChart } from '../../src/views/reports/reportCharts';
import { releaseBurn, velocityReport } from '../../src/views/reports/reports';
import { NodeWorkspace } from '../../src/cli/nodeWorkspace';

const demo = path.resolve(__dirname, '../../examples/demo');
/** The day the demo template is anchored on: Sprint 14 is under way. */
const DEMO_DAY = '2026-11-21';

async function run(args: string[], cwd = demo, day = DEMO_DAY) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) }, clockFromSetting(day).clock);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

interface VelocityJson {
  unit: string;
  sprints: { id: string; name: string; start: string; end: string; state: string; committed: number; completed: number }[];
  average: number | null;
  averageOver: string[];
}

describe('backlog-atlas report', () => {
  it('prints velocity as JSON: each sprint committed and completed, and the average', async () => {
    const r = await run(['report', 'velocity', '--json']);
    assert.equal(r.code, 0, r.err);
    const v = JSON.parse(r.out) as VelocityJson;
    assert.equal(v.unit, 'points');
    assert.deepEqual(
      v.sprints.map((s) => s.id),
      ['S-11', 'S-12', 'S-13', 'S-14'],
    );
    for (const s of v.sprints) {
      assert.ok(Number.isFinite(s.committed) && Number.isFinite(s.completed), JSON.stringify(s));
      assert.ok(s.name.startsWith('Sprint '));
    }
    // The average is over the last closed sprints, and is their mean.
    const over = v.sprints.filter((s) => v.averageOver.includes(s.id));
    assert.deepEqual(v.averageOver, ['S-11', 'S-12', 'S-13']);
    assert.equal(v.average, Math.round((over.reduce((a, s) => a + s.completed, 0) / over.length) * 100) / 100);
  });

  it('gives the same figures as the Reports panel’s model over the files', async () => {
    const index = new BacklogIndex(new NodeWorkspace(), { folders: [demo] });
    await index.build();
    const backlog = index.roots()[0];
    const timeline = timelineOf(backlog, undefined, DEMO_DAY);
    const model = velocityReport(backlog, timeline, { today: DEMO_DAY, unit: 'points', hasHistory: false });
    const v = JSON.parse((await run(['report', 'velocity', '--json'])).out) as VelocityJson;
    assert.deepEqual(
      v.sprints.map((s) => [s.id, s.committed, s.completed]),
      model.sprints.map((s) => [s.sprintId, s.committed, s.completed]),
    );
    assert.equal(v.average, model.average);
  });

  it('agrees with the points `list --all --json` gives each closed sprint’s done items', async () => {
    const v = JSON.parse((await run(['report', 'velocity', '--json'])).out) as VelocityJson;
    const items = JSON.parse((await run(['list', '--all', '--json'])).out) as { sprint?: string; done: boolean; points: number }[];
    const done = new Map<string, number>();
    for (const i of items) if (i.done && i.sprint) done.set(i.sprint, (done.get(i.sprint) ?? 0) + i.points);
    for (const s of v.sprints) assert.equal(s.completed, done.get(s.id) ?? 0, `${s.id}: report says ${s.completed}, list's done items weigh ${done.get(s.id)}`);
  });

  it('counts items instead of points with --items', async () => {
    const points = JSON.parse((await run(['report', 'velocity', '--json'])).out) as VelocityJson;
    const items = JSON.parse((await run(['report', 'velocity', '--json', '--items'])).out) as VelocityJson;
    assert.equal(items.unit, 'items');
    for (const s of items.sprints) assert.ok(Number.isInteger(s.completed) && Number.isInteger(s.committed), JSON.stringify(s));
    assert.notDeepEqual(
      items.sprints.map((s) => s.completed),
      points.sprints.map((s) => s.completed),
    );
  });

  it('prints CSV that a spreadsheet reads: a header, then one row per sprint', async () => {
    const r = await run(['report', 'velocity', '--csv']);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.split('\r\n');
    assert.equal(rows[0], 'sprint,start,end,state,committed,completed');
    assert.equal(rows.length, 5);
    assert.match(rows[1], /^Sprint 11,2026-10-05,2026-10-16,closed,\d+,\d+$/);
  });

  it('prints the active sprint’s burndown, or the sprint named', async () => {
    const active = await run(['report', 'burndown', '--json']);
    assert.equal(active.code, 0, active.err);
    const b = JSON.parse(active.out) as { sprintId: string; days: { date: string; remaining: number | null }[]; committed: number };
    assert.equal(b.sprintId, 'S-14');
    assert.equal(b.days[0].remaining, b.committed, 'the first day starts at the commitment');
    assert.ok(b.days.some((d) => d.date > DEMO_DAY && d.remaining === null), 'days after today are not drawn');

    const named = await run(['report', 'burndown', '--sprint', 'S-12']);
    assert.equal(named.code, 0, named.err);
    assert.match(named.out.split('\n')[0], /^Sprint 12 \(S-12\), 2026-10-19\.\.2026-10-30, closed/);

    // The days' +1 come with their items, and a change the files cannot date says so, as the note promises.
    const text = (await run(['report', 'burndown'])).out.split('\n');
    const from = text.indexOf('Scope changes since the start:');
    assert.ok(from > 0, text.join('\n'));
    const json = b as unknown as { changes: { id: string; dateKnown: boolean; date: string }[] };
    assert.equal(text.slice(from + 1).filter((l) => l.startsWith('  ')).length, json.changes.length);
    for (const c of json.changes) assert.ok(text.some((l) => l.includes(c.id) && l.startsWith(c.dateKnown ? `  ${c.date}` : `  date unknown (known from ${c.date})`)), c.id);

    const missing = await run(['report', 'burndown', '--sprint=S-99']);
    assert.equal(missing.code, 1);
    assert.equal(missing.err, 'There is no sprint S-99 in sprints.yml.');
  });

  it('says the release forecast in the words the chart uses, sprint for sprint', async () => {
    const r = await run(['report', 'release', '--release', 'R-1']);
    assert.equal(r.code, 0, r.err);
    const [, forecast] = r.out.split('\n');
    const json = JSON.parse((await run(['report', 'release', '--release', 'R-1', '--json'])).out) as Parameters<typeof releaseChart>[0] & { forecast: string };
    assert.equal(forecast, json.forecast);
    // The chart draws one slot per sprint after the one under way; the text names them all.
    const chart = releaseChart(json, 'burnup');
    assert.ok(chart.description.endsWith(forecast), `${chart.description} / ${forecast}`);
    const slots = chart.marks.filter((m) => m.kind === 'text' && /^\+\d+$/.test(m.text)).length;
    const sprints = Number(/(\d+) more sprints?/.exec(forecast)?.[1]);
    const underWay = json.columns[json.columns.length - 1]?.state === 'active';
    assert.equal(slots, sprints - (underWay ? 1 : 0), forecast);
  });

  it('covers every sprint that held the release’s work, from the files alone', async () => {
    const index = new BacklogIndex(new NodeWorkspace(), { folders: [demo] });
    await index.build();
    const backlog = index.roots()[0];
    const r = releaseBurn(backlog, 'R-1', timelineOf(backlog, undefined, DEMO_DAY), { today: DEMO_DAY, unit: 'points', hasHistory: false });
    assert.ok(!('empty' in r));
    assert.deepEqual(
      r.columns.map((c) => c.sprintId),
      ['S-11', 'S-12', 'S-13', 'S-14'],
    );
  });

  it('refuses what it cannot answer, saying why', async () => {
    assert.equal((await run(['report', 'cycle-time'])).code, 2);
    assert.equal((await run(['report', 'velocity', '--json', '--csv'])).code, 2);
    assert.match((await run(['report', 'release', '--release', 'nope'])).err, /There is no release nope/);
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-report-'));
    try {
      const none = await run(['report', 'velocity'], empty);
      assert.equal(none.code, 1);
      assert.match(none.err, /No backlog/);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('names the backlogs when there are several, instead of mixing their figures', async () => {
    const two = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-report-'));
    try {
      for (const name of ['a', 'b']) await fs.cp(path.join(demo, 'backlog'), path.join(two, name, 'backlog'), { recursive: true });
      const r = await run(['report', 'velocity', path.join(two, 'a'), path.join(two, 'b')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /2 backlogs found/);
      const one = await run(['report', 'velocity', '--json', path.join(two, 'a')]);
      assert.equal(one.code, 0, one.err);
    } finally {
      await fs.rm(two, { recursive: true, force: true });
    }
  });
});
