import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Clock, clockFromSetting, parseClockSpec, SettableClock } from '../../src/core/clock';

/** A base clock the test moves by hand, so that "the clock keeps running" is checked without waiting. */
function manualClock(start: string): Clock & { advance(ms: number): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

describe('the clock (BACKLOG_ATLAS_NOW)', () => {
  it('is the base clock when the setting is empty or absent', () => {
    const base = manualClock('2026-12-06T12:00:00Z');
    for (const text of [undefined, '', '   ']) {
      const { clock, error } = clockFromSetting(text, base);
      assert.equal(error, undefined);
      assert.equal(clock.now().toISOString(), '2026-12-06T12:00:00.000Z');
    }
  });

  it('starts at a pinned day or instant and keeps running from there', () => {
    const base = manualClock('2026-12-06T12:00:00Z');
    const { clock } = clockFromSetting('2026-11-21', base);
    assert.equal(clock.now().toISOString(), '2026-11-21T00:00:00.000Z');
    base.advance(90_000);
    assert.equal(clock.now().toISOString(), '2026-11-21T00:01:30.000Z');
    assert.equal(clockFromSetting('2027-01-02T09:30Z', base).clock.now().toISOString(), '2027-01-02T09:30:00.000Z');
    assert.equal(clockFromSetting('2027-01-02 09:30:15', base).clock.now().toISOString(), '2027-01-02T09:30:15.000Z');
  });

  it('shifts the base clock by whole days, forward or back', () => {
    const base = manualClock('2026-12-06T12:00:00Z');
    assert.equal(clockFromSetting('+365d', base).clock.now().toISOString(), '2027-12-06T12:00:00.000Z');
    assert.equal(clockFromSetting('-365d', base).clock.now().toISOString(), '2025-12-06T12:00:00.000Z');
  });

  it('refuses what is not a date or an offset, naming the forms it takes', () => {
    for (const bad of ['tomorrow', '2026-02-30', '2026-13-01', '2026-11-21T25:00', '+5', '5d', '+1.5d', '2026-11-21T09:30+02:00']) {
      const { clock, error } = clockFromSetting(bad, manualClock('2026-12-06T12:00:00Z'));
      assert.ok(error, bad);
      assert.match(error.message, /2026-11-21.*\+365d/);
      // A bad setting leaves the clock on the base clock rather than on a guess.
      assert.equal(clock.now().toISOString(), '2026-12-06T12:00:00.000Z');
    }
  });

  it('goes back to the base clock when set to nothing', () => {
    const base = manualClock('2026-12-06T12:00:00Z');
    const clock = new SettableClock(base);
    clock.set({ kind: 'offset', ms: 86_400_000 });
    assert.equal(clock.now().toISOString(), '2026-12-07T12:00:00.000Z');
    clock.set(undefined);
    assert.equal(clock.now().toISOString(), '2026-12-06T12:00:00.000Z');
  });

  it('reads back every valid day it is pinned to (property)', () => {
    const day = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, (d) => {
        const spec = parseClockSpec(d);
        assert.ok(spec && !(spec instanceof Error) && spec.kind === 'at');
        const clock = new SettableClock(manualClock('2026-12-06T12:00:00Z'));
        clock.set(spec);
        return clock.now().toISOString().slice(0, 10) === d;
      }),
    );
  });

  it('parses any text in time linear in its length (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseClockSpec(text);
        return r === undefined || r instanceof Error || r.kind === 'at' || r.kind === 'offset';
      }),
    );
    // The patterns are anchored with bounded repeats: a long hostile value is refused at once.
    const started = performance.now();
    assert.ok(parseClockSpec(`+${'9'.repeat(1_000_000)}d`) instanceof Error);
    assert.ok(parseClockSpec(`2026-11-21${' '.repeat(1_000_000)}x`) instanceof Error);
    assert.ok(performance.now() - started < 500);
  });
});
