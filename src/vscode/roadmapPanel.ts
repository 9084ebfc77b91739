import * as vscode from 'vscode';
import { Backlog } from '../core/backlog';
import { BacklogIndex } from '../core/backlogIndex';
import { horizonLabel } from '../core/horizon';
import { roadmapHtml, roadmapMarkdown, roadmapSvg } from '../core/roadmapExport';
import { buildRoadmapModel, roadmapTheme } from '../core/roadmapModel';
import { BacklogWriter, formatDate } from '../core/writer';
import { joinPath } from '../core/workspace';
import { DEFAULT_ROADMAP_OPTIONS, parseRoadmapOptions, parseRoadmapRequest, RoadmapModel, RoadmapOptions, RoadmapRef, RoadmapRequest, RoadmapUpdate } from '../protocol/roadmapProtocol';
import { registerGuarded } from './backlogCommands';
import { EditApplier } from './editApplier';
import { VscodeWorkspace } from './vscodeWorkspace';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const ROADMAP_VIEW_TYPE = 'backlogAtlas.roadmap';
/** Index changes arrive in bursts (a checkout, a save of several files); one redraw follows. */
const REDRAW_DELAY_MS = 150;

export interface RoadmapPanelDeps {
  index: BacklogIndex;
  writer: BacklogWriter;
  applier: EditApplier;
  ws: VscodeWorkspace;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** Today as an ISO date; tests pin it. */
  today?: () => string;
}

type ExportFormat = 'markdown' | 'html' | 'svg';
const EXPORTS: Record<ExportFormat, { ext: string; label: string }> = {
  markdown: { ext: 'md', label: 'Markdown' },
  html: { ext: 'html', label: 'HTML' },
  svg: { ext: 'svg', label: 'SVG' },
};

/**
 * "Backlog: Open Roadmap": one roadmap panel per window, brought back after a reload by a panel
 * serializer. The panel holds the user's options; the model is rebuilt from the index whenever
 * either changes, and sent whole (a roadmap is small next to a message channel).
 */
export class RoadmapPanels implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private panel: RoadmapPanel | undefined;

  constructor(private readonly deps: RoadmapPanelDeps) {
    this.disposables.push(
      registerGuarded(deps.log, 'backlogAtlas.openRoadmap', 'Open Roadmap', async () => {
        this.show();
      }),
      registerGuarded(deps.log, 'backlogAtlas.exportRoadmap', 'Export Roadmap', async (format?: unknown, target?: unknown) => {
        const panel = this.panel ?? this.show();
        await panel.export(isExportFormat(format) ? format : undefined, target instanceof vscode.Uri ? target : undefined);
      }),
      vscode.window.registerWebviewPanelSerializer(ROADMAP_VIEW_TYPE, {
        // The state is whatever the page last saved: unknown until checked.
        deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
          const saved = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).options : undefined;
          this.adopt(webviewPanel, parseRoadmapOptions(saved));
        },
      }),
    );
  }

  /** The open panel, for tests and the export command. */
  get current(): RoadmapPanel | undefined {
    return this.panel;
  }

  show(): RoadmapPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const webviewPanel = vscode.window.createWebviewPanel(ROADMAP_VIEW_TYPE, 'Roadmap', vscode.ViewColumn.Active, { ...webviewOptions(this.deps.extensionUri) });
    return this.adopt(webviewPanel, DEFAULT_ROADMAP_OPTIONS);
  }

  private adopt(webviewPanel: vscode.WebviewPanel, options: RoadmapOptions): RoadmapPanel {
    this.panel?.dispose();
    const panel = new RoadmapPanel(webviewPanel, this.deps, options, () => {
      if (this.panel === panel) this.panel = undefined;
    });
    this.panel = panel;
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function isExportFormat(v: unknown): v is ExportFormat {
  return v === 'markdown' || v === 'html' || v === 'svg';
}

export class RoadmapPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** The last model sent, for tests and exports. */
  lastModel: RoadmapModel | undefined;
  /** Resolves the next time the page reports that it has drawn a state. */
  private drawnWaiters: ((cards: number) => void)[] = [];

  constructor(
    private readonly webviewPanel: vscode.WebviewPanel,
    private readonly deps: RoadmapPanelDeps,
    private options: RoadmapOptions,
    onDispose: () => void,
  ) {
    const webview = webviewPanel.webview;
    webview.options = webviewOptions(deps.extensionUri);
    webviewPanel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'backlog.svg');
    webview.html = webviewHtml(webview, deps.extensionUri, { bundle: 'roadmap', title: 'Roadmap' });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw).catch((e: unknown) => deps.log.error('Roadmap: handling a message failed:', e instanceof Error ? (e.stack ?? e.message) : String(e)))),
      deps.index.onDidChange(() => this.scheduleRedraw()),
      webviewPanel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  get currentOptions(): RoadmapOptions {
    return this.options;
  }

  reveal(): void {
    this.webviewPanel.reveal();
  }

  /** Resolves with the number of cards once the page has drawn the next state. */
  whenDrawn(): Promise<number> {
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  /** Handles a message from the page; public so that tests can send what a page would. */
  async receive(raw: unknown): Promise<void> {
    const request = parseRoadmapRequest(raw);
    if ('error' in request) {
      this.deps.log.warn(`Roadmap: ignored a message from the page (${request.error}).`);
      return;
    }
    await this.handle(request);
  }

  private async handle(request: RoadmapRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        this.postState();
        return;
      case 'setOptions':
        this.options = request.options;
        this.postState();
        return;
      case 'open':
        await this.open(request.ref);
        return;
      case 'move':
        await this.move(request.ref, request.horizon);
        return;
      case 'moveMenu':
        await this.moveMenu(request.ref);
        return;
      case 'export':
        await this.export(request.format);
        return;
      case 'openLink':
        await vscode.env.openExternal(vscode.Uri.parse(request.url, true));
        return;
      case 'drawn':
        this.deps.log.trace(`Roadmap drawn: ${request.cards} cards in ${Math.round(request.ms)} ms.`);
        for (const w of this.drawnWaiters.splice(0)) w(request.cards);
        return;
      default: {
        const never: never = request;
        this.deps.log.warn(`Roadmap: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  private backlog(): Backlog | undefined {
    const roots = this.deps.index.roots();
    return roots.find((b) => this.rootName(b) === this.options.root) ?? roots[0];
  }

  private rootName(b: Backlog): string {
    return vscode.workspace.asRelativePath(this.deps.ws.toUri(b.root), (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
  }

  private today(): string {
    return this.deps.today?.() ?? formatDate(new Date());
  }

  /** Builds the model for the current options; undefined when the workspace has no backlog. */
  model(options: RoadmapOptions = this.options): RoadmapModel | undefined {
    const backlog = this.backlog();
    if (!backlog) return undefined;
    const roots = this.deps.index.roots().map((b) => this.rootName(b));
    return buildRoadmapModel(backlog, options, { today: this.today(), roots, root: this.rootName(backlog) });
  }

  private post(message: RoadmapUpdate): void {
    void this.webviewPanel.webview.postMessage(message);
  }

  private postState(): void {
    if (this.disposed) return;
    const model = this.model();
    if (!model) {
      this.post({ type: 'announce', message: 'This workspace has no backlog yet. Run "Backlog: Initialize Backlog" to start one.' });
      return;
    }
    this.lastModel = model;
    this.post({ type: 'state', model, options: this.options });
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      // A hidden page is not kept alive; it asks again with `ready` when it is shown.
      if (this.webviewPanel.visible) this.postState();
    }, REDRAW_DELAY_MS);
  }

  private async open(ref: RoadmapRef): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    const roadmapFile = joinPath(backlog.root, 'roadmap.yml');
    let target: { path: string; line: number } | undefined;
    switch (ref.kind) {
      case 'item': {
        const item = backlog.item(ref.id);
        if (item) target = { path: item.path, line: item.fieldLines.title ?? 0 };
        break;
      }
      case 'theme':
        target = lineOf(roadmapFile, backlog.roadmap.themes, ref.id);
        break;
      case 'goal':
        target = lineOf(roadmapFile, backlog.roadmap.goals, ref.id);
        break;
      case 'milestone':
        target = lineOf(roadmapFile, backlog.roadmap.milestones, ref.id);
        break;
      case 'release': {
        const release = backlog.release(ref.id);
        if (release) target = { path: release.path, line: release.line };
        break;
      }
      case 'vision':
        target = { path: roadmapFile, line: -1 };
        break;
    }
    if (!target) {
      this.post({ type: 'announce', message: `${ref.kind === 'vision' ? 'The vision' : ref.id} is no longer in the backlog.` });
      return;
    }
    const doc = await vscode.workspace.openTextDocument(this.deps.ws.toUri(target.path));
    // The vision has no recorded line: find its key, so that the cursor lands on it.
    const line = target.line >= 0 ? target.line : Math.max(0, doc.getText().split(/\r?\n/).findIndex((l) => /^vision\s*:/.test(l)));
    const at = new vscode.Position(Math.min(line, doc.lineCount - 1), 0);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(at, at) });
  }

  /** Moves a theme (its `horizon` in roadmap.yml) or an epic (its own `horizon`) to a horizon. */
  async move(ref: { kind: 'theme' | 'item'; id: string }, horizon: string): Promise<boolean> {
    const backlog = this.backlog();
    if (!backlog) return false;
    const value = horizon === '' ? null : horizon;
    const where = value === null ? 'Unscheduled' : horizonLabel(value);
    let result;
    if (ref.kind === 'theme') {
      const theme = roadmapTheme(backlog, ref.id);
      if (!theme) return this.refuse(`${ref.id} is no longer in roadmap.yml.`);
      result = await this.deps.applier.write(() => this.deps.writer.setThemeHorizon(backlog.root, theme.id, value));
    } else {
      const epic = backlog.item(ref.id);
      if (!epic || epic.type !== 'epic') return this.refuse(`Only epics move on the roadmap; ${ref.id} is ${epic ? `a ${epic.type ?? 'task'}` : 'not in the backlog'}.`);
      const theme = epic.theme !== undefined ? roadmapTheme(backlog, epic.theme) : undefined;
      // Moving an epic to where its theme is means following the theme again: the key goes.
      const own = theme?.horizon !== undefined && theme.horizon === value ? null : value;
      if (own === null && epic.horizon === undefined) {
        this.post({ type: 'announce', message: `${epic.id} is already in ${where}.` });
        return true;
      }
      result = await this.deps.applier.write(() => this.deps.writer.setField(epic.id, 'horizon', own, backlog.root));
    }
    if (!result) {
      this.post({ type: 'announce', message: `${ref.id} was not moved.` });
      return false;
    }
    this.post({ type: 'announce', message: `${ref.id} moved to ${where}.` });
    return true;
  }

  private refuse(message: string): false {
    this.deps.log.info(`Roadmap: ${message}`);
    void vscode.window.showWarningMessage(message);
    this.post({ type: 'announce', message });
    return false;
  }

  private async moveMenu(ref: { kind: 'theme' | 'item'; id: string }): Promise<void> {
    const backlog = this.backlog();
    const model = this.lastModel;
    if (!backlog || !model) return;
    const current = ref.kind === 'theme' ? roadmapTheme(backlog, ref.id)?.horizon : backlog.item(ref.id)?.horizon;
    const title = ref.kind === 'theme' ? roadmapTheme(backlog, ref.id)?.title : backlog.item(ref.id)?.title;
    const picks: (vscode.QuickPickItem & { horizon: string })[] = [...model.moveTargets, ''].map((h) => ({
      horizon: h,
      label: h === '' ? 'Unscheduled' : horizonLabel(h),
      description: (h === '' ? current === undefined : h === current) ? 'current' : undefined,
    }));
    const pick = await vscode.window.showQuickPick(picks, { title: `Move ${ref.id}${title ? ` ${title}` : ''} to…`, placeHolder: 'A horizon or a quarter' });
    if (pick) await this.move(ref, pick.horizon);
  }

  /** Writes the roadmap as the panel shows it (options, filters) to a file the user picks. */
  async export(format: ExportFormat | undefined, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const model = this.model();
    if (!model) {
      void vscode.window.showInformationMessage('There is no backlog to export.');
      return undefined;
    }
    let chosen = format;
    if (!chosen) {
      const pick = await vscode.window.showQuickPick(
        (Object.keys(EXPORTS) as ExportFormat[]).map((f) => ({ label: EXPORTS[f].label, format: f })),
        { title: 'Export the roadmap as' },
      );
      if (!pick) return undefined;
      chosen = pick.format;
    }
    const backlog = this.backlog()!;
    const defaultUri = vscode.Uri.joinPath(this.deps.ws.toUri(backlog.root), '..', `roadmap.${EXPORTS[chosen].ext}`);
    const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri, title: `Export roadmap as ${EXPORTS[chosen].label}`, filters: { [EXPORTS[chosen].label]: [EXPORTS[chosen].ext] } }));
    if (!uri) return undefined;
    const text = chosen === 'markdown' ? roadmapMarkdown(model, this.options) : chosen === 'html' ? roadmapHtml(model, this.options) : roadmapSvg(model, this.options);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    this.deps.log.info(`Roadmap exported to ${uri.toString(true)}.`);
    if (!target) {
      void vscode.window.showInformationMessage(`Roadmap exported to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((a) => {
        if (a === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
      });
    }
    return uri;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    for (const d of this.disposables) d.dispose();
    this.webviewPanel.dispose();
  }
}

function lineOf(path: string, list: readonly { id: string; line: number }[], id: string): { path: string; line: number } | undefined {
  const found = list.find((x) => x.id.toUpperCase() === id.toUpperCase());
  return found ? { path, line: found.line } : undefined;
}
