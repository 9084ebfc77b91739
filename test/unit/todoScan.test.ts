import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TodoMatcher } from '../../src/core/todo/todo';
import { parseRgLine, RgEvent, ripgrepArgs, ripgrepCandidates, RgJsonStream } from '../../src/core/todo/ripgrep';
import { enabledGlobs, ExcludeMatcher, gitignoreGlobs, globToRegExp, looksBinary } from '../../src/core/todo/scanExcludes';
import { groupByFolder, linkTodoEdit } from '../../src/views/trees/techDebtModel';

describe('ripgrep location', () => {
  it('tries every known layout under appRoot, the universal package first', () => {
    const c = ripgrepCandidates('/opt/code/resources/app/', 'linux', 'x64');
    assert.deepEqual(c, [
      '/opt/code/resources/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg',
      '/opt/code/resources/app/node_modules/@vscode/ripgrep/bin/rg',
      '/opt/code/resources/app/node_modules/vscode-ripgrep/bin/rg',
      '/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep-universal/bin/linux-x64/rg',
      '/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg',
      '/opt/code/resources/app/node_modules.asar.unpacked/vscode-ripgrep/bin/rg',
    ]);
  });

  it('looks for rg.exe on Windows', () => {
    assert.ok(ripgrepCandidates('C:\\VS Code\\resources\\app', 'win32', 'arm64').every((p) => p.endsWith('/rg.exe')));
    assert.ok(ripgrepCandidates('C:\\VS Code\\resources\\app', 'win32', 'arm64').some((p) => p.includes('/win32-arm64/')));
  });
});

describe('ripgrep arguments and output', () => {
  it('streams JSON, caps the size, and excludes each glob', () => {
    const args = ripgrepArgs('(?-u:\\b)(?:TODO)(?-u:\\b)', ['**/node_modules', '**/.git']);
    assert.deepEqual(args.slice(0, 6), ['--json', '--no-config', '--max-filesize', '1M', '--hidden', '--no-messages']);
    assert.deepEqual(args.slice(6), ['--glob', '!**/node_modules', '--glob', '!**/.git', '-e', '(?-u:\\b)(?:TODO)(?-u:\\b)', '--', '.']);
  });

  it('parses match and end lines, zero-based, and skips the rest', () => {
    const match = JSON.stringify({ type: 'match', data: { path: { text: './a.ts' }, lines: { text: '// TODO: x\r\n' }, line_number: 3, submatches: [] } });
    const end = JSON.stringify({ type: 'end', data: { path: { text: './a.ts' }, binary_offset: null, stats: { bytes_searched: 42 } } });
    assert.deepEqual(parseRgLine(match), [{ kind: 'match', path: './a.ts', line: 2, text: '// TODO: x' }]);
    assert.deepEqual(parseRgLine(end), [{ kind: 'end', path: './a.ts', bytes: 42 }]);
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'summary', data: { elapsed_total: {} } })), []);
    assert.deepEqual(parseRgLine('{not json'), []);
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'match', data: { path: 'x' } })), []);
  });

  it('decodes paths and lines rg gives as base64 bytes', () => {
    const bytes = (s: string) => ({ bytes: Buffer.from(s, 'latin1').toString('base64') });
    const [ev] = parseRgLine(JSON.stringify({ type: 'match', data: { path: bytes('./caf\xe9.ts'), lines: bytes('// TODO\n'), line_number: 1 } }));
    assert.equal(ev.kind, 'match');
    assert.equal(ev.kind === 'match' && ev.text, '// TODO');
  });

  it('reassembles lines split across chunks', () => {
    const line = JSON.stringify({ type: 'end', data: { path: { text: './b.py' }, stats: { bytes_searched: 7 } } });
    const s = new RgJsonStream();
    const out: RgEvent[] = [...s.push(line.slice(0, 10)), ...s.push(`${line.slice(10)}\n${line.slice(0, 5)}`), ...s.push(line.slice(5)), ...s.end()];
    assert.deepEqual(out, [
      { kind: 'end', path: './b.py', bytes: 7 },
      { kind: 'end', path: './b.py', bytes: 7 },
    ]);
  });

  const rg = spawnSync('rg', ['--version']).status === 0;
  (rg ? it : it.skip)('finds candidate lines with a real rg, honouring .gitignore and the globs (skipped without rg on the PATH)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-rg-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.mkdirSync(path.join(dir, 'gen'));
      fs.mkdirSync(path.join(dir, 'vendor'));
      fs.writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'const x = 1;\n// TODO(BL-1): a\nconst TODONOW = 2;\n');
      fs.writeFileSync(path.join(dir, 'gen', 'b.ts'), '// TODO: ignored by git\n');
      fs.writeFileSync(path.join(dir, 'vendor', 'c.ts'), '// TODO: excluded by a setting\n');
      fs.writeFileSync(path.join(dir, 'src', 'bin.dat'), Buffer.from([0, 1, 2, 84, 79, 68, 79, 10]));
      // rg honours .gitignore only inside a git repository (or with --no-require-git).
      fs.mkdirSync(path.join(dir, '.git'));
      const pattern = new TodoMatcher({ tags: ['TODO', 'FIXME'], prefixes: ['BL'] }).ripgrepPattern();
      const run = spawnSync('rg', ripgrepArgs(pattern, ['**/vendor', '**/.git']), { cwd: dir, encoding: 'utf8' });
      const s = new RgJsonStream();
      const events = [...s.push(run.stdout), ...s.end()];
      assert.deepEqual(
        events.filter((e) => e.kind === 'match'),
        [{ kind: 'match', path: './src/a.ts', line: 1, text: '// TODO(BL-1): a' }],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scan excludes', () => {
  it('takes the globs a setting turns on, not conditional or disabled ones', () => {
    assert.deepEqual(enabledGlobs({ '**/.git': true, '**/out': false, '**/*.js': { when: '$(basename).ts' } }, { '**/node_modules': true, '**/.git': true }, undefined, 'junk'), ['**/.git', '**/node_modules']);
  });

  it('turns a .gitignore into globs, anchored where git anchors', () => {
    assert.deepEqual(gitignoreGlobs('# comment\n\nnode_modules/\n/dist\nbuild/out\n!keep.log\n*.log\r\n'), ['**/node_modules', 'dist', 'build/out', '**/*.log']);
  });

  const cases: [glob: string, path: string, matches: boolean][] = [
    ['**/node_modules', 'node_modules', true],
    ['**/node_modules', 'a/b/node_modules', true],
    ['**/node_modules', 'a/node_modules_x', false],
    ['**/*.{js,map}', 'out/a.js', true],
    ['**/*.{js,map}', 'out/a.ts', false],
    ['dist', 'dist', true],
    ['dist', 'src/dist', false],
    ['src/**/gen', 'src/a/b/gen', true],
    ['file?.ts', 'file1.ts', true],
    ['[ab].ts', 'c.ts', false],
    ['**/.git', '.git', true],
    ['a.b', 'axb', false],
  ];
  for (const [glob, p, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${p}`, () => assert.equal(globToRegExp(glob).test(p), expected));
  }

  it('excludes files inside an excluded folder', () => {
    const m = new ExcludeMatcher(['**/node_modules', 'dist']);
    assert.equal(m.excludes('pkg/node_modules/x/index.js'), true);
    assert.equal(m.excludes('dist/app.js'), true);
    assert.equal(m.excludes('src/dist.ts'), false);
    assert.equal(new ExcludeMatcher([]).excludes('anything'), false);
  });

  it('calls a file with a NUL in its first 8 KiB binary', () => {
    assert.equal(looksBinary(new Uint8Array([104, 105, 0])), true);
    assert.equal(looksBinary(new TextEncoder().encode('// TODO: plain text')), false);
    const late = new Uint8Array(9000).fill(32);
    late[8500] = 0;
    assert.equal(looksBinary(late), false);
  });
});

describe('linking a TODO to an item', () => {
  const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK'], prefixes: ['FX'] });
  const cases: [before: string, after: string][] = [
    ['  // HACK: the tokenizer splits on spaces', '  // HACK(FX-4): the tokenizer splits on spaces'],
    ['# TODO evict tiles', '# TODO(FX-4): evict tiles'],
    ['/* FIXME - lazy index */', '/* FIXME(FX-4): lazy index */'],
    ['// TODO(alice): ask Bob', '// TODO(FX-4): ask Bob'],
    ['// TODO', '// TODO(FX-4)'],
    ['x(); // TODO: first TODO: second', 'x(); // TODO(FX-4): first TODO: second'],
  ];
  for (const [before, after] of cases) {
    it(`${before.trim()} -> ${after.trim()}`, () => {
      const [todo] = matcher.findInText(before, { line: ['//', '#'], block: [['/*', '*/']], strings: ['"'] });
      const edit = linkTodoEdit(before, todo, 'FX-4');
      assert.ok(edit);
      const result = before.slice(0, edit.start) + edit.newText + before.slice(edit.end);
      assert.equal(result, after);
      // The result is read back as a linked TODO with the same text.
      const [again] = matcher.findInText(result, { line: ['//', '#'], block: [['/*', '*/']], strings: ['"'] });
      assert.equal(again.ref?.id, 'FX-4');
      assert.equal(again.text, todo.text);
    });
  }

  it('refuses a line that no longer holds the tag where the match says', () => {
    assert.equal(linkTodoEdit('// note: nothing', { column: 3, endColumn: 16, tag: 'TODO', text: 'nothing' }, 'FX-1'), undefined);
  });
});

describe('grouping unlinked TODOs', () => {
  it('groups by folder, then file, both sorted, with counts', () => {
    const groups = groupByFolder(['src/b.ts', 'src/a.ts', 'README.md', 'src/a.ts', 'lib/x/y.py'], (p) => p);
    assert.deepEqual(
      groups.map((g) => [g.folder, g.count, g.files.map((f) => `${f.name}:${f.todos.length}`)]),
      [
        ['', 1, ['README.md:1']],
        ['lib/x', 1, ['y.py:1']],
        ['src', 3, ['a.ts:2', 'b.ts:1']],
      ],
    );
  });
});
