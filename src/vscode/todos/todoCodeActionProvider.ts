import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { TODO_COMMANDS } from './todoCommands';
import { TODO_DIAGNOSTIC_CODES, TODO_DIAGNOSTIC_SOURCE } from './todoDiagnostics';
import { removeRefEdit } from '../../core/todo/todoEditText';
import { resolveTodoRef } from '../../core/todo/todoLinks';
import { linkedTodoAt, TodoSource, todosOnLine } from './todoRefs';

const CODES = new Set(Object.values(TODO_DIAGNOSTIC_CODES));
/** A selection over a whole file would offer one action per TODO in it; that many are noise. */
const MAX_LINES = 50;

/**
 * Quick fixes on TODO comments: for a stale reference (missing, done or dropped item) link it
 * to another item, remove it, or reopen the item; for an unlinked TODO, create a debt item.
 */
export class TodoCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== TODO_DIAGNOSTIC_SOURCE || typeof d.code !== 'string' || !CODES.has(d.code)) continue;
      const todo = linkedTodoAt(this.todos, document, d.range.start);
      if (!todo) continue;
      const id = todo.ref.id;

      const link = new vscode.CodeAction('Link to another item…', vscode.CodeActionKind.QuickFix);
      link.command = { command: TODO_COMMANDS.linkTodoToItem, title: link.title, arguments: [document.uri, todo.line, todo.ref.column] };
      link.diagnostics = [d];
      actions.push(link);

      const remove = new vscode.CodeAction('Remove the reference', vscode.CodeActionKind.QuickFix);
      const e = removeRefEdit(document.lineAt(todo.line).text, todo);
      remove.edit = new vscode.WorkspaceEdit();
      remove.edit.replace(document.uri, new vscode.Range(todo.line, e.start, todo.line, e.end), e.newText);
      remove.diagnostics = [d];
      actions.push(remove);

      // Only a status keeps a done item done in tasks/; one in completed/ or archive/ would need
      // moving back, which the writer does not do.
      const r = resolveTodoRef(this.index, id);
      if (r.state === 'done' && (r.item.folder === 'tasks' || r.item.folder === 'drafts')) {
        const reopen = new vscode.CodeAction(`Reopen ${r.item.id}`, vscode.CodeActionKind.QuickFix);
        reopen.command = { command: TODO_COMMANDS.reopenItem, title: reopen.title, arguments: [r.item.id, r.backlog.root] };
        reopen.diagnostics = [d];
        actions.push(reopen);
      }
    }
    if (this.index.roots().length === 0) return actions;
    const last = Math.min(range.end.line, range.start.line + MAX_LINES);
    for (let line = range.start.line; line <= last; line++) {
      for (const todo of todosOnLine(this.todos, document, line)) {
        if (todo.ref) continue;
        const create = new vscode.CodeAction('Create Backlog Item from TODO', vscode.CodeActionKind.QuickFix);
        create.command = { command: TODO_COMMANDS.createItemFromTodo, title: create.title, arguments: [document.uri, todo.line, todo.column] };
        actions.push(create);
      }
    }
    return actions;
  }
}
