import * as vscode from 'vscode';
import { Backlog } from '../../core/backlog';
import { BacklogIndex } from '../../core/backlogIndex';
import { Item } from '../../core/types';
import { resolveTodoRef, TodoRefState } from '../../core/todo/todoLinks';
import { linkedTodoAt, refRange, TodoSource } from './todoRefs';

/** Longest description shown in a hover; the item file has the rest. */
const MAX_DESCRIPTION = 600;

/**
 * Hover on an id in a TODO comment: what the item is and where it stands. Everything comes from
 * the local index (no look-ups over the network), and every piece of item text is escaped, so a
 * title such as `[x](command:…)` or `<img onerror=…>` shows as the characters it is.
 */
export class TodoHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly index: BacklogIndex,
    private readonly todos: TodoSource,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const todo = linkedTodoAt(this.todos, document, position);
    if (!todo) return undefined;
    const resolved = resolveTodoRef(this.index, todo.ref.id);
    const md = safeMarkdown();
    if (resolved.state === 'missing') {
      md.appendMarkdown(`${escapeMarkdown(todo.ref.id)} is not in the backlog\\.`);
    } else {
      appendItem(md, resolved.item, resolved.backlog, resolved.state);
    }
    return new vscode.Hover(md, refRange(todo));
  }
}

/** A Markdown string that runs no commands, renders no HTML and shows no theme icons. */
export function safeMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/**
 * Escapes every ASCII punctuation character (CommonMark lets any of them be backslash-escaped),
 * so that user text can never open a link, an image, HTML, emphasis or a code span.
 * `MarkdownString.appendText` leaves `<` and `:` alone, which is why this exists.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** Title, status, sprint, estimate, acceptance criteria and description of an item. */
function appendItem(md: vscode.MarkdownString, item: Item, backlog: Backlog, state: Exclude<TodoRefState, 'missing'>): void {
  md.appendMarkdown(`**${escapeMarkdown(item.id)}** ${escapeMarkdown(item.title)}\n\n`);
  const facts: string[] = [];
  facts.push(`Status: ${item.status}${state === 'dropped' ? ' (dropped: archived)' : state === 'done' && !/done/i.test(item.status) ? ' (done)' : ''}`);
  if (item.type !== undefined) facts.push(`Type: ${item.type}`);
  if (item.sprint !== undefined) {
    const sprint = backlog.sprint(item.sprint);
    facts.push(`Sprint: ${sprint && sprint.name !== sprint.id ? `${sprint.name} (${sprint.id})` : item.sprint}`);
  }
  if (item.estimate !== undefined) facts.push(`Estimate: ${item.estimate} ${item.estimate === 1 ? 'point' : 'points'}`);
  if (item.size !== undefined) facts.push(`Size: ${item.size}`);
  const ac = item.acceptanceCriteria;
  if (ac.length > 0) facts.push(`Acceptance criteria: ${ac.filter((c) => c.checked).length}/${ac.length} done`);
  md.appendMarkdown(facts.map(escapeMarkdown).join(' · ') + '\n\n');
  const description = item.description.trim();
  if (description !== '') {
    const shown = description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION).trimEnd()}…` : description;
    md.appendMarkdown('---\n\n');
    // Shown as plain text, line by line: rendering the item's Markdown would render its links.
    md.appendMarkdown(
      shown
        .split(/\r?\n/)
        .map((line) => escapeMarkdown(line.trim()))
        .join('  \n'),
    );
  }
}
