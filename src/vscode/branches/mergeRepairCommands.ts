import * as vscode from 'vscode';
import { CommandDeps } from '../commands/backlogCommands';
import { FileOperation } from '../../core/writer';
import { retargetTodoRefs } from '../../core/todo/todoEditText';
import { CodeTodo, TodoIndex } from '../todos/todoIndex';
import { registerCommand } from '../platform/commands';
import { EQUAL_RANK_CODE } from '../../core/backlog';
import { Disposable } from '../platform/lifecycle';

export const RENUMBER_COMMAND = 'backlogAtlas.renumberItem';
export const SPREAD_RANKS_COMMAND = 'backlogAtlas.spreadEqualRanks';
/** The index's code for two live items that share an id (src/core/backlog.ts). */
const DUPLICATE_ID = 'duplicate-id';

/**
 * Repair after a merge. On a duplicate id, "Give This Item a New Id" renumbers the item of the
 * file (front matter and the id part of its file name), and "…and Move References to It" also
 * makes the dependencies, subtasks, parent and epic that name the id name the new one. One
 * undoable change each; the rule is the writer's (`renumberItem`). On equal ranks, "Spread Equal
 * Ranks" gives the items that share a rank with their neighbour ranks of their own, and nothing else.
 */
export class MergeRepairCommands extends Disposable {
  constructor(private readonly deps: CommandDeps & { todos: TodoIndex }) {
    super();
    this.register(registerCommand(deps.log, RENUMBER_COMMAND, 'Give Item a New Id', (path, moveReferences) => this.renumber(typeof path === 'string' ? path : undefined, moveReferences === true)));
    this.register(registerCommand(deps.log, SPREAD_RANKS_COMMAND, 'Spread Equal Ranks', (root) => this.spread(typeof root === 'string' ? root : undefined)));
    this.register(vscode.languages.registerCodeActionsProvider({ pattern: '**/*.md' }, new MergeRepairQuickFix(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }));
  }

  private async spread(root: string | undefined): Promise<void> {
    await this.deps.scheduler.whenIdle();
    const roots = this.deps.index.roots().filter((b) => (root === undefined || b.root === root) && b.crossFileDiagnostics().some((d) => d.code === EQUAL_RANK_CODE));
    if (roots.length === 0) {
      void vscode.window.showInformationMessage('No two neighbouring items share a rank.');
      return;
    }
    for (const b of roots) {
      const written = await this.deps.applier.write(() => this.deps.writer.spreadEqualRanks(b.root));
      if (written) vscode.window.setStatusBarMessage(`Backlog: ${written.summary}`, 4000);
    }
  }

  private async renumber(path: string | undefined, moveReferences: boolean): Promise<void> {
    const target = path ?? vscode.window.activeTextEditor?.document.uri.path;
    if (target === undefined) {
      void vscode.window.showInformationMessage('Open the item file whose id is shared, then give it a new id.');
      return;
    }
    const { scheduler, writer, applier, index, ws, log, todos } = this.deps;
    await scheduler.whenIdle();
    const oldId = index.backlogFor(target)?.files.get(target)?.itemKey;
    const r = await writer.renumberItem(target, { moveReferences });
    if (!r.ok) {
      log.info(`Refused: ${r.message}`);
      void vscode.window.showWarningMessage(r.message);
      return;
    }
    // With the references, the TODOs in code that name the id follow it, in the same change.
    const todoOps: FileOperation[] = [];
    if (moveReferences && oldId !== undefined) {
      const byFile = new Map<string, CodeTodo[]>();
      for (const t of todos.byItem(oldId)) byFile.set(t.uri.path, [...(byFile.get(t.uri.path) ?? []), t]);
      for (const [path, list] of byFile) {
        const op = retargetTodoRefs(path, await ws.read(path), list.flatMap((t) => (t.ref ? [{ line: t.line, ref: t.ref }] : [])), r.itemId!);
        if (op) todoOps.push(op);
      }
    }
    const summary = todoOps.length > 0 ? `${r.summary}; TODOs in ${todoOps.length} file(s) too` : r.summary;
    if (!(await applier.apply([...r.operations, ...todoOps], undefined, r.label ?? r.summary))) return;
    log.info(summary);
    vscode.window.setStatusBarMessage(`Backlog: ${summary}`, 4000);
  }
}

/**
 * The quick fixes of a duplicate-id error (renumber this file's item, keeping or moving the
 * references) and of an equal-rank warning (spread the equal ranks of its backlog apart).
 */
class MergeRepairQuickFix implements vscode.CodeActionProvider {
  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ties = context.diagnostics.filter((d) => d.code === EQUAL_RANK_CODE);
    const spread: vscode.CodeAction[] = [];
    if (ties.length > 0) {
      const a = new vscode.CodeAction('Spread the equal ranks apart', vscode.CodeActionKind.QuickFix);
      a.diagnostics = ties;
      a.isPreferred = true;
      a.command = { command: SPREAD_RANKS_COMMAND, title: a.title, arguments: [] };
      spread.push(a);
    }
    const problems = context.diagnostics.filter((d) => d.code === DUPLICATE_ID);
    if (problems.length === 0) return spread;
    const action = (title: string, moveReferences: boolean) => {
      const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = problems;
      a.command = { command: RENUMBER_COMMAND, title, arguments: [document.uri.path, moveReferences] };
      return a;
    };
    return [...spread, action('Give this item a new id (references stay with the other)', false), action('Give this item a new id and move the references to it', true)];
  }
}
