import * as assert from 'assert';
import { Slicer } from '../../src/core/slicer';

// Long work on the extension host (the index's build, the TODO scan) yields through a Slicer, so
// that the editor gets a turn at least every slice. These tests run on a clock of their own: each
// unit of work moves it on by a millisecond, and nothing depends on how fast the machine is.

const SLICE = 15;
const UNIT = 1;

/**
 * Runs `callers` loops of `units` units each over one Slicer, and returns the most clock time
 * that passed between two turns of the event loop (a setImmediate probe), and the units done.
 */
async function run(callers: number, units: number): Promise<{ longest: number; done: number }> {
  let clock = 0;
  const slicer = new Slicer(SLICE, () => clock);
  let longest = 0;
  let last = clock;
  let running = true;
  const tick = () => {
    longest = Math.max(longest, clock - last);
    last = clock;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  let done = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < units; i++) {
        await slicer.maybeYield();
        clock += UNIT;
        done++;
      }
    }),
  );
  running = false;
  tick();
  return { longest, done };
}

describe('Slicer', () => {
  it('gives the event loop a turn once a slice is used up', async () => {
    const { longest, done } = await run(1, 200);
    assert.strictEqual(done, 200);
    assert.ok(longest <= SLICE + UNIT, `${longest} ms of work between two turns`);
  });

  it('holds one slice per turn when many callers share it, not one each', async () => {
    // The index's readers (64) and the scan's (8) share one slicer and wake in the same turn. Each
    // may finish the unit it started after the slice ran out, but none starts a slice of its own.
    const callers = 64;
    const { longest, done } = await run(callers, 50);
    assert.strictEqual(done, callers * 50);
    assert.ok(longest <= SLICE + callers * UNIT, `${longest} ms of work between two turns`);
  });
});
