// Item ids in any Markdown preview (READMEs, docs, design notes) become links to the item, with
// its title and status on hover and a done item struck through: a markdown-it plugin that VS
// Code's built-in preview loads through `extendMarkdownIt`. Pure: it reads the index it is given.
//
// Only ids with a backlog's own prefix that name an existing item are linked, never inside code
// (code spans and blocks are not text tokens), inside an existing link, or inside raw HTML <a>.
// The link is a relative path to the item's file, which the preview opens itself (it posts
// relative links to its extension; `command:` links are not followed there, and a `vscode:`
// link depends on the product's URL scheme).
import MarkdownIt from 'markdown-it';

/** The markdown-it instance a preview hands to `extendMarkdownIt`. */
export type Markdown = InstanceType<typeof MarkdownIt>;
import { BacklogIndex } from '../core/backlogIndex';

/** The item one id names, as the link shows it. */
export interface LinkedItem {
  id: string;
  title: string;
  status: string;
  done: boolean;
  /** Absolute POSIX path of its file. */
  path: string;
}

export interface ItemLinkOptions {
  /** Upper-cased id prefixes to look for (`BL`, `TASK`). */
  prefixes(): readonly string[];
  find(id: string): LinkedItem | undefined;
  /** A path relative to the workspace folder that holds it, for documents with no path of their own (a hover, a notebook). */
  workspaceRelative(path: string): string | undefined;
}

const TOKEN = 'backlog_atlas_item';

/** One id found in text: where, and what it names. */
export interface IdMatch {
  start: number;
  end: number;
  id: string;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Ids like `BL-42` or `BL-3.1` with one of `prefixes` (upper-cased), as whole words: not in
 * `xBL-42`, `BL-42x` or `A-BL-42`. One pass: each character is looked at a bounded number of times.
 */
export function findIds(text: string, prefixes: ReadonlySet<string>): IdMatch[] {
  const out: IdMatch[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (!isLetter(c) || isWordChar(prev) || prev === 45 /* - */) {
      i++;
      continue;
    }
    // The word: letters and digits, then `-` and the number.
    let j = i + 1;
    while (j < n && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
    if (j >= n || text.charCodeAt(j) !== 45 || !prefixes.has(text.slice(i, j).toUpperCase())) {
      i = j;
      continue;
    }
    let k = j + 1;
    if (k >= n || !isDigit(text.charCodeAt(k))) {
      i = k;
      continue;
    }
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    while (k + 1 < n && text.charCodeAt(k) === 46 /* . */ && isDigit(text.charCodeAt(k + 1))) {
      k += 2;
      while (k < n && isDigit(text.charCodeAt(k))) k++;
    }
    if (k < n && (isWordChar(text.charCodeAt(k)) || text.charCodeAt(k) === 45)) {
      // `BL-42x` or `BL-42-draft`: not an id; go on after the whole word.
      while (k < n && (isWordChar(text.charCodeAt(k)) || text.charCodeAt(k) === 45)) k++;
      i = k;
      continue;
    }
    out.push({ start: i, end: k, id: text.slice(i, k) });
    i = k;
  }
  return out;
}

/** The markdown-it plugin: `md.use(itemLinks, options)`. */
export function itemLinks(md: Markdown, options: ItemLinkOptions): void {
  md.core.ruler.push('backlog_atlas_items', (state: MarkdownIt.StateCore) => {
    const prefixes = new Set(options.prefixes());
    if (prefixes.size === 0) return;
    for (const block of state.tokens) {
      if (block.type !== 'inline' || !block.children) continue;
      block.children = linkIds(block.children, state, prefixes, options);
    }
  });
  md.renderer.rules[TOKEN] = (tokens, idx, _opts, env: unknown) => {
    const t = tokens[idx];
    const item = options.find(t.content);
    const esc = md.utils.escapeHtml;
    if (!item) return esc(t.content);
    // VS Code's preview renders with `env.currentDocument`, the Uri of the document shown.
    const doc = (env as { currentDocument?: { path?: unknown; scheme?: unknown } } | undefined)?.currentDocument;
    const href = hrefFor(item.path, typeof doc?.path === 'string' ? { path: doc.path, scheme: String(doc.scheme) } : undefined, options);
    const label = item.done ? `<s>${esc(t.content)}</s>` : esc(t.content);
    if (href === undefined) return `<span title="${esc(tooltip(item))}">${label}</span>`;
    return `<a href="${esc(href)}" title="${esc(tooltip(item))}" class="backlog-atlas-item" data-backlog-status="${esc(item.status)}">${label}</a>`;
  };
}

function tooltip(item: LinkedItem): string {
  return `${item.id} · ${item.status}${item.done ? ' (done)' : ''} · ${item.title}`;
}

/** Splits the text tokens of one inline block around the ids that name items; links and raw <a> are left alone. */
function linkIds(children: MarkdownIt.Token[], state: MarkdownIt.StateCore, prefixes: ReadonlySet<string>, options: ItemLinkOptions): MarkdownIt.Token[] {
  const out: MarkdownIt.Token[] = [];
  let inLink = 0;
  for (const t of children) {
    if (t.type === 'link_open') inLink++;
    else if (t.type === 'link_close') inLink = Math.max(0, inLink - 1);
    else if (t.type === 'html_inline') {
      if (/^<a[\s>]/i.test(t.content)) inLink++;
      else if (/^<\/a\s*>/i.test(t.content)) inLink = Math.max(0, inLink - 1);
    }
    if (t.type !== 'text' || inLink > 0) {
      out.push(t);
      continue;
    }
    const found = findIds(t.content, prefixes).filter((m) => options.find(m.id) !== undefined);
    if (found.length === 0) {
      out.push(t);
      continue;
    }
    let at = 0;
    const text = (s: string) => {
      if (s === '') return;
      const x = new state.Token('text', '', 0);
      x.content = s;
      x.level = t.level;
      out.push(x);
    };
    for (const m of found) {
      text(t.content.slice(at, m.start));
      const ref = new state.Token(TOKEN, '', 0);
      ref.content = m.id;
      ref.level = t.level;
      out.push(ref);
      at = m.end;
    }
    text(t.content.slice(at));
  }
  return out;
}

/** A relative link from the document to the item's file, each segment percent-encoded; `/…` from the workspace folder when the document has no path. */
function hrefFor(itemPath: string, doc: { path?: string; scheme?: string } | undefined, options: ItemLinkOptions): string | undefined {
  const encode = (segments: string[]) => segments.map(encodeURIComponent).join('/');
  if (doc?.path && doc.scheme !== 'untitled') {
    const from = doc.path.split('/').slice(0, -1);
    const to = itemPath.split('/');
    let common = 0;
    while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
    if (common > 0) return encode([...from.slice(common).map(() => '..'), ...to.slice(common)]);
  }
  const rel = options.workspaceRelative(itemPath);
  return rel === undefined ? undefined : `/${encode(rel.split('/'))}`;
}

/** The options over a live index: every backlog's prefix, every item by id. */
export function indexItemLinks(index: BacklogIndex, workspaceRelative: (path: string) => string | undefined): ItemLinkOptions {
  return {
    prefixes: () => [...new Set(index.roots().map((b) => b.config.taskPrefix.trim().toUpperCase()).filter((p) => p !== ''))],
    find: (id) => {
      const item = index.item(id);
      const b = item && index.backlogFor(item.path);
      if (!item || !b) return undefined;
      return { id: item.id, title: item.title, status: item.folder === 'archive' ? 'Archived' : item.status, done: b.isDone(item) || item.folder === 'archive', path: item.path };
    },
    workspaceRelative,
  };
}
