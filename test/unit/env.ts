// Loaded before every unit test (.mocharc.json): the command lines the tests start (dist/cli.js)
// keep no index cache, so that a test run leaves nothing in the user's cache folder. The cache's
// own tests pass their cache folder to runCli explicitly.
process.env.BACKLOG_ATLAS_NO_CACHE = '1';
