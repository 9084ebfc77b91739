// Reading workspace files from the UI tests (not a test file: the runner loads only *.ui.ts).
import * as fs from 'node:fs';

/**
 * Reads a file the extension may be rewriting. A closed file is replaced in one rename, so a
 * reader (Backlog.md, git, an editor) never finds it missing or half written, and a test that did
 * would have found a bug: a missing file throws. A file open in an editor (a click on a tree row
 * opens it) is saved by VS Code itself, which empties the file and then writes it: an empty read
 * is that moment, so it is read again. No backlog file in the demo is empty.
 */
export function readSettled(file: string): string {
  // For a while, not a number of tries: 1,000 reads took less time than a save through
  // code-server's file system on a busy machine, and the empty moment was taken for the text.
  for (const start = Date.now(); ; ) {
    const text = fs.readFileSync(file, 'utf8');
    if (text !== '' || Date.now() - start > SETTLE_MS) return text;
  }
}

/** How long a file may stay empty while VS Code saves it before the empty text is believed. */
const SETTLE_MS = 2000;

/** Waits until a file's text passes `test` and returns it; fails with `what` and the text after 10 s. */
export async function waitForFileText(file: string, test: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  for (let waited = 0; waited < 10_000; waited += 100) {
    text = readSettled(file);
    if (test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}; the file reads:\n${text}`);
}

/**
 * The text without its `updated_date` line. The writer stamps it on each edit, as Backlog.md does
 * (only a change of order is not stamped), so a move and the move back leave that line changed and
 * nothing else; tests of what a move writes compare the rest.
 */
export function unstamped(text: string): string {
  return text.replace(/^updated_date: .*\r?\n/m, '');
}
