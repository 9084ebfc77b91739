// Decoding user files: bytes in, text plus what must be kept byte-for-byte out.

export interface DecodedText {
  /** Text without the BOM. */
  text: string;
  bom: boolean;
  eol: '\n' | '\r\n';
}

export type DecodeResult =
  | { ok: true; value: DecodedText }
  | { ok: false; code: 'binary' | 'encoding'; message: string; line: number; column: number };

const BOM = '\uFEFF';

/**
 * Decodes UTF-8 strictly. A NUL byte in the first 8 KiB marks a binary file (git's rule), and
 * invalid UTF-8 is reported at the first bad byte rather than silently replaced.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  // indexOf is a native scan; a loop here was a twentieth of reading 10,000 items.
  if (bytes.subarray(0, 8192).indexOf(0) !== -1) {
    return { ok: false, code: 'binary', message: 'This is a binary file, not a Markdown or YAML backlog file.', line: 0, column: 0 };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
    const pos = positionAt(lineStarts(before), before.length);
    return {
      ok: false,
      code: 'encoding',
      message: `Invalid UTF-8 at byte ${at}: save the file as UTF-8.`,
      line: pos.line,
      column: pos.column,
    };
  }
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(1);
  const firstLf = text.indexOf('\n');
  const eol = firstLf > 0 && text[firstLf - 1] === '\r' ? '\r\n' : '\n';
  return { ok: true, value: { text, bom, eol } };
}

export function encodeText(decoded: DecodedText): Uint8Array {
  return new TextEncoder().encode((decoded.bom ? BOM : '') + decoded.text);
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}

/** Offsets at which each line starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo] };
}

/** `contentHash`'s two hashes read as unsigned 32-bit numbers. */
const UNSIGNED = new Uint32Array(2);

/**
 * A short fingerprint of a file's content. The writer compares it to refuse edits to a file
 * that changed since it was indexed: mtime and size miss same-size edits, content does not.
 */
export function contentHash(text: string): string {
  // FNV-1a over UTF-16 code units, two independent seeds; with the length this makes an
  // accidental match between two versions of one file vanishingly unlikely.
  // Every value stays a 32-bit integer (`| 0`, and the unsigned view through a typed array):
  // `h >>> 0` on a hash at or above 2^31 made V8 throw away the optimised code of every caller
  // that inlined this function, once per file, which was 250 ms of a 10,000-item index.
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  UNSIGNED[0] = h1;
  UNSIGNED[1] = h2;
  return `${text.length.toString(36)}-${UNSIGNED[0].toString(36)}${UNSIGNED[1].toString(36)}`;
}

/** An error's one-line message, for a notification or a CLI's stderr. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An error with its stack where there is one, for a log a developer will read. */
export function errorDetail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
