import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { parseStoryMap } from '../../src/core/format/plans';
import { WriteResult } from '../../src/core/writer';
import { applyEdits } from '../../src/core/format/yamlEdit';
import { memoryBacklog } from './helpers';

const R = '/ws/backlog';
const STORYMAP = `${R}/storymap.yml`;
const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const storymap = [
  "# The user's journey, left to right. Stories point to a step with `step:`.",
  'activities:',
  '  - id: start # where it begins',
  '    title: Get started',
  '    steps:',
  '      - id: sign-in',
  '        title: Sign in # the first thing they do',
  '      - id: set-preferences',
  "        title: 'Set preferences'",
  '      # more steps once we know the onboarding',
  '  # planning comes next',
  '  - id: plan',
  '    title: Plan a hike',
  '    steps:',
  '      - {id: find-route, title: Find a route}',
  '  - id: solo',
  '    title: Alone on the trail',
  '  - id: later',
  '    title: Someday',
  '    steps: []',
  '# end of the map',
  '',
].join('\n');

function files(map: string | null = storymap): Record<string, string> {
  const f: Record<string, string> = {
    'backlog/config.yml': config,
    'backlog/tasks/bl-1 - Route.md': '---\nid: BL-1\ntitle: Route\nstatus: To Do\nstep: find-route\n---\n',
  };
  if (map !== null) f['backlog/storymap.yml'] = map;
  return f;
}

function ok(r: WriteResult): asserts r is Extract<WriteResult, { ok: true }> {
  assert.ok(r.ok, r.ok ? '' : r.message);
}

/** The lines `after` has in place of `before`'s, with the common first and last lines cut off. */
function replacedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { removed: a.slice(head, a.length - tail), added: b.slice(head, b.length - tail) };
}

/** The lines that differ, position by position, between two texts with as many lines. */
function differingLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, `same number of lines:\n${after}`);
  return a.flatMap((line, k) => (line === b[k] ? [] : [[line, b[k]] as [string, string]]));
}

/** The story map as the index reads it, without line numbers. */
function shape(activities: { id: string; title: string; steps: { id: string; title: string }[] }[]) {
  return activities.map((a) => ({ id: a.id, title: a.title, steps: a.steps.map((s) => `${s.id}: ${s.title}`) }));
}

const YAML_SPECIAL = [
  'Plan: a hike #1',
  '- dash',
  "'quoted'",
  '"double"',
  'yes',
  'No',
  'null',
  '~',
  '123',
  '1.0',
  '0x1F',
  '2026-11-21',
  '12:30',
  '#hashtag',
  'a, b',
  '[draft]',
  '{x}',
  'trailing:',
  'key: value',
  '@home',
  '`code`',
  '*star',
  '&anchor',
  '!tag',
  '%percent',
  '|pipe',
  '>folded',
  '? question',
  'tab\there',
  "it's",
  'Café ✓ 🥾',
];

describe('writing the story map', () => {
  describe('addStoryMapActivity', () => {
    it('appends the activity in block style, every other byte (comments too) untouched', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files());
      const r = await writer.addStoryMapActivity(R, 'Pack the car');
      ok(r);
      assert.equal(r.itemId, 'pack-the-car');
      assert.equal(r.summary, 'Activity "Pack the car" added');
      assert.equal(r.operations.length, 1);
      assert.equal(r.operations[0].kind, 'edit');
      await apply(r.operations);
      assert.deepEqual(replacedLines(storymap, ws.text(STORYMAP)), {
        removed: [],
        added: ['  - id: pack-the-car', '    title: Pack the car', '    steps: []'],
      });
      assert.ok(ws.text(STORYMAP).endsWith('    steps: []\n# end of the map\n'), 'the closing comment stays last');
      const last = backlog().storyMap.activities.at(-1);
      assert.deepEqual(last && { id: last.id, title: last.title, steps: last.steps }, { id: 'pack-the-car', title: 'Pack the car', steps: [] });
      assert.deepEqual(backlog().files.get(STORYMAP)?.diagnostics, []);
    });

    it('creates storymap.yml, with a comment saying what it is, when the backlog has none', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files(null));
      const r = await writer.addStoryMapActivity(R, 'Get started');
      ok(r);
      assert.deepEqual(r.operations.map((o) => o.kind), ['create']);
      await apply(r.operations);
      const text = ws.text(STORYMAP);
      const [header, ...rest] = text.split('\n');
      assert.match(header, /^# .*stor(y|ies)/i);
      assert.deepEqual(rest, ['activities:', '  - id: get-started', '    title: Get started', '    steps: []', '']);
      assert.deepEqual(shape(backlog().storyMap.activities), [{ id: 'get-started', title: 'Get started', steps: [] }]);

      // The new file is one the writer can go on with.
      const step = await writer.addStoryMapStep(R, 'get-started', 'Sign in');
      ok(step);
      await apply(step.operations);
      assert.deepEqual(replacedLines(text, ws.text(STORYMAP)), {
        removed: ['    steps: []'],
        added: ['    steps:', '      - id: sign-in', '        title: Sign in'],
      });
      assert.deepEqual(shape(backlog().storyMap.activities), [{ id: 'get-started', title: 'Get started', steps: ['sign-in: Sign in'] }]);
    });

    it('does not create storymap.yml over one that appeared since the backlog was read', async () => {
      const { writer, ws } = await memoryBacklog(files(null));
      ws.write(STORYMAP, 'activities: []\n');
      const r = await writer.addStoryMapActivity(R, 'Get started');
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /changed since it was read/);
      assert.equal(ws.text(STORYMAP), 'activities: []\n');
    });

    it('follows one-line {…} neighbours, and the activity still takes steps', async () => {
      const flow = 'activities:\n  - {id: start, title: Get started, steps: [{id: sign-in, title: Sign in}]}\n';
      const { writer, apply, ws, backlog } = await memoryBacklog(files(flow));
      const r = await writer.addStoryMapActivity(R, 'Plan: a hike #1');
      ok(r);
      await apply(r.operations);
      assert.equal(ws.text(STORYMAP), `${flow}  - {id: plan-a-hike-1, title: 'Plan: a hike #1', steps: []}\n`);
      const s = await writer.addStoryMapStep(R, 'plan-a-hike-1', 'Find a route');
      ok(s);
      await apply(s.operations);
      assert.deepEqual(shape(backlog().storyMap.activities)[1], { id: 'plan-a-hike-1', title: 'Plan: a hike #1', steps: ['find-a-route: Find a route'] });
    });
  });

  describe('ids', () => {
    const slugs: [title: string, id: string][] = [
      ['Pack the car!', 'pack-the-car'],
      ['  Über   Café  ', 'uber-cafe'],
      ['Plan: a hike #1', 'plan-a-hike-1'],
      ['--- Edge --- case ---', 'edge-case'],
      ['***', 'activity'],
      ['🥾🥾', 'activity'],
      ['A very long activity title that goes on and on for a while', 'a-very-long-activity-title-that-goes-on'],
      ['Get started', 'get-started'],
      ['Sign in', 'sign-in-2'],
      ['START', 'start-2'],
      ['Find route', 'find-route-2'],
    ];
    for (const [title, id] of slugs) {
      it(`slugs "${title}" as ${id}, unique against every activity and step id`, async () => {
        const { writer } = await memoryBacklog(files());
        const r = await writer.addStoryMapActivity(R, title);
        ok(r);
        assert.equal(r.itemId, id);
        assert.ok(id.length <= 40 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id), id);
      });
    }

    it('counts up -2, -3… for steps and activities alike, staying within 40 characters', async () => {
      const { writer, apply, backlog } = await memoryBacklog(files());
      const long = 'Check the weather and the trail conditions twice';
      const got: string[] = [];
      for (const add of [
        () => writer.addStoryMapStep(R, 'plan', long),
        () => writer.addStoryMapStep(R, 'plan', long),
        () => writer.addStoryMapActivity(R, long),
        () => writer.addStoryMapStep(R, 'solo', '?!'),
        () => writer.addStoryMapStep(R, 'solo', '...'),
      ]) {
        const r = await add();
        ok(r);
        got.push(r.itemId!);
        await apply(r.operations);
      }
      assert.deepEqual(got, ['check-the-weather-and-the-trail-conditio', 'check-the-weather-and-the-trail-condit-2', 'check-the-weather-and-the-trail-condit-3', 'step', 'step-2']);
      const all = backlog().storyMap.activities.flatMap((a) => [a.id, ...a.steps.map((s) => s.id)]);
      assert.equal(new Set(all.map((x) => x.toUpperCase())).size, all.length, 'no id twice');
      assert.deepEqual(backlog().files.get(STORYMAP)?.diagnostics, []);
    });
  });

  describe('addStoryMapStep', () => {
    it('adds the step at the end of the right activity, in its style, keeping comments', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files());
      const r = await writer.addStoryMapStep(R, 'start', 'Invite a friend');
      ok(r);
      assert.equal(r.itemId, 'invite-a-friend');
      assert.equal(r.summary, 'Step "Invite a friend" added to Get started');
      await apply(r.operations);
      const after = ws.text(STORYMAP);
      assert.deepEqual(replacedLines(storymap, after), { removed: [], added: ['      - id: invite-a-friend', '        title: Invite a friend'] });
      assert.ok(after.includes("        title: 'Set preferences'\n      - id: invite-a-friend\n"), 'right after the last step');
      const before = shape(parseStoryMap(STORYMAP, new TextEncoder().encode(storymap)).value.activities);
      before[0].steps.push('invite-a-friend: Invite a friend');
      assert.deepEqual(shape(backlog().storyMap.activities), before, 'that activity gained a last step; nothing else moved');
      assert.equal(backlog().item('BL-1')?.step, 'find-route');
    });

    it('adds a one-line {…} step after one-line neighbours', async () => {
      const { writer, apply, ws } = await memoryBacklog(files());
      const r = await writer.addStoryMapStep(R, 'PLAN', 'Check conditions');
      ok(r);
      await apply(r.operations);
      assert.deepEqual(replacedLines(storymap, ws.text(STORYMAP)), { removed: [], added: ['      - {id: check-conditions, title: Check conditions}'] });
    });

    it('creates steps: under an activity without it, and fills steps: [] as a block list', async () => {
      const { writer, apply, ws, backlog } = await memoryBacklog(files());
      const solo = await writer.addStoryMapStep(R, 'solo', 'Go alone');
      ok(solo);
      await apply(solo.operations);
      const mid = ws.text(STORYMAP);
      assert.deepEqual(replacedLines(storymap, mid), { removed: [], added: ['    steps:', '      - id: go-alone', '        title: Go alone'] });
      const later = await writer.addStoryMapStep(R, 'later', 'Dream big');
      ok(later);
      await apply(later.operations);
      assert.deepEqual(replacedLines(mid, ws.text(STORYMAP)), {
        removed: ['    steps: []'],
        added: ['    steps:', '      - id: dream-big', '        title: Dream big'],
      });
      assert.deepEqual(
        backlog().storyMap.activities.map((a) => [a.id, a.steps.map((s) => s.id)]),
        [['start', ['sign-in', 'set-preferences']], ['plan', ['find-route']], ['solo', ['go-alone']], ['later', ['dream-big']]],
      );
    });

    const emptySteps: [written: string, becomes: string][] = [
      ['    steps:', '    steps:'],
      ['    steps: ~', '    steps:'],
      ['    steps: null', '    steps:'],
      ['    steps: # none yet', '    steps: # none yet'],
      ['    steps: [] # none yet', '    steps: # none yet'],
      ['    steps:   []', '    steps:'],
    ];
    for (const [written, becomes] of emptySteps) {
      it(`starts a block list under "${written.trim()}", keeping a comment on that line`, async () => {
        const map = storymap.replace('    steps: []', written);
        const { writer, apply, ws, backlog } = await memoryBacklog(files(map));
        const r = await writer.addStoryMapStep(R, 'later', 'Dream big');
        ok(r);
        await apply(r.operations);
        const step = ['      - id: dream-big', '        title: Dream big'];
        const expected = written === becomes ? { removed: [], added: step } : { removed: [written], added: [becomes, ...step] };
        assert.deepEqual(replacedLines(map, ws.text(STORYMAP)), expected);
        assert.deepEqual(backlog().storyMap.activities.find((a) => a.id === 'later')?.steps.map((s) => s.id), ['dream-big']);
      });
    }

    it('keeps CRLF line ends and the BOM', async () => {
      const crlf = '\ufeff' + storymap.replace(/\n/g, '\r\n');
      const { writer, apply, ws } = await memoryBacklog(files(crlf));
      const r = await writer.addStoryMapStep(R, 'solo', 'Go alone');
      ok(r);
      await apply(r.operations);
      const bytes = await ws.read(STORYMAP);
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      assert.doesNotMatch(text, /[^\r]\n/);
      assert.ok(text.includes('    title: Alone on the trail\r\n    steps:\r\n      - id: go-alone\r\n        title: Go alone\r\n  - id: later'));
    });
  });

  describe('renameStoryMapNode', () => {
    const renames: [name: string, kind: 'step' | 'activity', id: string, title: string, from: string, to: string][] = [
      ['a step, keeping its comment', 'step', 'sign-in', 'Log in', '        title: Sign in # the first thing they do', '        title: Log in # the first thing they do'],
      ['a step, keeping its quotes', 'step', 'set-preferences', 'Choose units', "        title: 'Set preferences'", "        title: 'Choose units'"],
      ['a step in a one-line {…} mapping', 'step', 'find-route', 'Pick a route, or two', '      - {id: find-route, title: Find a route}', "      - {id: find-route, title: 'Pick a route, or two'}"],
      ['an activity', 'activity', 'start', 'Begin', '    title: Get started', '    title: Begin'],
      ['an activity found by id in any case', 'activity', 'SOLO', 'Solo hiking', '    title: Alone on the trail', '    title: Solo hiking'],
      ['with the title trimmed', 'activity', 'later', '  Some day  ', '    title: Someday', '    title: Some day'],
    ];
    for (const [name, kind, id, title, from, to] of renames) {
      it(`renames ${name}: one line changes`, async () => {
        const { writer, apply, ws, backlog } = await memoryBacklog(files());
        const r = await writer.renameStoryMapNode(R, kind, id, title);
        ok(r);
        assert.equal(r.itemId?.toUpperCase(), id.toUpperCase());
        assert.equal(r.summary, `${kind === 'step' ? 'Step' : 'Activity'} renamed to "${title.trim()}"`);
        await apply(r.operations);
        assert.deepEqual(differingLines(storymap, ws.text(STORYMAP)), [[from, to]]);
        const nodes = backlog().storyMap.activities.flatMap((a) => (kind === 'activity' ? [a] : a.steps));
        assert.equal(nodes.find((n) => n.id.toUpperCase() === id.toUpperCase())?.title, title.trim());
      });
    }

    it('writes nothing when the title is unchanged', async () => {
      const { writer } = await memoryBacklog(files());
      for (const [kind, id, title] of [['step', 'sign-in', 'Sign in'], ['activity', 'plan', ' Plan a hike '], ['step', 'find-route', 'Find a route']] as const) {
        const r = await writer.renameStoryMapNode(R, kind, id, title);
        ok(r);
        assert.deepEqual(r.operations, [], id);
      }
    });
  });

  describe('titles YAML would read as something else', () => {
    for (const title of YAML_SPECIAL) {
      it(`${JSON.stringify(title)} reads back as itself, as activity, new step and renamed step`, async () => {
        const { writer, apply, ws, backlog } = await memoryBacklog(files());
        const a = await writer.addStoryMapActivity(R, title);
        ok(a);
        await apply(a.operations);
        const s = await writer.addStoryMapStep(R, a.itemId!, title);
        ok(s);
        await apply(s.operations);
        for (const [id, kind] of [['sign-in', 'step'], ['find-route', 'step'], ['start', 'activity']] as const) {
          const r = await writer.renameStoryMapNode(R, kind, id, title);
          ok(r);
          await apply(r.operations);
        }
        const map = backlog().storyMap.activities;
        const added = map.find((x) => x.id === a.itemId);
        assert.equal(added?.title, title);
        assert.deepEqual(added?.steps.map((x) => [x.id, x.title]), [[s.itemId, title]]);
        assert.equal(map[0].title, title);
        assert.equal(map[0].steps[0].title, title);
        assert.equal(map[1].steps[0].title, title);
        assert.deepEqual(backlog().files.get(STORYMAP)?.diagnostics, []);
        // Tools on YAML 1.1 (where yes and 0x1F are not text) read the same titles.
        const old = parse(ws.text(STORYMAP), { version: '1.1' }) as { activities: { title: unknown; steps?: { title: unknown }[] }[] };
        assert.deepEqual([old.activities[0].title, old.activities[0].steps![0].title, old.activities.at(-1)!.title, old.activities.at(-1)!.steps![0].title], [title, title, title, title]);
      });
    }

    it('keeps every title one line: arbitrary titles rename with one changed line and read back exactly', async () => {
      const { writer, ws } = await memoryBacklog(files());
      const title = fc
        .oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom(...YAML_SPECIAL))
        .filter((t) => t.trim() !== '' && !/[\r\n]/.test(t));
      await fc.assert(
        fc.asyncProperty(title, fc.constantFrom<['step' | 'activity', string]>(['step', 'sign-in'], ['step', 'set-preferences'], ['step', 'find-route'], ['activity', 'start'], ['activity', 'later']), async (t, [kind, id]) => {
          const r = await writer.renameStoryMapNode(R, kind, id, t);
          ok(r);
          assert.equal(r.operations.length, 1);
          const op = r.operations[0];
          assert.equal(op.kind, 'edit');
          const after = applyEdits(ws.text(STORYMAP), op.kind === 'edit' ? op.edits : []);
          assert.equal(differingLines(storymap, after).length, 1);
          const map = parseStoryMap(STORYMAP, new TextEncoder().encode(after));
          assert.deepEqual(map.diagnostics, []);
          const nodes = map.value.activities.flatMap((a) => (kind === 'activity' ? [a] : a.steps));
          assert.equal(nodes.find((n) => n.id === id)?.title, t.trim());
        }),
        { numRuns: 300 },
      );
    }).timeout(30000);
  });

  describe('refusals, which write nothing', () => {
    const refusals: [name: string, run: (w: Awaited<ReturnType<typeof memoryBacklog>>['writer']) => Promise<WriteResult>, message: RegExp][] = [
      ['a step for an unknown activity', (w) => w.addStoryMapStep(R, 'nowhere', 'Step'), /No activity nowhere in storymap\.yml/],
      ['renaming an unknown step', (w) => w.renameStoryMapNode(R, 'step', 'nowhere', 'Step'), /No step nowhere in storymap\.yml/],
      ['renaming an unknown activity', (w) => w.renameStoryMapNode(R, 'activity', 'nowhere', 'Title'), /No activity nowhere in storymap\.yml/],
      ['renaming an activity id as a step', (w) => w.renameStoryMapNode(R, 'step', 'plan', 'Title'), /No step plan/],
      ['renaming a step id as an activity', (w) => w.renameStoryMapNode(R, 'activity', 'sign-in', 'Title'), /No activity sign-in/],
      ['an empty title', (w) => w.renameStoryMapNode(R, 'step', 'sign-in', '   '), /needs a title/],
      ['a title over two lines', (w) => w.renameStoryMapNode(R, 'activity', 'start', 'Get\nstarted'), /one line/],
      ['a title over two lines (CR)', (w) => w.addStoryMapStep(R, 'start', 'a\rb'), /one line/],
      ['an activity without a title', (w) => w.addStoryMapActivity(R, ''), /An activity needs a title/],
      ['a step without a title', (w) => w.addStoryMapStep(R, 'start', ' '), /A step needs a title/],
      ['a backlog that is not there', (w) => w.addStoryMapActivity('/ws/elsewhere', 'X'), /No backlog at \/ws\/elsewhere/],
    ];
    for (const [name, run, message] of refusals) {
      it(`refuses ${name}`, async () => {
        const { writer, ws } = await memoryBacklog(files());
        const r = await run(writer);
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, message);
        assert.equal(ws.text(STORYMAP), storymap);
      });
    }

    it('refuses a step or a rename when the backlog has no storymap.yml', async () => {
      const { writer, ws } = await memoryBacklog(files(null));
      const step = await writer.addStoryMapStep(R, 'start', 'Sign in');
      assert.equal(step.ok, false);
      assert.match(step.ok ? '' : step.message, /no storymap\.yml yet; add an activity first/);
      const rename = await writer.renameStoryMapNode(R, 'activity', 'start', 'Begin');
      assert.equal(rename.ok, false);
      assert.match(rename.ok ? '' : rename.message, /no storymap\.yml/);
      assert.equal(await ws.stat(STORYMAP), undefined);
    });

    it('never rewrites a storymap.yml that does not parse', async () => {
      const broken = storymap.replace('    title: Plan a hike', '    title: [Plan a hike');
      const { writer, ws } = await memoryBacklog(files(broken));
      for (const r of [
        await writer.addStoryMapActivity(R, 'Pack'),
        await writer.addStoryMapStep(R, 'start', 'Pack'),
        await writer.renameStoryMapNode(R, 'step', 'sign-in', 'Log in'),
        await writer.renameStoryMapNode(R, 'activity', 'start', 'Begin'),
      ]) {
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, /storymap\.yml has a problem on line \d+ .*fix it before changing the file here/);
      }
      assert.equal(ws.text(STORYMAP), broken);
    });

    it('refuses when storymap.yml changed since it was read', async () => {
      const { writer, ws } = await memoryBacklog(files());
      const changed = storymap.replace('Someday', 'Some day');
      ws.write(STORYMAP, changed);
      for (const r of [
        await writer.addStoryMapActivity(R, 'Pack'),
        await writer.addStoryMapStep(R, 'start', 'Pack'),
        await writer.renameStoryMapNode(R, 'activity', 'start', 'Begin'),
      ]) {
        assert.equal(r.ok, false);
        assert.match(r.ok ? '' : r.message, /storymap\.yml changed since it was read; nothing was written/);
      }
      assert.equal(ws.text(STORYMAP), changed);
    });

    it('refuses a step under a one-line {…} activity without steps, saying what to do', async () => {
      const { writer, ws } = await memoryBacklog(files('activities:\n  - {id: start, title: Get started}\n'));
      const r = await writer.addStoryMapStep(R, 'start', 'Sign in');
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /one-line \{…\} mapping; edit it by hand to add `steps`/);
      assert.equal(ws.text(STORYMAP), 'activities:\n  - {id: start, title: Get started}\n');
    });
  });
});
