// How long the sprint board takes from "Backlog: Open Sprint Board" to its cards painted, and
// from a drop to the board painted again with the card in its new column, timed in the
// extension host. Run by bench/boardBench.ts on a generated sprint of 1,000 cards in 8 columns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi } from './helpers';
import { closePanel, figure, measureOpens, pause } from './panelBench';

const OUT = process.env.BACKLOG_ATLAS_BENCH_OUT;
const GREP = process.env.BACKLOG_ATLAS_GREP;
const TITLE = 'sprint board benchmark';
const OPENS = 5;
const DROPS = 10;
/** The index's change after a write redraws the board once more (backlogPanel's redraw delay); a drop is timed after it. */
const AFTER_REDRAW_MS = 500;

describe(TITLE, () => {
  before(function () {
    // Only bench/boardBench.ts runs this: it sets BACKLOG_ATLAS_BENCH_OUT and a grep naming this suite.
    if (!OUT || !GREP?.includes(TITLE)) this.skip();
  });

  let opened: ExtensionApi | undefined;
  after(async () => {
    if (opened) await closePanel(() => opened?.board.current !== undefined, 'sprint board');
  });

  it('opens the board and repaints it after drops', async function () {
    this.timeout(900_000);
    const api = await extensionApi();
    opened = api;
    const opens = await measureOpens({
      runs: OPENS,
      command: 'backlogAtlas.openBoard',
      what: 'sprint board',
      current: () => api.board.current,
      check: (panel, drawn) => assert.equal(drawn, panel.lastModel?.cardCount, 'the page painted another number of cards than the model has'),
    });
    const panel = api.board.current!;
    const columns = panel.lastModel!.columns.length;

    // A drop: the card to the next column and back, each timed from the page's `move` reaching
    // the host to the page reporting the board painted with it there.
    const drop: number[] = [];
    const dropHost: number[] = [];
    const dropPage: number[] = [];
    const first = panel.lastModel!.lanes[0].cells[0][0].id;
    const statuses = panel.lastModel!.columns.map((c) => c.status);
    for (let run = 0; run < DROPS; run++) {
      await pause(AFTER_REDRAW_MS);
      const drawn = panel.whenDrawn();
      opens.seen.pageMs = undefined;
      const started = performance.now();
      await panel.receive({ type: 'move', ids: [first], status: statuses[run % 2 === 0 ? 1 : 0] });
      dropHost.push(performance.now() - started);
      await drawn;
      drop.push(performance.now() - started);
      dropPage.push(opens.seen.pageMs ?? NaN);
      const where = panel.lastModel!.lanes[0].cells.findIndex((cards) => cards.some((c) => c.id === first));
      assert.equal(where, run % 2 === 0 ? 1 : 0, 'the card is drawn in the column it was dropped on');
    }
    const result = {
      cards: opens.cards,
      columns,
      runs: { opens: OPENS, drops: DROPS },
      open: figure(opens.open),
      openPage: figure(opens.openPage),
      drop: figure(drop),
      dropHost: figure(dropHost),
      dropPage: figure(dropPage),
      runsMs: { open: opens.open, openPage: opens.openPage, drop, dropHost, dropPage },
    };
    console.log(JSON.stringify(result));
    fs.writeFileSync(OUT!, JSON.stringify(result, null, 2));
  });
});
