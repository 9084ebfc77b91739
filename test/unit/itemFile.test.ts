import * as assert from 'assert';
import { defaultConfig } from '../../src/core/format/config';
import { parseItemFile } from '../../src/core/format/itemFile';

const ctx = { root: '/ws/backlog', folder: 'tasks' as const, config: defaultConfig() };
const enc = (s: string) => new TextEncoder().encode(s);
const parse = (text: string | Uint8Array) => parseItemFile('/ws/backlog/tasks/x.md', typeof text === 'string' ? enc(text) : text, ctx);

describe('item files', () => {
  it('reads Backlog.md keys and ours, keeping unknown keys', () => {
    const r = parse(
      [
        '---',
        'id: BL-12',
        "title: 'Sign in: with Google'",
        'status: In Progress',
        'assignee:',
        "  - '@maria'",
        'labels: [auth, onboarding]',
        'dependencies: [bl-7]',
        'type: Story',
        'priority: HIGH',
        'estimate: 5',
        'size: m',
        'rank: a0V',
        'sprint: S-14',
        'release: R-1',
        'epic: BL-3',
        'theme: T-2',
        'step: sign-in',
        'parent_task_id: BL-1',
        "created_date: '2026-10-01 09:30'",
        'x_custom: {keep: me}',
        '---',
        'Body',
      ].join('\n'),
    );
    assert.deepStrictEqual(r.diagnostics, []);
    const i = r.item!;
    assert.strictEqual(i.id, 'BL-12');
    assert.strictEqual(i.key, 'BL-12');
    assert.strictEqual(i.title, 'Sign in: with Google');
    assert.deepStrictEqual(i.assignee, ['@maria']);
    assert.deepStrictEqual(i.labels, ['auth', 'onboarding']);
    assert.deepStrictEqual(i.dependencies, ['bl-7']);
    assert.strictEqual(i.type, 'story');
    assert.strictEqual(i.priority, 'high');
    assert.strictEqual(i.estimate, 5);
    assert.strictEqual(i.size, 'M');
    assert.strictEqual(i.rank, 'a0V');
    assert.strictEqual(i.parent, 'BL-1');
    assert.strictEqual(i.createdDate, '2026-10-01 09:30');
    assert.deepStrictEqual(i.fields.x_custom, { keep: 'me' });
    assert.strictEqual(i.fieldLines.sprint, 13);
  });

  it('puts each key on its own line after unquoted @handles, which it quotes to read them', () => {
    // Quoting eight handles adds 16 characters before `sprint:`; the lines must not move with them.
    const i = parse('---\nid: BL-1\nassignee: [@a, @b, @c, @d, @e, @f, @g, @h]\nsprint: S-9\nx: 1\ny: 2\ntitle: T\n---\n').item;
    assert.ok(i);
    assert.deepStrictEqual(i.assignee, ['@a', '@b', '@c', '@d', '@e', '@f', '@g', '@h']);
    assert.deepStrictEqual({ ...i.fieldLines }, { id: 1, assignee: 2, sprint: 3, x: 4, y: 5, title: 6 });
  });

  // Each row: a file, the diagnostic code it must produce, and the line (0-based) it points at.
  const bad: [string, string | Uint8Array, string, number][] = [
    ['no front matter', 'Just some notes\n', 'front-matter', 0],
    ['unclosed front matter', '---\nid: BL-1\ntitle: A\n', 'front-matter', 0],
    ['a wrong value type', '---\nid: BL-1\ntitle: A\nestimate: five\n---\n', 'wrong-type', 3],
    ['a negative estimate', '---\nid: BL-1\ntitle: A\nestimate: -3\n---\n', 'wrong-type', 3],
    ['an unknown size', '---\nid: BL-1\ntitle: A\nsize: XXL\n---\n', 'wrong-type', 3],
    ['a list where text belongs', '---\nid: BL-1\ntitle: [a, b]\n---\n', 'wrong-type', 2],
    ['a duplicate key', '---\nid: BL-1\ntitle: A\ntitle: B\n---\n', 'yaml-duplicate-key', 3],
    ['tab indentation', '---\nid: BL-1\ntitle: A\nlabels:\n\t- a\n---\n', 'yaml-tab-as-indent', 4],
    ['a missing id', '---\ntitle: A\n---\n', 'missing-field', 1],
    ['a missing title', '---\nid: BL-1\n---\n', 'missing-field', 1],
    ['an empty front matter', '---\n---\nbody\n', 'missing-field', 1],
    ['front matter that is a list', '---\n- a\n- b\n---\n', 'wrong-type', 1],
    ['broken YAML', '---\nid: BL-1\ntitle: "unterminated\n---\n', 'yaml-missing-char', 2],
    ['a binary file', new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]), 'binary', 0],
    ['invalid UTF-8', new Uint8Array([...enc('---\nid: BL-1\ntitle: '), 0xc3, 0x28, ...enc('\n---\n')]), 'encoding', 2],
  ];
  for (const [name, text, code, line] of bad) {
    it(`reports ${name} at the right line`, () => {
      const r = parse(text);
      const d = r.diagnostics.find((x) => x.code === code);
      assert.ok(d, `expected ${code}, got ${JSON.stringify(r.diagnostics)}`);
      assert.strictEqual(d.line, line, d.message);
      assert.ok(d.message.length > 10, 'the message says what to do');
    });
  }

  it('reads CRLF and a BOM', () => {
    const r = parse('\uFEFF---\r\nid: BL-1\r\ntitle: A\r\nestimate: 3\r\n---\r\n## Description\r\nHello\r\n');
    assert.deepStrictEqual(r.diagnostics, []);
    assert.strictEqual(r.item!.estimate, 3);
    assert.strictEqual(r.item!.description, 'Hello');
    assert.strictEqual(r.decoded!.bom, true);
    assert.strictEqual(r.decoded!.eol, '\r\n');
  });

  it('accepts a comma-separated string where Backlog.md allows a list', () => {
    const r = parse('---\nid: BL-1\ntitle: A\nlabels: ui, auth\n---\n');
    assert.deepStrictEqual(r.item!.labels, ['ui', 'auth']);
  });

  it('warns on a status the config does not know', () => {
    const r = parse('---\nid: BL-1\ntitle: A\nstatus: Blocked\n---\n');
    assert.strictEqual(r.diagnostics[0].code, 'unknown-status');
    assert.strictEqual(r.diagnostics[0].severity, 'warning');
    assert.strictEqual(r.item!.status, 'Blocked');
  });

  it('warns when a rank is a number, which would sort as text differently', () => {
    const r = parse('---\nid: BL-1\ntitle: A\nrank: 10\n---\n');
    assert.strictEqual(r.diagnostics[0].code, 'rank-not-text');
  });

  // The mistakes people make when editing front matter by hand: each message says how to fix it.
  const advice: [string, string, RegExp][] = [
    ['an unquoted colon in a value', 'note: remember: five at most', /Quote a value that contains ': '/],
    ['an unquoted @handle in a block list', 'assignee:\n  - @jo', /Put the value in quotes \('@…'\)/],
    ['an unclosed quote', 'title: "unterminated', /Close it on the same line/],
    ['an unclosed list', 'labels: [a, b\nstatus: To Do', /Close a \[list\]/],
    ["an apostrophe inside single quotes", "title: 'it's broken'", /apostrophe is written twice/],
    ['a duplicate key', 'title: A\ntitle: B', /`title` appears twice; keep one of them/],
  ];
  for (const [name, yaml, pattern] of advice) {
    it(`says how to fix ${name}`, () => {
      const r = parse(`---\nid: BL-1\n${yaml.includes('title') ? '' : 'title: A\n'}${yaml}\n---\n`);
      assert.ok(r.diagnostics.some((d) => pattern.test(d.message)), r.diagnostics.map((d) => d.message).join(' | '));
    });
  }
});
