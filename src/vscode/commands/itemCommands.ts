import * as vscode from 'vscode';
import { openItem } from '../editors/openItem';
import { Backlog } from '../../core/backlog';
import { compareIds } from '../../core/rules/rank';
import { isDay, sprintDefaults, sprintEnd } from '../../core/rules/sprintDefaults';
import { Item, Release, SIZES, Sprint } from '../../core/types';
import { basename } from '../../core/workspace';
import { FileOperation, WriteResult } from '../../core/writer';
import { FieldValue } from '../../core/format/yamlEdit';
import { CommandDeps } from './backlogCommands';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import { asNode, TreeNode } from '../../views/trees/treeNodes';

/**
 * Answers to a command's prompts, passed as its second argument:
 * `executeCommand('backlogAtlas.moveToSprint', node, { sprint: 'S-2' })`. Integration tests
 * (and other extensions) use it to run a command without a person at the keyboard. Each field
 * present skips its prompt (`null` means "none": no sprint, no estimate), and a command given
 * answers asks for no confirmation. From a context menu the second argument is the selection,
 * an array, so it is never mistaken for answers; a caller passing a selection puts the answers
 * third: `executeCommand(id, clicked, [clicked, other], answers)`.
 */
export interface CommandAnswers {
  /** The backlog root folder, when the workspace has several. */
  root?: string;
  /** An item id, for the commands that would otherwise pick one (Go to Item, the setters). */
  item?: string;
  type?: string;
  title?: string;
  /** The sprint to plan into (null: none); for Start and Complete Sprint, the sprint to start or complete. */
  sprint?: string | null;
  release?: string | null;
  status?: string;
  estimate?: number | null;
  size?: string | null;
  name?: string;
  start?: string;
  end?: string;
  date?: string;
  goal?: string;
  capacity?: number;
  /** Complete Sprint: the sprint that takes the unfinished items, or null for the product backlog. */
  moveUnfinishedTo?: string | null;
  /** Remove Milestone: what happens to its items: clear, keep or reassign (to `reassignTo`). */
  handling?: string;
  reassignTo?: string;
}

/** A quick-pick row that carries the value it stands for. */
interface Choice<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * The planning commands: create items, sprints and releases, move items between them, set their
 * fields, go to an item. Each one is registered by `registerCommand`, the one place that catches
 * for commands, and writes only through the core's writer and the `EditApplier`.
 */
export class ItemCommands extends Disposable {
  constructor(private readonly deps: CommandDeps) {
    super();
    // From a context menu VS Code passes (clicked row, selected rows); answers come second, or
    // third after a selection array.
    const reg = (id: string, title: string, run: (arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined) => Promise<void>) =>
      this.register(
        registerCommand(deps.log, `backlogAtlas.${id}`, title, (arg, second, third) =>
          Array.isArray(second) ? run(arg, second, readAnswers(third)) : run(arg, undefined, readAnswers(second)),
        ),
      );
    reg('newItem', 'New Item', (a, _s, ans) => this.newItem(a, ans));
    reg('moveToSprint', 'Move to Sprint', (a, s, ans) => this.moveToSprint(a, s, ans));
    reg('moveToRelease', 'Move to Release', (a, s, ans) => this.moveToRelease(a, s, ans));
    reg('setStatus', 'Set Status', (a, s, ans) => this.setStatus(a, s, ans));
    reg('setEstimate', 'Set Estimate', (a, s, ans) => this.setEstimate(a, s, ans));
    reg('setSize', 'Set Size', (a, s, ans) => this.setSize(a, s, ans));
    reg('promoteToProductBacklog', 'Promote to Product Backlog', (a, s, ans) => this.promote(a, s, ans));
    reg('newSprint', 'New Sprint', (a, _s, ans) => this.newSprint(a, ans));
    reg('startSprint', 'Start Sprint', (a, _s, ans) => this.startSprint(a, ans));
    reg('completeSprint', 'Complete Sprint', (a, _s, ans) => this.completeSprint(a, ans));
    reg('newRelease', 'New Release', (a, _s, ans) => this.newRelease(a, ans));
    reg('goToItem', 'Go to Item', (_a, _s, ans) => this.goToItem(ans));
    reg('rebalanceRanks', 'Rebalance Ranks', (a, _s, ans) => this.rebalance(a, ans));
    reg('completeItem', 'Complete (Move to completed/)', (a, s, ans) => this.completeItems(a, s, ans));
    reg('archiveItem', 'Archive', (a, s, ans) => this.oneByOne(a, s, ans, 'archive', (i) => this.deps.writer.archiveItem(i.id, i.root)));
    reg('demoteToDraft', 'Demote to Draft', (a, s, ans) => this.oneByOne(a, s, ans, 'demote to a draft', (i) => this.deps.writer.demoteItem(i.id, i.root)));
    reg('promoteDraft', 'Promote Draft to Task', (a, _s, ans) => this.promoteDraft(a, ans));
    reg('newMilestone', 'New Milestone', (a, _s, ans) => this.newMilestone(a, ans));
    reg('renameMilestone', 'Rename Milestone', (a, _s, ans) => this.renameMilestone(a, ans));
    reg('removeMilestone', 'Remove Milestone', (a, _s, ans) => this.removeMilestone(a, ans));
    reg('archiveMilestone', 'Archive Milestone', (a, _s, ans) => this.archiveMilestone(a, ans));
  }

  // ---- Backlog.md's milestones ----------------------------------------------------------------

  private async newMilestone(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const backlog = await this.pickBacklog(asNode(arg)?.root ?? answers?.root);
    if (!backlog) return;
    const name = await ask(answers?.name, () =>
      vscode.window.showInputBox({ title: 'New Milestone', prompt: 'Title of the Backlog.md milestone, such as "Public beta"', validateInput: required('Type a title for the milestone.') }),
    );
    if (name === undefined) return;
    const date = await ask(answers?.date, () =>
      vscode.window.showInputBox({ title: 'New Milestone', prompt: 'Due date (YYYY-MM-DD, optional)', validateInput: (v) => dateProblem(v, true) }),
    );
    if (date === undefined) return;
    await this.deps.applier.write(() => this.deps.writer.addMilestone(backlog.root, name, { dueDate: date.trim() === '' ? undefined : date.trim(), description: answers?.goal }));
  }

  private async renameMilestone(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    const target = await this.targetMilestone(arg, answers, 'rename');
    if (!target) return;
    const name = await ask(answers?.name, () =>
      vscode.window.showInputBox({ title: `Rename ${target.milestone.name}`, value: target.milestone.name, prompt: 'New title; the file is renamed and items that named the old title name the milestone by id', validateInput: required('Type a title for the milestone.') }),
    );
    if (name === undefined) return;
    await this.deps.applier.write(() => this.deps.writer.renameMilestone(target.backlog.root, target.milestone.id, name));
  }

  private async removeMilestone(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    const target = await this.targetMilestone(arg, answers, 'remove');
    if (!target) return;
    const { backlog, milestone } = target;
    const others = backlog.releases().filter((r) => r.source === 'milestone' && r !== milestone);
    const handling = await ask(answers?.handling, () =>
      pick<'clear' | 'keep' | 'reassign'>(
        [
          { label: 'Clear the milestone from its items', description: 'as Backlog.md does by default', value: 'clear' },
          ...(others.length > 0 ? [{ label: 'Move its items to another milestone…', value: 'reassign' as const }] : []),
          { label: 'Keep its items naming it', description: 'they show as aimed at an archived milestone', value: 'keep' },
        ],
        `Remove ${milestone.name}: its file moves to archive/milestones/. Its items…`,
      ),
    );
    if (handling === undefined) return;
    if (handling !== 'clear' && handling !== 'keep' && handling !== 'reassign') throw new Error(`answer "handling" should be clear, keep or reassign, not "${handling}"`);
    let to: string | undefined;
    if (handling === 'reassign') {
      to = await ask(answers?.reassignTo, () => pick(others.map((r) => ({ label: r.name, description: r.id, value: r.id })), `Milestone that takes the items of ${milestone.name}`));
      if (to === undefined) return;
    }
    await this.deps.applier.write(() => this.deps.writer.removeMilestone(backlog.root, milestone.id, handling, to));
  }

  private async archiveMilestone(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    const target = await this.targetMilestone(arg, answers, 'archive');
    if (!target) return;
    await this.deps.applier.write(() => this.deps.writer.archiveMilestone(target.backlog.root, target.milestone.id));
  }

  /** The milestone a command works on: the clicked row, the `release` answer, or one picked from a list. */
  private async targetMilestone(arg: unknown, answers: CommandAnswers | undefined, verb: string): Promise<{ backlog: Backlog; milestone: Release } | undefined> {
    await this.deps.scheduler.whenIdle();
    const node = asNode(arg);
    const ref = node?.kind === 'release' ? node.id : (answers?.release ?? undefined);
    const candidates = this.deps.index
      .roots()
      .filter((b) => (node?.root ?? answers?.root) === undefined || b.root === (node?.root ?? answers?.root))
      .flatMap((backlog) => backlog.releases().filter((r) => r.source === 'milestone').map((milestone) => ({ backlog, milestone })));
    if (ref !== undefined) {
      const found = candidates.find((c) => c.backlog.release(ref) === c.milestone);
      if (!found) void vscode.window.showWarningMessage(`${ref} is not a Backlog.md milestone in milestones/.`);
      return found;
    }
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('The backlog has no Backlog.md milestones. Add one with "Backlog: New Milestone".');
      return undefined;
    }
    return pick(
      candidates.map((c) => ({ label: c.milestone.name, description: c.milestone.id, value: c })),
      `Milestone to ${verb}`,
    );
  }

  // ---- Backlog.md's lifecycle: complete, archive, drafts ------------------------------------

  /** Moves the items to completed/, as Backlog.md's `task complete` does; several at once are one change. */
  private async completeItems(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'complete');
    if (!items) return;
    const done = await this.deps.applier.write(async (): Promise<WriteResult> => {
      const operations: FileOperation[] = [];
      for (const item of items) {
        const r = await this.deps.writer.completeItem(item.id, item.root);
        if (!r.ok) return { ok: false, message: r.message };
        operations.push(...r.operations);
      }
      const label = `Completed ${items.length === 1 ? items[0].id : `${items.length} items`}`;
      return { ok: true, operations, summary: `${label}: moved to completed/`, label };
    });
    if (done) vscode.window.setStatusBarMessage(`Backlog: ${done.summary}`, 4000);
  }

  /** A change that renumbers files or edits other items (archive, demote) is made for one item at a time. */
  private async oneByOne(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined, verb: string, change: (item: Item) => Promise<WriteResult>): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, verb);
    if (!items) return;
    if (items.length > 1) {
      void vscode.window.showWarningMessage(`Select one item to ${verb}; ${items.length} are selected.`);
      return;
    }
    const done = await this.deps.applier.write(() => change(items[0]));
    if (done) vscode.window.setStatusBarMessage(`Backlog: ${done.summary}`, 4000);
  }

  private async promoteDraft(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const clicked = asNode(arg);
    let draft: Item | undefined;
    if (answers?.item !== undefined) draft = this.findItem(answers.item, answers.root);
    else if (isItemNode(clicked)) draft = this.deps.index.item(clicked.id, clicked.root);
    else {
      const drafts = this.deps.index.roots().flatMap((b) => b.allOrdered().filter((i) => i.folder === 'drafts'));
      draft = (await this.pickItem(drafts, 'Draft to promote to a task', 'The backlog has no drafts.'))?.[0];
    }
    if (!draft) return;
    const target = draft;
    const done = await this.deps.applier.write(() => this.deps.writer.promoteDraft(target.id, target.root));
    if (done) vscode.window.setStatusBarMessage(`Backlog: ${done.summary}`, 4000);
  }

  // ---- Items -----------------------------------------------------------------------------

  private async newItem(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const node = asNode(arg);
    const backlog = await this.pickBacklog(node?.root ?? answers?.root);
    if (!backlog) return;
    const type = await ask(answers?.type, () =>
      pick(
        backlog.config.types.map((t) => ({ label: t, value: t })),
        'Type of the new item',
      ),
    );
    if (type === undefined) return;
    const title = await ask(answers?.title, () =>
      vscode.window.showInputBox({
        title: 'New Item',
        prompt: `Title of the new ${type}`,
        validateInput: (v) => (v.trim() === '' ? 'Type a title for the new item.' : undefined),
      }),
    );
    if (title === undefined) return;
    // Only the title and the type are asked: the rest is set in the item editor it opens in.
    // Started from a sprint or release row, the item goes there (a script may name a sprint);
    // opportunities wait for discovery and are never planned into a sprint.
    const release = node?.kind === 'release' ? node.id : undefined;
    const sprint = type === 'opportunity' ? undefined : node?.kind === 'sprint' ? node.id : (answers?.sprint ?? undefined);
    const created = await this.deps.applier.write(() =>
      this.deps.writer.createItem(backlog.root, { title, type, sprint: sprint ?? undefined, release }),
    );
    const file = created?.operations.find((op) => op.kind === 'create');
    if (!file || file.kind !== 'create') return;
    await openItem(this.deps.ws.toUri(file.path), { preview: false });
  }

  private async moveToSprint(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'move to a sprint');
    if (!items) return;
    const backlog = this.backlogOf(items);
    const current = common(items.map((i) => i.sprint?.toUpperCase() ?? null));
    const sprint = await ask(answers?.sprint, () =>
      pick(
        [
          ...openSprints(backlog).map((s) => ({ ...sprintChoice(s), description: mark(s.id.toUpperCase() === current, sprintChoice(s).description) })),
          { label: 'Product Backlog', description: mark(current === null, 'no sprint'), value: null },
        ],
        `Move ${what(items)} to…`,
      ),
    );
    if (sprint === undefined) return;
    await this.setField(items, 'sprint', sprint);
  }

  private async moveToRelease(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'move to a release');
    if (!items) return;
    const backlog = this.backlogOf(items);
    const current = common(items.map((i) => releaseOf(backlog, i)?.id ?? null));
    const release = await ask(answers?.release, () =>
      pick(
        [
          ...backlog.releases().map((r) => ({ ...releaseChoice(r), description: mark(r.id === current, releaseChoice(r).description) })),
          { label: 'No release', description: mark(current === null), value: null },
        ],
        `Move ${what(items)} to…`,
      ),
    );
    if (release === undefined) return;
    await this.setField(items, 'release', release);
    // An item can also join a release through Backlog.md's `milestone`; "no release" must
    // clear that too, or the item would stay where it was. It is a second write because each
    // file takes one edit per write, and only the few items that still name a milestone.
    if (release === null) {
      await this.deps.scheduler.whenIdle();
      const still = items.map((i) => this.deps.index.item(i.id, i.root)).filter((i): i is Item => i?.milestone !== undefined);
      if (still.length > 0) await this.setField(still, 'milestone', null);
    }
  }

  private async setStatus(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'set the status of');
    if (!items) return;
    const backlog = this.backlogOf(items);
    const current = common(items.map((i) => i.status.toLowerCase()));
    const status = await ask(answers?.status, () =>
      pick(
        backlog.config.statuses.map((s) => ({ label: s, description: mark(s.toLowerCase() === current), value: s })),
        `Status of ${what(items)}`,
      ),
    );
    if (status === undefined) return;
    await this.setField(items, 'status', status);
  }

  private async setEstimate(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'estimate');
    if (!items) return;
    const backlog = this.backlogOf(items);
    const current = common(items.map((i) => i.estimate ?? null));
    let estimate = await ask(answers?.estimate, () =>
      pick<number | null | 'custom'>(
        [
          ...backlog.config.estimateScale.map((n) => ({ label: String(n), description: mark(n === current, n === 1 ? 'point' : 'points'), value: n })),
          { label: 'Custom…', description: 'a number off the scale', value: 'custom' as const },
          { label: 'Clear', description: mark(current === null, 'no estimate'), value: null },
        ],
        `Estimate of ${what(items)} in story points`,
      ),
    );
    if (estimate === 'custom') {
      const typed = await vscode.window.showInputBox({
        title: 'Set Estimate',
        prompt: 'Story points, a number of zero or more',
        value: typeof current === 'number' ? String(current) : '',
        validateInput: (v) => (parsePoints(v) === undefined ? 'Type a number of zero or more, such as 3 or 0.5.' : undefined),
      });
      estimate = typed === undefined ? undefined : parsePoints(typed);
    }
    if (estimate === undefined) return;
    await this.setField(items, 'estimate', estimate);
  }

  private async setSize(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    const items = await this.targetItems(arg, selection, answers, 'size');
    if (!items) return;
    const backlog = this.backlogOf(items);
    const current = common(items.map((i) => i.size ?? null));
    const size = await ask(answers?.size, () =>
      pick<string | null>(
        [
          ...SIZES.map((s) => ({ label: s, description: mark(s === current, `${backlog.config.sizePoints[s]} points`), value: s })),
          { label: 'Clear', description: mark(current === null, 'no size'), value: null },
        ],
        `T-shirt size of ${what(items)}`,
      ),
    );
    if (size === undefined) return;
    await this.setField(items, 'size', size);
  }

  /** Opportunities become stories: they leave the opportunity list for the product backlog. */
  private async promote(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const chosen = this.selectedItems(arg, selection, answers);
    const items =
      chosen ??
      (await this.pickItem(
        this.deps.index.roots().flatMap((b) => b.opportunityBacklog()),
        'Opportunity to promote to the product backlog',
        'No opportunities are waiting. An opportunity is an item with "type: opportunity".',
      ));
    if (!items || items.length === 0) return;
    const opportunities = items.filter((i) => i.type === 'opportunity');
    if (opportunities.length === 0) {
      void vscode.window.showInformationMessage(`${what(items)} is already in the product backlog.`);
      return;
    }
    await this.setField(opportunities, 'type', 'story');
  }

  private async goToItem(answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const all = this.deps.index.roots().flatMap((b) => b.allOrdered());
    let item: Item | undefined;
    if (answers?.item !== undefined) item = this.findItem(answers.item, answers.root);
    else item = (await this.pickItem(all, 'Go to item: type an id or words of its title', 'The backlog has no items yet. Create one with "Backlog: New Item".'))?.[0];
    if (!item) return;
    await this.open(item);
  }

  /** Gives every item a fresh, evenly spread rank, after saying how many files that touches. */
  private async rebalance(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const backlog = await this.pickBacklog(asNode(arg)?.root ?? answers?.root);
    if (!backlog) return;
    const result = await this.deps.writer.rebalance(backlog.root);
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.message);
      return;
    }
    const files = result.operations.length;
    if (files === 0) {
      void vscode.window.showInformationMessage('Every item already has an evenly spread rank; nothing to change.');
      return;
    }
    if (!answers) {
      const go = 'Rebalance';
      const ok = await vscode.window.showWarningMessage(
        `Rebalance the ranks of ${backlog.config.projectName || basename(backlog.folder)}?`,
        { modal: true, detail: `${plural(files, 'item file')} will get new rank and ordinal lines (Backlog.md orders by the ordinal); the order stays as it is.` },
        go,
      );
      if (ok !== go) return;
    }
    if (await this.deps.applier.apply(result.operations, undefined, result.summary)) {
      this.deps.log.info(result.summary);
      vscode.window.setStatusBarMessage(`Backlog: ${result.summary}`, 4000);
    }
  }

  // ---- Sprints and releases ----------------------------------------------------------------

  private async newSprint(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const backlog = await this.pickBacklog(asNode(arg)?.root ?? answers?.root);
    if (!backlog) return;
    const defaults = sprintDefaults(backlog, this.deps.clock.now());
    const name = await ask(answers?.name, () =>
      vscode.window.showInputBox({ title: 'New Sprint', prompt: 'Name of the sprint', value: defaults.name, validateInput: required('Type a name for the sprint.') }),
    );
    if (name === undefined) return;
    const start = await ask(answers?.start, () =>
      vscode.window.showInputBox({ title: 'New Sprint', prompt: 'First day (YYYY-MM-DD)', value: defaults.start, validateInput: (v) => dateProblem(v, false) }),
    );
    if (start === undefined) return;
    const end = await ask(answers?.end, () =>
      vscode.window.showInputBox({
        title: 'New Sprint',
        prompt: 'Last day (YYYY-MM-DD)',
        value: start === defaults.start ? defaults.end : sprintEnd(start),
        validateInput: (v) => dateProblem(v, false) ?? (v.trim() < start ? `The last day cannot be before the first (${start}).` : undefined),
      }),
    );
    if (end === undefined) return;
    const goal = await ask(answers?.goal, () => vscode.window.showInputBox({ title: 'New Sprint', prompt: 'Sprint goal (optional): what the sprint is for' }));
    if (goal === undefined) return;
    const capacity = await ask(answers?.capacity, async () => {
      const typed = await vscode.window.showInputBox({
        title: 'New Sprint',
        prompt: `Capacity in story points (${defaults.capacityReason})`,
        value: String(defaults.capacity),
        validateInput: (v) => (parsePoints(v) === undefined ? 'Type a number of zero or more.' : undefined),
      });
      return typed === undefined ? undefined : parsePoints(typed);
    });
    if (capacity === undefined) return;
    await this.deps.applier.write(() =>
      this.deps.writer.createSprint(backlog.root, {
        name: name.trim(),
        start: start.trim(),
        end: end.trim(),
        goal: goal.trim() === '' ? undefined : goal.trim(),
        capacity,
      }),
    );
  }

  private async startSprint(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const found = await this.pickSprint(arg, answers, (s) => s.state === 'planned', 'Sprint to start', 'No planned sprint to start. Create one with "Backlog: New Sprint".');
    if (!found) return;
    const { backlog, sprint } = found;
    if (sprint.state !== 'planned') {
      void vscode.window.showInformationMessage(`${sprint.name} is ${sprint.state}; only a planned sprint can be started.`);
      return;
    }
    if (!answers) {
      const scope = backlog.sprintBacklog(sprint.id);
      const points = scope.reduce((n, i) => n + backlog.points(i), 0);
      const active = backlog.activeSprint();
      const go = 'Start Sprint';
      const ok = await vscode.window.showInformationMessage(
        `Start ${sprint.name}?`,
        {
          modal: true,
          detail:
            `Its ${plural(scope.length, 'item')} (${plural(points, 'point')}${sprint.capacity !== undefined ? ` of ${sprint.capacity}` : ''}) are recorded as the committed scope.` +
            (active ? ` ${active.name} is still active: complete it first.` : ''),
        },
        go,
      );
      if (ok !== go) return;
    }
    await this.deps.applier.write(() => this.deps.writer.startSprint(backlog.root, sprint.id));
  }

  private async completeSprint(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const found = await this.pickSprint(arg, answers, (s) => s.state === 'active', 'Sprint to complete', 'No sprint is active. Start one with "Backlog: Start Sprint".');
    if (!found) return;
    const { backlog, sprint } = found;
    if (sprint.state !== 'active') {
      void vscode.window.showInformationMessage(`${sprint.name} is ${sprint.state}; only the active sprint can be completed.`);
      return;
    }
    const unfinished = backlog.sprintBacklog(sprint.id).filter((i) => !backlog.isDone(i));
    let target: string | null | undefined = null;
    if (unfinished.length > 0) {
      const planned = openSprints(backlog).filter((s) => s.state === 'planned');
      target = await ask(answers?.moveUnfinishedTo, () =>
        pick(
          [
            ...planned.map((s, n) => ({ ...sprintChoice(s), label: n === 0 ? `Next sprint: ${s.name}` : s.name })),
            { label: 'Product Backlog', description: 'no sprint', value: null },
          ],
          `Complete ${sprint.name}: where do its ${plural(unfinished.length, 'unfinished item')} go?`,
        ),
      );
      if (target === undefined) return;
    } else if (!answers) {
      const go = 'Complete Sprint';
      const ok = await vscode.window.showInformationMessage(`Complete ${sprint.name}?`, { modal: true, detail: 'Every item in it is done.' }, go);
      if (ok !== go) return;
    }
    await this.deps.applier.write(() => this.deps.writer.completeSprint(backlog.root, sprint.id, target ?? null));
  }

  private async newRelease(arg: unknown, answers: CommandAnswers | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const backlog = await this.pickBacklog(asNode(arg)?.root ?? answers?.root);
    if (!backlog) return;
    const name = await ask(answers?.name, () =>
      vscode.window.showInputBox({ title: 'New Release', prompt: 'Name of the release, such as "Trailhead 1.0"', validateInput: required('Type a name for the release.') }),
    );
    if (name === undefined) return;
    const date = await ask(answers?.date, () =>
      vscode.window.showInputBox({ title: 'New Release', prompt: 'Target date (YYYY-MM-DD, optional)', validateInput: (v) => dateProblem(v, true) }),
    );
    if (date === undefined) return;
    const goal = await ask(answers?.goal, () => vscode.window.showInputBox({ title: 'New Release', prompt: 'Release goal (optional): what it gives its users' }));
    if (goal === undefined) return;
    await this.deps.applier.write(() =>
      this.deps.writer.createRelease(backlog.root, {
        name: name.trim(),
        date: date.trim() === '' ? undefined : date.trim(),
        goal: goal.trim() === '' ? undefined : goal.trim(),
      }),
    );
  }

  // ---- Finding what a command works on ----------------------------------------------------------

  /**
   * The items a command works on: the selected rows, the clicked row, the file passed (editor
   * title menu), the item open in the active editor, or else one picked from a list.
   */
  private async targetItems(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined, verb: string): Promise<Item[] | undefined> {
    await this.deps.scheduler.whenIdle();
    const chosen = this.selectedItems(arg, selection, answers) ?? this.editorItem();
    if (chosen) {
      // An id passed as an answer that names no item: findItem has said so.
      if (chosen.length === 0) return undefined;
      if (new Set(chosen.map((i) => i.root)).size > 1) {
        void vscode.window.showWarningMessage('The selected items belong to different backlogs; select items of one backlog.');
        return undefined;
      }
      return chosen;
    }
    const all = this.deps.index.roots().flatMap((b) => b.allOrdered().filter((i) => i.folder === 'tasks' || i.folder === 'drafts'));
    return this.pickItem(all, `Item to ${verb}`, 'The backlog has no open items. Create one with "Backlog: New Item".');
  }

  /** The items named by a command's arguments, or undefined when they name none. */
  private selectedItems(arg: unknown, selection: readonly unknown[] | undefined, answers: CommandAnswers | undefined): Item[] | undefined {
    if (answers?.item !== undefined) {
      const item = this.findItem(answers.item, answers.root);
      return item ? [item] : [];
    }
    const clicked = asNode(arg);
    if (clicked?.kind === 'item') {
      // VS Code passes (clicked row, selected rows) to a context-menu command. A right-click
      // outside the selection acts on the clicked row alone, as the Explorer does.
      const selected = (selection ?? []).map(asNode).filter(isItemNode);
      const nodes = selected.some((n) => n.id === clicked.id && n.root === clicked.root) ? selected : [clicked];
      const items: Item[] = [];
      for (const n of nodes) {
        const item = this.deps.index.item(n.id, n.root);
        if (!item) throw new Error(`${n.id} is no longer in the backlog; refresh the view and try again`);
        if (!items.includes(item)) items.push(item);
      }
      return items;
    }
    if (arg instanceof vscode.Uri) {
      const path = this.deps.ws.toPath(arg);
      const item = path !== undefined ? this.itemAt(path) : undefined;
      return item ? [item] : undefined;
    }
    return undefined;
  }

  /** The item whose file is in the active editor, if it is one. */
  private editorItem(): Item[] | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const path = uri ? this.deps.ws.toPath(uri) : undefined;
    const item = path !== undefined ? this.itemAt(path) : undefined;
    return item ? [item] : undefined;
  }

  private itemAt(path: string): Item | undefined {
    const backlog = this.deps.index.backlogFor(path);
    const key = backlog?.files.get(path)?.itemKey;
    return key !== undefined ? backlog?.byKey.get(key)?.find((i) => i.path === path) : undefined;
  }

  private findItem(id: string, root: string | undefined): Item | undefined {
    const item = this.deps.index.item(id, root);
    if (!item) void vscode.window.showWarningMessage(`No item ${id} in the backlog.`);
    return item;
  }

  /** The backlog the items belong to (`targetItems` makes sure it is one). */
  private backlogOf(items: Item[]): Backlog {
    const backlog = this.deps.index.backlogFor(items[0].path);
    if (!backlog) throw new Error(`${items[0].id} is no longer in a backlog; refresh and try again`);
    return backlog;
  }

  /** Asks which backlog when the workspace has several; undefined (after saying so) when it has none. */
  private async pickBacklog(root: string | undefined): Promise<Backlog | undefined> {
    const roots = this.deps.index.roots();
    if (root !== undefined) {
      const found = roots.find((b) => b.root === root);
      if (found) return found;
    }
    if (roots.length === 0) {
      void vscode.window.showWarningMessage('This workspace has no backlog. Run "Backlog: Initialize Backlog" to create one.');
      return undefined;
    }
    if (roots.length === 1) return roots[0];
    return pick(
      roots.map((b) => ({ label: b.config.projectName || basename(b.folder), description: vscode.workspace.asRelativePath(this.deps.ws.toUri(b.root)), value: b })),
      'Which backlog?',
    );
  }

  /** The sprint a sprint command works on: the row it was run on, or one picked from `eligible`. */
  private async pickSprint(
    arg: unknown,
    answers: CommandAnswers | undefined,
    eligible: (s: Sprint) => boolean,
    placeHolder: string,
    none: string,
  ): Promise<{ backlog: Backlog; sprint: Sprint } | undefined> {
    const node: TreeNode | undefined = asNode(arg);
    const id = node?.kind === 'sprint' ? node.id : answers?.sprint ?? undefined;
    const roots = this.deps.index.roots().filter((b) => node === undefined || b.root === node.root).filter((b) => answers?.root === undefined || b.root === answers.root);
    if (id !== undefined) {
      for (const backlog of roots) {
        const sprint = backlog.sprint(id);
        if (sprint) return { backlog, sprint };
      }
      void vscode.window.showWarningMessage(`No sprint ${id} in sprints.yml.`);
      return undefined;
    }
    const candidates = roots.flatMap((backlog) => backlog.sprints.filter(eligible).map((sprint) => ({ backlog, sprint })));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(none);
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    return pick(
      candidates.map((c) => ({ ...sprintChoice(c.sprint), detail: roots.length > 1 ? c.backlog.config.projectName : undefined, value: c })),
      placeHolder,
    );
  }

  private async pickItem(items: Item[], placeHolder: string, none: string): Promise<Item[] | undefined> {
    if (items.length === 0) {
      void vscode.window.showInformationMessage(none);
      return undefined;
    }
    const picked = await pick(
      items.map((i) => {
        const backlog = this.deps.index.backlogFor(i.path);
        const where = [
          i.sprint !== undefined ? (backlog?.sprint(i.sprint)?.name ?? i.sprint) : undefined,
          backlog ? releaseOf(backlog, i)?.name : undefined,
        ].filter((x): x is string => x !== undefined);
        return {
          label: `${i.id} ${i.title}`,
          description: [i.status, i.type].filter((x) => x !== undefined && x !== '').join(' · '),
          detail: where.length > 0 ? where.join(' · ') : undefined,
          value: i,
        };
      }),
      placeHolder,
      { matchOnDescription: true, matchOnDetail: true },
    );
    return picked ? [picked] : undefined;
  }

  // ---- Writing --------------------------------------------------------------------------------

  /** Sets one field on every item in one write: all files change, or none (on a refusal). */
  private async setField(items: Item[], key: string, value: FieldValue): Promise<void> {
    const done = await this.deps.applier.write(async (): Promise<WriteResult> => {
      const operations: FileOperation[] = [];
      const summaries: string[] = [];
      for (const item of items) {
        const r = await this.deps.writer.setField(item.id, key, value, item.root);
        if (!r.ok) return { ok: false, message: items.length > 1 ? `${item.id}: ${r.message}` : r.message };
        operations.push(...r.operations);
        summaries.push(r.summary);
      }
      return { ok: true, operations, summary: items.length === 1 ? summaries[0] : `${plural(operations.length, 'item')}: ${key} ${value === null ? 'removed' : `set to ${String(value)}`}` };
    });
    if (done) vscode.window.setStatusBarMessage(`Backlog: ${done.summary}`, 4000);
  }

  private async open(item: Item): Promise<void> {
    await openItem(this.deps.ws.toUri(item.path), { preview: true, line: item.fieldLines.title ?? 0 });
  }
}

// ---- Helpers ----------------------------------------------------------------------------------

function isItemNode(n: TreeNode | undefined): n is Extract<TreeNode, { kind: 'item' }> {
  return n?.kind === 'item';
}

/** The answer a caller passed, or else what the prompt returns (undefined: cancelled). */
async function ask<T>(answer: T | undefined, prompt: () => Thenable<T | undefined>): Promise<T | undefined> {
  return answer !== undefined ? answer : prompt();
}

async function pick<T>(choices: Choice<T>[], placeHolder: string, options: vscode.QuickPickOptions = {}): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(choices, { placeHolder, ...options });
  return chosen?.value;
}

/** Checks the command's second argument; anything but a plain object (a selection array) is no answers. */
export function readAnswers(arg: unknown): CommandAnswers | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || arg instanceof vscode.Uri || asNode(arg)) return undefined;
  const a = arg as Record<string, unknown>;
  const out: CommandAnswers = {};
  const text = (k: 'root' | 'item' | 'type' | 'title' | 'status' | 'name' | 'start' | 'end' | 'date' | 'goal' | 'handling' | 'reassignTo') => {
    if (a[k] === undefined) return;
    if (typeof a[k] !== 'string') throw new Error(`answer "${k}" should be text`);
    out[k] = a[k];
  };
  const textOrNull = (k: 'sprint' | 'release' | 'size' | 'moveUnfinishedTo') => {
    if (a[k] === undefined) return;
    if (a[k] !== null && typeof a[k] !== 'string') throw new Error(`answer "${k}" should be text or null`);
    out[k] = a[k];
  };
  for (const k of ['root', 'item', 'type', 'title', 'status', 'name', 'start', 'end', 'date', 'goal', 'handling', 'reassignTo'] as const) text(k);
  for (const k of ['sprint', 'release', 'size', 'moveUnfinishedTo'] as const) textOrNull(k);
  if (a.estimate !== undefined) {
    if (a.estimate !== null && typeof a.estimate !== 'number') throw new Error('answer "estimate" should be a number or null');
    out.estimate = a.estimate;
  }
  if (a.capacity !== undefined) {
    if (typeof a.capacity !== 'number') throw new Error('answer "capacity" should be a number');
    out.capacity = a.capacity;
  }
  return out;
}

/** Sprints items can be planned into: the active one first, then the planned ones by start date. */
function openSprints(backlog: Backlog): Sprint[] {
  const order = { active: 0, planned: 1, closed: 2 } as const;
  return backlog.sprints
    .filter((s) => s.state !== 'closed')
    .sort((a, b) => order[a.state] - order[b.state] || (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff') || compareIds(a.id, b.id));
}

function sprintChoice(s: Sprint): Choice<string> {
  const dates = s.start !== undefined || s.end !== undefined ? `${s.start ?? '?'} – ${s.end ?? '?'}` : undefined;
  return { label: s.name, description: [s.id, s.state, dates].filter((x) => x !== undefined).join(' · '), detail: s.goal, value: s.id };
}

function releaseChoice(r: Release): Choice<string> {
  return { label: r.name, description: [r.id, r.date].filter((x) => x !== undefined).join(' · '), detail: r.goal, value: r.id };
}

function releaseOf(backlog: Backlog, item: Item): Release | undefined {
  const ref = item.release ?? item.milestone;
  return ref !== undefined ? backlog.release(ref) : undefined;
}

/** The value every item shares, or undefined when they differ. */
function common<T>(values: T[]): T | undefined {
  return values.every((v) => v === values[0]) ? values[0] : undefined;
}

/** A choice's description, with "current" in front when it is the items' current value. */
function mark(current: boolean, description?: string): string | undefined {
  if (!current) return description;
  return description !== undefined ? `current · ${description}` : 'current';
}

function what(items: Item[]): string {
  return items.length === 1 ? items[0].id : `${items.length} items`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function required(message: string): (v: string) => string | undefined {
  return (v) => (v.trim() === '' ? message : undefined);
}

function parsePoints(v: string): number | undefined {
  const n = v.trim() === '' ? NaN : Number(v.trim());
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** Why a typed date will not do, or undefined when it is a real `YYYY-MM-DD` day. */
function dateProblem(v: string, optional: boolean): string | undefined {
  const s = v.trim();
  if (s === '') return optional ? undefined : 'Type a date as YYYY-MM-DD.';
  if (!isDay(s)) return `"${s}" is not a date; type it as YYYY-MM-DD, such as 2027-03-01.`;
  return undefined;
}
