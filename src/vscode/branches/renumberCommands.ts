import * as vscode from 'vscode';
import { CommandDeps } from '../commands/backlogCommands';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';

export const RENUMBER_COMMAND = 'backlogAtlas.renumberItem';
/** The index's code for two live items that share an id (src/core/backlog.ts). */
const DUPLICATE_ID = 'duplicate-id';

/**
 * Repair after a merge: on a duplicate id, "Give This Item a New Id" renumbers the item of the
 * file (front matter and the id part of its file name), and "…and Move References to It" also
 * makes the dependencies, subtasks, parent and epic that name the id name the new one. One
 * undoable change each; the rule is the writer's (`renumberItem`).
 */
export class RenumberCommands extends Disposable {
  constructor(private readonly deps: CommandDeps) {
    super();
    this.register(registerCommand(deps.log, RENUMBER_COMMAND, 'Give Item a New Id', (path, moveReferences) => this.renumber(typeof path === 'string' ? path : undefined, moveReferences === true)));
    this.register(vscode.languages.registerCodeActionsProvider({ pattern: '**/*.md' }, new RenumberQuickFix(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
  }

  private async renumber(path: string | undefined, moveReferences: boolean): Promise<void> {
    const target = path ?? vscode.window.activeTextEditor?.document.uri.path;
    if (target === undefined) {
      void vscode.window.showInformationMessage('Open the item file whose id is shared, then give it a new id.');
      return;
    }
    await this.deps.scheduler.whenIdle();
    const written = await this.deps.applier.write(() => this.deps.writer.renumberItem(target, { moveReferences }));
    if (written) vscode.window.setStatusBarMessage(`Backlog: ${written.summary}`, 4000);
  }
}

/** The quick fixes of a duplicate-id error: renumber this file's item, keeping or moving the references. */
class RenumberQuickFix implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const problems = context.diagnostics.filter((d) => d.code === DUPLICATE_ID);
    if (problems.length === 0) return [];
    const action = (title: string, moveReferences: boolean) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = problems;
      a.command = { command: RENUMBER_COMMAND, title, arguments: [document.uri.path, moveReferences] };
      return a;
    };
    return [action('Give this item a new id (references stay with the other)', false), action('Give this item a new id and move the references to it', true)];
  }
}
