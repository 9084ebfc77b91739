// What every panel page does the same way: restore its options, take the host's state and
// announcements, send option changes, keep track of the focus across redraws, and say when it
// has painted. It is the page's one message loop: a panel's own messages from the host reach
// it through `receive`.
import { isPageUpdate, PageRequest, PageState, PageUpdate, parsePageState } from '../../src/protocol/page';
import { announce, h } from './dom';
import { connect } from './vscodeApi';

export interface PanelPage<OwnRequest, Options> {
  /** The options the page was restored with (after a reload), or the defaults. */
  readonly initialOptions: Options;
  /** Sends one of the panel's own messages; the envelope's go through the methods below. */
  post(message: OwnRequest): void;
  /** Saves the change for the next reload and asks the host for the state that goes with it. */
  setOptions(options: Options): void;
  /** The `data-key` of the element that had the focus last: a redraw gives the focus back to it. */
  focusedKey(): string | undefined;
  /** Tells the host the state is painted: two frames after the DOM was built. */
  drawn(cards: number): void;
  /** Says `ready`: the host answers with the whole state. Call once the page can draw. */
  ready(): void;
  /**
   * Gives the focus back to an element after a redraw. While something else in the window has
   * the focus (a quick pick the page opened, say), the element gets it only when the page does:
   * focusing now would pull the keyboard away from that quick pick.
   */
  restoreFocus(el: HTMLElement | null): void;
}

export function startPage<Model, Options, OwnRequest, OwnUpdate extends { type: string } = never>(spec: {
  parseOptions(raw: unknown): Options;
  render(model: Model, options: Options): void;
  /** Takes the panel's own messages from the host (not `state` or `announce`); a page without any leaves it out. */
  receive?(message: OwnUpdate): void;
}): PanelPage<OwnRequest, Options> {
  const vscode = connect<PageRequest<Options> | OwnRequest, PageState<Options>>();
  const initialOptions = parsePageState(vscode.state(), spec.parseOptions);
  // The codicon font loads when a glyph first needs it, after the first layout, and the cards with
  // icons are then laid out again (a second layout of the whole page). Asked for now, it is there
  // before the host's state arrives.
  void document.fonts?.load('16px codicon').catch(() => undefined);
  let stateArrived = 0;
  let lastFocusedKey: string | undefined;
  let focusWhenBack: HTMLElement | null = null;
  window.addEventListener('focus', () => {
    if (focusWhenBack?.isConnected) focusWhenBack.focus({ preventScroll: true });
    focusWhenBack = null;
  });
  document.addEventListener('focusin', (e) => {
    const key = (e.target as HTMLElement).dataset?.key;
    if (key) lastFocusedKey = key;
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // From the host, which built it: only its shape is checked.
    const msg = event.data as PageUpdate<Model, Options> | OwnUpdate | undefined;
    if (!msg || typeof msg !== 'object') return;
    if (!isPageUpdate<Model, Options, OwnUpdate>(msg)) {
      spec.receive?.(msg);
      return;
    }
    switch (msg.type) {
      case 'state': {
        stateArrived = performance.now();
        const options = spec.parseOptions(msg.options);
        vscode.save({ options });
        spec.render(msg.model, options);
        return;
      }
      case 'announce':
        announce(msg.message);
        // Before any state (a workspace without a backlog yet), the sentence is all the page has
        // to show: a screen reader hears it, and everyone else reads it.
        if (stateArrived === 0) {
          const app = document.getElementById('app');
          app?.replaceChildren(h('p', { class: 'empty' }, msg.message));
          app?.removeAttribute('aria-busy');
        }
        return;
    }
  });
  return {
    initialOptions,
    post: (message) => vscode.post(message),
    setOptions: (options) => {
      vscode.save({ options });
      vscode.post({ type: 'setOptions', options });
    },
    focusedKey: () => (document.activeElement as HTMLElement | null)?.dataset?.key ?? lastFocusedKey,
    drawn: (cards) => requestAnimationFrame(() => requestAnimationFrame(() => vscode.post({ type: 'drawn', cards, ms: performance.now() - stateArrived }))),
    ready: () => vscode.post({ type: 'ready' }),
    restoreFocus: (el) => {
      if (!el) return;
      if (document.hasFocus()) el.focus({ preventScroll: true });
      else focusWhenBack = el;
    },
  };
}
