// The handle VS Code gives a webview page, typed by what this page sends and saves.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** `acquireVsCodeApi` may be called once per page; this wraps that one call with types. */
export function connect<Request, State>(): { post(message: Request): void; state(): unknown; save(state: State): void } {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    // Saved state comes back after a reload from whatever version wrote it: unknown until checked.
    state: () => api.getState(),
    save: (state) => api.setState(state),
  };
}
