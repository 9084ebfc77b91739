// Loaded before every unit test (.mocharc.json): the command lines the tests start (dist/cli.js)
// keep no index cache, so that a test run leaves nothing in the user's cache folder. The cache's
// own tests pass their cache folder to runCli explicitly.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runEnded, testEnded, testStarts } from './tempDir';

process.env.BACKLOG_ATLAS_NO_CACHE = '1';

// The run's temporary folders go into one folder of its own, so the check at the end sees only
// what this run left: another run or benchmark on the machine makes atlas-* folders in the OS
// temp folder too. Programs the tests start inherit it.
const runTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-unit-'));
// hostileFiles runs the command line as `nobody`, who must reach the folders inside.
fs.chmodSync(runTemp, 0o755);
process.env.TMPDIR = process.env.TMP = process.env.TEMP = runTemp;

// Root hooks (mocha reads `mochaHooks` from a required file): they remove the folders tempDir()
// made, after each test and at the end of the run, whether the test passed or not; then fail the
// run if a test made a temporary folder some other way and left it behind.
export const mochaHooks = {
  beforeEach: testStarts,
  afterEach: testEnded,
  afterAll(): void {
    runEnded();
    const left = fs.readdirSync(runTemp).filter((name) => name.startsWith('atlas-'));
    // Removed either way: a leak fails the run once, not every later one.
    fs.rmSync(runTemp, { recursive: true, force: true });
    if (left.length) throw new Error(`The tests left temporary folders behind (use tempDir() from test/unit/tempDir.ts): ${left.join(', ')}`);
  },
};
