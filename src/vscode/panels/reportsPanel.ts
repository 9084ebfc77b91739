import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { BacklogHistory, Timeline, timelineSteps } from '../../core/history/history';
import { joinPath } from '../../core/workspace';
import { burndownCsv, chartSvg, DARK_PALETTE, LIGHT_PALETTE, releaseCsv, velocityCsv } from '../../views/reports/reportExport';
import { reportsModelSteps } from '../../views/reports/reportsModel';
import { prepareTimelineSteps } from '../../core/figures/timeline';
import { finish, Steps } from '../../core/steps';
import {
  ChartPalette,
  DEFAULT_REPORTS_OPTIONS,
  HistoryStatus,
  parseReportsOptions,
  parseReportsRequest,
  ReportsModel,
  ReportsOptions,
  ReportsOwnRequest,
  ReportsOwnUpdate,
  ReportsRequest,
} from '../../protocol/reportsProtocol';
import { Refused } from '../../protocol/page';
import { BacklogPanel, ExportFormat, PanelDeps, PanelManager, PageSurface, panelSurface } from './backlogPanel';
import { registerCommand } from '../platform/commands';
import { GitHistoryReader } from './gitHistoryReader';
import { asNode } from '../../views/trees/treeNodes';
import { errorMessage } from '../../core/text';

export const REPORTS_VIEW_TYPE = 'backlogAtlas.reports';
/** How long the page may take to draw a PNG before the export gives up and says so. */
const PNG_TIMEOUT_MS = 20_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** "Backlog: Open Reports" and "Backlog: Export Report…": one reports panel per window. */
export type ReportsPanels = PanelManager<ReportsPanel, ReportsOptions>;

export function createReportsPanels(deps: PanelDeps, history: GitHistoryReader): ReportsPanels {
  return new PanelManager({
    viewType: REPORTS_VIEW_TYPE,
    title: 'Reports',
    openCommand: 'backlogAtlas.openReports',
    exportCommand: 'backlogAtlas.exportReport',
    log: deps.log,
    extensionUri: deps.extensionUri,
    defaults: DEFAULT_REPORTS_OPTIONS,
    parseOptions: parseReportsOptions,
    create: (webviewPanel, options, onDispose) => new ReportsPanel(panelSurface(webviewPanel), deps, history, options, onDispose),
  });
}

/** "Show Burndown" on a sprint's row and "Show Release Burn-up" on a release's: the panel, on that one. */
export function registerReportCommands(panels: ReportsPanels, log: vscode.LogOutputChannel): vscode.Disposable {
  const show = (report: 'burndown' | 'release', kind: 'sprint' | 'release') => async (arg: unknown) => {
    const node = asNode(arg);
    if (node?.kind !== kind) return;
    panels.show().showReport(kind === 'sprint' ? { report, sprint: node.id } : { report, release: node.id }, node.root);
  };
  return vscode.Disposable.from(
    registerCommand(log, 'backlogAtlas.showBurndown', 'Show Burndown', show('burndown', 'sprint')),
    registerCommand(log, 'backlogAtlas.showReleaseBurnup', 'Show Release Burn-up', show('release', 'release')),
  );
}

/** The weekdays the team does not work, from the setting; junk entries are ignored. */
export function nonWorkingDays(): number[] {
  const raw = vscode.workspace.getConfiguration('backlogAtlas.reports').get<unknown>('nonWorkingDays', ['saturday', 'sunday']);
  if (!Array.isArray(raw)) return [0, 6];
  return [...new Set(raw.map((d) => WEEKDAYS.indexOf(String(d).toLowerCase())).filter((d) => d >= 0))].sort();
}

export class ReportsPanel extends BacklogPanel<ReportsOptions, ReportsModel, ReportsOwnRequest, ReportsOwnUpdate> {
  /** The theme's colours as the page last sent them; the theme's kind decides until then. */
  private palette: ChartPalette | undefined;
  private nextPng = 1;
  private readonly pngWaiters = new Map<number, (png: Uint8Array | undefined) => void>();
  /**
   * The timeline of the last model, kept until the index, the history or the day changes: it
   * snapshots every item, which a 10,000-item backlog should not pay on each option change.
   */
  private timelineCache: { backlog: Backlog; history: BacklogHistory | undefined; today: string; timeline: Timeline } | undefined;
  /** The next turn of a state whose model is being built (see `postState`). */
  private pendingPost: ReturnType<typeof setImmediate> | undefined;

  constructor(
    surface: PageSurface,
    deps: PanelDeps,
    private readonly history: GitHistoryReader,
    options: ReportsOptions,
    onDispose: () => void,
  ) {
    super(surface, deps, options, { bundle: 'reports', title: 'Reports' }, onDispose);
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backlogAtlas.reports')) this.postState();
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.postState()));
    this.register(
      deps.index.onDidChange(() => {
        this.timelineCache = undefined;
        // A model half built over the backlog as it was: the redraw that follows builds it anew.
        this.cancelPost();
      }),
    );
  }

  protected get exports(): { name: string; what: string; formats: Record<string, ExportFormat<ReportsModel, ReportsOptions>> } {
    const m = this.lastModel;
    const name = m?.burndown ? `${m.burndown.sprintId}-burndown` : m?.release ? `${m.release.releaseId}-${this.options.releaseMode === 'burndown' ? 'burndown' : 'burn-up'}` : 'velocity';
    return {
      name: name.toLowerCase(),
      what: 'Report',
      formats: {
        svg: { ext: 'svg', label: 'SVG', write: (model) => (model.chart ? chartSvg(model.chart, this.exportPalette(), chartTitle(model, this.options)) : this.nothingToExport()) },
        png: { ext: 'png', label: 'PNG', write: (model) => (model.chart ? this.requestPng() : this.nothingToExport()) },
        csv: { ext: 'csv', label: 'CSV (the figures)', write: (model) => csvOf(model) ?? this.nothingToExport() },
      },
    };
  }

  protected override parseRequest(raw: unknown): ReportsRequest | Refused {
    return parseReportsRequest(raw);
  }

  protected override async handle(request: ReportsOwnRequest): Promise<void> {
    switch (request.type) {
      case 'open':
        await this.open(request.ref);
        return;
      case 'export':
        if (Object.keys(request.palette).length > 0) this.palette = request.palette;
        await this.export(request.format);
        return;
      case 'png':
        this.pngWaiters.get(request.id)?.(decodePng(request.data));
        return;
      case 'pngFailed':
        this.deps.log.warn(`Reports: the page could not draw the PNG (${request.reason}).`);
        this.pngWaiters.get(request.id)?.(undefined);
        return;
      default: {
        const never: never = request;
        this.deps.log.warn(`Reports: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  override model(options: ReportsOptions = this.options): ReportsModel | undefined {
    return finish(this.modelSteps(options));
  }

  /** The model in steps (core/steps.ts): the timeline when it is not kept, what figures read of it, then the report. */
  private *modelSteps(options: ReportsOptions): Steps<ReportsModel | undefined> {
    const backlog = this.backlog();
    if (!backlog) return undefined;
    const history = this.history.current(backlog);
    const status: HistoryStatus = history ? { source: history.source, detail: history.detail } : { source: 'loading', detail: 'Reading the git history of the backlog folder…' };
    const today = this.today();
    let timeline: Timeline;
    const c = this.timelineCache;
    if (c && c.backlog === backlog && c.history === history && c.today === today) timeline = c.timeline;
    else {
      timeline = yield* timelineSteps(backlog, history, today);
      this.timelineCache = { backlog, history, today, timeline };
    }
    // Nothing to do unless the timeline is new, or the turns that were preparing it were cut short.
    yield* prepareTimelineSteps(timeline);
    return yield* reportsModelSteps(backlog, options, {
      today,
      roots: this.rootNames(),
      root: this.rootName(backlog),
      timeline,
      hasHistory: history?.source === 'git' && history.commits > 0,
      historyStatus: status,
      nonWorkingDays: nonWorkingDays(),
    });
  }

  /** Shows one report (from a tree row): `root` is the backlog root path the row belongs to. */
  showReport(change: Partial<ReportsOptions>, root?: string): void {
    const backlog = root === undefined ? undefined : this.deps.index.roots().find((b) => b.root === root);
    this.options = { ...this.options, ...change, ...(backlog ? { root: this.rootName(backlog) } : {}) };
    this.reveal();
    this.postState();
  }

  /**
   * Every state goes out once its model is built, one step per turn of the event loop: at 10,000
   * items the timeline, what figures read of it and a release's burn-up each take 30–80 ms while
   * the code is still cold, far longer than the 50 ms a keystroke can wait (docs/benchmarks.md,
   * the Reports panel). A new state drops the one still being built. When the git history then
   * turns out to have moved, the state goes out once more.
   */
  protected override postState(): void {
    this.postStateInSteps(true);
  }

  private postStateInSteps(readHistory: boolean): void {
    this.cancelPost();
    if (this.disposed) return;
    const steps = this.modelSteps(this.options);
    const turn = () => {
      this.pendingPost = undefined;
      const r = steps.next();
      if (!r.done) {
        this.pendingPost = setImmediate(turn);
        return;
      }
      this.postModel(r.value);
      if (readHistory) this.readHistory();
    };
    turn();
  }

  private cancelPost(): void {
    if (this.pendingPost) clearImmediate(this.pendingPost);
    this.pendingPost = undefined;
  }

  private readHistory(): void {
    const backlog = this.backlog();
    if (!backlog || this.disposed) return;
    this.history.refresh(backlog).then(
      (changed) => {
        // A new history makes a new timeline: built in steps like any other state.
        if (changed) this.postStateInSteps(false);
      },
      (e: unknown) => this.deps.log.warn('Reports: reading the git history failed:', errorMessage(e)),
    );
  }

  /** Resolves once the git history (if any) is read and the page has drawn with it; for tests. */
  async whenHistoryRead(): Promise<void> {
    const backlog = this.backlog();
    if (backlog) await this.history.refresh(backlog);
  }

  private exportPalette(): ChartPalette {
    if (this.palette) return this.palette;
    const kind = vscode.window.activeColorTheme.kind;
    return kind === vscode.ColorThemeKind.Dark || kind === vscode.ColorThemeKind.HighContrast ? DARK_PALETTE : LIGHT_PALETTE;
  }

  private nothingToExport(): undefined {
    void vscode.window.showInformationMessage('This report has nothing to export yet.');
    return undefined;
  }

  /** Asks the page to draw the chart as PNG (only it has the canvas and the theme's fonts). */
  private async requestPng(): Promise<Uint8Array | undefined> {
    if (!this.surface.visible || !this.hasDrawn) {
      // A hidden page is not running, and a new one has not drawn yet: showing it makes it ask
      // for the state and draw, and only then can it draw the PNG.
      const drawn = this.whenDrawn();
      this.surface.reveal(true);
      await Promise.race([drawn, new Promise((r) => setTimeout(r, PNG_TIMEOUT_MS))]);
    }
    const id = this.nextPng++;
    const png = await new Promise<Uint8Array | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.pngWaiters.delete(id);
        resolve(undefined);
      }, PNG_TIMEOUT_MS);
      this.pngWaiters.set(id, (data) => {
        clearTimeout(timer);
        this.pngWaiters.delete(id);
        resolve(data);
      });
      this.post({ type: 'renderPng', id });
    });
    if (!png) void vscode.window.showWarningMessage('The chart could not be drawn as PNG; the Backlog Atlas log says why. SVG export works without the page.');
    return png;
  }

  private async open(ref: { kind: 'item' | 'sprint' | 'release'; id: string }): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    if (ref.kind === 'item') {
      const item = backlog.item(ref.id);
      if (item) await this.openItem(item);
      else this.refuse(`${ref.id} is no longer in the backlog.`);
    } else if (ref.kind === 'sprint') {
      const sprint = backlog.sprint(ref.id);
      if (sprint) await this.openAt(joinPath(backlog.root, 'sprints.yml'), sprint.line);
    } else {
      const release = backlog.release(ref.id);
      if (release) await this.openAt(release.path, release.line);
    }
  }

  override dispose(): void {
    this.cancelPost();
    for (const w of [...this.pngWaiters.values()]) w(undefined);
    super.dispose();
  }
}

/** A PNG from the page: base64 of a file that starts like a PNG, or nothing. */
export function decodePng(data: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length < 64 || !PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return undefined;
  return new Uint8Array(bytes);
}

function chartTitle(m: ReportsModel, o: ReportsOptions): string {
  if (m.burndown) return `${m.burndown.name} burndown`;
  if (m.release) return `${m.release.name} ${o.releaseMode === 'burndown' ? 'burndown' : 'burn-up'}`;
  return `${m.projectName} velocity`;
}

function csvOf(m: ReportsModel): string | undefined {
  if (m.burndown) return burndownCsv(m.burndown);
  if (m.release) return releaseCsv(m.release);
  if (m.velocity && m.velocity.sprints.length > 0) return velocityCsv(m.velocity);
  return undefined;
}
