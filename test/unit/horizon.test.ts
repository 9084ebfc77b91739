import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addQuarters,
  compareQuarters,
  horizonColumn,
  horizonLabel,
  horizonSpan,
  isPastQuarter,
  normalizeHorizon,
  quarterOf,
  quarterRange,
} from '../../src/core/rules/horizon';

const TODAY = '2026-11-21';

describe('horizons', () => {
  describe('normalizeHorizon', () => {
    const cases: [text: string, expected: string | undefined][] = [
      ['now', 'now'],
      ['Now', 'now'],
      ['NEXT', 'next'],
      ['  later\t', 'later'],
      ['2027-Q2', '2027-Q2'],
      ['2027-q2', '2027-Q2'],
      [' 2026-Q4 ', '2026-Q4'],
      ['0202-Q1', '0202-Q1'],
      ['2027-Q5', undefined],
      ['2027-Q0', undefined],
      ['2027-Q', undefined],
      ['27-Q1', undefined],
      ['2027Q1', undefined],
      ['2027-Q1x', undefined],
      ['soon', undefined],
      ['now!', undefined],
      ['no w', undefined],
      ['', undefined],
      ['   ', undefined],
    ];
    for (const [text, expected] of cases) {
      it(`${JSON.stringify(text)} -> ${expected ?? 'refused'}`, () => assert.equal(normalizeHorizon(text), expected));
    }
  });

  describe('quarter arithmetic', () => {
    const quarterOfCases: [date: string, quarter: string][] = [
      ['2026-01-01', '2026-Q1'],
      ['2026-03-31', '2026-Q1'],
      ['2026-04-01', '2026-Q2'],
      ['2026-09-30', '2026-Q3'],
      ['2026-11-21', '2026-Q4'],
      ['2026-12-31', '2026-Q4'],
      ['2026-11-21T23:59:00Z', '2026-Q4'],
      ['0202-02-03', '0202-Q1'],
    ];
    for (const [date, quarter] of quarterOfCases) {
      it(`${date} is in ${quarter}`, () => assert.equal(quarterOf(date), quarter));
    }

    const addCases: [quarter: string, n: number, expected: string][] = [
      ['2026-Q4', 1, '2027-Q1'],
      ['2027-Q1', -1, '2026-Q4'],
      ['2026-Q1', -1, '2025-Q4'],
      ['2026-Q4', 0, '2026-Q4'],
      ['2026-Q2', 4, '2027-Q2'],
      ['2026-Q2', -4, '2025-Q2'],
      ['2026-Q3', 6, '2028-Q1'],
      ['2026-Q3', -7, '2024-Q4'],
      ['1000-Q1', -1, '0999-Q4'],
      ['0999-Q4', 1, '1000-Q1'],
      ['not a quarter', 3, 'not a quarter'],
    ];
    for (const [quarter, n, expected] of addCases) {
      it(`${quarter} ${n < 0 ? '-' : '+'} ${Math.abs(n)} = ${expected}`, () => assert.equal(addQuarters(quarter, n), expected));
    }

    const rangeCases: [quarter: string, start: string, end: string][] = [
      ['2026-Q1', '2026-01-01', '2026-04-01'],
      ['2026-Q2', '2026-04-01', '2026-07-01'],
      ['2026-Q3', '2026-07-01', '2026-10-01'],
      ['2026-Q4', '2026-10-01', '2027-01-01'],
      ['0999-Q4', '0999-10-01', '1000-01-01'],
    ];
    for (const [quarter, start, end] of rangeCases) {
      it(`${quarter} runs from ${start} up to ${end}`, () => assert.deepEqual(quarterRange(quarter), { start, end }));
    }

    it('compares quarters by time, across years', () => {
      const sorted = ['2027-Q1', '2026-Q4', '2026-Q1', '2025-Q4'].sort(compareQuarters);
      assert.deepEqual(sorted, ['2025-Q4', '2026-Q1', '2026-Q4', '2027-Q1']);
      assert.equal(compareQuarters('2026-Q4', '2026-Q4'), 0);
    });
  });

  describe('horizonColumn (today 2026-11-21)', () => {
    const cases: [horizon: string | undefined, column: string][] = [
      ['now', 'now'],
      ['next', 'next'],
      ['later', 'later'],
      [undefined, 'unscheduled'],
      ['2026-Q4', 'now'],
      ['2026-Q2', 'now'],
      ['2019-Q1', 'now'],
      ['2027-Q1', 'next'],
      ['2027-Q2', 'later'],
      ['2031-Q3', 'later'],
      ['soon', 'unscheduled'],
    ];
    for (const [horizon, column] of cases) {
      it(`${horizon ?? 'no horizon'} -> ${column}`, () => assert.equal(horizonColumn(horizon, TODAY), column));
    }

    it('a quarter turns from next to now when its first day comes', () => {
      assert.equal(horizonColumn('2027-Q1', '2026-12-31'), 'next');
      assert.equal(horizonColumn('2027-Q1', '2027-01-01'), 'now');
      assert.equal(horizonColumn('2027-Q2', '2026-12-31'), 'later');
      assert.equal(horizonColumn('2027-Q2', '2027-01-01'), 'next');
    });
  });

  describe('isPastQuarter (today 2026-11-21)', () => {
    const cases: [horizon: string | undefined, past: boolean][] = [
      ['2026-Q3', true],
      ['2025-Q4', true],
      ['2026-Q4', false],
      ['2027-Q1', false],
      ['now', false],
      ['later', false],
      [undefined, false],
    ];
    for (const [horizon, past] of cases) {
      it(`${horizon ?? 'no horizon'} ${past ? 'has' : 'has not'} passed`, () => assert.equal(isPastQuarter(horizon, TODAY), past));
    }
  });

  describe('horizonSpan (today 2026-11-21)', () => {
    const cases: [horizon: string | undefined, span: { start: string; end: string; open: boolean } | undefined][] = [
      ['now', { start: '2026-10-01', end: '2027-01-01', open: false }],
      ['next', { start: '2027-01-01', end: '2027-04-01', open: false }],
      ['later', { start: '2027-04-01', end: '2027-07-01', open: true }],
      ['2026-Q4', { start: '2026-10-01', end: '2027-01-01', open: false }],
      ['2028-Q3', { start: '2028-07-01', end: '2028-10-01', open: false }],
      ['2026-Q1', { start: '2026-01-01', end: '2026-04-01', open: false }],
      [undefined, undefined],
      ['soon', undefined],
    ];
    for (const [horizon, span] of cases) {
      it(`${horizon ?? 'no horizon'} -> ${span ? `${span.start}..${span.end}${span.open ? ' and on' : ''}` : 'no span'}`, () => assert.deepEqual(horizonSpan(horizon, TODAY), span));
    }

    it('relative horizons move with today across a year boundary', () => {
      assert.deepEqual(horizonSpan('next', '2026-12-31'), { start: '2027-01-01', end: '2027-04-01', open: false });
      assert.deepEqual(horizonSpan('later', '2026-12-31'), { start: '2027-04-01', end: '2027-07-01', open: true });
      assert.deepEqual(horizonSpan('now', '2027-01-01'), { start: '2027-01-01', end: '2027-04-01', open: false });
    });
  });

  describe('horizonLabel', () => {
    const cases: [horizon: string, label: string][] = [
      ['now', 'Now'],
      ['next', 'Next'],
      ['later', 'Later'],
      ['2027-Q2', '2027-Q2'],
    ];
    for (const [horizon, label] of cases) {
      it(`${horizon} reads "${label}"`, () => assert.equal(horizonLabel(horizon), label));
    }
  });

  describe('properties', () => {
    // Years 0005..9994, so that ±20 quarters (five years) stay within four-digit years.
    const quarter = fc.tuple(fc.integer({ min: 5, max: 9994 }), fc.integer({ min: 1, max: 4 })).map(([y, q]) => `${String(y).padStart(4, '0')}-Q${q}`);
    const shift = fc.integer({ min: -20, max: 20 });

    it('adding n quarters and then -n gives the quarter back', () => {
      fc.assert(fc.property(quarter, shift, (q, n) => addQuarters(addQuarters(q, n), -n) === q));
    });

    it('adding n quarters gives a quarter that normalizeHorizon accepts, n quarters later', () => {
      fc.assert(
        fc.property(quarter, shift, (q, n) => {
          const r = addQuarters(q, n);
          return normalizeHorizon(r) === r && Math.sign(compareQuarters(r, q)) === Math.sign(n);
        }),
      );
    });

    it('a quarter ends where the next one starts', () => {
      fc.assert(fc.property(quarter, (q) => quarterRange(q).end === quarterRange(addQuarters(q, 1)).start));
    });

    it('the first day of a quarter is in that quarter', () => {
      fc.assert(fc.property(quarter, (q) => quarterOf(quarterRange(q).start) === q));
    });
  });
});
