import * as assert from 'assert';
import { BacklogMdResult, BacklogMdSizeResult, backlogMdTable, costAgainstSize } from '../../bench/backlogmdBench';

// The bench's cost against size, as docs/benchmarks.md states it: the largest backlog against the
// 10,000-item one, and "linear or better" only when the time grew no faster than the items.

function size(items: number, ms: number, theirs: number[] = []): BacklogMdSizeResult {
  return { items, sameItems: items, ours: [ms], oursWarm: [ms / 2], theirs, floor: [ms / 10], statFloor: [ms / 20], oursMedian: ms, oursWarmMedian: ms / 2, theirsMedian: theirs.length ? theirs[0] : NaN, floorMedian: ms / 10, statFloorMedian: ms / 20, ratio: theirs.length ? theirs[0] / ms : NaN, warmRatio: theirs.length ? (2 * theirs[0]) / ms : NaN, load: [1, 1] };
}

function result(results: BacklogMdSizeResult[]): BacklogMdResult {
  return { machine: 'm', date: '2026-12-07', runs: 1, versions: { backlogAtlas: '0', backlogMd: '1', node: 'v20' }, commands: { backlogAtlas: 'a', backlogMd: 'b', floor: 'c' }, results };
}

describe('the Backlog.md bench table', () => {
  it('compares the largest backlog with the 10,000-item one, and says when that is worse than linear', () => {
    const linear = result([size(1000, 300, [600]), size(10000, 1000, [5000]), size(50000, 5000)]);
    assert.deepStrictEqual(costAgainstSize(linear), { from: 10000, to: 50000, items: 5, cold: 5, warm: 5, floor: 5 });
    assert.match(backlogMdTable(linear), /took 5\.00× the time cold, 5\.00× warm and 5\.00× at the floor: linear or better/);
    assert.match(backlogMdTable(linear), /\| 50,000 \| 50,000 \(ours alone\) \| 5000 \(5000–5000\) \| 2500 \(2500–2500\) \| – \| 500 \(500–500\) \| 250 \(250–250\) \| – \| – \| 100 \/ 50.0 \/ 10.0 \|/);
    // A result from before the warm floor was timed shows none.
    const older = result([{ ...size(10000, 1000, [5000]), statFloor: undefined, statFloorMedian: undefined }]);
    assert.match(backlogMdTable(older), /\| 10,000 \| 10,000 \| 1000 \(1000–1000\) \| 500 \(500–500\) \| 5000 \(5000–5000\) \| 100 \(100–100\) \| – \| 5\.0× \| 10\.0× \|/);
    const worse = result([size(10000, 1000, [5000]), size(50000, 6000)]);
    assert.match(backlogMdTable(worse), /6\.00× the time cold.*worse than linear/);
    assert.strictEqual(costAgainstSize(result([size(10000, 1000)])), undefined, 'one size has no cost against size');
  });
});
