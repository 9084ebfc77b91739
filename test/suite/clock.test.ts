// The extension's one clock, in the extension host the suite runs in. CI runs the whole suite
// again with BACKLOG_ATLAS_NOW=+365d and -365d; this file makes such a run fail if the extension
// did not in fact move its clock, so that a shifted run cannot pass silently on today's date.
import * as assert from 'node:assert/strict';
import { parseClockSpec } from '../../src/core/clock';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, waitFor } from './helpers';

/** How far apart two readings of the clocks may be: the time between them, on a slow machine. */
const SLACK_MS = 5_000;

describe('the clock', () => {
  let api: ExtensionApi;

  before(async () => {
    api = await extensionApi();
  });

  afterEach(() => api.setClock(undefined));

  it('follows BACKLOG_ATLAS_NOW in the extension host, or the system clock without it', () => {
    // Another file may have pinned the clock and failed to put it back: back to the environment's setting.
    api.setClock(undefined);
    const setting = process.env.BACKLOG_ATLAS_NOW;
    const spec = parseClockSpec(setting);
    assert.ok(!(spec instanceof Error), spec instanceof Error ? spec.message : '');
    const shownFor = (ms: number) => `${(ms / 86_400_000).toFixed(3)} days`;
    if (spec === undefined) {
      const ahead = api.clock.now().getTime() - Date.now();
      assert.ok(Math.abs(ahead) < SLACK_MS, `BACKLOG_ATLAS_NOW is ${setting === undefined ? 'unset' : 'empty'}, yet the clock is ${shownFor(ahead)} off the system clock`);
    } else if (spec.kind === 'offset') {
      const ahead = api.clock.now().getTime() - Date.now();
      assert.ok(Math.abs(ahead - spec.ms) < SLACK_MS, `BACKLOG_ATLAS_NOW=${setting}: the clock should be ${shownFor(spec.ms)} off the system clock, it is ${shownFor(ahead)}`);
    } else {
      // A fixed day or instant: the clock started there when it was set, a moment ago.
      const since = api.clock.now().getTime() - spec.time;
      assert.ok(since >= 0 && since < SLACK_MS, `BACKLOG_ATLAS_NOW=${setting}: the clock reads ${api.clock.now().toISOString()}`);
    }
  });

  it('is pinned by setClock, keeps running from there, and refuses what it cannot read', async () => {
    api.setClock('2026-11-21T09:30Z');
    const first = api.clock.now().getTime();
    const since = first - Date.UTC(2026, 10, 21, 9, 30);
    assert.ok(since >= 0 && since < SLACK_MS, api.clock.now().toISOString());
    await waitFor('the pinned clock to run on', () => api.clock.now().getTime() > first, 1_000);
    api.setClock('-30d');
    const back = Date.now() - api.clock.now().getTime();
    assert.ok(Math.abs(back - 30 * 86_400_000) < SLACK_MS, `-30d put the clock ${back} ms back`);
    assert.throws(() => api.setClock('next tuesday'), /BACKLOG_ATLAS_NOW is "next tuesday"/);
  });
});

