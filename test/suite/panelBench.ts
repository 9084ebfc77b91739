// What the panel benchmarks (storyMapBench.test.ts, roadmapBench.test.ts) share: opening a
// panel again and again from its command to its cards painted, and switching an option back and
// forth, timed in the extension host. Not a test file: the suite loads only *.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

// Opens follow each other at once. Code-server 4.100 stalled an open for up to 30 s after the
// previous page closed, and these benches waited 32 s between opens; the test host is now
// patched as VS Code 1.101 fixed it (scripts/patch-webview-host.mjs).

export interface Figure {
  median: number;
  min: number;
  max: number;
}

export function figure(xs: number[]): Figure {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the benchmarks need of a panel. */
export interface BenchPanel<Options> {
  receive(raw: unknown): Promise<void>;
  whenDrawn(): Promise<number>;
  readonly currentOptions: Options;
}

interface Seen {
  readyAt?: number;
  pageMs?: number;
}

/**
 * Notes when the page's messages reach the host: its `ready` (the page has loaded and run its
 * script) and, from each `drawn`, the time the page itself took from the state's arrival to
 * the paint. The page's messages call `receive` on the panel, so wrapping it sees them all.
 */
function watch(panel: BenchPanel<unknown>): Seen {
  const seen: Seen = {};
  const receive = panel.receive.bind(panel);
  panel.receive = (raw: unknown) => {
    const msg = (typeof raw === 'object' && raw !== null ? raw : {}) as { type?: unknown; ms?: unknown };
    if (msg.type === 'ready' && seen.readyAt === undefined) seen.readyAt = performance.now();
    if (msg.type === 'drawn' && typeof msg.ms === 'number') seen.pageMs = msg.ms;
    return receive(raw);
  };
  return seen;
}

/**
 * Closes the panel, if one is open, as the user does (its tab), and lets the workbench take its
 * webview down. Not `current.dispose()`: that drops the panel's own onDidDispose listener before
 * disposing the webview, so the manager would keep handing out the disposed panel.
 */
export async function closePanel(isOpen: () => boolean, what: string): Promise<void> {
  if (!isOpen()) return;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(`the ${what} panel to close`, () => !isOpen());
  await pause(250);
}

/**
 * Opens the panel `runs` times from its command to painted. The command creates the panel
 * synchronously and returns; the page then loads, sends `ready` and gets the state, all across
 * process boundaries. Subscribing to whenDrawn right after the command returns cannot miss that
 * first paint; `check` compares the painted card count with the model's.
 */
export async function measureOpens<P extends BenchPanel<unknown>>(spec: { runs: number; command: string; what: string; current: () => P | undefined; check: (panel: P, drawn: number) => void }) {
  const open: number[] = [];
  const toReady: number[] = [];
  const openPage: number[] = [];
  let cards = 0;
  let seen: Seen = {};
  for (let run = 0; run < spec.runs; run++) {
    await closePanel(() => spec.current() !== undefined, spec.what);
    const started = performance.now();
    await vscode.commands.executeCommand(spec.command);
    const panel = spec.current();
    assert.ok(panel, `no ${spec.what} panel after the command`);
    seen = watch(panel);
    const drawn = await panel.whenDrawn();
    open.push(performance.now() - started);
    toReady.push((seen.readyAt ?? NaN) - started);
    openPage.push(seen.pageMs ?? NaN);
    spec.check(panel, drawn);
    cards = drawn;
  }
  return { open, toReady, openPage, cards, seen };
}

/**
 * Switches an option there and back `runs` times on an open panel: the host rebuilds the model
 * and posts it, and the page replaces what it shows. Each switch is followed by one back (kept
 * apart), so that every run starts from the same page; each must paint all `cards`.
 */
export async function measureSwitches<Options>(panel: BenchPanel<Options>, seen: Seen, spec: { runs: number; cards: number; there: Partial<Options>; back: Partial<Options> }) {
  const once = async (change: Partial<Options>) => {
    const drawn = panel.whenDrawn();
    seen.pageMs = undefined;
    const started = performance.now();
    await panel.receive({ type: 'setOptions', options: { ...panel.currentOptions, ...change } });
    const hostMs = performance.now() - started;
    const count = await drawn;
    assert.equal(count, spec.cards, 'after the switch, the page painted a different number of cards');
    return { ms: performance.now() - started, hostMs, pageMs: seen.pageMs ?? NaN };
  };
  const redraw: number[] = [];
  const redrawHost: number[] = [];
  const redrawPage: number[] = [];
  const redrawBack: number[] = [];
  const redrawBackPage: number[] = [];
  for (let run = 0; run < spec.runs; run++) {
    const there = await once(spec.there);
    redraw.push(there.ms);
    redrawHost.push(there.hostMs);
    redrawPage.push(there.pageMs);
    const back = await once(spec.back);
    redrawBack.push(back.ms);
    redrawBackPage.push(back.pageMs);
  }
  return { redraw, redrawHost, redrawPage, redrawBack, redrawBackPage };
}
