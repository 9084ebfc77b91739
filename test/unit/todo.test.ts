import * as assert from 'assert';
import fc from 'fast-check';
import * as v8 from 'v8';
import * as vm from 'vm';
import { commentSyntaxFor, LINE_BY_LINE_CHARS, readRef, TodoMatcher, todosInText, todosOnLines } from '../../src/core/todo/todo';
import { referenceFindInText } from './todoReference';

const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'], prefixes: ['BL', 'TASK'] });
const find = (path: string, text: string) => matcher.findInText(text, commentSyntaxFor(path)!);
const brief = (path: string, text: string) => find(path, text).map((t) => [t.line, t.tag, t.ref?.id ?? '-', t.text]);

describe('the TODO matcher', () => {
  // Each row: a file, its text, and the TODOs a person sees in it: [line, tag, reference, text].
  const table: [string, string, string, [number, string, string, string][]][] = [
    ['TypeScript line comments', 'a.ts', '// TODO(BL-21): debounce map redraws\nconst x = 1; // FIXME [BL-30] retry on 503', [[0, 'TODO', 'BL-21', 'debounce map redraws'], [1, 'FIXME', 'BL-30', 'retry on 503']]],
    ['a block comment over lines', 'a.ts', '/* HACK(BL-26) hand-rolled\n * TODO: second\n   BUG: third */ const y = 2;', [[0, 'HACK', 'BL-26', 'hand-rolled'], [1, 'TODO', '-', '* TODO: second'.slice(8)], [2, 'BUG', '-', 'third']]],
    ['Python, with a docstring that is not a comment', 'a.py', 'x = 1  # XXX remove once API v2 ships\n"""\nTODO: in a docstring\n"""\n# TODO BL-12.01: subtask', [[0, 'XXX', '-', 'remove once API v2 ships'], [4, 'TODO', 'BL-12.01', 'subtask']]],
    ['SQL', 'm.sql', "-- TODO(BL-33): index on route_id\nSELECT 'TODO' FROM t; -- BUG: wrong", [[0, 'TODO', 'BL-33', 'index on route_id'], [1, 'BUG', '-', 'wrong']]],
    ['shell and YAML', 'ci.yml', 'steps: # TODO(task-7): cache\n  run: echo "# TODO not a comment"', [[0, 'TODO', 'task-7', 'cache']]],
    ['HTML and Markdown comments', 'a.html', '<p>TODO: visible text</p><!-- TODO(BL-1): fix -->\n<!-- FIXME\n TODO: inside -->', [[0, 'TODO', 'BL-1', 'fix'], [1, 'FIXME', '-', ''], [2, 'TODO', '-', 'inside']]],
    ['CSS', 'a.css', '.x { color: red; } /* HACK(BL-9): Safari */', [[0, 'HACK', 'BL-9', 'Safari']]],
    ['Lisp-style semicolons', 'a.el', '(setq x 1) ; TODO: tidy', [[0, 'TODO', '-', 'tidy']]],
    ['an owner in parentheses is not a reference', 'a.ts', '// TODO(alice): ask design', [[0, 'TODO', '-', 'ask design']]],
    ['two tags in one comment', 'a.ts', '// TODO: one FIXME(BL-2): two', [[0, 'TODO', '-', 'one'], [0, 'FIXME', 'BL-2', 'two']]],
    ['CRLF line ends', 'a.ts', '// TODO(BL-1): crlf\r\nconst z = 3;\r\n', [[0, 'TODO', 'BL-1', 'crlf']]],
  ];
  for (const [name, path, text, expected] of table) {
    it(`reads ${name}`, () => assert.deepStrictEqual(brief(path, text), expected));
  }

  // What other tools got wrong: none of these is a TODO.
  const notTodos: [string, string, string][] = [
    ['a tag inside a string', 'a.ts', 'const s = "TODO: later"; const t = \'FIXME\';'],
    ['a tag inside a template literal', 'a.ts', 'const s = `HACK ${x}`;'],
    ['an identifier that contains a tag', 'a.ts', 'const TODONOW = 1; // MYTODO and TODOS are words'],
    ['lower-case prose', 'a.ts', '// remember the todo list'],
    ['code outside comments', 'a.py', 'TODO = load()  # nothing to do here'],
    ['a file without comments', 'a.json', '{"TODO": 1}'],
  ];
  for (const [name, path, text] of notTodos) {
    it(`does not take ${name}`, () => {
      const syntax = commentSyntaxFor(path);
      assert.deepStrictEqual(syntax ? matcher.findInText(text, syntax) : [], []);
    });
  }

  it('takes only configured prefixes as references, so UTF-8 and 2026-08 are not items', () => {
    const todos = find('a.ts', '// TODO(UTF-8): encoding\n// TODO 2026-08 release\n// FIXME(GT-404): other tracker');
    assert.deepStrictEqual(todos.map((t) => t.ref), [undefined, undefined, undefined]);
    assert.strictEqual(todos[0].text, 'encoding', 'parentheses after a tag are metadata, like an owner');
  });

  it('points at the tag and the reference precisely', () => {
    const [t] = find('a.ts', 'let a; // TODO(BL-21): x');
    assert.deepStrictEqual([t.column, t.ref!.column, t.ref!.endColumn, t.endColumn], [10, 15, 20, 24]);
  });

  it('reads single lines as ripgrep reports them, doc-comment continuations included', () => {
    const syntax = commentSyntaxFor('a.ts')!;
    assert.strictEqual(matcher.findInLine(' * TODO(BL-4): in a doc comment', 7, syntax)[0].ref?.id, 'BL-4');
    assert.deepStrictEqual(matcher.findInLine('const s = "TODO";', 0, syntax), []);
  });

  it('gives ripgrep an ASCII word-boundary pattern', () => {
    assert.strictEqual(matcher.ripgrepPattern(), '(?-u:\\b)(?:TODO|FIXME|HACK|XXX|BUG)(?-u:\\b)');
  });

  it('finds every TODO written into a comment, whatever the text around it', () => {
    const words = fc.stringMatching(/^[a-z][a-z ]{0,20}$/);
    fc.assert(
      fc.property(fc.constantFrom('TODO', 'FIXME', 'HACK'), fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }), words, fc.constantFrom('a.ts', 'a.py', 'a.sql', 'a.css'), (tag, n, text, path) => {
        const body = `${tag}${n !== undefined ? `(BL-${n})` : ''}: ${text}`;
        const syntax = commentSyntaxFor(path)!;
        const comment = syntax.line.length > 0 ? `${syntax.line[0]} ${body}` : `/* ${body} */`;
        const [t, ...rest] = matcher.findInText(`x = "${tag}";\n${comment}\n`, syntax);
        assert.deepStrictEqual(rest, []);
        assert.strictEqual(t.line, 1);
        assert.strictEqual(t.ref?.id, n !== undefined ? `BL-${n}` : undefined);
        assert.strictEqual(t.text, text.trim());
      }),
      { numRuns: 300 },
    );
  });

  it('reads a reference as the regular expression it replaces would, without its backtracking', () => {
    const prefixes = ['TASK', 'BLX', 'BL'];
    const re = /^\s*[([]?\s*((?:TASK|BLX|BL)-\d+(?:\.\d+)*)\s*[)\]]?/i;
    const piece = fc.constantFrom(' ', '\t', '\u00a0', '(', '[', ')', ']', 'bl', 'BL', 'blx', 'Task', '-', '.', '0', '7', '42', ':', 'x', 'ſ', 'K');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (s) => {
        const m = re.exec(s);
        const r = readRef(s, 0, prefixes);
        assert.deepStrictEqual(r && { id: s.slice(r.idStart, r.idEnd), end: r.end }, m ? { id: m[1], end: m[0].length } : undefined, JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes time linear in the line, however long its runs of spaces, tags or brackets', () => {
    const n = 1 << 20;
    const tags = 200_000;
    const lines = ['// TODO' + ' '.repeat(n) + 'x', '// TODO a' + '\t'.repeat(n) + 'b', '# TODO' + ' '.repeat(n) + '(alice', '// ' + 'TODO '.repeat(tags), '/*'.repeat(n / 2) + ' TODO', '// TODO BL-1' + '.1'.repeat(n / 2)];
    const started = Date.now();
    for (const line of lines) {
      for (const path of ['a.ts', 'a.py']) {
        matcher.findInLine(line, 0, commentSyntaxFor(path)!);
        matcher.findInText(line, commentSyntaxFor(path)!);
      }
    }
    // About half a second when linear; a quadratic step on a 1 MiB run takes many minutes.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.strictEqual(matcher.findInLine('// ' + 'TODO '.repeat(tags), 0, commentSyntaxFor('a.ts')!).length, tags, 'every tag, and no stack overflow');
  });

  it('places ripgrep hits on their own lines, and asks for the whole file only when it must', () => {
    const ts = commentSyntaxFor('a.ts')!;
    assert.deepStrictEqual(todosOnLines(matcher, [{ line: 3, text: '// TODO(BL-1): a' }], commentSyntaxFor('a.c')!)?.map((t) => [t.line, t.ref?.id]), [[3, 'BL-1']]);
    // In TypeScript the line could be inside a template literal: only the file can tell.
    assert.strictEqual(todosOnLines(matcher, [{ line: 3, text: '// TODO(BL-1): a' }], ts), undefined);
    assert.deepStrictEqual(todosOnLines(matcher, [{ line: 1, text: '// TODO(BL-1): a' }], ts, 'x();\n// TODO(BL-1): a\n')?.map((t) => [t.line, t.ref?.id]), [[1, 'BL-1']]);
    // A tag on a line of a multi-line block comment that has no `*`: only the file can tell.
    assert.strictEqual(todosOnLines(matcher, [{ line: 1, text: '   TODO: inside a block' }], ts), undefined);
    assert.deepStrictEqual(todosOnLines(matcher, [{ line: 1, text: '   TODO: inside a block' }], ts, '/*\n   TODO: inside a block\n*/')?.map((t) => [t.line, t.text]), [[1, 'inside a block']]);
    // A tag in a string, in a language without block comments: the line alone says "no TODO".
    assert.deepStrictEqual(todosOnLines(matcher, [{ line: 0, text: 'echo "TODO"' }], commentSyntaxFor('a.sh')!), []);
  });

  it('takes a comment line in a Python docstring as rg shows it, and prose there as not a comment', () => {
    const text = 'def f():\n    """Loads.\n\n    # TODO(BL-42): a comment line, as rg reports it\n    TODO: prose in the docstring\n    """\n    return 1  # FIXME: retry\n';
    const found = todosInText(matcher, text, commentSyntaxFor('a.py')!).map((t) => [t.line, t.tag, t.ref?.id ?? '-']);
    assert.deepStrictEqual(found, [
      [3, 'TODO', 'BL-42'],
      [6, 'FIXME', '-'],
    ]);
  });

  it('decides a long text line by line only, from rg\'s lines and from the text alike', () => {
    const ts = commentSyntaxFor('a.ts')!;
    const short = '/*\n   TODO: inside a block\n*/\n// FIXME: own line\nconst s = "HACK";\n';
    const long = short + `const pad = 1;\n`.repeat(LINE_BY_LINE_CHARS / 14);
    assert.ok(long.length > LINE_BY_LINE_CHARS);
    const brief = (todos: readonly { line: number; tag: string }[] | undefined) => todos?.map((t) => `${t.line} ${t.tag}`);
    assert.deepStrictEqual(brief(todosInText(matcher, short, ts)), ['1 TODO', '3 FIXME']);
    // The block's inner line needs the text around it, which a long text does not get.
    assert.deepStrictEqual(brief(todosInText(matcher, long, ts)), ['3 FIXME']);
    assert.strictEqual(todosOnLines(matcher, matcher.hitLines(long), ts), undefined);
    assert.deepStrictEqual(brief(todosOnLines(matcher, matcher.hitLines(long), ts, long)), ['3 FIXME']);
  });

  it('reports the lines ripgrep would: one per line holding a tag, numbered from zero, CR removed before LF', () => {
    const piece = fc.constantFrom('TODO', 'FIXME', 'TODONOW', 'xTODO', ' ', '\n', '\r\n', '\r', 'a', '_', 'é', '//', '#');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join('')), (text) => {
        const lines = text.split('\n');
        const expected = lines.flatMap((l, i) => {
          const line = i < lines.length - 1 && l.endsWith('\r') ? l.slice(0, -1) : l;
          return /(?<![A-Za-z0-9_])(TODO|FIXME|HACK|XXX|BUG)(?![A-Za-z0-9_])/.test(l) ? [{ line: i, text: line }] : [];
        });
        assert.deepStrictEqual(matcher.hitLines(text), expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds in a whole text what the first, plain comment analysis found, in every language, and as much up to any line', () => {
    // Every marker of every syntax, escapes, line ends and tags, so that strings, comments and
    // their ends meet in every order.
    const piece = fc.constantFrom('//', '/*', '*/', '#', '--', '--[[', ']]', ';', '<!--', '-->', '"', "'", '`', '"""', "'''", '\\', ' ', 'x', '*', '/', '-', 'é', 'TODO', 'FIXME(BL-3): fix', '\n', '\n', '\r\n', '\r');
    const files = ['a.ts', 'a.go', 'a.c', 'a.py', 'a.sh', 'a.sql', 'a.lua', 'a.el', 'a.html', 'a.css', 'a.scss'];
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), fc.constantFrom(...files), fc.nat(12), (text, path, last) => {
        const syntax = commentSyntaxFor(path)!;
        const expected = referenceFindInText(matcher, text, syntax);
        assert.deepStrictEqual(matcher.findInText(text, syntax), expected);
        assert.deepStrictEqual(matcher.findInText(text, syntax, last), expected.filter((t) => t.line <= last));
      }),
      { numRuns: 5000 },
    );
  });

  it('carries comments and strings left open over lines without tags as the first analysis does', () => {
    // Lines without a tag are passed over unread unless something is open or could open on
    // them: texts of many short lines, rich in the markers that leave something open.
    const piece = fc.constantFrom('`', '/*', '*/', '"""', "'''", '--[[', ']]', '<!--', '-->', '"', "'", '//', '#', '--', '\\', 'x', 'TODO', '\n', '\n', '\n', '\r\n');
    const files = ['a.ts', 'a.go', 'a.c', 'a.py', 'a.lua', 'a.html', 'a.css'];
    fc.assert(
      fc.property(fc.array(piece, { minLength: 5, maxLength: 60, size: 'max' }).map((p) => p.join('')), fc.constantFrom(...files), (text, path) => {
        const syntax = commentSyntaxFor(path)!;
        assert.deepStrictEqual(matcher.findInText(text, syntax), referenceFindInText(matcher, text, syntax));
      }),
      { numRuns: 3000 },
    );
  });

  it('decides a file the same from the lines rg reports, which may be more than the matcher\'s, as from its text', () => {
    // rg's pattern gives every line the matcher's does, and more where a tag does not start or
    // end with a word character (`@todo`); lines without a tag add nothing.
    const piece = fc.constantFrom('// ', '/* ', ' */', '# ', '"""', '"', "'", '`', 'TODO', 'FIXME(BL-3)', 'xTODO', ': fix', ' * ', 'x = 1', '\n', '\n', '\r\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }).map((p) => p.join('')), fc.constantFrom('a.ts', 'a.py', 'a.sh', 'a.sql', 'a.html', 'a.lua'), fc.array(fc.nat(8)), (text, path, extra) => {
        const syntax = commentSyntaxFor(path)!;
        const lines = text.split('\n').map((l, i, all) => ({ line: i, text: i < all.length - 1 && l.endsWith('\r') ? l.slice(0, -1) : l }));
        const hits = matcher.hitLines(text);
        const more = [...new Map([...hits, ...extra.flatMap((n) => lines[n] ?? [])].map((h) => [h.line, h])).values()].sort((a, b) => a.line - b.line);
        assert.deepStrictEqual(todosOnLines(matcher, more, syntax, text), todosInText(matcher, text, syntax));
      }),
      { numRuns: 2000 },
    );
  });

  it('decides a file the same from its hit lines as from its text, reading the text only when a line needs it', () => {
    const piece = fc.constantFrom('// ', '/* ', ' */', '# ', '"""', '"', "'", '`', 'TODO', 'FIXME(BL-3)', ': fix', ' * ', 'x = 1', '\n', '\n', '\r\n');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }).map((p) => p.join('')), fc.constantFrom('a.ts', 'a.py', 'a.sh', 'a.sql', 'a.html', 'a.lua'), (text, path) => {
        const syntax = commentSyntaxFor(path)!;
        const whole = todosInText(matcher, text, syntax);
        const fromLines = todosOnLines(matcher, matcher.hitLines(text), syntax);
        if (fromLines !== undefined) assert.deepStrictEqual(fromLines, whole);
        assert.deepStrictEqual(todosOnLines(matcher, matcher.hitLines(text), syntax, text), whole);
        // Nothing is found off the lines a search reports.
        const hit = new Set(matcher.hitLines(text).map((h) => h.line));
        assert.ok(whole.every((t) => hit.has(t.line)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the TODOs a scan keeps', () => {
  it('do not hold their files’ texts in memory', () => {
    // The Tech Debt view and `backlog-atlas todos` keep every TODO of a tree; each used to keep
    // the whole text of its file alive with it (V8's slices are views into their parent).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const matcher = new TodoMatcher({ tags: ['TODO'], prefixes: ['BL'] });
    const syntax = commentSyntaxFor('a.ts')!;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = [];
    for (let n = 0; n < 40; n++) {
      // Files just small enough to be read whole (template literals: the whole text decides).
      const filler = `const x${n} = \`${'y'.repeat(64)}\`;\n`.repeat(Math.floor(LINE_BY_LINE_CHARS / 80));
      kept.push(todosInText(matcher, `${filler}// TODO(BL-${n}): tidy the module number ${n} up\n`, syntax));
    }
    gc();
    const grew = process.memoryUsage().heapUsed - before;
    assert.deepEqual(kept.map((t) => t.map((m) => m.text)), Array.from({ length: 40 }, (_, n) => [`tidy the module number ${n} up`]));
    assert.ok(grew < 2 * 1024 * 1024, `40 TODOs hold ${(grew / 1024 / 1024).toFixed(1)} MiB`);
  });
});
