import { promises as fsp, constants as fsConstants } from 'fs';
import * as vscode from 'vscode';
import { findExecutable, untrustedFolders } from '../../node/executables';
import { asciiText, isAscii, latin1Text } from '../../node/bytesText';
import { readRegularFile } from '../../node/safeRead';
import { startProcess } from '../platform/childProcess';
import { TodoMatch, TodoMatcher } from '../../core/todo/todo';
import { RgFile, RgFiles, ripgrepArgs, ripgrepCandidates, RgJsonStream, RIPGREP_TIMEOUT_MS, todosOfRipgrepFile, unnamedFile } from '../../core/todo/ripgrep';
import { enabledGlobs } from '../../core/todo/scanExcludes';
import { EntryKind, MAX_FILE_BYTES, ScanFileSystem, ScanScope, todosOfFile } from '../../core/todo/scanScope';
import { errorMessage } from '../../core/text';
import { Slicer } from '../../core/slicer';

/** Files read at once: enough to hide the disk's latency, few enough not to hog it. */
const READ_CONCURRENCY = 8;
/** The most read of one file: source files over MAX_FILE_BYTES are not read at all, .gitignore files may be bigger. */
const MAX_READ_BYTES = 16 * MAX_FILE_BYTES;

/** Where a scan's results go: every file with TODOs, as soon as it has been read. */
export type FileTodos = (uri: vscode.Uri, todos: TodoMatch[]) => void;

/** How a folder is scanned: VS Code's ripgrep, or reading the files through workspace.fs. */
export type ScanMethod = 'ripgrep' | 'file system';

/**
 * Finds TODO comments in workspace files: with ripgrep where the installation has one and the
 * workspace is trusted, by walking the folder through `workspace.fs` otherwise (virtual
 * workspaces, untrusted ones, no rg). Which files are read and how a file's TODOs are decided is
 * the core's (`ScanScope`, `ripgrepArgs`, `todosOnLines`), shared with the command line, so
 * both ways and `backlog-atlas todos` find the same TODOs.
 */
export class TodoScanner {
  private rgPath: Promise<string | undefined> | undefined;
  /** How the last folder scan ran; tests check that Restricted Mode starts no process. */
  lastMethod: ScanMethod | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The ripgrep binary: VS Code's own, else `rg` on the PATH, else undefined. Looked up once. */
  ripgrep(): Promise<string | undefined> {
    this.rgPath ??= findRipgrep().then((found) => {
      this.log.info(found ? `TODO scan uses ripgrep at ${found}.` : 'No ripgrep found; the TODO scan reads files itself.');
      return found;
    });
    return this.rgPath;
  }

  /**
   * What a scan of one workspace folder reads: its `files.exclude` and `search.exclude`, its
   * .gitignore files (read as needed), and not `skipped` (folder-relative backlog roots).
   */
  scopeFor(folder: vscode.Uri, skipped: readonly string[]): ScanScope {
    const settings = enabledGlobs(vscode.workspace.getConfiguration('files', folder).get<unknown>('exclude'), vscode.workspace.getConfiguration('search', folder).get<unknown>('exclude'));
    return new ScanScope(new WorkspaceScanFileSystem(folder), settings, skipped);
  }

  /**
   * Scans one workspace folder; resolves when done or cancelled. `method` forces one way (tests
   * compare them); by default ripgrep where it may run, else the file system.
   */
  async scanFolder(folder: vscode.Uri, matcher: TodoMatcher, scope: ScanScope, token: vscode.CancellationToken, onFile: FileTodos, method?: ScanMethod): Promise<void> {
    // In Restricted Mode no process is started for the workspace: rg would read the workspace's
    // own ignore files and run on its content before the user has trusted it. The fallback only
    // reads files through VS Code, as the rest of the extension does there.
    const mayRun = vscode.workspace.isTrusted && folder.scheme === 'file' && method !== 'file system';
    const rg = mayRun ? await this.ripgrep() : undefined;
    if (rg) {
      try {
        this.lastMethod = 'ripgrep';
        await this.scanWithRipgrep(rg, folder, matcher, scope, token, onFile);
        return;
      } catch (e) {
        this.log.warn(`ripgrep failed in ${folder.fsPath} (${errorMessage(e)}); reading the files instead.`);
      }
    } else if (method === 'ripgrep') throw new Error(`ripgrep cannot run for ${folder.toString()}`);
    this.lastMethod = 'file system';
    await this.scanWithFileSystem(folder, matcher, scope, token, onFile);
  }

  /** The TODOs of one file on disk; undefined when the scan would not read it (excluded, ignored, too big, binary, gone). */
  async scanFile(folder: vscode.Uri, uri: vscode.Uri, matcher: TodoMatcher, scope: ScanScope): Promise<TodoMatch[] | undefined> {
    const rel = relativePath(folder, uri);
    if (rel === undefined || !(await scope.includes(rel))) return undefined;
    return todosOfFile(scope, matcher, rel);
  }

  private scanWithRipgrep(rg: string, folder: vscode.Uri, matcher: TodoMatcher, scope: ScanScope, token: vscode.CancellationToken, onFile: FileTodos): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      // Spawned and streamed, never `exec`: Todo Tree's buffered output failed on large results.
      // rg runs in the folder and searches `.`, so that exclude globs are relative to the folder
      // as VS Code's settings are.
      const child = startProcess(rg, ripgrepArgs(matcher.ripgrepPattern(), scope.rules), { cwd: folder.fsPath, timeoutMs: RIPGREP_TIMEOUT_MS });
      const stream = new RgJsonStream();
      const files = new RgFiles();
      const queue: RgFile[] = [];
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
            // Most files are decided on the lines rg reported; a file is read only when a line
            // needs its context (see todosOnLines).
            const todos = await todosOfRipgrepFile(scope, matcher, next);
            if (todos.length > 0) onFile(vscode.Uri.joinPath(folder, ...next.path.split('/')), todos);
            await slicer.maybeYield();
          }
        } finally {
          workers--;
          maybeDone();
        }
      };
      const handle = (events: ReturnType<RgJsonStream['push']>) => {
        for (const ev of events) {
          const lost = unnamedFile(scope, ev);
          if (lost !== undefined) this.log.warn(`TODO scan: ${vscode.Uri.joinPath(folder, ...lost.split("/")).fsPath} was not scanned, because its name is not valid UTF-8; rename it to have it scanned.`);
          const file = files.take(ev);
          if (!file) continue;
          queue.push(file);
          if (workers < READ_CONCURRENCY) void work();
        }
      };
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => handle(stream.push(chunk)));
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 2000) stderr += chunk;
      });
      child.on('error', (e) => finish(e));
      child.on('close', (code) => {
        handle(stream.end());
        exited = true;
        // 0: matches, 1: none; 2: some files could not be read, the rest were searched.
        if (code === 2) this.log.info(`ripgrep reported problems in ${folder.fsPath}: ${stderr.trim().slice(0, 500)}`);
        else if (code !== 0 && code !== 1 && !token.isCancellationRequested) {
          const why = code === null && child.killed ? `ran for more than ${RIPGREP_TIMEOUT_MS / 1000} s (rg waits forever on a FIFO named .gitignore) and was stopped` : `exited with ${code ?? 'a signal'}`;
          finish(new Error(`ripgrep ${why}: ${stderr.trim().slice(0, 500)}`));
          return;
        }
        maybeDone();
      });
    });
  }

  /**
   * The fallback: walks the folder through workspace.fs as rg would (the core's `ScanScope`),
   * then reads the files with a comment syntax in small batches, yielding between them.
   */
  private async scanWithFileSystem(folder: vscode.Uri, matcher: TodoMatcher, scope: ScanScope, token: vscode.CancellationToken, onFile: FileTodos): Promise<void> {
    const slicer = new Slicer();
    const files = await scope.files({
      cancelled: () => token.isCancellationRequested,
      pause: () => slicer.maybeYield(),
      unnamed: (rel) => this.log.warn(`TODO scan: ${rel} in ${folder.toString()} was not scanned, because its name is not valid UTF-8; rename it to have it scanned.`),
    });
    for (let i = 0; i < files.length && !token.isCancellationRequested; i += READ_CONCURRENCY) {
      const batch = files.slice(i, i + READ_CONCURRENCY);
      const read = await Promise.all(batch.map(async (rel) => ({ rel, todos: await todosOfFile(scope, matcher, rel) })));
      for (const { rel, todos } of read) if (todos.length > 0) onFile(vscode.Uri.joinPath(folder, ...rel.split('/')), todos);
      await slicer.maybeYield();
    }
  }
}

/**
 * workspace.fs as the scan sees a folder: works for virtual workspaces, starts no process. Files
 * on disk are read with Node's fs, which never blocks on a FIFO.
 */
class WorkspaceScanFileSystem implements ScanFileSystem {
  constructor(private readonly folder: vscode.Uri) {}

  async list(dir: string): Promise<[string, EntryKind][] | undefined> {
    try {
      return (await vscode.workspace.fs.readDirectory(this.uri(dir))).map(([name, type]) => [name, kindOf(type)]);
    } catch {
      return undefined;
    }
  }

  async stat(rel: string): Promise<{ kind: EntryKind; size: number } | undefined> {
    try {
      const st = await vscode.workspace.fs.stat(this.uri(rel));
      return { kind: kindOf(st.type), size: st.size };
    } catch {
      return undefined;
    }
  }

  async read(rel: string): Promise<Uint8Array | undefined> {
    const uri = this.uri(rel);
    try {
      // On disk, never a FIFO (a .gitignore can be one: VS Code's readFile would wait on it
      // forever) or a device; links are followed, as rg follows a linked .gitignore.
      if (uri.scheme === 'file') return await readRegularFile(uri.fsPath, MAX_READ_BYTES, { followLinks: true });
      return await vscode.workspace.fs.readFile(uri);
    } catch {
      return undefined;
    }
  }

  asciiText(bytes: Uint8Array): string | undefined {
    return asciiText(bytes);
  }

  latin1Text(bytes: Uint8Array): string {
    return latin1Text(bytes);
  }

  isAscii(bytes: Uint8Array): boolean {
    return isAscii(bytes);
  }

  private uri(rel: string): vscode.Uri {
    return rel === '' ? this.folder : vscode.Uri.joinPath(this.folder, ...rel.split('/'));
  }
}

/** A link is neither file nor folder to the scan: ripgrep does not follow links. */
function kindOf(type: vscode.FileType): EntryKind {
  if (type & vscode.FileType.SymbolicLink) return 'other';
  if (type & vscode.FileType.File) return 'file';
  if (type & vscode.FileType.Directory) return 'directory';
  return 'other';
}

/** A Uri's path relative to a folder, or undefined when it lies outside. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const base = folder.path.replace(/\/+$/, '');
  if (!uri.path.startsWith(`${base}/`)) return undefined;
  return uri.path.slice(base.length + 1);
}

async function findRipgrep(): Promise<string | undefined> {
  for (const c of ripgrepCandidates(vscode.env.appRoot, process.platform, process.arch)) {
    try {
      await fsp.access(c, fsConstants.X_OK);
      return c;
    } catch {
      // Not there in this layout; try the next.
    }
  }
  // An rg through a relative PATH entry (`.`) or inside a workspace folder is never run: the
  // workspace could have put it there.
  return findExecutable('rg', { untrusted: untrustedFolders((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)) });
}
