import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { resolveTodoRef } from '../../core/todo/todoLinks';
import { LinkedTodo, refRange, TodoSource } from './todoRefs';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

/**
 * Ctrl+click on an id in a TODO comment opens the item's file. Only ids the index resolves get
 * a link: a dangling one is left to the diagnostic, which says what is wrong with it.
 */
export class TodoLinkProvider implements vscode.DocumentLinkProvider {
  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
    private readonly ws: VscodeWorkspace,
  ) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (const todo of this.todos.todosIn(document.uri)) {
      if (!todo.ref) continue;
      const resolved = resolveTodoRef(this.index, todo.ref.id);
      if (resolved.state === 'missing') continue;
      const link = new vscode.DocumentLink(refRange(todo as LinkedTodo), this.ws.toUri(resolved.item.path));
      link.tooltip = `Open ${resolved.item.id}`;
      links.push(link);
    }
    return links;
  }
}
