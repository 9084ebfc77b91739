import * as path from 'path';
import * as vscode from 'vscode';
import { BacklogIndex } from './core/backlogIndex';
import { clockFromSetting, parseClockSpec, SettableClock } from './core/clock';
import { BacklogWriter } from './core/writer';
import { BacklogCommands } from './vscode/commands/backlogCommands';
import { BacklogViews } from './vscode/trees/backlogViews';
import { DiagnosticsPublisher } from './vscode/platform/diagnosticsPublisher';
import { EditApplier } from './vscode/platform/editApplier';
import { IndexScheduler } from './core/indexScheduler';
import { ItemCommands } from './vscode/commands/itemCommands';
import { SettingsCommands } from './vscode/commands/settingsCommands';
import { HealthView } from './vscode/trees/healthView';
import { ItemLinkProvider } from './vscode/commands/itemLinkProvider';
import { codeSelector } from './vscode/todos/todoRefs';
import { ItemSymbolProvider } from './vscode/commands/itemSymbolProvider';
import { createRoadmapPanels, RoadmapPanels } from './vscode/panels/roadmapPanel';
import { createStoryMapPanels, StoryMapPanels } from './vscode/panels/storyMapPanel';
import { BoardPanels, BoardViewProvider, createBoardPanels } from './vscode/panels/boardPanel';
import { GitHistoryReader } from './vscode/panels/gitHistoryReader';
import { ItemEditorProvider } from './vscode/editors/itemEditor';
import { GitProcesses } from './vscode/platform/gitProcess';
import { BranchIdSource } from './vscode/branches/branchIdSource';
import { BranchChangesView } from './vscode/branches/branchChangesView';
import { MergeRepairCommands } from './vscode/branches/mergeRepairCommands';
import { createReportsPanels, registerReportCommands, ReportsPanels } from './vscode/panels/reportsPanel';
import { TechDebtView } from './vscode/trees/techDebtView';
import { UndoCommands } from './vscode/commands/undoCommands';
import { TodoEditorFeatures } from './vscode/todos/todoEditorFeatures';
import { TodoIndex } from './vscode/todos/todoIndex';
import { TodoScanner } from './vscode/todos/todoScanner';
import { VscodeWorkspace } from './vscode/platform/vscodeWorkspace';
import { ExtensionIndexCache, IndexCacheCounts } from './vscode/platform/extensionIndexCache';
import { processesStarted } from './vscode/platform/childProcess';
import { errorDetail } from './core/text';
import { LanguageModelTools } from './vscode/agent/languageModelTools';
import { indexItemLinks, itemLinks, Markdown } from './views/markdownItemLinks';

/** What `activate()` returns: the pieces integration tests (and other extensions) drive. */
export interface ExtensionApi {
  readonly index: BacklogIndex;
  readonly writer: BacklogWriter;
  readonly applier: EditApplier;
  /** The Sprints, Releases and Product Backlog trees, their drag-and-drop and status bar item. */
  readonly views: BacklogViews;
  /** TODO comments in the workspace's code and the items they name. */
  readonly todoIndex: TodoIndex;
  /** The Tech Debt view: debt and bug items with their code references, and unlinked TODOs. */
  readonly techDebt: TechDebtView;
  /** The roadmap webview panel: its command, serializer and the open panel. */
  readonly roadmap: RoadmapPanels;
  /** The story map webview panel. */
  readonly storyMap: StoryMapPanels;
  /** The sprint board webview panel. */
  readonly board: BoardPanels;
  /** The same board as a view (the Backlog container, or wherever the user moved it). */
  readonly boardView: BoardViewProvider;
  /** The reports webview panel: sprint burndown, release burn-up, velocity. */
  readonly reports: ReportsPanels;
  /** The item editor: a form over an item's Markdown file, and the commands that open items in it. */
  readonly itemEditor: ItemEditorProvider;
  /** The Backlog Health view: the 20/30/50 rule and the items to groom. */
  readonly health: HealthView;
  /** The language-model tools for Copilot's agent mode (backlog_list, backlog_update…). */
  readonly agentTools: LanguageModelTools;
  /** VS Code's Markdown preview calls this (`markdown.markdownItPlugins`): item ids become links to the items. */
  extendMarkdownIt(md: Markdown): Markdown;
  /** "Backlog Changes on This Branch": the working tree against the merge base with the base branch. */
  readonly branchChanges: BranchChangesView;
  /**
   * What day it is for every view, panel and write: the system clock, or BACKLOG_ATLAS_NOW
   * (a day, an instant, or `+365d`). Tests move it with `setClock`.
   */
  readonly clock: SettableClock;
  /** Moves the clock (see `parseClockSpec`; `undefined` restores BACKLOG_ATLAS_NOW) and redraws what shows dates. */
  setClock(spec: string | undefined): void;
  /** Resolves once every change seen so far (the first build included) has reached the index. */
  whenIdle(): Promise<void>;
  /** How many processes (git, rg) the extension has started: none in Restricted Mode. */
  processesStarted(): number;
  /** The index cache in the workspace storage: what it gave, and `save` to write it now. */
  readonly indexCache: ExtensionIndexCache;
  /**
   * Builds another index as a reopened window would, with a new cache loaded from the workspace
   * storage, and says what that cache gave; the extension's own index is left as it is.
   */
  reopenIndex(): Promise<{ index: BacklogIndex; counts: IndexCacheCounts[] }>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('Backlog Atlas', { log: true });
  context.subscriptions.push(log);

  const { clock, error: clockError } = clockFromSetting(process.env.BACKLOG_ATLAS_NOW);
  if (clockError) log.warn(`${clockError.message} The system clock is used.`);
  else if (process.env.BACKLOG_ATLAS_NOW) log.info(`BACKLOG_ATLAS_NOW=${process.env.BACKLOG_ATLAS_NOW}: today is ${clock.now().toISOString().slice(0, 10)}.`);

  const ws = new VscodeWorkspace(vscode.workspace.workspaceFolders, log);
  context.subscriptions.push(ws);
  ws.setExtraRoots(readExtraRoots(log));
  // Parsed item files kept in the workspace storage: a reopened window reads only what changed.
  const openIndexCache = (whenIdle: () => Promise<void>) =>
    new ExtensionIndexCache({ storage: context.storageUri, workerFile: path.join(context.extensionPath, 'dist', 'indexCacheWorker.js'), program: __filename, ws, log, whenIdle });
  // Called only once a save is due, long after the scheduler below exists.
  const indexCache = openIndexCache((): Promise<void> => scheduler.whenIdle());
  context.subscriptions.push(indexCache);
  const index = new BacklogIndex(ws, { folders: ws.folderPaths(), folderRoots: ws.getExtraRoots(), cache: indexCache.forRoot });
  context.subscriptions.push(index);
  const scheduler = new IndexScheduler(index, () => ws.flush());
  context.subscriptions.push(index.onDidChange(() => indexCache.scheduleSave()));
  const git = new GitProcesses();
  context.subscriptions.push(git);
  // New ids skip those taken on other active branches (Backlog.md's check_active_branches).
  const branchIds = new BranchIdSource(git, clock, (root) => ws.toUri(root), log);
  const writer = new BacklogWriter(index, ws, () => clock.now(), (b) => branchIds.ids(b));
  const applier = new EditApplier(ws, scheduler, log);
  context.subscriptions.push(applier);
  context.subscriptions.push(new UndoCommands(applier, log));

  context.subscriptions.push(new DiagnosticsPublisher(index, ws));
  const todoIndex = new TodoIndex(index, new TodoScanner(log), log);
  context.subscriptions.push(todoIndex);
  context.subscriptions.push(new TodoEditorFeatures({ index, scheduler, writer, applier, ws, log, clock, todos: todoIndex }));
  const views = new BacklogViews({ index, scheduler, writer, applier, log, clock, toUri: (path) => ws.toUri(path), codeRefs: todoIndex });
  context.subscriptions.push(views);
  const techDebt = new TechDebtView({ index, todoIndex, applier, ws, log });
  context.subscriptions.push(techDebt);
  const panelDeps = { index, writer, applier, ws, log, clock, extensionUri: context.extensionUri };
  const roadmap = createRoadmapPanels(panelDeps);
  const storyMap = createStoryMapPanels(panelDeps);
  const gitHistory = new GitHistoryReader(log, (root) => ws.toUri(root), git);
  const reports = createReportsPanels(panelDeps, gitHistory);
  context.subscriptions.push(registerReportCommands(reports, log));
  const boardDeps = { codeRefs: todoIndex, history: gitHistory, showBurndown: (root: string, sprint: string) => reports.show().showReport({ report: 'burndown', sprint }, root) };
  const board = createBoardPanels(panelDeps, boardDeps);
  const boardView = new BoardViewProvider(panelDeps, boardDeps);
  const health = new HealthView(index, ws, clock);
  const itemEditor = new ItemEditorProvider({ index, ws, log, extensionUri: context.extensionUri, codeRefs: todoIndex, history: gitHistory });
  context.subscriptions.push(roadmap, storyMap, gitHistory, reports, board, boardView, health, itemEditor);
  const agentTools = new LanguageModelTools({ index, scheduler, writer, applier, ws, log, clock, todos: todoIndex, health: () => health.options() });
  context.subscriptions.push(agentTools);
  const branchChanges = new BranchChangesView(index, ws, git, log);
  context.subscriptions.push(branchChanges);
  context.subscriptions.push(
    index.onDidChange(() => {
      updateContextKeys(index);
      ws.setIndexedRoots(index.roots().map((b) => b.root));
    }),
  );
  context.subscriptions.push(new BacklogCommands({ index, scheduler, writer, applier, ws, log, clock }));
  context.subscriptions.push(new SettingsCommands({ index, scheduler, writer, applier, ws, log, clock }));
  context.subscriptions.push(new MergeRepairCommands({ index, scheduler, writer, applier, ws, log, clock, todos: todoIndex }));
  context.subscriptions.push(
    new ItemCommands({ index, scheduler, writer, applier, ws, log, clock }),
    vscode.languages.registerWorkspaceSymbolProvider(new ItemSymbolProvider(index, ws)),
    vscode.languages.registerDocumentLinkProvider(codeSelector(), new ItemLinkProvider(index, ws)),
  );

  const logFailure = (what: string) => (e: unknown) => log.error(`${what} failed:`, errorDetail(e));
  context.subscriptions.push(ws.watch((changes) => void scheduler.applyChanges(changes).catch(logFailure('Reading changed files'))));
  context.subscriptions.push(ws.onDidRequestRescan(() => void scheduler.build().catch(logFailure('Rescanning the workspace'))));

  const reconfigure = (why: string) => {
    ws.setFolders(vscode.workspace.workspaceFolders);
    ws.setExtraRoots(readExtraRoots(log));
    log.info(`${why}; reading the backlogs again.`);
    void scheduler.setOptions({ folders: ws.folderPaths(), folderRoots: ws.getExtraRoots(), cache: indexCache.forRoot }).catch(logFailure('Rebuilding the index'));
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('backlogAtlas.roots')) reconfigure('backlogAtlas.roots changed');
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => reconfigure('Workspace folders changed')),
    // Trust unlocks the workspace's own value of backlogAtlas.roots (see readExtraRoots).
    vscode.workspace.onDidGrantWorkspaceTrust(() => reconfigure('Workspace trusted')),
  );

  const buildStarted = Date.now();
  void scheduler.build().then(() => {
    const roots = index.roots();
    const items = roots.reduce((n, b) => n + b.items().length, 0);
    const cached = indexCache.counts().reduce((n, c) => n + c.hits, 0);
    log.info(`Indexed ${roots.length} backlog(s), ${items} items in ${Date.now() - buildStarted} ms (${cached} files from the index cache).`);
    // The welcome view waits for this key, so that it never offers to create a backlog that exists.
    void vscode.commands.executeCommand('setContext', 'backlogAtlas.ready', true);
  }, logFailure('Reading the backlogs'));
  if (vscode.workspace.getConfiguration('backlogAtlas').get<boolean>('showOnStartup', false)) {
    void vscode.commands.executeCommand('workbench.view.extension.backlog-atlas');
  }
  // The code is scanned once the backlogs are read: their prefixes decide what counts as a reference.
  void scheduler.whenIdle().then(() => todoIndex.rescan());

  log.info(`Activated in ${Date.now() - started} ms (the first read continues in the background).`);
  const setClock = (spec: string | undefined): void => {
    const parsed = parseClockSpec(spec ?? process.env.BACKLOG_ATLAS_NOW);
    if (parsed instanceof Error) throw parsed;
    clock.set(parsed);
    // Nothing else changed, so nothing else would redraw: days left, stale items, the current quarter.
    views.refresh();
    health.refresh();
    for (const panels of [roadmap, storyMap, reports, board, boardView]) panels.current?.redraw();
  };
  const reopenIndex = async () => {
    const cache = openIndexCache(() => Promise.resolve());
    const again = new BacklogIndex(ws, { folders: ws.folderPaths(), folderRoots: ws.getExtraRoots(), cache: cache.forRoot });
    try {
      await again.build();
      return { index: again, counts: cache.counts() };
    } finally {
      cache.dispose();
    }
  };
  return { indexCache, reopenIndex, index, writer, applier, views, todoIndex, techDebt, roadmap, storyMap, reports, board, boardView, itemEditor, health, agentTools, branchChanges, extendMarkdownIt: (md: Markdown) => md.use(itemLinks, indexItemLinks(index, (path) => workspaceRelative(ws, path))), clock, setClock, whenIdle: () => scheduler.whenIdle(), processesStarted };
}

export function deactivate(): void {
  // Everything is in context.subscriptions, which VS Code disposes.
}

function updateContextKeys(index: BacklogIndex): void {
  void vscode.commands.executeCommand('setContext', 'backlogAtlas.hasBacklog', index.roots().length > 0);
}

/**
 * Extra backlog roots from `backlogAtlas.roots`, relative to a workspace folder. The value is
 * user input and is checked here. In an untrusted workspace VS Code answers with the default
 * (the setting is in `capabilities.untrustedWorkspaces.restrictedConfigurations`), so a cloned
 * repository cannot point the index at other folders until the user trusts it.
 */
function readExtraRoots(log: vscode.LogOutputChannel): Record<string, string[]> {
  const byFolder: Record<string, string[]> = {};
  // The setting is per folder (resource scope): each folder's roots are searched in it alone.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const roots = new Set<string>();
    const value: unknown = vscode.workspace.getConfiguration('backlogAtlas', folder.uri).get<unknown>('roots');
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      log.warn(`backlogAtlas.roots in ${folder.name} should be a list of folder paths; it is ignored.`);
      continue;
    }
    for (const entry of value as unknown[]) {
      const root = typeof entry === 'string' ? entry.trim().replace(/\\/g, '/').replace(/\/+$/, '') : '';
      if (root === '' || root.startsWith('/') || /^[A-Za-z]:/.test(root) || root.split('/').includes('..')) {
        log.warn(`backlogAtlas.roots: ${JSON.stringify(entry)} is ignored; use a folder path inside the workspace folder, such as "packages/app/backlog".`);
        continue;
      }
      roots.add(root);
    }
    if (roots.size > 0) byFolder[folder.uri.path] = [...roots];
  }
  return byFolder;
}

/** A path relative to the workspace folder that holds it ('/'-separated), or undefined outside every folder. */
function workspaceRelative(ws: VscodeWorkspace, path: string): string | undefined {
  const uri = ws.toUri(path);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.replace(/\/$/, '');
  return uri.path.startsWith(`${base}/`) ? uri.path.slice(base.length + 1) : undefined;
}
