import * as assert from 'assert';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile } from '../../src/core/format/itemFile';
import { parseRoadmap, parseSprints, parseStoryMap } from '../../src/core/format/plans';
import { parseYamlSafe } from '../../src/core/format/yamlSafe';

const enc = (s: string) => new TextEncoder().encode(s);
const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };

// Files written to hurt a parser. Each must produce a diagnostic, and parsing each many times in a
// row must neither throw nor exhaust memory or the stack.
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
for (let i = 1; i < 12; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);

const hostile: [string, string, RegExp][] = [
  ['billion laughs (alias bomb)', laughs.join('\n'), /^yaml-aliases$/],
  ['deep flow nesting', 'id: BL-1\ntitle: ' + '['.repeat(100_000) + ']'.repeat(100_000), /^yaml-too-deep$/],
  ['deep block nesting', 'id: BL-1\nx:\n' + Array.from({ length: 400 }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n'), /^yaml-too-deep$/],
  ['compact nested sequences', 'x:\n' + '- '.repeat(5000) + 'a', /^yaml-too-deep$/],
  ['an enormous document', 'id: BL-1\ntitle: ' + 'a'.repeat(2 * 1024 * 1024), /^yaml-too-large$/],
  ['many duplicate keys', Array.from({ length: 5000 }, () => 'k: v').join('\n'), /^yaml-duplicate-key$/],
  ['an unclosed flow mapping', 'id: {a: [b, {c: d', /^yaml-/],
  ['a tag the schema does not know', 'id: !!js/function "function(){}"\ntitle: A', /^yaml-tag-resolve-failed$/],
];

describe('hostile YAML', () => {
  for (const [name, yaml, code] of hostile) {
    it(`gives a diagnostic for ${name}, every time`, function () {
      this.timeout(60_000);
      for (let round = 0; round < 25; round++) {
        const r = parseYamlSafe(yaml);
        assert.ok(r.problems.some((p) => code.test(p.code)), `round ${round}: expected ${code}, got ${r.problems.map((p) => p.code).join(', ')}`);
        const item = parseItemFile('/ws/backlog/tasks/x.md', enc(`---\n${yaml}\n---\n`), ctx);
        assert.ok(item.diagnostics.length > 0);
        assert.strictEqual(item.item, undefined, 'a hostile file yields no item');
      }
    });
  }

  it('survives random bytes and random YAML punctuation in every parser', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = '-:[]{}&*!|>\'"%@`#,? \n\tabc01\\';
    for (let round = 0; round < 500; round++) {
      const len = Math.floor(rand() * 200);
      const s = Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const bytes = round % 2 === 0 ? enc(s) : Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
      for (const parse of [parseSprints, parseRoadmap, parseStoryMap]) assert.doesNotThrow(() => parse('/ws/backlog/x.yml', bytes));
      assert.doesNotThrow(() => parseItemFile('/ws/backlog/tasks/x.md', enc(`---\n${s}\n---\n`), ctx));
    }
  });

  it('refuses an item file over 1 MiB before decoding it', () => {
    const r = parseItemFile('/ws/backlog/tasks/x.md', new Uint8Array(1024 * 1024 + 1), ctx);
    assert.strictEqual(r.diagnostics[0].code, 'too-large');
  });
});
