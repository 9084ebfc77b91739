// The tools coding agents use to read and groom the backlog: one definition each (name, what it
// is for, its arguments, what it does), behind both the language-model tools of VS Code
// (src/vscode/agent/) and the MCP server of the command line (src/cli/mcp.ts). Reads answer JSON
// text; writes return the writer's FileOperations, which each adapter applies its own way (the
// extension through EditApplier, one undo step; the command line through apply + safeWrite).
// Nothing here imports `vscode` or Node's I/O.
import { Backlog } from '../core/backlog';
import { BacklogIndex } from '../core/backlogIndex';
import { sprintDaysLeft, sprintFigures, velocity } from '../core/figures/figures';
import { FieldValue } from '../core/format/yamlEdit';
import { idKey } from '../core/naming';
import { TodoMatch } from '../core/todo/todo';
import { Item } from '../core/types';
import { BacklogWriter, FileOperation, WriteResult } from '../core/writer';
import { backlogHealth, HealthOptions } from '../views/backlogHealth';
import { ArgsSpec, checkArgs, JsonSchema, schemaOf } from './agentArgs';
import { itemSummary } from './itemSummary';

/** A TODO comment and its file (absolute, POSIX separators). */
export interface AgentTodo extends TodoMatch {
  path: string;
}

/** What the tools read and write through: the same index, writer and TODO scan as the rest of the adapter. */
export interface AgentContext {
  index: BacklogIndex;
  writer: BacklogWriter;
  /** Today as YYYY-MM-DD, from the one clock. */
  today(): string;
  /** Backlog Health's thresholds (settings in VS Code, the defaults on the command line). */
  health: Omit<HealthOptions, 'today'>;
  /** A path as the agent should see it: relative to the workspace or project. */
  showPath(path: string): string;
  /** A path the agent gave (relative to the workspace or project, or absolute) as an absolute POSIX path. */
  resolvePath(path: string): string | undefined;
  /** Every TODO comment in the workspace's code. */
  todos(): Promise<readonly AgentTodo[]>;
}

/** What a tool answers: JSON text for the model, or why it could not. */
export type ToolOutcome = { ok: true; text: string } | { ok: false; message: string };

interface ToolBase {
  /** The tool's name for models and MCP clients (and `#name` in a VS Code chat prompt). */
  name: string;
  /** A short title for people (the tool picker, MCP clients' lists). */
  title: string;
  /** What the tool is for and when to call it: written for the model. */
  description: string;
  args: ArgsSpec;
}

/** A tool that only reads: it never asks for confirmation. */
export interface ReadTool extends ToolBase {
  kind: 'read';
  run(ctx: AgentContext, args: Record<string, unknown>): Promise<ToolOutcome>;
}

/** A tool that writes: it computes the writer's change; the adapter asks, applies and records it. */
export interface WriteTool extends ToolBase {
  kind: 'write';
  /** True when the change can take something away (a field cleared, a criterion unticked). */
  destructive: boolean;
  compute(ctx: AgentContext, args: Record<string, unknown>): Promise<WriteResult>;
  /** The fields the call changes, named in the confirmation. */
  fields(args: Record<string, unknown>): string[];
}

export type AgentTool = ReadTool | WriteTool;

// Compact: an answer is read by a model, for which indentation is only tokens (a list of 500
// items was a quarter of a million characters pretty-printed).
const json = (value: unknown): ToolOutcome => ({ ok: true, text: JSON.stringify(value) });
const fail = (message: string): ToolOutcome => ({ ok: false, message });
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One backlog by its folder as the agent names it, or the only one; several without a name is a question back. */
function pickBacklog(ctx: AgentContext, name: unknown): Backlog | string {
  const roots = ctx.index.roots();
  if (roots.length === 0) return 'No backlog/ or .backlog/ folder found in this workspace.';
  if (typeof name === 'string') {
    const abs = ctx.resolvePath(name);
    const found = roots.find((b) => b.root === abs || ctx.showPath(b.root) === name);
    return found ?? `No backlog at "${name}"; the backlogs are: ${roots.map((b) => ctx.showPath(b.root)).join(', ')}.`;
  }
  if (roots.length > 1) return `${roots.length} backlogs found: name one with "backlog" (${roots.map((b) => ctx.showPath(b.root)).join(', ')}).`;
  return roots[0];
}

const BACKLOG_ARG = { type: 'string', description: 'The backlog folder (as listed in answers, e.g. "backlog"), when the workspace has more than one.' } as const;

function itemOf(ctx: AgentContext, id: string): { item: Item; backlog: Backlog } | string {
  const item = ctx.index.item(id);
  const backlog = item ? ctx.index.backlogFor(item.path) : undefined;
  return item && backlog ? { item, backlog } : `No item ${id} in the backlog.`;
}

function todoJson(ctx: AgentContext, t: AgentTodo) {
  return { path: ctx.showPath(t.path), line: t.line + 1, tag: t.tag, item: t.ref?.id, text: t.text };
}

const list: ReadTool = {
  kind: 'read',
  name: 'backlog_list',
  title: 'List backlog items',
  description:
    'Lists backlog items in rank order (the product backlog order: the first is the most important). ' +
    'Open items only unless includeDone is true or a status is given. Filter by sprint ("active" for the current sprint), release, status, type, label or text in the id or title. ' +
    'Each item has its id, title, status, type, estimate, points, sprint, release, labels, blockedBy and how many acceptance criteria are met. Use backlog_get for one item in full.',
  args: {
    sprint: { type: 'string', description: 'A sprint id from sprints.yml (e.g. "S-14"), or "active" for the active sprint.' },
    release: { type: 'string', description: 'A release or milestone id (e.g. "R-1", "m-2").' },
    status: { type: 'string', description: 'A status as config.yml names it (any case), e.g. "In Progress".' },
    type: { type: 'string', description: 'An item type: story, bug, task, epic, debt, spike, opportunity…' },
    label: { type: 'string', description: 'Only items carrying this label.' },
    text: { type: 'string', description: 'Only items whose id or title contains this text (any case).' },
    includeDone: { type: 'boolean', description: 'Include done and archived items (default false).' },
    limit: { type: 'integer', minimum: 1, maximum: 500, description: 'At most this many items (default 50).' },
  },
  async run(ctx, a) {
    const out: ReturnType<typeof itemSummary>[] = [];
    let total = 0;
    const limit = typeof a.limit === 'number' ? a.limit : 50;
    for (const b of ctx.index.roots()) {
      // Drafts are not backlog items yet (Backlog.md's task_list leaves them out too): an agent
      // would set a status on one and see it stay a draft.
      let items = b.allOrdered().filter((i) => i.folder !== 'drafts');
      const sprint = str(a.sprint);
      if (sprint !== undefined) {
        const s = sprint.toLowerCase() === 'active' ? b.activeSprint() : b.sprint(sprint);
        if (!s) return fail(sprint.toLowerCase() === 'active' ? 'No sprint is active.' : `No sprint ${sprint}; the sprints are: ${b.sprints.map((x) => x.id).join(', ') || 'none'}.`);
        items = b.sprintBacklog(s.id);
      }
      const release = str(a.release);
      if (release !== undefined) {
        if (!b.release(release)) return fail(`No release ${release}; the releases are: ${b.releases().map((r) => r.id).join(', ') || 'none'}.`);
        const inRelease = new Set(b.releaseBacklog(release));
        items = items.filter((i) => inRelease.has(i));
      }
      const status = str(a.status)?.replace(/\s+/g, '').toLowerCase();
      if (status !== undefined && !b.config.statuses.some((x) => x.replace(/\s+/g, '').toLowerCase() === status)) {
        return fail(`No status "${str(a.status)}"; the statuses are: ${b.config.statuses.join(', ')}.`);
      }
      const text = str(a.text)?.toLowerCase();
      const kept = items.filter(
        (i) =>
          (a.includeDone === true || status !== undefined || (i.folder !== 'archive' && !b.isDone(i))) &&
          (status === undefined || i.status.replace(/\s+/g, '').toLowerCase() === status) &&
          (a.type === undefined || (i.type ?? 'task') === str(a.type)?.toLowerCase()) &&
          (a.label === undefined || i.labels.some((l) => l.toLowerCase() === str(a.label)?.toLowerCase())) &&
          (text === undefined || i.id.toLowerCase().includes(text) || i.title.toLowerCase().includes(text)),
      );
      total += kept.length;
      for (const i of kept) if (out.length < limit) out.push(itemSummary(b, i, ctx.showPath(i.path)));
    }
    return json({ total, shown: out.length, items: out });
  },
};

const get: ReadTool = {
  kind: 'read',
  name: 'backlog_get',
  title: 'Read one backlog item',
  description:
    'Reads one backlog item in full: its fields, description, acceptance criteria (numbered, ticked or not), definition of done, dependencies and what blocks it, ' +
    'parent and children, implementation plan and notes, and the TODO comments in the code that name it (file and line).',
  args: { id: { type: 'string', required: true, description: 'The item id, e.g. "BL-42".' } },
  async run(ctx, a) {
    const found = itemOf(ctx, String(a.id));
    if (typeof found === 'string') return fail(found);
    const { item: i, backlog: b } = found;
    const key = idKey(i.id);
    const todos = (await ctx.todos()).filter((t) => t.ref && idKey(t.ref.id) === key);
    const check = (c: { index: number; checked: boolean; text: string }) => ({ index: c.index, checked: c.checked, text: c.text });
    return json({
      ...itemSummary(b, i, ctx.showPath(i.path)),
      description: i.description,
      acceptanceCriteria: i.acceptanceCriteria.map(check),
      definitionOfDone: i.definitionOfDone.map(check),
      dependencies: i.dependencies.map((d) => {
        const dep = b.item(d);
        return { id: dep?.id ?? d, title: dep?.title, status: dep?.status, done: dep ? b.isDone(dep) : undefined, missing: dep ? undefined : true };
      }),
      parent: i.parent,
      children: b.children(i.id).map((c) => ({ id: c.id, title: c.title, status: c.status })),
      implementationPlan: i.implementationPlan,
      implementationNotes: i.implementationNotes,
      createdDate: i.createdDate,
      updatedDate: i.updatedDate,
      completedDate: i.completedDate,
      codeReferences: todos.map((t) => todoJson(ctx, t)),
    });
  },
};

const create: WriteTool = {
  kind: 'write',
  destructive: false,
  name: 'backlog_create',
  title: 'Create a backlog item',
  description:
    'Creates a backlog item (a Backlog.md task file) with the next free id and returns its id. By default it goes to the bottom of the product backlog; ' +
    'position "top", or before/after another item, places it. Values are checked against the backlog (statuses, types, sprints, releases).',
  args: {
    title: { type: 'string', required: true, description: 'One line saying what is wanted.' },
    type: { type: 'string', description: 'story, bug, task, epic, debt, spike, opportunity… (the backlog\'s types).' },
    status: { type: 'string', description: 'A status of config.yml; the default status when not given.' },
    priority: { type: 'string', description: 'high, medium or low.' },
    labels: { type: 'string[]', description: 'Labels.' },
    estimate: { type: 'number', minimum: 0, description: 'Story points.' },
    size: { type: 'string', enum: ['XS', 'S', 'M', 'L', 'XL'], description: 'A T-shirt size, when there is no estimate.' },
    sprint: { type: 'string', description: 'A sprint id to plan it into.' },
    release: { type: 'string', description: 'A release or milestone id.' },
    epic: { type: 'string', description: 'The epic it belongs to.' },
    parent: { type: 'string', description: 'Make it a subtask of this item (BL-12 gets BL-12.1).' },
    description: { type: 'string', description: 'The Description section (Markdown).' },
    position: { type: 'string', enum: ['top', 'bottom'], description: 'Top or bottom of the product backlog (default bottom).' },
    before: { type: 'string', description: 'Place it right before this item.' },
    after: { type: 'string', description: 'Place it right after this item.' },
    backlog: BACKLOG_ARG,
  },
  fields: () => ['a new item file'],
  async compute(ctx, a) {
    const b = pickBacklog(ctx, a.backlog);
    if (typeof b === 'string') return { ok: false, message: b };
    if (typeof a.sprint === 'string' && !b.sprint(a.sprint)) return { ok: false, message: `No sprint ${a.sprint} in sprints.yml.` };
    if (typeof a.release === 'string' && !b.release(a.release)) return { ok: false, message: `No release ${a.release} in releases.yml or milestones/.` };
    if ([a.position !== undefined, a.before !== undefined, a.after !== undefined].filter(Boolean).length > 1) return { ok: false, message: 'Give one of position, before or after.' };
    return ctx.writer.createItem(b.root, {
      title: String(a.title),
      type: str(a.type),
      status: str(a.status),
      priority: str(a.priority),
      labels: a.labels as string[] | undefined,
      estimate: typeof a.estimate === 'number' ? a.estimate : undefined,
      size: str(a.size),
      sprint: str(a.sprint) && b.sprint(str(a.sprint)!)!.id,
      release: str(a.release) && b.release(str(a.release)!)!.id,
      epic: str(a.epic),
      parent: str(a.parent),
      description: str(a.description),
      placement: a.position === 'top' ? { top: true } : { before: str(a.before), after: str(a.after) },
    });
  },
};

/** Front-matter fields backlog_update sets, by argument name (the file's own key names). */
const UPDATE_FIELDS: ArgsSpec = {
  title: { type: 'string', description: 'A new title (the file keeps its name, as in Backlog.md).' },
  status: { type: 'string', description: 'A status of config.yml (any case). A done status stamps completed_date.' },
  priority: { type: 'string', nullable: true, description: 'high, medium or low; null removes it.' },
  type: { type: 'string', nullable: true, description: 'The item type; null removes it.' },
  estimate: { type: 'number', nullable: true, minimum: 0, description: 'Story points; null removes the estimate.' },
  size: { type: 'string', nullable: true, enum: ['XS', 'S', 'M', 'L', 'XL'], description: 'T-shirt size; null removes it.' },
  labels: { type: 'string[]', description: 'The whole list of labels (replaces it).' },
  assignee: { type: 'string[]', description: 'The whole list of assignees (replaces it), e.g. ["@alice"].' },
  dependencies: { type: 'string[]', description: 'The whole list of item ids this one depends on (replaces it).' },
  sprint: { type: 'string', nullable: true, description: 'A sprint id; null takes it out of its sprint.' },
  release: { type: 'string', nullable: true, description: 'A release id; null removes it.' },
  epic: { type: 'string', nullable: true, description: 'The epic it belongs to; null removes it.' },
  due_date: { type: 'string', nullable: true, description: 'YYYY-MM-DD; null removes it.' },
};

const update: WriteTool = {
  kind: 'write',
  destructive: true,
  name: 'backlog_update',
  title: 'Update a backlog item',
  description:
    'Changes one backlog item in one edit of its file: sets front-matter fields (title, status, priority, type, estimate, size, labels, assignee, dependencies, sprint, release, epic, due_date; null removes a field), ' +
    'ticks (check) or unticks (uncheck) acceptance criteria by their number, adds criteria, and appends a note to Implementation Notes. ' +
    'Only the bytes of what changes change; updated_date is stamped. Read the item with backlog_get first to know the criteria numbers.',
  args: {
    id: { type: 'string', required: true, description: 'The item id, e.g. "BL-42".' },
    ...UPDATE_FIELDS,
    check: { type: 'integer[]', minimum: 1, description: 'Acceptance criteria to tick, by number (#1 is 1).' },
    uncheck: { type: 'integer[]', minimum: 1, description: 'Acceptance criteria to untick, by number.' },
    addCriteria: { type: 'string[]', description: 'New acceptance criteria, one line each, added unticked.' },
    appendNotes: { type: 'string', description: 'Text appended to the Implementation Notes section (Markdown, no # or ## headings).' },
  },
  fields: (a) => [
    ...Object.keys(UPDATE_FIELDS).filter((k) => a[k] !== undefined),
    ...(a.check !== undefined || a.uncheck !== undefined || a.addCriteria !== undefined ? ['acceptance criteria'] : []),
    ...(a.appendNotes !== undefined ? ['implementation notes'] : []),
    'updated_date',
  ],
  async compute(ctx, a) {
    const fields: [string, FieldValue][] = Object.keys(UPDATE_FIELDS)
      .filter((k) => a[k] !== undefined)
      .map((k) => [k, a[k] as FieldValue]);
    return ctx.writer.updateItem(String(a.id), {
      fields,
      body: { check: a.check as number[] | undefined, uncheck: a.uncheck as number[] | undefined, addCriteria: a.addCriteria as string[] | undefined, appendNotes: str(a.appendNotes) },
    });
  },
};

const move: WriteTool = {
  kind: 'write',
  destructive: false,
  name: 'backlog_move',
  title: 'Move a backlog item',
  description:
    'Plans or reorders one item: into a sprint or out of it (sprint: null), into a release, and/or to a place in the rank order (position top or bottom, or before/after another item). ' +
    'A reorder writes only the moved item\'s rank (and Backlog.md\'s ordinal), never other files.',
  args: {
    id: { type: 'string', required: true, description: 'The item id.' },
    sprint: { type: 'string', nullable: true, description: 'The sprint to move it to; null takes it out of its sprint.' },
    release: { type: 'string', nullable: true, description: 'The release to move it to; null removes its release.' },
    position: { type: 'string', enum: ['top', 'bottom'], description: 'Top or bottom of the backlog order.' },
    before: { type: 'string', description: 'Right before this item in the order.' },
    after: { type: 'string', description: 'Right after this item in the order.' },
  },
  fields: (a) => [...(a.sprint !== undefined ? ['sprint'] : []), ...(a.release !== undefined ? ['release'] : []), ...(a.position !== undefined || a.before !== undefined || a.after !== undefined ? ['rank', 'ordinal'] : [])],
  async compute(ctx, a) {
    const places = [a.position !== undefined, a.before !== undefined, a.after !== undefined].filter(Boolean).length;
    if (places > 1) return { ok: false, message: 'Give one of position, before or after.' };
    const also: Record<string, FieldValue> = {};
    if (a.sprint !== undefined) also.sprint = a.sprint as FieldValue;
    if (a.release !== undefined) also.release = a.release as FieldValue;
    if (places === 0 && Object.keys(also).length === 0) return { ok: false, message: 'Say where the item goes: a sprint, a release, a position, or before/after another item.' };
    return ctx.writer.moveItems([String(a.id)], { top: a.position === 'top' || undefined, bottom: a.position === 'bottom' || undefined, before: str(a.before), after: str(a.after) }, also);
  },
};

const sprint: ReadTool = {
  kind: 'read',
  name: 'backlog_sprint',
  title: 'Read the active sprint',
  description:
    'The active sprint (or the one named): its goal, dates, days left, capacity, its figures in points and items (committed, completed, scope, remaining), ' +
    'the team\'s average velocity, and its items in rank order with their status.',
  args: { sprint: { type: 'string', description: 'A sprint id; the active sprint when not given.' }, backlog: BACKLOG_ARG },
  async run(ctx, a) {
    const b = pickBacklog(ctx, a.backlog);
    if (typeof b === 'string') return fail(b);
    const s = typeof a.sprint === 'string' ? b.sprint(a.sprint) : b.activeSprint();
    if (!s) return fail(typeof a.sprint === 'string' ? `No sprint ${a.sprint}; the sprints are: ${b.sprints.map((x) => x.id).join(', ') || 'none'}.` : 'No sprint is active.');
    const pace = velocity(b);
    return json({
      id: s.id,
      name: s.name,
      state: s.state,
      goal: s.goal,
      start: s.start,
      end: s.end,
      daysLeft: s.state === 'active' ? sprintDaysLeft(s, ctx.today()) : undefined,
      capacity: s.capacity,
      points: sprintFigures(b, s, 'points'),
      items: sprintFigures(b, s, 'items'),
      velocity: { average: pace.average, over: pace.over.map((x) => x.id) },
      backlog: b.sprintBacklog(s.id).map((i) => ({ id: i.id, title: i.title, status: i.status, points: b.points(i), done: b.isDone(i), assignee: i.assignee })),
    });
  },
};

const health: ReadTool = {
  kind: 'read',
  name: 'backlog_health',
  title: 'Check backlog health',
  description:
    'How ready the product backlog is, by the 20/30/50 rule: the top 20% should be ready (estimate and acceptance criteria), the next 30% at least partly refined, the rest may stay coarse. ' +
    'Returns each band with the items that fall short, and what to groom: stale items, items too big for a sprint, items not traceable to an epic or theme, duplicate titles, a backlog too long. ' +
    'A list of more than 25 ids comes as {first, count}: the first 25 in rank order and how many there are.',
  args: { backlog: BACKLOG_ARG },
  async run(ctx, a) {
    const b = pickBacklog(ctx, a.backlog);
    if (typeof b === 'string') return fail(b);
    const h = backlogHealth(b, { ...ctx.health, today: ctx.today() });
    // The first ids of each list, in rank order, and how many there are: a backlog of thousands
    // would otherwise fill the agent's context with ids it cannot act on at once.
    const first = (ids: readonly string[]) => (ids.length > HEALTH_IDS ? { first: ids.slice(0, HEALTH_IDS), count: ids.length } : ids);
    return json({
      total: h.total,
      bands: h.bands.map((band) => ({ band: band.label, expected: band.expected, items: band.items.length, ready: band.ready, partial: band.partial, coarse: band.coarse, fallShort: first(band.shortfall) })),
      toGroom: h.findings.map((f) => ({ kind: f.kind, message: f.message, items: first(f.itemIds) })),
    });
  },
};

/** Ids listed per band or finding by backlog_health; more are counted. */
const HEALTH_IDS = 25;

const todos: ReadTool = {
  kind: 'read',
  name: 'backlog_todos',
  title: 'Find TODOs in the code',
  description:
    'TODO/FIXME/HACK comments in the workspace\'s code. With "id": the ones that name that item (TODO(BL-42): …). With "path" (a file or folder): the unlinked ones there, which name no item, candidates for new tech-debt items. ' +
    'With neither: the counts and the first unlinked ones.',
  args: {
    id: { type: 'string', description: 'An item id: the TODOs that name it.' },
    path: { type: 'string', description: 'A file or folder, relative to the workspace: its unlinked TODOs.' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'At most this many TODOs (default 100).' },
  },
  async run(ctx, a) {
    const all = await ctx.todos();
    const limit = typeof a.limit === 'number' ? a.limit : 100;
    let chosen: readonly AgentTodo[];
    if (typeof a.id === 'string') {
      const key = idKey(a.id);
      chosen = all.filter((t) => t.ref && idKey(t.ref.id) === key);
    } else {
      let under: string | undefined;
      if (typeof a.path === 'string') {
        under = ctx.resolvePath(a.path);
        if (under === undefined) return fail(`"${a.path}" is not inside the workspace.`);
      }
      chosen = all.filter((t) => !t.ref && (under === undefined || t.path === under || t.path.startsWith(`${under.replace(/\/$/, '')}/`)));
    }
    const linked = all.filter((t) => t.ref).length;
    return json({ total: all.length, linked, unlinked: all.length - linked, matching: chosen.length, todos: chosen.slice(0, limit).map((t) => todoJson(ctx, t)) });
  },
};

/** Every tool, reads first. */
export const AGENT_TOOLS: readonly AgentTool[] = [list, get, sprint, health, todos, create, update, move];

/** A tool's input schema, as both VS Code's contribution and MCP's tools/list give it. */
export function inputSchema(tool: AgentTool): JsonSchema {
  return schemaOf(tool.args);
}

/** Checks a call's arguments against the tool's; a malformed call never reaches a handler. */
export function checkToolArgs(tool: AgentTool, args: unknown) {
  return checkArgs(tool.args, args);
}

/** The files a write changes, as the agent sees them: "backlog/tasks/bl-3 - x.md" (new), renames as "a → b". */
export function changedFiles(ctx: AgentContext, operations: readonly FileOperation[]): string[] {
  return operations.map((o) => (o.kind === 'rename' ? `${ctx.showPath(o.from)} → ${ctx.showPath(o.to)}` : o.kind === 'create' ? `${ctx.showPath(o.path)} (new)` : ctx.showPath(o.path)));
}

/** What a write's confirmation says: the change, the files and the fields. */
export function confirmation(ctx: AgentContext, tool: WriteTool, args: Record<string, unknown>, result: WriteResult): { title: string; message: string } {
  if (!result.ok) return { title: tool.title, message: `This change will be refused: ${result.message}` };
  const files = changedFiles(ctx, result.operations);
  return {
    title: `${tool.title}?`,
    message: `${result.summary || tool.title}.\n\nFiles: ${files.join(', ') || 'none (nothing changes)'}\nFields: ${tool.fields(args).join(', ')}`,
  };
}

/** The answer after a write landed: what changed, in which files, and the item's id. */
export function writtenAnswer(ctx: AgentContext, result: Extract<WriteResult, { ok: true }>): ToolOutcome {
  return json({ summary: result.summary, id: result.itemId, files: changedFiles(ctx, result.operations) });
}

/**
 * package.json's `contributes.languageModelTools`, made from the same definitions (VS Code reads
 * the manifest before the extension runs). `npm run agent-tools` writes it; a unit test checks it.
 * Writes carry `when: isWorkspaceTrusted`: in Restricted Mode only the reads exist.
 */
export function toolContributions() {
  return AGENT_TOOLS.map((t) => ({
    name: t.name,
    displayName: t.title,
    toolReferenceName: t.name,
    canBeReferencedInPrompt: true,
    icon: t.kind === 'read' ? '$(list-tree)' : '$(edit)',
    tags: ['backlog', t.kind === 'read' ? 'read' : 'write'],
    userDescription: t.description.split('. ')[0].replace(/\.$/, '') + '.',
    modelDescription: t.description,
    ...(t.kind === 'write' ? { when: 'isWorkspaceTrusted' } : {}),
    inputSchema: inputSchema(t),
  }));
}
