// Writes the living demo to disk: the template from examples/demo moved to today (history.ts),
// and a git repository of its own whose commits are dated across the past sprints. `npm start`,
// `npm run demo` and the UI tests call it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { demoHistory, shiftFor, shiftText, TEMPLATE_TODAY, type DemoCommit } from './history';
import { safeGit } from '../../src/core/history/gitSafety';
import { findExecutable } from '../../src/node/executables';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const DEMO_TEMPLATE = path.join(REPO_ROOT, 'examples', 'demo');
/** Git-ignored; `npm start` opens it. */
export const DEMO_DIR = path.join(REPO_ROOT, '.demo', 'trailhead');
/** What the demo was made from and for, to tell later whether it is still current. */
const STAMP = '.git/backlog-atlas-demo.json';

export interface DemoStamp {
  /** The day the demo was made for. */
  today: string;
  shiftDays: number;
}

export interface GenerateOptions {
  /** Where to write it; anything there is replaced. */
  target: string;
  /** The moment the demo is made at (the demo's "now"); today's date decides the shift. */
  now: Date;
  template?: string;
}

/** Files under `dir`, relative, with `/` separators. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** The template's files moved to `now`: dates in the backlog and the README, never in code. */
export function shiftedTemplate(template: string, now: Date): Map<string, string> {
  const today = now.toISOString().slice(0, 10);
  const shift = shiftFor(today);
  const files = readTree(template);
  for (const [file, text] of files) {
    if (file.startsWith('backlog/')) files.set(file, shiftText(text, shift));
  }
  const readme = files.get('README.md');
  if (readme !== undefined) {
    files.set(
      'README.md',
      readme.replace(
        `Today is ${TEMPLATE_TODAY} in this world; Sprint 14 is running.`,
        `Made on ${today} by \`npm run demo\` from examples/demo, so that Sprint 14 is running today; its git history goes back through Sprints 11 to 13.`,
      ),
    );
  }
  return files;
}

/** The git on the PATH, never one through a relative entry such as the folder the demo is made in. */
const GIT = findExecutable('git') ?? 'git';

/**
 * Git with nothing of the machine's or user's configuration (no hooks, no fsmonitor, no global
 * settings) and the repository's programs off, as the extension starts it
 * (src/core/history/gitSafety.ts): the demo is our own repository, and making it must not run
 * anyone's programs.
 */
function git(cwd: string, args: string[], input?: string): string {
  const safe = safeGit(args, { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, [['commit.gpgSign', 'false']]);
  const r = spawnSync(GIT, safe.args, { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: safe.env, timeout: 5 * 60_000 });
  if (r.error) throw new Error(`git ${args[0]} could not run: ${r.error.message}. The demo needs git on the PATH.`);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** A `git fast-import` stream that writes the commits on `main`, each with only the files that changed. */
export function fastImportStream(commits: readonly DemoCommit[]): string {
  const out: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let previous = new Map<string, string>();
  for (const c of commits) {
    const who = `Trailhead team <team@trailhead.invalid> ${c.time} +0000`;
    out.push(`commit refs/heads/main\nauthor ${who}\ncommitter ${who}\n${data(c.message)}`);
    for (const [file, text] of c.files) if (previous.get(file) !== text) out.push(`M 100644 inline ${file}\n${data(text)}`);
    for (const file of previous.keys()) if (!c.files.has(file)) out.push(`D ${file}\n`);
    previous = new Map(c.files);
  }
  return out.join('');
}

/** Makes the demo in `target` and returns its commits; the working tree is the last commit's, clean. */
export async function generateDemo(options: GenerateOptions): Promise<DemoCommit[]> {
  const files = shiftedTemplate(options.template ?? DEMO_TEMPLATE, options.now);
  const commits = await demoHistory(files, options.now);
  fs.rmSync(options.target, { recursive: true, force: true });
  fs.mkdirSync(options.target, { recursive: true });
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(options.target, file)), { recursive: true });
    fs.writeFileSync(path.join(options.target, file), text);
  }
  git(options.target, ['init', '-q', '-b', 'main']);
  git(options.target, ['fast-import', '--quiet'], fastImportStream(commits));
  // The files are already the last commit's; this only makes the index agree with HEAD.
  git(options.target, ['reset', '-q']);
  const stamp: DemoStamp = { today: options.now.toISOString().slice(0, 10), shiftDays: shiftFor(options.now.toISOString().slice(0, 10)).days };
  fs.writeFileSync(path.join(options.target, STAMP), JSON.stringify(stamp));
  return commits;
}

/** The stamp of a demo made by `generateDemo`, or undefined for anything else. */
export function readDemoStamp(dir: string): DemoStamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8')) as DemoStamp;
  } catch {
    return undefined;
  }
}

/** Whether the demo's files are as it was made (nobody has changed them since). */
export function demoUntouched(dir: string): boolean {
  return git(dir, ['status', '--porcelain', '--untracked-files=all']).trim() === '';
}
