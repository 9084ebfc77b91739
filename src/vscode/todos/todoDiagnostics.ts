import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import { BacklogIndex } from '../../core/backlogIndex';
import { resolveTodoRef, TodoRefState } from '../../core/todo/todoLinks';
import { codeSelector, CodeTodo, LinkedTodo, refRange, TodoSource } from './todoRefs';

/** The diagnostic codes, by the state of the referenced item; quick fixes key on them. */
export const TODO_DIAGNOSTIC_CODES: Readonly<Record<Exclude<TodoRefState, 'open'>, string>> = {
  missing: 'todo-missing-item',
  done: 'todo-done-item',
  dropped: 'todo-dropped-item',
};

export const TODO_DIAGNOSTIC_SOURCE = 'Backlog Atlas';

/** Changes often come in runs (a save changes the TODO index and then the backlog index). */
const DEBOUNCE_MS = 50;

/**
 * Warns on TODO comments whose item is missing, done or dropped: a stale link that should be
 * moved to another item or removed. Recomputed whenever the TODOs or the backlog change, since
 * finishing an item in the backlog makes comments elsewhere stale.
 */
export class TodoDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('backlog-atlas-todos'));
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** What was last published per Uri string, as a fingerprint, so that changes are cheap to find. */
  private published = new Map<string, string>();
  private readonly schemes = new Set(codeSelector().map((f) => f.scheme));

  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
  ) {
    super();
    this.register(todos.onDidChange(() => this.schedule()));
    this.register(index.onDidChange(() => this.schedule()));
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.publish();
  }

  /** Brings the collection in line with the TODOs and the backlog. */
  publish(): void {
    this.timer = undefined;
    const byUri = new Map<string, [vscode.Uri, CodeTodo[]]>();
    for (const todo of this.todos.all()) {
      const key = todo.uri.toString();
      const entry = byUri.get(key);
      if (entry) entry[1].push(todo);
      else byUri.set(key, [todo.uri, [todo]]);
    }
    // Open documents count as they read now, saved or not.
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isClosed || !this.schemes.has(doc.uri.scheme)) continue;
      const todos = this.todos.todosIn(doc.uri);
      if (todos.length > 0 || byUri.has(doc.uri.toString())) byUri.set(doc.uri.toString(), [doc.uri, [...todos]]);
    }
    // Only files whose problems changed are sent: this runs after every pause in typing.
    const next = new Map<string, string>();
    for (const [key, [uri, todos]] of byUri) {
      const diags = todos.flatMap((t) => (t.ref ? this.diagnose(t as LinkedTodo) : []));
      if (diags.length === 0) continue;
      const fingerprint = JSON.stringify(diags.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.code, d.message]));
      next.set(key, fingerprint);
      if (this.published.get(key) !== fingerprint) this.collection.set(uri, diags);
    }
    for (const key of this.published.keys()) if (!next.has(key)) this.collection.delete(vscode.Uri.parse(key));
    this.published = next;
  }

  private schedule(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.publish(), DEBOUNCE_MS);
  }

  private diagnose(todo: LinkedTodo): vscode.Diagnostic[] {
    const r = resolveTodoRef(this.index, todo.ref.id);
    if (r.state === 'open') return [];
    const message =
      r.state === 'missing'
        ? `${todo.ref.id} is not in the backlog.`
        : r.state === 'done'
          ? `${r.item.id} is done (${r.item.status}): this ${todo.tag} may be stale.`
          : `${r.item.id} was dropped (archived): this ${todo.tag} may be stale.`;
    const d = new vscode.Diagnostic(refRange(todo), message, vscode.DiagnosticSeverity.Warning);
    d.source = TODO_DIAGNOSTIC_SOURCE;
    d.code = TODO_DIAGNOSTIC_CODES[r.state];
    return [d];
  }
}
