import * as vscode from 'vscode';
import { horizonLabel } from '../../core/rules/horizon';
import { roadmapHtml, roadmapMarkdown, roadmapSvg } from '../../views/roadmap/roadmapExport';
import { buildRoadmapModel } from '../../views/roadmap/roadmapModel';
import { planRoadmapMove, roadmapTheme } from '../../core/rules/roadmapMoves';
import { joinPath } from '../../core/workspace';
import { DEFAULT_ROADMAP_OPTIONS, parseRoadmapOptions, parseRoadmapRequest, RoadmapModel, RoadmapOptions, RoadmapOwnRequest, RoadmapRef, RoadmapRequest } from '../../protocol/roadmapProtocol';
import { Refused } from '../../protocol/page';
import { BacklogPanel, PanelDeps, PanelManager, PageSurface, panelSurface } from './backlogPanel';

export const ROADMAP_VIEW_TYPE = 'backlogAtlas.roadmap';

/**
 * "Backlog: Open Roadmap" and "Backlog: Export Roadmap…": one roadmap panel per window, brought
 * back after a reload with its options. The model is rebuilt from the index whenever the options
 * or the backlog change, and sent whole.
 */
export type RoadmapPanels = PanelManager<RoadmapPanel, RoadmapOptions>;

export function createRoadmapPanels(deps: PanelDeps): RoadmapPanels {
  return new PanelManager({
    viewType: ROADMAP_VIEW_TYPE,
    title: 'Roadmap',
    openCommand: 'backlogAtlas.openRoadmap',
    exportCommand: 'backlogAtlas.exportRoadmap',
    log: deps.log,
    extensionUri: deps.extensionUri,
    defaults: DEFAULT_ROADMAP_OPTIONS,
    parseOptions: parseRoadmapOptions,
    create: (webviewPanel, options, onDispose) => new RoadmapPanel(panelSurface(webviewPanel), deps, options, onDispose),
  });
}

export class RoadmapPanel extends BacklogPanel<RoadmapOptions, RoadmapModel, RoadmapOwnRequest> {
  protected readonly exports = {
    name: 'roadmap',
    what: 'Roadmap',
    formats: {
      markdown: { ext: 'md', label: 'Markdown', write: roadmapMarkdown },
      html: { ext: 'html', label: 'HTML', write: roadmapHtml },
      svg: { ext: 'svg', label: 'SVG', write: roadmapSvg },
    },
  };

  constructor(surface: PageSurface, deps: PanelDeps, options: RoadmapOptions, onDispose: () => void) {
    super(surface, deps, options, { bundle: 'roadmap', title: 'Roadmap' }, onDispose);
  }

  protected override parseRequest(raw: unknown): RoadmapRequest | Refused {
    return parseRoadmapRequest(raw);
  }

  protected override async handle(request: RoadmapOwnRequest): Promise<void> {
    switch (request.type) {
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
      default: {
        const never: never = request;
        this.deps.log.warn(`Roadmap: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Builds the model for the current options; undefined when the workspace has no backlog. */
  override model(options: RoadmapOptions = this.options): RoadmapModel | undefined {
    const backlog = this.backlog();
    if (!backlog) return undefined;
    return buildRoadmapModel(backlog, options, { today: this.today(), roots: this.rootNames(), root: this.rootName(backlog) });
  }

  private async open(ref: RoadmapRef): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    const roadmapFile = joinPath(backlog.root, 'roadmap.yml');
    let target: { path: string; line: number } | undefined;
    switch (ref.kind) {
      case 'item': {
        const item = backlog.item(ref.id);
        if (item) return this.openItem(item);
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
      this.announce(`${ref.kind === 'vision' ? 'The vision' : ref.id} is no longer in the backlog.`);
      return;
    }
    // The vision has no recorded line: its key is found in the text.
    await this.openAt(target.path, target.line, target.line < 0 ? /^vision\s*:/ : undefined);
  }

  /** Moves a theme (its `horizon` in roadmap.yml) or an epic (its own `horizon`) to a horizon. */
  async move(ref: { kind: 'theme' | 'item'; id: string }, horizon: string): Promise<boolean> {
    const backlog = this.backlog();
    if (!backlog) return false;
    const value = horizon === '' ? null : horizon;
    const plan = planRoadmapMove(backlog, ref, value);
    if (plan.kind === 'refuse') return this.refuse(plan.message);
    if (plan.kind === 'nothing') {
      this.announce(plan.message);
      return true;
    }
    const result =
      plan.kind === 'theme'
        ? await this.deps.applier.write(() => this.deps.writer.setThemeHorizon(backlog.root, plan.theme.id, plan.horizon))
        : await this.deps.applier.write(() => this.deps.writer.setField(plan.epic.id, 'horizon', plan.horizon, backlog.root));
    if (!result) {
      this.announce(`${ref.id} was not moved.`);
      return false;
    }
    this.announce(`${ref.id} moved to ${value === null ? 'Unscheduled' : horizonLabel(value)}.`);
    return true;
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
}

function lineOf(path: string, list: readonly { id: string; line: number }[], id: string): { path: string; line: number } | undefined {
  const found = list.find((x) => x.id.toUpperCase() === id.toUpperCase());
  return found ? { path, line: found.line } : undefined;
}
