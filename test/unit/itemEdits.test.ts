// The item editor's edits as pure functions: each form change is one text edit that changes only
// the bytes of its value, checklists keep Backlog.md's `#n` numbering and markers, and a file that
// does not parse is never edited.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addCheck, moveCheck, removeCheck, setCheck, setCheckText, setSectionText } from '../../src/core/format/bodyEdit';
import { parseBody } from '../../src/core/format/body';
import { itemTextEdit } from '../../src/core/itemEdits';
import { applyEdits } from '../../src/core/format/yamlEdit';
import { buildItemModel, historyLines } from '../../src/views/item/itemFormModel';
import { memoryBacklog } from './helpers';

const ITEM = [
  '---',
  'id: BL-1',
  'title: Offline maps',
  'status: To Do',
  'estimate: 3 # first guess',
  'labels: [maps]',
  'dependencies: [BL-2]',
  '---',
  '',
  '## Description',
  '',
  '<!-- SECTION:DESCRIPTION:BEGIN -->',
  'As a hiker I want **offline** maps.',
  '<!-- SECTION:DESCRIPTION:END -->',
  '',
  '## Acceptance Criteria',
  '<!-- AC:BEGIN -->',
  '- [ ] #1 Tiles download',
  '- [x] #2 Works in flight mode',
  '- [ ] #3 Shows the storage used',
  '<!-- AC:END -->',
  '',
].join('\n');

const FILES = {
  'backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/sprints.yml': "sprints:\n  - {id: S-1, name: Sprint 1, state: active, start: '2026-11-16', end: '2026-11-27'}\n",
  'backlog/tasks/bl-1 - Offline-maps.md': ITEM,
  'backlog/tasks/bl-2 - Tiles.md': '---\nid: BL-2\ntitle: Tiles\nstatus: Done\ndependencies: [BL-1]\n---\n',
};

/** The one line that differs, as [before, after]; fails if more than one line changed. */
function oneLine(before: string, after: string): [string, string] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, 'the line count is kept');
  const diff = a.map((l, i) => [l, b[i]] as [string, string]).filter(([x, y]) => x !== y);
  assert.equal(diff.length, 1, `exactly one line changed: ${JSON.stringify(diff)}`);
  return diff[0];
}

const acOf = (text: string) => parseBody(text.slice(text.indexOf('\n---\n') + 5), 0).acceptanceCriteria.map((c) => `${c.index}${c.checked ? 'x' : ' '}${c.text}`);

describe('item editor edits', () => {
  it('ticks and clears one box: one character of its line', () => {
    const r = setCheck(ITEM, 'ac', 1, true);
    assert.ok(r.ok);
    assert.deepEqual(oneLine(ITEM, r.text), ['- [ ] #1 Tiles download', '- [x] #1 Tiles download']);
    const back = setCheck(r.text, 'ac', 1, false);
    assert.ok(back.ok);
    assert.equal(back.text, ITEM);
  });

  it('round-trips any sequence of ticks: setting each box back restores the bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()), { maxLength: 12 }), fc.boolean(), (ticks, crlf) => {
        const start = crlf ? ITEM.replace(/\n/g, '\r\n') : ITEM;
        let text = start;
        for (const [index, checked] of ticks) {
          const r = setCheck(text, 'ac', index, checked);
          assert.ok(r.ok);
          assert.equal(r.text.length, text.length, 'a tick changes one character, never the length');
          text = r.text;
        }
        for (const [index, checked] of [[1, false], [2, true], [3, false]] as const) {
          const r = setCheck(text, 'ac', index, checked);
          assert.ok(r.ok);
          text = r.text;
        }
        assert.equal(text, start);
      }),
    );
  });

  it('edits, adds, removes and moves criteria with Backlog.md’s numbering', () => {
    const edited = setCheckText(ITEM, 'ac', 3, '  Shows   the space used ');
    assert.ok(edited.ok);
    assert.deepEqual(oneLine(ITEM, edited.text), ['- [ ] #3 Shows the storage used', '- [ ] #3 Shows the space used']);
    const added = addCheck(ITEM, 'ac', 'Deletes old tiles');
    assert.ok(added.ok);
    assert.match(added.text, /- \[ \] #3 Shows the storage used\n- \[ \] #4 Deletes old tiles\n<!-- AC:END -->/);
    const removed = removeCheck(ITEM, 'ac', 1);
    assert.ok(removed.ok);
    assert.deepEqual(acOf(removed.text), ['1xWorks in flight mode', '2 Shows the storage used']);
    assert.match(removed.text, /<!-- AC:BEGIN -->\n- \[x\] #1 Works in flight mode\n- \[ \] #2 Shows the storage used\n<!-- AC:END -->/);
    const moved = moveCheck(ITEM, 'ac', 3, 0);
    assert.ok(moved.ok);
    assert.deepEqual(acOf(moved.text), ['1 Shows the storage used', '2 Tiles download', '3xWorks in flight mode']);
    assert.ok(!setCheckText(ITEM, 'ac', 9, 'x').ok, 'a criterion that is not there is refused');
    assert.ok(!addCheck(ITEM, 'ac', '   ').ok, 'an empty criterion is refused');
  });

  it('starts a Definition of Done with Backlog.md’s heading and markers', () => {
    const r = addCheck(ITEM, 'dod', 'Tests pass');
    assert.ok(r.ok);
    assert.ok(r.text.endsWith('<!-- AC:END -->\n\n## Definition of Done\n<!-- DOD:BEGIN -->\n- [ ] #1 Tests pass\n<!-- DOD:END -->\n'), r.text);
  });

  it('keeps the list a list whatever is added, moved and removed (model check)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), text: fc.stringMatching(/^[a-z][a-z ]{0,12}[a-z]$/) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat(5) }),
      fc.record({ kind: fc.constant('move' as const), at: fc.nat(5), to: fc.nat(5) }),
      fc.record({ kind: fc.constant('tick' as const), at: fc.nat(5), checked: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), (ops) => {
        let text = ITEM;
        let model = [' Tiles download', 'xWorks in flight mode', ' Shows the storage used'];
        for (const o of ops) {
          if (o.kind === 'add') {
            const r = addCheck(text, 'ac', o.text);
            assert.ok(r.ok);
            text = r.text;
            model.push(` ${o.text.replace(/\s+/g, ' ')}`);
          } else if (model.length > 0) {
            const k = o.at % model.length;
            if (o.kind === 'remove') {
              const r = removeCheck(text, 'ac', k + 1);
              assert.ok(r.ok);
              text = r.text;
              model = model.filter((_, j) => j !== k);
            } else if (o.kind === 'move') {
              const to = o.to % model.length;
              const r = moveCheck(text, 'ac', k + 1, to);
              assert.ok(r.ok);
              text = r.text;
              const [m] = model.splice(k, 1);
              model.splice(to, 0, m);
            } else {
              const r = setCheck(text, 'ac', k + 1, o.checked);
              assert.ok(r.ok);
              text = r.text;
              model[k] = (o.checked ? 'x' : ' ') + model[k].slice(1);
            }
          }
          assert.deepEqual(acOf(text), model.map((m, j) => `${j + 1}${m}`));
        }
        assert.ok(text.startsWith(ITEM.slice(0, ITEM.indexOf('<!-- AC:BEGIN -->'))), 'nothing before the list changed');
      }),
    );
  });

  it('sets a section between its markers, and refuses text that would start a section', () => {
    const r = setSectionText(ITEM, 'description', 'Maps **without** signal.\n\nAnd more.');
    assert.ok(r.ok);
    assert.match(r.text, /<!-- SECTION:DESCRIPTION:BEGIN -->\nMaps \*\*without\*\* signal\.\n\nAnd more\.\n<!-- SECTION:DESCRIPTION:END -->/);
    assert.ok(r.text.endsWith(ITEM.slice(ITEM.indexOf('<!-- SECTION:DESCRIPTION:END -->'))));
    const plan = setSectionText(ITEM, 'plan', 'Cache tiles by zoom.');
    assert.ok(plan.ok);
    assert.ok(plan.text.endsWith('<!-- AC:END -->\n\n## Implementation Plan\n\n<!-- SECTION:PLAN:BEGIN -->\nCache tiles by zoom.\n<!-- SECTION:PLAN:END -->\n'), plan.text);
    // A heading of its own is part of the description, as Backlog.md reads it; one naming
    // another section would start that section.
    const details = setSectionText(ITEM, 'description', 'Intro\n\n## Details\nMore.');
    assert.ok(details.ok && parseBody(details.text.slice(details.text.indexOf('\n---\n') + 5), 0).description === 'Intro\n\n## Details\nMore.', details.ok ? details.text : details.message);
    assert.ok(!setSectionText(ITEM, 'description', 'text\n## Implementation Plan').ok);
  });

  describe('front-matter fields through the writer’s checks', () => {
    it('changes only the bytes of the value, its comment kept', async () => {
      const { backlog } = await memoryBacklog(FILES);
      const r = itemTextEdit(ITEM, { kind: 'field', key: 'estimate', value: 5 }, backlog());
      assert.ok(r.ok && r.edit);
      assert.deepEqual(oneLine(ITEM, r.text), ['estimate: 3 # first guess', 'estimate: 5 # first guess']);
      assert.deepEqual([r.edit.length, r.edit.newText], [1, '5']);
      const status = itemTextEdit(ITEM, { kind: 'field', key: 'status', value: 'in progress' }, backlog());
      assert.ok(status.ok);
      assert.deepEqual(oneLine(ITEM, status.text), ['status: To Do', 'status: In Progress']);
      const sprint = itemTextEdit(ITEM, { kind: 'field', key: 'sprint', value: 'S-1' }, backlog());
      assert.ok(sprint.ok);
      assert.equal(sprint.text, ITEM.replace('dependencies: [BL-2]\n', 'dependencies: [BL-2]\nsprint: S-1\n'));
    });

    it('refuses unknown values and keys the form does not edit, and files that do not parse', async () => {
      const { backlog } = await memoryBacklog(FILES);
      for (const [key, value] of [['status', 'Nope'], ['sprint', 'S-9'], ['id', 'BL-9'], ['estimate', -1], ['rank', 'a0']] as const) {
        assert.ok(!itemTextEdit(ITEM, { kind: 'field', key, value }, backlog()).ok, `${key}: ${value}`);
      }
      const broken = ITEM.replace('title: Offline maps', 'title: [unclosed');
      assert.ok(!itemTextEdit(broken, { kind: 'field', key: 'estimate', value: 5 }, backlog()).ok);
    });

    it('changes only the value’s bytes for any estimate on the scale and any title', async () => {
      const { backlog } = await memoryBacklog(FILES);
      const b = backlog();
      fc.assert(
        fc.property(fc.constantFrom(1, 2, 3, 5, 8, 13, 21), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.:'"#!?-]{0,30}[A-Za-z0-9.!?]$/), (estimate, title) => {
          for (const [key, value, line] of [['estimate', estimate, 4], ['title', title, 2]] as const) {
            const r = itemTextEdit(ITEM, { kind: 'field', key, value }, b);
            assert.ok(r.ok, `${key}: ${String(value)}`);
            if (!r.edit) continue;
            assert.equal(applyEdits(ITEM, [r.edit]), r.text);
            const a = ITEM.split('\n');
            const after = r.text.split('\n');
            assert.deepEqual(after.filter((_, i) => i !== line), a.filter((_, i) => i !== line), 'only that line changed');
          }
        }),
      );
    });
  });

  describe('the form model', () => {
    it('shows the fields, the checklists, the dependency cycle and where the item stands', async () => {
      const { backlog } = await memoryBacklog(FILES);
      const m = buildItemModel({ path: '/ws/backlog/tasks/bl-1 - Offline-maps.md', text: ITEM, backlog: backlog(), todosOf: () => [{ where: 'src/map.ts:3', text: 'cache tiles' }], history: undefined });
      assert.ok(m.kind === 'form');
      assert.deepEqual([m.id, m.fields.estimate, m.fields.labels], ['BL-1', '3', ['maps']]);
      assert.deepEqual(m.acceptanceCriteria.map((c) => c.checked), [false, true, false]);
      assert.deepEqual(m.dependencies, [{ id: 'BL-2', title: 'Tiles', status: 'Done', done: true, problem: 'cycle' }]);
      assert.match(m.descriptionHtml, /<strong>offline<\/strong>/);
      assert.deepEqual(m.todos, [{ ref: 0, where: 'src/map.ts:3', text: 'cache tiles' }]);
      assert.equal(m.standing.find((s) => s.label === 'Rank')?.value, '1 of 1 in the product backlog');
      assert.equal(m.historyNote, 'Reading the history from git…');
    });

    it('shows problems and the text, never a form, for a file that does not parse', async () => {
      const { backlog } = await memoryBacklog(FILES);
      const text = ITEM.replace('title: Offline maps', 'title: [unclosed');
      const m = buildItemModel({ path: '/ws/backlog/tasks/bl-1 - Offline-maps.md', text, backlog: backlog(), todosOf: () => [], history: undefined });
      assert.ok(m.kind === 'problems');
      assert.equal(m.text, text);
      assert.ok(m.problems.length > 0 && m.problems[0].line >= 1);
    });

    it('tells the history as changes of sprint, points, status and done', async () => {
      const { backlog } = await memoryBacklog(FILES);
      const snap = (sprint: string | undefined, points: number, done: boolean, status?: string) => ({ key: 'BL-1', id: 'BL-1', title: 'Offline maps', sprint, points, estimated: true, done, status });
      const lines = historyLines(
        [
          { date: '2026-11-01', snapshot: snap(undefined, 3, false, 'To Do'), created: true },
          { date: '2026-11-16', snapshot: snap('S-1', 3, false, 'To Do') },
          { date: '2026-11-17', snapshot: snap('S-1', 3, false, 'In Progress') },
          { date: '2026-11-18', snapshot: snap('S-1', 5, false, 'In Progress') },
          { date: '2026-11-20', snapshot: snap('S-1', 5, true, 'Done') },
          // Moved to completed/ with its status as it was: done all the same.
          { date: '2026-11-21', snapshot: snap('S-1', 5, false) },
          { date: '2026-11-22', snapshot: snap('S-1', 5, true) },
        ],
        backlog(),
      );
      assert.deepEqual(lines.map((l) => `${l.date} ${l.text}`), [
        '2026-11-01 Created',
        '2026-11-16 Sprint → Sprint 1',
        '2026-11-17 Status To Do → In Progress',
        '2026-11-18 Points 3 → 5',
        '2026-11-20 Status In Progress → Done',
        '2026-11-21 Reopened',
        '2026-11-22 Done',
      ]);
    });
  });
});
