// What the item editor shows for one item file: the form's values and choices, the body's
// checklists and sections, and what only Backlog Atlas knows (where the item stands, its TODOs,
// its history). Pure: the editor gives it the document's text, the backlog, the TODOs and the
// history; it reads the text itself, so the form always shows the document as it is now.
import { Backlog } from '../../core/backlog';
import { figurePoints, formatFigure, releaseOf } from '../../core/figures/figures';
import { CONFLICT_CODE } from '../../core/format/conflicts';
import { parseItemFile } from '../../core/format/itemFile';
import { itemFolderOf } from '../../core/history/gitHistory';
import { BacklogHistory, ItemSnapshot } from '../../core/history/history';
import { idKey } from '../../core/naming';
import { encodeText } from '../../core/text';
import { Item, SIZES } from '../../core/types';
import { isParseFailure } from '../../core/writer';
import { Choice, HistoryLine, ItemForm, ItemModel, ItemRef } from '../../protocol/itemProtocol';
import { renderSafeMarkdown } from '../safeMarkdown';

/** The most items a dependency or parent picker offers: enough to find any by typing, bounded. */
const MAX_PICKABLE = 5000;
/** The most history lines shown: the latest ones. */
const MAX_HISTORY = 30;

export interface ItemFormInput {
  path: string;
  text: string;
  backlog: Backlog;
  /** TODOs in code naming the item: where ("src/app.ts:12") and what they say. */
  todosOf(id: string): readonly { where: string; text: string }[];
  /** The git history read for the backlog; undefined while it is read. */
  history: BacklogHistory | undefined;
}

/** The form for an item file's text, or its problems when the text does not parse as an item. */
export function buildItemModel(input: ItemFormInput): ItemModel {
  const { path, text, backlog } = input;
  const folder = itemFolderOf(path, `${backlog.root}/`) ?? 'tasks';
  const parsed = parseItemFile(path, encodeText({ text, bom: false, eol: '\n' }), { root: backlog.root, folder, config: backlog.config });
  const broken = parsed.diagnostics.filter((d) => d.severity === 'error' && (isParseFailure(d.code) || d.code === CONFLICT_CODE || !parsed.item));
  if (!parsed.item || broken.length > 0) {
    const shown = broken.length > 0 ? broken : parsed.diagnostics;
    return {
      kind: 'problems',
      problems: (shown.length > 0 ? shown : [{ line: 0, column: 0, message: 'This file is not a backlog item.' }]).map((d) => ({ line: d.line + 1, column: d.column + 1, message: d.message })),
      text,
    };
  }
  const item = parsed.item;
  const cfg = backlog.config;
  const others = backlog.items().filter((i) => i.key !== item.key);
  const release = item.release !== undefined || item.milestone !== undefined ? releaseOf(backlog, item) : undefined;
  const union = (lists: Iterable<readonly string[]>, start: readonly string[] = []) => {
    const all = new Set(start);
    for (const l of lists) for (const v of l) all.add(v);
    return [...all].sort((a, b) => a.localeCompare(b));
  };
  const estimates = cfg.estimateScale.map(String);
  if (item.estimate !== undefined && !estimates.includes(String(item.estimate))) estimates.push(String(item.estimate));
  const cycle = inCycle(backlog, item);
  const form: ItemForm = {
    kind: 'form',
    id: item.id,
    title: item.title,
    folder: item.folder,
    fields: {
      status: item.status,
      type: item.type ?? '',
      priority: item.priority ?? '',
      estimate: item.estimate !== undefined ? String(item.estimate) : '',
      size: item.size ?? '',
      sprint: item.sprint !== undefined ? (backlog.sprint(item.sprint)?.id ?? item.sprint) : '',
      release: release?.id ?? item.release ?? item.milestone ?? '',
      epic: item.epic ?? '',
      theme: item.theme ?? '',
      step: item.step ?? '',
      dueDate: item.dueDate ?? '',
      assignee: item.assignee,
      labels: item.labels,
      references: item.references,
      documentation: item.documentation,
    },
    choices: {
      statuses: withCurrent(cfg.statuses, item.status),
      types: withCurrent(cfg.types, item.type),
      priorities: withCurrent(cfg.priorities, item.priority),
      sizes: [...SIZES],
      estimates,
      sprints: backlog.sprints.map((s) => ({ id: s.id, title: `${s.name}${s.state === 'active' ? ' (active)' : s.state === 'closed' ? ' (closed)' : ''}` })),
      releases: backlog.releases().map((r) => ({ id: r.id, title: r.name })),
      epics: others.filter((i) => i.type === 'epic' && i.folder !== 'archive').map(choice),
      themes: backlog.roadmap.themes.map((t) => ({ id: t.id, title: t.title })),
      steps: backlog.storyMap.activities.flatMap((a) => a.steps.map((s) => ({ id: s.id, title: `${a.title} › ${s.title}` }))),
      labels: union(backlog.items().map((i) => i.labels), cfg.labels),
      assignees: union(backlog.items().map((i) => i.assignee), cfg.defaultAssignee),
      items: others
        .filter((i) => i.folder !== 'archive')
        .slice(0, MAX_PICKABLE)
        .map(choice),
    },
    dependencies: item.dependencies.map((dep) => ({ ...refOf(backlog, dep), ...(cycle.has(idKey(dep)) ? { problem: 'cycle' as const } : {}) })),
    parent: item.parent !== undefined ? refOf(backlog, item.parent) : undefined,
    subtasks: subtasksOf(backlog, item),
    descriptionHtml: renderSafeMarkdown(item.description),
    description: item.description,
    acceptanceCriteria: item.acceptanceCriteria.map(({ index, checked, text }) => ({ index, checked, text })),
    definitionOfDone: item.definitionOfDone.map(({ index, checked, text }) => ({ index, checked, text })),
    plan: item.implementationPlan ?? '',
    notes: item.implementationNotes ?? '',
    summary: item.finalSummary ?? '',
    comments: item.comments.map((c) => ({ author: c.author ?? '', created: c.created ?? '', text: c.text })),
    standing: standing(backlog, item),
    todos: input.todosOf(item.id).map((t, ref) => ({ ref, where: t.where, text: t.text })),
    history: input.history ? historyLines(input.history.items.get(item.key) ?? [], backlog) : undefined,
    historyNote: !input.history ? 'Reading the history from git…' : input.history.source === 'none' ? input.history.detail : '',
    warnings: parsed.diagnostics.filter((d) => d.severity !== 'info').map((d) => `Line ${d.line + 1}: ${d.message}`),
  };
  return form;
}

function choice(i: Item): Choice {
  return { id: i.id, title: i.title };
}

function withCurrent(list: readonly string[], current: string | undefined): string[] {
  return current !== undefined && current !== '' && !list.some((v) => v.toLowerCase() === current.toLowerCase()) ? [...list, current] : [...list];
}

function refOf(backlog: Backlog, id: string): ItemRef {
  const target = backlog.item(id);
  if (!target) return { id, problem: 'missing' };
  const ref: ItemRef = { id: target.id, title: target.title, status: target.status, done: backlog.isDone(target) };
  if (target.folder === 'archive') ref.problem = 'archived';
  return ref;
}

function subtasksOf(backlog: Backlog, item: Item): ItemRef[] {
  const listed = (item.fields.subtasks as unknown[] | undefined)?.filter((s): s is string => typeof s === 'string') ?? [];
  const ids = new Map<string, string>();
  for (const id of listed) ids.set(idKey(id), id);
  for (const child of backlog.items()) if (child.parent !== undefined && idKey(child.parent) === item.key) ids.set(child.key, child.id);
  return [...ids.values()].map((id) => refOf(backlog, id));
}

/** The dependencies of `item` from which a chain of dependencies leads back to it. */
function inCycle(backlog: Backlog, item: Item): Set<string> {
  const out = new Set<string>();
  for (const dep of item.dependencies) {
    const seen = new Set<string>();
    const stack = [idKey(dep)];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (k === item.key) {
        out.add(idKey(dep));
        break;
      }
      if (seen.has(k)) continue;
      seen.add(k);
      const next = backlog.item(k);
      if (next && next.folder !== 'archive') for (const d of next.dependencies) stack.push(idKey(d));
    }
  }
  return out;
}

function standing(backlog: Backlog, item: Item): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  const order = backlog.productBacklog();
  const at = order.findIndex((i) => i.key === item.key);
  out.push({ label: 'Rank', value: at >= 0 ? `${at + 1} of ${order.length} in the product backlog` : backlog.isDone(item) ? 'done' : `not in the product backlog (${item.folder})` });
  const sprint = item.sprint !== undefined ? backlog.sprint(item.sprint) : undefined;
  out.push({ label: 'Sprint', value: sprint ? `${sprint.name} (${sprint.state})` : (item.sprint ?? 'none') });
  const release = releaseOf(backlog, item);
  out.push({ label: 'Release', value: release ? `${release.name}${release.date ? ` (${release.date})` : ''}` : 'none' });
  const epic = item.epic !== undefined ? backlog.item(item.epic) : undefined;
  out.push({ label: 'Epic', value: epic ? `${epic.id} ${epic.title}` : (item.epic ?? 'none') });
  const theme = item.theme !== undefined ? backlog.roadmap.themes.find((t) => t.id.toLowerCase() === item.theme!.toLowerCase()) : undefined;
  out.push({ label: 'Theme', value: theme ? `${theme.title}${theme.horizon ? ` (${theme.horizon})` : ''}` : (item.theme ?? 'none') });
  out.push({ label: 'Points', value: formatFigure(figurePoints(item, backlog.config)) });
  return out;
}

/** The item's versions as a short timeline: when it was created, and each change of sprint, points, status or done. */
export function historyLines(entries: readonly { date: string; snapshot?: ItemSnapshot; created?: boolean }[], backlog: Backlog): HistoryLine[] {
  const lines: HistoryLine[] = [];
  let before: ItemSnapshot | undefined;
  const sprintName = (id: string | undefined) => (id === undefined ? undefined : (backlog.sprint(id)?.name ?? id));
  for (const e of entries) {
    const now = e.snapshot;
    if (!now) {
      if (before) lines.push({ date: e.date, text: 'Removed' });
      before = undefined;
      continue;
    }
    const changes: string[] = [];
    if (!before) changes.push(e.created ? 'Created' : 'First seen');
    else {
      if (before.sprint !== now.sprint) changes.push(now.sprint ? `Sprint → ${sprintName(now.sprint)}` : `Left ${sprintName(before.sprint)}`);
      if (before.points !== now.points || before.estimated !== now.estimated) changes.push(now.estimated ? `Points ${formatFigure(before.points)} → ${formatFigure(now.points)}` : 'Estimate removed');
      const statusChanged = before.status !== undefined && now.status !== undefined && before.status !== now.status;
      if (statusChanged) changes.push(`Status ${before.status} → ${now.status}`);
      // Done without a status change: the file moved to completed/ or back.
      if (before.done !== now.done && !statusChanged) changes.push(now.done ? 'Done' : 'Reopened');
      if (before.title !== now.title) changes.push(`Renamed "${now.title}"`);
    }
    if (changes.length > 0) lines.push({ date: e.date, text: changes.join('; ') });
    before = now;
  }
  return lines.slice(-MAX_HISTORY);
}
