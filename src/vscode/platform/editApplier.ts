import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { changedSinceRead, checkOperation, checkOperations, CurrentFiles, sameBytes, tempNameFor, VerifiedWrite } from '../../core/apply';
import { ChangeRecorder, ChangeStack, changedSinceChange, CurrentState, FileChange, FileState, RecordedChange, textDifference, textOf } from '../../core/undo';
import { basename, dirname, isUnder, WorkspaceChange } from '../../core/workspace';
import { FileOperation, WriteResult } from '../../core/writer';
import { IndexScheduler } from '../../core/indexScheduler';
import { createFile, placeRefusal, removeFile, replaceFile, WriteHooks } from '../../node/safeWrite';
import { VscodeWorkspace } from './vscodeWorkspace';

/** How long after a write its files are read again (see `recheckLater`). */
const RECHECK_AFTER_MS = 2_000;
/** How many changes can be undone; they are kept in memory for the window's life. */
export const UNDO_LIMIT = 20;

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
 * This class does the I/O. Every change it applies is recorded, file by file, as the bytes (or an
 * editor's unsaved text) before and after, so that it can be undone exactly (see `undo`).
 */
export class EditApplier implements vscode.Disposable {
  /**
   * For tests: runs at the moments of a write to a local disk when another program could act
   * (see `WriteHooks`). Empty otherwise.
   */
  hooks: WriteHooks = {};
  /** The changes that can be undone or redone, newest last. */
  readonly history = new ChangeStack(UNDO_LIMIT);
  private readonly pendingRechecks = new Set<ReturnType<typeof setTimeout>>();
  private readonly recorded = new vscode.EventEmitter<RecordedChange>();
  /** While `asOneChange` runs: where every write is recorded, to be one step for undo. */
  private group: ChangeRecorder | undefined;
  /** A change was applied (all of it, or what landed of it before a failure) and can be undone. */
  readonly onDidRecord = this.recorded.event;
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
    if (!(await this.apply(result.operations, this.scheduler.index.roots().map((b) => b.root), result.label ?? result.summary))) return undefined;
    if (result.summary !== '') this.log.info(result.summary);
    return result;
  }

  /**
   * Applies operations in order; returns false (after telling the user) when any was refused or
   * failed. `within` are the folders they may touch: by default the backlogs and the workspace
   * folders (a TODO's line in code, the first config.yml of a new backlog). `label` names the
   * change to the user when it is recorded for undo.
   */
  async apply(operations: readonly FileOperation[], within: readonly string[] = this.writableFolders(), label?: string): Promise<boolean> {
    // Check everything first, so that a conflict in the third file leaves the first two alone.
    const checked = await checkOperations(operations, this.files, within);
    if (!checked.ok) {
      this.log.warn(checked.message);
      void vscode.window.showWarningMessage(checked.message);
      return false;
    }
    const changes: WorkspaceChange[] = [];
    const grouped = this.group !== undefined;
    const recorder = this.group ?? new ChangeRecorder();
    try {
      // Where each file goes, links resolved, before any is written: one refusal refuses them all.
      for (const write of checked.writes) {
        if (write.kind === 'rename') {
          await this.refuseUnsafePlace(write.from, 'file', within);
          await this.refuseUnsafePlace(write.to, 'absent', within);
        } else await this.refuseUnsafePlace(write.path, write.kind === 'create' ? 'absent' : 'file', within);
      }
      for (const write of checked.writes) await this.applyOne(write, within, changes, recorder);
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`Applying ${operations.length} file operation(s) stopped: ${message}`);
      void vscode.window.showWarningMessage(e instanceof Refusal ? message : 'Backlog Atlas could not write every file. Run "Backlog: Show Log" for details.');
      return false;
    } finally {
      // Whatever did land must reach the index, or its hashes would refuse the next write.
      if (changes.length > 0) await this.written(changes);
      // What landed can be taken back, even when a later file failed.
      if (!grouped) this.record(recorder.changes(), label);
    }
  }

  /**
   * Runs `run`, and records every write it makes through this applier as one change, one step to
   * undo: a command that must write in two rounds (a new backlog's config, then its first item).
   */
  async asOneChange<T>(label: string, run: () => Promise<T>): Promise<T> {
    if (this.group) return run();
    const recorder = (this.group = new ChangeRecorder());
    try {
      return await run();
    } finally {
      this.group = undefined;
      this.record(recorder.changes(), label);
    }
  }

  /**
   * Records, for undo, a write a caller makes itself (one `WorkspaceEdit` that creates an item and
   * edits code, so that the editor's own undo takes both back): what `paths` held before `run`
   * and after it. `run` returns whether it wrote anything.
   */
  async recordOwnWrite(label: string, paths: readonly string[], run: () => Promise<boolean>): Promise<boolean> {
    const before = await Promise.all(paths.map((p) => this.stateOf(p)));
    try {
      return await run();
    } finally {
      const recorder = this.group ?? new ChangeRecorder();
      for (let i = 0; i < paths.length; i++) recorder.wrote(paths[i], paths[i], before[i], await this.stateOf(paths[i]));
      if (!this.group) this.record(recorder.changes(), label);
    }
  }

  /**
   * Takes a recorded change back: every file gets exactly what it held before (a file the change
   * created is removed, a renamed one renamed back), as one step. Refuses, writing nothing, when
   * any file is no longer as the change left it. Returns false when nothing was undone.
   */
  async undo(change: RecordedChange): Promise<boolean> {
    if (!this.history.canUndo(change)) {
      void vscode.window.showInformationMessage(`"${change.label}" can no longer be undone.`);
      return false;
    }
    const redo = await this.restore(change, `Undo ${change.label}`);
    if (redo === 'refused') return false;
    this.history.undid(change, redo);
    return true;
  }

  /** Applies again the change the last undo took back, if every file is still as the undo left it. */
  async redo(change: RecordedChange): Promise<boolean> {
    const again = await this.restore(change, change.label);
    if (again === 'refused') return false;
    this.history.redid(change, again);
    return true;
  }

  /**
   * Puts every file of `change` back as it was before it: checked all first, then written, each
   * through the same safety as any write. Returns what this wrote (to take it back in turn), or
   * 'refused' after telling the user why.
   */
  private async restore(change: RecordedChange, label: string): Promise<RecordedChange | undefined | 'refused'> {
    await this.scheduler.whenIdle();
    const within = this.writableFolders();
    const refused = await this.undoRefusal(change.files, within);
    if (refused) {
      this.log.warn(`${label}: ${refused}`);
      void vscode.window.showWarningMessage(refused);
      return 'refused';
    }
    const changes: WorkspaceChange[] = [];
    const recorder = new ChangeRecorder();
    try {
      // Newest first: a file the change renamed and then edited is renamed back, then restored.
      for (const file of [...change.files].reverse()) {
        await this.restoreFile(file, within, changes);
        recorder.wrote(file.after.path, file.before.path, file.after.state, await this.stateOf(file.before.path));
      }
      this.log.info(`${label}: ${change.files.length} file(s) restored.`);
      const files = recorder.changes();
      return files.length > 0 ? { label: change.label, files } : undefined;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${label} stopped: ${message}`);
      this.history.forget(change);
      void vscode.window.showWarningMessage(e instanceof Refusal ? message : 'Backlog Atlas could not undo every file. Run "Backlog: Show Log" for details.');
      return 'refused';
    } finally {
      if (changes.length > 0) await this.written(changes);
    }
  }

  /** Why `files` cannot be put back as they were, or undefined when they all can. */
  private async undoRefusal(files: readonly FileChange[], within: readonly string[]): Promise<string | undefined> {
    for (const file of files) {
      for (const path of [file.before.path, file.after.path]) {
        if (path.split('/').some((s) => s === '.' || s === '..') || !within.some((folder) => folder !== '' && isUnder(path, folder))) {
          return `${basename(path)} is outside the folders Backlog Atlas writes to; nothing was undone.`;
        }
      }
      const reason = changedSinceChange(file.after.path, file.after.state, await this.currentState(file.after.path));
      if (reason) return reason;
      if (file.before.state.kind === 'text' && file.after.state.kind !== 'text') {
        return `${basename(file.before.path)} had unsaved text that is gone from its editor; nothing was undone.`;
      }
      if (file.before.path !== file.after.path && file.before.state.kind !== 'absent' && (await this.ws.stat(file.before.path))) {
        return `${basename(file.before.path)} exists again; nothing was undone.`;
      }
      // Links and folders that lead elsewhere: the places each write below will check again.
      try {
        if (file.after.state.kind !== 'absent') await this.refuseUnsafePlace(file.after.path, 'file', within);
        if (file.before.path !== file.after.path && file.before.state.kind !== 'absent') await this.refuseUnsafePlace(file.before.path, 'absent', within);
      } catch (e) {
        if (e instanceof Refusal) return e.message;
        throw e;
      }
    }
    return undefined;
  }

  /** Puts one file back: created files removed, renamed ones renamed back, then the old contents. */
  private async restoreFile(file: FileChange, within: readonly string[], changes: WorkspaceChange[]): Promise<void> {
    const { before, after } = file;
    if (before.state.kind === 'absent') {
      if (after.state.kind === 'absent') return;
      await this.remove(after.path, after.state, within);
      changes.push({ kind: 'deleted', path: after.path });
      return;
    }
    if (after.state.kind === 'absent') {
      if (before.state.kind !== 'bytes') throw new Refusal(`${basename(before.path)} cannot be brought back; nothing more was undone.`);
      await this.create(before.path, before.state.bytes, within);
      changes.push({ kind: 'created', path: before.path });
      return;
    }
    if (before.path !== after.path) {
      await this.rename(after.path, before.path, within);
      changes.push({ kind: 'deleted', path: after.path }, { kind: 'created', path: before.path });
    }
    await this.setContents(before.path, after.state, before.state, within);
    changes.push({ kind: 'changed', path: before.path });
  }

  /** Turns a file that holds `from` into one that holds `to`: in its editor when one has it open. */
  private async setContents(path: string, from: FileState, to: FileState, within: readonly string[]): Promise<void> {
    const uri = this.ws.toUri(path);
    const doc = this.ws.openDocument(uri);
    if (doc) {
      await this.refuseUnsafePlace(path, 'file', within);
      const text = textOf(to);
      if (text === undefined) throw new Refusal(`${basename(path)} would not be text; nothing more was undone.`);
      const diff = textDifference(doc.getText(), text);
      if (diff) {
        // Through the editor, so that its own undo and its unsaved text stay coherent.
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, new vscode.Range(doc.positionAt(diff.offset), doc.positionAt(diff.offset + diff.length)), diff.newText);
        if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${basename(path)}.`);
      }
      if (to.kind !== 'bytes') return;
      // The disk held these bytes before the change: the editor saves, and where its save writes
      // them differently (line endings it evened out), the bytes themselves are put back.
      if (doc.isDirty && !(await doc.save())) throw new Error(`${basename(path)} was restored but could not be saved.`);
      const now = await this.files.read(path);
      if (now !== undefined && !sameBytes(now, to.bytes)) await this.replace(path, now, to.bytes, within);
      return;
    }
    if (to.kind !== 'bytes' || from.kind !== 'bytes') throw new Refusal(`${basename(path)} was closed without saving; nothing more was undone.`);
    await this.replace(path, from.bytes, to.bytes, within);
  }

  /** Replaces a file that holds `base` by `bytes`, through safeWrite on a local disk. */
  private async replace(path: string, base: Uint8Array, bytes: Uint8Array, within: readonly string[]): Promise<void> {
    const uri = this.ws.toUri(path);
    if (uri.scheme === 'file') {
      const r = await replaceFile(uri.fsPath, base, bytes, this.diskFolders(within), this.hooks);
      if (!r.ok) throw new Refusal(r.message.replace('nothing was written', 'nothing more was undone'));
    } else await replaceThroughVscode(uri, base, bytes);
  }

  /** Removes a file the change created, if it still holds what was written. */
  private async remove(path: string, state: FileState, within: readonly string[]): Promise<void> {
    await this.refuseUnsafePlace(path, 'file', within);
    const uri = this.ws.toUri(path);
    if (state.kind !== 'bytes') throw new Refusal(`${basename(path)} has unsaved changes; nothing more was undone.`);
    if (this.ws.openDocument(uri) || uri.scheme !== 'file') {
      // An editor that has it open closes with it rather than offering to save it again.
      const now = await this.files.read(path);
      if (now === undefined || !sameBytes(now, state.bytes)) throw new Refusal(changedSinceRead(path).message);
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(uri, { ignoreIfNotExists: false });
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to remove ${basename(path)}.`);
      return;
    }
    const r = await removeFile(uri.fsPath, state.bytes, this.diskFolders(within));
    if (!r.ok) throw new Refusal(r.message);
  }

  private async rename(from: string, to: string, within: readonly string[]): Promise<void> {
    await this.refuseUnsafePlace(from, 'file', within);
    await this.refuseUnsafePlace(to, 'absent', within);
    const edit = new vscode.WorkspaceEdit();
    // Through a WorkspaceEdit, an open editor follows the file and keeps its unsaved text.
    edit.renameFile(this.ws.toUri(from), this.ws.toUri(to), { overwrite: false });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused to rename ${basename(from)} to ${basename(to)}.`);
  }

  /** What a file holds now, as an undo recorded it: an editor's unsaved text, else the disk's bytes. */
  private async stateOf(path: string): Promise<FileState> {
    const doc = this.ws.openDocument(this.ws.toUri(path));
    if (doc?.isDirty) return { kind: 'text', text: doc.getText() };
    const bytes = await this.files.read(path);
    return bytes === undefined ? { kind: 'absent' } : { kind: 'bytes', bytes };
  }

  private async currentState(path: string): Promise<CurrentState> {
    const disk = await this.files.read(path);
    // Something that is there but cannot be read (a folder) is not "absent".
    if (disk === undefined && (await this.ws.stat(path))) return { disk: new Uint8Array(0), editor: this.files.openText?.(path) };
    return { disk, editor: this.files.openText?.(path) };
  }

  private record(files: FileChange[], label: string | undefined): void {
    if (files.length === 0) return;
    const change: RecordedChange = { label: label && label !== '' ? label : defaultLabel(files), files };
    this.history.push(change);
    this.recorded.fire(change);
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
    this.recorded.dispose();
    for (const t of this.pendingRechecks) clearTimeout(t);
    this.pendingRechecks.clear();
  }

  private writableFolders(): string[] {
    return [...this.scheduler.index.roots().map((b) => b.root), ...this.ws.folderPaths()];
  }

  private async applyOne(write: VerifiedWrite, within: readonly string[], changes: WorkspaceChange[], recorder: ChangeRecorder): Promise<void> {
    switch (write.kind) {
      case 'edit':
        await this.applyEdit(write.op, within, recorder);
        changes.push({ kind: 'changed', path: write.path });
        return;
      case 'create':
        await this.create(write.path, write.bytes, within);
        changes.push({ kind: 'created', path: write.path });
        recorder.wrote(write.path, write.path, { kind: 'absent' }, { kind: 'bytes', bytes: write.bytes });
        return;
      case 'rename': {
        // VS Code would follow a link in the way; the same checks as for a write of our own first.
        const state = await this.stateOf(write.from);
        await this.rename(write.from, write.to, within);
        changes.push({ kind: 'deleted', path: write.from }, { kind: 'created', path: write.to });
        recorder.wrote(write.from, write.to, state, await this.stateOf(write.to));
        return;
      }
    }
  }

  private async applyEdit(op: Extract<FileOperation, { kind: 'edit' }>, within: readonly string[], recorder: ChangeRecorder): Promise<void> {
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
      recorder.wrote(op.path, op.path, { kind: 'bytes', bytes: write.base }, { kind: 'bytes', bytes: write.bytes });
      return;
    }
    // The editor saves to the file (or will, when the user saves): not through a link either.
    await this.refuseUnsafePlace(op.path, 'file', within);
    const doc = this.ws.openDocument(uri);
    if (!doc) throw new Refusal(`${basename(op.path)} was closed while it was being changed; nothing was written. Try again.`);
    const before = await this.stateOf(op.path);
    const edit = new vscode.WorkspaceEdit();
    for (const e of op.edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${basename(op.path)}.`);
    // A clean document is saved so the change lands on disk as it would for a closed file;
    // a dirty one stays unsaved, because saving would also write the user's unfinished text.
    try {
      if (write.save && !(await doc.save())) throw new Error(`${basename(op.path)} was changed but could not be saved.`);
    } finally {
      recorder.wrote(op.path, op.path, before, await this.stateOf(op.path));
    }
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

/** Names a change no writer named: its one file, or how many. */
function defaultLabel(files: readonly FileChange[]): string {
  return files.length === 1 ? `Changed ${basename(files[0].after.path)}` : `Changed ${files.length} files`;
}
