import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { frontMatterLinks } from '../../core/format/itemLinks';
import { dirname, isUnder, joinPath } from '../../core/workspace';
import { VscodeWorkspace } from '../platform/vscodeWorkspace';

/** Item files are at most 1 MiB (the index reads no more); a bigger document gets no links. */
const MAX_TEXT = 1024 * 1024;

/**
 * Links in an item file's front matter, as Backlog.md's own web view links them: a dependency,
 * parent or epic opens that item (its title and status in the tooltip); a `documentation`,
 * `references` or `modified_files` entry opens the file it names (relative to the project, the
 * backlog or its docs/ folder) or, for http(s) addresses only, the page. A path that leads out of
 * the workspace folder, or names nothing, is left as text.
 */
export class ItemLinkProvider implements vscode.DocumentLinkProvider {
  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: VscodeWorkspace,
  ) {}

  async provideDocumentLinks(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const path = this.ws.toPath(doc.uri);
    if (path === undefined || !this.ws.isBacklogPath(path)) return [];
    const backlog = this.index.backlogFor(path);
    const folder = this.ws.folderPaths().find((f) => isUnder(path, f));
    if (!backlog || folder === undefined) return [];
    const text = doc.getText();
    if (text.length > MAX_TEXT) return [];
    const links: vscode.DocumentLink[] = [];
    for (const v of frontMatterLinks(text)) {
      if (token.isCancellationRequested) return [];
      const range = new vscode.Range(doc.positionAt(v.start), doc.positionAt(v.end));
      if (v.kind === 'item') {
        const item = backlog.item(v.value);
        if (!item) continue;
        const link = new vscode.DocumentLink(range, this.ws.toUri(item.path));
        link.tooltip = `${item.id} ${item.title} (${item.status})`;
        links.push(link);
      } else if (/^https?:\/\/\S+$/i.test(v.value)) {
        const link = new vscode.DocumentLink(range, vscode.Uri.parse(v.value, true));
        link.tooltip = v.value;
        links.push(link);
      } else if (!/^[a-z][a-z0-9+.-]*:/i.test(v.value)) {
        // Other schemes (command:, file:, vscode:) are never links; a path is tried where
        // Backlog.md's documents live.
        for (const base of [dirname(backlog.root), backlog.root, joinPath(backlog.root, 'docs')]) {
          const target = joinPath(base, v.value);
          if (!isUnder(target, folder)) continue;
          const st = await this.ws.stat(target);
          if (st?.kind !== 'file') continue;
          const link = new vscode.DocumentLink(range, this.ws.toUri(target));
          link.tooltip = target.slice(folder.length + 1);
          links.push(link);
          break;
        }
      }
    }
    return links;
  }
}
