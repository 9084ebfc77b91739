// Text for files made for people outside the editor (exports): escaped for HTML, XML or Markdown,
// and the skeleton of a standalone HTML page. User text is always escaped here, never trusted.

// Characters XML forbids (control characters, unpaired surrogates): one of them in a title would
// make the whole SVG or page unreadable for strict parsers, so they are dropped rather than escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML and XML alike, in element content and in quoted attributes. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** Backslash-escapes what Markdown (and GFM) would read as markup, and folds line breaks. */
export function escapeMarkdown(text: string): string {
  // A run of white space that holds a line break becomes one space. Matched as whole runs:
  // `\s*[\r\n]+\s*` tried again at every space of a long run without a break (quadratic).
  return text.replace(/\s+/g, (run) => (/[\r\n]/.test(run) ? ' ' : run)).replace(/[\\*_[\]<>|#`&~]/g, (c) => `\\${c}`);
}

/**
 * A self-contained HTML page: nothing may load or run (its own CSP), because it is opened from
 * disk or mail, far from the editor's rules. `body` is HTML the caller has escaped.
 */
export function standalonePage(title: string, style: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    ...body.filter((s) => s !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
