// Undo: what a change did to each file, and whether it can still be taken back. The core never
// writes; the applier records here what it saw before and after each write, and asks here whether
// the files are still as the change left them before it writes anything back.
import { sameBytes } from './apply';
import { decodeText } from './text';
import { basename } from './workspace';

/** What one file held, as the applier saw it. */
export type FileState =
  /** No file at the path. */
  | { kind: 'absent' }
  /** These bytes on disk; an editor that has the file open holds the same text, unsaved nothing. */
  | { kind: 'bytes'; bytes: Uint8Array }
  /** Unsaved text in an editor (the disk holds something else, which the change did not touch). */
  | { kind: 'text'; text: string };

/** One file's part of a change: where it was and what it held before, where and what after. */
export interface FileChange {
  readonly before: { path: string; state: FileState };
  readonly after: { path: string; state: FileState };
}

/** A change that can be undone: the files it changed, and the words that name it to the user. */
export interface RecordedChange {
  readonly label: string;
  readonly files: readonly FileChange[];
}

/** A file as it is right now, for the check before an undo. */
export interface CurrentState {
  /** The bytes on disk, or undefined when nothing (or nothing readable) is at the path. */
  disk: Uint8Array | undefined;
  /** The text of an editor that has the file open, and whether it is unsaved. */
  editor?: { text: string; dirty: boolean };
}

/**
 * Collects what the writes of one change did, file by file, following a file through renames,
 * so that several writes to one file (an edit, then a rename) make one entry: its state before
 * the first and after the last.
 */
export class ChangeRecorder {
  private readonly byPath = new Map<string, { before: { path: string; state: FileState }; after: { path: string; state: FileState } }>();

  /** One write: the file at `from` held `before`; now the file at `to` (often `from`) holds `after`. */
  wrote(from: string, to: string, before: FileState, after: FileState): void {
    const known = this.byPath.get(from);
    this.byPath.delete(from);
    this.byPath.set(to, { before: known?.before ?? { path: from, state: before }, after: { path: to, state: after } });
  }

  /** The files that changed, in the order they were first written; writes that came to nothing are left out. */
  changes(): FileChange[] {
    return [...this.byPath.values()].filter((c) => c.before.path !== c.after.path || !sameState(c.before.state, c.after.state));
  }
}

/** Whether two recorded states are the same contents. */
export function sameState(a: FileState, b: FileState): boolean {
  if (a.kind === 'absent' || b.kind === 'absent') return a.kind === b.kind;
  if (a.kind === 'bytes' && b.kind === 'bytes') return sameBytes(a.bytes, b.bytes);
  return textOf(a) === textOf(b);
}

/**
 * Why a file is no longer as the change left it, or undefined when it is: the check made for
 * every file of a change before an undo writes any. Bytes on disk are compared exactly; an editor
 * that has the file open must show that text and hold nothing unsaved, or, when the change went
 * into unsaved text, show exactly the text the change left.
 */
export function changedSinceChange(path: string, recorded: FileState, now: CurrentState): string | undefined {
  const name = basename(path);
  const changed = `${name} changed since; nothing was undone.`;
  switch (recorded.kind) {
    case 'absent':
      return now.disk === undefined && now.editor === undefined ? undefined : `${name} exists again; nothing was undone.`;
    case 'bytes': {
      if (now.disk === undefined) return `${name} is gone; nothing was undone.`;
      if (!sameBytes(now.disk, recorded.bytes)) return changed;
      if (now.editor === undefined) return undefined;
      if (now.editor.dirty) return `${name} has unsaved changes; save or revert them, then undo.`;
      return now.editor.text === textOf(recorded) ? undefined : changed;
    }
    case 'text':
      if (now.editor === undefined) return `${name} was closed without saving what the change wrote into it; nothing was undone.`;
      return now.editor.text === recorded.text ? undefined : changed;
  }
}

/**
 * The text an editor shows for a state: for bytes, the decoded text without the byte order mark,
 * as VS Code opens the file; undefined for bytes that are not UTF-8 text (never the case for what
 * Backlog Atlas wrote) and for no file.
 */
export function textOf(state: FileState): string | undefined {
  if (state.kind === 'text') return state.text;
  if (state.kind === 'absent') return undefined;
  const decoded = decodeText(state.bytes);
  return decoded.ok ? decoded.value.text : undefined;
}

/** The one replacement that turns `from` into `to`: what lies between their common start and end. */
export function textDifference(from: string, to: string): { offset: number; length: number; newText: string } | undefined {
  if (from === to) return undefined;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  // Never split a surrogate pair or a CRLF: an editor position cannot fall inside either.
  while (start > 0 && (splitsPair(from, start) || splitsPair(to, start))) start--;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  while (end > 0 && (splitsPair(from, from.length - end) || splitsPair(to, to.length - end))) end--;
  return { offset: start, length: from.length - end - start, newText: to.slice(start, to.length - end) };
}

/** Whether `at` falls inside a surrogate pair or a CRLF of `text`. */
function splitsPair(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return false;
  const code = text.charCodeAt(at);
  return (code >= 0xdc00 && code <= 0xdfff) || (text[at - 1] === '\r' && text[at] === '\n');
}

/** The most recent changes, newest last, and the ones undone, to redo; a bounded window, in memory. */
export class ChangeStack {
  private readonly done: RecordedChange[] = [];
  private readonly undone: RecordedChange[] = [];

  constructor(private readonly limit = 20) {}

  /** A new change: it can be undone, and nothing undone before it can be redone any more. */
  push(change: RecordedChange): void {
    this.done.push(change);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
  }

  lastDone(): RecordedChange | undefined {
    return this.done[this.done.length - 1];
  }

  lastUndone(): RecordedChange | undefined {
    return this.undone[this.undone.length - 1];
  }

  /** Whether the change is still one that can be undone. */
  canUndo(change: RecordedChange): boolean {
    return this.done.includes(change);
  }

  /** `change` was undone; `redo` is what the undo wrote, for a redo. Undefined redo: none. */
  undid(change: RecordedChange, redo: RecordedChange | undefined): void {
    this.remove(this.done, change);
    if (redo) {
      this.undone.push(redo);
      if (this.undone.length > this.limit) this.undone.shift();
    }
  }

  /** `change` (from `lastUndone`) was redone; `again` is what the redo wrote, to undo once more. */
  redid(change: RecordedChange, again: RecordedChange | undefined): void {
    this.remove(this.undone, change);
    if (again) {
      this.done.push(again);
      if (this.done.length > this.limit) this.done.shift();
    }
  }

  /** Forgets a change that can no longer be taken back as recorded (an undo that stopped half way). */
  forget(change: RecordedChange): void {
    this.remove(this.done, change);
    this.remove(this.undone, change);
  }

  private remove(list: RecordedChange[], change: RecordedChange): void {
    const at = list.indexOf(change);
    if (at !== -1) list.splice(at, 1);
  }
}
