import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { idKey } from '../../core/naming';
import { Item } from '../../core/types';
import { isUnder } from '../../core/workspace';
import { CommandDeps } from '../commands/backlogCommands';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';
import { addRefEdit, descriptionFromTodo, LineEdit, titleFromTodo } from '../../core/todo/todoEditText';
import { CodeTodo, LinkedTodo, refRange, TodoSource, todosOnLine } from './todoRefs';

export interface TodoCommandDeps extends CommandDeps {
  todos: TodoSource;
}

/**
 * Answers to the TODO commands' prompts (the last argument), so that tests and other extensions
 * can run them without a person at the keyboard.
 */
export interface TodoAnswers {
  /** Link to Another Item: the id to link to. */
  item?: string;
  /** Create Backlog Items from TODOs: create one for every TODO found, without the preview. */
  all?: boolean;
}

/** Where a TODO was when a command was offered: the command finds it again in the current text. */
interface TodoTarget {
  uri: vscode.Uri;
  line: number;
  column: number;
}

type Outcome = { ok: true; id: string } | { ok: false; message: string };

export const TODO_COMMANDS = {
  createItemFromTodo: 'backlogAtlas.createItemFromTodo',
  createItemsFromTodos: 'backlogAtlas.createItemsFromTodos',
  linkTodoToItem: 'backlogAtlas.linkTodoToItem',
  reopenItem: 'backlogAtlas.reopenItem',
} as const;

/**
 * The commands behind the TODO quick fixes, and "Create Backlog Items from TODOs" for a file or
 * folder. Each is registered by `registerCommand`; item files are written through the core's writer.
 */
export class TodoCommands extends Disposable {
  constructor(private readonly deps: TodoCommandDeps) {
    super();
    const log = deps.log;
    this.register(registerCommand(log, TODO_COMMANDS.createItemFromTodo, 'Create Backlog Item from TODO', (uri, line, column) => this.createFromTodo(target(uri, line, column))));
    this.register(
      registerCommand(log, TODO_COMMANDS.createItemsFromTodos, 'Create Backlog Items from TODOs', (arg, second, third) =>
        this.createFromTodos(arg, Array.isArray(second) ? second : undefined, readAnswers(Array.isArray(second) ? third : second)),
      ),
    );
    this.register(registerCommand(log, TODO_COMMANDS.linkTodoToItem, 'Link to Another Item', (uri, line, column, answers) => this.linkToItem(target(uri, line, column), readAnswers(answers))));
    this.register(registerCommand(log, TODO_COMMANDS.reopenItem, 'Reopen Item', (id, root) => this.reopen(id, root)));
  }

  private async createFromTodo(at: TodoTarget | undefined): Promise<void> {
    if (!at) throw new Error('expected (uri, line, column) of a TODO');
    const outcome = await this.createOne(at);
    if (!outcome.ok) {
      void vscode.window.showWarningMessage(outcome.message);
      return;
    }
    vscode.window.setStatusBarMessage(`Backlog: created ${outcome.id}`, 4000);
  }

  /** For every unlinked TODO in the given files and folders (or the active file), after a preview. */
  private async createFromTodos(arg: unknown, selection: readonly unknown[] | undefined, answers: TodoAnswers | undefined): Promise<void> {
    const uris = (selection && selection.length > 0 ? selection : [arg]).filter((u): u is vscode.Uri => u instanceof vscode.Uri);
    if (uris.length === 0) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (!active) {
        void vscode.window.showInformationMessage('Open a file, or run this on a file or folder in the Explorer.');
        return;
      }
      uris.push(active);
    }
    const found = await this.unlinkedIn(uris);
    if (found.length === 0) {
      void vscode.window.showInformationMessage('No unlinked TODOs there: every one already names an item.');
      return;
    }
    let chosen = found;
    if (!answers?.all) {
      const picked = await vscode.window.showQuickPick(
        found.map((t) => ({ label: t.text || `(${t.tag} with no text)`, description: `${vscode.workspace.asRelativePath(t.uri, false)}:${t.line + 1}`, picked: true, todo: t })),
        { canPickMany: true, title: `Create ${found.length} Backlog Item${found.length === 1 ? '' : 's'} from TODOs`, placeHolder: 'Each checked TODO becomes a debt item, and its comment gets the new id' },
      );
      if (!picked || picked.length === 0) return;
      chosen = picked.map((p) => p.todo);
    }
    const created: string[] = [];
    const problems: string[] = [];
    // One at a time: each new item's id depends on the ones created before it; one step to undo.
    await this.deps.applier.asOneChange(`Created ${chosen.length} debt item${chosen.length === 1 ? '' : 's'} from TODOs`, async () => {
      for (const todo of chosen) {
        const outcome = await this.createOne(todo);
        if (outcome.ok) created.push(outcome.id);
        else problems.push(outcome.message);
      }
    });
    if (created.length > 0) this.deps.log.info(`Created ${created.length} debt item(s) from TODOs: ${created.join(', ')}`);
    if (problems.length > 0) {
      for (const p of problems) this.deps.log.warn(p);
      void vscode.window.showWarningMessage(`Created ${created.length} of ${chosen.length} items. ${problems[0]}${problems.length > 1 ? ` (${problems.length - 1} more in the log)` : ''}`);
    } else vscode.window.setStatusBarMessage(`Backlog: created ${created.length} debt item${created.length === 1 ? '' : 's'} from TODOs`, 4000);
  }

  /**
   * Creates a debt item from one TODO and writes its id into the comment, in ONE workspace
   * edit, so that a single undo takes back both. `EditApplier.apply` cannot do this: it applies
   * each operation through its own edit (and saves), which would make two undo steps, so the
   * same checks are made here: the new file must not exist, and the source must still read as
   * it did when the edit was computed.
   */
  private async createOne(at: TodoTarget): Promise<Outcome> {
    const { scheduler, writer, ws } = this.deps;
    await scheduler.whenIdle();
    const doc = await vscode.workspace.openTextDocument(at.uri);
    const location = `${vscode.workspace.asRelativePath(at.uri, false)}:${at.line + 1}`;
    const todo = todosOnLine(this.deps.todos, doc, at.line).find((t) => t.column === at.column);
    if (!todo) return { ok: false, message: `The TODO at ${location} has moved; try again.` };
    if (todo.ref) return { ok: false, message: `The TODO at ${location} already names ${todo.ref.id}.` };
    const backlog = this.backlogFor(at.uri);
    if (!backlog) return { ok: false, message: 'This workspace has no backlog yet. Run "Backlog: Initialize Backlog" first.' };
    // The version, not a hash: any keystroke in between must stop the edit, even one undone.
    const version = doc.version;
    const wasDirty = doc.isDirty;
    const result = await writer.createItem(backlog.root, { title: titleFromTodo(todo, location), type: 'debt', description: descriptionFromTodo(todo, location) });
    if (!result.ok) return { ok: false, message: result.message };
    const create = result.operations.find((op) => op.kind === 'create');
    if (!create || create.kind !== 'create' || result.itemId === undefined || result.operations.length !== 1) throw new Error('the writer did not return one new file');
    const target = ws.toUri(create.path);
    if (await ws.stat(create.path)) return { ok: false, message: `${create.path.slice(create.path.lastIndexOf('/') + 1)} already exists; nothing was written.` };
    if (doc.isClosed || doc.version !== version) return { ok: false, message: `${location} changed while the item was being made; nothing was written.` };
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(target, { contents: new TextEncoder().encode(create.content), overwrite: false, ignoreIfExists: false });
    replace(edit, doc.uri, todo.line, addRefEdit(todo, result.itemId));
    // Also recorded by the applier, for "Backlog: Undo Last Change" when no editor shows the code.
    const applied = await this.deps.applier.recordOwnWrite(`${result.summary} from ${location}`, [create.path, doc.uri.path], async () => {
      if (!(await vscode.workspace.applyEdit(edit))) return false;
      // Through the applier, which reads the new file again later: an undo right after would
      // otherwise leave it in the index (VS Code folds "created, then deleted" into no event).
      await this.deps.applier.written([{ kind: 'created', path: create.path }]);
      // A clean source is saved, so the comment and the new item reach the disk together; a
      // dirty one stays unsaved, because saving would also write the user's unfinished text.
      if (!wasDirty && !(await doc.save())) this.deps.log.warn(`${location} got the id ${result.itemId} but could not be saved.`);
      return true;
    });
    if (!applied) return { ok: false, message: `VS Code refused the edit; nothing was written for ${location}.` };
    this.deps.log.info(`${result.summary} from ${location}`);
    return { ok: true, id: result.itemId };
  }

  private async linkToItem(at: TodoTarget | undefined, answers: TodoAnswers | undefined): Promise<void> {
    if (!at) throw new Error('expected (uri, line, column) of a TODO');
    await this.deps.scheduler.whenIdle();
    const doc = await vscode.workspace.openTextDocument(at.uri);
    const todo = todosOnLine(this.deps.todos, doc, at.line).find((t): t is LinkedTodo => t.ref?.column === at.column);
    if (!todo) {
      void vscode.window.showWarningMessage('That TODO has changed; try again.');
      return;
    }
    let id = answers?.item;
    if (id === undefined) {
      const choices = this.deps.index
        .roots()
        .flatMap((b) => openItems(b))
        .filter((i) => i.key !== idKey(todo.ref.id))
        .map((i) => ({ label: i.id, description: i.title, detail: [i.status, i.type].filter((x) => x !== undefined).join(' · '), id: i.id }));
      if (choices.length === 0) {
        void vscode.window.showInformationMessage('The backlog has no open item to link to.');
        return;
      }
      id = (await vscode.window.showQuickPick(choices, { placeHolder: `Link this ${todo.tag} to…`, matchOnDescription: true }))?.id;
      if (id === undefined) return;
    }
    const item = this.deps.index.item(id);
    if (!item) {
      void vscode.window.showWarningMessage(`No item ${id} in the backlog.`);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, refRange(todo), item.id);
    if (!(await vscode.workspace.applyEdit(edit))) void vscode.window.showWarningMessage('VS Code refused the edit.');
  }

  /** Sets a done item back to the backlog's default status. */
  private async reopen(id: unknown, root: unknown): Promise<void> {
    if (typeof id !== 'string') throw new Error('expected an item id');
    const rootPath = typeof root === 'string' ? root : undefined;
    await this.deps.scheduler.whenIdle();
    const item = this.deps.index.item(id, rootPath);
    const backlog = item ? this.deps.index.backlogFor(item.path) : undefined;
    if (!item || !backlog) {
      void vscode.window.showWarningMessage(`No item ${id} in the backlog.`);
      return;
    }
    const done = await this.deps.applier.write(() => this.deps.writer.setField(item.id, 'status', backlog.config.defaultStatus, backlog.root));
    if (done) vscode.window.setStatusBarMessage(`Backlog: ${done.summary}`, 4000);
  }

  /** Unlinked TODOs in files and folders, in path and line order. */
  private async unlinkedIn(uris: vscode.Uri[]): Promise<CodeTodo[]> {
    const out: CodeTodo[] = [];
    const seen = new Set<string>();
    for (const uri of uris) {
      let isFolder = false;
      try {
        isFolder = ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
      } catch {
        // An untitled or deleted file: its open document may still hold TODOs.
      }
      const todos = isFolder
        ? this.deps.todos.unlinked().filter((t) => t.uri.scheme === uri.scheme && t.uri.authority === uri.authority && isUnder(t.uri.path, uri.path))
        : this.deps.todos.todosIn(uri).filter((t) => !t.ref);
      for (const t of todos) {
        const key = `${t.uri.toString()}#${t.line}:${t.column}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(t);
        }
      }
    }
    return out.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.line - b.line || a.column - b.column);
  }

  /** The backlog of the innermost workspace folder holding a file, else the first one. */
  private backlogFor(uri: vscode.Uri): Backlog | undefined {
    const roots = this.deps.index.roots();
    let best: Backlog | undefined;
    for (const b of roots) if (isUnder(uri.path, b.folder) && (!best || b.folder.length > best.folder.length)) best = b;
    return best ?? roots[0];
  }
}

/** Items a TODO can point to: open ones in `tasks/` or `drafts/`, in backlog order. */
export function openItems(backlog: Backlog): Item[] {
  return backlog.allOrdered().filter((i) => (i.folder === 'tasks' || i.folder === 'drafts') && !backlog.isDone(i));
}

function replace(edit: vscode.WorkspaceEdit, uri: vscode.Uri, line: number, e: LineEdit): void {
  edit.replace(uri, new vscode.Range(line, e.start, line, e.end), e.newText);
}

function target(uri: unknown, line: unknown, column: unknown): TodoTarget | undefined {
  if (!(uri instanceof vscode.Uri) || typeof line !== 'number' || typeof column !== 'number') return undefined;
  return { uri, line, column };
}

function readAnswers(arg: unknown): TodoAnswers | undefined {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || arg instanceof vscode.Uri) return undefined;
  const a = arg as Record<string, unknown>;
  const out: TodoAnswers = {};
  if (a.item !== undefined) {
    if (typeof a.item !== 'string') throw new Error('answer "item" should be text');
    out.item = a.item;
  }
  if (a.all !== undefined) {
    if (typeof a.all !== 'boolean') throw new Error('answer "all" should be true or false');
    out.all = a.all;
  }
  return out;
}
