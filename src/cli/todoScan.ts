import { spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as nodePath from 'path';
import { commentSyntaxFor, todosInText, todosOnLines, TodoMatch, TodoMatcher } from '../core/todo/todo';

/** A TODO and the file it is in (absolute, POSIX separators). */
export interface FileTodo extends TodoMatch {
  path: string;
}

/** Files over this size are skipped: generated or vendored code, not notes to self. */
const MAX_FILE_BYTES = 1024 * 1024;
const READ_CONCURRENCY = 32;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** `rg` on the PATH (or `BACKLOG_ATLAS_RG`), or undefined. */
export function findRipgrep(): string | undefined {
  const candidates = [process.env.BACKLOG_ATLAS_RG, ...((process.env.PATH ?? '').split(nodePath.delimiter).map((d) => nodePath.join(d, process.platform === 'win32' ? 'rg.exe' : 'rg')))];
  for (const c of candidates) {
    if (!c) continue;
    if (spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0) return c;
  }
  return undefined;
}

/**
 * Finds TODOs under `dirs`. With ripgrep, rg picks the files that may hold one (it honours
 * .gitignore and skips binary files) and streams their names; each is then read and matched
 * exactly, because only the matcher knows comments from strings. Without it, `git ls-files`
 * gives the files git does not ignore, or, outside a repository, the folders are walked.
 */
export async function scanTodos(dirs: string[], matcher: TodoMatcher, options: { rg?: string | null; skip?: (path: string) => boolean } = {}): Promise<FileTodo[]> {
  const rg = options.rg === undefined ? findRipgrep() : options.rg ?? undefined;
  const out: FileTodo[] = [];
  let wanted: string[];
  if (rg) {
    // Most hits can be matched on the line rg reports. A line whose hit the matcher cannot place
    // (a tag in the middle of a multi-line block comment, say) sends its file to a full read.
    wanted = [];
    for (const [path, hits] of await ripgrepHits(rg, dirs, matcher.ripgrepPattern())) {
      const syntax = commentSyntaxFor(path);
      if (!syntax || options.skip?.(path)) continue;
      const found = todosOnLines(matcher, hits, syntax);
      if (found === undefined) wanted.push(path);
      else out.push(...found.map((t) => ({ ...t, path: toPosix(path) })));
    }
  } else {
    wanted = (await listFiles(dirs)).filter((f) => commentSyntaxFor(f) !== undefined && !options.skip?.(f));
  }
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const path = wanted[next++];
      out.push(...(await scanFile(path, matcher)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, wanted.length) }, worker));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column));
}

/** TODOs of one file; binary, oversized and unreadable files have none. */
export async function scanFile(path: string, matcher: TodoMatcher): Promise<FileTodo[]> {
  const syntax = commentSyntaxFor(path);
  if (!syntax) return [];
  let bytes: Buffer;
  try {
    const st = await fs.stat(path);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return [];
    bytes = await fs.readFile(path);
  } catch {
    return [];
  }
  if (bytes.subarray(0, 8192).includes(0)) return [];
  return todosInText(matcher, bytes.toString('utf8'), syntax).map((t) => ({ ...t, path: toPosix(path) }));
}

/** One line ripgrep matched: zero-based line number and its text (line end removed). */
interface RgHit {
  line: number;
  text: string;
}

/** Lines that may hold a TODO, per file, from `rg --json`. */
function ripgrepHits(rg: string, dirs: string[], pattern: string): Promise<Map<string, RgHit[]>> {
  return new Promise((resolve, reject) => {
    // Streamed, not buffered: a large tree has many hits (Todo Tree's exec with a 200 KB buffer
    // failed on exactly that). Binary files and files over 1 MiB are skipped by rg itself.
    const child = spawn(rg, ['--json', '--no-messages', '--max-filesize', '1M', '-e', pattern, '--', ...dirs], { stdio: ['ignore', 'pipe', 'ignore'] });
    const hits = new Map<string, RgHit[]>();
    const take = (json: string) => {
      if (!json.startsWith('{"type":"match"')) return;
      const m = JSON.parse(json) as { data: { path: { text?: string }; line_number: number; lines: { text?: string } } };
      // Paths or lines that are not UTF-8 come as bytes; such files are not ours to read.
      if (m.data.path.text === undefined || m.data.lines.text === undefined) return;
      const path = nodePath.resolve(m.data.path.text);
      const list = hits.get(path) ?? [];
      list.push({ line: m.data.line_number - 1, text: m.data.lines.text.replace(/\r?\n$/, '') });
      hits.set(path, list);
    };
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) take(l);
    });
    child.on('error', reject);
    // rg exits 1 when nothing matched: that is an empty result, not a failure.
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) return reject(new Error(`ripgrep exited with ${code}`));
      take(rest);
      resolve(hits);
    });
  });
}

async function listFiles(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    const git = spawnSync('git', ['-C', dir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const top = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
    if (git.status === 0 && top.status === 0) {
      const root = top.stdout.trim();
      const prefix = nodePath.resolve(dir) + nodePath.sep;
      for (const f of git.stdout.split('\0')) {
        const abs = nodePath.resolve(root, f);
        if (f !== '' && (abs + nodePath.sep).startsWith(prefix)) out.push(abs);
      }
    } else {
      await walk(nodePath.resolve(dir), out);
    }
  }
  return out;
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries: import('fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(nodePath.join(dir, e.name), out);
    } else if (e.isFile()) out.push(nodePath.join(dir, e.name));
  }
}

function toPosix(p: string): string {
  return p.split(nodePath.sep).join('/');
}
