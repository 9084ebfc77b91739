// Loaded before every unit test (.mocharc.json): the command lines the tests start (dist/cli.js)
// keep no index cache, so that a test run leaves nothing in the user's cache folder. The cache's
// own tests pass their cache folder to runCli explicitly.
import { runEnded, testEnded, testStarts } from './tempDir';

process.env.BACKLOG_ATLAS_NO_CACHE = '1';

// Root hooks (mocha reads `mochaHooks` from a required file): they remove the folders tempDir()
// made, after each test and at the end of the run, whether the test passed or not.
export const mochaHooks = {
  beforeEach: testStarts,
  afterEach: testEnded,
  afterAll: runEnded,
};
