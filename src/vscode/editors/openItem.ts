import * as vscode from 'vscode';

/** The item editor's view type: a custom text editor on an item's Markdown file. */
export const ITEM_VIEW_TYPE = 'backlogAtlas.item';

/** Whether clicks on items open the item editor (`backlogAtlas.openItemsInEditor`, on by default). */
export function itemsOpenInEditor(): boolean {
  return vscode.workspace.getConfiguration('backlogAtlas').get<unknown>('openItemsInEditor', true) !== false;
}

/**
 * Opens an item's file the way the user chose: in the item editor, or as text with the cursor
 * on `line`. Every click on an item (trees, board, panels, "New Item") comes through here.
 */
export async function openItem(uri: vscode.Uri, options: { preview?: boolean; viewColumn?: vscode.ViewColumn; line?: number } = {}): Promise<void> {
  if (itemsOpenInEditor()) {
    await vscode.commands.executeCommand('vscode.openWith', uri, ITEM_VIEW_TYPE, { preview: options.preview ?? false, viewColumn: options.viewColumn });
    return;
  }
  const line = options.line ?? 0;
  await vscode.window.showTextDocument(uri, { preview: options.preview ?? false, viewColumn: options.viewColumn, selection: new vscode.Range(line, 0, line, 0) });
}

/** Opens the file as text in the editor group it is shown in: "Open as Text". */
export async function openAsText(uri: vscode.Uri, viewColumn?: vscode.ViewColumn): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', uri, 'default', { preview: false, viewColumn });
}
