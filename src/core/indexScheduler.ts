import { BacklogIndex, IndexOptions } from './backlogIndex';
import { WorkspaceChange } from './workspace';

/**
 * Runs the index's updates one at a time. The index is not re-entrant: a rebuild that finishes
 * while a batch of changes is half-read would drop that batch's results, so every caller that
 * changes the index (watcher, commands, the edit applier) goes through here.
 */
export class IndexScheduler {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly index: BacklogIndex,
    /** Hands pending watcher batches over at once; called by `whenIdle` before it waits. */
    private readonly flushPending: () => void = () => undefined,
  ) {}

  build(): Promise<void> {
    return this.enqueue(() => this.index.build());
  }

  applyChanges(changes: WorkspaceChange[]): Promise<void> {
    return this.enqueue(() => this.index.applyChanges(changes));
  }

  setOptions(options: IndexOptions): Promise<void> {
    return this.enqueue(() => this.index.setOptions(options));
  }

  /**
   * Resolves once every change seen so far has reached the index. Writes call it first: the
   * writer refuses to edit a file whose text differs from what the index read.
   */
  async whenIdle(): Promise<void> {
    this.flushPending();
    // A task queued while waiting (by a listener, say) is waited for too.
    let seen: Promise<void>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.tail.then(task);
    // The queue keeps going after a failure; the caller still sees the rejection.
    this.tail = run.catch(() => undefined);
    return run;
  }
}
