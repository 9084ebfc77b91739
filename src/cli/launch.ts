// `backlog-atlas` (dist/cli.js): loads the command line (dist/cli-main.js, built from cli.ts) with
// the bytecode V8 saved on an earlier run, then runs it. Kept apart and small, because a bundle
// cannot take its own bytecode back: it is compiled before any of it runs. `--no-cache` and
// BACKLOG_ATLAS_NO_CACHE keep this cache off too, as they do the index cache.
import * as nodePath from 'path';
import { cacheFolder } from '../node/cacheFolder';
import { requireWithCodeCache } from '../node/codeCache';

const off = process.argv.includes('--no-cache') || !!process.env.BACKLOG_ATLAS_NO_CACHE;
const cli = requireWithCodeCache(nodePath.join(__dirname, 'cli-main.js'), off ? undefined : nodePath.join(cacheFolder(process.env), 'code')) as typeof import('./cli');
cli.main();
