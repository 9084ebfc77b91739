import * as vscode from 'vscode';
import { ATLAS_SETTINGS_FILE, MOVE_SETTINGS_CODE } from '../../core/format/config';
import { basename, dirname } from '../../core/workspace';
import { CommandDeps } from './backlogCommands';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';

const COMMAND = 'backlogAtlas.moveSettingsOutOfConfig';

/**
 * "Move Backlog Atlas Settings out of config.yml": Backlog.md rewrites config.yml from its own
 * keys whenever it saves it, so ours move to `atlas.yml`, as one undoable change. Offered from
 * the palette and as the quick fix of the hint each of our keys in config.yml carries.
 */
export class SettingsCommands extends Disposable {
  constructor(private readonly deps: CommandDeps) {
    super();
    this.register(registerCommand(deps.log, COMMAND, 'Move Backlog Atlas Settings out of config.yml', (root) => this.move(typeof root === 'string' ? root : undefined)));
    this.register(vscode.languages.registerCodeActionsProvider({ pattern: '**/config.yml' }, new MoveSettingsQuickFix(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
  }

  private async move(root: string | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const roots = this.deps.index.roots();
    let target = root !== undefined ? roots.find((b) => b.root === root) : undefined;
    if (!target) {
      const withKeys = roots.filter((b) => b.files.get(`${b.root}/config.yml`)?.diagnostics.some((d) => d.code === MOVE_SETTINGS_CODE));
      if (withKeys.length === 0) {
        void vscode.window.showInformationMessage(`No config.yml holds Backlog Atlas settings; they are in ${ATLAS_SETTINGS_FILE} already.`);
        return;
      }
      if (withKeys.length === 1) target = withKeys[0];
      else {
        const picked = await vscode.window.showQuickPick(withKeys.map((b) => ({ label: b.config.projectName || basename(b.folder), description: b.root, value: b })), { title: 'Move Backlog Atlas settings of which backlog?' });
        target = picked?.value;
      }
    }
    if (!target) return;
    const written = await this.deps.applier.write(() => this.deps.writer.moveSettingsOutOfConfig(target.root));
    if (written) {
      this.deps.log.info(written.summary);
      vscode.window.setStatusBarMessage(`Backlog: ${written.summary}`, 4000);
    }
  }
}

/** The quick fix on each hint: one action that moves every key of that config.yml. */
class MoveSettingsQuickFix implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const hints = context.diagnostics.filter((d) => d.code === MOVE_SETTINGS_CODE);
    if (hints.length === 0) return [];
    const action = new vscode.CodeAction(`Move Backlog Atlas settings to ${ATLAS_SETTINGS_FILE}`, vscode.CodeActionKind.QuickFix);
    action.diagnostics = hints;
    action.isPreferred = true;
    action.command = { command: COMMAND, title: action.title, arguments: [dirname(document.uri.path)] };
    return [action];
  }
}
