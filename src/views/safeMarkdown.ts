import MarkdownIt from 'markdown-it';

// Descriptions come from files anyone can commit, and the HTML made here goes into webviews and
// exported pages. So raw HTML is off, links are limited to schemes that only navigate, and
// images never load: a remote image would tell its server who opened the backlog, and when.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const MAX_INPUT = 20000;
const SAFE_SCHEME = /^(https?:|mailto:)/i;

// An allowlist rather than markdown-it's blocklist: relative links would resolve against the
// webview's own origin, and schemes nobody thought of stay out.
md.validateLink = (url: string): boolean => SAFE_SCHEME.test(url.trim());

// An image shows as its alt text, escaped, so that nothing is fetched.
md.renderer.rules.image = (tokens, idx, options, env, self) =>
  md.utils.escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env));

// A link must not hand the opened page a handle on the page that opened it.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

/** Cuts long input, without leaving half of a surrogate pair at the end. */
function truncate(text: string): string {
  if (text.length <= MAX_INPUT) return text;
  const cut = text.slice(0, MAX_INPUT);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * Renders a description from a user's file to HTML that is safe to put into a webview or an
 * exported page: no raw HTML, links only to http(s) and mailto (with rel="noopener noreferrer"),
 * images as their alt text so nothing remote loads. Input past 20,000 characters is dropped,
 * so that one huge file cannot stall the view.
 */
export function renderSafeMarkdown(markdown: string): string {
  return md.render(truncate(markdown));
}
