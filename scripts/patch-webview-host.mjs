// Applies to the test host's code-server the one-line fix VS Code itself made for webviews that
// load tens of seconds late (microsoft/vscode#245756, fixed by microsoft/vscode#249114 in 1.101;
// code-server 4.100.x is the last release that runs on Node 20, so it still has the bug).
//
// The bug: each webview's outer frame registers the shared service worker under a URL that
// carries that webview's id, so every new webview installs a new worker and waits for it to take
// control. The new worker can activate only once the old one has answered every request in flight,
// and a request from a page that was just closed is answered by nothing but the worker's 30 s
// timeout. So a panel opened right after another one closed stayed blank for up to 30 s, and a
// test waiting for its page failed once in a few runs. The fix registers one URL for all webviews;
// the id served only resource loads from a webview's own Web Workers, which our pages do not use.
//
// The frame's inline script is allowed by a sha256 in its Content-Security-Policy, so the hash is
// computed again for the changed script. Idempotent: a patched file is left as it is.
//
// Usage: node scripts/patch-webview-host.mjs <test host folder>
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SW_PATH_WITH_ID = '&id=${ID}&remoteAuthority=';
const SW_PATH_FIXED = '&remoteAuthority=';
const SCRIPT = /(<script async type="module">)([\s\S]*?)(<\/script>)/;

function fail(message) {
  console.error(`[patch-webview-host] ERROR: ${message}`);
  process.exit(1);
}

const hostDir = process.argv[2];
if (!hostDir) fail('usage: node scripts/patch-webview-host.mjs <test host folder>');
const pre = path.join(hostDir, 'node_modules/code-server/lib/vscode/out/vs/workbench/contrib/webview/browser/pre');

for (const name of ['index.html', 'index-no-csp.html']) {
  const file = path.join(pre, name);
  const html = fs.readFileSync(file, 'utf8');
  const script = SCRIPT.exec(html);
  if (!script) fail(`${file}: no module script found; is this code-server 4.100.x?`);
  if (!script[2].includes(SW_PATH_WITH_ID)) {
    if (script[2].includes(SW_PATH_FIXED)) {
      console.log(`[patch-webview-host] ${name}: already patched`);
      continue;
    }
    fail(`${file}: the service worker URL is not the one this patch knows; is this code-server 4.100.x?`);
  }
  const oldHash = createHash('sha256').update(script[2]).digest('base64');
  const fixed = script[2].replace(SW_PATH_WITH_ID, SW_PATH_FIXED);
  const newHash = createHash('sha256').update(fixed).digest('base64');
  let out = html.replace(SCRIPT, (_m, open, _body, close) => open + fixed + close);
  // index.html allows its script by hash; index-no-csp.html has no policy to update.
  if (out.includes(`'sha256-${oldHash}'`)) out = out.replace(`'sha256-${oldHash}'`, `'sha256-${newHash}'`);
  else if (name === 'index.html') fail(`${file}: its Content-Security-Policy does not list the script's hash sha256-${oldHash}`);
  // Renamed into place: a page loading meanwhile reads the old file or the new one, never half.
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, out);
  fs.renameSync(tmp, file);
  console.log(`[patch-webview-host] ${name}: one service worker URL for every webview (microsoft/vscode#245756)`);
}
