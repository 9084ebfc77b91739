// `npm start`: serves VS Code (code-server) on 127.0.0.1 with Backlog Atlas loaded from this
// folder as a development extension, on the demo workspace (or the folder given), and prints
// the URL to open. Ctrl+C stops it.
import * as path from 'path';
import { startCodeServer, workbenchUrl } from '../test/host/codeServer';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..');
  const folder = path.resolve(process.argv[2] ?? path.join(repo, 'examples/demo'));
  const port = Number(process.env.PORT ?? 0);
  // Settings persist between runs in one place, so that the demo opens as it was left.
  const userDataDir = path.join(repo, '.vscode-test', 'user-data');
  const server = await startCodeServer({ workspace: folder, port, userDataDir, settings: { 'files.autoSave': 'afterDelay' } });
  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: repo });
  console.log(`\nBacklog Atlas on ${path.relative(process.cwd(), folder) || folder}:\n\n  ${url}\n\nOpen that URL in a browser. Ctrl+C stops the server.`);
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
