// The sprint board's view model: one column per status of config.yml, in its order, the cards of
// a sprint, a release or the whole open backlog in backlog order in each, optionally cut into
// swimlanes, filtered as the toolbar says; and the header's figures, which are core/figures'.
// Pure and linear in the number of items, so that a big board paints at once and "every card in
// exactly one column and lane" is unit-tested.
import { BoardCard, BoardColumn, BoardHeader, BoardLane, BoardModel, BoardOptions, ScopeChoice } from '../../protocol/boardProtocol';
import { Backlog } from '../../core/backlog';
import { figurePoints, sprintDaysLeft, sprintFigures, releaseFigures, tally } from '../../core/figures/figures';
import { BacklogHistory, timelineOf } from '../../core/history/history';
import { canonicalStatus } from '../../core/statuses';
import { compareIds } from '../../core/rules/rank';
import { Item, Sprint } from '../../core/types';
import { sprintBurndown } from '../reports/reports';

export interface BoardContext {
  /** Today as YYYY-MM-DD; the caller's clock, so that tests can pin it. */
  today: string;
  /** Names of the workspace's backlog roots, and the one this backlog is. */
  roots: string[];
  root: string;
  /** TODO comments in the code that name an item (the Tech Debt scan's index). */
  codeRefs(id: string): number;
  /** Who "only mine" means: git's user name or the setting; undefined when neither says. */
  me?: string;
  /** The backlog's git history for the burndown, when it has been read (trusted workspaces only). */
  history?: BacklogHistory;
  /** Weekdays the team does not work (0 = Sunday), as the Reports panel takes them. */
  nonWorkingDays?: number[];
}

/** `@alice`, `Alice` and ` alice ` are one person: compared without the handle's `@`, case aside. */
export function personKey(name: string): string {
  return name.trim().replace(/^@/, '').toLowerCase();
}

/** The sprint the board shows for `id` ('' is the active sprint, else the last started or the first). */
function sprintFor(backlog: Backlog, id: string, today: string): Sprint | undefined {
  if (id !== '') return backlog.sprint(id);
  const active = backlog.activeSprint();
  if (active) return active;
  const started = backlog.sprints.filter((s) => s.state !== 'closed' && (s.start ?? '') <= today);
  return started[started.length - 1] ?? backlog.sprints.find((s) => s.state === 'planned');
}

function sprintDates(s: { start?: string; end?: string }): string | undefined {
  const day = (d: string) => d.slice(0, 10);
  if (s.start && s.end) return `${day(s.start)} – ${day(s.end)}`;
  if (s.end) return `until ${day(s.end)}`;
  if (s.start) return `from ${day(s.start)}`;
  return undefined;
}

/** The items on the board and its header, for the scope the options name. */
function scopeOf(backlog: Backlog, options: BoardOptions, ctx: BoardContext): { items: Item[]; header: BoardHeader } {
  if (options.scope === 'sprint') {
    const sprint = sprintFor(backlog, options.scopeId, ctx.today);
    if (sprint) {
      const f = sprintFigures(backlog, sprint);
      const daysLeft = sprintDaysLeft(sprint, ctx.today);
      const header: BoardHeader = {
        scope: 'sprint',
        id: sprint.id,
        title: sprint.name,
        goal: sprint.goal,
        dates: sprintDates(sprint),
        state: sprint.state,
        daysLeft: sprint.state === 'closed' ? undefined : daysLeft,
        ended: sprint.state === 'active' && daysLeft !== undefined && daysLeft < 0,
        pointsDone: f.completed,
        pointsTotal: f.scope,
        committed: f.committed,
        capacity: sprint.capacity,
      };
      // The burndown is the Reports panel's (views/reports), drawn small.
      if (sprint.start && sprint.end) {
        const b = sprintBurndown(backlog, sprint.id, timelineOf(backlog, ctx.history, ctx.today), {
          today: ctx.today,
          unit: 'points',
          nonWorkingDays: ctx.nonWorkingDays,
          hasHistory: ctx.history?.source === 'git' && ctx.history.commits > 0,
        });
        if ('days' in b) header.burndown = { ideal: b.days.map((d) => d.ideal), remaining: b.days.map((d) => d.remaining) };
      }
      return { items: backlog.sprintBacklog(sprint.id), header };
    }
  }
  if (options.scope === 'release') {
    const release = backlog.release(options.scopeId) ?? backlog.releases()[0];
    if (release) {
      const f = releaseFigures(backlog, release);
      return {
        items: backlog.releaseBacklog(release.id),
        header: { scope: 'release', id: release.id, title: release.name, goal: release.goal, dates: release.date?.slice(0, 10), ended: false, pointsDone: f.pointsDone, pointsTotal: f.pointsTotal },
      };
    }
  }
  // As Backlog.md's board: every task in tasks/, done ones included (completed/ holds the rest).
  const items = backlog.allOrdered().filter((i) => i.folder === 'tasks');
  const t = tally(items, backlog.config);
  return { items, header: { scope: 'backlog', id: '', title: 'Whole backlog', ended: false, pointsDone: t.pointsDone, pointsTotal: t.pointsTotal } };
}

function scopeChoices(backlog: Backlog): ScopeChoice[] {
  const order = { active: 0, planned: 1, closed: 2 };
  const sprints = backlog.sprints
    .map((s, index) => ({ s, index }))
    .sort((a, b) => order[a.s.state] - order[b.s.state] || (a.s.state === 'closed' ? (b.s.start ?? '').localeCompare(a.s.start ?? '') : (a.s.start ?? '\uffff').localeCompare(b.s.start ?? '\uffff')) || a.index - b.index)
    .map(({ s }) => ({ scope: 'sprint' as const, id: s.id, title: `${s.name}${s.state === 'active' ? ' (active)' : s.state === 'closed' ? ' (closed)' : ''}` }));
  const releases = backlog.releases().map((r) => ({ scope: 'release' as const, id: r.id, title: r.name }));
  return [...sprints, ...releases, { scope: 'backlog', id: '', title: 'Whole backlog' }];
}

function cardOf(backlog: Backlog, item: Item, order: number, ctx: BoardContext): BoardCard {
  const card: BoardCard = {
    id: item.id,
    order,
    title: item.title,
    status: item.status,
    points: backlog.points(item),
    assignee: item.assignee,
    labels: item.labels,
    acDone: item.acceptanceCriteria.filter((c) => c.checked).length,
    acTotal: item.acceptanceCriteria.length,
    blockedBy: backlog.blockers(item).map((b) => b.id),
    codeRefs: ctx.codeRefs(item.id),
    done: backlog.isDone(item),
  };
  if (item.type !== undefined) card.type = item.type;
  if (item.estimate !== undefined) card.estimate = item.estimate;
  if (item.size !== undefined) card.size = item.size;
  if (item.priority !== undefined) card.priority = item.priority;
  return card;
}

/** Which lane an item is in, and the lane's title: one lane per item, '' for none. */
function laneOf(backlog: Backlog, options: BoardOptions): (item: Item) => { id: string; title: string } {
  switch (options.lanes) {
    case 'assignee':
      return (item) => {
        const who = item.assignee[0];
        return who === undefined || personKey(who) === '' ? { id: '', title: 'Unassigned' } : { id: personKey(who), title: who.trim() };
      };
    case 'epic':
      return (item) => {
        const epic = item.epic !== undefined ? backlog.item(item.epic) : undefined;
        if (epic) return { id: epic.id, title: `${epic.id} ${epic.title}` };
        return item.epic !== undefined ? { id: item.epic, title: item.epic } : { id: '', title: 'No epic' };
      };
    case 'priority':
      return (item) => (item.priority !== undefined ? { id: item.priority.toLowerCase(), title: item.priority.toLowerCase() } : { id: '', title: 'No priority' });
    case 'none':
      return () => ({ id: '', title: '' });
  }
}

/** Whether a card passes the toolbar's filters. */
function passes(item: Item, options: BoardOptions, me: string | undefined): boolean {
  const text = options.text.trim().toLowerCase();
  if (text !== '' && !item.id.toLowerCase().includes(text) && !item.title.toLowerCase().includes(text)) return false;
  if (options.assignee !== '' && !item.assignee.some((a) => personKey(a) === personKey(options.assignee))) return false;
  if (options.label !== '' && !item.labels.some((l) => l.toLowerCase() === options.label.toLowerCase())) return false;
  if (options.type !== '' && (item.type ?? '').toLowerCase() !== options.type.toLowerCase()) return false;
  if (options.onlyMine && (me === undefined || !item.assignee.some((a) => personKey(a) === personKey(me)))) return false;
  return true;
}

/** Builds the board as the panel shows it, for the scope, lanes and filters the options say. */
export function buildBoardModel(backlog: Backlog, options: BoardOptions, ctx: BoardContext): BoardModel {
  const { items, header } = scopeOf(backlog, options, ctx);
  const statuses = backlog.config.statuses;
  const columns: BoardColumn[] = statuses.map((status) => ({ status, count: 0, points: 0 }));
  const columnIndex = new Map(statuses.map((s, i) => [s, i]));
  const laneFor = laneOf(backlog, options);
  const lanes = new Map<string, BoardLane>();
  const assignees = new Map<string, string>();
  const labels = new Map<string, string>();
  const types = new Set<string>();
  const resolved = new Map<string, number>();
  let cardCount = 0;
  const placed: { item: Item; column: number; lane: BoardLane }[] = [];
  for (const item of items) {
    // A status config.yml no longer lists gets a column of its own at the end: no card vanishes.
    let column = resolved.get(item.status);
    if (column === undefined) {
      const canonical = canonicalStatus(statuses, item.status);
      column = canonical !== undefined ? columnIndex.get(canonical)! : columns.findIndex((c) => c.unknown && c.status === item.status);
      if (column === -1) {
        columns.push({ status: item.status, count: 0, points: 0, unknown: true });
        column = columns.length - 1;
      }
      resolved.set(item.status, column);
    }
    columns[column].count++;
    // What the item adds to the header's figure (an epic's size is its stories' sum, an
    // opportunity is not work yet): the columns add up to the header, as in Reports.
    columns[column].points += figurePoints(item, backlog.config);
    for (const a of item.assignee) if (personKey(a) !== '' && !assignees.has(personKey(a))) assignees.set(personKey(a), a.trim());
    for (const l of item.labels) if (!labels.has(l.toLowerCase())) labels.set(l.toLowerCase(), l);
    if (item.type !== undefined) types.add(item.type);
    if (!passes(item, options, ctx.me)) continue;
    const lane = laneFor(item);
    let view = lanes.get(lane.id);
    if (!view) lanes.set(lane.id, (view = { id: lane.id, title: lane.title, cells: [] }));
    placed.push({ item, column, lane: view });
    cardCount++;
  }
  for (const lane of lanes.values()) lane.cells = columns.map(() => []);
  placed.forEach((p, order) => p.lane.cells[p.column].push(cardOf(backlog, p.item, order, ctx)));
  for (const c of columns) {
    const limit = c.unknown ? undefined : backlog.config.wipLimits[c.status];
    if (limit !== undefined) c.limit = limit;
  }

  // Backlog.md's `hide_empty_columns`: columns without a card of the board are left out (the
  // filters do not hide columns, so that the board keeps its shape while the user types).
  const shown = columns.map((c, i) => (!backlog.config.hideEmptyColumns || c.count > 0 ? i : -1)).filter((i) => i >= 0);
  const laneList = orderLanes([...lanes.values()], options, backlog);
  if (laneList.length === 0) laneList.push({ id: '', title: options.lanes === 'none' ? '' : 'No cards', cells: columns.map(() => []) });

  return {
    roots: ctx.roots,
    root: ctx.root,
    projectName: backlog.config.projectName,
    header,
    scopes: scopeChoices(backlog),
    columns: shown.map((i) => columns[i]),
    lanes: laneList.map((l) => ({ ...l, cells: shown.map((i) => l.cells[i]) })),
    cardCount,
    totalCount: items.length,
    me: ctx.me,
    assignees: [...assignees.values()].sort((a, b) => personKey(a).localeCompare(personKey(b))),
    labels: [...labels.values()].sort((a, b) => a.localeCompare(b)),
    types: [...types].sort(),
  };
}

/** Lanes in a reading order: priorities as config.yml ranks them, others by name; the "none" lane last. */
function orderLanes(lanes: BoardLane[], options: BoardOptions, backlog: Backlog): BoardLane[] {
  const priorities = backlog.config.priorities;
  const rank = (l: BoardLane) => (options.lanes === 'priority' ? (priorities.indexOf(l.id) === -1 ? priorities.length : priorities.indexOf(l.id)) : 0);
  return lanes.sort((a, b) => {
    if ((a.id === '') !== (b.id === '')) return a.id === '' ? 1 : -1;
    return rank(a) - rank(b) || (options.lanes === 'epic' ? compareIds(a.id, b.id) : a.title.toLowerCase().localeCompare(b.title.toLowerCase()));
  });
}

