import { randomBytes } from 'crypto';
import { promises as nodeFs } from 'fs';
import * as vscode from 'vscode';
import { contentHash } from '../../core/text';
import { basename, dirname, WorkspaceChange } from '../../core/workspace';
import { applyEditToBytes, FileOperation, WriteResult } from '../../core/writer';
import { IndexScheduler } from '../../core/indexScheduler';
import { VscodeWorkspace } from './vscodeWorkspace';

type EditOperation = Extract<FileOperation, { kind: 'edit' }>;

/** How long after a write its files are read again (see `recheckLater`). */
const RECHECK_AFTER_MS = 2_000;

/** Why an operation cannot go ahead, said so that the user knows what to do next. */
class Refusal extends Error {}

/**
 * Applies the writer's file operations without losing anything the user has. Open documents
 * are edited through a `WorkspaceEdit`, so unsaved text survives and undo works; closed files
 * are rewritten through a temporary file and a rename, so a crash never leaves half a file.
 * Every operation is checked against the text the writer started from before anything is
 * written, and a file that changed in between is left alone.
 */
export class EditApplier implements vscode.Disposable {
  private readonly pendingRechecks = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly ws: VscodeWorkspace,
    private readonly scheduler: IndexScheduler,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Lets the index catch up with every pending change, asks the writer for operations and
   * applies them. A refusal from the writer is shown as a warning. Returns the writer's result
   * when everything was written, undefined otherwise.
   */
  async write(compute: () => Promise<WriteResult>): Promise<Extract<WriteResult, { ok: true }> | undefined> {
    await this.scheduler.whenIdle();
    const result = await compute();
    if (!result.ok) {
      this.log.info(`Refused: ${result.message}`);
      void vscode.window.showWarningMessage(result.message);
      return undefined;
    }
    if (!(await this.apply(result.operations))) return undefined;
    if (result.summary !== '') this.log.info(result.summary);
    return result;
  }

  /** Applies operations in order; returns false (after telling the user) when any was refused or failed. */
  async apply(operations: readonly FileOperation[]): Promise<boolean> {
    try {
      // Check everything first, so that a conflict in the third file leaves the first two alone.
      for (const op of operations) await this.check(op);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      this.log.warn(e.message);
      void vscode.window.showWarningMessage(e.message);
      return false;
    }
    const changes: WorkspaceChange[] = [];
    try {
      for (const op of operations) await this.applyOne(op, changes);
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`Applying ${operations.length} file operation(s) stopped: ${message}`);
      void vscode.window.showWarningMessage(e instanceof Refusal ? message : 'Backlog Atlas could not write every file. Run "Backlog: Show Log" for details.');
      return false;
    } finally {
      // Whatever did land must reach the index, or its hashes would refuse the next write.
      if (changes.length > 0) await this.written(changes);
    }
  }

  /**
   * Tells the index about files written here or by a caller's own `WorkspaceEdit` (one that also
   * edits code, say), and reads them once more a little later (see `recheckLater`).
   */
  async written(changes: readonly WorkspaceChange[]): Promise<void> {
    await this.scheduler.applyChanges([...changes]);
    this.recheckLater(changes);
  }

  /**
   * Reads the written files once more a little later. The index learns of our own writes from
   * us, not from the watcher; the watcher's echo of a create then reaches VS Code together with
   * a quick delete (an undo, say), and VS Code merges "created, then deleted" into no event at
   * all (the file service coalesces events), so without this the index would keep a file that
   * is gone. Reading a file that did not change again costs a read and changes nothing.
   */
  private recheckLater(changes: readonly WorkspaceChange[]): void {
    const paths = [...new Set(changes.map((c) => c.path))];
    const timer = setTimeout(() => {
      this.pendingRechecks.delete(timer);
      void this.scheduler.applyChanges(paths.map((path) => ({ kind: 'changed' as const, path }))).catch((e: unknown) => this.log.warn(`Reading written files again failed: ${String(e)}`));
    }, RECHECK_AFTER_MS);
    this.pendingRechecks.add(timer);
  }

  dispose(): void {
    for (const t of this.pendingRechecks) clearTimeout(t);
    this.pendingRechecks.clear();
  }

  private async check(op: FileOperation): Promise<void> {
    switch (op.kind) {
      case 'edit': {
        const uri = this.ws.toUri(op.path);
        const doc = this.ws.openDocument(uri);
        if (doc && contentHash(doc.getText()) !== op.baseHash) throw conflict(op.path);
        // A clean document is saved after the edit, so the disk must hold the same text too:
        // a document VS Code has not reloaded yet would otherwise overwrite a newer file.
        if ((!doc || !doc.isDirty) && !applyEditToBytes(await readOrRefuse(uri, op.path), op)) throw conflict(op.path);
        return;
      }
      case 'create':
        if (await this.ws.stat(op.path)) throw new Refusal(`${basename(op.path)} already exists; nothing was written.`);
        return;
      case 'rename':
        if (!(await this.ws.stat(op.from))) throw new Refusal(`${basename(op.from)} is gone; nothing was written. Refresh and try again.`);
        if (await this.ws.stat(op.to)) throw new Refusal(`${basename(op.to)} already exists; rename or move it, then try again.`);
        return;
    }
  }

  private async applyOne(op: FileOperation, changes: WorkspaceChange[]): Promise<void> {
    switch (op.kind) {
      case 'edit':
        await this.applyEdit(op);
        changes.push({ kind: 'changed', path: op.path });
        return;
      case 'create':
        await this.create(op.path, op.content);
        changes.push({ kind: 'created', path: op.path });
        return;
      case 'rename': {
        const edit = new vscode.WorkspaceEdit();
        // Through a WorkspaceEdit, an open editor follows the file and keeps its unsaved text.
        edit.renameFile(this.ws.toUri(op.from), this.ws.toUri(op.to), { overwrite: false });
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to rename ${basename(op.from)} to ${basename(op.to)}.`);
        changes.push({ kind: 'deleted', path: op.from }, { kind: 'created', path: op.to });
        return;
      }
    }
  }

  private async applyEdit(op: EditOperation): Promise<void> {
    const uri = this.ws.toUri(op.path);
    const doc = this.ws.openDocument(uri);
    if (doc) {
      // Checked again: the user may have typed, or the file changed, since the check above.
      if (contentHash(doc.getText()) !== op.baseHash) throw conflict(op.path);
      const wasDirty = doc.isDirty;
      if (!wasDirty && !applyEditToBytes(await readOrRefuse(uri, op.path), op)) throw conflict(op.path);
      const edit = new vscode.WorkspaceEdit();
      for (const e of op.edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${basename(op.path)}.`);
      // A clean document is saved so the change lands on disk as it would for a closed file;
      // a dirty one stays unsaved, because saving would also write the user's unfinished text.
      if (!wasDirty && !(await doc.save())) throw new Error(`${basename(op.path)} was changed but could not be saved.`);
      return;
    }
    const bytes = applyEditToBytes(await readOrRefuse(uri, op.path), op);
    if (!bytes) throw conflict(op.path);
    await writeAtomically(uri, bytes);
  }

  private async create(path: string, content: string): Promise<void> {
    const uri = this.ws.toUri(path);
    const bytes = new TextEncoder().encode(content);
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { contents: bytes, ignoreIfExists: false, overwrite: false });
    if (await vscode.workspace.applyEdit(edit)) return;
    // Some file system providers refuse workspace edits; write the file directly, but never over
    // a file that appeared in the meantime.
    if (await this.ws.stat(path)) throw new Refusal(`${basename(path)} already exists; nothing was written.`);
    this.log.info(`A workspace edit could not create ${path}; writing it directly.`);
    await writeAtomically(uri, bytes, false);
  }
}

function conflict(path: string): Refusal {
  return new Refusal(`${basename(path)} changed since it was read; nothing was written. Try again.`);
}

async function readOrRefuse(uri: vscode.Uri, path: string): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    throw new Refusal(`${basename(path)} can no longer be read; it may have been moved or deleted.`);
  }
}

/**
 * Writes next to the target and renames over it. VS Code's own writes truncate first, so a crash
 * (or a full disk) in the middle would leave an empty or half-written file. On disk the rename is
 * the system's, which replaces the target in one step: `workspace.fs.rename` with overwrite
 * deletes the target first, and a reader in that moment (Backlog.md, git, the user's editor)
 * would find no file at all. Without overwrite, a hard link refuses a target that appeared
 * meanwhile instead of replacing it.
 */
async function writeAtomically(target: vscode.Uri, bytes: Uint8Array, overwrite = true): Promise<void> {
  // A dot-name that does not end in `.md` or `.yml`, so that the index never reads it.
  const tmp = target.with({ path: `${dirname(target.path)}/.${basename(target.path)}.${randomBytes(6).toString('hex')}.tmp` });
  if (target.scheme === 'file') {
    await nodeFs.writeFile(tmp.fsPath, bytes, { flag: 'wx' });
    try {
      if (overwrite) await nodeFs.rename(tmp.fsPath, target.fsPath);
      else await nodeFs.link(tmp.fsPath, target.fsPath);
    } finally {
      await nodeFs.unlink(tmp.fsPath).catch(() => undefined);
    }
    return;
  }
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    await vscode.workspace.fs.rename(tmp, target, { overwrite });
  } catch (e) {
    await Promise.resolve(vscode.workspace.fs.delete(tmp)).catch(() => undefined);
    throw e;
  }
}
