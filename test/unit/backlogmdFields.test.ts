import * as assert from 'assert';
import { memoryBacklog } from './helpers';

// An item exactly as Backlog.md 1.52 writes it with `task create … --dep --ref --doc
// --modified-file --due-date --dod --notes --final-summary` and `task edit --comment`.
const WRITTEN = `---
id: TASK-002
title: 'Second: thing'
status: In Progress
assignee: []
reporter: '@jo'
created_date: '2026-12-06 18:23'
due_date: '2026-12-01'
labels: []
dependencies:
  - TASK-001
references:
  - 'https://x.y'
documentation:
  - docs/a.md
modified_files:
  - src/a.ts
ordinal: 2000
---

## Implementation Plan

<!-- SECTION:PLAN:BEGIN -->
1. Do it
<!-- SECTION:PLAN:END -->

## Definition of Done
<!-- DOD:BEGIN -->
- [ ] #1 tests pass
<!-- DOD:END -->

## Implementation Notes

<!-- SECTION:NOTES:BEGIN -->
some notes
<!-- SECTION:NOTES:END -->

## Comments

<!-- COMMENTS:BEGIN -->
author: @jo
created: 2026-12-06 18:23
---
Looks good
really
---
author: @maria
created: 2026-12-07 09:00
---
Second
---
<!-- COMMENTS:END -->

## Final Summary

<!-- SECTION:FINAL_SUMMARY:BEGIN -->
summ
<!-- SECTION:FINAL_SUMMARY:END -->
`;

describe("Backlog.md's fields and sections, read", () => {
  it('reads due_date, reporter, references, documentation and modified_files', async () => {
    const { backlog, index } = await memoryBacklog({ 'backlog/tasks/task-002 - Second-thing.md': WRITTEN });
    const item = backlog().item('TASK-2')!;
    assert.strictEqual(item.dueDate, '2026-12-01');
    assert.strictEqual(item.reporter, '@jo');
    assert.deepStrictEqual([item.references, item.documentation, item.modifiedFiles], [['https://x.y'], ['docs/a.md'], ['src/a.ts']]);
    assert.deepStrictEqual([...index.diagnostics().values()].flat().filter((d) => d.code !== 'unknown-dependency'), []);
  });

  it('reads the plan, notes, final summary, definition of done and comments without their markers', async () => {
    const { backlog } = await memoryBacklog({ 'backlog/tasks/task-002 - Second-thing.md': WRITTEN });
    const item = backlog().item('TASK-2')!;
    assert.strictEqual(item.implementationPlan, '1. Do it');
    assert.strictEqual(item.implementationNotes, 'some notes');
    assert.strictEqual(item.finalSummary, 'summ');
    assert.deepStrictEqual(item.definitionOfDone.map((c) => [c.index, c.checked, c.text]), [[1, false, 'tests pass']]);
    assert.deepStrictEqual(item.comments, [
      { author: '@jo', created: '2026-12-06 18:23', text: 'Looks good\nreally' },
      { author: '@maria', created: '2026-12-07 09:00', text: 'Second' },
    ]);
    assert.deepStrictEqual(item.sections.map((s) => s.title), ['Implementation Plan', 'Definition of Done', 'Implementation Notes', 'Comments', 'Final Summary'], "a comment's --- delimiter makes no heading");
    for (const s of item.sections) assert.doesNotMatch(s.content, /<!--/, `no marker in ${s.title}`);
  });

  it('reads due_date on a milestone, and warns on a due date no calendar has', async () => {
    const { backlog, index } = await memoryBacklog({
      'backlog/milestones/m-1 - beta.md': "---\nid: m-1\ntitle: Beta\ndue_date: '2027-01-15'\n---\n",
      'backlog/tasks/task-1 - A.md': "---\nid: TASK-1\ntitle: A\ndue_date: '2026-02-30'\n---\n",
    });
    assert.strictEqual(backlog().release('m-1')?.date, '2027-01-15');
    assert.strictEqual(backlog().item('TASK-1')!.dueDate, undefined);
    assert.deepStrictEqual([...index.diagnostics().values()].flat().map((d) => d.code), ['bad-date']);
  });
});
