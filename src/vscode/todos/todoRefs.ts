// What the editor features share about TODO comments: where they come from, and
// which documents the providers attach to (what a reference resolves to is the core's resolveTodoRef).
import * as vscode from 'vscode';
import { commentSyntaxFor, TodoMatch, TodoMatcher, TodoRef } from '../../core/todo/todo';
import type { CodeTodo } from './todoIndex';

export type { CodeTodo };

/** A TODO that names an item. */
export type LinkedTodo = CodeTodo & { ref: TodoRef };

/**
 * What the editor features need of the TODO index. `TodoIndex` satisfies it; the features take
 * this narrower shape so that they depend on what they use, not on how the scan works.
 */
export interface TodoSource {
  readonly onDidChange: vscode.Event<void>;
  matcher(): TodoMatcher;
  /** TODOs of one file; for an open document, of its current text. */
  todosIn(uri: vscode.Uri): readonly CodeTodo[];
  all(): readonly CodeTodo[];
  byItem(id: string): readonly CodeTodo[];
  unlinked(): readonly CodeTodo[];
}

/**
 * Documents the TODO features attach to: files in any of the schemes a workspace uses (local,
 * remote, virtual) and new untitled files. Not `{ pattern: '**' }` alone: that also matches
 * output channels, diff sides and other read-only views where a link or quick fix makes no sense.
 */
export function codeSelector(): vscode.DocumentFilter[] {
  const schemes = new Set(['file', 'vscode-remote', 'vscode-vfs', 'untitled']);
  for (const f of vscode.workspace.workspaceFolders ?? []) schemes.add(f.uri.scheme);
  return [...schemes].map((scheme) => ({ scheme }));
}

export function refRange(todo: LinkedTodo): vscode.Range {
  return new vscode.Range(todo.line, todo.ref.column, todo.line, todo.ref.endColumn);
}

/**
 * The TODOs on one line of a document as it reads now. The index's answer is taken when it
 * still matches the text (it may lag a keystroke behind); otherwise the line is matched again.
 */
export function todosOnLine(todos: TodoSource, document: vscode.TextDocument, line: number): CodeTodo[] {
  if (line < 0 || line >= document.lineCount) return [];
  const text = document.lineAt(line).text;
  const indexed = todos.todosIn(document.uri).filter((t) => t.line === line);
  const current = (t: TodoMatch) => text.startsWith(t.tag, t.column) && (!t.ref || text.slice(t.ref.column, t.ref.endColumn) === t.ref.id);
  if (indexed.length > 0 && indexed.every(current)) return indexed;
  const syntax = commentSyntaxFor(document.uri.path);
  if (!syntax) return [];
  return todos
    .matcher()
    .findInLine(text, line, syntax)
    .map((t) => ({ ...t, uri: document.uri }));
}

/** The TODO whose item reference covers a position, if any. */
export function linkedTodoAt(todos: TodoSource, document: vscode.TextDocument, position: vscode.Position): LinkedTodo | undefined {
  return todosOnLine(todos, document, position.line).find(
    (t): t is LinkedTodo => t.ref !== undefined && position.character >= t.ref.column && position.character <= t.ref.endColumn,
  );
}
