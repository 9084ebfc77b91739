// Reading workspace files from the UI tests (not a test file: the runner loads only *.ui.ts).
import * as fs from 'node:fs';

/**
 * Reads a file the extension may be rewriting. VS Code's `workspace.fs.rename` with overwrite
 * deletes the target before moving the new file in, so for a moment the file is missing; a
 * reader in that moment retries instead of failing.
 */
export async function readSettled(file: string, timeoutMs = 3_000): Promise<string> {
  for (const start = Date.now(); ; ) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() - start > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Waits until a file's text passes `test` and returns it; fails with `what` and the text after 10 s. */
export async function waitForFileText(file: string, test: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  for (let waited = 0; waited < 10_000; waited += 100) {
    text = await readSettled(file);
    if (test(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}; the file reads:\n${text}`);
}
