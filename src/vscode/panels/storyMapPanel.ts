import * as vscode from 'vscode';
import { storyMapHtml, storyMapMarkdown } from '../../views/storyMap/storyMapExport';
import { buildStoryMapModel } from '../../views/storyMap/storyMapModel';
import { currentStep, storyMapDrop } from '../../core/rules/storyMapDrops';
import { joinPath } from '../../core/workspace';
import { MoveTarget } from '../../core/writer';
import { DEFAULT_STORY_MAP_OPTIONS, parseStoryMapOptions, parseStoryMapRequest, StoryMapModel, StoryMapOptions, StoryMapOwnRequest, StoryMapRequest } from '../../protocol/storyMapProtocol';
import { Refused } from '../../protocol/page';
import { BacklogPanel, PanelDeps, PanelManager, PageSurface, panelSurface } from './backlogPanel';

export const STORY_MAP_VIEW_TYPE = 'backlogAtlas.storyMap';

/** "Backlog: Open Story Map" and "Backlog: Export Story Map…"; one panel per window. */
export type StoryMapPanels = PanelManager<StoryMapPanel, StoryMapOptions>;

export function createStoryMapPanels(deps: PanelDeps): StoryMapPanels {
  return new PanelManager({
    viewType: STORY_MAP_VIEW_TYPE,
    title: 'Story Map',
    openCommand: 'backlogAtlas.openStoryMap',
    exportCommand: 'backlogAtlas.exportStoryMap',
    log: deps.log,
    extensionUri: deps.extensionUri,
    defaults: DEFAULT_STORY_MAP_OPTIONS,
    parseOptions: parseStoryMapOptions,
    create: (webviewPanel, options, onDispose) => new StoryMapPanel(panelSurface(webviewPanel), deps, options, onDispose),
  });
}

export class StoryMapPanel extends BacklogPanel<StoryMapOptions, StoryMapModel, StoryMapOwnRequest> {
  protected readonly exports = {
    name: 'story-map',
    what: 'Story map',
    formats: {
      markdown: { ext: 'md', label: 'Markdown', write: storyMapMarkdown },
      html: { ext: 'html', label: 'HTML', write: storyMapHtml },
    },
  };

  constructor(surface: PageSurface, deps: PanelDeps, options: StoryMapOptions, onDispose: () => void) {
    super(surface, deps, options, { bundle: 'storymap', title: 'Story Map' }, onDispose);
  }

  protected override parseRequest(raw: unknown): StoryMapRequest | Refused {
    return parseStoryMapRequest(raw);
  }

  protected override async handle(request: StoryMapOwnRequest): Promise<void> {
    switch (request.type) {
      case 'open':
        await this.open(request.ref);
        return;
      case 'move':
        await this.move(request.id, request.step, request.slice, request.before !== undefined ? { before: request.before } : request.after !== undefined ? { after: request.after } : undefined);
        return;
      case 'moveMenu':
        await this.moveMenu(request.id);
        return;
      case 'addStory':
        await this.addStory(request.step, request.slice, request.title);
        return;
      case 'addStep':
        await this.writePlan(() => this.deps.writer.addStoryMapStep(this.backlog()!.root, request.activity, request.title), `Step "${request.title}" added.`);
        return;
      case 'addActivity':
        await this.writePlan(() => this.deps.writer.addStoryMapActivity(this.backlog()!.root, request.title), `Activity "${request.title}" added.`);
        return;
      case 'rename':
        await this.writePlan(() => this.deps.writer.renameStoryMapNode(this.backlog()!.root, request.kind, request.id, request.title), `Renamed to "${request.title}".`);
        return;
      case 'export':
        await this.export(request.format);
        return;
      default: {
        const never: never = request;
        this.deps.log.warn(`Story map: unhandled message ${JSON.stringify(never)}`);
      }
    }
  }

  override model(): StoryMapModel | undefined {
    const backlog = this.backlog();
    if (!backlog) return undefined;
    return buildStoryMapModel(backlog, this.options, { today: this.today(), roots: this.rootNames(), root: this.rootName(backlog) });
  }

  private async open(ref: { kind: 'item' | 'step' | 'activity' | 'slice'; id: string }): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    const storyMapFile = joinPath(backlog.root, 'storymap.yml');
    switch (ref.kind) {
      case 'item': {
        const item = backlog.item(ref.id);
        if (item) return this.openItem(item);
        break;
      }
      case 'activity': {
        const a = backlog.storyMap.activities.find((x) => x.id.toUpperCase() === ref.id.toUpperCase());
        if (a) return this.openAt(storyMapFile, a.line);
        break;
      }
      case 'step': {
        const s = backlog.storyMap.activities.flatMap((a) => a.steps).find((x) => x.id.toUpperCase() === ref.id.toUpperCase());
        if (s) return this.openAt(storyMapFile, s.line);
        break;
      }
      case 'slice': {
        if (this.options.sliceBy === 'sprint') {
          const sprint = backlog.sprint(ref.id);
          if (sprint) return this.openAt(joinPath(backlog.root, 'sprints.yml'), sprint.line);
        } else {
          const release = backlog.release(ref.id);
          if (release) return this.openAt(release.path, release.line);
        }
        break;
      }
    }
    this.announce(`${ref.id} is no longer in the backlog.`);
  }

  /**
   * Puts a card in a step and slice. Between two cards of its own cell only its rank changes;
   * into another cell only its step and release (or sprint) lines change, plus its rank when it
   * was dropped between two cards there.
   */
  async move(id: string, step: string, slice: string, at?: MoveTarget): Promise<boolean> {
    const backlog = this.backlog();
    const item = backlog?.item(id);
    if (!backlog || !item) return this.refuse(`${id} is no longer in the backlog.`);
    const drop = storyMapDrop(backlog, item, step, slice, this.options.sliceBy);
    if (drop.kind === 'refuse') return this.refuse(drop.message);
    const changes = Object.keys(drop.fields).length;
    if (changes === 0 && !at) {
      this.announce(`${item.id} is already there.`);
      return true;
    }
    const result = await this.deps.applier.write(() => this.deps.writer.moveItems([item.id], at ?? {}, drop.fields, backlog.root));
    if (!result) {
      this.announce(`${item.id} was not moved.`);
      return false;
    }
    this.announce(`${item.id} moved to ${this.describe(step, slice)}.`);
    return true;
  }

  private describe(step: string, slice: string): string {
    const model = this.lastModel;
    const stepTitle = step === '' ? 'Unmapped' : (model?.activities.flatMap((a) => a.steps).find((s) => s.id === step)?.title ?? step);
    const sliceTitle = slice === '' ? 'Unplanned' : (model?.slices.find((s) => s.id === slice)?.title ?? slice);
    return `${stepTitle}, ${sliceTitle}`;
  }

  /** "Move to…": a step, then a slice, each with the current one marked. */
  private async moveMenu(id: string): Promise<void> {
    const backlog = this.backlog();
    const model = this.lastModel;
    const item = backlog?.item(id);
    if (!backlog || !model || !item) return;
    const here = currentStep(backlog, item);
    const steps: (vscode.QuickPickItem & { id?: string })[] = [];
    for (const a of model.activities) {
      steps.push({ label: a.title, kind: vscode.QuickPickItemKind.Separator });
      for (const s of a.steps) steps.push({ label: s.title, id: s.id, description: s.id === here ? 'current' : undefined });
    }
    steps.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: 'Unmapped', id: '', description: here === '' ? 'current' : undefined });
    const currentSlice = model.rows.find((r) => Object.values(r.cells).some((cards) => cards.some((c) => c.id === item.id)))?.sliceId;
    const slices = model.slices.map((s) => ({ label: s.title, id: s.id, description: [s.dates, s.id === currentSlice ? 'current' : undefined].filter(Boolean).join(' · ') || undefined }));
    const picked = await pickInTwoSteps(
      { title: `Move ${item.id} ${item.title} to which step?`, placeholder: 'A step of the user journey', items: steps },
      { title: `Move ${item.id} to which ${this.options.sliceBy}?`, placeholder: `A ${this.options.sliceBy}, or Unplanned`, items: slices },
    );
    if (!picked) return;
    const [step, slice] = picked;
    await this.move(item.id, step, slice);
  }

  private async addStory(step: string, slice: string, title: string): Promise<void> {
    const backlog = this.backlog();
    if (!backlog) return;
    // The same checks as a drop: the step and the slice must exist (a closed sprint takes no new work).
    const known = step === '' || backlog.storyMap.activities.some((a) => a.steps.some((x) => x.id === step));
    const sprint = this.options.sliceBy === 'sprint' && slice !== '' ? backlog.sprint(slice) : undefined;
    const release = this.options.sliceBy === 'release' && slice !== '' ? backlog.release(slice) : undefined;
    if (!known) return void this.refuse(`No step ${step} in storymap.yml.`);
    if (slice !== '' && !sprint && !release) return void this.refuse(`No ${this.options.sliceBy} ${slice} in this backlog.`);
    if (sprint?.state === 'closed') return void this.refuse(`${sprint.name} is closed; add the story to an active or planned sprint.`);
    const sliceField = sprint ? { sprint: sprint.id } : release ? { release: release.id } : {};
    const result = await this.deps.applier.write(() => this.deps.writer.createItem(backlog.root, { title, type: 'story', step: step === '' ? undefined : step, ...sliceField }));
    this.announce(result ? `${result.itemId ?? 'Story'} "${title}" added.` : `"${title}" was not added.`);
  }

  private async writePlan(compute: Parameters<PanelDeps['applier']['write']>[0], done: string): Promise<void> {
    if (!this.backlog()) return;
    const result = await this.deps.applier.write(compute);
    this.announce(result ? done : 'storymap.yml was not changed.');
  }
}

type IdPick = vscode.QuickPickItem & { id?: string };

/**
 * Two choices in one quick pick, the second list replacing the first (VS Code's multi-step input
 * pattern). A second `showQuickPick` right after the first one closes can fail to appear.
 */
function pickInTwoSteps(first: { title: string; placeholder: string; items: IdPick[] }, second: { title: string; placeholder: string; items: IdPick[] }): Promise<[string, string] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<IdPick>();
    let chosen: string | undefined;
    const show = (step: typeof first) => {
      qp.title = step.title;
      qp.placeholder = step.placeholder;
      qp.value = '';
      qp.items = step.items;
      const firstChoice = step.items.find((i) => i.id !== undefined);
      qp.activeItems = firstChoice ? [firstChoice] : [];
    };
    qp.onDidAccept(() => {
      const id = qp.activeItems[0]?.id;
      if (id === undefined) return;
      if (chosen === undefined) {
        chosen = id;
        show(second);
        return;
      }
      resolve([chosen, id]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    show(first);
    qp.show();
  });
}
