import * as vscode from 'vscode';

/**
 * The base of everything that owns VS Code resources (after vscode-pull-request-github's
 * `src/common/lifecycle.ts`): a constructor registers what it creates as it creates it, so
 * nothing is forgotten, and `dispose` releases all of it once, newest first, so a listener never
 * outlives the emitter it listens to. Something registered after disposal is released at once:
 * a late async result cannot leak.
 */
export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private isDisposed = false;

  protected get disposed(): boolean {
    return this.isDisposed;
  }

  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.isDisposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    const owned = this.owned.splice(0).reverse();
    let failure: unknown;
    // One failing dispose must not keep the rest alive; the first failure is still reported.
    for (const d of owned) {
      try {
        d.dispose();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
