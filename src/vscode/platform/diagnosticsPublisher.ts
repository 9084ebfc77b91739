import * as vscode from 'vscode';
import { Disposable } from './lifecycle';
import { BacklogIndex } from '../../core/backlogIndex';
import { Diagnostic, Severity } from '../../core/types';
import { VscodeWorkspace } from './vscodeWorkspace';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Shows the index's problems in the Problems panel and as squiggles. Only files whose problems
 * changed are sent again: with thousands of files, re-sending all of them on every keystroke
 * would make the Problems panel flicker and cost more than the index update itself.
 */
export class DiagnosticsPublisher extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('backlog-atlas'));
  /** What was last published per path, as a string, so that changes are cheap to detect. */
  private published = new Map<string, string>();

  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: VscodeWorkspace,
  ) {
    super();
    // Incremental changes can alter other files' problems too (a duplicate id appears in both
    // files), so every change compares the whole set; the comparison is cheap next to a read.
    this.register(index.onDidChange(() => this.publish()));
    this.publish();
  }

  /** Brings the collection in line with the index. */
  publish(): void {
    const current = this.index.diagnostics();
    const next = new Map<string, string>();
    for (const [path, diags] of current) {
      const key = JSON.stringify(diags.map((d) => [d.line, d.column, d.endLine, d.endColumn, d.severity, d.code, d.message]));
      next.set(path, key);
      if (this.published.get(path) !== key) this.collection.set(this.ws.toUri(path), diags.map(toVscode));
    }
    for (const path of this.published.keys()) {
      if (!next.has(path)) this.collection.delete(this.ws.toUri(path));
    }
    this.published = next;
  }
}

function toVscode(d: Diagnostic): vscode.Diagnostic {
  // Core positions are zero-based, as VS Code's are. An empty range is fine: the editor
  // underlines the word at that position.
  const range = new vscode.Range(d.line, d.column, Math.max(d.line, d.endLine), d.endLine > d.line ? d.endColumn : Math.max(d.column, d.endColumn));
  const out = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  out.source = 'Backlog Atlas';
  out.code = d.code;
  return out;
}
