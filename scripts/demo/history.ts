// The living demo, as pure functions: the template in examples/demo is a team's backlog as it
// stood on TEMPLATE_TODAY. `shiftFor` moves it by whole weeks (sprints keep their weekdays) so
// that its active sprint contains the day it is generated on, and `demoHistory` writes the git
// history such a team would have made: items added, sprints planned, started and closed, work
// started, re-estimated and done, each on its day. The reports read that history as they would
// a real repository's. scripts/demo/generate.ts puts both on disk.
import { parseDocument, isMap, isSeq, YAMLMap } from 'yaml';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { addQuarters, quarterOf } from '../../src/core/rules/horizon';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import type { Item, Sprint } from '../../src/core/types';

/** The day the template describes: Saturday of the second week of its active Sprint 14 (Nov 16–27). */
export const TEMPLATE_TODAY = '2026-11-21';

const DAY_MS = 86_400_000;

export interface DemoShift {
  /** Whole weeks, in days: a sprint that starts on a Monday still does. */
  days: number;
  /** Quarters the roadmap's `2027-Q2` horizons move by, so they keep their place from today. */
  quarters: number;
}

function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function dayText(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayText(dayNumber(day) + days);
}

/**
 * The shift that puts `today` within the template's week from TEMPLATE_TODAY (a Saturday) to the
 * Friday after, which is the second half of Sprint 14: so the sprint under way contains today,
 * whatever day of the week it is.
 */
export function shiftFor(today: string): DemoShift {
  const days = Math.floor((dayNumber(today) - dayNumber(TEMPLATE_TODAY)) / 7) * 7;
  const quarterIndex = (q: string) => Number(q.slice(0, 4)) * 4 + Number(q.slice(6)) - 1;
  const quarters = quarterIndex(quarterOf(addDays(TEMPLATE_TODAY, days))) - quarterIndex(quarterOf(TEMPLATE_TODAY));
  return { days, quarters };
}

const DAY_PATTERN = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const QUARTER_PATTERN = /\b(\d{4})-Q([1-4])\b/g;

/** Every day (`2026-11-18`) and quarter (`2027-Q2`) in a text, moved by the shift. */
export function shiftText(text: string, shift: DemoShift): string {
  if (shift.days === 0 && shift.quarters === 0) return text;
  return text
    .replace(DAY_PATTERN, (day) => (Number.isNaN(dayNumber(day)) ? day : addDays(day, shift.days)))
    .replace(QUARTER_PATTERN, (q) => addQuarters(q, shift.quarters));
}

/** One commit of the demo's history: when, why, and every file of the tree at that moment. */
export interface DemoCommit {
  /** Seconds since the epoch (UTC). */
  time: number;
  message: string;
  files: ReadonlyMap<string, string>;
}

/** A moment in the history: a day and an hour and minute, as seconds since the epoch. */
function at(day: string, hour: number, minute = 0): number {
  return dayNumber(day) * 86_400 + hour * 3600 + minute * 60;
}

/** `'2026-10-01 09:30'` or `'2026-10-01'` (as UTC, as Backlog.md writes them) in seconds. */
function stamp(text: string | undefined): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(text ?? '');
  return m ? at(m[1], Number(m[2] ?? 9), Number(m[3] ?? 0)) : undefined;
}

interface ItemPlan {
  item: Item;
  path: string;
  text: string;
  created: number;
  /** Each value a field takes, from when: the last one at or before a moment applies. */
  status: [number, string][];
  sprint: [number, string | undefined][];
  estimate: [number, number | undefined][];
  completed: [number, string | undefined][];
  /** Where the file is: a done item moves from tasks/ to completed/ when its sprint closes. */
  paths: [number, string][];
}

interface SprintPlan {
  sprint: Sprint;
  planned: number;
  started: number;
  closed: number | undefined;
}

interface Event {
  time: number;
  message: string;
}

function valueAt<T>(steps: [number, T][], time: number): T {
  let value = steps[0][1];
  for (const [from, v] of steps) if (from <= time) value = v;
  return value;
}

/**
 * Replaces, removes or adds one `key: value` line of an item's front matter. The template's items
 * are written one key a line, so a line edit is exact; the final commit is the template's own bytes.
 */
export function setFrontMatterLine(text: string, key: string, value: string | undefined): string {
  const end = text.indexOf('\n---', 4);
  const head = text.slice(0, end);
  const rest = text.slice(end);
  const lines = head.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  if (value === undefined) {
    if (i >= 0) lines.splice(i, 1);
  } else if (i >= 0) lines[i] = `${key}: ${value}`;
  else lines.push(`${key}: ${value}`);
  return lines.join('\n') + rest;
}

/**
 * The history of a demo backlog whose files (paths relative to the demo folder) stand as they are
 * on `today`. The last commit holds exactly `files`; the ones before it are the states a team
 * would have committed on the way there.
 */
export async function demoHistory(files: ReadonlyMap<string, string>, nowDate: Date): Promise<DemoCommit[]> {
  const today = nowDate.toISOString().slice(0, 10);
  const ws = new MemoryWorkspace(Object.fromEntries([...files].filter(([p]) => p.startsWith('backlog/')).map(([p, t]) => [`/demo/${p}`, t])));
  const index = new BacklogIndex(ws, { folders: ['/demo'] });
  await index.build();
  const backlog = index.roots()[0];
  if (!backlog) throw new Error('the demo template has no backlog/ folder');
  // Nothing is dated after the moment the demo is made: the history is all in the past.
  const now = Math.floor(nowDate.getTime() / 1000);
  const events: Event[] = [];
  const event = (time: number, message: string) => events.push({ time, message });

  const sprints: SprintPlan[] = backlog.sprints
    .filter((s) => s.start && s.end)
    .map((sprint) => {
      // Planned on the Friday before it starts, or yesterday for a sprint planned ahead of today.
      const planned = Math.min(at(addDays(sprint.start!, -3), 15), at(addDays(today, -1), 15));
      const started = at(sprint.start!, 9, 30);
      const closed = sprint.state === 'closed' ? at(sprint.end!, 17) : undefined;
      event(planned, `Plan ${sprint.name}`);
      if (sprint.state !== 'planned') event(started, `Start ${sprint.name}: ${sprint.committed.length} items committed`);
      if (closed !== undefined) event(closed, `Close ${sprint.name}`);
      return { sprint, planned, started, closed };
    });
  const sprintOf = (id: string | undefined) => sprints.find((s) => s.sprint.id === id);

  const items: ItemPlan[] = [];
  for (const item of backlog.items()) {
    const path = item.path.slice('/demo/'.length);
    const created = stamp(item.createdDate) ?? at(addDays(today, -120), 9);
    const n = Number(/\d+/.exec(item.id)?.[0] ?? 0);
    const plan: ItemPlan = { item, path, text: files.get(path)!, created, status: [[created, 'To Do']], sprint: [[created, undefined]], estimate: [[created, item.estimate]], completed: [[created, undefined]], paths: [[created, path]] };
    event(created, `Add ${item.id} ${item.title}`);

    // Sprints: each one that committed the item, from its planning; then the one it is in now.
    const committedIn = sprints.filter((s) => s.sprint.committed.some((c) => c.id === item.id));
    for (const s of committedIn) plan.sprint.push([Math.max(created, s.planned), s.sprint.id]);
    const current = sprintOf(item.sprint);
    if (item.sprint && !committedIn.some((s) => s.sprint.id === item.sprint)) {
      plan.sprint.push([Math.max(created, current?.planned ?? created), item.sprint]);
      if (current && created > current.started) event(created, `Add ${item.id} to ${current.sprint.name} after it started`);
    }
    if (committedIn.length > 1) event(committedIn[committedIn.length - 1].planned, `Carry ${item.id} over to ${committedIn[committedIn.length - 1].sprint.name}`);

    // Estimates: what the sprint committed, until a re-estimate two days into that sprint.
    const first = committedIn.map((s) => ({ s, c: s.sprint.committed.find((c) => c.id === item.id)! })).find(({ c }) => c.estimate !== undefined && c.estimate !== item.estimate);
    if (first) {
      plan.estimate = [[created, first.c.estimate]];
      const when = Math.max(created, first.s.started + 2 * 86_400 + 5400);
      plan.estimate.push([when, item.estimate]);
      event(when, `Re-estimate ${item.id} from ${first.c.estimate} to ${item.estimate ?? 'none'}`);
    }

    // Work: started a few days before it was done (or once its sprint was under way), then done.
    const sprintStart = (current ?? committedIn[committedIn.length - 1])?.started ?? sprints.find((s) => s.sprint.state !== 'planned')?.started ?? created;
    if (item.folder === 'drafts') {
      // A draft is an idea nobody has picked up: it stays as it was written.
      plan.status = [[created, item.status]];
    } else if (item.completedDate) {
      const done = at(item.completedDate.slice(0, 10), 15, 10 + ((n * 7) % 40));
      const lastSprint = committedIn.filter((s) => s.started <= done).pop() ?? current;
      const begun = Math.min(done - 3600, Math.max(created + 3600, lastSprint?.started ?? created, done - 2 * 86_400));
      plan.status.push([begun, 'In Progress'], [done, item.status]);
      plan.completed.push([done, item.fields.completed_date as string]);
      if (item.folder === 'completed') {
        // As Backlog.md's cleanup does, once the sprint it was done in is over.
        const cleanup = sprints.map((s) => s.closed).find((c): c is number => c !== undefined && c >= done) ?? done + 60;
        plan.paths = [[created, path.replace(/^backlog\/completed\//, 'backlog/tasks/')], [cleanup, path]];
        event(cleanup, `Move ${item.id} to completed`);
      }
      event(begun, `Start ${item.id}`);
      event(done, `Done: ${item.id} ${item.title}`);
    } else if (item.status !== 'To Do') {
      const begun = Math.min(now - 86_400, Math.max(created + 3600, sprintStart + (n % 3) * 86_400 + 3600));
      plan.status.push([begun, 'In Progress']);
      event(begun, `Start ${item.id}`);
      if (item.status !== 'In Progress') {
        const moved = Math.max(begun + 3600, now - 20 * 3600);
        plan.status.push([moved, item.status]);
        event(moved, `${item.id} to ${item.status}`);
      }
    }
    items.push(plan);
  }

  const sprintsText = files.get('backlog/sprints.yml');
  const other = [...files].filter(([p]) => p !== 'backlog/sprints.yml' && !items.some((i) => i.path === p));
  const snapshot = (time: number): Map<string, string> => {
    const tree = new Map<string, string>(other);
    if (sprintsText !== undefined) tree.set('backlog/sprints.yml', sprintsAt(sprintsText, sprints, time));
    for (const p of items) {
      if (p.created > time) continue;
      let text = p.text;
      text = setFrontMatterLine(text, 'status', valueAt(p.status, time));
      const sprint = valueAt(p.sprint, time);
      text = setFrontMatterLine(text, 'sprint', sprint);
      const estimate = valueAt(p.estimate, time);
      text = setFrontMatterLine(text, 'estimate', estimate === undefined ? undefined : String(estimate));
      const completed = valueAt(p.completed, time);
      text = setFrontMatterLine(text, 'completed_date', completed === undefined ? undefined : `'${completed}'`);
      // Where nothing differs from today's file, its own bytes (key order included).
      tree.set(valueAt(p.paths, time), valuesEqual(p, time) ? p.text : text);
    }
    return tree;
  };

  const times = [...new Set(events.filter((e) => e.time < now).map((e) => e.time))].sort((a, b) => a - b);
  const commits: DemoCommit[] = [];
  // The code and the backlog's settings come first, a day before anything else.
  const start = Math.min(...times) - 86_400;
  commits.push({ time: start, message: 'Start the Trailhead backlog', files: snapshot(start - 1) });
  for (const time of times) {
    const said = events.filter((e) => e.time === time).map((e) => e.message);
    commits.push({ time, message: said.length > 1 ? `${said[0]} (and ${said.length - 1} more)\n\n${said.map((s) => `- ${s}`).join('\n')}` : said[0], files: snapshot(time) });
  }
  // The files as they are: what the steps above do not explain (wording, ranks) lands last.
  const last = commits[commits.length - 1].files;
  if (last.size !== files.size || [...files].some(([p, t]) => last.get(p) !== t)) {
    commits.push({ time: Math.max(now - 60, times[times.length - 1] + 60), message: 'Groom the backlog', files });
  }
  return commits;
}

function valuesEqual(p: ItemPlan, time: number): boolean {
  const i = p.item;
  return valueAt(p.status, time) === i.status && valueAt(p.sprint, time) === i.sprint && valueAt(p.estimate, time) === i.estimate && valueAt(p.completed, time) === (i.fields.completed_date as string | undefined);
}

/** sprints.yml as it stood at `time`: the sprints planned by then, in the state they were in. */
function sprintsAt(text: string, sprints: SprintPlan[], time: number): string {
  const states = sprints.map((s) => ({ s, planned: s.planned <= time, state: s.closed !== undefined && s.closed <= time ? 'closed' : s.sprint.state !== 'planned' && s.started <= time ? 'active' : 'planned' }));
  if (states.every(({ s, planned, state }) => planned && state === s.sprint.state)) return text;
  const doc = parseDocument(text);
  const list = doc.get('sprints');
  if (!isSeq(list)) return text;
  list.items = list.items.filter((node) => {
    if (!isMap(node)) return true;
    const entry = states.find(({ s }) => s.sprint.id === (node as YAMLMap).get('id'));
    if (!entry) return true;
    if (!entry.planned) return false;
    node.set('state', entry.state);
    if (entry.state === 'planned') node.delete('committed');
    return true;
  });
  return doc.toString();
}
