import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { changedSinceRead, checkOperation, checkOperations, CurrentFiles, sameBytes, tempNameFor, VerifiedWrite } from '../../core/apply';
import { basename, dirname, WorkspaceChange } from '../../core/workspace';
import { FileOperation, WriteResult } from '../../core/writer';
import { IndexScheduler } from '../../core/indexScheduler';
import { createFile, placeRefusal, replaceFile, WriteHooks } from '../../node/safeWrite';
import { VscodeWorkspace } from './vscodeWorkspace';

/** How long after a write its files are read again (see `recheckLater`). */
const RECHECK_AFTER_MS = 2_000;

/** Why an operation cannot go ahead, said so that the user knows what to do next. */
class Refusal extends Error {}

/**
 * Applies the writer's file operations without losing anything the user has. Open documents
 * are edited through a `WorkspaceEdit`, so unsaved text survives and undo works; closed files
 * are rewritten through a temporary file and a rename, so a crash never leaves half a file.
 * What may be written is the core's rule (`checkOperations` in src/core/apply.ts): every
 * operation is checked against the text the writer started from before anything is written,
 * and a file that changed in between is left alone. On a local disk, writes go through
 * src/node/safeWrite.ts as the command line's do: only regular files inside the backlog once
 * links are resolved, mode and owner kept, the file checked once more right before the rename.
 * This class does the I/O.
 */
export class EditApplier implements vscode.Disposable {
  /**
   * For tests: runs at the moments of a write to a local disk when another program could act
   * (see `WriteHooks`). Empty otherwise.
   */
  hooks: WriteHooks = {};
  private readonly pendingRechecks = new Set<ReturnType<typeof setTimeout>>();
  /** The files as the core's check sees them: the disk, and the text of open editors. */
  private readonly files: CurrentFiles;

  constructor(
    private readonly ws: VscodeWorkspace,
    private readonly scheduler: IndexScheduler,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.files = {
      // The disk itself, not `ws.read`, which answers with an open document's text.
      read: async (path) => {
        try {
          return await vscode.workspace.fs.readFile(this.ws.toUri(path));
        } catch {
          return undefined;
        }
      },
      exists: async (path) => (await this.ws.stat(path)) !== undefined,
      openText: (path) => {
        const doc = this.ws.openDocument(this.ws.toUri(path));
        return doc ? { text: doc.getText(), dirty: doc.isDirty } : undefined;
      },
    };
  }

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
    // The writer writes only inside the backlog it was asked about.
    if (!(await this.apply(result.operations, this.scheduler.index.roots().map((b) => b.root)))) return undefined;
    if (result.summary !== '') this.log.info(result.summary);
    return result;
  }

  /**
   * Applies operations in order; returns false (after telling the user) when any was refused or
   * failed. `within` are the folders they may touch: by default the backlogs and the workspace
   * folders (a TODO's line in code, the first config.yml of a new backlog).
   */
  async apply(operations: readonly FileOperation[], within: readonly string[] = this.writableFolders()): Promise<boolean> {
    // Check everything first, so that a conflict in the third file leaves the first two alone.
    const checked = await checkOperations(operations, this.files, within);
    if (!checked.ok) {
      this.log.warn(checked.message);
      void vscode.window.showWarningMessage(checked.message);
      return false;
    }
    const changes: WorkspaceChange[] = [];
    try {
      // Where each file goes, links resolved, before any is written: one refusal refuses them all.
      for (const write of checked.writes) {
        if (write.kind === 'rename') {
          await this.refuseUnsafePlace(write.from, 'file', within);
          await this.refuseUnsafePlace(write.to, 'absent', within);
        } else await this.refuseUnsafePlace(write.path, write.kind === 'create' ? 'absent' : 'file', within);
      }
      for (const write of checked.writes) await this.applyOne(write, within, changes);
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

  private writableFolders(): string[] {
    return [...this.scheduler.index.roots().map((b) => b.root), ...this.ws.folderPaths()];
  }

  private async applyOne(write: VerifiedWrite, within: readonly string[], changes: WorkspaceChange[]): Promise<void> {
    switch (write.kind) {
      case 'edit':
        await this.applyEdit(write.op, within);
        changes.push({ kind: 'changed', path: write.path });
        return;
      case 'create':
        await this.create(write.path, write.bytes, within);
        changes.push({ kind: 'created', path: write.path });
        return;
      case 'rename': {
        // VS Code would follow a link in the way; the same checks as for a write of our own first.
        await this.refuseUnsafePlace(write.from, 'file', within);
        await this.refuseUnsafePlace(write.to, 'absent', within);
        const edit = new vscode.WorkspaceEdit();
        // Through a WorkspaceEdit, an open editor follows the file and keeps its unsaved text.
        edit.renameFile(this.ws.toUri(write.from), this.ws.toUri(write.to), { overwrite: false });
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to rename ${basename(write.from)} to ${basename(write.to)}.`);
        changes.push({ kind: 'deleted', path: write.from }, { kind: 'created', path: write.to });
        return;
      }
    }
  }

  private async applyEdit(op: Extract<FileOperation, { kind: 'edit' }>, within: readonly string[]): Promise<void> {
    // Checked again: the user may have typed, or the file changed, since the check of the whole
    // change; the bytes written come from the file as it is now.
    const checked = await checkOperation(op, this.files, within);
    if (!checked.ok) throw new Refusal(checked.message);
    const write = checked.write;
    if (write.kind !== 'edit') throw new Error(`An edit of ${basename(op.path)} was checked as a ${write.kind}.`);
    const uri = this.ws.toUri(op.path);
    if (write.target === 'disk') {
      if (uri.scheme === 'file') {
        const r = await replaceFile(uri.fsPath, write.base, write.bytes, this.diskFolders(within), this.hooks);
        if (!r.ok) throw new Refusal(r.message);
      } else await replaceThroughVscode(uri, write.base, write.bytes);
      return;
    }
    // The editor saves to the file (or will, when the user saves): not through a link either.
    await this.refuseUnsafePlace(op.path, 'file', within);
    const doc = this.ws.openDocument(uri);
    if (!doc) throw new Refusal(`${basename(op.path)} was closed while it was being changed; nothing was written. Try again.`);
    const edit = new vscode.WorkspaceEdit();
    for (const e of op.edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${basename(op.path)}.`);
    // A clean document is saved so the change lands on disk as it would for a closed file;
    // a dirty one stays unsaved, because saving would also write the user's unfinished text.
    if (write.save && !(await doc.save())) throw new Error(`${basename(op.path)} was changed but could not be saved.`);
  }

  private async create(path: string, bytes: Uint8Array, within: readonly string[]): Promise<void> {
    // VS Code makes missing folders and would write through a link: the place is checked first.
    await this.refuseUnsafePlace(path, 'absent', within);
    const uri = this.ws.toUri(path);
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri, { contents: bytes, ignoreIfExists: false, overwrite: false });
    if (await vscode.workspace.applyEdit(edit)) return;
    // Some file system providers refuse workspace edits; write the file directly, but never over
    // a file that appeared in the meantime.
    this.log.info(`A workspace edit could not create ${path}; writing it directly.`);
    if (uri.scheme === 'file') {
      const r = await createFile(uri.fsPath, bytes, this.diskFolders(within), this.hooks);
      if (!r.ok) throw new Refusal(r.message);
      return;
    }
    if (await this.ws.stat(path)) throw new Refusal(`${basename(path)} already exists; nothing was written.`);
    await createThroughVscode(uri, bytes);
  }

  /**
   * On a local disk: refuses (with the reason) a write at `path` that is not to a regular file,
   * or new file, in a folder inside `within` once links are resolved. Elsewhere there is nothing
   * to resolve: the core's check of the path stands alone.
   */
  private async refuseUnsafePlace(path: string, want: 'file' | 'absent', within: readonly string[]): Promise<void> {
    const uri = this.ws.toUri(path);
    if (uri.scheme !== 'file') return;
    const refused = await placeRefusal(uri.fsPath, want, this.diskFolders(within));
    if (refused) throw new Refusal(refused.message);
  }

  /** The folders writes may touch, as paths on the local disk. */
  private diskFolders(within: readonly string[]): string[] {
    return within.map((folder) => this.ws.toUri(folder).fsPath);
  }
}

/**
 * Replaces a file of a virtual workspace (no Node fs there) through a temporary file beside it
 * and a rename, if it still holds `base` right before the rename. `workspace.fs.rename` with
 * overwrite may delete the target first; on a local disk `replaceFile` is used instead.
 */
async function replaceThroughVscode(target: vscode.Uri, base: Uint8Array, bytes: Uint8Array): Promise<void> {
  const tmp = tempBeside(target);
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    const now = await Promise.resolve(vscode.workspace.fs.readFile(target)).catch(() => undefined);
    if (!now || !sameBytes(now, base)) throw new Refusal(changedSinceRead(target.path).message);
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  } catch (e) {
    await Promise.resolve(vscode.workspace.fs.delete(tmp)).catch(() => undefined);
    throw e;
  }
}

/** Creates a file of a virtual workspace through a temporary file, never over one that appeared. */
async function createThroughVscode(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const tmp = tempBeside(target);
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    await vscode.workspace.fs.rename(tmp, target, { overwrite: false });
  } catch (e) {
    await Promise.resolve(vscode.workspace.fs.delete(tmp)).catch(() => undefined);
    throw e;
  }
}

function tempBeside(target: vscode.Uri): vscode.Uri {
  return target.with({ path: `${dirname(target.path)}/${tempNameFor(basename(target.path), randomBytes(8).toString('hex'))}` });
}
