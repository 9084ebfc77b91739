import * as vscode from 'vscode';
import type { RecordedChange } from '../../core/undo';
import { EditApplier } from '../platform/editApplier';
import { registerCommand } from '../platform/commands';
import { Disposable } from '../platform/lifecycle';

/** Set while there is a change to undo (or to redo), for the views' menus. */
const CAN_UNDO = 'backlogAtlas.canUndo';
const CAN_REDO = 'backlogAtlas.canRedo';

/**
 * Undo and redo for every change Backlog Atlas makes. A tree or a webview has no undo stack of
 * its own, and a file no editor has open has none either, so each change is announced with an
 * Undo button, and "Backlog: Undo Last Change" takes back the newest (Ctrl+Z in a Backlog view).
 * The applier does the writing and keeps the stack; this class only asks and tells.
 */
export class UndoCommands extends Disposable {
  constructor(
    private readonly applier: EditApplier,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(registerCommand(log, 'backlogAtlas.undo', 'Undo Last Change', () => this.undoLast()));
    this.register(registerCommand(log, 'backlogAtlas.redo', 'Redo Last Change', () => this.redoLast()));
    this.register(applier.onDidRecord((change) => this.announce(change)));
  }

  private announce(change: RecordedChange): void {
    this.updateContext();
    void vscode.window.showInformationMessage(change.label, 'Undo').then(
      async (choice) => {
        if (choice === 'Undo') await this.undo(change);
      },
      (e: unknown) => this.log.warn(`The notice of "${change.label}" failed: ${String(e)}`),
    );
  }

  private async undoLast(): Promise<void> {
    const change = this.applier.history.lastDone();
    if (!change) {
      void vscode.window.showInformationMessage('Backlog Atlas has no change to undo in this window.');
      return;
    }
    await this.undo(change);
  }

  private async undo(change: RecordedChange): Promise<void> {
    const undone = await this.applier.undo(change);
    this.updateContext();
    if (!undone) return;
    const redo = this.applier.history.lastUndone();
    const message = `Undone: ${change.label}`;
    if (!redo) {
      vscode.window.setStatusBarMessage(message, 4000);
      return;
    }
    void vscode.window.showInformationMessage(message, 'Redo').then(async (choice) => {
      if (choice === 'Redo' && this.applier.history.lastUndone() === redo) await this.redo(redo);
    });
  }

  private async redoLast(): Promise<void> {
    const change = this.applier.history.lastUndone();
    if (!change) {
      void vscode.window.showInformationMessage('Backlog Atlas has no undone change to redo.');
      return;
    }
    await this.redo(change);
  }

  private async redo(change: RecordedChange): Promise<void> {
    if (await this.applier.redo(change)) vscode.window.setStatusBarMessage(`Redone: ${change.label}`, 4000);
    this.updateContext();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', CAN_UNDO, this.applier.history.lastDone() !== undefined);
    void vscode.commands.executeCommand('setContext', CAN_REDO, this.applier.history.lastUndone() !== undefined);
  }
}
