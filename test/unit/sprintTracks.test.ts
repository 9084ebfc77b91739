import * as assert from 'assert';
import fc from 'fast-check';
import { HistoryEntry, Timeline } from '../../src/core/history/history';
import { minDate, releaseTracks, shiftedToEnd, sprintTracks, SprintScope, Track, tracksOf } from '../../src/core/figures/timeline';

/** sprintTracks as first written: a search of every track's every version, for each sprint asked. */
function bySearch(base: Track[], scope: SprintScope, today: string): Track[] {
  const ever = base.filter((t) => scope.committed?.has(t.key) === true || t.entries.some((e) => e.snapshot?.sprint === scope.sprintKey));
  const tracks = scope.end < today ? ever.map((t) => shiftedToEnd(t, scope)) : ever;
  if (!scope.committed) return tracks;
  const known = new Set(base.map((t) => t.key));
  const extra: Track[] = [];
  for (const [key, c] of scope.committed) {
    if (!known.has(key)) extra.push({ key, id: c.id, title: '', entries: [{ date: minDate(today, scope.end), snapshot: undefined, fromHistory: false }], runs: [] });
  }
  return extra.length === 0 ? tracks : [...tracks, ...extra];
}

const day = fc.integer({ min: 1, max: 28 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
const sprintKey = fc.constantFrom('S-1', 'S-2', 'S-3');
const releaseId = fc.constantFrom('R-1', 'R-2', 'r-1');
const itemKey = fc.integer({ min: 1, max: 12 }).map((n) => `BL-${n}`);
const entry = (key: string) =>
  fc.record({ date: day, sprint: fc.option(sprintKey, { nil: undefined }), release: fc.option(releaseId, { nil: undefined }), gone: fc.boolean(), fromHistory: fc.boolean() }).map(
    ({ date, sprint, release, gone, fromHistory }): HistoryEntry => ({ date, fromHistory, snapshot: gone ? undefined : { key, id: key, title: key, sprint, release, points: 1, estimated: true, done: false } }),
  );
const timeline = fc.uniqueArray(itemKey, { maxLength: 12 }).chain((keys) =>
  fc.tuple(...keys.map((k) => fc.array(entry(k), { minLength: 1, maxLength: 5 }).map((es): [string, HistoryEntry[]] => [k, es.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))]))),
);
const scope = fc.record({
  sprintKey,
  start: day,
  length: fc.integer({ min: 0, max: 10 }),
  committed: fc.option(fc.uniqueArray(itemKey, { maxLength: 6 }), { nil: undefined }),
});

describe('the tracks a sprint reads', () => {
  it('are those a search of every version finds, in the same order, for sprint after sprint of one timeline', () => {
    fc.assert(
      fc.property(timeline, fc.array(scope, { minLength: 1, maxLength: 4 }), day, (entries, scopes, today) => {
        const base = tracksOf(new Map(entries) as Timeline);
        for (const s of scopes) {
          const end = `2026-03-${String(Math.min(28, Number(s.start.slice(8)) + s.length)).padStart(2, '0')}`;
          const committed = s.committed && new Map(s.committed.map((k) => [k, { id: k, estimate: 3 }]));
          const sc: SprintScope = { sprintKey: s.sprintKey, start: s.start, end, committed };
          assert.deepStrictEqual(sprintTracks(base, sc, today), bySearch(base, sc, today));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the tracks a release reads', () => {
  it('are those with a version in it, as a search of every version finds them, in the same order', () => {
    fc.assert(
      fc.property(timeline, fc.array(releaseId, { minLength: 1, maxLength: 4 }), (entries, releases) => {
        const base = tracksOf(new Map(entries) as Timeline);
        for (const id of releases) {
          const searched = base.filter((t) => t.entries.some((e) => e.snapshot !== undefined && e.snapshot.release === id));
          assert.deepStrictEqual(releaseTracks(base, id), searched);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
