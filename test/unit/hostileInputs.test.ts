// The smaller hostile inputs (issue 16): each class of input, with the rule that now holds for it.
import * as assert from 'assert';
import fc from 'fast-check';
import { execFileSync } from 'child_process';
import * as fs_ from 'fs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jsonText, parseArgs, runCli } from '../../src/cli/cli';
import { forTerminal } from '../../src/cli/terminal';
import { findRipgrep, scanTodos } from '../../src/cli/todoScan';
import { Backlog } from '../../src/core/backlog';
import { parseClockSpec } from '../../src/core/clock';
import { dayNumber, dayOf, formatDayNumber, isDay, parseDate } from '../../src/core/dates';
import { defaultConfig, parseAtlasSettings, parseConfig } from '../../src/core/format/config';
import { conflictMarkers } from '../../src/core/format/conflicts';
import { gitLogArgs, parseGitLog } from '../../src/core/history/gitHistory';
import { idKey } from '../../src/core/naming';
import { Item, Release, Sprint } from '../../src/core/types';
import { parseItemFile } from '../../src/core/format/itemFile';
import { parseReleases, parseSprints } from '../../src/core/format/plans';
import { parseRgLine } from '../../src/core/todo/ripgrep';
import { commentSyntaxFor, TodoMatcher, todosInText, todosOnLines } from '../../src/core/todo/todo';
import { addRefEdit, removeRefEdit } from '../../src/core/todo/todoEditText';
import { dayLabel } from '../../src/views/reports/reportCharts';
import { daysUntil } from '../../src/views/trees/backlogViewModel';
import { linkTodoEdit } from '../../src/views/trees/techDebtModel';
import { itemText, memoryBacklog } from './helpers';
import { tempDir } from './tempDir';

const enc = (s: string) => new TextEncoder().encode(s);
const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };

/** Runs the CLI in `cwd`, collecting what it prints. */
export async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n'), outLines: out, errLines: err };
}

/** A temporary folder holding `files` (relative paths), removed after the test. */
export async function tempFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir('atlas-hostile-');
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Names Object.prototype holds: as plain-object keys they read as something before they are set. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('names that Object.prototype also has', () => {
  it('are counted like any other status, type and label by stats', async () => {
    const config = `statuses: [${PROTO_NAMES.map((n) => `'${n}'`).join(', ')}]\ntypes: [${PROTO_NAMES.map((n) => `'${n}'`).join(', ')}]\n`;
    const files: Record<string, string> = { 'backlog/config.yml': config };
    PROTO_NAMES.forEach((name, k) => {
      for (let n = 0; n <= k; n++) {
        const id = `TASK-${k * 10 + n + 1}`;
        files[`backlog/tasks/${id.toLowerCase()}.md`] = itemText({ id, title: `'${name} ${n}'`, status: `'${name}'`, type: `'${name}'`, labels: `['${name}']` });
      }
    });
    const dir = await tempFolder(files);
    const r = await cli(['stats', '--json'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const [stats] = JSON.parse(r.out) as { byStatus: Record<string, number>; byType: Record<string, number>; items: number }[];
    const want = Object.fromEntries(PROTO_NAMES.map((name, k) => [name, k + 1]));
    // JSON.parse defines `__proto__` as an own key, as the CLI printed it.
    assert.deepStrictEqual(Object.fromEntries(Object.entries(stats.byStatus)), want);
    // Types are compared in lower case.
    assert.deepStrictEqual(Object.fromEntries(Object.entries(stats.byType)), Object.fromEntries(PROTO_NAMES.map((name, k) => [name.toLowerCase(), k + 1])));
    assert.strictEqual(stats.items, 15);
  });

  it('count exactly, whatever mix of statuses the items have (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PROTO_NAMES, 'To Do', 'Done'), { minLength: 1, maxLength: 12 }), async (statuses) => {
        const files: Record<string, string> = { 'backlog/config.yml': `statuses: [${[...new Set([...PROTO_NAMES, 'To Do', 'Done'])].map((s) => `'${s}'`).join(', ')}]\n` };
        statuses.forEach((s, k) => (files[`backlog/tasks/task-${k + 1}.md`] = itemText({ id: `TASK-${k + 1}`, title: 'T', status: `'${s}'` })));
        const dir = await tempFolder(files);
        try {
          const [stats] = JSON.parse((await cli(['stats', '--json'], dir)).out) as { byStatus: Record<string, number> }[];
          const want = new Map<string, number>();
          for (const s of statuses) want.set(s, (want.get(s) ?? 0) + 1);
          assert.deepStrictEqual(new Map(Object.entries(stats.byStatus)), want);
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  });

  it('are no comment syntax as file extensions or names', () => {
    for (const name of PROTO_NAMES) {
      assert.strictEqual(commentSyntaxFor(`src/a.${name}`), undefined, name);
      assert.strictEqual(commentSyntaxFor(`src/${name}`), undefined, name);
    }
    assert.ok(commentSyntaxFor('src/a.ts'));
  });

  it('are front-matter keys that read, point to their line and write back', async () => {
    const b = await memoryBacklog({ 'backlog/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A', status: 'To Do', sprint: 'S-9', updated_date: "'2026-01-01 10:00'" }) });
    let item = b.backlog().item('TASK-1')!;
    for (const name of PROTO_NAMES) assert.strictEqual(item.fieldLines[name], undefined, `no line for an absent ${name}`);
    for (const name of PROTO_NAMES) {
      const r = await b.writer.setField('TASK-1', name, `v-${name}`);
      assert.ok(r.ok, r.ok ? '' : r.message);
      await b.apply(r.operations);
    }
    item = b.backlog().item('TASK-1')!;
    PROTO_NAMES.forEach((name, k) => {
      assert.ok(Object.hasOwn(item.fields, name), name);
      assert.strictEqual(item.fields[name], `v-${name}`);
      assert.strictEqual(item.fieldLines[name], 6 + k);
    });
    // The unknown sprint is still reported on the sprint's line.
    const unknown = b.backlog().crossFileDiagnostics().find((d) => d.code === 'unknown-sprint');
    assert.strictEqual(unknown?.line, 4);
  });
});

describe('dates that no calendar has', () => {
  const daysIn = (y: number, m: number) => [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  const text = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

  it('are refused by the one check, and real ones read back as written (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const iso = text(y, m, d);
        const real = m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
        assert.strictEqual(dayNumber(iso) !== undefined, real, iso);
        assert.strictEqual(isDay(iso), real, iso);
        assert.strictEqual(parseDate(`${iso} 09:30`) !== undefined, real, iso);
        if (real) {
          assert.strictEqual(formatDayNumber(dayNumber(iso)!), iso);
          assert.strictEqual(dayOf(`${iso} 23:59`), iso);
        }
        // Every view reads the same days: a date that is not one shows as no date.
        assert.strictEqual(daysUntil(iso, new Date(Date.UTC(2026, 10, 21))) !== undefined, real, iso);
        if (!real) assert.strictEqual(dayLabel(iso), iso);
      }),
      { numRuns: 2000 },
    );
    assert.strictEqual(dayNumber('1970-01-02'), 1);
    assert.strictEqual(dayNumber('0050-03-01')! < dayNumber('1900-01-01')!, true, 'years below 100 are not 19xx');
  });

  it('give the day a text starts with as its number gives it back (property)', () => {
    const dateish = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => text(y, m, d));
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), fc.oneof(dateish, fc.string({ maxLength: 12 })), fc.string({ maxLength: 8 }), (before, date, after) => {
        const t = `${before}${date}${after}`;
        const n = dayNumber(t);
        assert.strictEqual(dayOf(t), n === undefined ? undefined : formatDayNumber(n), JSON.stringify(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('are consecutive days: a day number and the next are a day apart (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber('0000-01-01')!, max: dayNumber('9999-12-30')! }), (n) => {
        const a = formatDayNumber(n);
        const b = formatDayNumber(n + 1);
        assert.ok(a < b, `${a} < ${b}`);
        assert.strictEqual(dayNumber(b)! - dayNumber(a)!, 1);
      }),
    );
  });

  it('get a diagnostic at the value in plan files and item files', () => {
    const sprints = parseSprints('/ws/backlog/sprints.yml', enc('sprints:\n  - id: S-1\n    start: 2024-02-30\n    end: 2024-13-01\n  - id: S-2\n    start: 2024-02-29\n'));
    const bad = sprints.diagnostics.filter((d) => d.code === 'bad-date');
    assert.deepStrictEqual(bad.map((d) => [d.line, d.column, d.severity]), [[2, 11, 'error'], [3, 9, 'error']]);
    assert.match(bad[0].message, /2024-02-30, a day no calendar has/);
    assert.strictEqual(sprints.value[0].start, undefined);
    assert.strictEqual(sprints.value[1].start, '2024-02-29', 'a leap day is a day');
    const releases = parseReleases('/ws/backlog/releases.yml', enc('releases:\n  - {id: R-1, date: 2023-02-29}\n'));
    assert.deepStrictEqual(releases.diagnostics.map((d) => [d.code, d.line, d.column]), [['bad-date', 1, 20]]);
    const item = parseItemFile('/ws/backlog/tasks/t.md', enc("---\nid: BL-1\ntitle: A\ncreated_date: '2024-13-01 10:00'\ncompleted_date: 2024-04-31\nupdated_date: '2024-04-30 23:59'\n---\n"), ctx);
    assert.deepStrictEqual(item.diagnostics.map((d) => [d.code, d.line, d.column, d.severity]), [['bad-date', 3, 14, 'warning'], ['bad-date', 4, 16, 'warning']]);
    assert.strictEqual(item.item?.createdDate, undefined);
    assert.strictEqual(item.item?.completedDate, undefined);
    assert.strictEqual(item.item?.updatedDate, '2024-04-30 23:59');
  });

  it('are refused by the clock and by New Sprint and New Release', async () => {
    assert.ok(parseClockSpec('2026-02-30') instanceof Error);
    assert.ok(parseClockSpec('2026-02-28T24:00Z') instanceof Error);
    const b = await memoryBacklog({ 'backlog/config.yml': 'project_name: X\n' });
    const sprint = await b.writer.createSprint('/ws/backlog', { name: 'S', start: '2026-02-30' });
    assert.ok(!sprint.ok && /2026-02-30/.test(sprint.message));
    const release = await b.writer.createRelease('/ws/backlog', { name: 'R', date: '2026-13-01' });
    assert.ok(!release.ok && /2026-13-01/.test(release.message));
  });
});

describe('numbers JSON has no word for', () => {
  for (const written of ['1e999', '.inf', '-.inf', '.nan', '.NaN']) {
    it(`refuses estimate: ${written} when read, at the value`, () => {
      const r = parseItemFile('/ws/backlog/tasks/t.md', enc(`---\nid: BL-1\ntitle: A\nestimate: ${written}\n---\n`), ctx);
      assert.strictEqual(r.item?.estimate, undefined);
      assert.deepStrictEqual(r.diagnostics.map((d) => [d.code, d.line, d.column, d.severity]), [['not-finite', 3, 10, 'error']]);
      assert.match(r.diagnostics[0].message, new RegExp(`is ${written.replace('.', '\\.')}, which is not a finite number`));
    });
  }

  it('refuses capacities and committed estimates that are infinite, and points past a billion', () => {
    const r = parseSprints('/ws/backlog/sprints.yml', enc('sprints:\n  - id: S-1\n    capacity: .inf\n    committed:\n      - {id: BL-1, estimate: 1e400}\n      - {id: BL-2, estimate: 1e300}\n'));
    assert.deepStrictEqual(r.diagnostics.map((d) => [d.code, d.line]).sort(), [['not-finite', 2], ['not-finite', 4], ['number-too-large', 5]]);
    assert.strictEqual(r.value[0].capacity, undefined);
    assert.deepStrictEqual(r.value[0].committed.map((c) => c.estimate), [undefined, undefined]);
    const bad = enc('size_points: {XL: 1e308}\nestimate_scale: [1, .inf]\n');
    const cfg = parseAtlasSettings('/ws/backlog/atlas.yml', bad, defaultConfig());
    assert.deepStrictEqual(cfg.diagnostics.map((d) => d.code), ['wrong-type', 'wrong-type']);
    assert.strictEqual(cfg.config.sizePoints.XL, 13);
    // Read the same way where older backlogs keep them.
    const old = parseConfig('/ws/backlog/config.yml', bad);
    assert.deepStrictEqual(old.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['wrong-type', 'wrong-type']);
  });

  it('never reach --json or the human output: every sum stays finite', async () => {
    const files: Record<string, string> = { 'backlog/sprints.yml': 'sprints:\n  - {id: S-1, state: active, capacity: 1e999}\n' };
    for (let n = 1; n <= 4; n++) files[`backlog/tasks/bl-${n}.md`] = itemText({ id: `BL-${n}`, title: 'Huge', status: "'To Do'", sprint: 'S-1', estimate: ['1e308', '.inf', '1e999', '1e9'][n - 1] });
    const dir = await tempFolder(files);
    for (const command of ['list', 'stats', 'lint']) {
      const r = await cli([command, '--json', ...(command === 'lint' ? ['--no-todos'] : [])], dir);
      assert.doesNotMatch(r.out, /Infinity|NaN/, command);
      assert.doesNotThrow(() => JSON.parse(r.out), command);
    }
    const [stats] = JSON.parse((await cli(['stats', '--json'], dir)).out) as { points: { open: number }; sprints: { pointsTotal: number }[] }[];
    assert.strictEqual(stats.points.open, 1e9);
    assert.strictEqual(stats.sprints[0].pointsTotal, 1e9);
    const human = await cli(['stats'], dir);
    assert.match(human.out, /1000000000 open points/);
    const lint = JSON.parse((await cli(['lint', '--json', '--no-todos'], dir)).out) as { code: string }[];
    assert.deepStrictEqual(lint.map((d) => d.code).sort(), ['not-finite', 'not-finite', 'not-finite', 'number-too-large', 'off-scale']);
  });

  it('are written as null by --json, whatever reaches it (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(NaN, Infinity, -Infinity), (value, bad) => {
        const text = jsonText({ value, bad, list: [bad, 1] });
        const back = JSON.parse(text) as { bad: unknown; list: unknown[] };
        assert.strictEqual(back.bad, null);
        assert.deepStrictEqual(back.list, [null, 1]);
      }),
    );
  });

  it('are refused by set, with a billion points the most', async () => {
    const b = await memoryBacklog({ 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: "'To Do'" }) });
    for (const v of ['1e999', 'Infinity', 'NaN', '1e10']) {
      const r = await b.writer.setField('BL-1', 'estimate', v);
      assert.ok(!r.ok, v);
    }
    assert.ok((await b.writer.setField('BL-1', 'estimate', '1e9')).ok);
  });
});

describe('merge-conflict markers', () => {
  const conflict = (ours: string, theirs: string) => `<<<<<<< HEAD\n${ours}\n=======\n${theirs}\n>>>>>>> feature/x\n`;

  it('in an item body or front matter are errors on each marker line, and the writer refuses the file', async () => {
    const body = `---\nid: BL-1\ntitle: A\nstatus: To Do\n---\n\nSome text\n${conflict('ours', 'theirs')}`;
    const front = `---\nid: BL-2\ntitle: B\n${conflict('status: To Do', 'status: Done')}---\n`;
    const b = await memoryBacklog({ 'backlog/tasks/bl-1 - A.md': body, 'backlog/tasks/bl-2 - B.md': front });
    const diags = b.index.diagnostics();
    const marks = (p: string) => (diags.get(p) ?? []).filter((d) => d.code === 'merge-conflict').map((d) => [d.line, d.column, d.severity]);
    assert.deepStrictEqual(marks('/ws/backlog/tasks/bl-1 - A.md'), [[7, 0, 'error'], [9, 0, 'error'], [11, 0, 'error']]);
    assert.deepStrictEqual(marks('/ws/backlog/tasks/bl-2 - B.md'), [[3, 0, 'error'], [5, 0, 'error'], [7, 0, 'error']]);
    const r = await b.writer.setField('BL-1', 'status', 'Done');
    assert.ok(!r.ok);
    assert.match(r.message, /bl-1 - A\.md has unresolved merge-conflict markers \(line 8\); resolve the conflict/);
    assert.strictEqual(new TextDecoder().decode(await b.ws.read('/ws/backlog/tasks/bl-1 - A.md')), body);
  });

  it('in config.yml, sprints.yml and roadmap.yml are errors, and plan changes are refused', async () => {
    const b = await memoryBacklog({
      'backlog/config.yml': `project_name: X\n${conflict('statuses: [To Do, Done]', 'statuses: [Open, Closed]')}`,
      'backlog/sprints.yml': `sprints:\n${conflict('  - {id: S-1, state: planned}', '  - {id: S-1, state: active}')}`,
      'backlog/roadmap.yml': `themes:\n  - id: T-1\n    title: A\n${conflict('    horizon: now', '    horizon: next')}`,
    });
    for (const file of ['config.yml', 'sprints.yml', 'roadmap.yml']) {
      const codes = (b.index.diagnostics().get(`/ws/backlog/${file}`) ?? []).filter((d) => d.code === 'merge-conflict');
      assert.strictEqual(codes.length, 3, file);
    }
    const start = await b.writer.startSprint('/ws/backlog', 'S-1');
    assert.ok(!start.ok);
    const move = await b.writer.setPlanKey('/ws/backlog', 'roadmap.yml', ['themes', { id: 'T-1' }], 'horizon', 'later');
    assert.ok(!move.ok && /merge-conflict markers \(line 4\)/.test(move.message), move.ok ? '' : move.message);
  });

  it('are only markers at a line start, and ======= only inside a conflict (a Markdown heading underline is not one)', () => {
    assert.deepStrictEqual(conflictMarkers('# Title\n\nHeading\n=======\n\ntext <<<<<<< HEAD\n <<<<<<< x\n<<<<<<<< eight\n'), []);
    assert.deepStrictEqual(conflictMarkers('<<<<<<< ours\na\n||||||| base\nb\n=======\nc\n>>>>>>> theirs').map((m) => [m.line, m.marker]), [[0, '<<<<<<<'], [2, '|||||||'], [4, '======='], [6, '>>>>>>>']]);
    assert.deepStrictEqual(conflictMarkers('<<<<<<<\r\nx\r\n=======\r\ny\r\n>>>>>>>\r\n').map((m) => m.line), [0, 2, 4]);
  });

  it('are found as a line-by-line reading finds them, in linear time (property)', () => {
    const reference = (text: string) => {
      let inside = false;
      const out: number[] = [];
      text.split('\n').forEach((raw, line) => {
        const l = raw.replace(/\r$/, '');
        if (/^<{7}( |$)/.test(l)) {
          out.push(line);
          inside = true;
        } else if (/^>{7}( |$)/.test(l)) {
          out.push(line);
          inside = false;
        } else if (inside && (/^={7}$/.test(l) || /^\|{7}( |$)/.test(l))) out.push(line);
      });
      return out;
    };
    const line = fc.constantFrom('<<<<<<< HEAD', '<<<<<<<', '=======', '========', '||||||| base', '>>>>>>> b', '>>>>>>>x', 'text', '', ' =======', '<<<<<<<\r');
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), (lines) => assert.deepStrictEqual(conflictMarkers(lines.join('\n')).map((m) => m.line), reference(lines.join('\n')))), { numRuns: 500 });
    const started = Date.now();
    conflictMarkers('<<<<<<< x\n' + '='.repeat(2_000_000) + '\n' + '<'.repeat(2_000_000));
    conflictMarkers(('=======\n').repeat(200_000) + '<<<<<<<');
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });
});

describe('terminal escape sequences in what the CLI prints', () => {
  /** What must never reach a terminal raw: C0 and C1 controls, DEL, bidirectional formatting. */
  // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
  const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
  const nasty = ['\x1b[2J', '\x1b]8;;https://evil.example\x07click\x1b]8;;\x07', '\x1b]0;pwned\x07', '\u009b31m', 'abc\u202edcba', 'line\nbreak\rcr\bbs', '\u2066iso\u2069'];

  it('are shown as visible escapes, and text without them is unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const shown = forTerminal(s);
        assert.doesNotMatch(shown, RAW);
        if (!RAW.test(s)) assert.strictEqual(shown, s);
      }),
      { numRuns: 1000 },
    );
    assert.strictEqual(forTerminal('a\x1b[31mb\u202ec\td'), 'a\\x1b[31mb\\u202ec\\td');
  });

  it('never reach the terminal raw from list, lint, todos, stats or set, and --json keeps them exact', async () => {
    const files: Record<string, string> = { 'backlog/config.yml': 'project_name: X\n', 'src/a.ts': nasty.map((n, k) => `// TODO(BL-${k + 1}): ${n}`).join('\n') + '\n' };
    nasty.forEach((n, k) => {
      files[`backlog/tasks/bl-${k + 1}.md`] = `---\nid: BL-${k + 1}\ntitle: ${JSON.stringify(n)}\nstatus: ${JSON.stringify(n)}\n---\n`;
    });
    const dir = await tempFolder(files);
    // A title with controls is refused now; its message must not echo them raw either.
    for (const args of [['list'], ['lint'], ['todos'], ['stats'], ['set', 'BL-1', 'title', 'new\x1b[2Jtitle'], ['set', 'BL-2', 'status', '\x1b]0;x\x07'], ['no\x1b[2Jcommand']]) {
      const r = await cli(args, dir);
      // Each printed line is one line: none holds a raw control, a line break included.
      for (const line of r.outLines) assert.doesNotMatch(line, RAW, `${args[0]} stdout: ${JSON.stringify(line)}`);
      for (const line of r.errLines) assert.doesNotMatch(line.split('\n\nUsage:')[0], RAW, `${args[0]} stderr: ${JSON.stringify(line)}`);
    }
    const list = await cli(['list'], dir);
    assert.match(list.out, /\\x1b\[2J/);
    assert.match(list.out, /abc\\u202edcba/);
    const json = JSON.parse((await cli(['list', '--json', '--all'], dir)).out) as { id: string; title: string }[];
    assert.deepStrictEqual(new Set(json.map((i) => i.title)), new Set(nasty));
    const todos = JSON.parse((await cli(['todos', '--json'], dir)).out) as { text: string }[];
    assert.deepStrictEqual(todos.map((t) => t.text), nasty.map((n) => n.split('\n')[0]).map((n) => n.replace(/\r.*/, '')).map((n) => n.trimEnd()));
  });
});

describe('set and spaces at the ends of a value', () => {
  const start = () => memoryBacklog({ 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: "'To Do'" }) });
  const text = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom('a', 'Z', ' ', ':', '#', "'", '"', '-', 'é', '1', '[', ',', '\t') });

  it('writes a value exactly, or refuses it and writes nothing (property)', async () => {
    await fc.assert(
      // Free text: an epic must name an item, so `theme` stands for the fields read back as given.
      fc.asyncProperty(text, fc.constantFrom('title', 'reporter', 'theme', 'notes'), async (value, key) => {
        const b = await start();
        const before = b.ws.paths().map((p) => [p, b.ws.text(p)]);
        const r = key === 'title' ? await b.writer.setTitle('BL-1', value) : await b.writer.setField('BL-1', key, value);
        if (value.trim() !== value || value.trim() === '') {
          assert.ok(!r.ok, `${key}: ${JSON.stringify(value)} was written`);
          assert.deepStrictEqual(b.ws.paths().map((p) => [p, b.ws.text(p)]), before);
          return;
        }
        assert.ok(r.ok, r.ok ? '' : r.message);
        await b.apply(r.operations);
        const item = b.backlog().item('BL-1')!;
        assert.strictEqual(item.fields[key], value, 'the file holds the value exactly');
        if (key === 'title') assert.strictEqual(item.title, value);
        if (key === 'theme') assert.strictEqual(item.theme, value);
      }),
      { numRuns: 150 },
    );
  });

  it('says why, through the CLI, and leaves the file as it was', async () => {
    const dir = await tempFolder({ 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: "'To Do'" }) });
    const file = path.join(dir, 'backlog/tasks/bl-1 - A.md');
    const before = await fs.readFile(file, 'utf8');
    for (const [key, value] of [['title', ' Padded title '], ['reporter', 'jo '], ['notes', '   ']]) {
      const r = await cli(['set', 'BL-1', key, value], dir);
      assert.strictEqual(r.code, 1, key);
      assert.match(r.err, key === 'notes' ? /only spaces/ : /starts or ends with spaces.*nothing was written/, r.err);
    }
    assert.strictEqual(await fs.readFile(file, 'utf8'), before);
    // A value looked up in the backlog is matched ignoring spaces, and the backlog's spelling is written.
    const status = await cli(['set', 'BL-1', 'status', ' done '], dir);
    assert.strictEqual(status.code, 0, status.err);
    assert.match(status.out, /status set to Done/);
  });
});

describe('command-line values that start with --', () => {
  it('are values after --, and --name=value is --name value (property)', () => {
    const value = fc.oneof(fc.string(), fc.string().map((s) => `--${s}`), fc.constantFrom('--', '--json', '--in', '--force', '-'));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 5 }), fc.boolean(), fc.string({ minLength: 1 }), (values, json, inPath) => {
        const opts = [...(json ? ['--json'] : []), `--in=${inPath}`];
        const a = parseArgs(['set', ...opts, '--', ...values]);
        const b = parseArgs(['set', ...(json ? ['--json'] : []), '--in', inPath, '--', ...values]);
        assert.ok(!('error' in a) && !('error' in b));
        assert.deepStrictEqual(a.args, ['set', ...values]);
        assert.deepStrictEqual(b.args, a.args);
        assert.strictEqual(a.values.get('--in'), inPath);
        assert.strictEqual(a.flags.has('--json'), json);
      }),
    );
  });

  it('are refused before --, naming the option, and never taken for another option', async () => {
    const dir = await tempFolder({ 'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'A', status: "'To Do'" }) });
    const refused = await cli(['set', 'BL-1', 'title', '--force'], dir);
    assert.strictEqual(refused.code, 2);
    assert.match(refused.err, /^Unknown option --force\. A value that starts with -- goes after --/);
    assert.strictEqual((await cli(['list', '--json=yes'], dir)).code, 2);
    assert.strictEqual((await cli(['set', 'BL-1', 'title', 'X', '--in'], dir)).code, 2);

    const r = await cli(['set', 'BL-1', 'title', '--', '--force'], dir);
    assert.strictEqual(r.code, 0, r.err);
    // An option the command does not take is refused, not parsed and then ignored.
    const ignored = await cli(['list', '--json', '--in=elsewhere', '--', '.'], dir);
    assert.strictEqual(ignored.code, 2);
    assert.match(ignored.err, /^list does not take --in\./);
    const list = JSON.parse((await cli(['list', '--json', '--', '.'], dir)).out) as { title: string }[];
    assert.deepStrictEqual(list.map((i) => i.title), ['--force']);
    const status = await cli(['set', '--in=backlog', 'BL-1', 'status', 'Done'], dir);
    assert.strictEqual(status.code, 0, status.err);
  });
});

describe('git log records forged by file names', () => {
  let dir: string;
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
    });
  // The old record mark, then what a commit header looked like: a file name could start a commit.
  const forged = `a\x1e${'c'.repeat(40)} 1790000000`;
  const names = ['bl-1 - One.md', forged, 'new\nline.md', `b\n\x1e${'d'.repeat(40)} 1\n:000000 100644 ${'0'.repeat(40)} ${'e'.repeat(40)} A`, 'bl-2 - Two.md'];

  before(() => {
    dir = fs_.mkdtempSync(path.join(os.tmpdir(), 'atlas-forged-'));
    git(['init', '-q', '-b', 'main']);
    fs_.mkdirSync(path.join(dir, 'backlog/tasks'), { recursive: true });
    fs_.writeFileSync(path.join(dir, 'backlog/tasks', names[0]), itemText({ id: 'BL-1', title: 'One' }));
    git(['add', '-A']);
    git(['commit', '-q', '-m', `one\x1e${'f'.repeat(40)} 1\n`], '2026-10-01T10:00:00Z');
    for (const name of names.slice(1)) fs_.writeFileSync(path.join(dir, 'backlog/tasks', name), itemText({ id: 'BL-2', title: 'Two' }));
    git(['add', '-A']);
    git(['commit', '-q', '-m', `two\n\x1e${'f'.repeat(40)} 1790000000`], '2026-10-03T10:00:00Z');
  });

  after(() => fs_.rmSync(dir, { recursive: true, force: true }));

  it('read as the commits git made, with every path exactly as named', () => {
    const commits = parseGitLog(execFileSync('git', gitLogArgs(100, '.'), { cwd: dir }).toString('utf8'));
    const hashes = git(['rev-list', '--reverse', 'HEAD']).toString('utf8').trim().split('\n');
    assert.deepStrictEqual(commits.map((c) => c.hash), hashes);
    assert.deepStrictEqual(commits.map((c) => new Date(c.time * 1000).toISOString().slice(0, 10)), ['2026-10-01', '2026-10-03']);
    assert.deepStrictEqual(commits[0].changes.map((c) => c.path), [`backlog/tasks/${names[0]}`]);
    assert.deepStrictEqual(commits[1].changes.map((c) => c.path).sort(), names.slice(1).map((n) => `backlog/tasks/${n}`).sort());
    assert.ok(commits[1].changes.every((c) => c.status === 'A' && /^[0-9a-f]{40}$/.test(c.blob)));
  });

  it('cannot start a commit or a change however a path reads (property)', () => {
    const hex = (c: string) => c.repeat(40);
    const path_ = fc.string({ minLength: 1, unit: fc.constantFrom('a', '\n', '\x1e', ':', ' ', '0', 'c', 'A', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(path_, { maxLength: 4 }), { maxLength: 4 }), (commits) => {
        const text = commits
          // As git prints it: a commit with changes has a line break before the first.
          .map((paths, k) => `\0${hex(String(k))} ${1000 + k}\0${paths.length > 0 ? '\n' : ''}` + paths.map((p) => `:000000 100644 ${hex('0')} ${hex('b')} A\0${p}\0`).join(''))
          .join('');
        const read = parseGitLog(text);
        assert.deepStrictEqual(read.map((c) => [c.hash, c.time, c.changes.map((ch) => ch.path)]), commits.map((paths, k) => [hex(String(k)), 1000 + k, paths]));
      }),
    );
  });
});

describe('file names that are not UTF-8, in the TODO scan', () => {
  const matcher = new TodoMatcher({ tags: ['TODO'], prefixes: ['BL'] });
  const hasRg = findRipgrep() !== undefined;
  let dir: string;

  before(async function () {
    dir = await tempFolder({ 'ok.ts': '// TODO: fine\n', 'ignored/.keep': '', '.gitignore': 'ignored/\n', 'backlog/tasks/bl-1 - A.md': '---\nid: BL-1\ntitle: A\nstatus: To Do\n---\n' });
    const bad = (rel: string) => Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(rel, 'latin1')]);
    try {
      fs_.writeFileSync(bad('caf\xe9.ts'), '// TODO: in a Latin-1 name\n');
      fs_.writeFileSync(bad('ignored/caf\xe9.ts'), '// TODO: ignored\n');
      fs_.writeFileSync(bad('data\xff.bin'), 'TODO: no comment syntax\n');
      fs_.mkdirSync(bad('dir\xfe'));
      fs_.writeFileSync(Buffer.concat([bad('dir\xfe'), Buffer.from('/x.ts')]), '// TODO: inside\n');
    } catch {
      // A file system that refuses such names (macOS's) cannot hold the case at all.
      this.skip();
    }
  });

  after(() => fs_.rmSync(dir, { recursive: true, force: true }));

  it('are said, not skipped silently, by the scan without ripgrep', async () => {
    const unnamed: string[] = [];
    const todos = await scanTodos([dir], matcher, { rg: null, onUnnamed: (p) => unnamed.push(p) });
    assert.deepStrictEqual(todos.map((t) => t.text), ['fine']);
    assert.deepStrictEqual(unnamed.sort(), [`${dir}/caf\ufffd.ts`, `${dir}/dir\ufffd/`]);
  });

  (hasRg ? it : it.skip)('are said by the scan with ripgrep, for the files it found a tag in', async () => {
    const unnamed: string[] = [];
    const todos = await scanTodos([dir], matcher, { rg: 'rg', onUnnamed: (p) => unnamed.push(p) });
    assert.deepStrictEqual(todos.map((t) => t.text), ['fine']);
    // rg lists the files inside a folder whose name is not UTF-8, each one by one.
    assert.deepStrictEqual(unnamed.sort(), [`${dir}/caf\ufffd.ts`, `${dir}/dir\ufffd/x.ts`]);
  });

  it('get a warning on stderr from todos and lint, and never a crash', async () => {
    for (const args of [['todos'], ['lint']]) {
      const r = await cli(args, dir);
      assert.match(r.err, /warning: caf\ufffd\.ts: not scanned for TODOs, because its name is not valid UTF-8/, args[0]);
    }
  });

  it('come from rg as bytes, and become one event at the end of a text file', () => {
    const bytes = Buffer.from('./caf\xe9.ts', 'latin1').toString('base64');
    assert.deepStrictEqual(parseRgLine(JSON.stringify({ type: 'match', data: { path: { bytes }, lines: { text: '// TODO\n' }, line_number: 1 } })), []);
    assert.deepStrictEqual(parseRgLine(JSON.stringify({ type: 'end', data: { path: { bytes }, binary_offset: null } })), [{ kind: 'unnamed', path: './caf\ufffd.ts' }]);
    assert.deepStrictEqual(parseRgLine(JSON.stringify({ type: 'end', data: { path: { bytes }, binary_offset: 12 } })), []);
  });
});

describe('TODOs inside strings that span lines', () => {
  const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME'], prefixes: ['BL'] });
  const found = (file: string, text: string) => todosInText(matcher, text, commentSyntaxFor(file)!).map((t) => `${t.line} ${t.tag} ${t.text}`);

  it('are the template literal\'s text in TypeScript and JavaScript, not comments', () => {
    const text = [
      'const page = `',
      '  // TODO: generated code, not a note',
      '  /* FIXME: also generated */ ${name}',
      '  TODO: prose',
      '  escaped \\` is not the end // TODO: still inside',
      '`; // TODO(BL-1): after the template',
      'const one = `a ${`nested`} b`; // FIXME: a real one',
      "const s = 'it`s'; // TODO: a backtick in a quote opens nothing",
    ].join('\n');
    for (const file of ['a.ts', 'a.js', 'a.tsx', 'a.vue']) {
      assert.deepStrictEqual(found(file, text), ['5 TODO after the template', '6 FIXME a real one', '7 TODO a backtick in a quote opens nothing'], file);
    }
    // In C, Java or Rust a backtick is no string that spans lines; those lines are comments there.
    assert.ok(found('a.c', text).includes('1 TODO generated code, not a note'));
  });

  it('are Go raw strings\' text, where a backslash escapes nothing', () => {
    const text = 'p := `C:\\`\n// TODO: after a raw string that ends in a backslash\nq := `\n// TODO: inside\n`\n';
    assert.deepStrictEqual(found('a.go', text), ['1 TODO after a raw string that ends in a backslash']);
  });

  it('keep a Python docstring\'s comment lines, and nothing else in it', () => {
    const text = ['def f():', '    """Loads.', '', '    # TODO(BL-42): a comment line of its own', '    x = 1  # TODO: text after code is docstring text', '    TODO: prose', '    """', '    return 1  # FIXME: retry', "s = '''", "# TODO: a line of its own in a string counts too (the rule is the line's)", "'''"].join('\n');
    assert.deepStrictEqual(found('a.py', text), ['3 TODO a comment line of its own', '7 FIXME retry', "9 TODO a line of its own in a string counts too (the rule is the line's)"]);
  });

  it('are found alike from rg\'s lines and from the whole text (property)', () => {
    const fragment = fc.constantFrom('`', '${x}', '// TODO: a', '/* FIXME b */', "'", '"', '\\`', '"""', "'''", '# TODO: c', '    # TODO(BL-1): d', 'code();', ' ');
    fc.assert(
      fc.property(fc.array(fc.array(fragment, { maxLength: 5 }).map((f) => f.join(' ')), { maxLength: 12 }), fc.constantFrom('a.ts', 'a.py', 'a.go', 'a.c'), (lines, file) => {
        const text = lines.join('\n');
        const syntax = commentSyntaxFor(file)!;
        const whole = matcher.findInText(text, syntax);
        assert.deepStrictEqual(todosOnLines(matcher, matcher.hitLines(text), syntax, text), whole);
      }),
      { numRuns: 500 },
    );
  });

  it('take time linear in the text, however many quotes it holds', () => {
    const n = 1 << 20;
    const texts = ['`'.repeat(n), '`\n'.repeat(n / 2) + '// TODO', '"""'.repeat(n / 3), ('"""\n# TODO x\n').repeat(n / 12), '\\'.repeat(n) + '`', 'x = `' + ' '.repeat(n) + '// TODO'];
    const started = Date.now();
    for (const text of texts) for (const file of ['a.ts', 'a.py', 'a.go']) matcher.findInText(text, commentSyntaxFor(file)!);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});

describe('backlogs with very many sprints and releases', () => {
  const item = (n: number, fields: Partial<Item>): Item => ({
    id: `BL-${n}`, key: `BL-${n}`, title: `T${n}`, status: 'To Do', assignee: [], labels: [], dependencies: [], folder: 'tasks', path: `/ws/backlog/tasks/bl-${n}.md`, root: '/ws/backlog',
    description: '', acceptanceCriteria: [], definitionOfDone: [], comments: [], references: [], documentation: [], modifiedFiles: [], sections: [], fields: {}, fieldLines: {}, rank: `a${String(n).padStart(6, '0')}`, ...fields,
  });
  const release = (id: string, name: string, source: Release['source'], date?: string): Release => ({ id, name, date, source, path: '/ws/backlog/releases.yml', line: 0 });

  /** The lookups as they were, by scanning the lists: what the indexes must answer. */
  const reference = {
    sprint: (b: Backlog, id: string) => b.sprints.find((s) => s.id.toUpperCase() === id.toUpperCase()),
    release: (b: Backlog, ref: string) => {
      const all = b.releases();
      const key = idKey(ref);
      return all.find((r) => idKey(r.id) === key) ?? all.find((r) => r.source === 'milestone' && (r.name.toUpperCase() === ref.trim().toUpperCase() || idKey(r.id) === `M-${key}`));
    },
    sprintBacklog: (b: Backlog, id: string) => b.allOrdered().filter((i) => i.folder !== 'drafts' && i.folder !== 'archive' && i.sprint?.toUpperCase() === id.toUpperCase()),
    // One release per item: the one `release` names, else the `milestone`'s (core/figures' releaseOf).
    releaseBacklog: (b: Backlog, id: string) => {
      const r = reference.release(b, id);
      if (!r) return [];
      const of = (i: Item) => (i.release !== undefined ? reference.release(b, i.release) : undefined) ?? (i.milestone !== undefined ? reference.release(b, i.milestone) : undefined);
      return b.allOrdered().filter((i) => i.folder !== 'drafts' && i.folder !== 'archive' && of(i) === r);
    },
  };

  it('answer by id exactly as a scan of the lists did (property)', () => {
    const ref = fc.constantFrom('S-1', 's-1', 'S-2', 'S-01', 'R-1', 'r-2', 'M-1', 'm-01', '1', '2', 'Beta', 'beta ', 'Gamma', 'X');
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.constantFrom('S-1', 's-1', 'S-2', 'S-3'), state: fc.constantFrom('planned', 'active', 'closed') }), { maxLength: 6 }),
        fc.array(fc.tuple(fc.constantFrom('R-1', 'r-1', 'R-2', 'M-1', 'm-2', '1'), fc.constantFrom('Beta', 'Gamma', 'R-1', '2'), fc.constantFrom('releases', 'milestone'), fc.option(fc.constantFrom('2026-01-01', '2026-02-01'), { nil: undefined })), { maxLength: 6 }),
        fc.array(fc.record({ sprint: fc.option(ref, { nil: undefined }), release: fc.option(ref, { nil: undefined }), milestone: fc.option(ref, { nil: undefined }), folder: fc.constantFrom('tasks', 'drafts', 'completed') }), { maxLength: 10 }),
        fc.array(ref, { minLength: 1, maxLength: 5 }),
        (sprints, releases, items, asked) => {
          const b = new Backlog('/ws/backlog', '/ws');
          b.sprints = sprints.map((s, k) => ({ ...s, name: `Sprint ${k}`, committed: [], hasCommitted: false, line: k }) as Sprint);
          releases.forEach(([id, name, source, date], k) => {
            if (source === 'releases') b.releasesFile.push(release(id, name, source, date));
            else b.milestones.set(`/ws/backlog/milestones/m${k}.md`, release(id, name, source, date));
          });
          items.forEach((fields, n) => b.byKey.set(`BL-${n}`, [item(n, fields as Partial<Item>)]));
          b.invalidate();
          for (const q of asked) {
            assert.strictEqual(b.sprint(q), reference.sprint(b, q), `sprint ${q}`);
            assert.strictEqual(b.release(q), reference.release(b, q), `release ${q}`);
            assert.deepStrictEqual(b.sprintBacklog(q), reference.sprintBacklog(b, q), `sprint backlog ${q}`);
            assert.deepStrictEqual(b.releaseBacklog(q), reference.releaseBacklog(b, q), `release backlog ${q}`);
          }
          assert.strictEqual(b.activeSprint(), b.sprints.find((s) => s.state === 'active'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('count 20,000 sprints and 20,000 releases in well under a second per question', () => {
    const b = new Backlog('/ws/backlog', '/ws');
    const n = 20_000;
    b.sprints = Array.from({ length: n }, (_, k) => ({ id: `S-${k}`, name: `Sprint ${k}`, state: 'closed', committed: [], hasCommitted: false, line: k }) as Sprint);
    b.releasesFile = Array.from({ length: n }, (_, k) => release(`R-${k}`, `Release ${k}`, 'releases'));
    for (let k = 0; k < 2000; k++) b.byKey.set(`BL-${k}`, [item(k, { sprint: `S-${k % n}`, release: `R-${(k * 7) % n}` })]);
    b.invalidate();
    const started = Date.now();
    // What `stats` asks: every sprint's and every release's backlog, and every item's references.
    let items = 0;
    for (const s of b.sprints) items += b.sprintBacklog(s.id).length;
    for (const r of b.releases()) items += b.releaseBacklog(r.id).length;
    b.crossFileDiagnostics();
    assert.strictEqual(items, 4000);
    // A scan per question took minutes here (20,000 releases × 2,000 items × 20,000 releases).
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });
});

describe('linking a TODO that names an owner', () => {
  const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME'], prefixes: ['BL'] });
  const ts = commentSyntaxFor('a.ts')!;
  const one = (line: string) => matcher.findInText(line, ts)[0];
  const apply = (line: string, e: { start: number; end: number; newText: string }) => line.slice(0, e.start) + e.newText + line.slice(e.end);

  it('reads an owner beside the id, in either order, and only in closed parentheses', () => {
    const read = (line: string) => {
      const t = one(line);
      return [t.ref?.id, t.owner?.name, t.text];
    };
    assert.deepStrictEqual(read('// TODO(alice, BL-42): ask Bob'), ['BL-42', 'alice', 'ask Bob']);
    assert.deepStrictEqual(read('// TODO(BL-42, alice): ask Bob'), ['BL-42', 'alice', 'ask Bob']);
    assert.deepStrictEqual(read('// TODO(alice,BL-42) ask Bob'), ['BL-42', 'alice', 'ask Bob']);
    assert.deepStrictEqual(read('// TODO(a,b, BL-42): x'), ['BL-42', 'a,b', 'x']);
    assert.deepStrictEqual(read('// TODO(alice): x'), [undefined, 'alice', 'x']);
    assert.deepStrictEqual(read('// TODO(alice, BL-42 x'), [undefined, undefined, '(alice, BL-42 x']);
    assert.deepStrictEqual(read('// TODO [alice, BL-42] x'), [undefined, undefined, '[alice, BL-42] x']);
    assert.deepStrictEqual(read('// TODO(BL-42): x'), ['BL-42', undefined, 'x']);
  });

  it('keeps the owner, whichever way it is linked, and unlinking gives the line back (property)', () => {
    const owner = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'l', 'i', 'c', 'e', '@', '.', '-', '_', '1', 'é') });
    const text = fc.string({ maxLength: 20, unit: fc.constantFrom('a', 'b', ' ', 'x', '.') }).map((s) => s.trim());
    fc.assert(
      fc.property(owner, text, fc.constantFrom('TODO', 'FIXME'), fc.integer({ min: 1, max: 999 }), (name, words, tag, n) => {
        const line = `  // ${tag}(${name})${words ? `: ${words}` : ''}`;
        const todo = one(line);
        assert.strictEqual(todo.owner?.name, name);
        const id = `BL-${n}`;
        for (const edit of [linkTodoEdit(line, todo, id)!, addRefEdit(todo, id)]) {
          const linked = apply(line, edit);
          const back = one(linked);
          assert.deepStrictEqual([back.ref?.id, back.owner?.name, back.text], [id, name, todo.text], linked);
          // Unlinking takes the id out and leaves the owner where it was.
          const unlinked = apply(linked, removeRefEdit(linked, back as typeof back & { ref: NonNullable<typeof back.ref> }));
          assert.deepStrictEqual([one(unlinked).owner?.name, one(unlinked).ref, one(unlinked).text], [name, undefined, todo.text], unlinked);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('takes time linear in the line, however many owners and commas it holds', () => {
    const n = 1 << 19;
    const lines = ['// ' + 'TODO(a,'.repeat(n / 7), '// ' + 'TODO(' + ','.repeat(n), '// TODO(BL-1,' + ' '.repeat(n) + 'x', '// ' + 'TODO(alice, BL-1) '.repeat(n / 18)];
    const started = Date.now();
    for (const line of lines) matcher.findInText(line, ts);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
