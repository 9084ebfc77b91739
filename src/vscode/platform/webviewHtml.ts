import { randomBytes } from 'crypto';
import * as vscode from 'vscode';

/**
 * The one place a webview page is written. Every panel gets the same strict policy: nothing by
 * default, styles, fonts and images only from the extension's own folders, and scripts only with
 * this page's nonce. No remote content can load, and an injected `<script>` cannot run.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { bundle: string; title: string }): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset('dist', 'webview', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('dist', 'webview', `${page.bundle}.css`)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview', `${page.bundle}.js`)}"></script>
</body>
</html>`;
}

/** Scripts on, and local resources limited to the built webview folder and `media/`. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The icon on a panel's tab. A tab shows it as an image, where `currentColor` is black, so each
 * theme kind gets its own stroke (VS Code's icon foregrounds); the activity bar masks
 * `media/backlog.svg` and takes its colour from the theme.
 */
export function panelIcon(extensionUri: vscode.Uri): { light: vscode.Uri; dark: vscode.Uri } {
  return { light: vscode.Uri.joinPath(extensionUri, 'media', 'backlog-light.svg'), dark: vscode.Uri.joinPath(extensionUri, 'media', 'backlog-dark.svg') };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
