// Edits of an item's body as Backlog.md writes it: its checklists (`- [ ] #1 text` between
// `<!-- AC:BEGIN -->` and `<!-- AC:END -->`) and its marked sections. Each function takes the
// whole file's text and returns the whole new text; only the bytes of the changed value differ,
// and the result is read back with `parseBody` before it is returned.
import { CheckItem, Item } from '../types';
import { parseBody, ParsedBody, sectionKind } from './body';
import { splitFrontMatter } from './itemFile';

/** Backlog.md's two checklists: Acceptance Criteria and Definition of Done. */
export type CheckList = 'ac' | 'dod';
/** The free-text sections an item's editor changes. */
export type TextSection = 'description' | 'plan' | 'notes' | 'summary';

export type BodyEditResult = { ok: true; text: string } | { ok: false; message: string };

/** The longest criterion or section text a form may write: far beyond any real one. */
export const MAX_CHECK_TEXT = 2000;
export const MAX_SECTION_TEXT = 100_000;

const LISTS: Record<CheckList, { heading: string; marker: string; what: string; field: 'acceptanceCriteria' | 'definitionOfDone' }> = {
  ac: { heading: 'Acceptance Criteria', marker: 'AC', what: 'acceptance criterion', field: 'acceptanceCriteria' },
  dod: { heading: 'Definition of Done', marker: 'DOD', what: 'Definition of Done item', field: 'definitionOfDone' },
};

const SECTIONS: Record<TextSection, { heading: string; marker: string; field: 'description' | 'implementationPlan' | 'implementationNotes' | 'finalSummary' }> = {
  description: { heading: 'Description', marker: 'DESCRIPTION', field: 'description' },
  plan: { heading: 'Implementation Plan', marker: 'PLAN', field: 'implementationPlan' },
  notes: { heading: 'Implementation Notes', marker: 'NOTES', field: 'implementationNotes' },
  summary: { heading: 'Final Summary', marker: 'FINAL_SUMMARY', field: 'finalSummary' },
};

/** The order Backlog.md writes its sections in: a new section goes before the first that follows it. */
const SECTION_ORDER = ['description', 'ac', 'dod', 'plan', 'notes', 'summary', 'comments'] as const;

// One line of a checklist: the bullet, the box, an optional `#n`, the text. Anchored and without
// nested quantifiers over the same characters, so it is linear in the line.
const CHECK_LINE = /^(\s*[-*+]\s+\[)([ xX])(\]\s+)(?:#(\d+)(\s+))?([^\r]*)(\r?)$/;

interface BodyView {
  lines: string[];
  eol: string;
  /** The file line the body starts on. */
  first: number;
  parsed: ParsedBody;
}

function view(text: string): BodyView | { message: string } {
  const split = splitFrontMatter(text);
  if (!split.ok) return { message: split.message };
  const lines = text.split('\n');
  const first = countLines(text, split.span.bodyStart);
  const parsed = parseBody(lines.slice(first).join('\n'), first);
  return { lines, eol: text.includes('\r\n') ? '\r\n' : '\n', first, parsed };
}

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** One criterion's text as Backlog.md keeps it: on one line, spaces collapsed. */
function cleanCheckText(text: string): string | { message: string } {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean === '') return { message: 'A criterion needs some text.' };
  if (clean.length > MAX_CHECK_TEXT) return { message: `A criterion is at most ${MAX_CHECK_TEXT} characters.` };
  return clean;
}

function checks(v: BodyView, list: CheckList): CheckItem[] {
  return v.parsed[LISTS[list].field];
}

function at(v: BodyView, list: CheckList, index: number): CheckItem | { message: string } {
  const found = checks(v, list).find((c) => c.index === index);
  return found ?? { message: `There is no ${LISTS[list].what} #${index}; the file changed. Try again.` };
}

/** The body, criterion #index of `list` and its line split into bullet, box, number and text. */
function checkLine(text: string, list: CheckList, index: number): { v: BodyView; item: CheckItem; m: RegExpExecArray } | { message: string } {
  const v = view(text);
  if ('message' in v) return v;
  const item = at(v, list, index);
  if ('message' in item) return item;
  const m = CHECK_LINE.exec(v.lines[item.line]);
  if (!m) return { message: `Line ${item.line + 1} is not a checklist line; edit it as text.` };
  return { v, item, m };
}

/** Reads the new text back: the list must hold exactly `expected` (box and text, in order). */
function verifyList(text: string, list: CheckList, expected: { checked: boolean; text: string }[]): BodyEditResult {
  const v = view(text);
  if ('message' in v) return { ok: false, message: v.message };
  const got = checks(v, list).map((c) => ({ checked: c.checked, text: c.text }));
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    return { ok: false, message: `The ${LISTS[list].heading} list would not read back as intended (it may be written in a shape the editor does not change); edit it as text. Nothing was changed.` };
  }
  return { ok: true, text };
}

function expectedOf(v: BodyView, list: CheckList): { checked: boolean; text: string }[] {
  return checks(v, list).map((c) => ({ checked: c.checked, text: c.text }));
}

/** Ticks or clears one box: one character changes. */
export function setCheck(text: string, list: CheckList, index: number, checked: boolean): BodyEditResult {
  const found = checkLine(text, list, index);
  if ('message' in found) return { ok: false, message: found.message };
  const { v, item, m } = found;
  if ((m[2] !== ' ') === checked) return { ok: true, text };
  v.lines[item.line] = m[1] + (checked ? 'x' : ' ') + v.lines[item.line].slice(m[1].length + 1);
  const expected = expectedOf(v, list).map((c, k) => (checks(v, list)[k].index === index ? { ...c, checked } : c));
  return verifyList(v.lines.join('\n'), list, expected);
}

/** Changes one criterion's text; its box and number stay. */
export function setCheckText(text: string, list: CheckList, index: number, newText: string): BodyEditResult {
  const clean = cleanCheckText(newText);
  if (typeof clean !== 'string') return { ok: false, ...clean };
  const found = checkLine(text, list, index);
  if ('message' in found) return { ok: false, message: found.message };
  const { v, item, m } = found;
  v.lines[item.line] = m[1] + m[2] + m[3] + (m[4] !== undefined ? `#${m[4]}${m[5]}` : '') + clean + m[7];
  const expected = expectedOf(v, list).map((c, k) => (checks(v, list)[k].index === index ? { ...c, text: clean } : c));
  return verifyList(v.lines.join('\n'), list, expected);
}

/**
 * Adds an unticked criterion at the end of the list, numbered as Backlog.md's `--ac` numbers it
 * (one more than the last); the section and its markers are written if the item has none.
 */
export function addCheck(text: string, list: CheckList, newText: string): BodyEditResult {
  const clean = cleanCheckText(newText);
  if (typeof clean !== 'string') return { ok: false, ...clean };
  const v = view(text);
  if ('message' in v) return { ok: false, message: v.message };
  const items = checks(v, list);
  const { heading, marker } = LISTS[list];
  const cr = v.eol === '\r\n' ? '\r' : '';
  // One more than the highest number, as Backlog.md numbers `--ac`: a list with a gap gets no twin.
  const line = `- [ ] #${items.reduce((max, c) => Math.max(max, c.index), 0) + 1} ${clean}${cr}`;
  if (items.length > 0) {
    v.lines.splice(items[items.length - 1].line + 1, 0, line);
  } else {
    const section = v.parsed.sections.find((s) => sectionKind(s.title) === list);
    if (section) {
      const end = sectionEnd(v, section.line);
      const begin = findLine(v.lines, `<!-- ${marker}:BEGIN -->`, section.line + 1, end);
      if (begin !== -1) v.lines.splice(begin + 1, 0, line);
      else v.lines.splice(section.line + 1, 0, `<!-- ${marker}:BEGIN -->${cr}`, line, `<!-- ${marker}:END -->${cr}`);
    } else {
      insertSection(v, list, [`## ${heading}`, `<!-- ${marker}:BEGIN -->`, line.replace(/\r$/, ''), `<!-- ${marker}:END -->`]);
    }
  }
  return verifyList(v.lines.join('\n'), list, [...expectedOf(v, list), { checked: false, text: clean }]);
}

/** Removes one criterion; the ones after it are numbered down, as Backlog.md's `--remove-ac` does. */
export function removeCheck(text: string, list: CheckList, index: number): BodyEditResult {
  const v = view(text);
  if ('message' in v) return { ok: false, message: v.message };
  const items = checks(v, list);
  const k = items.findIndex((c) => c.index === index);
  if (k === -1) return { ok: false, message: `There is no ${LISTS[list].what} #${index}; the file changed. Try again.` };
  const expected = expectedOf(v, list).filter((_, j) => j !== k);
  const rest = items.filter((_, j) => j !== k);
  renumber(v, rest);
  v.lines.splice(items[k].line, 1);
  return verifyList(v.lines.join('\n'), list, expected);
}

/** Moves one criterion to place `to` (0-based) of the list; numbers follow the new order. */
export function moveCheck(text: string, list: CheckList, index: number, to: number): BodyEditResult {
  const v = view(text);
  if ('message' in v) return { ok: false, message: v.message };
  const items = checks(v, list);
  const from = items.findIndex((c) => c.index === index);
  if (from === -1) return { ok: false, message: `There is no ${LISTS[list].what} #${index}; the file changed. Try again.` };
  if (!Number.isInteger(to) || to < 0 || to >= items.length) return { ok: false, message: `A ${LISTS[list].what} can move only within its list.` };
  if (to === from) return { ok: true, text };
  // The lines keep their places in the file; their texts move between them.
  const slots = items.map((c) => c.line);
  const texts = slots.map((l) => v.lines[l]);
  const [moved] = texts.splice(from, 1);
  texts.splice(to, 0, moved);
  slots.forEach((l, j) => (v.lines[l] = texts[j]));
  const order = [...items];
  const [m] = order.splice(from, 1);
  order.splice(to, 0, m);
  renumber(v, slots.map((line) => ({ line })));
  return verifyList(v.lines.join('\n'), list, order.map((c) => ({ checked: c.checked, text: c.text })));
}

/** Gives the lines of a list the numbers 1, 2, … in their order; lines without a `#n` keep none. */
function renumber(v: BodyView, items: { line: number }[]): void {
  items.forEach((c, j) => {
    const m = CHECK_LINE.exec(v.lines[c.line]);
    if (!m || m[4] === undefined || Number(m[4]) === j + 1) return;
    v.lines[c.line] = `${m[1]}${m[2]}${m[3]}#${j + 1}${m[5]}${m[6]}${m[7]}`;
  });
}

/**
 * Sets a section's text (Description, Implementation Plan, Notes, Final Summary) between
 * Backlog.md's `<!-- SECTION:…:BEGIN -->` markers; a section without markers has its lines
 * replaced; a missing one is written where Backlog.md puts it. Empty text empties the section.
 */
export function setSectionText(text: string, section: TextSection, content: string): BodyEditResult {
  if (content.length > MAX_SECTION_TEXT) return { ok: false, message: `A section is at most ${MAX_SECTION_TEXT.toLocaleString('en')} characters.` };
  const v = view(text);
  if ('message' in v) return { ok: false, message: v.message };
  const { heading, marker, field } = SECTIONS[section];
  const clean = content.replace(/\r\n?/g, '\n').trim();
  const cr = v.eol === '\r\n' ? '\r' : '';
  const contentLines = clean === '' ? [] : clean.split('\n').map((l) => l + cr);
  const existing = v.parsed.sections.find((s) => sectionKind(s.title) === section);
  const isDescriptionWithoutHeading = section === 'description' && !existing;
  if (existing) {
    const end = sectionEnd(v, existing.line);
    const begin = findLine(v.lines, `<!-- SECTION:${marker}:BEGIN -->`, existing.line + 1, end);
    const close = begin === -1 ? -1 : findLine(v.lines, `<!-- SECTION:${marker}:END -->`, begin + 1, end);
    if (begin !== -1 && close !== -1) {
      v.lines.splice(begin + 1, close - begin - 1, ...contentLines);
    } else {
      // No markers: the lines between this heading and the next, a blank line on each side.
      let last = end;
      while (last > existing.line + 1 && v.lines[last - 1].trim() === '') last--;
      v.lines.splice(existing.line + 1, last - existing.line - 1, ...(contentLines.length > 0 ? [cr, ...contentLines] : []));
    }
  } else if (isDescriptionWithoutHeading && v.parsed.sections.length === 0 && v.parsed.description !== '') {
    return { ok: false, message: 'This item\'s description is text without a "## Description" heading; edit it as text.' };
  } else {
    if (clean === '') return { ok: true, text };
    insertSection(v, section, [`## ${heading}`, '', `<!-- SECTION:${marker}:BEGIN -->`, ...contentLines.map((l) => l.replace(/\r$/, '')), `<!-- SECTION:${marker}:END -->`]);
  }
  const updated = v.lines.join('\n');
  const back = view(updated);
  if ('message' in back) return { ok: false, message: back.message };
  if ((back.parsed[field] ?? '') !== clean) {
    return { ok: false, message: `The ${heading} would not read back as typed: a "## " line naming another section (Acceptance Criteria, Implementation Plan…) or a section marker would start that section. Use "###" for headings inside it.` };
  }
  return { ok: true, text: updated };
}

/**
 * The line after a section's last: the next heading's, or for a section Backlog.md knows, the next
 * heading of another such section (a "## Details" inside a description is part of it, as
 * `parseBody` and Backlog.md read it); else the end of the file.
 */
function sectionEnd(v: BodyView, headingLine: number): number {
  const own = v.parsed.sections.find((s) => s.line === headingLine);
  const known = own !== undefined && sectionKind(own.title) !== undefined;
  const next = v.parsed.sections.find((s) => s.line > headingLine && (!known || sectionKind(s.title) !== undefined));
  return next ? next.line : v.lines.length;
}

function findLine(lines: string[], wanted: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (lines[i].trim() === wanted) return i;
  return -1;
}

/** Inserts a new section before the first that Backlog.md writes after it, or at the end. */
function insertSection(v: BodyView, kind: (typeof SECTION_ORDER)[number], block: string[]): void {
  const cr = v.eol === '\r\n' ? '\r' : '';
  const rank = SECTION_ORDER.indexOf(kind);
  const later = v.parsed.sections.find((s) => {
    const k = sectionKind(s.title);
    return k !== undefined && SECTION_ORDER.indexOf(k) > rank;
  });
  const lines = block.map((l) => l + cr);
  if (later) {
    v.lines.splice(later.line, 0, ...lines, cr);
    return;
  }
  // At the end: after one blank line, and ending the file with a line break as before.
  let end = v.lines.length;
  const endsWithBreak = end > 0 && v.lines[end - 1] === '';
  if (endsWithBreak) end--;
  while (end > v.first && v.lines[end - 1].replace(/\r$/, '') === '') end--;
  const gap = end > v.first ? [cr] : [];
  v.lines.splice(end, v.lines.length - end, ...gap, ...lines, '');
}

/** What an agent or a command asks of an item's body by meaning, in one edit. */
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

/** A line that would open a section of its own, or a marker, if it were written into one. */
const SECTION_BREAKER = /^ {0,3}#{1,2}(?:[ \t]|$)|<!--/;

/**
 * Why a new item's description cannot be written as it is: a heading that names a section
 * Backlog.md knows, or a section marker, would end the description there when read.
 */
export function descriptionProblem(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const heading = /^ {0,3}#{1,2}[ \t]+(.*?)[ \t#]*$/.exec(line);
    if ((heading && sectionKind(heading[1].trim()) !== undefined) || /<!--\s*(?:SECTION:[A-Z0-9_]+|AC|DOD|COMMENTS?):(?:BEGIN|END)\s*-->/.test(line)) {
      return `A description cannot hold the line "${line.trim()}": it would start another section when the file is read. Use "###" for headings inside it.`;
    }
  }
  return undefined;
}

/** Why a new criterion's or note's text cannot be written as it is, or undefined when it can. */
export function bodyTextProblem(kind: 'criterion' | 'note', text: string): string | undefined {
  if (text.trim() === '') return `An empty ${kind} cannot be added.`;
  if (kind === 'criterion' && /[\r\n]/.test(text)) return 'An acceptance criterion has to fit on one line; remove the line breaks.';
  if (text.split(/\r?\n/).some((l) => SECTION_BREAKER.test(l))) return `A ${kind} cannot hold a "# " or "## " heading line or an HTML comment: Backlog.md would read them as the start of another section.`;
  return undefined;
}

/**
 * Applies `change` to an item file's text (as the index read it, `item` parsed from exactly this
 * text) with the form's own edits above, one after the other. Returns the new text or what
 * stands in the way; nothing is half applied.
 */
export function editBody(text: string, item: Pick<Item, 'id' | 'acceptanceCriteria' | 'implementationNotes'>, change: BodyChange): { text: string } | { message: string } {
  let out = text;
  const step = (r: BodyEditResult): string | undefined => {
    if (!r.ok) return r.message;
    out = r.text;
    return undefined;
  };
  const ticks: [number, boolean][] = [...(change.check ?? []).map((n): [number, boolean] => [n, true]), ...(change.uncheck ?? []).map((n): [number, boolean] => [n, false])];
  for (const [n, checked] of ticks) {
    if (!item.acceptanceCriteria.some((c) => c.index === n)) {
      const have = item.acceptanceCriteria.map((c) => `#${c.index}`).join(', ');
      return { message: `${item.id} has no acceptance criterion #${n}${have ? ` (it has ${have})` : ''}.` };
    }
    const problem = step(setCheck(out, 'ac', n, checked));
    if (problem) return { message: problem };
  }
  for (const t of change.addCriteria ?? []) {
    const problem = bodyTextProblem('criterion', t) ?? step(addCheck(out, 'ac', t));
    if (problem) return { message: problem };
  }
  if (change.appendNotes !== undefined) {
    const note = change.appendNotes.trim();
    const before = (item.implementationNotes ?? '').trim();
    const problem = bodyTextProblem('note', change.appendNotes) ?? step(setSectionText(out, 'notes', before === '' ? note : `${before}\n\n${note}`));
    if (problem) return { message: problem };
  }
  return { text: out };
}
