import * as assert from 'assert';
import fc from 'fast-check';
import { Backlog } from '../../src/core/backlog';
import { BacklogHistory, HistoryEntry, snapshotOf, Timeline, timelineOf } from '../../src/core/history/history';
import { itemText, memoryBacklog } from './helpers';

const TODAY = '2026-11-20';

/** timelineOf as first written: every history list copied, then today's versions added. */
function byCopy(backlog: Backlog, history: BacklogHistory | undefined, today: string): Timeline {
  const out: Timeline = new Map();
  for (const [key, entries] of history?.items ?? []) out.set(key, [...entries]);
  const seen = new Set<string>();
  for (const item of backlog.items()) {
    const snap = snapshotOf(backlog, item);
    seen.add(snap.key);
    const entries = out.get(snap.key) ?? [];
    const last = entries[entries.length - 1];
    const same = last?.snapshot !== undefined && JSON.stringify({ ...last.snapshot, status: undefined, key: undefined, id: undefined, completedGuessed: undefined }) === JSON.stringify({ ...snap, status: undefined, key: undefined, id: undefined, completedGuessed: undefined });
    if (!last || !same) entries.push({ date: today, snapshot: snap, fromHistory: false });
    out.set(snap.key, entries);
  }
  for (const [key, entries] of out) {
    const last = entries[entries.length - 1];
    if (!seen.has(key) && last?.snapshot !== undefined) entries.push({ date: today, snapshot: undefined, fromHistory: false });
  }
  return out;
}

describe("a backlog's timeline", () => {
  it('is the history plus today, and leaves the history’s lists as they were (property)', async () => {
    const item = fc.record({ status: fc.constantFrom('To Do', 'Done'), sprint: fc.option(fc.constantFrom('S-1', 'S-2'), { nil: undefined }), estimate: fc.option(fc.constantFrom(1, 3, 5), { nil: undefined }) });
    // For each of 8 keys: no history, or versions that end as the file is now, or otherwise, or in a deletion.
    const past = fc.array(fc.constantFrom('none', 'same', 'other', 'gone'), { minLength: 8, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 6 }), past, async (items, kinds) => {
        const files: Record<string, string> = { 'backlog/config.yml': 'statuses: ["To Do", "Done"]\n' };
        items.forEach((it, k) => {
          const fields: Record<string, string | number> = { id: `BL-${k + 1}`, title: `Item ${k + 1}`, status: it.status };
          if (it.sprint) fields.sprint = it.sprint;
          if (it.estimate !== undefined) fields.estimate = it.estimate;
          files[`backlog/tasks/bl-${k + 1} - item.md`] = itemText(fields);
        });
        const b = (await memoryBacklog(files)).backlog();
        const now = new Map(b.items().map((i) => [i.key, snapshotOf(b, i)]));
        const items2 = new Map<string, HistoryEntry[]>();
        kinds.forEach((kind, k) => {
          const key = `BL-${k + 1}`;
          const snap = now.get(key) ?? { key, id: key, title: `Item ${k + 1}`, points: 2, estimated: true, done: false };
          if (kind === 'none') return;
          const older: HistoryEntry = { date: '2026-10-01', snapshot: { ...snap, points: snap.points + 1 }, fromHistory: true, created: true };
          const last: HistoryEntry = kind === 'gone' ? { date: '2026-10-05', snapshot: undefined, fromHistory: true } : { date: '2026-10-05', snapshot: kind === 'same' ? snap : { ...snap, title: 'Renamed' }, fromHistory: true };
          items2.set(key, [older, last]);
        });
        const history: BacklogHistory = { items: items2, source: 'git', commits: 2, detail: '' };
        const before = structuredClone([...items2]);
        const timeline = timelineOf(b, history, TODAY);
        assert.deepStrictEqual([...timeline].sort(), [...byCopy(b, history, TODAY)].sort());
        assert.deepStrictEqual([...items2], before, 'the history is not changed');
        assert.deepStrictEqual([...timelineOf(b, undefined, TODAY)].sort(), [...byCopy(b, undefined, TODAY)].sort());
      }),
      { numRuns: 300 },
    );
  });
});
