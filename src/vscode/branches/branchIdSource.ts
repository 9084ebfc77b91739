import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { idsOnActiveBranches } from '../../core/branches/branchIds';
import { Clock } from '../../core/clock';
import { GitProcesses } from '../platform/gitProcess';

/** One git call for the branches' ids is stopped after this long. */
const GIT_TIMEOUT_MS = 10_000;
/** The most a branch listing or tree listing may print. */
const GIT_LIMIT = 64 * 1024 * 1024;

/**
 * The ids on the other active branches of a backlog's repository, for the writer's new ids (see
 * src/core/branches/branchIds.ts). Git runs only in a trusted workspace on a local disk; otherwise,
 * or when git fails, the working tree alone decides and the user is told once per reason.
 */
export class BranchIdSource {
  private readonly told = new Set<string>();

  constructor(
    private readonly git: GitProcesses,
    private readonly clock: Clock,
    private readonly uriOf: (root: string) => vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async ids(backlog: Backlog): Promise<string[]> {
    if (!backlog.config.checkActiveBranches) return [];
    if (!vscode.workspace.isTrusted) {
      this.tell('Ids on other branches are not checked in Restricted Mode (git does not run there): the new id is the next one in the working tree. Trust the workspace to have them checked.');
      return [];
    }
    const uri = this.uriOf(backlog.root);
    if (uri.scheme !== 'file') {
      this.tell('Ids on other branches are not checked for a backlog that is not on this computer’s disk: the new id is the next one in the working tree.');
      return [];
    }
    const started = performance.now();
    const r = await idsOnActiveBranches(this.git.runner(uri.fsPath, GIT_TIMEOUT_MS, GIT_LIMIT), backlog.config, this.clock.now().getTime(), () => performance.now() - started);
    this.log.info(`New id: ${r.ids.length} ids on ${r.branches} branch tips of ${backlog.root} read in ${Math.round(performance.now() - started)} ms.`);
    if (r.note) this.tell(r.note);
    return r.ids;
  }

  /** Says why the ids may not be safe across branches: in the log every time, on screen once per reason. */
  private tell(note: string): void {
    this.log.info(note);
    if (this.told.has(note)) return;
    this.told.add(note);
    void vscode.window.showInformationMessage(note);
  }
}
