import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import { BacklogIndex } from '../../core/backlogIndex';
import { LinkedTodo, refRange, TodoSource } from './todoRefs';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

/**
 * "N code references" at the top of an item's file, opening the TODO comments that name the item
 * in the references view.
 */
export class ItemCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
    private readonly ws: VscodeWorkspace,
  ) {
    super();
    this.register(this.changed);
    this.register(todos.onDidChange(() => this.changed.fire()));
    this.register(index.onDidChange(() => this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const path = this.ws.toPath(document.uri);
    if (path === undefined) return [];
    const key = this.index.file(path)?.itemKey;
    const item = key === undefined ? undefined : this.index.backlogFor(path)?.byKey.get(key)?.find((i) => i.path === path);
    if (!item) return [];
    const refs = this.todos.byItem(item.id).flatMap((t) => (t.ref ? [refRange(t as LinkedTodo)] : []).map((r) => new vscode.Location(t.uri, r)));
    const locations = refs;
    const top = new vscode.Range(0, 0, 0, 0);
    const title = refs.length === 0 ? 'No code references' : `${refs.length} code reference${refs.length === 1 ? '' : 's'}`;
    // An empty command id makes the lens plain text: there is nothing to open.
    const command: vscode.Command =
      refs.length === 0
        ? { title, command: '' }
        : { title, command: 'editor.action.showReferences', arguments: [document.uri, top.start, locations], tooltip: `TODO comments that name ${item.id}` };
    return [new vscode.CodeLens(top, command)];
  }
}
