// How long the roadmap panel takes from "Backlog: Open Roadmap" to its cards painted (team view,
// Now / Next / Later board: the defaults), and to repaint after switching the layout to the
// timeline and back, timed in the extension host. Run by bench/roadmapBench.ts on generated
// roadmaps of about 200 and 2,000 cards; storyMapBench.test.ts does the same for the story map.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ExtensionApi } from '../../src/extension';
import type { RoadmapModel } from '../../src/protocol/roadmapProtocol';
import { extensionApi } from './helpers';
import { closePanel, figure, measureOpens, measureSwitches } from './panelBench';

const OUT = process.env.BACKLOG_ATLAS_BENCH_OUT;
const GREP = process.env.BACKLOG_ATLAS_GREP;
const TITLE = 'roadmap benchmark';
const RUNS = Number(process.env.BACKLOG_ATLAS_BENCH_RUNS ?? 7) || 7;

/**
 * The cards the page draws for a model, in either layout: a card (or bar) per theme and per
 * epic, in the team view; stories are rows inside their epic's card, not cards.
 */
function modelCards(model: RoadmapModel): number {
  return model.themes.length + model.themes.reduce((n, t) => n + t.epics.length, 0) + model.epicsWithoutTheme.length;
}

describe(TITLE, () => {
  before(function () {
    // Only bench/roadmapBench.ts runs this: it sets BACKLOG_ATLAS_BENCH_OUT and a
    // BACKLOG_ATLAS_GREP naming this suite, on a generated workspace. Other benches set the
    // output variable too, so it alone must not start this one.
    if (!OUT || !GREP?.includes(TITLE)) this.skip();
  });

  let opened: ExtensionApi | undefined;
  after(async () => {
    if (opened) await closePanel(() => opened?.roadmap.current !== undefined, 'roadmap');
  });

  it('opens the roadmap and repaints it after switching to the timeline', async function () {
    this.timeout(1_500_000);
    const api = await extensionApi();
    opened = api;

    const opens = await measureOpens({
      runs: RUNS,
      command: 'backlogAtlas.openRoadmap',
      what: 'roadmap',
      current: () => api.roadmap.current,
      check: (panel, drawn) => {
        assert.equal(panel.currentOptions.layout, 'board');
        assert.equal(panel.currentOptions.audience, 'team');
        const expected = panel.lastModel ? modelCards(panel.lastModel) : NaN;
        assert.equal(drawn, expected, `the page painted ${drawn} cards, the model has ${expected}`);
      },
    });

    const panel = api.roadmap.current!;
    // The host's share of an open: building the board's model (the page gets it whole), and its
    // size as JSON, which is roughly what crosses to the page.
    const modelMs: number[] = [];
    let modelKB = 0;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      const model = panel.model();
      modelMs.push(performance.now() - t);
      modelKB = JSON.stringify(model).length / 1024;
    }

    // Redraw: the board replaced with the timeline, and back.
    const s = await measureSwitches(panel, opens.seen, { runs: RUNS, cards: opens.cards, there: { layout: 'timeline' }, back: { layout: 'board' } });

    const result = {
      cards: opens.cards,
      runs: RUNS,
      open: figure(opens.open),
      firstOpen: opens.open[0],
      openToReady: figure(opens.toReady),
      openPage: figure(opens.openPage),
      modelMs: figure(modelMs),
      modelKB: Math.round(modelKB),
      redraw: figure(s.redraw),
      redrawBack: figure(s.redrawBack),
      redrawHost: figure(s.redrawHost),
      redrawPage: figure(s.redrawPage),
      redrawBackPage: figure(s.redrawBackPage),
      runsMs: { open: opens.open, toReady: opens.toReady, openPage: opens.openPage, modelMs, ...s },
    };
    console.log(JSON.stringify(result));
    fs.writeFileSync(OUT!, JSON.stringify(result, null, 2));
  });
});
