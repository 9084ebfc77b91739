// Helpers of the UI tests (not a test file: the runner loads only *.ui.ts).
import type { Locator, Page } from 'playwright-core';

/** Opens the Backlog container unless it is open (clicking its tab again would close it). */
export async function openBacklog(page: Page): Promise<void> {
  if (await page.locator('[id="workbench.view.extension.backlog-atlas"]').isVisible()) return;
  await page.locator('.activitybar').getByRole('tab', { name: 'Backlog' }).click();
}

/** One view (pane) of the Backlog container, by its title. */
export function backlogPane(page: Page, title: string): Locator {
  const container = page.locator('[id="workbench.view.extension.backlog-atlas"]');
  return container.locator('.pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) });
}

/** Each visible row as `label description`. */
export async function rowTexts(pane: Locator): Promise<string[]> {
  // No named functions inside: tsx wraps them in a helper that does not exist in the page.
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) =>
      [row.querySelector('.label-name')?.textContent, row.querySelector('.label-description')?.textContent]
        .map((t) => (t ?? '').replace(/\s+/g, ' ').trim())
        .join(' ')
        .trim(),
    ),
  );
}

/**
 * Waits until the Backlog container's rows stop changing (text and place) for a while: after a
 * write the trees refresh, and a drag that starts on a row being redrawn carries nothing.
 */
export async function settle(page: Page, quietMs = 600, timeoutMs = 10_000): Promise<void> {
  const container = page.locator('[id="workbench.view.extension.backlog-atlas"]');
  const snapshot = () =>
    container.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => `${r.getBoundingClientRect().top}:${r.textContent ?? ''}`).join('|'));
  let last = await snapshot();
  let quietSince = Date.now();
  for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
    await page.waitForTimeout(100);
    const now = await snapshot();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
  }
}

/** Closes every notification toast on screen, as its × does. */
export async function dismissToasts(page: Page): Promise<void> {
  const shown = `[...document.querySelectorAll('.notifications-toasts .notification-toast')].filter((t) => t.getClientRects().length > 0).length`;
  const toasts = page.locator('.notifications-toasts .notification-toast:visible');
  for (let n = await toasts.count(); n > 0; n = await toasts.count()) {
    const toast = toasts.first();
    await toast.hover();
    await toast.getByRole('button', { name: /^Clear Notification/ }).click();
    await page.waitForFunction(`${shown} < ${n}`);
  }
}

/**
 * Where an element is on screen, once it is there, scrolled into view first. A page redraw (the host's answer to the last
 * drop, the index reading the file it wrote) replaces a list's elements: one measured as it is
 * replaced is "not attached" or has no box, and its successor, in the same place, is measured
 * instead, as a person would look again.
 */
export async function boxOnScreen(target: Locator, scroll = true, timeoutMs = 10_000): Promise<{ x: number; y: number; width: number; height: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let replaced = false;
    try {
      if (scroll) await target.scrollIntoViewIfNeeded({ timeout: Math.max(1, deadline - Date.now()) });
      const box = await target.boundingBox({ timeout: Math.max(1, deadline - Date.now()) });
      if (box) return box;
    } catch (e) {
      if (!/not attached|detached/i.test(String(e))) throw e;
      replaced = true;
    }
    if (Date.now() > deadline) throw new Error(`drag: ${replaced ? 'the element kept being replaced' : 'the element is not on screen'} for ${timeoutMs} ms: ${String(target)}`);
    // Until the page's next frame: its redraw is then done.
    await target.page().evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve(undefined))));
  }
}

/**
 * The laid-out height of an element, measured in one step in the page, once it has one: a list
 * the page has just drawn, or redrawn, fills its rows a frame later, and an empty one measures 0.
 */
export async function heightOnScreen(target: Locator, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const height = await target.evaluate((el) => el.getBoundingClientRect().height);
    if (height > 0) return height;
    if (Date.now() > deadline) throw new Error(`${String(target)} has had no height for ${timeoutMs} ms`);
    await target.page().evaluate(() => new Promise((resolve) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => resolve(undefined))));
  }
}

/**
 * Drags a row or card onto another as a person does: press, move until the page shows it is
 * dragging, move onto the target until it shows where the drop would land (its drop-target
 * highlight), then let go. Works for the trees and for webview pages (whose elements follow the
 * same class names). `at` is a point in the target, from its top left; its middle by default.
 * Chromium starts an HTML drag only once the pointer has moved with the
 * button down, and the lists update on pointer movement: waiting for what they show, not for a
 * fixed pause, keeps a loaded machine from letting go too early.
 */
export async function drag(page: Page, from: Locator, onto: Locator, at?: { x: number; y: number }, whileDragging?: () => Promise<void>): Promise<void> {
  // A drag that began on another row is let go where nothing takes a drop, and tried again: the
  // trees redraw after each change the index reads, and reuse a row's element for another item.
  for (let attempt = 1; ; attempt++) {
    if (await dragOnce(page, from, onto, at, whileDragging)) return;
    if (attempt === 3) throw new Error('drag: three presses in a row began dragging another row than this one');
  }
}

/** One press-move-release; false when the page began dragging another row (nothing dropped). */
async function dragOnce(page: Page, from: Locator, onto: Locator, at?: { x: number; y: number }, whileDragging?: () => Promise<void>): Promise<boolean> {
  if (await page.locator('[id="workbench.view.extension.backlog-atlas"]').isVisible()) await settle(page);
  // The last change's "Undo" toast sits over the bottom right of the editor until it times out;
  // a person closes it before dragging something that lies under it.
  await dismissToasts(page);
  await boxOnScreen(onto);
  const a = await boxOnScreen(from);
  // Not scrolled again: that could move the dragged row out of view.
  const b = await boxOnScreen(onto, false);
  const origin = { x: a.x + Math.min(40, a.width / 2), y: a.y + a.height / 2 };
  const target = at ? { x: b.x + at.x, y: b.y + at.y } : { x: b.x + Math.min(40, b.width / 2), y: b.y + b.height / 2 };
  // The page has the DOM; these tests compile without its types.
  type El = { className: string; textContent: string | null; contains(other: unknown): boolean; getAttribute(name: string): string | null; ownerDocument: Doc };
  type Doc = { defaultView: Record<string, unknown>; addEventListener(type: string, listener: (e: { target: unknown }) => void, capture: boolean): void };
  type Seen = { start?: El; startText?: string | null; startKey?: string; over?: unknown };
  // What the page saw, not what its classes say: a class left over from the previous drag (a
  // list redrawn under the pointer keeps its "dragging") must not count as this drag. Each
  // document (the workbench, a webview's frame) records its last dragstart and dragover, and
  // what the row that started it showed then: the element itself may show another item later.
  const arm = (at: Locator) =>
    at.evaluate((node) => {
      const doc = (node as unknown as El).ownerDocument;
      const w = doc.defaultView;
      w.__atlasDrag = {};
      if (w.__atlasDragArmed) return;
      w.__atlasDragArmed = true;
      doc.addEventListener(
        'dragstart',
        (e) => {
          const start = e.target as El;
          w.__atlasDrag = { start, startText: start.textContent, startKey: `${start.getAttribute('data-key')}|${start.getAttribute('data-id')}` };
        },
        true,
      );
      doc.addEventListener('dragover', (e) => ((w.__atlasDrag as Seen).over = e.target), true);
    });
  await arm(from);
  await arm(onto);
  // Whether the row (or card) under the pointer started the drag, not its neighbour.
  const started = () =>
    from.evaluate((node): 'none' | 'this' | 'other' => {
      const el = node as unknown as El;
      const seen = el.ownerDocument.defaultView.__atlasDrag as Seen;
      const start = seen.start;
      if (!start) return 'none';
      // A card keeps its key when a redraw replaces it; a tree row is known by what it showed.
      const key = `${el.getAttribute('data-key')}|${el.getAttribute('data-id')}`;
      if (key !== 'null|null') return key === seen.startKey ? 'this' : 'other';
      const same = el === start || el.contains(start) || start.contains(el);
      return same && seen.startText === el.textContent ? 'this' : 'other';
    });
  // The row itself, not the whole list: a list-wide highlight means "onto no row".
  const highlighted = () =>
    onto.evaluate((node) => {
      const el = node as unknown as El;
      const over = (el.ownerDocument.defaultView.__atlasDrag as Seen).over;
      return !!over && el.contains(over) && /\bdrop-target/.test(el.className);
    });
  const wiggle = async (n: number, at: { x: number; y: number }) => {
    // Lists update on pointer movement: move a pixel and back until it shows.
    await page.mouse.move(at.x + 1, at.y + (n % 2), { steps: 2 });
    await page.mouse.move(at.x, at.y, { steps: 2 });
  };
  const pressed = { x: origin.x + 10, y: origin.y + 4 };
  await page.mouse.move(origin.x, origin.y);
  await page.mouse.down();
  await page.mouse.move(pressed.x, pressed.y, { steps: 4 });
  for (let n = 1; ; n++) {
    const who = await started();
    if (who === 'this') break;
    if (who === 'other' || n > 100) {
      // Let go over the status bar, which takes no drop: the drag ends and nothing is written.
      const bar = await page.locator('.part.statusbar').boundingBox();
      if (bar) await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2, { steps: 5 });
      await page.mouse.up();
      if (who === 'other') return false;
      throw new Error('drag: the page never started dragging this row');
    }
    await wiggle(n, pressed);
  }
  // What happens elsewhere while the user holds the card (a file changed on disk, say).
  await whileDragging?.();
  await page.mouse.move(target.x, target.y, { steps: 15 });
  for (let n = 1; !(await highlighted()); n++) {
    if (n > 100) {
      await page.mouse.up();
      throw new Error('drag: the list never showed where the row would land');
    }
    await wiggle(n, target);
  }
  await page.mouse.up();
  return true;
}

/** Opens or closes one pane of the Backlog container; returns whether it was open before. */
export async function setPaneOpen(page: Page, title: string, open: boolean): Promise<boolean> {
  const header = backlogPane(page, title).locator('.pane-header');
  const wasOpen = (await header.getAttribute('aria-expanded')) === 'true';
  // Near the left edge: the middle of a header can be one of the view's action buttons.
  if (wasOpen !== open) await header.click({ position: { x: 12, y: 10 } });
  return wasOpen;
}

/** Expands or collapses a tree row (a sprint, say); returns whether it was expanded before. */
export async function setRowExpanded(row: Locator, expanded: boolean): Promise<boolean> {
  const was = (await row.getAttribute('aria-expanded')) === 'true';
  if (was !== expanded) await row.locator('.monaco-tl-twistie').click();
  return was;
}
