import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import type { Clock } from '../../core/clock';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { idKey } from '../../core/naming';
import { Item, Release, Sprint } from '../../core/types';
import { basename } from '../../core/workspace';
import {
  describeFilter,
  GroupBy,
  groupItems,
  isFilterActive,
  isPlanned,
  ItemFilter,
  blockedText,
  blockersTooltip,
  itemDescription,
  matchesFilter,
  planText,
  releaseDescription,
  sprintDescription,
  sprintOrder,
  sprintSummary,
  listRows,
} from '../../views/trees/backlogViewModel';
import { codeRefRow } from './techDebtView';
import type { CodeTodo } from '../todos/todoIndex';
import { CONTEXT, TreeNode } from '../../views/trees/treeNodes';
import { ListRef } from '../../core/rules/treeDrops';

export type ViewKind = 'sprints' | 'releases' | 'product';

/**
 * A row of the backlog trees: the shared `TreeNode`s that commands receive, plus rows only the
 * views know: a backlog root (shown when the workspace has several), "Show more…", and an item's
 * code references (the TODO comments that name it) with one row per comment.
 */
export type ViewNode =
  | TreeNode
  | { kind: 'root'; root: string }
  | { kind: 'more'; root: string; hidden: number }
  | { kind: 'code-refs'; root: string; id: string }
  | { kind: 'code-ref'; root: string; id: string; todo: CodeTodo };

/** What the trees need of the TODO index: the comments naming an item (a cached map lookup). */
export interface CodeRefSource {
  byItem(id: string): readonly CodeTodo[];
}

/** The Product Backlog's display options, shared with the commands that change them. */
export class ProductViewOptions {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  filter: ItemFilter = {};
  groupBy: GroupBy = 'none';
  hidePlanned = false;
  /** How many top-level rows the ungrouped list shows before "Show more…". */
  limit: number;

  constructor(readonly pageSize: number) {
    this.limit = pageSize;
  }

  update(change: Partial<Pick<ProductViewOptions, 'filter' | 'groupBy' | 'hidePlanned' | 'limit'>>): void {
    Object.assign(this, change);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Everything derived from one backlog for one index version, so a refresh computes it once. */
interface RootCache {
  /** Item children by parent key: an epic's stories and a task's subtasks. */
  children: Map<string, Item[]>;
  /** Sprint backlogs by upper-cased sprint id, in one pass over the items instead of one per sprint. */
  sprintItems?: Map<string, Item[]>;
  product?: Item[];
  groups?: Map<string, Item[]>;
}

// A Map, so that a type named `constructor` gets the default icon, not Object's constructor.
const ICONS = new Map<string, [icon: string, color: string]>([
  ['epic', ['symbol-class', 'symbolIcon.classForeground']],
  ['story', ['bookmark', 'charts.blue']],
  ['task', ['checklist', 'charts.foreground']],
  ['bug', ['bug', 'errorForeground']],
  ['spike', ['beaker', 'charts.purple']],
  ['debt', ['tools', 'charts.orange']],
  ['improvement', ['arrow-up', 'charts.green']],
  ['opportunity', ['lightbulb', 'charts.yellow']],
]);

/** An item's icon by type, coloured as in every backlog view. */
export function itemIcon(item: Item): vscode.ThemeIcon {
  const [icon, color] = ICONS.get(item.type ?? 'task') ?? ['circle-outline', 'foreground'];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/** Longest description shown in a tooltip; the file has the rest. */
const TOOLTIP_CHARS = 600;

/**
 * One of the three backlog trees. Nodes hold ids only and are resolved against the index when
 * drawn, so a row never shows data older than the last index change; the lists a view needs
 * are computed once per index version (and per change of the Product Backlog's options).
 */
export class BacklogTreeProvider extends Disposable implements vscode.TreeDataProvider<ViewNode> {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private cache = new Map<string, RootCache>();
  private cacheVersion = -1;
  /** Parents of item rows, for `getParent` (reveal); sprint, release and group rows are structural. */
  private readonly parents = new WeakMap<ViewNode, ViewNode>();
  /** Item rows by their TreeItem id, which is what VS Code's handles for them name. */
  private readonly itemRows = new Map<string, Extract<ViewNode, { kind: 'item' }>>();

  constructor(
    readonly view: ViewKind,
    private readonly index: BacklogIndex,
    private readonly toUri: (path: string) => vscode.Uri,
    private readonly options: ProductViewOptions,
    /** What day it is, for "days left". */
    private readonly clock: Clock,
    private readonly codeRefs?: CodeRefSource,
  ) {
    super();
    this.register(this.changed);
    if (view === 'product') this.register(options.onDidChange(() => this.refresh()));
  }

  /** Redraws the whole tree (the caches are rebuilt on the next read). */
  refresh(): void {
    this.cacheVersion = -1;
    this.changed.fire(undefined);
  }

  /** The Product Backlog's description line: the active filter, if any. */
  description(): string | undefined {
    if (this.view !== 'product' || !isFilterActive(this.options.filter)) return undefined;
    return `Filter: ${describeFilter(this.options.filter)}`;
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (!node) {
      const roots = this.index.roots();
      if (roots.length === 1) return this.topLevel(roots[0]);
      return roots.map((b) => this.remember({ kind: 'root', root: b.root }, undefined));
    }
    const backlog = this.backlog(node.root);
    if (!backlog) return [];
    switch (node.kind) {
      case 'root':
        return this.topLevel(backlog);
      case 'sprint':
        return this.itemNodes(listRows(this.sprintItems(backlog, node.id)), { kind: 'sprint', id: node.id }, node);
      case 'release':
        return this.itemNodes(listRows(backlog.releaseBacklog(node.id)), { kind: 'release', id: node.id }, node);
      case 'group':
        return this.itemNodes(this.groupItems(backlog, node), node.list, node);
      case 'item': {
        const item = backlog.item(node.id);
        if (!item) return [];
        const rows = this.itemNodes(this.rootCache(backlog).children.get(item.key) ?? [], node.list, node);
        if (this.refsOf(item).length > 0) rows.push(this.remember({ kind: 'code-refs', root: node.root, id: item.id }, node));
        return rows;
      }
      case 'epic-children':
        return this.itemNodes(backlog.children(node.id), { kind: 'product' }, node);
      case 'code-refs':
        return (this.codeRefs?.byItem(node.id) ?? []).map((todo) => this.remember({ kind: 'code-ref', root: node.root, id: node.id, todo }, node));
      case 'more':
      case 'code-ref':
        return [];
    }
  }

  getParent(node: ViewNode): ViewNode | undefined {
    const remembered = this.parents.get(node);
    if (remembered) return remembered;
    if (node.kind === 'root' || this.index.roots().length === 1) return undefined;
    // Sprint, release and group rows sit right under their root row.
    return node.kind === 'sprint' || node.kind === 'release' || node.kind === 'group' || node.kind === 'more' ? { kind: 'root', root: node.root } : undefined;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const backlog = this.backlog(node.root);
    if (!backlog) return new vscode.TreeItem('(refreshing…)');
    switch (node.kind) {
      case 'root':
        return this.rootItem(backlog);
      case 'sprint': {
        const sprint = backlog.sprint(node.id);
        return sprint ? this.sprintItem(backlog, sprint) : new vscode.TreeItem(node.id);
      }
      case 'release': {
        const release = backlog.release(node.id);
        return release ? this.releaseItem(backlog, release) : new vscode.TreeItem(node.id);
      }
      case 'group':
        return this.groupItem(backlog, node);
      case 'item': {
        const item = backlog.item(node.id);
        return item ? this.itemRow(backlog, item, node) : new vscode.TreeItem(node.id);
      }
      case 'epic-children':
        return new vscode.TreeItem('Stories', vscode.TreeItemCollapsibleState.Collapsed);
      case 'code-refs': {
        const n = this.codeRefs?.byItem(node.id).length ?? 0;
        const row = new vscode.TreeItem(`${n} code reference${n === 1 ? '' : 's'}`, vscode.TreeItemCollapsibleState.Collapsed);
        row.id = this.rowId(node);
        row.iconPath = new vscode.ThemeIcon('references');
        return row;
      }
      case 'code-ref':
        return codeRefRow(node.todo, this.rowId(node));
      case 'more': {
        const row = new vscode.TreeItem(`Show more… (${node.hidden.toLocaleString('en')} more)`, vscode.TreeItemCollapsibleState.None);
        row.id = `${this.view}:${node.root}:more`;
        row.iconPath = new vscode.ThemeIcon('ellipsis');
        row.command = { command: 'backlogAtlas.showMore', title: 'Show More' };
        return row;
      }
    }
  }

  /** Fills in an item's tooltip when it is hovered: building 10,000 tooltips up front is waste. */
  resolveTreeItem(row: vscode.TreeItem, node: ViewNode): vscode.TreeItem {
    if (node.kind !== 'item') return row;
    const backlog = this.backlog(node.root);
    const item = backlog?.item(node.id);
    if (backlog && item) row.tooltip = itemTooltip(backlog, item);
    return row;
  }

  /** The items of a list as this view shows it, for appending a drop to its end. */
  listItems(node: ViewNode | undefined): { list: ListRef; items: readonly Item[]; root: string } | undefined {
    const roots = this.index.roots();
    if (!node) {
      // The empty space below the tree: the Product Backlog appends there; the others have
      // several lists and no obvious one.
      if (this.view !== 'product' || roots.length !== 1) return undefined;
      return { list: { kind: 'product' }, items: roots[0].productBacklog(), root: roots[0].root };
    }
    const backlog = this.backlog(node.root);
    if (!backlog) return undefined;
    switch (node.kind) {
      case 'sprint':
        return { list: { kind: 'sprint', id: node.id }, items: backlog.sprintBacklog(node.id), root: backlog.root };
      case 'release':
        return { list: { kind: 'release', id: node.id }, items: backlog.releaseBacklog(node.id), root: backlog.root };
      case 'group':
        return { list: node.list, items: this.groupItems(backlog, node), root: backlog.root };
      case 'more':
      case 'root':
        return this.view === 'product' ? { list: { kind: 'product' }, items: backlog.productBacklog(), root: backlog.root } : undefined;
      default:
        return undefined;
    }
  }

  private topLevel(backlog: Backlog): ViewNode[] {
    const parent: ViewNode | undefined = this.index.roots().length > 1 ? { kind: 'root', root: backlog.root } : undefined;
    switch (this.view) {
      case 'sprints':
        return sprintOrder(backlog.sprints).map((s) => this.remember({ kind: 'sprint', root: backlog.root, id: s.id }, parent));
      case 'releases':
        return backlog.releases().map((r) => this.remember({ kind: 'release', root: backlog.root, id: r.id }, parent));
      case 'product':
        return this.productTopLevel(backlog, parent);
    }
  }

  private productTopLevel(backlog: Backlog, parent: ViewNode | undefined): ViewNode[] {
    const cache = this.rootCache(backlog);
    const rows: ViewNode[] = [];
    const items = this.productItems(backlog);
    const product: ListRef = { kind: 'product' };
    if (this.options.groupBy === 'none') {
      const shown = items.length > this.options.limit ? items.slice(0, this.options.limit) : items;
      rows.push(...this.itemNodes(shown, product, parent));
      if (shown.length < items.length) rows.push(this.remember({ kind: 'more', root: backlog.root, hidden: items.length - shown.length }, parent));
    } else {
      cache.groups ??= new Map(groupItems(backlog, items, this.options.groupBy).map((g) => [g.label, g.items]));
      for (const label of cache.groups.keys()) rows.push(this.remember({ kind: 'group', root: backlog.root, label, list: product }, parent));
    }
    const opportunities = backlog.opportunityBacklog().filter((i) => matchesFilter(i, this.options.filter));
    if (opportunities.length > 0) rows.push(this.remember({ kind: 'group', root: backlog.root, label: OPPORTUNITIES, list: { kind: 'opportunities' } }, parent));
    return rows;
  }

  /** The Product Backlog after the filter and the "Hide Planned Items" toggle. */
  private productItems(backlog: Backlog): Item[] {
    const cache = this.rootCache(backlog);
    if (!cache.product) {
      const { filter, hidePlanned } = this.options;
      const active = isFilterActive(filter);
      const shown = active || hidePlanned ? backlog.productBacklog().filter((i) => (!hidePlanned || !isPlanned(i)) && (!active || matchesFilter(i, filter))) : backlog.productBacklog();
      cache.product = listRows(shown, ['parent']);
    }
    return cache.product;
  }

  private groupItems(backlog: Backlog, node: Extract<TreeNode, { kind: 'group' }>): Item[] {
    if (node.list.kind === 'opportunities') return backlog.opportunityBacklog().filter((i) => matchesFilter(i, this.options.filter));
    if (this.options.groupBy === 'none') return [];
    const cache = this.rootCache(backlog);
    cache.groups ??= new Map(groupItems(backlog, this.productItems(backlog), this.options.groupBy).map((g) => [g.label, g.items]));
    return cache.groups.get(node.label) ?? [];
  }

  private sprintItems(backlog: Backlog, sprintId: string): Item[] {
    const cache = this.rootCache(backlog);
    if (!cache.sprintItems) {
      cache.sprintItems = new Map();
      // Backlog.sprintBacklog's rule (drafts and archived items excluded), for every sprint at once.
      for (const i of backlog.allOrdered()) {
        if (i.folder === 'drafts' || i.folder === 'archive' || i.sprint === undefined) continue;
        const key = i.sprint.toUpperCase();
        const list = cache.sprintItems.get(key);
        if (list) list.push(i);
        else cache.sprintItems.set(key, [i]);
      }
    }
    return cache.sprintItems.get(sprintId.toUpperCase()) ?? [];
  }

  private itemNodes(items: readonly Item[], list: ListRef, parent: ViewNode | undefined): ViewNode[] {
    return items.map((i) => this.remember({ kind: 'item', root: i.root, id: i.id, list }, parent));
  }

  private refsOf(item: Item): readonly CodeTodo[] {
    return this.codeRefs?.byItem(item.id) ?? [];
  }

  /**
   * The item row behind one of VS Code's tree item handles (`1/<TreeItem.id>` for rows with an
   * id): what a drop reads when the drag's own data did not arrive.
   */
  itemForHandle(handle: string): Extract<ViewNode, { kind: 'item' }> | undefined {
    const slash = handle.indexOf('/');
    return slash < 0 ? undefined : this.itemRows.get(handle.slice(slash + 1));
  }

  private remember(node: ViewNode, parent: ViewNode | undefined): ViewNode {
    if (parent) this.parents.set(node, parent);
    return node;
  }

  private backlog(root: string): Backlog | undefined {
    return this.index.roots().find((b) => b.root === root);
  }

  private rootCache(backlog: Backlog): RootCache {
    if (this.cacheVersion !== this.index.changeCount) {
      this.cache = new Map();
      this.cacheVersion = this.index.changeCount;
    }
    let c = this.cache.get(backlog.root);
    if (!c) {
      c = { children: childrenByParent(backlog) };
      this.cache.set(backlog.root, c);
    }
    return c;
  }

  /**
   * A row id unique in the view and stable across refreshes, so that expansion and selection
   * survive them. An item can show twice (in a list and under its epic), hence the path.
   */
  private rowId(node: ViewNode): string {
    const part = (n: ViewNode) =>
      n.kind === 'group' ? `group:${n.label}` : n.kind === 'root' || n.kind === 'more' ? n.kind : n.kind === 'code-ref' ? `ref:${n.todo.uri.toString()}:${n.todo.line}:${n.todo.column}` : `${n.kind}:${idKey(n.id)}`;
    // Sprint, release and group rows are found by id alone (reveal passes fresh nodes); the
    // root is in the prefix, so only item rows (and the code references under them) need their path.
    if (node.kind !== 'item' && node.kind !== 'code-refs' && node.kind !== 'code-ref') return `${this.view}:${node.root}:${part(node)}`;
    const parts: string[] = [];
    for (let n: ViewNode | undefined = node; n && n.kind !== 'root'; n = this.parents.get(n)) parts.unshift(part(n));
    return `${this.view}:${node.root}:${parts.join('/')}`;
  }

  private rootItem(backlog: Backlog): vscode.TreeItem {
    const row = new vscode.TreeItem(backlog.config.projectName || basename(backlog.folder), vscode.TreeItemCollapsibleState.Expanded);
    row.id = `${this.view}:${backlog.root}`;
    row.description = basename(backlog.folder);
    row.tooltip = backlog.root;
    row.iconPath = new vscode.ThemeIcon('project');
    return row;
  }

  private sprintItem(backlog: Backlog, sprint: Sprint): vscode.TreeItem {
    const summary = sprintSummary(backlog, sprint, this.clock.now());
    const row = new vscode.TreeItem(sprint.name, sprint.state === 'active' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    row.id = this.rowId({ kind: 'sprint', root: backlog.root, id: sprint.id });
    row.description = sprintDescription(summary);
    row.contextValue = sprint.state === 'active' ? CONTEXT.sprintActive : sprint.state === 'planned' ? CONTEXT.sprintPlanned : CONTEXT.sprintClosed;
    row.iconPath = summary.overCapacity
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(sprint.state === 'active' ? 'rocket' : sprint.state === 'planned' ? 'calendar' : 'pass');
    const tip = plainMarkdown();
    bold(tip, sprint.name);
    tip.appendText(` (${sprint.id}, ${sprint.state})`);
    if (sprint.goal !== undefined) {
      tip.appendMarkdown('\n\n');
      tip.appendText(sprint.goal);
    }
    if (sprint.start !== undefined || sprint.end !== undefined) {
      tip.appendMarkdown('\n\n');
      tip.appendText(`${sprint.start ?? '?'} – ${sprint.end ?? '?'}`);
    }
    tip.appendMarkdown('\n\n');
    tip.appendText(`${summary.pointsDone} of ${summary.pointsTotal} points done`);
    if (summary.capacity !== undefined) tip.appendText(`; capacity ${summary.capacity}${summary.overCapacity ? ' (over capacity)' : ''}`);
    row.tooltip = tip;
    return row;
  }

  private releaseItem(backlog: Backlog, release: Release): vscode.TreeItem {
    const row = new vscode.TreeItem(release.name, vscode.TreeItemCollapsibleState.Collapsed);
    row.id = this.rowId({ kind: 'release', root: backlog.root, id: release.id });
    row.description = releaseDescription(backlog, release);
    row.contextValue = release.source === 'milestone' ? CONTEXT.milestone : CONTEXT.release;
    row.iconPath = new vscode.ThemeIcon('milestone');
    const tip = plainMarkdown();
    bold(tip, release.name);
    tip.appendText(` (${release.id}${release.source === 'milestone' ? ', a Backlog.md milestone' : ''})`);
    if (release.date !== undefined) {
      tip.appendMarkdown('\n\n');
      tip.appendText(`Date: ${release.date}`);
    }
    if (release.goal !== undefined) {
      tip.appendMarkdown('\n\n');
      tip.appendText(release.goal);
    }
    row.tooltip = tip;
    return row;
  }

  private groupItem(backlog: Backlog, node: Extract<TreeNode, { kind: 'group' }>): vscode.TreeItem {
    const items = this.groupItems(backlog, node);
    const row = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    row.id = this.rowId(node);
    const r = backlog.rollup(items);
    row.description = `${items.length} item${items.length === 1 ? '' : 's'} · ${r.pointsTotal} pts`;
    row.iconPath = new vscode.ThemeIcon(node.list.kind === 'opportunities' ? 'lightbulb' : this.options.groupBy === 'epic' ? 'symbol-class' : this.options.groupBy === 'theme' ? 'compass' : 'symbol-enum');
    return row;
  }

  private itemRow(backlog: Backlog, item: Item, node: Extract<TreeNode, { kind: 'item' }>): vscode.TreeItem {
    const hasChildren = (this.rootCache(backlog).children.get(item.key)?.length ?? 0) > 0 || this.refsOf(item).length > 0;
    const row = new vscode.TreeItem(item.title, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    row.id = this.rowId(node);
    this.itemRows.set(row.id, node);
    // Only the Product Backlog says where an item is planned: in a sprint's or release's list, it is plain.
    row.description = itemDescription(item, this.view === 'product' && node.list.kind === 'product' ? planText(backlog, item) : '', blockedText(backlog, item));
    row.contextValue = item.type === 'opportunity' ? CONTEXT.opportunity : CONTEXT.item;
    row.iconPath = itemIcon(item);
    const uri = this.toUri(item.path);
    row.resourceUri = uri;
    row.command = { command: 'backlogAtlas.openItem', title: 'Open Item', arguments: [uri] };
    row.accessibilityInformation = { label: `${item.type ?? 'task'} ${item.id}: ${item.title}, ${item.status}` };
    return row;
  }
}

/** The label of the Product Backlog's opportunity group. */
export const OPPORTUNITIES = 'Opportunities';

function childrenByParent(backlog: Backlog): Map<string, Item[]> {
  const out = new Map<string, Item[]>();
  for (const i of backlog.allOrdered()) {
    if (i.folder === 'drafts') continue;
    for (const ref of [i.epic, i.parent]) {
      if (ref === undefined) continue;
      const key = idKey(ref);
      if (key === i.key) continue;
      const list = out.get(key);
      if (list) {
        if (list[list.length - 1] !== i) list.push(i);
      } else out.set(key, [i]);
    }
  }
  return out;
}

/** A tooltip that renders no HTML, no command links and no theme icons from user text. */
function plainMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function bold(md: vscode.MarkdownString, text: string): void {
  md.appendMarkdown('**');
  md.appendText(text);
  md.appendMarkdown('**');
}

/**
 * An item's tooltip: title, type and status, description, its checklists' progress, and the rest
 * of what Backlog.md records on a task (plan, notes, summary, links, reporter, comments).
 */
export function itemTooltip(backlog: Backlog, item: Item): vscode.MarkdownString {
  const md = plainMarkdown();
  bold(md, `${item.id} ${item.title}`);
  md.appendMarkdown('\n\n');
  const facts = [item.type ?? 'task', item.status];
  const points = backlog.points(item);
  if (item.estimate !== undefined || item.size !== undefined) facts.push(`${points} pts`);
  if (item.assignee.length > 0) facts.push(item.assignee.join(', '));
  const plan = planText(backlog, item);
  if (plan !== '') facts.push(plan);
  if (item.dueDate !== undefined) facts.push(`due ${item.dueDate}`);
  md.appendText(facts.join(' · '));
  const blocked = blockersTooltip(backlog, item);
  if (blocked !== '') {
    md.appendMarkdown('\n\n');
    md.appendText(blocked);
  }
  const description = item.description.trim();
  if (description !== '') {
    md.appendMarkdown('\n\n');
    md.appendText(description.length > TOOLTIP_CHARS ? `${description.slice(0, TOOLTIP_CHARS - 1)}…` : description);
  }
  const checklists = [
    ['Acceptance criteria', item.acceptanceCriteria],
    ['Definition of Done', item.definitionOfDone],
  ] as const;
  for (const [name, list] of checklists) {
    if (list.length === 0) continue;
    md.appendMarkdown('\n\n');
    md.appendText(`${name}: ${list.filter((c) => c.checked).length}/${list.length} done`);
  }
  // The rest of what Backlog.md records on a task, each cut short: the file has it whole.
  const sections = [
    ['Implementation plan', item.implementationPlan],
    ['Implementation notes', item.implementationNotes],
    ['Final summary', item.finalSummary],
  ] as const;
  for (const [name, text] of sections) {
    const t = text?.trim() ?? '';
    if (t === '') continue;
    md.appendMarkdown('\n\n');
    bold(md, name);
    md.appendMarkdown('\n\n');
    md.appendText(t.length > TOOLTIP_CHARS ? `${t.slice(0, TOOLTIP_CHARS - 1)}…` : t);
  }
  const links = [
    ['References', item.references],
    ['Documentation', item.documentation],
    ['Modified files', item.modifiedFiles],
  ] as const;
  const facts2 = links.filter(([, list]) => list.length > 0).map(([name, list]) => `${name}: ${list.join(', ')}`);
  if (item.reporter !== undefined) facts2.push(`Reported by ${item.reporter}`);
  if (item.comments.length > 0) facts2.push(`${item.comments.length} comment${item.comments.length === 1 ? '' : 's'}`);
  if (facts2.length > 0) {
    md.appendMarkdown('\n\n');
    md.appendText(facts2.join(' · '));
  }
  return md;
}
