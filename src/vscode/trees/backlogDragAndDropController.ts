import * as vscode from 'vscode';
import { BacklogIndex } from '../../core/backlogIndex';
import { Dragged, DropTarget, ListRef, planDrop } from '../../core/rules/treeDrops';
import { BacklogTreeProvider, ViewNode } from './backlogTreeProvider';
import { EditApplier } from '../platform/editApplier';
import { IndexScheduler } from '../../core/indexScheduler';
import { BacklogWriter } from '../../core/writer';
import { readDragList } from '../platform/dragData';
import { reportFailure } from '../platform/commands';

/**
 * The drag data of backlog items, as JSON; all three views accept it, so items move between
 * them. Outside `application/vnd.code.tree.*`, which VS Code reserves for each tree's own
 * handles (between two trees those carry handle strings, not the elements).
 */
export const ITEMS_MIME = 'application/vnd.backlog-atlas.items+json';

/** What a drag carries: enough to find each item again and the list it came from. */
interface DraggedRef {
  root: string;
  id: string;
  list: ListRef;
}

export interface DropDeps {
  index: BacklogIndex;
  scheduler: IndexScheduler;
  writer: BacklogWriter;
  applier: EditApplier;
  log: vscode.LogOutputChannel;
  toUri(path: string): vscode.Uri;
}

/**
 * Drag-and-drop for one backlog tree (after the shape of vscode-extension-samples'
 * `testViewDragAndDrop.ts`). A drop is planned by `planDrop`, written by the core's writer in one
 * operation per file and applied through `EditApplier`, which keeps unsaved editors' text and
 * refuses files that changed since they were read.
 */
export class BacklogDragAndDropController implements vscode.TreeDragAndDropController<ViewNode> {
  readonly dropMimeTypes = [ITEMS_MIME];
  // Also as a uri list, so that dropping items onto the editor area opens them.
  readonly dragMimeTypes = [ITEMS_MIME, 'text/uri-list'];

  constructor(
    private readonly provider: BacklogTreeProvider,
    private readonly deps: DropDeps,
  ) {}

  handleDrag(source: readonly ViewNode[], dataTransfer: vscode.DataTransfer): void {
    const refs: DraggedRef[] = [];
    for (const node of source) if (node.kind === 'item') refs.push({ root: node.root, id: node.id, list: node.list });
    if (refs.length === 0) return;
    // A JSON string rather than the nodes themselves: it survives any hop the data takes and
    // is checked like any other outside input when it comes back.
    dataTransfer.set(ITEMS_MIME, new vscode.DataTransferItem(JSON.stringify(refs)));
    const uris = refs.map((r) => this.deps.index.item(r.id, r.root)).flatMap((i) => (i ? [this.deps.toUri(i.path).toString()] : []));
    if (uris.length > 0) dataTransfer.set('text/uri-list', new vscode.DataTransferItem(uris.join('\r\n')));
  }

  /** Resolves once the drop has been written (or refused); tests wait on it. */
  async handleDrop(target: ViewNode | undefined, dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const refs = toRefs(await readDragList(dataTransfer, ITEMS_MIME));
    if (refs.length === 0 || token.isCancellationRequested) return;
    try {
      await this.drop(target, refs);
    } catch (e) {
      // A drop is not a command, but it fails the way commands do.
      reportFailure(this.deps.log, 'Drop', e);
    }
  }

  private async drop(targetNode: ViewNode | undefined, refs: readonly DraggedRef[]): Promise<void> {
    const { index, scheduler, writer, applier, log } = this.deps;
    // Plan against the index as it will be when the write runs.
    await scheduler.whenIdle();
    const dragged: Dragged[] = [];
    for (const r of refs) {
      const item = index.item(r.id, r.root);
      if (!item) return refuse(log, `${r.id} is no longer in the backlog.`);
      dragged.push({ item, from: r.list });
    }
    const target = this.target(targetNode);
    if (!target) return;
    const backlog = index.roots().find((b) => b.root === target.root);
    if (!backlog) return;
    const plan = planDrop(backlog, dragged, target.drop);
    if (plan.kind === 'nothing') return;
    if (plan.kind === 'refuse') return refuse(log, plan.message);
    const result = await applier.write(() => writer.moveItems(plan.itemIds, plan.target, plan.alsoSet, backlog.root));
    if (result) log.info(`Drop: ${result.summary || `${plan.itemIds.join(', ')} moved`} (${result.operations.length} file(s) changed).`);
  }

  private target(node: ViewNode | undefined): { root: string; drop: DropTarget } | undefined {
    if (node?.kind === 'item') {
      const item = this.deps.index.item(node.id, node.root);
      return item ? { root: node.root, drop: { kind: 'item', list: node.list, item } } : undefined;
    }
    const list = this.provider.listItems(node);
    return list ? { root: list.root, drop: { kind: 'list', list: list.list, items: list.items } } : undefined;
  }
}

function refuse(log: vscode.LogOutputChannel, message: string): void {
  log.info(`Drop refused: ${message}`);
  void vscode.window.showWarningMessage(message);
}

/** The dragged items, checked: anything malformed is dropped. */
function toRefs(value: readonly unknown[]): DraggedRef[] {
  const out: DraggedRef[] = [];
  for (const v of value) {
    if (!v || typeof v !== 'object') continue;
    const r = v as Record<string, unknown>;
    const list = asListRef(r.list);
    if (typeof r.root === 'string' && typeof r.id === 'string' && list) out.push({ root: r.root, id: r.id, list });
  }
  return out;
}

function asListRef(value: unknown): ListRef | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const l = value as Record<string, unknown>;
  if ((l.kind === 'sprint' || l.kind === 'release') && typeof l.id === 'string') return { kind: l.kind, id: l.id };
  if (l.kind === 'product' || l.kind === 'opportunities') return { kind: l.kind };
  return undefined;
}
