// What the panel benchmarks (storyMapBench.test.ts, roadmapBench.test.ts) share: opening a
// panel again and again from its command to its cards painted, and switching an option back and
// forth, timed in the extension host. Not a test file: the suite loads only *.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './helpers';

/**
 * In code-server every webview shares one origin and so one service worker registration, which
 * each new webview re-registers. Reopening a panel within 30 s of the previous page stalled
 * until those 30 s were up (28–31 s measured): the new worker takes over only after the old
 * one's last fetch, and the old page seems to leave one unanswered (its codicon loads show up as
 * aborted) until the worker's 30 s timeout (microsoft/vscode#172870). That is the test host,
 * not the panel: each open starts at least this long after the previous one finished painting.
 */
export const SETTLE_MS = 32_000;

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
  let previous: number | undefined;
  for (let run = 0; run < spec.runs; run++) {
    await closePanel(() => spec.current() !== undefined, spec.what);
    if (previous !== undefined) await pause(previous + SETTLE_MS - performance.now());
    const started = performance.now();
    await vscode.commands.executeCommand(spec.command);
    const panel = spec.current();
    assert.ok(panel, `no ${spec.what} panel after the command`);
    seen = watch(panel);
    const drawn = await panel.whenDrawn();
    previous = performance.now();
    open.push(previous - started);
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
