import * as vscode from 'vscode';
import { canonicalStatus } from '../../core/statuses';
import { planBoardDrop } from '../../core/rules/boardDrops';
import { FileOperation, WriteResult } from '../../core/writer';
import { buildBoardModel } from '../../views/board/boardModel';
import { BoardModel, BoardOptions, BoardOwnRequest, BoardOwnUpdate, BoardRequest, DEFAULT_BOARD_OPTIONS, parseBoardOptions, parseBoardRequest } from '../../protocol/boardProtocol';
import { parsePageState, Refused } from '../../protocol/page';
import { Disposable } from '../platform/lifecycle';
import { BacklogPanel, PanelDeps, PanelManager, PageSurface, panelSurface, viewSurface } from './backlogPanel';
import { GitHistoryReader } from './gitHistoryReader';
import { nonWorkingDays } from './reportsPanel';

export const BOARD_VIEW_TYPE = 'backlogAtlas.board';
/** The board as a view: in the Backlog container at first; users drag it to the secondary side bar. */
export const BOARD_VIEW_ID = 'backlogAtlas.boardView';

/** "Backlog: Open Sprint Board"; one board per window. */
export type BoardPanels = PanelManager<BoardPanel, BoardOptions>;

/** What the board needs besides every panel's: code references, git, and the Reports panel. */
export interface BoardDeps {
  codeRefs: { byItem(id: string): readonly unknown[]; onDidChange: vscode.Event<void> };
  history: GitHistoryReader;
  /** Opens the Reports panel on a sprint's burndown. */
  showBurndown(root: string, sprintId: string): void;
}

export function createBoardPanels(deps: PanelDeps, board: BoardDeps): BoardPanels {
  return new PanelManager({
    viewType: BOARD_VIEW_TYPE,
    title: 'Sprint Board',
    openCommand: 'backlogAtlas.openBoard',
    log: deps.log,
    extensionUri: deps.extensionUri,
    defaults: DEFAULT_BOARD_OPTIONS,
    parseOptions: parseBoardOptions,
    create: (webviewPanel, options, onDispose) => new BoardPanel(panelSurface(webviewPanel), deps, board, options, onDispose),
  });
}

/**
 * The board in a webview view: the same page and the same controller as the editor tab, one per
 * window. VS Code resolves the view when it is first shown, and again after it is moved to
 * another container or the window reloads; the page's saved options come back with it.
 */
export class BoardViewProvider extends Disposable implements vscode.WebviewViewProvider {
  private board: BoardPanel | undefined;

  constructor(
    private readonly deps: PanelDeps,
    private readonly boardDeps: BoardDeps,
  ) {
    super();
    this.register(vscode.window.registerWebviewViewProvider(BOARD_VIEW_ID, this));
  }

  /** The board the view shows, once resolved (for tests and the clock). */
  get current(): BoardPanel | undefined {
    return this.board;
  }

  resolveWebviewView(view: vscode.WebviewView, context: vscode.WebviewViewResolveContext): void {
    this.board?.dispose();
    // The state is whatever the page last saved: unknown until checked.
    const options = parsePageState(context.state, parseBoardOptions);
    const board = new BoardPanel(viewSurface(view, 'Sprint Board'), this.deps, this.boardDeps, options, () => {
      if (this.board === board) this.board = undefined;
    });
    this.board = board;
  }

  override dispose(): void {
    this.board?.dispose();
    super.dispose();
  }
}

export class BoardPanel extends BacklogPanel<BoardOptions, BoardModel, BoardOwnRequest, BoardOwnUpdate> {
  // The board draws the sprint as it is; there is nothing to export that the files do not say.
  protected readonly exports = { name: 'sprint-board', what: 'Sprint board', formats: {} };
  /** git's user name per root, once asked for (undefined while it is being read, or when there is none). */
  private readonly gitUser = new Map<string, string | undefined>();

  constructor(
    surface: PageSurface,
    deps: PanelDeps,
    private readonly board: BoardDeps,
    options: BoardOptions,
    onDispose: () => void,
  ) {
    super(surface, deps, options, { bundle: 'board', title: 'Sprint Board' }, onDispose);
    // Code references arrive after the first scan and change as code is edited.
    this.register(board.codeRefs.onDidChange(() => this.scheduleRedraw()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('backlogAtlas.board.me')) this.scheduleRedraw();
      }),
    );
  }

  protected override parseRequest(raw: unknown): BoardRequest | Refused {
    return parseBoardRequest(raw);
  }

  protected override async handle(request: BoardOwnRequest): Promise<void> {
    switch (request.type) {
      case 'open':
        await this.open(request.id);
        return;
      case 'move':
        await this.move(request.ids, request.status, request.before, request.after);
        return;
      case 'moveMenu':
        await this.moveMenu(request.ids);
        return;
      case 'completeSprint': {
        const backlog = this.backlog();
        // The Sprints view's command: it asks where unfinished work goes, and writes through the applier.
        if (backlog) await vscode.commands.executeCommand('backlogAtlas.completeSprint', { kind: 'sprint', root: backlog.root, id: request.sprint });
        return;
      }
      case 'openBurndown': {
        const backlog = this.backlog();
        if (backlog) this.board.showBurndown(backlog.root, request.sprint);
        return;
      }
      default: {
        const never: never = request;
        this.deps.log.warn(`Sprint board: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  override model(): BoardModel | undefined {
    const backlog = this.backlog();
    if (!backlog) return undefined;
    let history = this.board.history.current(backlog);
    if (!history && !this.board.history.isLoading(backlog)) {
      // The burndown is drawn from the files until git's history is read; then it is drawn again.
      void this.board.history.refresh(backlog).then((changed) => changed && this.scheduleRedraw(), () => undefined);
    }
    if (history?.source === 'none') history = undefined;
    return buildBoardModel(backlog, this.options, {
      today: this.today(),
      roots: this.rootNames(),
      root: this.rootName(backlog),
      codeRefs: (id) => this.board.codeRefs.byItem(id).length,
      me: this.me(backlog.root),
      history,
      nonWorkingDays: nonWorkingDays(),
    });
  }

  /**
   * Who "only mine" means: the `backlogAtlas.board.me` setting, else git's user name, read once
   * and only when "only mine" is on (a trusted workspace only: git runs through the process gate).
   */
  private me(root: string): string | undefined {
    const setting = vscode.workspace.getConfiguration('backlogAtlas.board').get<unknown>('me');
    if (typeof setting === 'string' && setting.trim() !== '') return setting.trim();
    if (!this.options.onlyMine) return undefined;
    if (!this.gitUser.has(root)) {
      this.gitUser.set(root, undefined);
      void this.board.history.userName(root).then((name) => {
        this.gitUser.set(root, name);
        if (name !== undefined) this.scheduleRedraw();
        else this.announce('"Only mine" needs to know who you are: set backlogAtlas.board.me, or git\'s user.name in a trusted workspace.');
      });
    }
    return this.gitUser.get(root);
  }

  private async open(id: string): Promise<void> {
    const item = this.backlog()?.item(id);
    if (!item) return void this.announce(`${id} is no longer in the backlog.`);
    await this.openItem(item);
  }

  /**
   * Puts cards in a status column: their `status` (and the completion date that goes with it),
   * and their order when dropped next to a card. One drop is one write, and so one undo step.
   */
  async move(ids: string[], status: string, before?: string, after?: string): Promise<boolean> {
    const backlog = this.backlog();
    if (!backlog) return false;
    const items = ids.map((id) => backlog.item(id));
    const missing = ids.filter((_, k) => !items[k]);
    if (missing.length > 0) return this.refuseMove(ids, `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} no longer in the backlog.`);
    const plan = planBoardDrop(backlog, items.map((i) => i!), { status, before, after }, this.today());
    if (plan.kind === 'refuse') return this.refuseMove(ids, plan.message);
    const names = ids.length === 1 ? ids[0] : `${ids.length} cards`;
    // A card that stays in its column was put above or below another: say that, not "moved to"
    // the column it was already in.
    const stays = items.every((i) => canonicalStatus(backlog.config.statuses, i!.status) === canonicalStatus(backlog.config.statuses, status));
    const where = (to: string) => (stays && before !== undefined ? `above ${before} in ${to}` : stays && after !== undefined ? `below ${after} in ${to}` : `to ${to}`);
    if (plan.kind === 'nothing' || plan.moves.length === 0) {
      this.announce(`${names} ${ids.length === 1 ? 'is' : 'are'} already there.`);
      // The page moved the card before asking: it draws the board as it is again.
      this.postState();
      return true;
    }
    const writer = this.deps.writer;
    const result = await this.deps.applier.write(async (): Promise<WriteResult> => {
      const operations: FileOperation[] = [];
      let label: string | undefined;
      for (const move of plan.moves) {
        const r = await writer.moveItems(move.itemIds, move.target, move.alsoSet, backlog.root);
        if (!r.ok) return r;
        operations.push(...r.operations);
        label ??= r.label;
      }
      const summary = `${names} moved ${where(plan.status)}`;
      return { ok: true, operations, summary, label: plan.moves.length === 1 ? label : summary, itemId: ids[0] };
    });
    // Drawn now rather than after the index's redraw delay: the drop should land at once.
    this.postState();
    if (!result) {
      const message = `${names} ${ids.length === 1 ? 'was' : 'were'} not moved.`;
      this.post({ type: 'moveRefused', ids, message });
      this.announce(message);
      return false;
    }
    this.announce(`${names} moved ${where(plan.status)}.`);
    return true;
  }

  /**
   * The page showed the cards in their new place before asking: it draws the board as the files
   * are, which puts them back, and says why beside it (as well as in a warning and the log).
   */
  private refuseMove(ids: string[], message: string): false {
    this.postState();
    this.post({ type: 'moveRefused', ids, message });
    return this.refuse(message);
  }

  /** "Move to…": a status, with the cards' own marked. */
  private async moveMenu(ids: string[]): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    const items = ids.map((id) => backlog.item(id)).filter((i) => i !== undefined);
    if (items.length === 0) return;
    const current = new Set(items.map((i) => i.status.toLowerCase()));
    const picked = await vscode.window.showQuickPick(
      backlog.config.statuses.map((s) => ({ label: s, description: current.has(s.toLowerCase()) ? 'current' : undefined })),
      { title: `Move ${items.length === 1 ? `${items[0].id} ${items[0].title}` : `${items.length} cards`} to which column?`, placeHolder: 'A status of config.yml' },
    );
    if (picked) await this.move(items.map((i) => i.id), picked.label);
  }
}
