// The living demo: made for any day, its sprint under way contains that day, and its git
// history is a team's, in the past, ending in exactly the files the demo opens with.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { addDays, demoHistory, setFrontMatterLine, shiftFor, shiftText, TEMPLATE_TODAY } from '../../scripts/demo/history';
import { generateDemo, readDemoStamp, shiftedTemplate, DEMO_TEMPLATE, demoUntouched } from '../../scripts/demo/generate';

async function backlogOf(files: ReadonlyMap<string, string>) {
  const ws = new MemoryWorkspace(Object.fromEntries([...files].filter(([p]) => p.startsWith('backlog/')).map(([p, t]) => [`/demo/${p}`, t])));
  const index = new BacklogIndex(ws, { folders: ['/demo'] });
  await index.build();
  return index.roots()[0];
}

describe('the living demo', () => {
  it('moves by whole weeks, so that the template day falls in the same week as today', () => {
    assert.deepEqual(shiftFor(TEMPLATE_TODAY), { days: 0, quarters: 0 });
    assert.deepEqual(shiftFor('2026-11-27'), { days: 0, quarters: 0 });
    assert.deepEqual(shiftFor('2026-11-28'), { days: 7, quarters: 0 });
    assert.deepEqual(shiftFor('2026-11-20'), { days: -7, quarters: 0 });
    // Moved into 2027-Q1, the roadmap's quarters move one quarter on.
    assert.deepEqual(shiftFor('2027-01-09'), { days: 49, quarters: 1 });
  });

  it('shifts days and quarters in text, and nothing else', () => {
    const shift = { days: 14, quarters: 1 };
    assert.equal(shiftText("start: '2026-11-16'  # came in on 2026-10-22, horizon 2027-Q2, v2026-1", shift), "start: '2026-11-30'  # came in on 2026-11-05, horizon 2027-Q3, v2026-1");
    assert.equal(shiftText('2026-12-25 and 2026-Q4', shift), '2027-01-08 and 2027-Q1');
  });

  it('edits one front-matter line and leaves the body alone', () => {
    const text = '---\nid: BL-1\nstatus: To Do\n---\nstatus: not front matter\n';
    assert.equal(setFrontMatterLine(text, 'status', 'Done'), '---\nid: BL-1\nstatus: Done\n---\nstatus: not front matter\n');
    assert.equal(setFrontMatterLine(text, 'status', undefined), '---\nid: BL-1\n---\nstatus: not front matter\n');
    assert.equal(setFrontMatterLine(text, 'sprint', 'S-1'), '---\nid: BL-1\nstatus: To Do\nsprint: S-1\n---\nstatus: not front matter\n');
  });

  it('has a sprint under way that contains the day it is made for, on any day of any year (property)', async () => {
    const template = shiftedTemplate(DEMO_TEMPLATE, new Date(`${TEMPLATE_TODAY}T12:00:00Z`));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -800, max: 800 }), async (offset) => {
        const today = addDays(TEMPLATE_TODAY, offset);
        const files = new Map([...template].map(([p, t]) => [p, p.startsWith('backlog/') ? shiftText(t, shiftFor(today)) : t]));
        const backlog = await backlogOf(files);
        const active = backlog.sprints.filter((s) => s.state === 'active');
        assert.equal(active.length, 1);
        assert.ok(active[0].start! <= today && today <= active[0].end!, `${today} is outside ${active[0].start}..${active[0].end}`);
        // The releases still lie ahead, and the sprints before are closed.
        assert.ok(backlog.releases().every((r) => !r.date || r.date > today), 'a release is in the past');
        assert.ok(backlog.sprints.filter((s) => s.end! < today).every((s) => s.state === 'closed'));
      }),
      { numRuns: 40 },
    );
  });

  it('writes a history in the past that ends in exactly the demo files, across three closed sprints', async () => {
    const now = new Date('2027-03-10T08:15:00Z');
    const files = shiftedTemplate(DEMO_TEMPLATE, now);
    const commits = await demoHistory(files, now);
    const last = commits[commits.length - 1];
    assert.deepEqual([...last.files].sort(), [...files].sort());
    for (let i = 1; i < commits.length; i++) assert.ok(commits[i].time > commits[i - 1].time, `commit ${i} is not after the one before`);
    assert.ok(last.time <= now.getTime() / 1000, 'a commit is dated after the demo was made');
    const backlog = await backlogOf(files);
    const closed = backlog.sprints.filter((s) => s.state === 'closed');
    assert.ok(closed.length >= 3);
    assert.ok(commits[0].time * 1000 < Date.parse(closed[0].start!), 'the history starts after the first closed sprint');
    const messages = commits.map((c) => c.message).join('\n');
    for (const what of ['Plan Sprint 11', 'Start Sprint 12', 'Close Sprint 13', 'Re-estimate BL-19 from 2 to 3', 'Add BL-12.01', 'Carry BL-14 over to Sprint 14', 'Done: BL-49']) {
      assert.ok(messages.includes(what), `no commit says "${what}"`);
    }
  });

  it('makes a git repository whose working tree is clean and whose commits are dated across the sprints', async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-demo-'));
    try {
      const target = path.join(dir, 'trailhead');
      await generateDemo({ target, now: new Date('2026-12-09T10:00:00Z') });
      const git = (...args: string[]) => execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd: target, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
      assert.ok(demoUntouched(target));
      assert.deepEqual(readDemoStamp(target), { today: '2026-12-09', shiftDays: 14 });
      const days = git('log', '--format=%ad', '--date=short').trim().split('\n');
      assert.ok(days.length > 50, `${days.length} commits`);
      assert.ok(days.every((d) => d <= '2026-12-09'));
      assert.ok(new Set(days).size > 30, 'the commits are not spread over the days');
      const sprints = fs.readFileSync(path.join(target, 'backlog', 'sprints.yml'), 'utf8');
      assert.match(sprints, /start: '2026-11-30'\n\s+end: '2026-12-11'/);
      // A changed file shows as a change: the working tree is tracked.
      fs.appendFileSync(path.join(target, 'backlog', 'config.yml'), '\n');
      assert.ok(!demoUntouched(target));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
