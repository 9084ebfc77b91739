import * as vscode from 'vscode';
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
export class TodoEditorFeatures implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(deps: TodoCommandDeps) {
    const { index, todos, ws } = deps;
    const code = codeSelector();
    const lens = new ItemCodeLensProvider(index, todos, ws);
    this.disposables.push(
      new TodoCommands(deps),
      new TodoDiagnostics(index, todos),
      vscode.languages.registerDocumentLinkProvider(code, new TodoLinkProvider(index, todos, ws)),
      vscode.languages.registerHoverProvider(code, new TodoHoverProvider(index, todos)),
      vscode.languages.registerCodeActionsProvider(code, new TodoCodeActionProvider(index, todos), TodoCodeActionProvider.metadata),
      vscode.languages.registerCompletionItemProvider(code, new TodoCompletionProvider(index, todos), ...TodoCompletionProvider.triggerCharacters),
      lens,
      vscode.languages.registerCodeLensProvider({ language: 'markdown' }, lens),
    );
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
