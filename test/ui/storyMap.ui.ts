// The story map panel on the demo workspace: the backbone, the slices, and what a drag, an
// inline add and "Move to…" write.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { readSettled, unstamped, waitForFileText } from './files';
import { drag, heightOnScreen } from './panes';
import { closeTab, openPanel, setSideBarVisible } from './webviews';

function openStoryMap(page: Page): Promise<Frame> {
  return openPanel(page, 'Backlog: Open Story Map', 'main.storymap .card');
}

async function closeStoryMap(page: Page): Promise<void> {
  await closeTab(page, 'Story Map');
}

function taskFile(workspaceDir: string, id: string): string {
  const dir = path.join(workspaceDir, 'backlog', 'tasks');
  return path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(`${id.toLowerCase()} - `))!);
}

/** The lines of `after` that are not in `before`, and the other way round. */
function diff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = unstamped(before).split('\n');
  const b = unstamped(after).split('\n');
  return { removed: a.filter((l) => !b.includes(l)).sort(), added: b.filter((l) => !a.includes(l)).sort() };
}

const cell = (frame: Frame, step: string, slice: string) => frame.locator(`.cell[data-step="${step}"][data-slice="${slice}"]`);

export async function showsTheBackboneAndTheReleaseSlices({ page, screenshot }: UiTestContext): Promise<void> {
  const frame = await openStoryMap(page);
  const activities = await frame.locator('.activity .title').allInnerTexts();
  assert.deepEqual(activities, ['Get started', 'Plan a hike', 'On the trail', 'Hike together', 'Unmapped']);
  const steps = await frame.locator('.step .title').allInnerTexts();
  assert.equal(steps[0], 'Sign in');
  assert.equal(steps.length, 13);
  const slices = await frame.locator('.slice-head .slice-title').allInnerTexts();
  assert.deepEqual(slices.slice(-1), ['Unplanned']);
  assert.ok(slices.includes('Trailhead 1.0') && slices.includes('Trailhead 1.1 — Groups'), slices.join(', '));
  // The first slice is the walking skeleton, and Sign in with Apple sits under Sign in in it.
  assert.match(await frame.locator('.slice-head').first().innerText(), /walking skeleton/);
  assert.equal(await cell(frame, 'sign-in', 'R-1').locator('.card', { hasText: 'Sign in with Apple' }).count(), 1);
  // Guided tours have a step but no release: Unplanned, not hidden.
  assert.equal(await cell(frame, 'book-guide', '').locator('.card').count(), 2);
  await setSideBarVisible(page, false);
  await screenshot('story-map');
  // Thirteen steps are wider than the window: the page scrolls sideways, so the scrollbar is at
  // the foot of the window, and the last step can be brought into view with it.
  type Doc = { document: { scrollingElement: { scrollWidth: number; clientWidth: number; scrollLeft: number } } };
  const sideways = () => frame.evaluate(() => {
    const e = (globalThis as unknown as Doc).document.scrollingElement;
    return { wider: e.scrollWidth > e.clientWidth, left: e.scrollLeft };
  });
  assert.equal((await sideways()).wider, true, 'the page is as wide as the map');
  await frame.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(100_000, 0));
  assert.ok((await sideways()).left > 0, 'the page scrolled sideways');
  await frame.locator('.step .title', { hasText: steps[steps.length - 1] }).evaluate((el) => {
    const r = (el as unknown as { getBoundingClientRect(): { right: number } }).getBoundingClientRect();
    if (r.right > (globalThis as unknown as { innerWidth: number }).innerWidth + 1) throw new Error(`the last step ends at ${r.right}, out of the window`);
  });
  await frame.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await setSideBarVisible(page, true);
  await closeStoryMap(page);
}

export async function dragsACardToAnotherStepAndSlice({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = taskFile(workspaceDir, 'BL-27');
  const original = fs.readFileSync(file, 'utf8');
  const frame = await openStoryMap(page);
  await drag(page, frame.locator('.card[data-id="BL-27"]'), cell(frame, 'check-conditions', 'R-2'), { x: 20, y: 4 });
  const moved = await waitForFileText(file, (t) => t !== original, 'the drop did not write the story');
  assert.deepEqual(diff(original, moved), { removed: ['release: R-1', 'step: save-route'], added: ['release: R-2', 'step: check-conditions'] });
  await cell(frame, 'check-conditions', 'R-2').locator('.card[data-id="BL-27"]').waitFor();
  // Onto the cell below its cards: the step and release change back, and the rank stays.
  const home = cell(frame, 'save-route', 'R-1');
  // In one step in the page: the host's redraws after the drop replace the cell's element, and
  // a handle taken before one of them measures nothing (as on the board).
  const height = await heightOnScreen(home);
  await drag(page, frame.locator('.card[data-id="BL-27"]'), home, { x: 20, y: height - 3 });
  await waitForFileText(file, (t) => unstamped(t) === unstamped(original), 'dragging back did not restore the story');
  await closeStoryMap(page);
}

export async function addsAStoryInACell({ page, workspaceDir }: UiTestContext): Promise<void> {
  const frame = await openStoryMap(page);
  const target = cell(frame, 'book-guide', '');
  await target.hover();
  await target.locator('.add-story').click();
  // A title that would be markup if the page ever parsed text as HTML.
  await frame.locator('.inline-input').fill('Rate a guide <img src=x onerror=alert(1)>');
  await frame.locator('.inline-input').press('Enter');
  const card = target.locator('.card', { hasText: 'Rate a guide <img src=x onerror=alert(1)>' });
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await frame.locator('main img').count(), 0, 'the title added no element');
  const id = await card.getAttribute('data-id');
  const file = taskFile(workspaceDir, id!);
  const text = readSettled(file);
  assert.match(text, /^title: ['"]?Rate a guide <img src=x onerror=alert\(1\)>['"]?$/m);
  assert.match(text, /^type: story$/m);
  assert.match(text, /^step: book-guide$/m);
  assert.doesNotMatch(text, /^(release|sprint):/m);
  fs.rmSync(file);
  await card.waitFor({ state: 'detached', timeout: 10_000 });
  await closeStoryMap(page);
}

export async function movesACardWithTheKeyboard({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = taskFile(workspaceDir, 'BL-13');
  const original = fs.readFileSync(file, 'utf8');
  const frame = await openStoryMap(page);
  await frame.locator('.card[data-id="BL-13"]').focus();
  // Arrow keys walk the grid: down to the next card under Sign in, and back.
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await frame.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-id')), 'BL-13');
  await page.keyboard.press('ArrowUp');
  // Both lists use the same widget: wait for the one that asks the question before typing,
  // or the text goes into the list that is closing.
  const pick = async (question: string, text: string) => {
    await page.locator('.quick-input-widget', { has: page.locator('.quick-input-title', { hasText: question }) }).waitFor();
    await page.locator('.quick-input-widget input').fill(text);
    // Enter picks the active row: wait until the filter has made it the one we want.
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).waitFor();
    await page.keyboard.press('Enter');
  };
  await page.keyboard.press('m');
  await pick('which step', 'Set preferences');
  await pick('which release', 'Groups');
  const moved = await waitForFileText(file, (t) => t !== original, 'Move to… did not write the story');
  assert.deepEqual(diff(original, moved), { removed: ['release: R-1', 'step: sign-in'], added: ['release: R-2', 'step: set-preferences'] });
  await frame.locator('#announcer', { hasText: 'BL-13 moved to Set preferences' }).waitFor();
  // The card is drawn in its new cell and keeps the focus, so the next key reaches it.
  await cell(frame, 'set-preferences', 'R-2').locator('.card[data-id="BL-13"]').waitFor();
  await frame.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-id') === 'BL-13');
  await page.keyboard.press('m');
  await pick('which step', 'Sign in');
  await pick('which release', 'Trailhead 1.0');
  await waitForFileText(file, (t) => unstamped(t) === unstamped(original), 'moving back did not restore the story');
  await closeStoryMap(page);
}
