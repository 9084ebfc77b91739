import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { ItemEdit, itemTextEdit } from '../../core/itemEdits';
import { errorDetail } from '../../core/text';
import { FieldValue } from '../../core/format/yamlEdit';
import { isPageRequest, isRefused } from '../../protocol/page';
import { DEFAULT_ITEM_OPTIONS, ItemModel, ItemOptions, ItemOwnRequest, parseItemRequest } from '../../protocol/itemProtocol';
import { buildItemModel } from '../../views/item/itemFormModel';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';
import { panelIcon, webviewHtml, webviewOptions } from '../platform/webviewHtml';
import { GitHistoryReader } from '../panels/gitHistoryReader';
import { ITEM_VIEW_TYPE, openAsText, openItem } from './openItem';

/** Typing in the text editor beside the form changes the document per keystroke; the form follows once per pause. */
const REDRAW_DELAY_MS = 80;

export interface ItemEditorDeps {
  index: BacklogIndex;
  ws: VscodeWorkspace;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  codeRefs: { byItem(id: string): readonly { uri: vscode.Uri; line: number; text: string }[]; onDidChange: vscode.Event<void> };
  history: GitHistoryReader;
}

/**
 * The item editor: a custom text editor on an item's Markdown file. The form is drawn from the
 * document's text, and each change made in it is a `WorkspaceEdit` of the document that changes
 * only that value's bytes, so VS Code's undo, redo, dirty state, save, revert and hot exit work
 * as for typing. Also the commands that open items in it, and "Open as Text".
 */
export class ItemEditorProvider extends Disposable implements vscode.CustomTextEditorProvider {
  /** The open editors, for tests and commands. */
  readonly editors = new Set<ItemEditor>();

  constructor(private readonly deps: ItemEditorDeps) {
    super();
    this.register(vscode.window.registerCustomEditorProvider(ITEM_VIEW_TYPE, this, { supportsMultipleEditorsPerDocument: true }));
    this.register(
      registerCommand(deps.log, 'backlogAtlas.openItem', 'Open Item', async (arg: unknown) => {
        const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? deps.ws.toUri(arg) : undefined;
        if (uri) await openItem(uri, { preview: true });
      }),
    );
    this.register(
      registerCommand(deps.log, 'backlogAtlas.openItemAsText', 'Open as Text', async (arg: unknown) => {
        const uri = arg instanceof vscode.Uri ? arg : this.active()?.document.uri;
        if (uri) await openAsText(uri);
      }),
    );
    this.register(
      registerCommand(deps.log, 'backlogAtlas.openItemInEditor', 'Open in Item Editor', async (arg: unknown) => {
        const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
        if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, ITEM_VIEW_TYPE);
      }),
    );
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const editor = new ItemEditor(document, panel, this.deps, () => this.editors.delete(editor));
    this.editors.add(editor);
  }

  /** The editor whose tab is active, if it is an item editor. */
  active(): ItemEditor | undefined {
    return [...this.editors].find((e) => e.panel.active);
  }

  /** The open editor of a file, for tests. */
  editorOf(uri: vscode.Uri): ItemEditor | undefined {
    return [...this.editors].find((e) => e.document.uri.toString() === uri.toString());
  }

  override dispose(): void {
    for (const e of [...this.editors]) e.dispose();
    super.dispose();
  }
}

export class ItemEditor extends Disposable {
  /** The last model sent, for tests. */
  lastModel: ItemModel | undefined;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private todos: { uri: vscode.Uri; line: number }[] = [];
  private drawnWaiters: (() => void)[] = [];
  /** The page's messages, handled one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly document: vscode.TextDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly deps: ItemEditorDeps,
    private readonly onDispose: () => void,
  ) {
    super();
    panel.webview.options = webviewOptions(deps.extensionUri);
    panel.iconPath = panelIcon(deps.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, { bundle: 'item', title: 'Item' });
    // One message at a time, in the order sent: a save asked for after typing comes after its edit.
    this.register(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        this.queue = this.queue.then(() => this.receive(raw)).catch((e: unknown) => deps.log.error('Item editor: handling a message failed:', errorDetail(e)));
      }),
    );
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === document && e.contentChanges.length > 0) this.scheduleRedraw();
      }),
    );
    this.register(deps.index.onDidChange(() => this.scheduleRedraw()));
    this.register(deps.codeRefs.onDidChange(() => this.scheduleRedraw()));
    this.register(panel.onDidChangeViewState(() => panel.visible && this.scheduleRedraw()));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** Handles a message from the page; public so that tests can send what a page would. */
  async receive(raw: unknown): Promise<void> {
    const request = parseItemRequest(raw);
    if (isRefused(request)) {
      this.deps.log.warn(`Item editor: ignored a message from the page (${request.error}).`);
      return;
    }
    if (isPageRequest<ItemOptions, ItemOwnRequest>(request)) {
      if (request.type === 'drawn') for (const w of this.drawnWaiters.splice(0)) w();
      else this.postState();
      return;
    }
    await this.handle(request);
  }

  /** Resolves once the page has drawn the next state. */
  whenDrawn(): Promise<void> {
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  private async handle(request: ItemOwnRequest): Promise<void> {
    switch (request.type) {
      case 'setField':
        await this.setField(request.key, request.value);
        return;
      case 'check':
        await this.edit({ kind: 'check', list: request.list, index: request.index, checked: request.checked });
        return;
      case 'checkText':
        await this.edit({ kind: 'checkText', list: request.list, index: request.index, text: request.text });
        return;
      case 'checkAdd':
        await this.edit({ kind: 'checkAdd', list: request.list, text: request.text });
        return;
      case 'checkRemove':
        await this.edit({ kind: 'checkRemove', list: request.list, index: request.index });
        return;
      case 'checkMove':
        await this.edit({ kind: 'checkMove', list: request.list, index: request.index, to: request.to });
        return;
      case 'setSection':
        await this.edit({ kind: 'section', section: request.section, content: request.content });
        return;
      case 'openText':
        await openAsText(this.document.uri, this.panel.viewColumn);
        return;
      case 'save':
        await this.document.save();
        return;
      case 'openItem': {
        const item = this.backlog()?.item(request.id);
        if (!item) return void this.announce(`${request.id} is not in the backlog.`);
        await openItem(this.deps.ws.toUri(item.path), { line: item.fieldLines.title ?? 0 });
        return;
      }
      case 'openTodo': {
        const todo = this.todos[request.ref];
        if (!todo) return;
        await vscode.window.showTextDocument(todo.uri, { preview: true, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(todo.line, 0, todo.line, 0) });
        return;
      }
      default: {
        const never: never = request;
        this.deps.log.warn(`Item editor: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  /** A field of the form; the core decides which key of the file holds it (`release` or `milestone`…). */
  private async setField(key: string, value: string | string[]): Promise<void> {
    let written: FieldValue = value;
    if (key === 'estimate' && typeof value === 'string' && value.trim() !== '') {
      written = Number(value);
      if (!Number.isFinite(written)) return void this.refuse(`The estimate must be a number, not "${value}".`);
    }
    await this.edit({ kind: 'field', key, value: written });
  }

  /** Applies one change of the form to the document: one WorkspaceEdit, one undo step. */
  async edit(change: ItemEdit): Promise<boolean> {
    const backlog = this.backlog();
    if (!backlog) return this.refuse('This file is not in a backlog that Backlog Atlas reads.');
    // Computed and applied without a pause in between: the edit is for the text as it is now.
    const r = itemTextEdit(this.document.getText(), change, backlog);
    if (!r.ok) return this.refuse(r.message);
    if (!r.edit) {
      this.postState();
      return true;
    }
    const start = this.document.positionAt(r.edit.offset);
    const end = this.document.positionAt(r.edit.offset + r.edit.length);
    const we = new vscode.WorkspaceEdit();
    we.replace(this.document.uri, new vscode.Range(start, end), r.edit.newText);
    const applied = await vscode.workspace.applyEdit(we);
    if (!applied) return this.refuse('VS Code did not apply the change.');
    this.postState();
    return true;
  }

  private backlog() {
    const path = this.deps.ws.toPath(this.document.uri);
    return path !== undefined ? this.deps.index.backlogFor(path) : undefined;
  }

  model(): ItemModel {
    const path = this.deps.ws.toPath(this.document.uri);
    const backlog = path !== undefined ? this.deps.index.backlogFor(path) : undefined;
    if (path === undefined || !backlog) {
      return { kind: 'problems', problems: [{ line: 1, column: 1, message: 'This file is not in a backlog that Backlog Atlas reads; open it as text.' }], text: this.document.getText() };
    }
    let history = this.deps.history.current(backlog);
    if (!history && !this.deps.history.isLoading(backlog)) {
      void this.deps.history.refresh(backlog).then((changed) => changed && this.scheduleRedraw(), () => undefined);
    }
    if (history === undefined && !vscode.workspace.isTrusted) history = { items: new Map(), source: 'none', commits: 0, detail: 'History is read from git in a trusted workspace only.' };
    return buildItemModel({
      path,
      text: this.document.getText(),
      backlog,
      todosOf: (id) => {
        const todos = this.deps.codeRefs.byItem(id);
        this.todos = todos.map((t) => ({ uri: t.uri, line: t.line }));
        return todos.map((t) => ({ where: `${vscode.workspace.asRelativePath(t.uri)}:${t.line + 1}`, text: t.text }));
      },
      history,
    });
  }

  private postState(): void {
    if (this.disposed) return;
    const model = this.model();
    this.lastModel = model;
    this.panel.title = model.kind === 'form' ? `${model.id} ${model.title}` : (this.document.uri.path.split('/').pop() ?? 'Item');
    void this.panel.webview.postMessage({ type: 'state', model, options: DEFAULT_ITEM_OPTIONS });
  }

  private announce(message: string): void {
    if (!this.disposed) void this.panel.webview.postMessage({ type: 'announce', message });
  }

  private refuse(message: string): false {
    this.deps.log.info(`Item editor: ${message}`);
    void vscode.window.showWarningMessage(message);
    this.announce(message);
    this.postState();
    return false;
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      if (this.panel.visible && !this.disposed) this.postState();
    }, REDRAW_DELAY_MS);
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.onDispose();
  }
}
