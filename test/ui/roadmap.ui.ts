// The roadmap panel on the demo workspace: what it shows, and what it writes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { UiTestContext } from '../host/runUi';
import { unstamped, waitForFileText } from './files';
import { boxOnScreen, drag } from './panes';
import { closeTab, openPanel, runCommand, setSideBarVisible, toggleTheme, webviewFrame } from './webviews';

function openRoadmap(page: Page): Promise<Frame> {
  return openPanel(page, 'Backlog: Open Roadmap', 'main.roadmap .card');
}

async function closeRoadmap(page: Page): Promise<void> {
  await closeTab(page, 'Roadmap');
}

/** Toggles the side bar, so that a screenshot shows the panel at full width. */
async function pickLayout(frame: Frame, value: 'board' | 'timeline'): Promise<void> {
  await frame.locator(`vscode-radio[name="layout"][value="${value}"]`).click();
  await frame.locator(value === 'board' ? '.layout.board' : '.layout.timeline').waitFor();
}

export async function showsTheBoardInLightAndDarkThemes({ page, screenshot }: UiTestContext): Promise<void> {
  // The page must work under its own policy: any refusal (a style, a font, a script) is a bug.
  const refusals: string[] = [];
  const onConsole = (m: { text(): string }) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refusals.push(m.text());
  };
  page.on('console', onConsole);
  const frame = await openRoadmap(page);
  const columns = await frame.locator('.column-title').allInnerTexts();
  assert.deepEqual(columns.map((c) => c.split(/\s/)[0]), ['Now', 'Next', 'Later', 'Unscheduled']);
  // T-7 has no horizon: it waits in Unscheduled, not hidden.
  assert.match(await frame.locator('.column-unscheduled').innerText(), /Fitness app sync/);
  // Team view: epics under their themes, with stories rolled up.
  assert.match(await frame.locator('.column-now .card.theme', { hasText: 'Offline first' }).innerText(), /BL-1\s+Offline maps[\s\S]*\d+\/\d+ pts/);
  // Codicons come from the extension's own copy of the font.
  assert.ok(await frame.evaluate(() => (globalThis as unknown as { document: { fonts: { check(f: string): boolean } } }).document.fonts.check('16px codicon')));
  page.off('console', onConsole);
  assert.deepEqual(refusals, []);
  await setSideBarVisible(page, false);
  await screenshot('roadmap');
  await toggleTheme(page, frame);
  await screenshot('roadmap-dark');
  await toggleTheme(page, frame);
  await setSideBarVisible(page, true);
  await closeRoadmap(page);
}

export async function showsTheTimelineWithMarkersAndTheStakeholderView({ page, screenshot }: UiTestContext): Promise<void> {
  const frame = await openRoadmap(page);
  await pickLayout(frame, 'timeline');
  const periods = await frame.locator('.period-label').allInnerTexts();
  assert.equal(periods[0], '2026 Q4');
  assert.ok(periods.includes('2027 Q3'), periods.join(', '));
  // Milestones and releases from the demo are on the axis, and so is today.
  assert.ok((await frame.locator('.marker', { hasText: 'Public beta' }).count()) > 0);
  assert.ok((await frame.locator('.marker-release').count()) > 0);
  assert.equal(await frame.locator('.line.today').count(), 1);
  assert.match(await frame.locator('.unscheduled-lane').innerText(), /Fitness app sync/);
  await frame.locator('vscode-radio[name="audience"][value="stakeholder"]').click();
  await frame.locator('main.audience-stakeholder').waitFor();
  assert.equal(await frame.locator('.epic-bar').count(), 0, 'the stakeholder view shows no epics');
  await setSideBarVisible(page, false);
  await screenshot('roadmap-timeline');
  await setSideBarVisible(page, true);
  await frame.locator('vscode-radio[name="audience"][value="team"]').click();
  await frame.locator('main.audience-team').waitFor();
  await pickLayout(frame, 'board');
  await closeRoadmap(page);
}

/** Each epic's theme, as its file in the demo names it (no theme: ''). */
function epicThemes(workspaceDir: string): Map<string, string> {
  const tasks = path.join(workspaceDir, 'backlog', 'tasks');
  const themes = new Map<string, string>();
  for (const file of fs.readdirSync(tasks)) {
    const text = fs.readFileSync(path.join(tasks, file), 'utf8');
    const id = /^id: (.+)$/m.exec(text)?.[1].trim();
    if (id && /^type: epic$/m.test(text)) themes.set(id.toUpperCase(), /^theme: (.+)$/m.exec(text)?.[1].trim().toUpperCase() ?? '');
  }
  return themes;
}

type Box = { x: number; y: number; width: number; height: number };

export async function drawsEachTimelineBarInsideItsOwnThemesLane({ page, workspaceDir, screenshot }: UiTestContext): Promise<void> {
  const themeOf = epicThemes(workspaceDir);
  const frame = await openRoadmap(page);
  await pickLayout(frame, 'timeline');
  await setSideBarVisible(page, false);
  await frame.locator('.lanes .epic-bar[data-key="item:BL-1"]').waitFor();
  // What the page draws: each lane (named by its theme's id; '' for "No theme") and each bar,
  // measured in one step in the page: a redraw (the index, git's history) replaces the lanes, and
  // elements measured one by one across it would mix two drawings or measure nothing.
  // textContent, not innerText: a lane below the fold is not rendered yet (content-visibility),
  // and innerText reads what is rendered.
  type Rect = { x: number; y: number; width: number; height: number };
  type El = { querySelector(s: string): El | null; querySelectorAll(s: string): El[]; textContent: string | null; getAttribute(n: string): string | null; getBoundingClientRect(): Rect };
  // No named functions inside: the test runner's bundler would wrap them in a helper the page lacks.
  const drawn = await frame.locator('.lanes').evaluate((root) => {
    const r = root as unknown as El;
    return {
      lanes: Array.from(r.querySelectorAll('.lane')).map((lane) => {
        const b = lane.getBoundingClientRect();
        return { id: (lane.querySelector('.lane-label .id')?.textContent ?? '').trim().toUpperCase(), box: { x: b.x, y: b.y, width: b.width, height: b.height } };
      }),
      bars: Array.from(r.querySelectorAll('.bar')).map((bar) => {
        const b = bar.getBoundingClientRect();
        return { key: bar.getAttribute('data-key') ?? '', box: { x: b.x, y: b.y, width: b.width, height: b.height } };
      }),
    };
  });
  const lanes = new Map<string, Box>(drawn.lanes.map((l) => [l.id, l.box]));
  const bars: { key: string; box: Box }[] = drawn.bars;
  assert.ok(bars.length >= 10, `the demo's team timeline shows its themes and epics (${bars.length} bars)`);
  // Half a pixel for the browser's rounding of fractional layout.
  const px = 0.5;
  for (const { key, box } of bars) {
    const [kind, id] = key.split(':');
    const theme = kind === 'theme' ? id.toUpperCase() : themeOf.get(id.toUpperCase());
    assert.ok(theme !== undefined, `${key} is a theme or an epic of the demo`);
    const lane = lanes.get(lanes.has(theme) ? theme : '');
    assert.ok(lane, `${key} has its lane (${theme || 'No theme'})`);
    assert.ok(box.y >= lane.y - px && box.y + box.height <= lane.y + lane.height + px, `${key} (y ${box.y}–${box.y + box.height}) lies inside the lane of ${theme} (y ${lane.y}–${lane.y + lane.height})`);
  }
  for (let i = 0; i < bars.length; i++) {
    for (const other of bars.slice(i + 1)) {
      const [a, b] = [bars[i].box, other.box];
      const overlap = a.x < b.x + b.width - px && b.x < a.x + a.width - px && a.y < b.y + b.height - px && b.y < a.y + a.height - px;
      assert.ok(!overlap, `${bars[i].key} and ${other.key} are drawn over each other`);
    }
  }
  await screenshot('roadmap-timeline-team');
  await setSideBarVisible(page, true);
  await pickLayout(frame, 'board');
  await closeRoadmap(page);
}

export async function dragsAThemeToAnotherHorizonAndBack({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = path.join(workspaceDir, 'backlog', 'roadmap.yml');
  const original = fs.readFileSync(file, 'utf8');
  const frame = await openRoadmap(page);
  const card = frame.locator('.column-unscheduled .card.theme', { hasText: 'Fitness app sync' });
  await drag(page, card, frame.locator('.column-later'));
  const moved = await waitForFileText(file, (t) => t !== original, 'the drop did not write roadmap.yml');
  // One key added under T-7; the comment that explains why it had none is still there.
  assert.match(moved, /- id: T-7[\s\S]*horizon: later/);
  assert.match(moved, /# no horizon yet: unscheduled until discovery/);
  assert.equal(moved.split('\n').length, original.split('\n').length + 1);
  await frame.locator('.column-later .card.theme', { hasText: 'Fitness app sync' }).waitFor();
  await drag(page, frame.locator('.column-later .card.theme', { hasText: 'Fitness app sync' }), frame.locator('.column-unscheduled'));
  await waitForFileText(file, (t) => t === original, 'dragging back to Unscheduled did not restore the file');
  await closeRoadmap(page);
}

export async function keepsADragWhenTheBacklogChangesMeanwhile({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = path.join(workspaceDir, 'backlog', 'roadmap.yml');
  const original = fs.readFileSync(file, 'utf8');
  const story = path.join(workspaceDir, 'backlog', 'tasks', 'bl-12 - Sign-in-with-Google.md');
  const storyText = fs.readFileSync(story, 'utf8');
  const frame = await openRoadmap(page);
  const card = frame.locator('.column-unscheduled .card.theme', { hasText: 'Fitness app sync' });
  try {
    await drag(page, card, frame.locator('.column-later'), undefined, async () => {
      // Another program re-estimates a story of the sprint while the card is held: the index
      // changes (the status bar shows it) and the host sends the roadmap a new state.
      fs.writeFileSync(story, storyText.replace('estimate: 5', 'estimate: 8'));
      await page.locator('.statusbar-item', { hasText: 'Sprint 14 · 13/30 pts' }).waitFor();
    });
    await waitForFileText(file, (t) => /- id: T-7[\s\S]*horizon: later/.test(t), 'the drop was lost to the state that came during the drag');
    await frame.locator('.column-later .card.theme', { hasText: 'Fitness app sync' }).waitFor();
    await drag(page, frame.locator('.column-later .card.theme', { hasText: 'Fitness app sync' }), frame.locator('.column-unscheduled'));
    await waitForFileText(file, (t) => t === original, 'dragging back to Unscheduled did not restore the file');
  } finally {
    fs.writeFileSync(story, storyText);
  }
  await page.locator('.statusbar-item', { hasText: 'Sprint 14 · 13/27 pts' }).waitFor();
  await closeRoadmap(page);
}

export async function dragsAThemeOntoAQuarterOfTheTimelineAndBack({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = path.join(workspaceDir, 'backlog', 'roadmap.yml');
  const original = fs.readFileSync(file, 'utf8');
  const frame = await openRoadmap(page);
  await pickLayout(frame, 'timeline');
  // Onto 2027 Q1 under Offline first's bars: the bottom edge of the quarter, where no bar lies.
  const quarter = frame.locator('.lanes .lane', { hasText: 'Offline first' }).locator('.period[data-period="2027-Q1"]');
  const box = (await quarter.boundingBox())!;
  await drag(page, frame.locator('.unscheduled-lane .card[data-key="theme:T-7"]'), quarter, { x: box.width / 2, y: box.height - 3 });
  const moved = await waitForFileText(file, (t) => t !== original, 'the drop did not write roadmap.yml');
  assert.match(moved, /- id: T-7[\s\S]*horizon: 2027-Q1/);
  assert.equal(moved.split('\n').length, original.split('\n').length + 1);
  // Its own lane now; dragged back to Unscheduled, the file is as it was.
  const bar = frame.locator('.lanes .card[data-key="theme:T-7"]');
  await bar.waitFor();
  await drag(page, bar, frame.locator('.unscheduled-lane'));
  await waitForFileText(file, (t) => t === original, 'dragging back to Unscheduled did not restore the file');
  await pickLayout(frame, 'board');
  await closeRoadmap(page);
}

export async function movesAnEpicWithTheKeyboard({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = fs.readdirSync(path.join(workspaceDir, 'backlog', 'tasks')).find((f) => f.startsWith('bl-4 - '))!;
  const full = path.join(workspaceDir, 'backlog', 'tasks', file);
  const original = fs.readFileSync(full, 'utf8');
  const frame = await openRoadmap(page);
  const epic = frame.locator('.card.epic[data-key="item:BL-4"]');
  await epic.focus();
  await page.keyboard.press('m');
  await page.locator('.quick-input-widget').waitFor();
  await page.locator('.quick-input-widget input').fill('Later');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Later' }).first().waitFor();
  await page.keyboard.press('Enter');
  const moved = await waitForFileText(full, (t) => t !== original, 'Move to… did not write the epic');
  assert.match(moved, /^horizon: later$/m);
  // The card follows, keeps the focus, and the move is announced.
  await frame.locator('.column-later .card.epic[data-key="item:BL-4"]').waitFor();
  await frame.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-key') === 'item:BL-4');
  await frame.locator('#announcer', { hasText: 'BL-4 moved to Later' }).waitFor();
  // Back to Next, where its theme is: the key goes and the file is as it was.
  await page.keyboard.press('m');
  await page.locator('.quick-input-widget input').fill('Next');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Next' }).first().waitFor();
  await page.keyboard.press('Enter');
  await waitForFileText(full, (t) => unstamped(t) === unstamped(original), 'moving back to Next did not restore the epic file');
  await closeRoadmap(page);
}

export async function showsAHostileTitleAsText({ page, workspaceDir }: UiTestContext): Promise<void> {
  const file = path.join(workspaceDir, 'backlog', 'tasks', 'bl-900 - hostile.md');
  const title = '<img src=x onerror=alert(1)>';
  fs.writeFileSync(file, ['---', 'id: BL-900', `title: '${title}'`, 'status: To Do', 'type: epic', 'theme: T-1', '---', '', 'Hello <script>alert(2)</script> [x](javascript:alert(3))', ''].join('\n'));
  try {
    const frame = await openRoadmap(page);
    const card = frame.locator('.card.epic[data-key="item:BL-900"]');
    await card.waitFor({ timeout: 15_000 });
    assert.match(await card.innerText(), /<img src=x onerror=alert\(1\)>/);
    assert.equal(await frame.locator('main img, main script, main iframe').count(), 0);
  } finally {
    fs.rmSync(file);
  }
  await closeRoadmap(page);
}

export async function comesBackAfterAReloadWithItsOptions({ page }: UiTestContext): Promise<void> {
  let frame = await openRoadmap(page);
  await pickLayout(frame, 'timeline');
  // The user's way: the workbench saves its editors (and the page's state) before it goes.
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 30_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  frame = await webviewFrame(page, 'main.roadmap .layout.timeline', 45_000);
  assert.equal(await frame.locator('.layout.timeline').count(), 1);
  await pickLayout(frame, 'board');
  await closeRoadmap(page);
}

/** What the timeline's lanes say they hold (their names, for screen readers) and the bars the page has built in each. */
type LaneCount = { name: string; said: number; built: number };

function laneCounts(frame: Frame): Promise<LaneCount[]> {
  // The page has the DOM; these tests compile without its types.
  type El = { getAttribute(n: string): string | null; querySelectorAll(s: string): { length: number } };
  return frame.evaluate(() =>
    Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<El> } }).document.querySelectorAll('.lanes .lane')).map((lane) => {
      const label = lane.getAttribute('aria-label') ?? '';
      return { name: label.replace(/: \d+ bars?$/, ''), said: Number(/: (\d+) bars?$/.exec(label)?.[1] ?? NaN), built: lane.querySelectorAll('.bar').length };
    }),
  );
}

const activeKey = (frame: Frame) => frame.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-key') ?? '');

export async function buildsABigTimelinesBarsAsTheyComeNearTheWindow({ page, workspaceDir }: UiTestContext): Promise<void> {
  // 60 more epics under each scheduled theme of the demo: each lane is taller than the window.
  const themes = ['T-1', 'T-2', 'T-3', 'T-4', 'T-5', 'T-6'];
  const perTheme = 60;
  const tasks = path.join(workspaceDir, 'backlog', 'tasks');
  const added: string[] = [];
  themes.forEach((theme, t) => {
    for (let k = 0; k < perTheme; k++) {
      const id = `BL-${5000 + t * perTheme + k}`;
      const file = path.join(tasks, `${id.toLowerCase()} - Big-epic.md`);
      fs.writeFileSync(file, ['---', `id: ${id}`, `title: Big epic ${k} of ${theme}`, 'status: To Do', 'type: epic', `theme: ${theme}`, '---', ''].join('\n'));
      added.push(file);
    }
  });
  try {
    const frame = await openRoadmap(page);
    await pickLayout(frame, 'timeline');
    // The page has the new epics once every theme's lane says it holds them (the index reads them meanwhile).
    let lanes: LaneCount[] = [];
    for (const start = Date.now(); ; await page.waitForTimeout(200)) {
      lanes = await laneCounts(frame);
      const mine = lanes.filter((l) => themes.some((t) => l.name.startsWith(`${t} `)));
      if (mine.length === themes.length && mine.every((l) => l.said > perTheme)) break;
      assert.ok(Date.now() - start < 30_000, `the lanes never said they hold the new epics: ${JSON.stringify(lanes)}`);
    }
    const said = lanes.reduce((n, l) => n + l.said, 0);
    const built = lanes.reduce((n, l) => n + l.built, 0);
    const last = lanes.length - 1;
    // The first lane, in the window, is built whole; the lanes far below it wait.
    assert.equal(lanes[0].built, lanes[0].said, `the first lane is built: ${JSON.stringify(lanes)}`);
    assert.equal(lanes[last].built, 0, `the last lane waits: ${JSON.stringify(lanes)}`);
    assert.ok(built < said / 2, `only the bars near the window are built first: ${built} of ${said}`);

    // Scrolled to, the last lane is built: every bar its name says it holds.
    // Scrolled as a person does, once the index's last redraw has replaced the lanes.
    await boxOnScreen(frame.locator('.lanes .lane').last());
    await frame.waitForFunction(
      ([n, count]) => (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ querySelectorAll(s: string): { length: number } }> } }).document.querySelectorAll('.lanes .lane')[n].querySelectorAll('.bar').length === count,
      [last, lanes[last].said],
    );

    // The keyboard reaches every lane, each built as the focus comes to it: right arrow, lane by lane.
    // Back at the top first, as a person would be: a redraw while the window shows the last lane
    // (the index or the TODO scan finishing) leaves the first lane waiting to be built again.
    await boxOnScreen(frame.locator('.lanes .lane').first());
    await frame.locator('.lanes .lane >> nth=0 >> .bar >> nth=0').focus();
    for (let k = 1; k < lanes.length; k++) {
      await page.keyboard.press('ArrowRight');
      await frame.waitForFunction((n) => {
        const doc = (globalThis as unknown as { document: { activeElement: { closest(s: string): unknown } | null; querySelectorAll(s: string): ArrayLike<unknown> } }).document;
        return doc.activeElement?.closest('.lane') === doc.querySelectorAll('.lanes .lane')[n];
      }, k);
      const now = await laneCounts(frame);
      assert.equal(now[k].built, now[k].said, `lane ${now[k].name} is built once the focus is in it`);
    }
    // Down from a lane's last bar goes on to the next lane's first, and up comes back.
    await frame.locator('.lanes .lane >> nth=0 >> .bar >> nth=-1').focus();
    const lastOfFirst = await activeKey(frame);
    const firstOfNext = (await frame.locator('.lanes .lane >> nth=1 >> .bar >> nth=0').getAttribute('data-key')) ?? '';
    await page.keyboard.press('ArrowDown');
    await frame.waitForFunction(([key]) => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-key') === key, [firstOfNext]);
    await page.keyboard.press('ArrowUp');
    await frame.waitForFunction(([key]) => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-key') === key, [lastOfFirst]);
    await closeRoadmap(page);
  } finally {
    for (const file of added) fs.rmSync(file, { force: true });
  }
}
