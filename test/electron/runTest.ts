// Second launcher for contributors with a desktop and internet: runs the same mocha
// suite (out/test/suite/index.js) in desktop VS Code, which @vscode/test-electron
// downloads into .vscode-test/. It cannot run on the headless CI machines (no
// internet, no display): use test/host/runIntegration.ts there.
//   node test/host/buildSuite.mjs && npx tsx test/electron/runTest.ts [--extension DIR] [--tests FILE] [--workspace DIR]
// On Linux without a display, wrap it in xvfb-run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
    },
  });
  const extensionDevelopmentPath = path.resolve(values.extension ?? process.env.BACKLOG_ATLAS_EXTENSION ?? REPO_ROOT);
  const extensionTestsPath = path.resolve(
    values.tests ?? process.env.BACKLOG_ATLAS_TESTS ?? path.join(extensionDevelopmentPath, 'out', 'test', 'suite', 'index.js'),
  );
  if (!fs.existsSync(extensionTestsPath)) {
    throw new Error(`compiled suite not found: ${extensionTestsPath} (build it first: node test/host/buildSuite.mjs)`);
  }
  const fixture = path.resolve(
    values.workspace ?? process.env.BACKLOG_ATLAS_WORKSPACE ?? path.join(extensionDevelopmentPath, 'test', 'fixtures', 'workspace'),
  );

  // Tests change files: they get a copy of the fixture, never the fixture itself.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-electron-'));
  const workspace = path.join(scratch, 'workspace');
  if (fs.existsSync(fixture)) fs.cpSync(fixture, workspace, { recursive: true });
  else fs.mkdirSync(workspace);
  try {
    return await runTests({
      // 1.100.0 is the lowest engines.vscode we support; BACKLOG_ATLAS_VSCODE_VERSION=stable tries the newest.
      version: process.env.BACKLOG_ATLAS_VSCODE_VERSION ?? '1.100.0',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // runTests rejects with TestRunFailedError when the suite's run() rejects.
    console.error(`[electron] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
