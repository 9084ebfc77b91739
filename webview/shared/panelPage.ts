// What every panel page does the same way: restore its options, take the host's state and
// announcements, send option changes, keep track of the focus across redraws, and say when it
// has painted.
import { announce } from './dom';
import { connect } from './vscodeApi';

/** The messages every page sends, whatever else its protocol has. */
type PageRequest<Options> = { type: 'ready' } | { type: 'setOptions'; options: Options } | { type: 'drawn'; cards: number; ms: number };

/** The messages every page receives. */
type PageUpdate<Model> = { type: 'state'; model: Model; options: unknown } | { type: 'announce'; message: string };

export interface PanelPage<Request, Options> {
  /** The options the page was restored with (after a reload), or the defaults. */
  readonly initialOptions: Options;
  post(message: Request): void;
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

export function startPage<Model, Options, Request>(spec: { parseOptions(raw: unknown): Options; render(model: Model, options: Options): void }): PanelPage<Request | PageRequest<Options>, Options> {
  const vscode = connect<Request | PageRequest<Options>, { options: Options }>();
  const restored = vscode.state();
  const initialOptions = spec.parseOptions(typeof restored === 'object' && restored !== null ? (restored as { options?: unknown }).options : undefined);
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
    const msg = event.data as PageUpdate<Model> | undefined;
    if (!msg || typeof msg !== 'object') return;
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
