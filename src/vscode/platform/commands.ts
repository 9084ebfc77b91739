import * as vscode from 'vscode';
import { errorDetail, errorMessage } from '../../core/text';

/** Longest error text put in a notification; the full error is in the log. */
const MAX_SHOWN_ERROR = 120;

/**
 * Registers a command: the one way commands are registered, and the one place that catches for
 * them. A failure is logged in full and shown in one short line that points to the log. The
 * arguments VS Code passes (a tree row, a selection) are handed to `run` as they came, `unknown`
 * until the command checks them.
 */
export function registerCommand(log: vscode.LogOutputChannel, id: string, title: string, run: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await run(...args);
    } catch (e) {
      reportFailure(log, title, e);
    }
  });
}

/**
 * Logs a failure of something the user did (a command, a drop) and tells them in one line. For
 * what is not a command, so that every user action fails the same way.
 */
export function reportFailure(log: vscode.LogOutputChannel, title: string, e: unknown): void {
  log.error(`${title} failed:`, errorDetail(e));
  const text = errorMessage(e);
  const short = text.length > MAX_SHOWN_ERROR ? `${text.slice(0, MAX_SHOWN_ERROR - 1)}…` : text;
  void vscode.window.showErrorMessage(`Backlog: ${title} failed (${short}). Run "Backlog: Show Log" for details.`);
}
