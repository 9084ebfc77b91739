// Check every operation, then write: the rule both appliers follow (the extension's EditApplier
// and the command line's NodeWorkspace). The core never writes, so it cannot apply operations
// itself; what it can do is decide, from what the files hold right now, whether a change may go
// ahead and what exactly to write. The appliers keep only the I/O.
import { contentHash } from './text';
import { basename, isUnder } from './workspace';
import { applyEditToBytes, FileOperation } from './writer';

export type EditOperation = Extract<FileOperation, { kind: 'edit' }>;

/** What an applier can tell about the files right now. */
export interface CurrentFiles {
  /** The bytes on disk, or undefined when the file cannot be read (gone, moved, no access). */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Whether a file or a folder is at the path. */
  exists(path: string): Promise<boolean>;
  /**
   * The text of an editor that has the file open, and whether that text is unsaved; undefined
   * when no editor has it (always, on the command line).
   */
  openText?(path: string): { text: string; dirty: boolean } | undefined;
}

/** One operation, checked: what to write. */
export type VerifiedWrite =
  /**
   * Through the editor that has the file open, so that its unsaved text and its undo survive;
   * `save` when it held no unsaved text, so that the change reaches the disk as for a closed file.
   */
  | { kind: 'edit'; path: string; op: EditOperation; target: 'editor'; save: boolean }
  /**
   * The file's new bytes, BOM and line ends as they were, to put in place of the old ones, and the
   * bytes the check read (`base`): the applier writes only while the file still holds exactly them.
   */
  | { kind: 'edit'; path: string; op: EditOperation; target: 'disk'; bytes: Uint8Array; base: Uint8Array }
  | { kind: 'create'; path: string; bytes: Uint8Array }
  | { kind: 'rename'; from: string; to: string };

export type RefusalReason =
  /** The path lies outside every folder the applier may write to. */
  | 'outside'
  /** The file's text is not the one the operation was computed from. */
  | 'changed'
  /** The file to edit cannot be read. */
  | 'unreadable'
  /** Something is already where a file would be created or renamed to. */
  | 'exists'
  /** The file to rename is gone. */
  | 'missing'
  /** The path is a symbolic link: Backlog Atlas writes only regular files. */
  | 'link'
  /** Something other than a regular file is at the path (a folder, a device, a pipe). */
  | 'not-a-file';

/** Why an operation cannot go ahead: the file, the reason, and a sentence for the user. */
export interface Refusal {
  path: string;
  reason: RefusalReason;
  message: string;
}

export type CheckedOperation = { ok: true; write: VerifiedWrite } | ({ ok: false } & Refusal);
export type CheckedOperations = { ok: true; writes: VerifiedWrite[] } | ({ ok: false } & Refusal);

/**
 * Checks every operation against what the files hold now, before anything is written: one
 * refusal refuses the whole change, so that a conflict in the third file leaves the first two
 * alone. `within` are the folders the operations may touch (the backlog roots, say).
 */
export async function checkOperations(operations: readonly FileOperation[], files: CurrentFiles, within: readonly string[]): Promise<CheckedOperations> {
  const writes: VerifiedWrite[] = [];
  for (const op of operations) {
    const checked = await checkOperation(op, files, within);
    if (!checked.ok) return checked;
    writes.push(checked.write);
  }
  return { ok: true, writes };
}

/**
 * Checks one operation. Appliers call it once more for an edit right before writing it: time
 * passes between the first check and the write (the user types, another program saves), and the
 * bytes to write must come from the file as it is then.
 */
export async function checkOperation(op: FileOperation, files: CurrentFiles, within: readonly string[]): Promise<CheckedOperation> {
  for (const path of op.kind === 'rename' ? [op.from, op.to] : [op.path]) {
    if (!inside(path, within)) return refuse(path, 'outside', `${path} is outside the folders Backlog Atlas writes to; nothing was written.`);
  }
  switch (op.kind) {
    case 'edit': {
      const editor = files.openText?.(op.path);
      if (editor && contentHash(editor.text) !== op.baseHash) return conflict(op.path);
      // An editor's unsaved text is what the user sees and what the edit goes into; the disk
      // matters only when the editor will save, or when no editor has the file. A clean editor
      // VS Code has not reloaded yet would otherwise save old text over a newer file.
      if (editor?.dirty) return { ok: true, write: { kind: 'edit', path: op.path, op, target: 'editor', save: false } };
      const bytes = await files.read(op.path);
      if (bytes === undefined) return refuse(op.path, 'unreadable', `${basename(op.path)} can no longer be read; it may have been moved or deleted.`);
      const next = applyEditToBytes(bytes, op);
      if (!next) return conflict(op.path);
      return { ok: true, write: editor ? { kind: 'edit', path: op.path, op, target: 'editor', save: true } : { kind: 'edit', path: op.path, op, target: 'disk', bytes: next, base: bytes } };
    }
    case 'create':
      if (await files.exists(op.path)) return refuse(op.path, 'exists', `${basename(op.path)} already exists; nothing was written.`);
      return { ok: true, write: { kind: 'create', path: op.path, bytes: new TextEncoder().encode(op.content) } };
    case 'rename':
      if (!(await files.exists(op.from))) return refuse(op.from, 'missing', `${basename(op.from)} is gone; nothing was written. Refresh and try again.`);
      if (await files.exists(op.to)) return refuse(op.to, 'exists', `${basename(op.to)} already exists; rename or move it, then try again.`);
      return { ok: true, write: { kind: 'rename', from: op.from, to: op.to } };
  }
}

/** What is at a path itself, a link not followed. */
export type EntryKind = 'file' | 'absent' | 'link' | 'other';

/**
 * Where an applier is about to write, as the file system has it with every link resolved. The
 * check of paths above cannot see links: `tasks/` may be a link to a folder elsewhere, or a link
 * may wait where a file is about to be written. An applier that writes to a disk looks, and asks
 * `checkPlace`.
 */
export interface Place {
  path: string;
  /**
   * The real path of the folder that holds the file, every link resolved (for a folder still to
   * be made: its nearest existing ancestor's real path, the rest appended).
   */
  realFolder: string;
  /** The real paths of the folders the operations may touch. */
  realWithin: readonly string[];
  /** What is at the path itself. */
  entry: EntryKind;
}

/**
 * Whether a file may be written at a place: only a regular file (`want: 'file'`), or nothing at
 * all (`'absent'`, for a new file; a link there counts as something), in a folder that is inside
 * the backlog once links are resolved. Undefined when it may.
 */
export function checkPlace(place: Place, want: 'file' | 'absent'): Refusal | undefined {
  const name = basename(place.path);
  if (!place.realWithin.some((folder) => folder !== '' && isUnder(place.realFolder, folder))) {
    return refusal(place.path, 'outside', `${name} is in a folder that leads outside the backlog (through a symbolic link); nothing was written.`);
  }
  if (want === 'absent') return place.entry === 'absent' ? undefined : refusal(place.path, 'exists', `${name} already exists; nothing was written.`);
  switch (place.entry) {
    case 'file':
      return undefined;
    case 'absent':
      return refusal(place.path, 'missing', `${name} is gone; nothing was written. Refresh and try again.`);
    case 'link':
      return refusal(place.path, 'link', `${name} is a symbolic link; Backlog Atlas writes only regular files inside the backlog, so nothing was written.`);
    case 'other':
      return refusal(place.path, 'not-a-file', `${name} is not a regular file; nothing was written.`);
  }
}

/**
 * A file as an applier saw it: its bytes and what identifies that version of it on disk (device,
 * inode, size, times, mode, owner; see the applier). Written only while it is still the same.
 */
export interface SeenFile {
  identity: string;
  bytes: Uint8Array;
}

/**
 * Whether a file is still the one that was seen: the same bytes and the same identity, so that a
 * save by another program in the meantime (in place, or by a rename of its own) is noticed.
 */
export function unchangedSince(seen: SeenFile, now: SeenFile | undefined): boolean {
  return now !== undefined && now.identity === seen.identity && sameBytes(now.bytes, seen.bytes);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The name of the temporary file a new version of the file `name` is written to before it
 * replaces it, in the same folder (so that the rename stays on one file system): named by
 * `random` (unpredictable, from a secure source) so that nothing can be planted there
 * beforehand, and a dot-name that does not end in `.md` or `.yml`, so that the index never reads it.
 */
export function tempNameFor(name: string, random: string): string {
  return `.${name}.${random}.tmp`;
}

/** A path under one of the folders, with no `.` or `..` step that could lead out of it again. */
function inside(path: string, within: readonly string[]): boolean {
  if (path.split('/').some((s) => s === '.' || s === '..')) return false;
  return within.some((folder) => folder !== '' && isUnder(path, folder));
}

function conflict(path: string): { ok: false } & Refusal {
  return { ok: false, ...changedSinceRead(path) };
}

/** The refusal of a write to a file that is no longer the one the change was made from. */
export function changedSinceRead(path: string): Refusal {
  return refusal(path, 'changed', `${basename(path)} changed since it was read; nothing was written. Try again.`);
}

function refuse(path: string, reason: RefusalReason, message: string): { ok: false } & Refusal {
  return { ok: false, path, reason, message };
}

function refusal(path: string, reason: RefusalReason, message: string): Refusal {
  return { path, reason, message };
}
