import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';
import { BacklogIndex } from '../../core/backlogIndex';
import { idKey } from '../../core/naming';
import { commentSyntaxFor, TodoMatch, TodoMatcher, todosInText } from '../../core/todo/todo';
import { todoOptionsFor } from '../../core/todo/todoLinks';
import { MAX_FILE_BYTES, ScanScope } from '../../core/todo/scanScope';
import { relativePath, TodoScanner } from './todoScanner';
import { BURST_THRESHOLD, BURST_WINDOW_MS, WATCH_DEBOUNCE_MS } from '../platform/vscodeWorkspace';
import { errorDetail } from '../../core/text';

/** One TODO comment in one file. */
export interface CodeTodo extends TodoMatch {
  uri: vscode.Uri;
}

/** Typing fires a change event per keystroke; listeners (views, diagnostics) hear of it once per pause. */
const EDIT_DEBOUNCE_MS = 200;

/**
 * Every TODO comment in the workspace's code, kept current: a full scan at start and whenever
 * the backlogs' prefixes or tags change, the text of open documents on every edit, and files
 * changed on disk in debounced batches (a burst is answered with one full scan).
 *
 * A full scan is built into a fresh map and swapped in when complete, so readers never see half
 * a scan; files that change during it are read again afterwards.
 */
export class TodoIndex extends Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  /** TODOs on disk by Uri string: files with at least one. */
  private disk = new Map<string, CodeTodo[]>();
  /** Open documents' TODOs, by Uri string, with the document version they were computed for. */
  private readonly docs = new Map<string, { version: number; todos: CodeTodo[] }>();
  private current: TodoMatcher;
  private matcherKey: string;
  /** What each folder's scan reads, by folder Uri string; the watcher and open documents follow it too. */
  private scopes = new Map<string, ScanScope>();
  /** Bumped on every change of what `all()` would return; the derived lists are cached per value. */
  private generation = 0;
  private derived: { generation: number; all: CodeTodo[]; byKey: Map<string, CodeTodo[]>; unlinked: CodeTodo[] } | undefined;
  private scan: vscode.CancellationTokenSource | undefined;
  private scanning: Promise<void> | undefined;
  /** Files changed while a full scan ran; read again once it has been swapped in. */
  private changedDuringScan = new Set<string>();
  private firstScan: Promise<void>;
  private resolveFirst: () => void = () => undefined;
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  private pending = new Map<string, vscode.Uri>();
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private recent: number[] = [];
  private burst = false;
  private scanRunning = false;
  /** False until the first `rescan()`: the extension starts it once the backlogs are read. */
  private started = false;

  constructor(
    private readonly index: BacklogIndex,
    readonly scanner: TodoScanner,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.firstScan = new Promise<void>((resolve) => (this.resolveFirst = resolve));
    this.current = this.buildMatcher();
    this.matcherKey = this.keyOf(this.current);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    for (const d of [
      this.changed,
      watcher,
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.onDiskChange(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !this.tracks(e.document)) return;
        // todosIn() reads the new text at once; listeners hear of it after a pause in typing.
        this.generation++;
        this.fireSoon(EDIT_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.tracks(d)) return;
        this.generation++;
        this.fireSoon(0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        if (!this.docs.delete(key)) return;
        // Closing a dirty document drops its text: the file on disk is the truth again.
        this.generation++;
        this.queueFile(d.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.tracks(d)) this.setDisk(d.uri, this.docTodos(d));
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) void this.rescan();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      // Trust lets the scan start ripgrep instead of reading every file itself.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.rescan()),
    ])
      this.register(d);
    const sub = index.onDidChange(() => {
      const next = this.buildMatcher();
      const key = this.keyOf(next);
      if (key === this.matcherKey) return;
      this.current = next;
      this.matcherKey = key;
      // Open documents were matched with the old tags and prefixes.
      this.docs.clear();
      this.generation++;
      if (!this.started) return;
      this.log.info(`TODO tags, item prefixes or backlog folders changed (${key}); scanning the code again.`);
      void this.rescan();
    });
    this.register(sub);
    // Registered last, so released first: no scan or timer outlives the listeners it reports to.
    this.register({
      dispose: () => {
        this.scan?.cancel();
        this.scan?.dispose();
        clearTimeout(this.fireTimer);
        clearTimeout(this.pendingTimer);
      },
    });
  }

  /** The matcher for the current backlogs: every root's TODO tags, every root's id prefix. */
  matcher(): TodoMatcher {
    return this.current;
  }

  /** TODOs of one file; for an open document, from its current text. */
  todosIn(uri: vscode.Uri): readonly CodeTodo[] {
    const key = uri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
    if (doc && commentSyntaxFor(doc.uri.path)) return this.docTodos(doc);
    return this.disk.get(key) ?? [];
  }

  all(): readonly CodeTodo[] {
    return this.derive().all;
  }

  /** TODOs naming an item, compared with the core's idKey. */
  byItem(id: string): readonly CodeTodo[] {
    return this.derive().byKey.get(idKey(id)) ?? [];
  }

  unlinked(): readonly CodeTodo[] {
    return this.derive().unlinked;
  }

  /** Resolves when the first full scan is done. */
  ready(): Promise<void> {
    return this.firstScan;
  }

  /** Scans every workspace folder again; a scan still running is cancelled first. */
  rescan(): Promise<void> {
    this.started = true;
    this.scan?.cancel();
    this.scan?.dispose();
    const source = new vscode.CancellationTokenSource();
    this.scan = source;
    const run = this.runScan(source.token).catch((e: unknown) => this.log.error('Scanning for TODOs failed:', errorDetail(e)));
    this.scanning = run;
    return run;
  }

  /** Resolves once the scan in progress and the queued file changes have been taken in (tests). */
  async whenIdle(): Promise<void> {
    await this.scanning;
    if (this.pendingTimer !== undefined) {
      clearTimeout(this.pendingTimer);
      await this.deliver();
    }
    await this.scanning;
  }

  private async runScan(token: vscode.CancellationToken): Promise<void> {
    this.scanRunning = true;
    try {
      await this.scanAll(token);
    } finally {
      if (!token.isCancellationRequested) this.scanRunning = false;
    }
  }

  private async scanAll(token: vscode.CancellationToken): Promise<void> {
    const started = Date.now();
    const fresh = new Map<string, CodeTodo[]>();
    const scopes = new Map<string, ScanScope>();
    this.changedDuringScan = new Set();
    const matcher = this.current;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (token.isCancellationRequested) return;
      // Settings and .gitignore files are read afresh: a full scan follows any change to them.
      const scope = this.scanner.scopeFor(folder.uri, this.backlogFoldersIn(folder.uri));
      scopes.set(folder.uri.toString(), scope);
      await this.scanner.scanFolder(folder.uri, matcher, scope, token, (uri, todos) => fresh.set(uri.toString(), todos.map((t) => ({ ...t, uri }))));
    }
    if (token.isCancellationRequested) return;
    this.disk = fresh;
    this.scopes = scopes;
    this.generation++;
    const count = [...fresh.values()].reduce((n, l) => n + l.length, 0);
    this.log.info(`Found ${count} TODO comment(s) in ${fresh.size} file(s) in ${Date.now() - started} ms.`);
    for (const key of this.changedDuringScan) this.queueFile(vscode.Uri.parse(key));
    this.changedDuringScan.clear();
    this.fireSoon(0);
    this.resolveFirst();
  }

  private fireSoon(delay: number): void {
    if (this.fireTimer !== undefined) clearTimeout(this.fireTimer);
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      this.changed.fire();
    }, delay);
  }

  private buildMatcher(): TodoMatcher {
    return new TodoMatcher(todoOptionsFor(this.index));
  }

  /** An open document's TODOs for its current version, computed when first asked. */
  private docTodos(doc: vscode.TextDocument): CodeTodo[] {
    const key = doc.uri.toString();
    const cached = this.docs.get(key);
    if (cached && cached.version === doc.version) return cached.todos;
    const syntax = commentSyntaxFor(doc.uri.path);
    // Documents over the scan's size limit are skipped as on disk: matching megabytes of text on
    // every edit would hold up the extension host.
    const text = doc.getText();
    const todos = syntax && text.length <= MAX_FILE_BYTES ? todosInText(this.current, text, syntax).map((t) => ({ ...t, uri: doc.uri })) : [];
    this.docs.set(key, { version: doc.version, todos });
    return todos;
  }

  /** True for documents whose TODOs count: a known comment syntax, in a workspace folder, not excluded. */
  private tracks(doc: vscode.TextDocument): boolean {
    return commentSyntaxFor(doc.uri.path) !== undefined && this.inScope(doc.uri);
  }

  /**
   * Whether a scan reads the file, from the .gitignore files read so far; a path whose folders
   * have not been read yet counts as out until they have, and then the lists are drawn again.
   */
  private inScope(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const rel = relativePath(folder.uri, uri);
    if (rel === undefined) return false;
    const scope = this.scopeOf(folder.uri);
    const known = scope.includesNow(rel);
    if (known !== undefined) return known;
    void scope.includes(rel).then(() => {
      this.generation++;
      this.fireSoon(0);
    });
    return false;
  }

  /** The scope of the last full scan of a folder, or a new one before the first. */
  private scopeOf(folder: vscode.Uri): ScanScope {
    const key = folder.toString();
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = this.scanner.scopeFor(folder, this.backlogFoldersIn(folder));
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** Backlog roots inside a folder, relative to it: they hold items, not code, and are not scanned (the command line skips them too). */
  private backlogFoldersIn(folder: vscode.Uri): string[] {
    const base = folder.path.endsWith('/') ? folder.path.slice(0, -1) : folder.path;
    return this.index.roots().flatMap((b) => (b.root === base ? [''] : b.root.startsWith(`${base}/`) ? [b.root.slice(base.length + 1)] : []));
  }

  /** What a full scan depends on besides the files: tags, prefixes and where the backlogs are. */
  private keyOf(m: TodoMatcher): string {
    const roots = this.index
      .roots()
      .map((b) => b.root)
      .sort();
    return `tags ${m.options.tags.join(',')}; prefixes ${m.options.prefixes.join(',') || '(none)'}; backlogs ${roots.join(',') || '(none)'}`;
  }

  private derive(): NonNullable<TodoIndex['derived']> {
    if (this.derived?.generation === this.generation) return this.derived;
    const all: CodeTodo[] = [];
    const seen = new Set<string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isClosed || !this.tracks(doc)) continue;
      seen.add(doc.uri.toString());
      all.push(...this.docTodos(doc));
    }
    for (const [key, todos] of this.disk) if (!seen.has(key)) all.push(...todos);
    all.sort((a, b) => (a.uri.path < b.uri.path ? -1 : a.uri.path > b.uri.path ? 1 : a.line - b.line || a.column - b.column));
    const byKey = new Map<string, CodeTodo[]>();
    const unlinked: CodeTodo[] = [];
    for (const t of all) {
      if (!t.ref) {
        unlinked.push(t);
        continue;
      }
      const k = idKey(t.ref.id);
      const list = byKey.get(k);
      if (list) list.push(t);
      else byKey.set(k, [t]);
    }
    this.derived = { generation: this.generation, all, byKey, unlinked };
    return this.derived;
  }

  private setDisk(uri: vscode.Uri, todos: readonly TodoMatch[] | undefined): void {
    const key = uri.toString();
    const before = this.disk.get(key);
    if (!todos || todos.length === 0) {
      if (!before) return;
      this.disk.delete(key);
    } else this.disk.set(key, todos.map((t) => ({ ...t, uri })));
    this.generation++;
    this.fireSoon(EDIT_DEBOUNCE_MS);
  }

  /** A watcher event: batched, and a burst (a checkout, a branch switch) becomes one full scan. */
  private onDiskChange(uri: vscode.Uri): void {
    if (vscode.workspace.getWorkspaceFolder(uri) === undefined) return;
    if (uri.path.endsWith('/.gitignore')) {
      this.burst = true;
    } else if (!this.burst) {
      const now = Date.now();
      while (this.recent.length > 0 && this.recent[0] < now - BURST_WINDOW_MS) this.recent.shift();
      this.recent.push(now);
      this.pending.set(uri.toString(), uri);
      if (this.pending.size > BURST_THRESHOLD || this.recent.length > BURST_THRESHOLD) {
        this.burst = true;
        this.pending.clear();
      }
    }
    if (this.pendingTimer !== undefined) clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => void this.deliver(), WATCH_DEBOUNCE_MS);
  }

  private queueFile(uri: vscode.Uri): void {
    this.pending.set(uri.toString(), uri);
    if (this.pendingTimer !== undefined) clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => void this.deliver(), WATCH_DEBOUNCE_MS);
  }

  private async deliver(): Promise<void> {
    this.pendingTimer = undefined;
    if (this.burst) {
      this.burst = false;
      this.recent = [];
      this.pending.clear();
      this.log.info(`More than ${BURST_THRESHOLD} files changed at once (or a .gitignore did); scanning for TODOs again.`);
      await this.rescan();
      return;
    }
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const uri of batch) {
      if (this.scanRunning) this.changedDuringScan.add(uri.toString());
      // A deleted folder takes its files along.
      const prefix = `${uri.toString()}/`;
      for (const key of [...this.disk.keys()]) if (key.startsWith(prefix)) this.setDisk(vscode.Uri.parse(key), undefined);
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const todos = folder && commentSyntaxFor(uri.path) ? await this.scanner.scanFile(folder.uri, uri, this.current, this.scopeOf(folder.uri)) : undefined;
      this.setDisk(uri, todos);
    }
  }
}
