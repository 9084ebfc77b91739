import * as vscode from 'vscode';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import type { Clock } from '../../core/clock';
import { BacklogDragAndDropController, DropDeps } from './backlogDragAndDropController';
import { BacklogTreeProvider, CodeRefSource, ProductViewOptions, ViewKind, ViewNode } from './backlogTreeProvider';
import { FilterKey, GroupBy, isFilterActive, ItemFilter, sprintStatusText, sprintSummary } from '../../views/trees/backlogViewModel';

/** What the views need: what a drop needs, and a clock and the TODO references. */
export interface BacklogViewsDeps extends DropDeps {
  /** What day it is, for "days left" (the extension's one clock). */
  clock: Clock;
  /** TODO comments naming items, shown as each item's "code references". */
  codeRefs?: CodeRefSource & { onDidChange: vscode.Event<void> };
}

/** The view ids, as package.json contributes them. */
export const VIEW_IDS: Record<ViewKind, string> = {
  sprints: 'backlogAtlas.sprints',
  releases: 'backlogAtlas.releases',
  product: 'backlogAtlas.productBacklog',
};

/** Rows the Product Backlog shows before "Show more…"; see docs/benchmarks.md for why. */
const PAGE_SIZE = 500;
/** Index changes often come in runs (a save, then the watcher's echo): redraw once per run. */
const REFRESH_DELAY_MS = 60;

/**
 * The "Backlog" container's three trees (Sprints, Releases, Product Backlog), their
 * drag-and-drop, the view-title commands of the Product Backlog and the active sprint's status
 * bar item.
 */
export class BacklogViews extends Disposable {
  readonly providers: Record<ViewKind, BacklogTreeProvider>;
  readonly controllers: Record<ViewKind, BacklogDragAndDropController>;
  readonly treeViews: Record<ViewKind, vscode.TreeView<ViewNode>>;
  readonly options = new ProductViewOptions(PAGE_SIZE);
  readonly statusBar: vscode.StatusBarItem;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BacklogViewsDeps) {
    super();
    this.register(this.options);
    const make = (view: ViewKind) => this.register(new BacklogTreeProvider(view, deps.index, deps.toUri, this.options, deps.clock, deps.codeRefs));
    this.providers = { sprints: make('sprints'), releases: make('releases'), product: make('product') };
    const sources = new Map((Object.keys(VIEW_IDS) as ViewKind[]).map((view) => [VIEW_IDS[view], this.providers[view]]));
    const dnd = (view: ViewKind) => new BacklogDragAndDropController(this.providers[view], deps, sources);
    this.controllers = { sprints: dnd('sprints'), releases: dnd('releases'), product: dnd('product') };
    const tree = (view: ViewKind) =>
      this.register(
        vscode.window.createTreeView(VIEW_IDS[view], {
          treeDataProvider: this.providers[view],
          dragAndDropController: this.controllers[view],
          canSelectMany: true,
          showCollapseAll: true,
        }),
      );
    this.treeViews = { sprints: tree('sprints'), releases: tree('releases'), product: tree('product') };

    this.statusBar = this.register(vscode.window.createStatusBarItem('backlogAtlas.activeSprint', vscode.StatusBarAlignment.Left, 50));
    this.statusBar.name = 'Backlog: Active Sprint';
    // The sprint under way is run from its board; the Sprints view is one click from there.
    this.statusBar.command = 'backlogAtlas.openBoard';

    this.register(deps.index.onDidChange(() => this.scheduleRefresh()));
    if (deps.codeRefs) this.register(deps.codeRefs.onDidChange(() => this.scheduleRefresh()));
    this.register(this.options.onDidChange(() => this.updateProductTitle()));
    const log = deps.log;
    this.register(registerCommand(log, 'backlogAtlas.groupBy', 'Group By', () => this.pickGroupBy()));
    this.register(registerCommand(log, 'backlogAtlas.filter', 'Filter', () => this.pickFilter()));
    this.register(registerCommand(log, 'backlogAtlas.clearFilter', 'Clear Filter', () => this.options.update({ filter: {}, limit: PAGE_SIZE })));
    this.register(registerCommand(log, 'backlogAtlas.hidePlanned', 'Hide Planned Items', () => this.options.update({ hidePlanned: true })));
    this.register(registerCommand(log, 'backlogAtlas.showPlanned', 'Show Planned Items', () => this.options.update({ hidePlanned: false })));
    this.register(registerCommand(log, 'backlogAtlas.showMore', 'Show More', () => this.options.update({ limit: this.options.limit + PAGE_SIZE })));
    this.register(registerCommand(log, 'backlogAtlas.revealActiveSprint', 'Reveal Active Sprint', () => this.revealActiveSprint()));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
    this.updateProductTitle();
    this.updateStatusBar();
  }

  /** Redraws every view and the status bar now (the index changed). */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const p of Object.values(this.providers)) p.refresh();
    this.updateStatusBar();
  }

  /** Reveals and selects the active sprint in the Sprints view (the status bar item's click). */
  async revealActiveSprint(): Promise<void> {
    const found = this.activeSprint();
    if (!found) {
      void vscode.window.showInformationMessage('No sprint is active. Start one from the Sprints view.');
      return;
    }
    await this.treeViews.sprints.reveal({ kind: 'sprint', root: found.root, id: found.id }, { select: true, focus: true, expand: true });
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  private activeSprint(): { root: string; id: string } | undefined {
    for (const b of this.deps.index.roots()) {
      const s = b.activeSprint();
      if (s) return { root: b.root, id: s.id };
    }
    return undefined;
  }

  private updateStatusBar(): void {
    const found = this.activeSprint();
    const backlog = found && this.deps.index.roots().find((b) => b.root === found.root);
    const sprint = found && backlog?.sprint(found.id);
    if (!backlog || !sprint) {
      this.statusBar.hide();
      return;
    }
    const summary = sprintSummary(backlog, sprint, this.deps.clock.now());
    this.statusBar.text = `$(rocket) ${sprintStatusText(sprint, summary)}`;
    const capacity = summary.capacity !== undefined ? ` of a capacity of ${summary.capacity}` : '';
    this.statusBar.tooltip = `${sprint.name}: ${summary.pointsDone} of ${summary.pointsTotal} points done${capacity}. Click to open the sprint board.`;
    this.statusBar.backgroundColor = summary.overCapacity ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusBar.show();
  }

  private updateProductTitle(): void {
    this.treeViews.product.description = this.providers.product.description();
    void vscode.commands.executeCommand('setContext', 'backlogAtlas.filterActive', isFilterActive(this.options.filter));
    void vscode.commands.executeCommand('setContext', 'backlogAtlas.hidePlanned', this.options.hidePlanned);
  }

  private async pickGroupBy(): Promise<void> {
    const choices: (vscode.QuickPickItem & { value: GroupBy })[] = [
      { label: 'None', description: 'one ordered list', value: 'none' },
      { label: 'Epic', value: 'epic' },
      { label: 'Type', value: 'type' },
      { label: 'Theme', value: 'theme' },
    ];
    for (const c of choices) if (c.value === this.options.groupBy) c.detail = 'current';
    const picked = await vscode.window.showQuickPick(choices, { title: 'Group the Product Backlog by' });
    if (picked) this.options.update({ groupBy: picked.value });
  }

  /** Asks which criterion to set, then its value; criteria add up until cleared. */
  private async pickFilter(): Promise<void> {
    const filter = this.options.filter;
    const fields: (vscode.QuickPickItem & { key: FilterKey })[] = [
      { label: 'Text', detail: 'in the id, title or description', key: 'text' },
      { label: 'Type', key: 'type' },
      { label: 'Label', key: 'label' },
      { label: 'Assignee', key: 'assignee' },
      { label: 'Status', key: 'status' },
    ];
    for (const f of fields) if (filter[f.key] !== undefined) f.description = `now: ${filter[f.key]}`;
    const field = await vscode.window.showQuickPick(fields, { title: 'Filter the Product Backlog by' });
    if (!field) return;
    let value: string | undefined;
    if (field.key === 'text') {
      value = await vscode.window.showInputBox({ title: 'Filter by text', prompt: 'Items whose id, title or description contain this text (empty: any)', value: filter.text ?? '' });
      if (value === undefined) return;
    } else {
      const ANY = '(any)';
      const picked = await vscode.window.showQuickPick([ANY, ...this.valuesOf(field.key)], { title: `Filter by ${field.label.toLowerCase()}` });
      if (picked === undefined) return;
      value = picked === ANY ? '' : picked;
    }
    const next: ItemFilter = { ...filter, [field.key]: value.trim() === '' ? undefined : value.trim() };
    this.options.update({ filter: next, limit: PAGE_SIZE });
  }

  /** The values a criterion can take, from the config and from the items themselves. */
  private valuesOf(key: Exclude<FilterKey, 'text'>): string[] {
    const values = new Set<string>();
    for (const b of this.deps.index.roots()) {
      if (key === 'type') b.config.types.forEach((t) => values.add(t));
      if (key === 'status') b.config.statuses.forEach((s) => values.add(s));
      if (key === 'label') b.config.labels.forEach((l) => values.add(l));
      for (const i of b.items()) {
        if (key === 'label') i.labels.forEach((l) => values.add(l));
        if (key === 'assignee') i.assignee.forEach((a) => values.add(a.replace(/^@/, '')));
      }
    }
    return [...values].sort((a, b) => a.localeCompare(b));
  }
}
