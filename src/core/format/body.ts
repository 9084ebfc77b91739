import type MarkdownIt from 'markdown-it';
import { CheckItem, Comment, Section } from '../types';

// Parsing only: HTML on, so Backlog.md's `<!-- AC:BEGIN -->` markers arrive as html_block tokens
// instead of paragraphs. Nothing parsed here is ever rendered; webviews use their own renderer
// with HTML off. Inline parsing is switched off because only the raw text of lines is needed,
// and it is most of markdown-it's cost.
// Made on first use: a command that lists items never parses a body, and need not build it.
let md: ReturnType<typeof MarkdownIt> | undefined;
function markdown(): ReturnType<typeof MarkdownIt> {
  if (!md) {
    // Required here, not imported, so that a run that parses no body never loads markdown-it
    // (the bundler keeps a require inside a function lazy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = require('markdown-it') as typeof MarkdownIt;
    md = new load({ html: true, linkify: false, typographer: false });
    md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
  }
  return md;
}

const MARKER = /^<!--\s*(?:SECTION:[A-Z0-9_]+|AC|DOD|COMMENTS|COMMENT):(?:BEGIN|END)\s*-->\s*$/;
const CHECK = /^\[([ xX])\]\s+(?:#(\d+)\s+)?([\s\S]*)$/;

export interface ParsedBody {
  description: string;
  acceptanceCriteria: CheckItem[];
  definitionOfDone: CheckItem[];
  /** Backlog.md's `## Implementation Plan`, `## Implementation Notes` (or `Notes`) and `## Final Summary`, markers removed. */
  implementationPlan?: string;
  implementationNotes?: string;
  finalSummary?: string;
  comments: Comment[];
  sections: Section[];
}

/**
 * Reads Backlog.md's body sections. `firstLine` is the file line the body starts on, so that
 * every reported line is a file line. Legacy titles ("Acceptance Criteria (Optional)") count.
 */
export function parseBody(body: string, firstLine: number): ParsedBody {
  const lines = body.split('\n');
  const tokens = markdown().parse(body, {});
  const headings: { title: string; line: number }[] = [];
  const checks: { line: number; content: string }[] = [];
  let listDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // Only `#` headings start sections, as Backlog.md finds them: a `---` under a line of text
    // (Backlog.md's comment delimiter) would otherwise make that text a heading.
    if (t.type === 'heading_open' && (t.tag === 'h1' || t.tag === 'h2') && t.markup.startsWith('#') && t.map) {
      headings.push({ title: tokens[i + 1]?.content.trim() ?? '', line: t.map[0] });
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      listDepth++;
    } else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') {
      listDepth--;
    } else if (t.type === 'list_item_open' && listDepth === 1 && t.map) {
      const inline = tokens[i + 2];
      if (inline?.type === 'inline') checks.push({ line: t.map[0], content: inline.content });
    }
  }

  const sections: Section[] = [];
  const acceptanceCriteria: CheckItem[] = [];
  const definitionOfDone: CheckItem[] = [];
  let description: string | undefined;
  const named: Partial<Record<'plan' | 'notes' | 'summary', string>> = {};
  let comments: Comment[] = [];
  // Headings and list items both come in line order, so one pointer walks the items once: a
  // filter of every item per section made a body of 30,000 sections take seconds.
  let next = 0;
  // A section Backlog.md knows (Description, Acceptance Criteria…) runs to the next heading that
  // is one of those: a "## Details" an agent wrote into a description is part of it, as Backlog.md
  // reads it (its sections end only at a known title). Worked out backwards, once.
  const kinds = headings.map((x) => sectionKind(x.title));
  const knownEnd: number[] = new Array<number>(headings.length);
  for (let h = headings.length - 1, end = lines.length; h >= 0; h--) {
    knownEnd[h] = end;
    if (kinds[h] !== undefined) end = headings[h].line;
  }
  for (let h = 0; h < headings.length; h++) {
    const from = headings[h].line + 1;
    const title = headings[h].title;
    const kind = kinds[h];
    // Every heading's own text for `sections`; a known section's whole reach for its field.
    sections.push({ title, line: firstLine + headings[h].line, content: sectionText(lines, from, h + 1 < headings.length ? headings[h + 1].line : lines.length) });
    const to = knownEnd[h];
    const content = sectionText(lines, from, to);
    if (kind === 'description' && description === undefined) description = content;
    if ((kind === 'plan' || kind === 'notes' || kind === 'summary') && named[kind] === undefined) named[kind] = content;
    if (kind === 'comments' && comments.length === 0) comments = parseComments(lines, from, to);
    while (next < checks.length && checks[next].line < from) next++;
    if (kind === 'ac' || kind === 'dod') {
      const into = kind === 'ac' ? acceptanceCriteria : definitionOfDone;
      // Items without a `#n` are numbered by their place in the section.
      let k = 0;
      for (; next < checks.length && checks[next].line < to; next++) {
        for (const item of toCheckItem(checks[next], firstLine)) {
          k++;
          into.push(item.index > 0 ? item : { ...item, index: k });
        }
      }
    }
  }
  if (description === undefined) {
    // Hand-written items often have no headings: the text before the first one describes it.
    description = sectionText(lines, 0, headings.length > 0 ? headings[0].line : lines.length);
  }
  return { description, acceptanceCriteria, definitionOfDone, implementationPlan: named.plan, implementationNotes: named.notes, finalSummary: named.summary, comments, sections };
}

/** The fields of an item that come from its body. */
export const BODY_KEYS = ['description', 'acceptanceCriteria', 'definitionOfDone', 'implementationPlan', 'implementationNotes', 'finalSummary', 'comments', 'sections'] as const satisfies readonly (keyof ParsedBody)[];

/** Which of Backlog.md's sections a heading opens, by its title and older variants (its src/markdown/section-titles.ts). */
export function sectionKind(title: string): 'description' | 'ac' | 'dod' | 'plan' | 'notes' | 'summary' | 'comments' | undefined {
  const t = title.toLowerCase();
  if (t === 'description') return 'description';
  if (t.startsWith('acceptance criteria')) return 'ac';
  if (t.startsWith('definition of done')) return 'dod';
  if (t === 'implementation plan' || t === 'implementation plan (optional)') return 'plan';
  if (t === 'implementation notes' || t === 'implementation notes (optional)' || t === 'notes' || t === 'notes & comments (optional)') return 'notes';
  if (t === 'final summary') return 'summary';
  if (t === 'comments') return 'comments';
  return undefined;
}

/**
 * Backlog.md's comments (`parseDelimitedComments`): inside `<!-- COMMENTS:BEGIN -->` and
 * `…:END -->`, each comment is `key: value` lines (`author`, `created`), a `---` line, its text,
 * and a `---` line. One pass over the section's lines.
 */
function parseComments(lines: string[], from: number, to: number): Comment[] {
  const text = lines.slice(from, to).map((l) => l.replace(/\r$/, ''));
  const begin = text.findIndex((l) => l.trim() === '<!-- COMMENTS:BEGIN -->');
  const end = begin === -1 ? -1 : text.indexOf('<!-- COMMENTS:END -->', begin);
  const body = begin === -1 ? text : text.slice(begin + 1, end === -1 ? text.length : end);
  const comments: Comment[] = [];
  let i = 0;
  const delimiter = (k: number) => body[k].trim() === '---';
  while (i < body.length) {
    while (i < body.length && body[i].trim() === '') i++;
    const meta: Record<string, string> = {};
    while (i < body.length && !delimiter(i)) {
      const line = body[i++];
      const colon = line.indexOf(':');
      if (colon > 0) meta[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (i >= body.length) break;
    i++;
    const start = i;
    while (i < body.length && !delimiter(i)) i++;
    if (i >= body.length) break;
    const said = body.slice(start, i).join('\n').trim();
    i++;
    if (said === '') continue;
    comments.push({ author: meta.author, created: meta.created ?? meta.date, text: said });
  }
  return comments;
}

function sectionText(lines: string[], from: number, to: number): string {
  const kept: string[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (!MARKER.test(line.trim())) kept.push(line);
  }
  return kept.join('\n').trim();
}

function toCheckItem(c: { line: number; content: string }, firstLine: number): CheckItem[] {
  const m = CHECK.exec(c.content.trim());
  if (!m) return [];
  return [
    {
      index: m[2] !== undefined ? Number(m[2]) : 0,
      checked: m[1] !== ' ',
      text: m[3].replace(/\s+/g, ' ').trim(),
      line: firstLine + c.line,
    },
  ];
}
