import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { commentSyntaxFor } from '../../core/todo/todo';
import { openItems } from './todoCommands';
import { TodoSource } from './todoRefs';

/**
 * Offers item ids after `TODO(`, `FIXME [` and the like inside comments: open items in backlog
 * order, each with its title, so that the reference is picked rather than remembered.
 */
export class TodoCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['(', '['];

  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const line = document.lineAt(position.line).text;
    const before = line.slice(0, position.character);
    const m = /(?<![A-Za-z0-9_])([A-Za-z]+)\s*([([])\s*([A-Za-z]*-?[\d.]*)$/.exec(before);
    if (!m) return undefined;
    const matcher = this.todos.matcher();
    if (!matcher.options.tags.includes(m[1])) return undefined;
    // Only where the matcher takes the tag, which means inside a comment and not a string.
    const syntax = commentSyntaxFor(document.uri.path);
    if (!syntax) return undefined;
    const tagColumn = m.index;
    const inComment =
      matcher.findInLine(line, position.line, syntax).some((t) => t.column === tagColumn) ||
      this.todos.todosIn(document.uri).some((t) => t.line === position.line && t.column === tagColumn);
    if (!inComment) return undefined;
    const range = new vscode.Range(position.line, position.character - m[3].length, position.line, position.character);
    const close = m[2] === '(' ? ')' : ']';
    const closer = line.slice(position.character).trimStart().startsWith(close) ? '' : close;
    const items: vscode.CompletionItem[] = [];
    let n = 0;
    for (const backlog of this.index.roots()) {
      for (const item of openItems(backlog)) {
        const c = new vscode.CompletionItem({ label: item.id, description: item.title }, vscode.CompletionItemKind.Reference);
        c.range = range;
        c.insertText = item.id + closer;
        // Typing words of the title finds the item too.
        c.filterText = `${item.id} ${item.title}`;
        c.sortText = String(n++).padStart(6, '0');
        c.detail = [item.status, item.type].filter((x) => x !== undefined).join(' · ');
        items.push(c);
      }
    }
    return items;
  }
}
