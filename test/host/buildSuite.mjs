// Compiles the in-VS-Code mocha suite to CommonJS for the extension host:
//   test/suite/index.ts and test/suite/**/*.test.ts  ->  out/test/suite/**/*.js
// Each file is bundled with the project code it imports (src/...), while `vscode`
// (provided by the host) and every npm package (mocha must be one shared instance)
// stay external and are required from node_modules at run time.
// Type checking is tsc's job (the root tsconfig includes test/); esbuild only transpiles.
// Usage: node test/host/buildSuite.mjs [--root DIR]   (DIR defaults to the repo root)
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const argRoot = process.argv.indexOf('--root');
const root = path.resolve(
  argRoot >= 0 ? process.argv[argRoot + 1] : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
);
const suiteDir = path.join(root, 'test', 'suite');
const outDir = path.join(root, 'out', 'test', 'suite');

/** index.ts plus every *.test.ts below dir. */
function entryPoints(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...entryPoints(full));
    else if (entry.name.endsWith('.test.ts') || (dir === suiteDir && entry.name === 'index.ts')) found.push(full);
  }
  return found;
}

if (!fs.existsSync(path.join(suiteDir, 'index.ts'))) {
  console.error(`buildSuite: ${path.join(suiteDir, 'index.ts')} not found`);
  process.exit(1);
}
const started = Date.now();
const entries = entryPoints(suiteDir);
// Stale *.test.js from deleted tests would still run: start from an empty folder.
fs.rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: entries,
  outdir: outDir,
  outbase: suiteDir,
  bundle: true,
  packages: 'external',
  external: ['vscode'],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log(`buildSuite: ${entries.length} file(s) -> ${path.relative(process.cwd(), outDir) || outDir} in ${Date.now() - started} ms`);
