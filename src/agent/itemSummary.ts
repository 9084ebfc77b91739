import { Backlog } from '../core/backlog';
import { figurePoints } from '../core/figures/figures';
import { Item } from '../core/types';

/** One item as `backlog-atlas list --json` and the agents' `backlog_list` give it; `path` as the reader should see it. */
export function itemSummary(b: Backlog, i: Item, path: string) {
  return {
    id: i.id,
    title: i.title,
    status: i.status,
    type: i.type ?? 'task',
    priority: i.priority,
    estimate: i.estimate,
    size: i.size,
    // What the item adds to every figure (0 for epics, drafts, archived items and opportunities),
    // so that a sprint's completed figure is the sum of its done items' points here.
    points: figurePoints(i, b.config),
    rank: i.rank,
    sprint: i.sprint,
    release: i.release ?? i.milestone,
    epic: i.epic,
    theme: i.theme,
    step: i.step,
    labels: i.labels,
    assignee: i.assignee,
    done: b.isDone(i),
    blockedBy: b.blockers(i).map((x) => x.id),
    acceptanceCriteria: { done: i.acceptanceCriteria.filter((c) => c.checked).length, total: i.acceptanceCriteria.length },
    path,
  };
}
