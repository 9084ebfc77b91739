// What a person sees when they drop a card on the sprint board: bench/boardBench.ts opens the
// generated board in the test host's workbench (code-server and Chromium through Playwright, as
// test/host/runUi.ts does), drags a card with the mouse onto the next column's heading and back, and times,
// with the page's own clock, from the browser's `drop` event to the frame that paints the card
// in its new column (two animation frames after it is there, as the page's `drawn` counts), and
// to the frame that paints the host's answer (the board drawn again from the written file).
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from '../test/host/browser';
import { startCodeServer, workbenchUrl, type CodeServer } from '../test/host/codeServer';
import { drag } from '../test/ui/panes';
import { openPanel, setSideBarVisible } from '../test/ui/webviews';

const REPO_ROOT = `${__dirname}/..`;

/** Each drop: to the card painted in its new column, and to the host's answer painted, in ms. */
export interface DropTimes {
  shown: number[];
  confirmed: number[];
}

/**
 * Arms the page for one drop of card `id` onto column `status`: a capture listener notes the
 * drop event's time; frames are then watched until the card is in that column (painted one frame
 * later), and until the page draws the host's next state with it still there. A string, run as
 * it is: the bench's own compiler would add helpers to a function that the page does not have.
 */
const ARM = `(([id, status]) => {
  const w = window;
  const probe = { id, status };
  w.__boardDropProbe = probe;
  const where = () => document.querySelector('.card[data-id="' + CSS.escape(w.__boardDropProbe.id) + '"]')?.closest('.cell')?.getAttribute('data-status');
  if (w.__boardDropArmed) return;
  w.__boardDropArmed = true;
  document.addEventListener('drop', (e) => {
    const p = w.__boardDropProbe;
    if (p.dropAt !== undefined) return;
    p.dropAt = e.timeStamp;
    const watch = () => requestAnimationFrame(() => {
      if (where() !== p.status) return watch();
      requestAnimationFrame(() => (p.shown = performance.now()));
    });
    watch();
    // The host's answer replaces what the page's #app holds.
    const observer = new MutationObserver(() => {
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (p.confirmed = where() === p.status ? performance.now() : NaN)));
    });
    observer.observe(document.getElementById('app'), { childList: true });
  }, true);
})`;

/** Milliseconds since the page last drew a state (the host's answers and its later redraws). */
const SINCE_DRAWN = `(() => {
  const w = window;
  if (!w.__boardDrawnAt) {
    w.__boardDrawnAt = performance.now();
    new MutationObserver(() => (w.__boardDrawnAt = performance.now())).observe(document.getElementById('app'), { childList: true });
  }
  return performance.now() - w.__boardDrawnAt;
})()`;

/** Waits until the page has drawn nothing for `quietMs`: every redraw that follows a drop is over. */
async function quiet(frame: Frame, quietMs: number): Promise<void> {
  for (const start = Date.now(); Date.now() - start < 30_000; ) {
    if (((await frame.evaluate(SINCE_DRAWN)) as number) >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the board kept redrawing for 30 s`);
}

async function arm(frame: Frame, id: string, status: string): Promise<void> {
  await frame.evaluate(`${ARM}(${JSON.stringify([id, status])})`);
}

const RESULT = `(() => {
  const p = window.__boardDropProbe;
  return p && p.dropAt !== undefined && p.shown !== undefined && p.confirmed !== undefined ? { shown: p.shown - p.dropAt, confirmed: p.confirmed - p.dropAt } : false;
})()`;

/** Polls from here: the page's policy refuses the string evaluation waitForFunction would do there. */
async function result(frame: Frame): Promise<{ shown: number; confirmed: number }> {
  for (const start = Date.now(); Date.now() - start < 30_000; ) {
    const r = (await frame.evaluate(RESULT)) as { shown: number; confirmed: number } | false;
    if (r) return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const probe = await frame.evaluate('JSON.stringify(window.__boardDropProbe)');
  throw new Error(`the drop was not painted within 30 s: ${String(probe)}`);
}

/** Drags the first card of the first column to the second column and back, `runs` times in all. */
export async function measureDrops(workspace: string, runs: number): Promise<DropTimes> {
  let server: CodeServer | undefined;
  let launched: LaunchedBrowser | undefined;
  try {
    server = await startCodeServer({ workspace });
    launched = await launchBrowser();
    const page: Page = launched.page;
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: REPO_ROOT }));
    const frame = await openPanel(page, 'Backlog: Open Sprint Board', 'main.board-page .card');
    // As wide as the editor can be: a person running a sprint of eight columns hides the side bar.
    await setSideBarVisible(page, false);
    const statuses = await frame.locator('.column-head .column-title').allInnerTexts();
    const id = await frame.locator(`.cell[data-status="${statuses[0]}"] .card`).first().getAttribute('data-id');
    if (!id) throw new Error('the first column has no card');
    const times: DropTimes = { shown: [], confirmed: [] };
    await quiet(frame, 1_000);
    for (let run = 0; run < runs; run++) {
      const to = statuses[run % 2 === 0 ? 1 : 0];
      // Its heading, which stays in sight however far the columns scroll.
      const target = frame.locator(`.column-head[data-status="${to}"]`);
      for (let attempt = 1; ; attempt++) {
        await arm(frame, id, to);
        try {
          await drag(page, frame.locator(`.card[data-id="${id}"]`), target);
          break;
        } catch (e) {
          // A late redraw (git's history read again, the TODO scan) replaced the card or the
          // heading as Playwright reached for it: that drag never happened; start it again.
          if (attempt === 3 || !(e instanceof Error) || !/not attached/.test(e.message)) throw e;
          await quiet(frame, 1_000);
        }
      }
      const t = await result(frame).catch((e: unknown) => {
        throw new Error(`drop ${run + 1} of ${id} onto ${to}: ${e instanceof Error ? e.message : String(e)}`);
      });
      times.shown.push(t.shown);
      times.confirmed.push(t.confirmed);
      // The index's own redraw of the change follows the answer (backlogPanel's redraw delay),
      // and the burndown's once git's history is read again: each drop starts on a quiet board.
      await quiet(frame, 1_000);
    }
    return times;
  } finally {
    await launched?.close();
    await server?.stop();
  }
}
