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
  readonly dropMimeTypes: string[];
  // Also as a uri list, so that dropping items onto the editor area opens them.
  readonly dragMimeTypes = [ITEMS_MIME, 'text/uri-list'];

  /**
   * @param sources every backlog tree by view id: a drop from any of them can be read from VS
   * Code's own record of the drag (see `fromTreeHandles`).
   */
  constructor(
    private readonly provider: BacklogTreeProvider,
    private readonly deps: DropDeps,
    private readonly sources: ReadonlyMap<string, BacklogTreeProvider> = new Map(),
  ) {
    this.dropMimeTypes = [ITEMS_MIME, ...[...sources.keys()].map(treeMime)];
  }

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
    let refs = toRefs(await readDragList(dataTransfer, ITEMS_MIME));
    if (refs.length === 0) refs = await this.fromTreeHandles(dataTransfer);
    if (token.isCancellationRequested) return;
    if (refs.length === 0) {
      this.deps.log.info('Drop ignored: it carried no backlog items.');
      return;
    }
    try {
      await this.drop(target, refs);
    } catch (e) {
      // A drop is not a command, but it fails the way commands do.
      reportFailure(this.deps.log, 'Drop', e);
    }
  }

  /**
   * The dragged items from the handles VS Code records itself when a drag starts. Our own data
   * comes from a round trip to the extension host (`handleDrag`); when a drop ends the drag
   * before the answer is in (a busy extension host, a quick drag), VS Code cancels it and the
   * drop arrives without it. The handles are in the drag from the start.
   */
  private async fromTreeHandles(dataTransfer: vscode.DataTransfer): Promise<DraggedRef[]> {
    for (const [viewId, provider] of this.sources) {
      const text = await dataTransfer.get(treeMime(viewId))?.asString();
      if (!text) continue;
      let handles: unknown;
      try {
        handles = (JSON.parse(text) as { itemHandles?: unknown }).itemHandles;
      } catch {
        continue;
      }
      if (!Array.isArray(handles)) continue;
      const refs: DraggedRef[] = [];
      for (const h of handles) {
        const node = typeof h === 'string' ? provider.itemForHandle(h) : undefined;
        if (node) refs.push({ root: node.root, id: node.id, list: node.list });
      }
      if (refs.length > 0) return refs;
    }
    return [];
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

/** The mime type under which VS Code records a drag from a tree view: its handles. */
function treeMime(viewId: string): string {
  return `application/vnd.code.tree.${viewId.toLowerCase()}`;
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
