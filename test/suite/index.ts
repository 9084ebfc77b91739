// Entry point VS Code loads inside the extension host (extensionTestsPath): it runs
// every compiled *.test.js next to this file with mocha's bdd interface (describe/it).
// Used by both launchers: test/host/runIntegration.ts (code-server) and
// test/electron/runTest.ts (desktop VS Code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** All *.test.js files below dir, sorted so the order is the same on every machine. */
function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // spec writes through console.log, which the extension host forwards to the launcher.
    reporter: 'spec',
    // No ANSI codes: the output ends up in CI logs.
    color: false,
    timeout: Number(process.env.BACKLOG_ATLAS_MOCHA_TIMEOUT_MS ?? 20_000),
  });
  const grep = process.env.BACKLOG_ATLAS_GREP;
  if (grep) mocha.grep(grep);

  const files = findTestFiles(__dirname);
  for (const file of files) mocha.addFile(file);
  console.log(`Running ${files.length} test file(s) from ${__dirname}`);
  // The runner checks this line: a run meant to move the clock must see it moved here.
  console.log(`[clock] BACKLOG_ATLAS_NOW=${process.env.BACKLOG_ATLAS_NOW ?? ''}`);

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0 } = runner.stats ?? {};
        // A run that checked nothing must not pass: a grep that matches no test, a suite whose
        // every test skipped itself, or no test files at all.
        const ranNothing = passes + failures === 0;
        let why = '';
        if (files.length === 0) why = `no *.test.js files found under ${__dirname}`;
        else if (ranNothing) {
          const matched = grep ? `BACKLOG_ATLAS_GREP=${JSON.stringify(grep)} matched ${runner.total} test(s)` : `the ${files.length} test file(s) hold ${runner.total} test(s)`;
          why = `no test ran: ${matched}${pending > 0 ? `, and all ${pending} were skipped` : ''}`;
        }
        if (why) console.log(`Failing the run: ${why}.`);
        // Exactly "N passed, N failed" alone on a line, and last: CI log readers count tests by it.
        console.log(`${passes} passed, ${failures} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else if (why) reject(new Error(why));
        else resolve();
      });
    } catch (error) {
      // A test file that throws while loading lands here; VS Code prints the error itself.
      console.log('0 passed, 1 failed');
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
