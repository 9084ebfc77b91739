// Bytes as text through Node's Buffer, which builds a one-byte string of them at the speed of a
// copy: the TODO scan's `ScanFileSystem.asciiText` and `latin1Text`, for the command line and
// the extension host alike.
import { isAscii } from 'buffer';

export { isAscii };

/** Bytes that are all ASCII as a one-byte string, else undefined. */
export function asciiText(bytes: Uint8Array): string | undefined {
  return isAscii(bytes) ? latin1Text(bytes) : undefined;
}

/** The bytes as text, one character per byte. */
export function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
