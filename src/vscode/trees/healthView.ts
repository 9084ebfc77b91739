import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import type { Clock } from '../../core/clock';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { backlogHealth, BacklogHealth, DEFAULT_HEALTH_OPTIONS, FindingKind, HealthOptions } from '../../views/backlogHealth';
import { formatDate } from '../../core/writer';
import { itemIcon } from './backlogTreeProvider';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

export const HEALTH_VIEW = 'backlogAtlas.health';
/** Index changes come in runs; the health is worked out once per run. */
const REFRESH_DELAY_MS = 100;

/** A row of the Backlog Health view: a root (with several backlogs), a section, or an item. */
export type HealthNode =
  | { kind: 'root'; root: string }
  | { kind: 'bands'; root: string }
  | { kind: 'band'; root: string; band: number }
  | { kind: 'finding'; root: string; finding: number }
  | { kind: 'item'; root: string; id: string; parent: string }
  | { kind: 'clean'; root: string };

const FINDING_ICONS: Record<FindingKind, string> = {
  'not-ready': 'checklist',
  untraceable: 'compass',
  stale: 'history',
  'too-big': 'split-horizontal',
  'duplicate-title': 'copy',
  'too-long': 'list-flat',
};

const FINDING_TITLES: Record<FindingKind, string> = {
  'not-ready': 'Top items not ready',
  untraceable: 'Not traceable to a theme or epic',
  stale: 'Stale',
  'too-big': 'Too big for a sprint',
  'duplicate-title': 'Same title',
  'too-long': 'Backlog too long',
};

/**
 * The Backlog Health view: where the product backlog stands against the 20/30/50 rule, and the
 * items a grooming session should look at. Every finding lists its items; a click opens one.
 * The rules live in the core (`backlogHealth.ts`); this draws them and reads the settings.
 */
export class HealthView extends Disposable implements vscode.TreeDataProvider<HealthNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private cache = new Map<string, BacklogHealth>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: VscodeWorkspace,
    private readonly clock: Clock,
  ) {
    super();
    this.register(this.changed);
    this.register(vscode.window.createTreeView(HEALTH_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this.register(index.onDidChange(() => this.schedule()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('backlogAtlas.health') && this.refresh()));
    this.register({ dispose: () => clearTimeout(this.timer) });
  }

  /** The settings, checked: a value that is not a positive number falls back to the default. */
  options(): HealthOptions {
    const cfg = vscode.workspace.getConfiguration('backlogAtlas.health');
    const positive = (key: keyof typeof DEFAULT_HEALTH_OPTIONS) => {
      const v: unknown = cfg.get<unknown>(key);
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_HEALTH_OPTIONS[key];
    };
    return { today: formatDate(this.clock.now()), staleDays: positive('staleDays'), maxSprintItemPoints: positive('maxSprintItemPoints'), maxBacklogLength: positive('maxBacklogLength') };
  }

  /** The health of one backlog, as the view shows it (for tests and other views). */
  health(backlog: Backlog): BacklogHealth {
    let h = this.cache.get(backlog.root);
    if (!h) {
      h = backlogHealth(backlog, this.options());
      this.cache.set(backlog.root, h);
    }
    return h;
  }

  refresh(): void {
    this.cache = new Map();
    this.changed.fire();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  private backlogAt(root: string): Backlog | undefined {
    return this.index.roots().find((b) => b.root === root);
  }

  getChildren(node?: HealthNode): HealthNode[] {
    if (!node) {
      const roots = this.index.roots();
      if (roots.length === 1) return this.sections(roots[0]);
      return roots.map((b) => ({ kind: 'root', root: b.root }));
    }
    const backlog = this.backlogAt(node.root);
    if (!backlog) return [];
    const h = this.health(backlog);
    switch (node.kind) {
      case 'root':
        return this.sections(backlog);
      case 'bands':
        return h.bands.map((_, band) => ({ kind: 'band', root: node.root, band }));
      case 'band':
        return (h.bands[node.band]?.shortfall ?? []).map((id) => ({ kind: 'item', root: node.root, id, parent: `band${node.band}` }));
      case 'finding':
        return (h.findings[node.finding]?.itemIds ?? []).map((id) => ({ kind: 'item', root: node.root, id, parent: `finding${node.finding}` }));
      case 'item':
      case 'clean':
        return [];
    }
  }

  private sections(backlog: Backlog): HealthNode[] {
    const h = this.health(backlog);
    const findings: HealthNode[] = h.findings.map((_, finding) => ({ kind: 'finding', root: backlog.root, finding }));
    // Saying so when nothing turned up tells the user every rule was checked.
    return [{ kind: 'bands', root: backlog.root }, ...(findings.length > 0 ? findings : [{ kind: 'clean' as const, root: backlog.root }])];
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    const backlog = this.backlogAt(node.root);
    if (!backlog) return new vscode.TreeItem('');
    const h = this.health(backlog);
    switch (node.kind) {
      case 'root': {
        const row = new vscode.TreeItem(vscode.workspace.asRelativePath(this.ws.toUri(backlog.root), true), vscode.TreeItemCollapsibleState.Expanded);
        row.description = h.findings.length === 0 ? 'healthy' : `${h.findings.length} finding${h.findings.length === 1 ? '' : 's'}`;
        row.iconPath = new vscode.ThemeIcon('folder');
        return row;
      }
      case 'bands': {
        const row = new vscode.TreeItem('Refinement (20/30/50)', vscode.TreeItemCollapsibleState.Expanded);
        row.description = `${h.total} items in the product backlog`;
        row.tooltip = 'Of the product backlog in rank order, the top 20% should be ready (an estimate and acceptance criteria), the next 30% at least partly refined, the rest may stay coarse.';
        row.iconPath = new vscode.ThemeIcon('pulse');
        return row;
      }
      case 'band': {
        const band = h.bands[node.band];
        const n = band.items.length;
        const row = new vscode.TreeItem(band.label, band.shortfall.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        row.id = `${node.root}#band${node.band}`;
        // The figure the rule is about first; the whole breakdown is in the tooltip.
        row.description = n === 0 ? 'no items' : band.expected === 'ready' ? `${band.ready} of ${n} ready` : band.expected === 'partial' ? `${band.ready + band.partial} of ${n} refined` : `${band.coarse} of ${n} coarse`;
        const ok = band.shortfall.length === 0;
        row.iconPath = new vscode.ThemeIcon(ok ? 'pass' : 'warning', new vscode.ThemeColor(ok ? 'testing.iconPassed' : 'editorWarning.foreground'));
        const rule = band.expected === 'ready' ? 'These should be ready: estimated, with acceptance criteria.' : band.expected === 'partial' ? 'These should be at least partly refined: an estimate, a size or acceptance criteria.' : 'Coarse is fine this far down.';
        row.tooltip = `${rule}\n${band.ready} ready · ${band.partial} partly refined · ${band.coarse} coarse of ${n}`;
        return row;
      }
      case 'finding': {
        const f = h.findings[node.finding];
        const row = new vscode.TreeItem(FINDING_TITLES[f.kind], vscode.TreeItemCollapsibleState.Collapsed);
        row.id = `${node.root}#finding${node.finding}:${f.kind}`;
        row.description = `${f.itemIds.length}`;
        row.tooltip = f.message;
        row.iconPath = new vscode.ThemeIcon(FINDING_ICONS[f.kind], new vscode.ThemeColor('editorWarning.foreground'));
        return row;
      }
      case 'clean': {
        const row = new vscode.TreeItem('Nothing to groom', vscode.TreeItemCollapsibleState.None);
        row.description = 'no stale, oversized, untraceable or duplicate items';
        row.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
        return row;
      }
      case 'item': {
        const item = backlog.item(node.id);
        if (!item) return new vscode.TreeItem(node.id);
        const row = new vscode.TreeItem(item.title, vscode.TreeItemCollapsibleState.None);
        row.id = `${node.root}#${node.parent}#${item.id}`;
        row.description = item.id;
        row.iconPath = itemIcon(item);
        const uri = this.ws.toUri(item.path);
        row.resourceUri = uri;
        row.command = { command: 'backlogAtlas.openItem', title: 'Open Item', arguments: [uri] };
        row.accessibilityInformation = { label: `${item.type ?? 'task'} ${item.id}: ${item.title}` };
        return row;
      }
    }
  }
}
