import * as vscode from 'vscode';
import type { Clock } from '../../core/clock';
import { BacklogIndex } from '../../core/backlogIndex';
import { joinPath } from '../../core/workspace';
import { ATLAS_SETTINGS_FILE } from '../../core/format/config';
import { BacklogWriter } from '../../core/writer';
import { EditApplier } from '../platform/editApplier';
import { IndexScheduler } from '../../core/indexScheduler';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';

export interface CommandDeps {
  index: BacklogIndex;
  scheduler: IndexScheduler;
  writer: BacklogWriter;
  applier: EditApplier;
  ws: VscodeWorkspace;
  log: vscode.LogOutputChannel;
  /** What day it is: the extension's one clock. */
  clock: Clock;
}

/** The commands about the backlog as a whole: refresh, the log, a first backlog. */
export class BacklogCommands extends Disposable {
  constructor(private readonly deps: CommandDeps) {
    super();
    this.register(registerCommand(deps.log, 'backlogAtlas.refresh', 'Refresh', () => this.refresh()));
    this.register(registerCommand(deps.log, 'backlogAtlas.showLog', 'Show Log', () => deps.log.show()));
    this.register(registerCommand(deps.log, 'backlogAtlas.initialize', 'Initialize Backlog', () => this.initialize()));
  }

  private async refresh(): Promise<void> {
    const started = Date.now();
    await this.deps.scheduler.build();
    const roots = this.deps.index.roots();
    const items = roots.reduce((n, b) => n + b.items().length, 0);
    this.deps.log.info(`Refreshed: ${roots.length} backlog(s), ${items} items in ${Date.now() - started} ms.`);
    vscode.window.setStatusBarMessage(`Backlog refreshed: ${items} items`, 3000);
  }

  /** Creates `backlog/config.yml`, `backlog/atlas.yml` and one example item in the first workspace folder, then opens the item. */
  private async initialize(): Promise<void> {
    const { index, scheduler, writer, applier, ws, log } = this.deps;
    // The first build may still be running; until it ends, "no backlog" is not known.
    await scheduler.whenIdle();
    if (index.roots().length > 0) {
      void vscode.window.showInformationMessage('This workspace already has a backlog. Open the Backlog view to see it.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showWarningMessage('Open a folder first, then run "Backlog: Initialize Backlog".');
      return;
    }
    const root = joinPath(folder.uri.path, 'backlog');
    const config = { kind: 'create' as const, path: joinPath(root, 'config.yml'), content: initialConfigYaml(folder.name) };
    const settings = { kind: 'create' as const, path: joinPath(root, ATLAS_SETTINGS_FILE), content: initialSettingsYaml() };
    // Two rounds of writes, one step to undo.
    const created = await applier.asOneChange('Initialized a backlog', async () => {
      if (!(await applier.apply([config, settings]))) return undefined;
      // The applier told the index about the new file; the item can only be placed once the
      // index has found the new root and read its config (prefix, statuses).
      await scheduler.whenIdle();
      if (!index.roots().some((b) => b.root === root)) {
        throw new Error(`created ${ws.toUri(config.path).fsPath} but the backlog index does not see it; run "Backlog: Refresh"`);
      }
      return applier.write(() =>
        writer.createItem(root, {
          title: 'Example story: replace me with your first piece of work',
          type: 'story',
          estimate: 3,
          description:
            'Each backlog item is a Markdown file in backlog/tasks/ with YAML front matter on top. ' +
            'Change the fields at the top (status, estimate, sprint, ...) or this text, and the Backlog view follows. ' +
            'Delete this file when you no longer need it.',
        }),
      );
    });
    const file = created?.operations.find((op) => op.kind === 'create');
    if (!file || file.kind !== 'create') return;
    log.info(`Initialized a backlog in ${root}.`);
    await vscode.window.showTextDocument(ws.toUri(file.path), { preview: false });
  }
}

/** A new backlog's `config.yml`: Backlog.md's keys in the simple `key: value` form it writes. */
export function initialConfigYaml(projectName: string): string {
  return [
    // JSON strings are valid YAML double-quoted scalars, so any folder name is safe here.
    `project_name: ${JSON.stringify(projectName)}`,
    'task_prefix: "bl"',
    'default_status: "To Do"',
    'statuses: ["To Do", "In Progress", "Done"]',
    'labels: []',
    'types: [epic, story, task, bug, spike, debt, improvement, opportunity]',
    'date_format: yyyy-mm-dd',
    '',
  ].join('\n');
}

/** A new backlog's `atlas.yml`: our settings, where Backlog.md's saves of config.yml cannot drop them. */
export function initialSettingsYaml(): string {
  return [
    "# Backlog Atlas's settings. Backlog.md neither reads nor rewrites this file.",
    'done_statuses: ["Done"]',
    'estimate_scale: [1, 2, 3, 5, 8, 13, 21]',
    'size_points: {XS: 1, S: 2, M: 5, L: 8, XL: 13}',
    'todo_tags: [TODO, FIXME, HACK, XXX, BUG]',
    '',
  ].join('\n');
}
