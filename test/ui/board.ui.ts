// The sprint board on the demo workspace: Sprint 14 in its status columns, what a drag and the
// keyboard write, and a title that would be markup shown as text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { readSettled, waitForFileText } from './files';
import { backlogPane, drag, heightOnScreen, openBacklog } from './panes';
import { closeTab, openPanel, runCommand, setSideBarVisible, toggleTheme, webviewFrame } from './webviews';

function openBoard(page: Page): Promise<Frame> {
  return openPanel(page, 'Backlog: Open Sprint Board', 'main.board-page .card');
}

function taskFile(workspaceDir: string, id: string): string {
  const dir = path.join(workspaceDir, 'backlog', 'tasks');
  return path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(`${id.toLowerCase()} - `))!);
}

/** The lines of `after` that are not in `before`, and the other way round. */
function diff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  return { removed: a.filter((l) => !b.includes(l)).sort(), added: b.filter((l) => !a.includes(l)).sort() };
}

/** The diff without `updated_date`, which the writer may stamp on any change. */
function changedFields(before: string, after: string): { removed: string[]; added: string[] } {
  const d = diff(before, after);
  const keep = (l: string) => !l.startsWith('updated_date:');
  return { removed: d.removed.filter(keep), added: d.added.filter(keep) };
}

const column = (frame: Frame, status: string) => frame.locator(`.cell[data-status="${status}"]`);

/** The id of the first card in To Do that no dependency blocks (what a person would pick up). */
async function firstToDo(frame: Frame): Promise<string> {
  const id = await column(frame, 'To Do').locator('.card:not(.blocked)').first().getAttribute('data-id');
  assert.ok(id, 'Sprint 14 has a card in To Do');
  return id;
}

export async function showsTheSprintInItsStatusColumnsLightAndDark({ page, screenshot }: UiTestContext): Promise<void> {
  const frame = await openBoard(page);
  assert.deepEqual(await frame.locator('.column-head .column-title').allInnerTexts(), ['To Do', 'In Progress', 'In Review', 'Done']);
  assert.match(await frame.locator('.page-header h1').innerText(), /Sprint 14/);
  assert.match(await frame.locator('.page-header .goal').innerText(), /first route offline/);
  assert.match(await frame.locator('.figures').innerText(), /Committed/);
  assert.equal(await frame.locator('.burndown svg polyline.ideal').count(), 1, 'the header draws the burndown');
  await setSideBarVisible(page, false);
  await screenshot('sprint-board');
  await toggleTheme(page, frame);
  await screenshot('sprint-board-dark');
  await toggleTheme(page, frame);
  await setSideBarVisible(page, true);
  await closeTab(page, 'Sprint Board');
}

export async function dragsACardFromToDoToInProgress({ page, workspaceDir }: UiTestContext): Promise<void> {
  const frame = await openBoard(page);
  const id = await firstToDo(frame);
  const file = taskFile(workspaceDir, id);
  const original = readSettled(file);
  const others = new Map(fs.readdirSync(path.dirname(file)).filter((f) => path.join(path.dirname(file), f) !== file).map((f) => [f, readSettled(path.join(path.dirname(file), f))]));
  const target = column(frame, 'In Progress');
  // Measured once the page has laid the column out, as a person sees it before dragging.
  await target.waitFor({ state: 'visible' });
  // In one step in the page: a redraw (git's history read, the TODO scan) replaces the column's
  // element, and a handle taken before it would measure nothing.
  const height = await heightOnScreen(target);
  // Below the column's cards: the status changes and the card keeps its place in the backlog order.
  await drag(page, frame.locator(`.card[data-id="${id}"]`), target, { x: 30, y: height - 4 });
  const moved = await waitForFileText(file, (t) => t !== original, 'the drop did not write the card');
  assert.deepEqual(changedFields(original, moved), { removed: ['status: To Do'], added: ['status: In Progress'] });
  for (const [name, text] of others) assert.equal(readSettled(path.join(path.dirname(file), name)), text, `${name} changed`);
  await target.locator(`.card[data-id="${id}"]`).waitFor();
  // Every drop can be undone.
  await runCommand(page, 'Backlog: Undo');
  await waitForFileText(file, (t) => t === original, 'Undo did not restore the card');
  await column(frame, 'To Do').locator(`.card[data-id="${id}"]`).waitFor();
  await closeTab(page, 'Sprint Board');
}

export async function dropsACardOnAColumnHeading({ page, workspaceDir }: UiTestContext): Promise<void> {
  const frame = await openBoard(page);
  const id = await firstToDo(frame);
  const file = taskFile(workspaceDir, id);
  const original = readSettled(file);
  // The heading, which stays in sight above a long column: the status changes, nothing else.
  await drag(page, frame.locator(`.card[data-id="${id}"]`), frame.locator('.column-head[data-status="In Review"]'));
  // The page shows the card in its new column at once, and keeps it there once the file is written.
  await column(frame, 'In Review').locator(`.card[data-id="${id}"]`).waitFor();
  const moved = await waitForFileText(file, (t) => t !== original, 'the drop on the heading did not write the card');
  assert.deepEqual(changedFields(original, moved), { removed: ['status: To Do'], added: ['status: In Review'] });
  await frame.locator('#announcer', { hasText: `${id} moved to In Review` }).waitFor();
  assert.equal(await column(frame, 'In Review').locator(`.card[data-id="${id}"]`).count(), 1);
  // In the filter box Ctrl+Z is the box's own: the drop stays.
  const filter = frame.locator('[data-key="filter-text"]').first();
  await filter.click();
  await page.keyboard.type('zz');
  await page.keyboard.press('Control+Z');
  await frame.waitForFunction(() => !(globalThis as unknown as { document: { querySelector(s: string): { value?: string } | null } }).document.querySelector('[data-key="filter-text"]')?.value?.includes('zz'));
  assert.equal(readSettled(file), moved, 'Ctrl+Z in the filter box left the drop alone');
  // Ctrl+Z on the board takes the drop back, as in the Backlog views.
  await column(frame, 'In Review').locator(`.card[data-id="${id}"]`).click();
  await page.keyboard.press('Control+Z');
  await waitForFileText(file, (t) => t === original, 'Ctrl+Z on the board did not take the drop back');
  await column(frame, 'To Do').locator(`.card[data-id="${id}"]`).waitFor();
  await closeTab(page, 'Sprint Board');
}

export async function showsAHostileTitleAsText({ page, workspaceDir }: UiTestContext): Promise<void> {
  const title = '<img src=x onerror=alert(1)> Sneaky <b>bold</b>';
  const file = path.join(workspaceDir, 'backlog', 'tasks', 'bl-990 - Sneaky.md');
  fs.writeFileSync(file, ['---', 'id: BL-990', `title: '${title}'`, 'status: To Do', 'sprint: S-14', 'labels: ["<script>x</script>"]', '---', ''].join('\n'));
  try {
    const frame = await openBoard(page);
    const card = frame.locator('.card[data-id="BL-990"]');
    await card.waitFor({ timeout: 10_000 });
    // Its text as painted, once the card is laid out.
    await card.locator('.title').filter({ hasText: 'Sneaky' }).waitFor({ state: 'visible' });
    assert.equal(await card.locator('.title').innerText(), title);
    assert.equal(await frame.locator('main img, main b, main script').count(), 0, 'the title and label added no element');
  } finally {
    fs.rmSync(file);
  }
  const frame = await openBoard(page);
  await frame.locator('.card[data-id="BL-990"]').waitFor({ state: 'detached', timeout: 10_000 });
  await closeTab(page, 'Sprint Board');
}

export async function movesACardWithTheKeyboard({ page, workspaceDir }: UiTestContext): Promise<void> {
  const frame = await openBoard(page);
  const id = await firstToDo(frame);
  const file = taskFile(workspaceDir, id);
  const original = readSettled(file);
  await frame.locator(`.card[data-id="${id}"]`).focus();
  // Alt+Right: one column to the right.
  await page.keyboard.press('Alt+ArrowRight');
  const moved = await waitForFileText(file, (t) => t !== original, 'Alt+Right did not move the card');
  assert.deepEqual(changedFields(original, moved), { removed: ['status: To Do'], added: ['status: In Progress'] });
  await frame.locator('#announcer', { hasText: `${id} moved to In Progress` }).waitFor();
  // The card keeps the focus in its new column, so the next key reaches it.
  await column(frame, 'In Progress').locator(`.card[data-id="${id}"]`).waitFor();
  await frame.waitForFunction((want) => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-id') === want, id);
  await page.keyboard.press('Alt+ArrowLeft');
  await waitForFileText(file, (t) => changedFields(original, t).added.length === 0, 'Alt+Left did not move the card back');
  // Alt+Down: below the next card of its own column, and said so (not "moved to To Do").
  const below = await column(frame, 'To Do').locator('.card').nth(1).getAttribute('data-id');
  await frame.waitForFunction((want) => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-id') === want, id);
  await page.keyboard.press('Alt+ArrowDown');
  await frame.locator('#announcer', { hasText: `${id} moved below ${below} in To Do` }).waitFor();
  await closeTab(page, 'Sprint Board');
}

/** Picks a row of the open quick pick by its text, as a person does with the mouse. */
async function pick(page: Page, text: string, filter?: string): Promise<void> {
  if (filter !== undefined) await page.locator('.quick-input-widget input').fill(filter);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor();
  await row.click();
}

/** Whether the box lies within the secondary side bar's (a webview view is drawn over its part). */
async function inAuxiliaryBar(page: Page, frame: Frame, selector: string): Promise<boolean> {
  const bar = await page.locator('.part.auxiliarybar').boundingBox();
  const box = await frame.locator(selector).first().boundingBox();
  return !!bar && !!box && box.x >= bar.x - 1 && box.x + box.width <= bar.x + bar.width + 1 && box.y >= bar.y - 1 && box.y + box.height <= bar.y + bar.height + 1;
}

export async function worksInTheSecondarySideBar({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  await openBacklog(page);
  await backlogPane(page, 'Product Backlog').locator('.monaco-list-row').first().waitFor({ timeout: 30_000 });
  // As a person moves it: "View: Move View" (not one of the commands whose titles contain it),
  // the board view, then where it goes.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>View: Move View');
  await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^\s*View: Move View\s*$/ }) }).click();
  await pick(page, 'Sprint Board', 'Sprint Board');
  await pick(page, 'New Secondary Side Bar Entry');
  try {
    await page.locator('.part.auxiliarybar').waitFor({ state: 'visible' });
    let frame = await webviewFrame(page, 'main.board-page .card');
    assert.ok(await inAuxiliaryBar(page, frame, '.cell[data-status="To Do"] .card'), 'the cards are drawn in the secondary side bar');
    // Narrow: the columns keep a readable width and scroll sideways; the page itself does not.
    const widths = await frame.locator('.cell').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    assert.ok(Math.min(...widths) >= 120, `a column is ${Math.min(...widths)} px wide`);
    assert.equal(await frame.evaluate('document.scrollingElement.scrollWidth <= window.innerWidth'), true, 'the page scrolls sideways as a whole');
    await screenshot('sprint-board-secondary-sidebar');

    // A drop there writes the status, as in the editor.
    const id = await firstToDo(frame);
    const file = taskFile(workspaceDir, id);
    const original = readSettled(file);
    await drag(page, frame.locator(`.card[data-id="${id}"]`), frame.locator('.column-head[data-status="In Progress"]'));
    const moved = await waitForFileText(file, (t) => t !== original, 'the drop in the secondary side bar did not write the card');
    assert.deepEqual(changedFields(original, moved), { removed: ['status: To Do'], added: ['status: In Progress'] });
    await column(frame, 'In Progress').locator(`.card[data-id="${id}"]`).waitFor();

    // It is still there after a reload, drawn from the files.
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load', { timeout: 30_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
    await page.locator('.part.auxiliarybar').waitFor({ state: 'visible', timeout: 30_000 });
    // The board is drawn once the extension has read the backlog again, as the Product Backlog is.
    await openBacklog(page);
    await backlogPane(page, 'Product Backlog').locator('.monaco-list-row').first().waitFor({ timeout: 90_000 });
    frame = await webviewFrame(page, `main.board-page .cell[data-status="In Progress"] .card[data-id="${id}"]`, 60_000);
    assert.ok(await inAuxiliaryBar(page, frame, '.card'), 'after a reload the board is in the secondary side bar');
  } finally {
    // Where it was, for the tests after this one.
    await runCommand(page, 'View: Reset View Locations');
    if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand(page, 'View: Toggle Secondary Side Bar Visibility');
    // The reset brings the board view back expanded and the others as it pleases: the views open
    // and closed as the Backlog container first shows them (package.json's `visibility`).
    await openBacklog(page);
    for (const [title, open] of [
      ['Sprints', true],
      ['Releases', true],
      ['Product Backlog', true],
      ['Tech Debt', false],
      ['Backlog Health', false],
      ['Backlog Changes on This Branch', false],
      ['Sprint Board', false],
    ] as const) {
      const header = backlogPane(page, title).locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) !== String(open)) await header.click();
      await page.locator(`[id="workbench.view.extension.backlog-atlas"] .pane-header[aria-expanded="${open}"]`, { has: page.locator('h3.title', { hasText: new RegExp(`^${title}$`, 'i') }) }).waitFor();
    }
  }
}
