// Text from backlog files and code, made safe to print to a terminal. A title, a status, a file
// name or a TODO comment can hold ESC and the other control characters: printed raw, `ESC [2J`
// clears the screen, `ESC ] 8 ;; url BEL` makes a hidden link, `ESC ] 0 ; … BEL` sets the window
// title, and the bidirectional controls reorder what the reader sees (Trojan Source). Human output
// shows each of them as a visible escape (`\x1b`, `\u202e`); `--json` keeps the exact strings, which
// JSON escapes itself.

/** Whether a UTF-16 code unit is printed as an escape. */
function unsafe(c: number): boolean {
  return (
    c <= 0x1f || // C0 controls: ESC, BEL, BS, CR, LF, TAB…
    (c >= 0x7f && c <= 0x9f) || // DEL and the C1 controls (0x9b is a one-byte CSI)
    c === 0x061c || // ARABIC LETTER MARK
    c === 0x200e ||
    c === 0x200f || // LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK
    (c >= 0x202a && c <= 0x202e) || // embeddings and overrides
    (c >= 0x2066 && c <= 0x2069) || // isolates
    c === 0x2028 ||
    c === 0x2029 // line and paragraph separators
  );
}

const NAMED: Partial<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

/** `text` with every control and bidirectional-formatting character written as a visible escape. */
export function forTerminal(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!unsafe(c)) continue;
    out += text.slice(from, i) + (NAMED[c] ?? (c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`));
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * What `--json` prints. A number JSON has no word for (NaN, ±Infinity) is written as null, never
 * as a bare `Infinity` a JSON reader would refuse; readers refuse such values in files anyway.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

/**
 * Collects printed lines and hands them to `write` in blocks of about 64 KiB, and the rest on
 * `flush`: a process printing 10,000 lines one write each spends more on the writes than on the
 * lines. Flush before anything goes to stderr, so that the two keep their order on a terminal.
 */
export class LineBuffer {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly write: (text: string) => void) {}

  line(text: string): void {
    this.lines.push(text);
    this.size += text.length + 1;
    if (this.size >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    this.size = 0;
    this.write(text);
  }
}
