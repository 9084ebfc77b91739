import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { BacklogChange, BacklogChangeKind } from '../../core/branches/backlogDiff';
import { BranchDiffResult, diffSinceMergeBase } from '../../core/branches/branchDiff';
import { formatFigure } from '../../core/figures/figures';
import { errorMessage } from '../../core/text';
import { CHANGE_HEADINGS, changeDetail, diffSummary } from '../../views/branches/backlogDiffText';
import { GitProcesses } from '../platform/gitProcess';
import { Disposable } from '../platform/lifecycle';
import { registerCommand } from '../platform/commands';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

export const BRANCH_CHANGES_VIEW = 'backlogAtlas.branchChanges';
/** File and HEAD changes come in runs (a checkout, a save of several files): one comparison per run. */
const REFRESH_DELAY_MS = 300;
const GIT_TIMEOUT_MS = 20_000;
const GIT_LIMIT = 256 * 1024 * 1024;
/** Tried in turn when `backlogAtlas.diffBase` is empty: the remote's default branch, then the usual local ones, then the upstream. */
const DEFAULT_BASES = ['origin/HEAD', 'main', 'master', '@{upstream}'];

/** A row: a backlog (with several), a message, a kind of change, one change, the scope section, one sprint's scope. */
export type BranchChangesNode =
  | { kind: 'root'; root: string }
  | { kind: 'message'; root: string; text: string; detail?: string }
  | { kind: 'group'; root: string; change: BacklogChangeKind }
  | { kind: 'change'; root: string; at: number }
  | { kind: 'scope'; root: string }
  | { kind: 'sprint'; root: string; at: number };

const ICONS: Record<BacklogChangeKind, string> = {
  added: 'diff-added',
  removed: 'diff-removed',
  archived: 'archive',
  completed: 'pass',
  reopened: 'issue-reopened',
  moved: 'arrow-swap',
  're-estimated': 'symbol-number',
  're-ranked': 'list-ordered',
};

/**
 * "Backlog Changes on This Branch": what the branch did to each backlog since it left its base
 * (`backlogAtlas.diffBase`, else the remote's default branch), the working tree against the merge
 * base. Compared while the view is open, again when backlog files or HEAD change; git runs only in
 * a trusted workspace (see src/vscode/platform/gitProcess.ts). The diff is the core's
 * (src/core/branches); this draws it.
 */
export class BranchChangesView extends Disposable implements vscode.TreeDataProvider<BranchChangesNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly results = new Map<string, BranchDiffResult>();
  private readonly view: vscode.TreeView<BranchChangesNode>;
  private readonly watchedGitDirs = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly done = new vscode.EventEmitter<void>();
  /** Fires after each comparison has been drawn (for tests). */
  readonly onDidCompare = this.done.event;

  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: VscodeWorkspace,
    private readonly git: GitProcesses,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(this.changed);
    this.register(this.done);
    this.view = this.register(vscode.window.createTreeView(BRANCH_CHANGES_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this.register(this.view.onDidChangeVisibility((e) => e.visible && this.schedule()));
    this.register(index.onDidChange(() => this.schedule()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('backlogAtlas.diffBase') && this.schedule()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.register(registerCommand(log, 'backlogAtlas.refreshBranchChanges', 'Compare Backlog with Base Branch', () => this.refresh()));
  }

  /** The comparison of one backlog as the view shows it, once it has run. */
  result(root: string): BranchDiffResult | undefined {
    return this.results.get(root);
  }

  /** Compares again now, whether or not the view is open; resolves once the view is redrawn. */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.compareAll().finally(() => (this.running = undefined));
    await this.running;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  private schedule(): void {
    if (!this.view.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh().catch((e: unknown) => this.log.error('Comparing the backlog with its base failed:', errorMessage(e)));
    }, REFRESH_DELAY_MS);
  }

  private async compareAll(): Promise<void> {
    const roots = this.index.roots();
    for (const root of [...this.results.keys()]) if (!roots.some((b) => b.root === root)) this.results.delete(root);
    for (const backlog of roots) {
      if (this.disposed) return;
      this.results.set(backlog.root, await this.compare(backlog));
    }
    this.changed.fire();
    this.done.fire();
  }

  private async compare(backlog: Backlog): Promise<BranchDiffResult> {
    if (!vscode.workspace.isTrusted) return { ok: false, error: 'Trust the workspace to compare the backlog with its base branch: git does not run in Restricted Mode.', code: 1 };
    const uri = this.ws.toUri(backlog.root);
    if (uri.scheme !== 'file') return { ok: false, error: 'The backlog is not on this computer’s disk, so git cannot compare it.', code: 1 };
    const run = this.git.runner(uri.fsPath, GIT_TIMEOUT_MS, GIT_LIMIT);
    try {
      this.watchGit(new TextDecoder().decode(await run(['rev-parse', '--absolute-git-dir'])).trim());
    } catch (e) {
      return { ok: false, error: `No git repository to compare with (${errorMessage(e).split('\n')[0]}).`, code: 1 };
    }
    const configured = vscode.workspace.getConfiguration('backlogAtlas', uri).get<unknown>('diffBase');
    const bases = typeof configured === 'string' && configured.trim() !== '' ? [configured.trim()] : DEFAULT_BASES;
    let last: BranchDiffResult | undefined;
    for (const base of bases) {
      last = await diffSinceMergeBase(run, backlog, base);
      if (last.ok) return last;
    }
    return last && !last.ok && bases.length > 1 ? { ok: false, error: `No base branch found (${bases.join(', ')}); set backlogAtlas.diffBase.`, code: 1 } : last!;
  }

  /** HEAD moving (a checkout, a commit, a pull) changes the comparison: the repository's HEAD and branches are watched. */
  private watchGit(gitDir: string): void {
    if (gitDir === '' || this.watchedGitDirs.has(gitDir)) return;
    this.watchedGitDirs.add(gitDir);
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(gitDir), '{HEAD,refs/heads/**,refs/remotes/**}')));
    this.register(watcher.onDidChange(() => this.schedule()));
    this.register(watcher.onDidCreate(() => this.schedule()));
    this.register(watcher.onDidDelete(() => this.schedule()));
  }

  getChildren(node?: BranchChangesNode): BranchChangesNode[] {
    if (!node) {
      const roots = this.index.roots();
      if (roots.length === 0) return [];
      if (roots.length === 1) return this.sections(roots[0].root);
      return roots.map((b) => ({ kind: 'root', root: b.root }));
    }
    const r = this.results.get(node.root);
    if (node.kind === 'root') return this.sections(node.root);
    if (!r?.ok) return [];
    if (node.kind === 'group') return r.diff.changes.flatMap((c, at) => (c.kind === node.change ? [{ kind: 'change' as const, root: node.root, at }] : []));
    if (node.kind === 'scope') return r.diff.scope.map((_, at) => ({ kind: 'sprint' as const, root: node.root, at }));
    return [];
  }

  private sections(root: string): BranchChangesNode[] {
    const r = this.results.get(root);
    if (!r) return [{ kind: 'message', root, text: this.running || this.view.visible ? 'Comparing with the base branch…' : 'Open this view to compare.' }];
    if (!r.ok) return [{ kind: 'message', root, text: r.error }];
    const kinds = (Object.keys(CHANGE_HEADINGS) as BacklogChangeKind[]).filter((k) => r.diff.changes.some((c) => c.kind === k));
    const n = r.diff.changes.length;
    const summary: BranchChangesNode = { kind: 'message', root, text: n === 0 ? `No changes since ${r.base.name}` : `${n} change${n === 1 ? '' : 's'} since ${r.base.name}`, detail: [diffSummary(r.diff, r.base), r.note].filter(Boolean).join('\n') };
    return [summary, ...kinds.map((change) => ({ kind: 'group' as const, root, change })), ...(r.diff.scope.length > 0 ? [{ kind: 'scope' as const, root }] : [])];
  }

  getTreeItem(node: BranchChangesNode): vscode.TreeItem {
    const r = this.results.get(node.root);
    switch (node.kind) {
      case 'root': {
        const row = new vscode.TreeItem(vscode.workspace.asRelativePath(this.ws.toUri(node.root), true), vscode.TreeItemCollapsibleState.Expanded);
        row.description = r?.ok ? `${r.diff.changes.length} change${r.diff.changes.length === 1 ? '' : 's'}` : undefined;
        row.iconPath = new vscode.ThemeIcon('folder');
        return row;
      }
      case 'message': {
        const row = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        row.tooltip = node.detail || node.text;
        if (r?.ok) row.description = `merge base ${r.base.commit.slice(0, 7)}`;
        row.iconPath = new vscode.ThemeIcon(r?.ok ? 'git-compare' : 'info');
        return row;
      }
      case 'group': {
        const n = r?.ok ? r.diff.changes.filter((c) => c.kind === node.change).length : 0;
        const row = new vscode.TreeItem(CHANGE_HEADINGS[node.change], vscode.TreeItemCollapsibleState.Expanded);
        row.id = `${node.root}#${node.change}`;
        row.description = String(n);
        row.iconPath = new vscode.ThemeIcon(ICONS[node.change]);
        return row;
      }
      case 'change': {
        const c = r?.ok ? r.diff.changes[node.at] : undefined;
        if (!c) return new vscode.TreeItem('');
        return this.changeRow(node.root, c);
      }
      case 'scope': {
        const row = new vscode.TreeItem('Scope per sprint', vscode.TreeItemCollapsibleState.Expanded);
        row.id = `${node.root}#scope`;
        row.iconPath = new vscode.ThemeIcon('graph');
        return row;
      }
      case 'sprint': {
        const s = r?.ok ? r.diff.scope[node.at] : undefined;
        if (!s) return new vscode.TreeItem('');
        const row = new vscode.TreeItem(s.name === s.sprint ? s.sprint : `${s.sprint} ${s.name}`, vscode.TreeItemCollapsibleState.None);
        const delta = s.to - s.from;
        row.description = `${formatFigure(s.from)} → ${formatFigure(s.to)} points (${delta > 0 ? '+' : ''}${formatFigure(delta)})`;
        row.iconPath = new vscode.ThemeIcon(delta > 0 ? 'arrow-up' : 'arrow-down');
        return row;
      }
    }
  }

  private changeRow(root: string, c: BacklogChange): vscode.TreeItem {
    // What changed comes first, where a narrow sidebar still shows it; the title follows.
    const detail = c.kind === 'moved' || c.kind === 're-estimated' || c.kind === 're-ranked' ? changeDetail(c) : undefined;
    const row = new vscode.TreeItem(detail ? `${c.id}: ${detail}` : `${c.id} ${c.title}`, vscode.TreeItemCollapsibleState.None);
    row.id = `${root}#${c.kind}#${c.id}#${c.kind === 'moved' ? c.field : ''}`;
    row.description = detail ? c.title : undefined;
    row.tooltip = `${CHANGE_HEADINGS[c.kind]}: ${c.id} ${c.title}${detail ? `\n${detail}` : ''}`;
    row.iconPath = new vscode.ThemeIcon(ICONS[c.kind]);
    row.accessibilityInformation = { label: `${CHANGE_HEADINGS[c.kind]}: ${c.id} ${c.title}${detail ? `, ${detail}` : ''}` };
    // An item still in the working tree opens; a removed one has no file to open.
    const item = this.index.roots().find((b) => b.root === root)?.item(c.id);
    if (item) {
      const uri = this.ws.toUri(item.path);
      row.resourceUri = uri;
      row.command = { command: 'vscode.open', title: 'Open Item', arguments: [uri] };
    }
    return row;
  }
}
