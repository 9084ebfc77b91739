// Edits of an item's body that an agent or a command asks for by meaning: tick or untick
// acceptance criterion #n, add a criterion, append to the implementation notes. Each changes
// only the lines it names (or inserts new ones) and leaves every other byte of the file alone;
// the writer re-parses the result before anything is written.
import { Item } from '../types';
import { sectionKind } from './body';

/** What to change in an item's body. */
export interface BodyChange {
  /** Acceptance criteria, by their `#n`, to tick. */
  check?: readonly number[];
  /** Acceptance criteria, by their `#n`, to untick. */
  uncheck?: readonly number[];
  /** New acceptance criteria, one line each, appended unticked and numbered after the last. */
  addCriteria?: readonly string[];
  /** Text appended to `## Implementation Notes` (the section is added when there is none). */
  appendNotes?: string;
}

const CHECKBOX = /^(\s*(?:[-*+]|\d+[.)])\s+\[)([ xX])(\])/;
const AC_END = /^\s*<!--\s*AC:END\s*-->\s*$/;
const NOTES_END = /^\s*<!--\s*SECTION:NOTES:END\s*-->\s*$/;
/** A line that would open a section of its own, or a marker, if it were written into one. */
const SECTION_BREAKER = /^ {0,3}#{1,2}(?:[ \t]|$)|<!--/;

/** Why a new criterion's or note's text cannot be written as it is, or undefined when it can. */
export function bodyTextProblem(kind: 'criterion' | 'note', text: string): string | undefined {
  if (text.trim() === '') return `An empty ${kind} cannot be added.`;
  if (kind === 'criterion' && /[\r\n]/.test(text)) return 'An acceptance criterion has to fit on one line; remove the line breaks.';
  if (text.split(/\r?\n/).some((l) => SECTION_BREAKER.test(l))) return `A ${kind} cannot hold a "# " or "## " heading line or an HTML comment: Backlog.md would read them as the start of another section.`;
  return undefined;
}

/**
 * Applies `change` to an item file's text (as the index read it: `item` was parsed from exactly
 * this text, so its line numbers hold). Returns the new text or what stands in the way.
 */
export function editBody(text: string, eol: string, item: Pick<Item, 'id' | 'acceptanceCriteria' | 'sections'>, change: BodyChange): { text: string } | { message: string } {
  const lines = text.split('\n');
  const cr = eol === '\r\n' ? '\r' : '';
  const ticks: [number, boolean][] = [...(change.check ?? []).map((n): [number, boolean] => [n, true]), ...(change.uncheck ?? []).map((n): [number, boolean] => [n, false])];
  for (const [n, checked] of ticks) {
    const c = item.acceptanceCriteria.find((x) => x.index === n);
    if (!c) {
      const have = item.acceptanceCriteria.map((x) => `#${x.index}`).join(', ');
      return { message: `${item.id} has no acceptance criterion #${n}${have ? ` (it has ${have})` : ''}.` };
    }
    const m = CHECKBOX.exec(lines[c.line] ?? '');
    if (!m) return { message: `${item.id}: acceptance criterion #${n} is not a "- [ ]" line; edit it by hand.` };
    lines[c.line] = m[1] + (checked ? 'x' : ' ') + lines[c.line].slice(m[1].length + 1);
  }
  // Insertions go bottom-up, so that the line numbers of the parse stay true for those above.
  const inserts: { at: number; lines: string[] }[] = [];
  const appended: string[] = [];
  const range = (kind: string) => {
    const sorted = [...item.sections].sort((a, b) => a.line - b.line);
    const k = sorted.findIndex((s) => sectionKind(s.title) === kind);
    if (k === -1) return undefined;
    return { from: sorted[k].line, to: k + 1 < sorted.length ? sorted[k + 1].line : lastContentLine(lines) + 1 };
  };
  const added = change.addCriteria ?? [];
  if (added.length > 0) {
    for (const t of added) {
      const problem = bodyTextProblem('criterion', t);
      if (problem) return { message: problem };
    }
    let next = item.acceptanceCriteria.reduce((max, c) => Math.max(max, c.index), 0);
    const newLines = added.map((t) => `- [ ] #${++next} ${t.trim()}`);
    const r = range('ac');
    if (!r) appended.push('## Acceptance Criteria', '<!-- AC:BEGIN -->', ...newLines, '<!-- AC:END -->');
    else {
      const end = findLine(lines, r.from + 1, r.to, (l) => AC_END.test(l));
      const last = item.acceptanceCriteria.filter((c) => c.line > r.from && c.line < r.to).at(-1);
      inserts.push({ at: end ?? (last ? last.line + 1 : r.from + 1), lines: newLines });
    }
  }
  if (change.appendNotes !== undefined) {
    const problem = bodyTextProblem('note', change.appendNotes);
    if (problem) return { message: problem };
    const note = change.appendNotes.trim().split(/\r?\n/);
    const r = range('notes');
    if (!r) appended.push('## Implementation Notes', '', '<!-- SECTION:NOTES:BEGIN -->', ...note, '<!-- SECTION:NOTES:END -->');
    else {
      const end = findLine(lines, r.from + 1, r.to, (l) => NOTES_END.test(l));
      let at = end ?? r.to;
      // After the last line of text in the section, with a blank line between two notes.
      while (at > r.from + 1 && lines[at - 1].replace(/\r$/, '').trim() === '') at--;
      const hasText = lines.slice(r.from + 1, at).some((l) => l.trim() !== '' && !/^\s*<!--/.test(l));
      inserts.push({ at, lines: hasText ? ['', ...note] : note });
    }
  }
  inserts.sort((a, b) => b.at - a.at);
  for (const ins of inserts) lines.splice(ins.at, 0, ...ins.lines.map((l) => l + cr));
  let out = lines.join('\n');
  if (appended.length > 0) {
    const body = appended.join(eol) + eol;
    const trimmed = out.replace(/(?:\r?\n)*$/, '');
    out = `${trimmed}${eol}${eol}${body}`;
  }
  return { text: out };
}

function findLine(lines: readonly string[], from: number, to: number, test: (line: string) => boolean): number | undefined {
  for (let i = from; i < to && i < lines.length; i++) if (test(lines[i])) return i;
  return undefined;
}

function lastContentLine(lines: readonly string[]): number {
  let i = lines.length - 1;
  while (i > 0 && lines[i].replace(/\r$/, '').trim() === '') i--;
  return i;
}
