import MarkdownIt from 'markdown-it';
import { CheckItem, Section } from '../types';

// Parsing only: HTML on, so Backlog.md's `<!-- AC:BEGIN -->` markers arrive as html_block tokens
// instead of paragraphs. Nothing parsed here is ever rendered; webviews use their own renderer
// with HTML off. Inline parsing is switched off because only the raw text of lines is needed,
// and it is most of markdown-it's cost.
const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);

const MARKER = /^<!--\s*(?:SECTION:[A-Z_]+|AC|DOD):(?:BEGIN|END)\s*-->\s*$/;
const CHECK = /^\[([ xX])\]\s+(?:#(\d+)\s+)?([\s\S]*)$/;

export interface ParsedBody {
  description: string;
  acceptanceCriteria: CheckItem[];
  definitionOfDone: CheckItem[];
  sections: Section[];
}

/**
 * Reads Backlog.md's body sections. `firstLine` is the file line the body starts on, so that
 * every reported line is a file line. Legacy titles ("Acceptance Criteria (Optional)") count.
 */
export function parseBody(body: string, firstLine: number): ParsedBody {
  const lines = body.split('\n');
  const tokens = md.parse(body, {});
  const headings: { title: string; line: number }[] = [];
  const checks: { line: number; content: string }[] = [];
  let listDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open' && (t.tag === 'h1' || t.tag === 'h2') && t.map) {
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
  // Headings and list items both come in line order, so one pointer walks the items once: a
  // filter of every item per section made a body of 30,000 sections take seconds.
  let next = 0;
  for (let h = 0; h < headings.length; h++) {
    const from = headings[h].line + 1;
    const to = h + 1 < headings.length ? headings[h + 1].line : lines.length;
    const content = sectionText(lines, from, to);
    const title = headings[h].title;
    sections.push({ title, line: firstLine + headings[h].line, content });
    const kind = sectionKind(title);
    if (kind === 'description' && description === undefined) description = content;
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
  return { description, acceptanceCriteria, definitionOfDone, sections };
}

function sectionKind(title: string): 'description' | 'ac' | 'dod' | undefined {
  const t = title.toLowerCase();
  if (t === 'description') return 'description';
  if (t.startsWith('acceptance criteria')) return 'ac';
  if (t.startsWith('definition of done')) return 'dod';
  return undefined;
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
