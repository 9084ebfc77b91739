import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BarExtent, packRows } from '../../src/views/roadmap/timelineRows';

const overlap = (a: BarExtent, b: BarExtent) => a.start < b.end && b.start < a.end;

describe('timeline rows', () => {
  it('puts bars that overlap in time on rows of their own, and bars that follow each other on one row', () => {
    // A theme over Q1–Q2, an epic in Q1, one in Q2, one in Q3 (ends are the day after).
    const { rows, count } = packRows([
      { start: 0, end: 2 },
      { start: 0, end: 1 },
      { start: 1, end: 2 },
      { start: 2, end: 3 },
    ]);
    assert.deepEqual(rows, [0, 1, 1, 0]);
    assert.equal(count, 2);
  });

  it('lays out no bars in no rows', () => {
    assert.deepEqual(packRows([]), { rows: [], count: 0 });
  });

  it('for any bars: no two on a row overlap, and there are only as many rows as bars overlap at one moment', () => {
    const bar = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 15 })).map(([start, length]) => ({ start, end: start + length }));
    fc.assert(
      fc.property(fc.array(bar, { maxLength: 60 }), (bars) => {
        const { rows, count } = packRows(bars);
        assert.equal(rows.length, bars.length);
        for (let i = 0; i < bars.length; i++) {
          assert.ok(Number.isInteger(rows[i]) && rows[i] >= 0 && rows[i] < count, `bar ${i} on row ${rows[i]} of ${count}`);
          for (let j = i + 1; j < bars.length; j++) assert.ok(rows[i] !== rows[j] || !overlap(bars[i], bars[j]), `bars ${i} and ${j} overlap on row ${rows[i]}`);
        }
        // The fewest rows possible: as many bars as run at the busiest moment (a bar's start).
        const busiest = Math.max(0, ...bars.map((b) => bars.filter((o) => o.start <= b.start && b.start < o.end).length));
        assert.equal(count, busiest);
      }),
      { numRuns: 300 },
    );
  });

  it('lays out 100,000 bars that all overlap without looking at every row for each', () => {
    // Scanning the rows for a free one would be 5 billion steps here: minutes, not a blink.
    const bars = Array.from({ length: 100_000 }, (_, i) => ({ start: i, end: 200_000 }));
    const started = performance.now();
    const { rows, count } = packRows(bars);
    assert.equal(count, 100_000);
    assert.equal(rows[99_999], 99_999);
    assert.ok(performance.now() - started < 2_000, `took ${Math.round(performance.now() - started)} ms`);
  });
});
