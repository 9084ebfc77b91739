import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { PanelDeps } from '../panels/backlogPanel';

/**
 * Saves an export beside the backlog folder, where the user picks (or at `target`, for tests and
 * scripts), and offers to open it. Exports are new files the user names: nothing of theirs is
 * overwritten without the save dialog's own confirmation.
 */
export async function saveExport(deps: PanelDeps, backlog: Backlog, file: { name: string; ext: string; label: string; what: string; data: string | Uint8Array }, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const defaultUri = vscode.Uri.joinPath(deps.ws.toUri(backlog.root), '..', `${file.name}.${file.ext}`);
  const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri, title: `Export ${file.what.toLowerCase()} as ${file.label}`, filters: { [file.label]: [file.ext] } }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data);
  deps.log.info(`${file.what} exported to ${uri.toString(true)}.`);
  if (!target) {
    void vscode.window.showInformationMessage(`${file.what} exported to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((a) => {
      if (a === 'Open') void vscode.commands.executeCommand('vscode.open', uri);
    });
  }
  return uri;
}
