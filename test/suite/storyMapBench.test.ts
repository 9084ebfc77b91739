// How long the story map panel takes from "Backlog: Open Story Map" to its cards painted, and
// to repaint after switching the slices from releases to sprints, timed in the extension host.
// Run by bench/storyMapBench.ts on generated workspaces of 200 and 2,000 stories.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi } from './helpers';
import { closePanel, figure, measureOpens, measureSwitches } from './panelBench';

const OUT = process.env.BACKLOG_ATLAS_BENCH_OUT;
const GREP = process.env.BACKLOG_ATLAS_GREP;
const TITLE = 'story map benchmark';
const RUNS = 7;

describe(TITLE, () => {
  before(function () {
    // Only bench/storyMapBench.ts runs this: it sets BACKLOG_ATLAS_BENCH_OUT (where the figures
    // go) and a BACKLOG_ATLAS_GREP naming this suite, on a generated workspace. The normal suite
    // has neither; and bench/viewsBench.ts sets BACKLOG_ATLAS_BENCH_OUT too, so the output
    // variable alone must not start this one.
    if (!OUT || !GREP?.includes(TITLE)) this.skip();
  });

  let opened: ExtensionApi | undefined;
  after(async () => {
    if (opened) await closePanel(() => opened?.storyMap.current !== undefined, 'story map');
  });

  it('opens the story map and repaints it after switching slices', async function () {
    this.timeout(600_000);
    const api = await extensionApi();
    opened = api;

    const opens = await measureOpens({
      runs: RUNS,
      command: 'backlogAtlas.openStoryMap',
      what: 'story map',
      current: () => api.storyMap.current,
      check: (panel, drawn) => {
        const expected = panel.lastModel?.cardCount;
        assert.equal(drawn, expected, `the page painted ${drawn} cards, the model has ${expected}`);
      },
    });

    // Redraw: switching the slices from releases to sprints, and back.
    const s = await measureSwitches(api.storyMap.current!, opens.seen, { runs: RUNS, cards: opens.cards, there: { sliceBy: 'sprint' }, back: { sliceBy: 'release' } });

    const result = {
      cards: opens.cards,
      runs: RUNS,
      open: figure(opens.open),
      firstOpen: opens.open[0],
      redraw: figure(s.redraw),
      redrawBack: figure(s.redrawBack),
      // Where the time goes: until the page's `ready`, and the page's own state-to-paint time;
      // for the redraw, the host's model and post, and the page's state-to-paint time.
      openToReady: figure(opens.toReady),
      openPage: figure(opens.openPage),
      redrawHost: figure(s.redrawHost),
      redrawPage: figure(s.redrawPage),
      runsMs: { open: opens.open, toReady: opens.toReady, openPage: opens.openPage, redraw: s.redraw, redrawHost: s.redrawHost, redrawPage: s.redrawPage },
    };
    console.log(JSON.stringify(result));
    fs.writeFileSync(OUT!, JSON.stringify(result, null, 2));
  });
});
