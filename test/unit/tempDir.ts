// Temporary folders for the unit tests that are removed however the test ends: a test that fails
// halfway leaves nothing in the temp folder either. The root hooks in env.ts do the removing, so a
// test asks for a folder and never removes it itself.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Folders made while a test (or its beforeEach hooks) ran: removed when that test ends. */
const forTest: string[] = [];
/** Folders made in a before hook or while a file loads: used by several tests, so removed at the end of the run. */
const forRun: string[] = [];
let inTest = false;

function register(dir: string): string {
  (inTest ? forTest : forRun).push(dir);
  return dir;
}

/** A new empty folder under the OS temp folder, its name starting with `prefix`, removed after the test. */
export async function tempDir(prefix: string): Promise<string> {
  return register(await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** tempDir for code that cannot wait. */
export function tempDirSync(prefix: string): string {
  return register(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function removeAll(dirs: string[]): void {
  // force: a test may have removed its folder already.
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Root hook (env.ts): a root beforeEach runs before every suite's beforeEach, so their folders count as the test's. */
export function testStarts(): void {
  inTest = true;
}

/** Root hook (env.ts): a root afterEach runs after every suite's afterEach, so nothing is left that still uses them. */
export function testEnded(): void {
  inTest = false;
  removeAll(forTest);
}

/** Root hook (env.ts): the folders the before hooks made. */
export function runEnded(): void {
  removeAll(forTest);
  removeAll(forRun);
}
