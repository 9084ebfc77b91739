import * as vscode from 'vscode';
import type { Clock } from '../../core/clock';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { BacklogWriter, formatDate } from '../../core/writer';
import { isPageRequest, isRefused, PageOptions, PageRequest, PageUpdate, parsePageState, Refused } from '../../protocol/page';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import { errorDetail } from '../../core/text';
import { EditApplier } from '../platform/editApplier';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';
import { saveExport } from '../platform/exportFile';
import { panelIcon, webviewHtml, webviewOptions } from '../platform/webviewHtml';
import { openItem } from '../editors/openItem';
import { Item } from '../../core/types';

/**
 * A file format a panel exports to: its extension, its name in menus, and how to write it
 * (text, bytes, or later: a PNG is drawn by the page; undefined when that failed and was said).
 */
export interface ExportFormat<Model, Options> {
  ext: string;
  label: string;
  write(model: Model, options: Options): string | Uint8Array | undefined | Promise<string | Uint8Array | undefined>;
}

/** Index changes arrive in bursts (a checkout, a save of several files); one redraw follows. */
const REDRAW_DELAY_MS = 150;

/**
 * Where a page lives: an editor tab (a `WebviewPanel`) or a view that the user can put in a side
 * bar or the panel (a `WebviewView`). The host controller talks to either through this.
 */
export interface PageSurface {
  readonly webview: vscode.Webview;
  /** For the log. */
  readonly title: string;
  readonly visible: boolean;
  readonly onDidDispose: vscode.Event<void>;
  reveal(preserveFocus?: boolean): void;
  /** Closes an editor tab; a view stays where the user put it, so for a view this does nothing. */
  dispose(): void;
}

/** An editor tab as a page's surface. */
export function panelSurface(panel: vscode.WebviewPanel): PageSurface {
  return {
    webview: panel.webview,
    get title() {
      return panel.title;
    },
    get visible() {
      return panel.visible;
    },
    onDidDispose: panel.onDidDispose,
    reveal: (preserveFocus) => panel.reveal(undefined, preserveFocus),
    dispose: () => panel.dispose(),
  };
}

/** A webview view (the Backlog container, the panel, or the secondary side bar) as a page's surface. */
export function viewSurface(view: vscode.WebviewView, fallbackTitle: string): PageSurface {
  return {
    webview: view.webview,
    get title() {
      return view.title ?? fallbackTitle;
    },
    get visible() {
      return view.visible;
    },
    onDidDispose: view.onDidDispose,
    reveal: (preserveFocus) => view.show(preserveFocus),
    dispose: () => undefined,
  };
}

export interface PanelDeps {
  index: BacklogIndex;
  writer: BacklogWriter;
  applier: EditApplier;
  ws: VscodeWorkspace;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** What day it is (the extension's one clock). */
  clock: Clock;
}

/**
 * What every backlog webview panel shares: the page, the message loop, a redraw after index
 * changes, the backlog root it shows, and opening files at a line. The base answers the
 * envelope's messages (src/protocol/page.ts); a subclass checks every message (`parseRequest`),
 * acts on its own (`handle`) and builds its model (`model`). `OwnUpdate` is what only this
 * panel's host sends its page.
 */
export abstract class BacklogPanel<Options extends PageOptions, Model, OwnRequest extends { type: string }, OwnUpdate extends { type: string } = never> extends Disposable {
  /** The last model sent, for tests, menus and exports. */
  lastModel: Model | undefined;
  /** Whether the page has painted a state yet (a new page has not, and cannot answer requests). */
  protected hasDrawn = false;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private drawnWaiters: { until: (cards: number) => boolean; resolve: (cards: number) => void }[] = [];

  constructor(
    protected readonly surface: PageSurface,
    protected readonly deps: PanelDeps,
    protected options: Options,
    page: { bundle: string; title: string },
    private readonly onDispose: () => void,
  ) {
    super();
    const webview = surface.webview;
    webview.options = webviewOptions(deps.extensionUri);
    webview.html = webviewHtml(webview, deps.extensionUri, page);
    this.register(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw).catch((e: unknown) => deps.log.error(`${page.title}: handling a message failed:`, errorDetail(e)))));
    this.register(deps.index.onDidChange(() => this.scheduleRedraw()));
    this.register(surface.onDidDispose(() => this.dispose()));
  }

  /** Checks a message from the page: everything it sends is `unknown` until this has said so. */
  protected abstract parseRequest(raw: unknown): PageRequest<Options> | OwnRequest | Refused;

  /** Acts on a checked message that is the panel's own (not `ready`, `setOptions` or `drawn`). */
  protected abstract handle(request: OwnRequest): Promise<void>;

  /** Handles a message from the page; public so that tests can send what a page would. */
  async receive(raw: unknown): Promise<void> {
    const request = this.parseRequest(raw);
    if (isRefused(request)) {
      this.deps.log.warn(`${this.surface.title}: ignored a message from the page (${request.error}).`);
      return;
    }
    if (!isPageRequest<Options, OwnRequest>(request)) {
      await this.handle(request);
      return;
    }
    switch (request.type) {
      case 'ready':
        this.postState();
        return;
      case 'setOptions':
        this.options = request.options;
        this.postState();
        return;
      case 'drawn':
        this.drawn(request.cards, request.ms);
        return;
    }
  }

  /** Builds the model for the current options; undefined when the workspace has no backlog. */
  abstract model(): Model | undefined;

  /** What the panel exports to, by the format names its page and command use; and the file's name. */
  protected abstract readonly exports: { name: string; what: string; formats: Record<string, ExportFormat<Model, Options>> };

  /** Writes what the panel shows to a file the user picks (or `target`); asks for a format without one. */
  async export(format: string | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const model = this.model();
    const backlog = this.backlog();
    if (model === undefined || !backlog) {
      void vscode.window.showInformationMessage('There is no backlog to export.');
      return undefined;
    }
    const { name, what, formats } = this.exports;
    let chosen = format !== undefined && Object.hasOwn(formats, format) ? format : undefined;
    if (chosen === undefined) {
      const pick = await vscode.window.showQuickPick(
        Object.entries(formats).map(([key, f]) => ({ label: f.label, key })),
        { title: `Export the ${what.toLowerCase()} as` },
      );
      if (!pick) return undefined;
      chosen = pick.key;
    }
    const f = formats[chosen];
    const data = await f.write(model, this.options);
    if (data === undefined) return undefined;
    return saveExport(this.deps, backlog, { name, ext: f.ext, label: f.label, what, data }, target);
  }

  /** Sends the whole state: after `ready`, an option change, or a change of the backlog. */
  protected postState(): void {
    if (this.disposed) return;
    this.postModel(this.model());
  }

  /** Sends the state with a model built for the current options (over several turns, by a panel that must). */
  protected postModel(model: Model | undefined): void {
    if (this.disposed) return;
    if (model === undefined) {
      this.announce('This workspace has no backlog yet. Run "Backlog: Initialize Backlog" to start one.');
      return;
    }
    this.lastModel = model;
    this.post({ type: 'state', model, options: this.options });
  }

  /** Draws again from the current index and clock (the clock moved; nothing in the index did). */
  redraw(): void {
    this.postState();
  }

  get currentOptions(): Options {
    return this.options;
  }

  reveal(): void {
    this.surface.reveal();
  }

  /**
   * Resolves with the number of cards once the page has drawn the next state, or the next one
   * whose card count `until` accepts. A waiter that counts paints one by one could miss one: two
   * `drawn` messages that reach the host together are handled before its code runs again.
   */
  whenDrawn(until: (cards: number) => boolean = () => true): Promise<number> {
    return new Promise((resolve) => this.drawnWaiters.push({ until, resolve }));
  }

  /** The page painted a state: tests wait for it, and the log keeps the time it took. */
  private drawn(cards: number, ms: number): void {
    this.hasDrawn = true;
    this.deps.log.trace(`${this.surface.title} drawn: ${cards} cards in ${Math.round(ms)} ms.`);
    const waiting = this.drawnWaiters;
    this.drawnWaiters = [];
    for (const w of waiting) {
      if (w.until(cards)) w.resolve(cards);
      else this.drawnWaiters.push(w);
    }
  }

  protected post(message: PageUpdate<Model, Options> | OwnUpdate): void {
    if (!this.disposed) void this.surface.webview.postMessage(message);
  }

  /** A sentence for screen readers on the page (its live region). */
  protected announce(message: string): void {
    this.post({ type: 'announce', message });
  }

  /** Tells the user why something was not done: a warning, the log, and the page's live region. */
  protected refuse(message: string): false {
    this.deps.log.info(`${this.surface.title}: ${message}`);
    void vscode.window.showWarningMessage(message);
    this.announce(message);
    return false;
  }

  /** The backlog the options name, or the first one. */
  protected backlog(): Backlog | undefined {
    const roots = this.deps.index.roots();
    return roots.find((b) => this.rootName(b) === this.options.root) ?? roots[0];
  }

  protected rootName(b: Backlog): string {
    return vscode.workspace.asRelativePath(this.deps.ws.toUri(b.root), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }

  protected rootNames(): string[] {
    return this.deps.index.roots().map((b) => this.rootName(b));
  }

  protected today(): string {
    return formatDate(this.deps.clock.now());
  }

  /** Redraws once a burst of changes is over, if the page is visible. */
  protected scheduleRedraw(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      // A hidden page is not kept alive; it asks again with `ready` when it is shown.
      if (this.surface.visible && !this.disposed) this.postState();
    }, REDRAW_DELAY_MS);
  }

  /** Opens an item beside the panel: in the item editor, or as text on its title line (`backlogAtlas.openItemsInEditor`). */
  protected async openItem(item: Item): Promise<void> {
    await openItem(this.deps.ws.toUri(item.path), { viewColumn: vscode.ViewColumn.Beside, line: item.fieldLines.title ?? 0 });
  }

  /** Opens a file beside the panel with the cursor on `line` (or on the first line matching `find`). */
  protected async openAt(path: string, line: number, find?: RegExp): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.deps.ws.toUri(path));
    const found = find ? doc.getText().split(/\r?\n/).findIndex((l) => find.test(l)) : -1;
    const at = new vscode.Position(Math.max(0, Math.min(found >= 0 ? found : line, doc.lineCount - 1)), 0);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at) });
  }

  /** Closes the panel, whether the user closed its tab or the extension closes it. */
  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    // The manager forgets this panel either way, so that "Open" makes a new one.
    this.onDispose();
    this.surface.dispose();
  }
}

/**
 * One panel of a kind per window: its "open" command, and the serializer that brings it back
 * after a reload with the options the page saved.
 */
export class PanelManager<P extends BacklogPanel<PageOptions, unknown, { type: string }, { type: string }>, Options> extends Disposable {
  private panel: P | undefined;

  constructor(
    private readonly spec: {
      viewType: string;
      title: string;
      openCommand: string;
      log: vscode.LogOutputChannel;
      extensionUri: vscode.Uri;
      defaults: Options;
      parseOptions: (raw: unknown) => Options;
      create: (webviewPanel: vscode.WebviewPanel, options: Options, onDispose: () => void) => P;
      /** "Export …" from the palette: a format name and a target may be passed (tests, scripts). A panel without exports has none. */
      exportCommand?: string;
    },
  ) {
    super();
    this.register(registerCommand(spec.log, spec.openCommand, `Open ${spec.title}`, () => this.show()));
    if (spec.exportCommand !== undefined) {
      this.register(
        registerCommand(spec.log, spec.exportCommand, `Export ${spec.title}`, async (format?: unknown, target?: unknown) => {
          const panel = this.panel ?? this.show();
          await panel.export(typeof format === 'string' ? format : undefined, target instanceof vscode.Uri ? target : undefined);
        }),
      );
    }
    this.register(
      vscode.window.registerWebviewPanelSerializer(spec.viewType, {
        // The state is whatever the page last saved: unknown until checked.
        deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
          this.adopt(webviewPanel, parsePageState(state, spec.parseOptions));
        },
      }),
    );
  }

  /** The open panel, for tests and commands. */
  get current(): P | undefined {
    return this.panel;
  }

  show(): P {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const webviewPanel = vscode.window.createWebviewPanel(this.spec.viewType, this.spec.title, vscode.ViewColumn.Active, webviewOptions(this.spec.extensionUri));
    return this.adopt(webviewPanel, this.spec.defaults);
  }

  private adopt(webviewPanel: vscode.WebviewPanel, options: Options): P {
    this.panel?.dispose();
    webviewPanel.iconPath = panelIcon(this.spec.extensionUri);
    const panel = this.spec.create(webviewPanel, options, () => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  override dispose(): void {
    this.panel?.dispose();
    super.dispose();
  }
}
