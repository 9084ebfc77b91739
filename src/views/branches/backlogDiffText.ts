// What a branch did to the backlog, in words: one line per change for a terminal or a tree view,
// Markdown made to be posted as a pull-request comment, and JSON for scripts. User text (titles,
// sprint names) is escaped for Markdown; the terminal escapes the text output itself.

import { BacklogChange, BacklogDiff, BacklogChangeKind } from '../../core/branches/backlogDiff';
import { formatFigure } from '../../core/figures/figures';
import { escapeMarkdown } from '../exportText';

/** The commit the working tree was compared with, as the user named it. */
export interface DiffBase {
  /** What the user named: `main`, `origin/main`. */
  name: string;
  /** The merge base's commit. */
  commit: string;
}

/** Section titles, in the order they are shown. */
export const CHANGE_HEADINGS: Record<BacklogChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  archived: 'Archived',
  completed: 'Completed',
  reopened: 'Reopened',
  moved: 'Moved',
  're-estimated': 'Re-estimated',
  're-ranked': 'Re-ranked',
};

const KINDS = Object.keys(CHANGE_HEADINGS) as BacklogChangeKind[];

/** What happened to the item, without its id and title: "sprint S-1 → S-2", "3 → 5 points". */
export function changeDetail(c: BacklogChange): string {
  switch (c.kind) {
    case 'moved':
      return `${c.field} ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
    case 're-estimated':
      return `${c.from ?? 'no estimate'} → ${c.to ?? 'no estimate'}${c.from !== String(c.points.from) || c.to !== String(c.points.to) ? ` (${formatFigure(c.points.from)} → ${formatFigure(c.points.to)} points)` : ' points'}`;
    case 're-ranked':
      return `#${c.from} → #${c.to} in the product backlog`;
    default:
      return CHANGE_HEADINGS[c.kind].toLowerCase();
  }
}

/** How many changes, in a phrase: "3 changes to the backlog since main", or that there are none. */
export function diffSummary(diff: BacklogDiff, base: DiffBase): string {
  const n = diff.changes.length;
  return n === 0 ? `No changes to the backlog since ${base.name}.` : `${n} change${n === 1 ? '' : 's'} to the backlog since ${base.name} (merge base ${base.commit.slice(0, 10)}).`;
}

/** One line per change, then the sprints whose scope changed; plain text (the caller escapes for its output). */
export function diffTextLines(diff: BacklogDiff, base: DiffBase): string[] {
  const lines = diff.changes.map((c) => `${c.id.padEnd(9)} ${c.kind.padEnd(12)} ${changeDetail(c)}  ${c.title}`);
  for (const s of diff.scope) lines.push(`scope     ${s.sprint}: ${formatFigure(s.from)} → ${formatFigure(s.to)} points (${signed(s.to - s.from)})`);
  lines.push(diffSummary(diff, base));
  return lines;
}

/** Markdown for a pull-request comment: a summary, one table per kind of change, and the scope per sprint. */
export function diffMarkdown(diff: BacklogDiff, base: DiffBase): string {
  const md = (s: string) => escapeMarkdown(s).replace(/@/g, '\\@');
  const out = ['### Backlog changes on this branch', '', md(diffSummary(diff, base))];
  for (const kind of KINDS) {
    const of = diff.changes.filter((c) => c.kind === kind);
    if (of.length === 0) continue;
    out.push('', `**${CHANGE_HEADINGS[kind]}** (${of.length})`, '', '| Item | Title | Change |', '|---|---|---|');
    for (const c of of) out.push(`| ${md(c.id)} | ${md(c.title)} | ${md(changeDetail(c))} |`);
  }
  if (diff.scope.length > 0) {
    out.push('', '**Scope per sprint** (points)', '', '| Sprint | Before | After | Change |', '|---|---:|---:|---:|');
    for (const s of diff.scope) out.push(`| ${md(s.name === s.sprint ? s.sprint : `${s.sprint} ${s.name}`)} | ${formatFigure(s.from)} | ${formatFigure(s.to)} | ${signed(s.to - s.from)} |`);
  }
  return out.join('\n');
}

/** The JSON `diff --json` prints: the base, every change, and the scope per sprint. */
export function diffJson(diff: BacklogDiff, base: DiffBase) {
  return { base: { name: base.name, commit: base.commit }, changes: diff.changes, scope: diff.scope };
}

function signed(n: number): string {
  return n > 0 ? `+${formatFigure(n)}` : formatFigure(n);
}
