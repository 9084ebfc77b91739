import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import { ItemCodeLensProvider } from './itemCodeLensProvider';
import { TodoCodeActionProvider } from './todoCodeActionProvider';
import { TodoCommandDeps, TodoCommands } from './todoCommands';
import { TodoCompletionProvider } from './todoCompletionProvider';
import { TodoDiagnostics } from './todoDiagnostics';
import { TodoHoverProvider } from './todoHoverProvider';
import { TodoLinkProvider } from './todoLinkProvider';
import { codeSelector } from './todoRefs';

/**
 * The TODO features of the editor, registered together: links, hovers, diagnostics, quick fixes
 * and completion on TODO comments in code, and the code-reference lens on item files.
 */
export class TodoEditorFeatures extends Disposable {
  constructor(deps: TodoCommandDeps) {
    super();
    const { index, todos, ws } = deps;
    const code = codeSelector();
    this.register(new TodoCommands(deps));
    this.register(new TodoDiagnostics(index, todos));
    this.register(vscode.languages.registerDocumentLinkProvider(code, new TodoLinkProvider(index, todos, ws)));
    this.register(vscode.languages.registerHoverProvider(code, new TodoHoverProvider(index, todos)));
    this.register(vscode.languages.registerCodeActionsProvider(code, new TodoCodeActionProvider(index, todos), TodoCodeActionProvider.metadata));
    this.register(vscode.languages.registerCompletionItemProvider(code, new TodoCompletionProvider(index, todos), ...TodoCompletionProvider.triggerCharacters));
    const lens = this.register(new ItemCodeLensProvider(index, todos, ws));
    this.register(vscode.languages.registerCodeLensProvider({ language: 'markdown' }, lens));
  }
}
