// Builds every bundle: the extension host (Node, CommonJS, `vscode` external), the command line,
// and one browser bundle per webview folder. `--production` minifies; `--watch` rebuilds.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

function builds() {
  const out = [];
  if (fs.existsSync('src/extension.ts')) {
    out.push({
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
    });
  }
  // The index cache's worker (src/vscode/platform/extensionIndexCache.ts starts it from dist/).
  out.push({
    ...common,
    entryPoints: ['src/node/indexCacheWorker.ts'],
    outfile: 'dist/indexCacheWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  });
  // The command line: a small launcher (the `backlog-atlas` bin) that loads the bundle with
  // V8's saved bytecode (src/cli/launch.ts), and the bundle itself.
  out.push({
    ...common,
    entryPoints: ['src/cli/launch.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  });
  out.push({
    ...common,
    entryPoints: ['src/cli/cli.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  });
  // One bundle per webview: webview/<name>/main.ts -> dist/webview/<name>.js
  const webviewDir = 'webview';
  if (fs.existsSync(webviewDir)) {
    for (const name of fs.readdirSync(webviewDir)) {
      const entry = path.join(webviewDir, name, 'main.ts');
      if (!fs.existsSync(entry)) continue;
      out.push({
        ...common,
        entryPoints: [entry],
        outfile: `dist/webview/${name}.js`,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
      });
    }
  }
  return out;
}

// Webviews load the codicon font from the extension itself (no remote content), so it is copied
// next to the webview bundles.
function copyCodicons() {
  const from = path.join('node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join('dist', 'webview', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

async function main() {
  const configs = builds();
  if (watch) {
    copyCodicons();
    for (const c of configs) await (await esbuild.context(c)).watch();
    return;
  }
  await Promise.all(configs.map((c) => esbuild.build(c)));
  fs.chmodSync('dist/cli.js', 0o755);
  copyCodicons();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
