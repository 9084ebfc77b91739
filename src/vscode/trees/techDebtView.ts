import * as vscode from 'vscode';
import { registerCommand, reportFailure } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { contentHash, decodeText } from '../../core/text';
import { commentSyntaxFor, todosInText } from '../../core/todo/todo';
import { Item } from '../../core/types';
import { readDragList } from '../platform/dragData';
import { EditApplier } from '../platform/editApplier';
import { FolderGroup, groupByFolder, linkTodoEdit } from '../../views/trees/techDebtModel';
import { CodeTodo, TodoIndex } from '../todos/todoIndex';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

export const TECH_DEBT_VIEW = 'backlogAtlas.techDebt';
/** Drag data of unlinked TODO rows, as JSON: where each one is, to be found again on drop. */
export const TODOS_MIME = 'application/vnd.backlog-atlas.todos+json';
/** The label of the group of TODOs that name no item. */
export const UNLINKED = 'Unlinked TODOs';
/** Index and TODO changes come in runs (a save, then the watcher's echo): redraw once per run. */
const REFRESH_DELAY_MS = 60;

/** A row of the Tech Debt view. TODO rows hold the match they show; every change redraws all. */
export type DebtNode =
  | { kind: 'item'; root: string; id: string }
  | { kind: 'ref'; todo: CodeTodo; parent: string }
  | { kind: 'unlinked' }
  | { kind: 'folder'; folder: string }
  | { kind: 'file'; rel: string }
  | { kind: 'todo'; todo: CodeTodo };

/** Where a dragged TODO was; checked against the file's current text when dropped. */
interface DraggedTodo {
  uri: string;
  line: number;
  column: number;
  tag: string;
}

const ITEM_TYPES = new Set(['debt', 'bug']);

/** A code reference's row: `path:line`, the comment as description, a click opens it there. */
export function codeRefRow(todo: CodeTodo, id: string): vscode.TreeItem {
  const rel = vscode.workspace.asRelativePath(todo.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  const row = new vscode.TreeItem(`${rel}:${todo.line + 1}`, vscode.TreeItemCollapsibleState.None);
  row.id = id;
  row.description = todo.text === '' ? todo.tag : todo.text;
  row.tooltip = `${todo.tag}${todo.ref ? `(${todo.ref.id})` : ''}: ${todo.text}`;
  row.iconPath = new vscode.ThemeIcon('comment');
  row.command = openAt(todo);
  return row;
}

function openAt(todo: CodeTodo): vscode.Command {
  const at = new vscode.Range(todo.line, todo.column, todo.line, todo.column);
  return { command: 'vscode.open', title: 'Open', arguments: [todo.uri, { selection: at } satisfies vscode.TextDocumentShowOptions] };
}

function relOf(todo: CodeTodo): string {
  return vscode.workspace.asRelativePath(todo.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/**
 * The Tech Debt view: open debt and bug items in rank order, each with the TODO comments that
 * name it, and the TODOs that name no item, by folder and file. Dropping unlinked TODOs onto an
 * item writes its id into each comment.
 */
export class TechDebtProvider extends Disposable implements vscode.TreeDataProvider<DebtNode>, vscode.TreeDragAndDropController<DebtNode> {
  private readonly changed = new vscode.EventEmitter<DebtNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly dropMimeTypes = [TODOS_MIME];
  readonly dragMimeTypes = [TODOS_MIME];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The unlinked TODOs grouped, computed once per redraw. */
  private groups: FolderGroup<CodeTodo>[] | undefined;

  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoIndex,
    private readonly applier: EditApplier,
    private readonly ws: VscodeWorkspace,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(this.changed);
    this.register(index.onDidChange(() => this.scheduleRefresh()));
    this.register(todos.onDidChange(() => this.scheduleRefresh()));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
  }

  /** Redraws the whole view now. */
  refresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.groups = undefined;
    this.changed.fire(undefined);
  }

  getChildren(node?: DebtNode): DebtNode[] {
    if (!node) return [...this.debtItems().map((i): DebtNode => ({ kind: 'item', root: i.root, id: i.id })), { kind: 'unlinked' }];
    switch (node.kind) {
      case 'item':
        return this.todos.byItem(node.id).map((todo) => ({ kind: 'ref', todo, parent: node.id }));
      case 'unlinked':
        return this.unlinkedGroups().map((g) => ({ kind: 'folder', folder: g.folder }));
      case 'folder':
        return (this.unlinkedGroups().find((g) => g.folder === node.folder)?.files ?? []).map((f) => ({ kind: 'file', rel: f.rel }));
      case 'file':
        return this.fileTodos(node.rel).map((todo) => ({ kind: 'todo', todo }));
      default:
        return [];
    }
  }

  getTreeItem(node: DebtNode): vscode.TreeItem {
    switch (node.kind) {
      case 'item': {
        const item = this.index.item(node.id, node.root);
        if (!item) return new vscode.TreeItem(node.id);
        const refs = this.todos.byItem(item.id).length;
        const row = new vscode.TreeItem(item.title, refs > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        row.id = `techDebt:${node.root}:${item.key}`;
        row.description = `${item.id} · ${item.status}${refs > 0 ? ` · ${refs} code reference${refs === 1 ? '' : 's'}` : ''}`;
        row.iconPath = new vscode.ThemeIcon(item.type === 'bug' ? 'bug' : 'tools', new vscode.ThemeColor(item.type === 'bug' ? 'errorForeground' : 'charts.orange'));
        row.resourceUri = this.ws.toUri(item.path);
        row.command = { command: 'backlogAtlas.openItem', title: 'Open Item', arguments: [row.resourceUri] };
        row.contextValue = 'techDebt.item';
        return row;
      }
      case 'ref':
        return codeRefRow(node.todo, `techDebt:ref:${node.parent}:${node.todo.uri.toString()}:${node.todo.line}:${node.todo.column}`);
      case 'unlinked': {
        const n = this.todos.unlinked().length;
        const row = new vscode.TreeItem(UNLINKED, n > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        row.id = 'techDebt:unlinked';
        row.description = String(n);
        row.tooltip = 'TODO comments that name no backlog item. Drag one onto an item to link it.';
        row.iconPath = new vscode.ThemeIcon('question');
        return row;
      }
      case 'folder': {
        const g = this.unlinkedGroups().find((f) => f.folder === node.folder);
        const row = new vscode.TreeItem(node.folder === '' ? '(top level)' : node.folder, vscode.TreeItemCollapsibleState.Collapsed);
        row.id = `techDebt:folder:${node.folder}`;
        row.description = String(g?.count ?? 0);
        row.iconPath = vscode.ThemeIcon.Folder;
        return row;
      }
      case 'file': {
        const todos = this.fileTodos(node.rel);
        const row = new vscode.TreeItem(node.rel.slice(node.rel.lastIndexOf('/') + 1), vscode.TreeItemCollapsibleState.Collapsed);
        row.id = `techDebt:file:${node.rel}`;
        row.description = String(todos.length);
        row.iconPath = vscode.ThemeIcon.File;
        if (todos[0]) row.resourceUri = todos[0].uri;
        return row;
      }
      case 'todo': {
        const t = node.todo;
        const row = new vscode.TreeItem(t.text === '' ? t.tag : t.text, vscode.TreeItemCollapsibleState.None);
        row.id = `techDebt:todo:${t.uri.toString()}:${t.line}:${t.column}`;
        row.description = `${t.tag} · line ${t.line + 1}`;
        row.tooltip = 'Drag onto a debt or bug item to link this TODO to it.';
        row.iconPath = new vscode.ThemeIcon('comment-unresolved');
        row.command = openAt(t);
        row.contextValue = 'techDebt.unlinkedTodo';
        return row;
      }
    }
  }

  handleDrag(source: readonly DebtNode[], dataTransfer: vscode.DataTransfer): void {
    const dragged: DraggedTodo[] = [];
    for (const n of source) if (n.kind === 'todo') dragged.push({ uri: n.todo.uri.toString(), line: n.todo.line, column: n.todo.column, tag: n.todo.tag });
    if (dragged.length > 0) dataTransfer.set(TODOS_MIME, new vscode.DataTransferItem(JSON.stringify(dragged)));
  }

  /** Resolves once every dropped TODO has been linked (or refused); tests wait on it. */
  async handleDrop(target: DebtNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    if (target?.kind !== 'item') return;
    const dragged = toDragged(await readDragList(dataTransfer, TODOS_MIME));
    const item = this.index.item(target.id, target.root);
    if (!item || dragged.length === 0 || token.isCancellationRequested) return;
    try {
      for (const d of dragged) await this.link(d, item);
    } catch (e) {
      reportFailure(this.log, 'Linking a TODO', e);
    }
  }

  /**
   * Writes the item's id into one TODO comment, from the file's current text (an open
   * document's, unsaved edits included), after checking that the TODO is still where it was.
   * The edit goes through `EditApplier`, which edits an open document through a WorkspaceEdit
   * (so undo works) and refuses a file that changed in between.
   */
  private async link(d: DraggedTodo, item: Item): Promise<void> {
    const uri = vscode.Uri.parse(d.uri);
    const syntax = commentSyntaxFor(uri.path);
    if (!syntax) return;
    const doc = this.ws.openDocument(uri);
    let text: string;
    if (doc) text = doc.getText();
    else {
      const decoded = decodeText(await vscode.workspace.fs.readFile(uri));
      if (!decoded.ok) return this.refuse(`${vscode.workspace.asRelativePath(uri)} can no longer be read as text; nothing was written.`);
      text = decoded.value.text;
    }
    const todo = todosInText(this.todos.matcher(), text, syntax).find((t) => t.line === d.line && t.column === d.column && t.tag === d.tag);
    const where = `${vscode.workspace.asRelativePath(uri)}:${d.line + 1}`;
    if (!todo) return this.refuse(`The TODO at ${where} has changed; nothing was written. Try again.`);
    if (todo.ref) return this.refuse(`The TODO at ${where} already names ${todo.ref.id}.`);
    const lineStart = offsetOfLine(text, d.line);
    const lineEnd = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
    const edit = linkTodoEdit(line, todo, item.id);
    if (!edit) return this.refuse(`The TODO at ${where} has changed; nothing was written. Try again.`);
    const ok = await this.applier.apply([{ kind: 'edit', path: uri.path, baseHash: contentHash(text), edits: [{ offset: lineStart + edit.start, length: edit.end - edit.start, newText: edit.newText }] }], undefined, `Linked the ${todo.tag} at ${where} to ${item.id}`);
    if (ok) this.log.info(`Linked the ${todo.tag} at ${where} to ${item.id}.`);
  }

  private refuse(message: string): void {
    this.log.info(`Link refused: ${message}`);
    void vscode.window.showWarningMessage(message);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  /** Open debt and bug items of every backlog, each backlog's in rank order. */
  private debtItems(): Item[] {
    return this.index.roots().flatMap((b: Backlog) => b.allOrdered().filter((i) => i.folder === 'tasks' && ITEM_TYPES.has(i.type ?? '') && !b.isDone(i)));
  }

  private unlinkedGroups(): FolderGroup<CodeTodo>[] {
    this.groups ??= groupByFolder(this.todos.unlinked(), relOf);
    return this.groups;
  }

  private fileTodos(rel: string): CodeTodo[] {
    const slash = rel.lastIndexOf('/');
    const folder = slash === -1 ? '' : rel.slice(0, slash);
    return this.unlinkedGroups().find((g) => g.folder === folder)?.files.find((f) => f.rel === rel)?.todos ?? [];
  }
}

/** The zero-based line's start offset in the text. */
function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let n = 0; n < line; n++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return text.length;
    at = next + 1;
  }
  return at;
}

/** The dragged TODOs, checked: anything malformed is dropped. */
function toDragged(value: readonly unknown[]): DraggedTodo[] {
  const out: DraggedTodo[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const r = v as Record<string, unknown>;
    if (typeof r.uri === 'string' && typeof r.line === 'number' && typeof r.column === 'number' && typeof r.tag === 'string') out.push({ uri: r.uri, line: r.line, column: r.column, tag: r.tag });
  }
  return out;
}

/** Registers the Tech Debt view, its drag-and-drop and its title command. */
export class TechDebtView extends Disposable {
  readonly provider: TechDebtProvider;
  readonly treeView: vscode.TreeView<DebtNode>;

  constructor(deps: { index: BacklogIndex; todoIndex: TodoIndex; applier: EditApplier; ws: VscodeWorkspace; log: vscode.LogOutputChannel }) {
    super();
    this.provider = this.register(new TechDebtProvider(deps.index, deps.todoIndex, deps.applier, deps.ws, deps.log));
    this.treeView = this.register(vscode.window.createTreeView(TECH_DEBT_VIEW, { treeDataProvider: this.provider, dragAndDropController: this.provider, canSelectMany: true, showCollapseAll: true }));
    this.register(registerCommand(deps.log, 'backlogAtlas.rescanTodos', 'Rescan TODOs', () => deps.todoIndex.rescan()));
  }
}
