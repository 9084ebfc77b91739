// Reading workspace files from the UI tests (not a test file: the runner loads only *.ui.ts).
import * as fs from 'node:fs';

/**
 * Reads a file the extension may be rewriting. No retry: the extension replaces a file in one
 * rename, so a reader (Backlog.md, git, an editor) never finds it missing, and a test that did
 * would have found a bug.
 */
export function readSettled(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

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
