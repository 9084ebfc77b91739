import { spawn } from 'child_process';
import { promises as fsp, constants as fsConstants } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { commentSyntaxFor, todosInText, todosOnLines, TodoMatch, TodoMatcher } from '../../core/todo/todo';
import { MAX_FILE_BYTES, RgEvent, ripgrepArgs, ripgrepCandidates, RgJsonStream } from '../../core/todo/ripgrep';
import { enabledGlobs, ExcludeMatcher, gitignoreGlobs, looksBinary } from '../../core/todo/scanExcludes';

/**
 * The longest the scan works on the extension host before it yields. Parsing rg's output and
 * running the matcher over a file are synchronous; between files the scan checks the clock and
 * lets other work run, so no task comes near the 50 ms the editor can afford.
 */
const SLICE_MS = 15;
/** Files read at once: enough to hide the disk's latency, few enough not to hog it. */
const READ_CONCURRENCY = 8;

/** Where a scan's results go: every file with TODOs, as soon as it has been read. */
export type FileTodos = (uri: vscode.Uri, todos: TodoMatch[]) => void;

/** What a folder's scan leaves out. */
export interface FolderExcludes {
  /** `files.exclude` and `search.exclude`, as passed to rg. */
  settings: string[];
  /** Those and the folder's `.gitignore`, for the fallback and the watcher. */
  all: ExcludeMatcher;
}

/** Yields to the event loop once the current slice is used up. */
export class Slicer {
  private start = Date.now();

  async maybeYield(): Promise<void> {
    if (Date.now() - this.start < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = Date.now();
  }
}

/**
 * Finds TODO comments in workspace files: with ripgrep where the installation has one and the
 * workspace is trusted, with `workspace.findFiles` and `workspace.fs` otherwise (virtual
 * workspaces, untrusted ones, no rg). rg only says which lines may hold a tag; every file with
 * such a line is read and run through the core's matcher, which knows comments from strings.
 */
export class TodoScanner {
  private rgPath: Promise<string | undefined> | undefined;
  /** How the last folder scan ran; tests check that Restricted Mode starts no process. */
  lastMethod: 'ripgrep' | 'file system' | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The ripgrep binary: VS Code's own, else `rg` on the PATH, else undefined. Looked up once. */
  ripgrep(): Promise<string | undefined> {
    this.rgPath ??= findRipgrep().then((found) => {
      this.log.info(found ? `TODO scan uses ripgrep at ${found}.` : 'No ripgrep found; the TODO scan reads files itself.');
      return found;
    });
    return this.rgPath;
  }

  /** The excludes of one workspace folder, settings and `.gitignore` alike. */
  async excludesFor(folder: vscode.Uri): Promise<FolderExcludes> {
    const settings = enabledGlobs(vscode.workspace.getConfiguration('files', folder).get<unknown>('exclude'), vscode.workspace.getConfiguration('search', folder).get<unknown>('exclude'));
    let ignored: string[] = [];
    try {
      ignored = gitignoreGlobs(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.gitignore'))));
    } catch {
      // No .gitignore: nothing more to leave out.
    }
    return { settings, all: new ExcludeMatcher([...settings, ...ignored]) };
  }

  /** Scans one workspace folder; resolves when done or cancelled. */
  async scanFolder(folder: vscode.Uri, matcher: TodoMatcher, excludes: FolderExcludes, token: vscode.CancellationToken, onFile: FileTodos): Promise<void> {
    // In Restricted Mode no process is started for the workspace: rg would read the workspace's
    // own ignore files and run on its content before the user has trusted it. The fallback only
    // reads files through VS Code, as the rest of the extension does there.
    const rg = vscode.workspace.isTrusted && folder.scheme === 'file' ? await this.ripgrep() : undefined;
    if (rg) {
      try {
        this.lastMethod = 'ripgrep';
        await this.scanWithRipgrep(rg, folder, matcher, excludes, token, onFile);
        return;
      } catch (e) {
        this.log.warn(`ripgrep failed in ${folder.fsPath} (${e instanceof Error ? e.message : String(e)}); reading the files instead.`);
      }
    }
    this.lastMethod = 'file system';
    await this.scanWithFileSystem(folder, matcher, excludes, token, onFile);
  }

  /** The TODOs of one file on disk; undefined when the scan would skip it (size, binary, unknown syntax, gone). */
  async scanFile(uri: vscode.Uri, matcher: TodoMatcher): Promise<TodoMatch[] | undefined> {
    const syntax = commentSyntaxFor(uri.path);
    if (!syntax) return undefined;
    let bytes: Uint8Array;
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (!(st.type & vscode.FileType.File) || st.size > MAX_FILE_BYTES) return undefined;
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
    if (looksBinary(bytes)) return undefined;
    return todosInText(matcher, new TextDecoder().decode(bytes), syntax);
  }

  private scanWithRipgrep(rg: string, folder: vscode.Uri, matcher: TodoMatcher, excludes: FolderExcludes, token: vscode.CancellationToken, onFile: FileTodos): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Spawned and streamed, never `exec`: Todo Tree's buffered output failed on large results.
      // rg runs in the folder and searches `.`, so that exclude globs are relative to the folder
      // as VS Code's settings are.
      const child = spawn(rg, ripgrepArgs(matcher.ripgrepPattern(), excludes.settings), { cwd: folder.fsPath, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const stream = new RgJsonStream();
      const lines = new Map<string, { line: number; text: string }[]>();
      const queue: { rel: string; bytes: number; lines: { line: number; text: string }[] }[] = [];
      const slicer = new Slicer();
      let stderr = '';
      let exited = false;
      let workers = 0;
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        cancel.dispose();
        if (error) reject(error);
        else resolve();
      };
      const cancel = token.onCancellationRequested(() => {
        child.kill();
        finish();
      });
      const maybeDone = () => {
        if (exited && workers === 0 && queue.length === 0) finish();
      };
      const work = async () => {
        workers++;
        try {
          for (let next = queue.shift(); next && !token.isCancellationRequested; next = queue.shift()) {
            const syntax = commentSyntaxFor(next.rel);
            if (!syntax) continue;
            const uri = vscode.Uri.joinPath(folder, next.rel);
            // Most hits are placed on the line rg reported; a file is read only when a line needs
            // its context (see todosOnLines).
            let todos: TodoMatch[] | undefined = todosOnLines(matcher, next.lines, syntax);
            if (todos === undefined) {
              let text: string;
              try {
                text = new TextDecoder().decode(await fsp.readFile(path.join(folder.fsPath, next.rel)));
              } catch {
                continue; // Deleted since rg saw it; the watcher reports that.
              }
              todos = todosInText(matcher, text, syntax);
            }
            if (todos.length > 0) onFile(uri, todos);
            await slicer.maybeYield();
          }
        } finally {
          workers--;
          maybeDone();
        }
      };
      const handle = (ev: RgEvent) => {
        const rel = ev.path.replace(/^\.[\\/]/, '').replace(/\\/g, '/');
        if (ev.kind === 'match') {
          const list = lines.get(rel);
          if (list) list.push({ line: ev.line, text: ev.text });
          else lines.set(rel, [{ line: ev.line, text: ev.text }]);
          return;
        }
        const found = lines.get(rel);
        lines.delete(rel);
        if (!found) return;
        queue.push({ rel, bytes: ev.bytes, lines: found });
        if (workers < READ_CONCURRENCY) void work();
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const ev of stream.push(chunk)) handle(ev);
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 2000) stderr += chunk;
      });
      child.on('error', (e) => finish(e));
      child.on('close', (code) => {
        for (const ev of stream.end()) handle(ev);
        exited = true;
        // 0: matches, 1: none; 2: some files could not be read, the rest were searched.
        if (code === 2) this.log.info(`ripgrep reported problems in ${folder.fsPath}: ${stderr.trim().slice(0, 500)}`);
        else if (code !== 0 && code !== 1 && !token.isCancellationRequested) {
          finish(new Error(`ripgrep exited with ${code ?? 'a signal'}: ${stderr.trim().slice(0, 500)}`));
          return;
        }
        maybeDone();
      });
    });
  }

  /**
   * The fallback: lists the folder's files through VS Code (excludes applied) and reads those
   * with a known comment syntax in small batches, yielding between files.
   */
  private async scanWithFileSystem(folder: vscode.Uri, matcher: TodoMatcher, excludes: FolderExcludes, token: vscode.CancellationToken, onFile: FileTodos): Promise<void> {
    // VS Code's glob has no nested braces, so those settings are applied afterwards only.
    const plain = excludes.settings.filter((g) => !/[{}]/.test(g));
    const exclude = plain.length > 0 ? new vscode.RelativePattern(folder, `{${plain.join(',')}}`) : undefined;
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, undefined, token);
    const slicer = new Slicer();
    const candidates = files.filter((uri) => {
      const rel = relativePath(folder, uri);
      return rel !== undefined && commentSyntaxFor(uri.path) !== undefined && !excludes.all.excludes(rel);
    });
    for (let i = 0; i < candidates.length && !token.isCancellationRequested; i += READ_CONCURRENCY) {
      const batch = candidates.slice(i, i + READ_CONCURRENCY);
      const read = await Promise.all(batch.map(async (uri) => ({ uri, todos: await this.scanFile(uri, matcher) })));
      for (const { uri, todos } of read) if (todos && todos.length > 0) onFile(uri, todos);
      await slicer.maybeYield();
    }
  }
}

/** A Uri's path relative to a folder, or undefined when it lies outside. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const base = folder.path.replace(/\/+$/, '');
  if (!uri.path.startsWith(`${base}/`)) return undefined;
  return uri.path.slice(base.length + 1);
}

async function findRipgrep(): Promise<string | undefined> {
  const candidates = ripgrepCandidates(vscode.env.appRoot, process.platform, process.arch);
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir !== '') candidates.push(path.join(dir, exe));
  for (const c of candidates) {
    try {
      await fsp.access(c, fsConstants.X_OK);
      return c;
    } catch {
      // Not there in this layout; try the next.
    }
  }
  return undefined;
}
