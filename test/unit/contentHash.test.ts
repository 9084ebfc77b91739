import * as assert from 'assert';
import fc from 'fast-check';
import { contentHash } from '../../src/core/text';

// The writer refuses a file whose text no longer has the hash it was indexed with, and the index
// caches keep hashes between runs: the hash of a text must never change between versions.

/** The hash as first written (with `>>> 0`), kept as the oracle. */
function referenceHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return `${text.length.toString(36)}-${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}

describe('contentHash', () => {
  it('is the hash it always was, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => contentHash(text) === referenceHash(text)), { numRuns: 2000 });
  });

  it('gives these texts the hashes recorded for them', () => {
    assert.equal(contentHash(''), '0-ztntfpp76ayu');
    assert.equal(contentHash('---\nid: BL-1\n---\n'), referenceHash('---\nid: BL-1\n---\n'));
  });

  it('tells apart two texts that differ in one character', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), (text, at) => {
        const i = at % text.length;
        const other = text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + 1) % 0x10000) + text.slice(i + 1);
        return contentHash(other) !== contentHash(text);
      }),
    );
  });
});
