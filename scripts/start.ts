// `npm start`: serves VS Code (code-server) on 127.0.0.1 with Backlog Atlas loaded from this
// folder as a development extension, on the living demo (or the folder given), and prints the
// URL to open. The port is 8080, or PORT. Ctrl+C stops it.
//
// The demo lives in .demo/trailhead (git-ignored), made by `npm run demo` for the week it is
// made in. A demo from an earlier week is made again when nobody has changed it; one with
// changes is kept, and the note says how to start afresh.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clockFromSetting } from '../src/core/clock';
import { startCodeServer, workbenchUrl } from '../test/host/codeServer';
import { DEMO_DIR, demoUntouched, generateDemo, readDemoStamp, REPO_ROOT } from './demo/generate';
import { shiftFor } from './demo/history';

export const DEFAULT_PORT = 8080;

/** Makes the demo unless a current one is there; returns a note for the user, if any. */
async function ensureDemo(now: Date): Promise<string | undefined> {
  const today = now.toISOString().slice(0, 10);
  const stamp = fs.existsSync(DEMO_DIR) ? readDemoStamp(DEMO_DIR) : undefined;
  if (stamp && stamp.shiftDays === shiftFor(today).days) return undefined;
  if (stamp && !demoUntouched(DEMO_DIR)) {
    return `The demo was made on ${stamp.today} and has changes since, so it is kept as it is: its sprint may have ended. \`npm run demo\` makes a fresh one for today (and drops those changes).`;
  }
  if (fs.existsSync(DEMO_DIR) && !stamp) {
    return `${path.relative(REPO_ROOT, DEMO_DIR)} is not a demo this script made, so it is left alone. Move it away, or run \`npm run demo\` to replace it.`;
  }
  const commits = await generateDemo({ target: DEMO_DIR, now });
  console.log(`Made the demo for ${today}: Sprint 14 is under way, with ${commits.length} commits of history behind it.`);
  return undefined;
}

async function main(): Promise<void> {
  const { clock, error } = clockFromSetting(process.env.BACKLOG_ATLAS_NOW);
  if (error) throw error;
  const given = process.argv[2];
  const folder = path.resolve(given ?? DEMO_DIR);
  const note = given ? undefined : await ensureDemo(clock.now());
  const portText = process.env.PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT is ${JSON.stringify(portText)}; give a port number such as ${DEFAULT_PORT}.`);
  // Settings persist between runs in one place, so that the demo opens as it was left.
  const userDataDir = path.join(REPO_ROOT, '.vscode-test', 'user-data');
  const server = await startCodeServer({ workspace: folder, port, userDataDir, settings: { 'files.autoSave': 'afterDelay' } }).catch((e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(msg.includes('EADDRINUSE') ? `Port ${port} on 127.0.0.1 is in use (another npm start?). Stop that, or choose another port: PORT=${port + 1} npm start` : msg);
  });
  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: REPO_ROOT });
  console.log(`\nBacklog Atlas on ${path.relative(process.cwd(), folder) || folder}:\n\n  ${url}\n\nOpen that URL in a browser. Ctrl+C stops the server.`);
  if (note) console.log(`\nNote: ${note}`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
