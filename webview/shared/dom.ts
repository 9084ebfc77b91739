// Building the page from data without ever parsing data as HTML: text goes in as text nodes.

type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set with setAttribute (never `style`: the policy refuses inline styles). */
  attrs?: Record<string, string | undefined>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (e: HTMLElementEventMap[K]) => void }>;
}

/** Creates an element; string children become text nodes, so `<img onerror>` stays text. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props: Props = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [k, v] of Object.entries(props.attrs ?? {})) if (v !== undefined) el.setAttribute(k, v);
  for (const [k, fn] of Object.entries(props.on ?? {})) el.addEventListener(k, fn as EventListener);
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

const ALLOWED_TAGS = new Set(['P', 'EM', 'STRONG', 'CODE', 'PRE', 'A', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'BR', 'HR', 'DEL', 'S', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'SPAN']);

/**
 * The host renders descriptions with markdown-it, HTML off, safe links only. The page checks
 * again: anything outside a small set of tags becomes its text, and the only attribute kept is
 * an http(s) or mailto `href`. Defence in depth, so that a bug on one side is not an injection.
 */
export function safeFragment(html: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.textContent ?? ''));
      } else if (node instanceof Element) {
        if (!ALLOWED_TAGS.has(node.tagName)) {
          to.appendChild(document.createTextNode(node.textContent ?? ''));
          continue;
        }
        const el = document.createElement(node.tagName.toLowerCase());
        const href = node.getAttribute('href');
        if (node.tagName === 'A' && href && /^(https?:|mailto:)/i.test(href)) el.setAttribute('href', href);
        copy(node, el);
        to.appendChild(el);
      }
    }
  };
  copy(doc.body, out);
  return out;
}

/** Says a sentence to screen readers through the page's live region. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Clearing first makes a repeated sentence heard again.
  region.textContent = '';
  setTimeout(() => (region.textContent = message), 30);
}
