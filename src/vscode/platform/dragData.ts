import * as vscode from 'vscode';

/**
 * The JSON lists our trees put in a drag, read back as `unknown[]` for the caller to check
 * (any drag source could have put data under the mime). A drag between two views delivers our
 * entry twice, an empty twin first (seen in VS Code 1.100's web workbench), so `get()` alone
 * can find nothing: every entry of the mime is read, and the first non-empty list wins.
 */
export async function readDragList(dataTransfer: vscode.DataTransfer, mime: string): Promise<unknown[]> {
  const texts: Promise<string>[] = [];
  dataTransfer.forEach((item, m) => {
    if (m === mime) texts.push(Promise.resolve(item.asString()));
  });
  for (const text of await Promise.all(texts)) {
    try {
      const value: unknown = JSON.parse(text);
      if (Array.isArray(value) && value.length > 0) return value;
    } catch {
      // Not ours, or the empty twin: try the next entry.
    }
  }
  return [];
}
