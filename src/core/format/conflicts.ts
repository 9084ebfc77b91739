// Merge-conflict markers left in a backlog file. Git writes them into the file when two branches
// changed the same lines; YAML may still parse around them (`<<<<<<< HEAD` in a body is prose), so
// they are looked for on their own, reported as errors, and a file holding them is never rewritten.
import { Diagnostic } from '../types';

export const CONFLICT_CODE = 'merge-conflict';

/**
 * Lines that open, divide or close a conflict. `<<<<<<<` and `>>>>>>>` (seven, then a space or
 * the line's end) mark a conflict wherever they are; `=======` and diff3's `|||||||` only between
 * them, because a line of seven `=` is also a Markdown heading's underline.
 */
const OPEN = /^<{7}(?: |\r?$)/;
const CLOSE = /^>{7}(?: |\r?$)/;
const MIDDLE = /^(?:={7}|\|{7}(?: .*)?)\r?$/;

/** Each marker line of a text, zero-based, with what it is; empty for a file without conflicts. */
export function conflictMarkers(text: string): { line: number; marker: string; length: number }[] {
  const out: { line: number; marker: string; length: number }[] = [];
  // A quick look first: almost every file has no marker at all.
  if (!text.includes('<<<<<<<') && !text.includes('>>>>>>>')) return out;
  let inside = false;
  let line = 0;
  for (let start = 0; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const c = text.charCodeAt(start);
    // Only lines that start with one of the marker characters are tested at all.
    if (c === 60 || c === 62 || c === 61 || c === 124) {
      const s = text.slice(start, Math.min(end, start + 8));
      const rest = end - start;
      if (OPEN.test(s)) {
        out.push({ line, marker: '<<<<<<<', length: rest });
        inside = true;
      } else if (CLOSE.test(s)) {
        out.push({ line, marker: '>>>>>>>', length: rest });
        inside = false;
      } else if (inside && MIDDLE.test(text.slice(start, c === 124 ? start + 8 : end))) {
        out.push({ line, marker: s.slice(0, 7), length: rest });
      }
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  return out;
}

/** The markers of a file as error diagnostics, one per marker line. */
export function conflictDiagnostics(path: string, text: string): Diagnostic[] {
  return conflictMarkers(text).map(({ line, marker, length }) => ({
    path,
    line,
    column: 0,
    endLine: line,
    endColumn: Math.max(1, length),
    severity: 'error',
    code: CONFLICT_CODE,
    message: `Merge-conflict marker \`${marker}\`: this file is in the middle of a merge. Keep one side (or both), remove the markers, then save; until then the file is not changed here.`,
  }));
}
