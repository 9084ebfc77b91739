import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { Item } from '../../core/types';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

/**
 * Most symbols one search returns. VS Code ranks and filters what a provider returns, and a
 * 10k-item backlog would otherwise send thousands of rows on every keystroke of Ctrl+T.
 */
export const MAX_SYMBOLS = 200;

/** The symbol kind per item type, chosen for the icon Go to Symbol shows. */
const KIND: ReadonlyMap<string, vscode.SymbolKind> = new Map([
  ['epic', vscode.SymbolKind.Namespace],
  ['story', vscode.SymbolKind.Class],
  ['task', vscode.SymbolKind.Method],
  ['bug', vscode.SymbolKind.Event],
  ['spike', vscode.SymbolKind.Interface],
  ['debt', vscode.SymbolKind.Constant],
  ['improvement', vscode.SymbolKind.Enum],
  ['opportunity', vscode.SymbolKind.Key],
]);

/** Backlog items in Go to Symbol in Workspace (Ctrl+T), by id and title: `BL-12 Sign in with Google`. */
export class ItemSymbolProvider implements vscode.WorkspaceSymbolProvider {
  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: VscodeWorkspace,
  ) {}

  provideWorkspaceSymbols(query: string, token: vscode.CancellationToken): vscode.SymbolInformation[] {
    const out: vscode.SymbolInformation[] = [];
    const several = this.index.roots().length > 1;
    for (const backlog of this.index.roots()) {
      for (const item of backlog.allOrdered()) {
        if (out.length >= MAX_SYMBOLS || token.isCancellationRequested) return out;
        const name = `${item.id} ${item.title}`;
        if (!matches(name, query)) continue;
        const line = item.fieldLines.title ?? 0;
        const location = new vscode.Location(this.ws.toUri(item.path), new vscode.Position(line, 0));
        out.push(new vscode.SymbolInformation(name, kindOf(item), container(item, several ? backlog.config.projectName : undefined), location));
      }
    }
    return out;
  }
}

function kindOf(item: Item): vscode.SymbolKind {
  return (item.type !== undefined ? KIND.get(item.type) : undefined) ?? vscode.SymbolKind.Object;
}

/** Shown beside the name: where the item stands, and its backlog when there are several. */
function container(item: Item, project: string | undefined): string {
  return [project, item.status, item.sprint].filter((x) => x !== undefined && x !== '').join(' · ');
}

/**
 * VS Code asks providers to be relaxed and filters the results itself, so this only drops what
 * cannot match: the query's characters, in order, anywhere in the name (case ignored).
 */
function matches(name: string, query: string): boolean {
  const q = query.replace(/\s+/g, '').toLowerCase();
  const n = name.toLowerCase();
  let at = 0;
  for (const ch of q) {
    at = n.indexOf(ch, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}
