import * as vscode from 'vscode';
import { Backlog } from '../core/backlog';
import { BacklogIndex } from '../core/backlogIndex';
import { basename } from '../core/workspace';

/** A row of the overview: a backlog root, or one of its summary lines. */
export type OverviewNode =
  | { kind: 'root'; root: string }
  | { kind: 'summary'; root: string; what: 'product' | 'sprints' | 'releases' | 'problems' };

/**
 * The small "what is in this workspace" tree of the Backlog view: one node per backlog root
 * with its counts. Nodes hold only the root path and are resolved against the index when
 * drawn, so a node never shows numbers older than the last index change.
 */
export class OverviewProvider implements vscode.TreeDataProvider<OverviewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OverviewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly index: BacklogIndex) {
    this.subscription = index.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: OverviewNode): OverviewNode[] {
    if (!node) return this.index.roots().map((b) => ({ kind: 'root', root: b.root }));
    if (node.kind === 'summary') return [];
    return (['product', 'sprints', 'releases', 'problems'] as const).map((what) => ({ kind: 'summary', root: node.root, what }));
  }

  getTreeItem(node: OverviewNode): vscode.TreeItem {
    const backlog = this.index.roots().find((b) => b.root === node.root);
    if (!backlog) return new vscode.TreeItem('(refreshing…)');
    if (node.kind === 'root') {
      const items = backlog.items().length;
      const sprints = backlog.sprints.length;
      const name = backlog.config.projectName || basename(backlog.folder);
      const item = new vscode.TreeItem(`${name} — ${plural(items, 'item')}, ${plural(sprints, 'sprint')}`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `root:${node.root}`;
      item.tooltip = node.root;
      item.iconPath = new vscode.ThemeIcon('project');
      return item;
    }
    const { label, count, icon } = this.summary(backlog, node.what);
    const item = new vscode.TreeItem(`${label} (${count})`, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.what}:${node.root}`;
    item.iconPath = new vscode.ThemeIcon(icon);
    if (node.what === 'problems' && count > 0) {
      item.command = { command: 'workbench.actions.view.problems', title: 'Show Problems' };
      item.tooltip = 'Open the Problems panel';
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private summary(b: Backlog, what: Extract<OverviewNode, { kind: 'summary' }>['what']): { label: string; count: number; icon: string } {
    switch (what) {
      case 'product':
        return { label: 'Product Backlog', count: b.productBacklog().length, icon: 'list-ordered' };
      case 'sprints':
        return { label: 'Sprints', count: b.sprints.length, icon: 'calendar' };
      case 'releases':
        return { label: 'Releases', count: b.releases().length, icon: 'rocket' };
      case 'problems': {
        let count = 0;
        for (const [path, diags] of this.index.diagnostics()) if (this.index.backlogFor(path) === b) count += diags.length;
        return { label: 'Problems', count, icon: count > 0 ? 'warning' : 'pass' };
      }
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
