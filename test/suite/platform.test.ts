// The two rules every adapter relies on, in the real extension host: what a feature registers is
// released when it goes, and a failing command is reported, never thrown at VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { registerCommand } from '../../src/vscode/platform/commands';
import { Disposable } from '../../src/vscode/platform/lifecycle';

/** A feature as the adapters write them: it registers what it makes. */
class Feature extends Disposable {
  readonly released: string[] = [];

  constructor(names: string[], failing?: string) {
    super();
    for (const name of names) this.own(name, name === failing);
  }

  own(name: string, fails = false): void {
    this.register({
      dispose: () => {
        this.released.push(name);
        if (fails) throw new Error(`${name} failed to close`);
      },
    });
  }

  get gone(): boolean {
    return this.disposed;
  }
}

/** Records what a command logged, in place of the extension's log channel. */
function recordingLog(): { log: vscode.LogOutputChannel; errors: string[] } {
  const errors: string[] = [];
  const log = { error: (...parts: unknown[]) => errors.push(parts.map(String).join(' ')) } as unknown as vscode.LogOutputChannel;
  return { log, errors };
}

describe('the adapters\' lifecycle and command guard', () => {
  it('releases everything a feature registered, newest first, once', () => {
    const feature = new Feature(['watcher', 'listener', 'timer']);
    feature.dispose();
    assert.deepEqual(feature.released, ['timer', 'listener', 'watcher']);
    assert.ok(feature.gone);
    feature.dispose();
    assert.deepEqual(feature.released, ['timer', 'listener', 'watcher'], 'a second dispose releases nothing again');
  });

  it('releases the rest when one part fails to close, and still reports the failure', () => {
    const feature = new Feature(['watcher', 'listener', 'timer'], 'listener');
    assert.throws(() => feature.dispose(), /listener failed to close/);
    assert.deepEqual(feature.released, ['timer', 'listener', 'watcher']);
  });

  it('releases at once what is registered after the feature is gone', () => {
    const feature = new Feature(['watcher']);
    feature.dispose();
    feature.own('late result');
    assert.deepEqual(feature.released, ['watcher', 'late result']);
  });

  it('logs a failing command and resolves, with the arguments VS Code passed', async () => {
    const { log, errors } = recordingLog();
    const seen: unknown[][] = [];
    const command = registerCommand(log, 'backlogAtlas.test.failing', 'Test Command', (...args: unknown[]) => {
      seen.push(args);
      throw new Error('the file changed on disk');
    });
    try {
      // Resolves: a command's failure is the guard's to report, not VS Code's.
      await vscode.commands.executeCommand('backlogAtlas.test.failing', 'BL-1', 2);
      assert.deepEqual(seen, [['BL-1', 2]]);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^Test Command failed: Error: the file changed on disk/);
    } finally {
      command.dispose();
    }
  });
});
