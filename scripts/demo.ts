// `npm run demo`: makes the demo again, moved to today (or to BACKLOG_ATLAS_NOW), in .demo/trailhead
// or the folder given: `npm run demo -- /tmp/trailhead`. Anything in that folder is replaced.
import * as path from 'node:path';
import { clockFromSetting } from '../src/core/clock';
import { DEMO_DIR, generateDemo } from './demo/generate';

async function main(): Promise<void> {
  const { clock, error } = clockFromSetting(process.env.BACKLOG_ATLAS_NOW);
  if (error) throw error;
  const target = path.resolve(process.argv[2] ?? DEMO_DIR);
  const now = clock.now();
  const commits = await generateDemo({ target, now });
  const first = new Date(commits[0].time * 1000).toISOString().slice(0, 10);
  console.log(`Made the demo for ${now.toISOString().slice(0, 10)} in ${path.relative(process.cwd(), target) || target}: ${commits.length} commits from ${first}.`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
