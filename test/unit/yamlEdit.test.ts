import * as assert from 'assert';
import fc from 'fast-check';
import { parse } from 'yaml';
import { applyEdits, FieldValue, setYamlKey } from '../../src/core/format/yamlEdit';

const set = (src: string, key: string, value: FieldValue, eol = '\n', path: Parameters<typeof setYamlKey>[1] = []) => {
  const r = setYamlKey(src, path, key, value, eol);
  if (!r.ok) throw new Error(r.message);
  return applyEdits(src, r.edits);
};

// Golden edits: the expected file is the input with exactly the value's bytes changed.
describe('byte-preserving YAML edits', () => {
  const lf = [
    '# Owned by the platform team',
    'id: BL-7   # do not change',
    "title: 'Offline maps'",
    'status: To Do',
    'labels: [maps, offline]   # flow',
    'assignee:',
    "  - '@maria'  # lead",
    '  - "@sam"',
    'estimate: 3',
    'custom: {keep: [1, 2]}',
    '',
  ].join('\n');

  const golden: [string, string, FieldValue, string][] = [
    ['a plain scalar', 'status', 'In Progress', lf.replace('status: To Do', 'status: In Progress')],
    ['a single-quoted scalar keeps its quotes', 'title', "Hikers' maps", lf.replace("title: 'Offline maps'", "title: 'Hikers'' maps'")],
    ['a number', 'estimate', 5, lf.replace('estimate: 3', 'estimate: 5')],
    ['a flow list, item by item', 'labels', ['maps', 'sync'], lf.replace('labels: [maps, offline]', 'labels: [maps, sync]')],
    ['a flow list that grows', 'labels', ['maps', 'offline', 'ux'], lf.replace('labels: [maps, offline]', 'labels: [maps, offline, ux]')],
    ['a flow list that shrinks', 'labels', ['maps'], lf.replace('labels: [maps, offline]', 'labels: [maps]')],
    ['a block list keeps comments and quotes', 'assignee', ['@maria', '@jo'], lf.replace('  - "@sam"', '  - "@jo"')],
    ['a block list that grows', 'assignee', ['@maria', '@sam', '@li'], lf.replace('  - "@sam"\n', '  - "@sam"\n  - \'@li\'\n')],
    ['a block list that shrinks', 'assignee', ['@maria'], lf.replace('  - "@sam"\n', '')],
    ['a new key, appended', 'sprint', 'S-14', lf + 'sprint: S-14\n'],
    ['a removed key', 'estimate', null, lf.replace('estimate: 3\n', '')],
    ['a string that looks like null', 'status', 'null', lf.replace('status: To Do', "status: 'null'")],
    ['a string that YAML 1.1 reads as a boolean', 'status', 'yes', lf.replace('status: To Do', "status: 'yes'")],
    ['a string that looks like a number', 'status', '2024.10', lf.replace('status: To Do', "status: '2024.10'")],
    ['a string with a colon and space', 'status', 'Blocked: vendor', lf.replace('status: To Do', "status: 'Blocked: vendor'")],
    ['a string with a newline', 'status', 'two\nlines', lf.replace('status: To Do', 'status: "two\\nlines"')],
  ];
  for (const [name, key, value, expected] of golden) {
    it(`changes ${name} and nothing else`, () => {
      assert.strictEqual(set(lf, key, value), expected);
      const crlf = lf.replace(/\n/g, '\r\n');
      assert.strictEqual(set(crlf, key, value, '\r\n'), expected.replace(/\n/g, '\r\n'), 'CRLF files stay CRLF');
    });
  }

  it('fills an empty `key:` after its colon', () => {
    assert.strictEqual(set('sprint:\nid: BL-1\n', 'sprint', 'S-2'), 'sprint: S-2\nid: BL-1\n');
  });

  it('edits a mapping inside a list, picked by id, keeping comments', () => {
    const src = 'sprints:\n  - id: S-1  # first\n    state: active # now\n  - id: S-2\n    name: Two\n';
    assert.strictEqual(set(src, 'state', 'closed', '\n', ['sprints', { id: 'S-1' }]), src.replace('state: active', 'state: closed'));
    assert.strictEqual(set(src, 'goal', 'Ship it', '\n', ['sprints', { id: 'S-2' }]), src + '    goal: Ship it\n');
    const committed = set(src, 'committed', [{ id: 'BL-1', estimate: 3 }], '\n', ['sprints', { id: 'S-2' }]);
    assert.deepStrictEqual(parse(committed).sprints[1].committed, [{ id: 'BL-1', estimate: 3 }]);
  });

  it('refuses YAML that does not parse', () => {
    const r = setYamlKey('a: [unclosed\n', [], 'a', 'x', '\n');
    assert.strictEqual(r.ok, false);
  });

  it('refuses to remove a key that shares its line with others', () => {
    const r = setYamlKey('m: {a: 1, b: 2}\n', ['m'], 'a', null, '\n');
    assert.strictEqual(r.ok, false);
  });
});

// Properties: for any value, the edit reads back as that value, every other value is unchanged,
// and every byte outside the edited value is unchanged.
describe('YAML edit properties', () => {
  const base = "# c\nid: BL-1 # keep\ntitle: 'A'\nlabels: [a, b]\nsteps:\n  - x\nz: 1\n";
  const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => s.trim() !== '');
  const anyText = fc.oneof(text, fc.constantFrom('null', 'yes', 'No', '~', '2024.10', '0x1F', '1e3', '- a', '#x', 'a: b', "it's", '"q"', '@me', '[x]', '{y}', ' lead', 'tail ', 'a\tb', '\u2028', 'é'));
  const value: fc.Arbitrary<FieldValue> = fc.oneof(anyText, fc.integer({ min: 0, max: 1000 }), fc.array(anyText, { maxLength: 4 }));
  const key = fc.constantFrom('title', 'labels', 'id', 'new_key', 'z', 'steps');

  it('reads back what was set, and leaves every other value alone', () => {
    fc.assert(
      fc.property(key, value, fc.constantFrom('\n', '\r\n'), (k, v, eol) => {
        const src = base.replace(/\n/g, eol);
        const r = setYamlKey(src, [], k, v, eol);
        if (!r.ok) {
          // Refusing is allowed only for replacing a list with a scalar or a scalar with a list in block style.
          return Array.isArray(v) !== Array.isArray(parse(src)[k]) && parse(src)[k] !== undefined;
        }
        const out = applyEdits(src, r.edits);
        const before = parse(src);
        const after = parse(out);
        assert.deepStrictEqual(after[k], v);
        for (const other of Object.keys(before)) if (other !== k) assert.deepStrictEqual(after[other], before[other]);
        // Bytes outside the edits are untouched: the text before the first edit and after the last are equal.
        const first = Math.min(...r.edits.map((e) => e.offset));
        const last = Math.max(...r.edits.map((e) => e.offset + e.length));
        assert.strictEqual(out.slice(0, first), src.slice(0, first));
        assert.strictEqual(out.slice(out.length - (src.length - last)), src.slice(last));
        if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(out), 'no bare LF enters a CRLF file');
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it('never changes a byte of a comment', () => {
    fc.assert(
      fc.property(key, value, (k, v) => {
        const r = setYamlKey(base, [], k, v, '\n');
        if (!r.ok) return true;
        const out = applyEdits(base, r.edits);
        assert.ok(out.includes('# c\n') && out.includes('# keep'));
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('entries left out of a block list', () => {
  it('property: only the lines of the entries left out go; every kept line stays as it was, comment and all', () => {
    const entry = fc.record({ id: fc.integer({ min: 1, max: 99 }), comment: fc.option(fc.constantFrom('# keep me', '#x', '# a: b'), { nil: undefined }) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 6, selector: (e) => e.id }), fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), (entries, keep, eol) => {
        const lines = entries.map((e) => `  - BL-${e.id}${e.comment ? `  ${e.comment}` : ''}`);
        const src = ['id: BL-100', 'dependencies:', ...lines, 'z: 1', ''].join(eol);
        const kept = lines.filter((_, i) => keep[i]);
        const value = entries.filter((_, i) => keep[i]).map((e) => `BL-${e.id}`);
        const out = set(src, 'dependencies', value, eol);
        assert.deepStrictEqual(parse(out).dependencies ?? [], value);
        // Left out down to nothing, the list is `[]`; otherwise each kept line is there, unchanged and in order.
        if (value.length > 0) assert.strictEqual(out, ['id: BL-100', 'dependencies:', ...kept, 'z: 1', ''].join(eol));
      }),
      { numRuns: 300 },
    );
  });
});
