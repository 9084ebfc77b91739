import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { findRipgrep, scanTodos } from '../../src/cli/todoScan';
import { asciiText, isAscii, latin1Text } from '../../src/node/bytesText';
import { IgnoreRules, isValidGlob } from '../../src/core/todo/gitignore';
import { parseRgLine, RgEvent, RgFiles, ripgrepArgs, ripgrepCandidates, RgJsonStream } from '../../src/core/todo/ripgrep';
import { DEFAULT_EXCLUDES, enabledGlobs, excludeRules } from '../../src/core/todo/scanExcludes';
import { decodeForScan, EntryKind, MAX_FILE_BYTES, ScanFileSystem, ScanScope, todosOfFile } from '../../src/core/todo/scanScope';
import { commentSyntaxFor, LINE_BY_LINE_CHARS, TodoMatcher, todosOnLines } from '../../src/core/todo/todo';
import { groupByFolder, linkTodoEdit } from '../../src/views/trees/techDebtModel';

const hasRg = spawnSync('rg', ['--version']).status === 0;
/** Tests that run the real rg are skipped where it is not installed. */
const withRg = hasRg ? it : it.skip;

/** A folder in memory: files by '/'-separated path; `null` is a symbolic link. */
class MemoryScanFs implements ScanFileSystem {
  constructor(readonly files: Record<string, string | Uint8Array | null>) {}

  async list(dir: string): Promise<[string, EntryKind][] | undefined> {
    const prefix = dir === '' ? '' : `${dir}/`;
    const out = new Map<string, EntryKind>();
    for (const [p, content] of Object.entries(this.files)) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length).split('/');
      out.set(rest[0], rest.length > 1 ? 'directory' : content === null ? 'other' : 'file');
    }
    return out.size > 0 || dir === '' ? [...out] : undefined;
  }

  async stat(p: string): Promise<{ kind: EntryKind; size: number } | undefined> {
    const content = this.files[p];
    if (content === undefined) return Object.keys(this.files).some((f) => f.startsWith(`${p}/`)) ? { kind: 'directory', size: 0 } : undefined;
    if (content === null) return { kind: 'other', size: 0 };
    return { kind: 'file', size: typeof content === 'string' ? Buffer.byteLength(content) : content.length };
  }

  async read(p: string): Promise<Uint8Array | undefined> {
    const content = this.files[p];
    return typeof content === 'string' ? new TextEncoder().encode(content) : (content ?? undefined);
  }
}

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

  it('never runs an rg from a relative PATH entry, such as the folder being scanned', function () {
    if (process.platform === 'win32') this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-path-'));
    const saved = { cwd: process.cwd(), path: process.env.PATH, rg: process.env.BACKLOG_ATLAS_RG };
    try {
      // Shell built-ins only: the PATH below has no /usr/bin.
      fs.writeFileSync(path.join(dir, 'rg'), `#!/bin/sh\n: > "${path.join(dir, 'ran')}"\n`, { mode: 0o755 });
      process.chdir(dir);
      process.env.PATH = ['.', '', 'bin'].join(path.delimiter);
      delete process.env.BACKLOG_ATLAS_RG;
      assert.equal(findRipgrep(), undefined);
      assert.equal(fs.existsSync(path.join(dir, 'ran')), false);
    } finally {
      process.chdir(saved.cwd);
      process.env.PATH = saved.path;
      if (saved.rg !== undefined) process.env.BACKLOG_ATLAS_RG = saved.rg;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('looks for rg.exe on Windows', () => {
    assert.ok(ripgrepCandidates('C:\\VS Code\\resources\\app', 'win32', 'arm64').every((p) => p.endsWith('/rg.exe')));
    assert.ok(ripgrepCandidates('C:\\VS Code\\resources\\app', 'win32', 'arm64').some((p) => p.includes('/win32-arm64/')));
  });
});

describe('ripgrep arguments and output', () => {
  it('streams JSON without the user\'s config, hidden files in, only the folder\'s .gitignore files, and each rule excluded', () => {
    const args = ripgrepArgs('(?-u:\\b)(?:TODO)(?-u:\\b)', ['.git', '**/node_modules']);
    assert.deepEqual(args, [
      '--json',
      '--no-config',
      '--no-messages',
      '--max-filesize',
      String(MAX_FILE_BYTES),
      '--hidden',
      '--no-require-git',
      '--no-ignore-global',
      '--no-ignore-exclude',
      '--no-ignore-dot',
      '--no-ignore-parent',
      '--glob',
      '!.git',
      '--glob',
      '!**/node_modules',
      '-e',
      '(?-u:\\b)(?:TODO)(?-u:\\b)',
      '--',
      '.',
    ]);
  });

  it('parses match and end lines, zero-based, and skips the rest', () => {
    const match = JSON.stringify({ type: 'match', data: { path: { text: './a.ts' }, lines: { text: '// TODO: x\r\n' }, line_number: 3, submatches: [] } });
    const end = JSON.stringify({ type: 'end', data: { path: { text: './a.ts' }, binary_offset: null, stats: { bytes_searched: 42 } } });
    const binary = JSON.stringify({ type: 'end', data: { path: { text: './b.ts' }, binary_offset: 300115, stats: {} } });
    assert.deepEqual(parseRgLine(match), [{ kind: 'match', path: './a.ts', line: 2, text: '// TODO: x' }]);
    assert.deepEqual(parseRgLine(end), [{ kind: 'end', path: './a.ts', binary: false }]);
    assert.deepEqual(parseRgLine(binary), [{ kind: 'end', path: './b.ts', binary: true }]);
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'summary', data: { elapsed_total: {} } })), []);
    assert.deepEqual(parseRgLine('{not json'), []);
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'match', data: { path: 'x' } })), []);
  });

  it('decodes lines rg gives as base64 bytes, and leaves out files whose path it gives so', () => {
    const bytes = (s: string) => ({ bytes: Buffer.from(s, 'latin1').toString('base64') });
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'match', data: { path: { text: './a.ts' }, lines: bytes('// TODO caf\xe9\n'), line_number: 1 } })), [{ kind: 'match', path: './a.ts', line: 0, text: '// TODO caf\ufffd' }]);
    assert.deepEqual(parseRgLine(JSON.stringify({ type: 'match', data: { path: bytes('./caf\xe9.ts'), lines: { text: '// TODO\n' }, line_number: 1 } })), []);
  });

  it('reassembles lines however the pipe splits them', () => {
    const lines = [
      JSON.stringify({ type: 'begin', data: { path: { text: './b.py' } } }),
      JSON.stringify({ type: 'match', data: { path: { text: './b.py' }, lines: { text: '# TODO(BL-1): é\n' }, line_number: 7 } }),
      JSON.stringify({ type: 'end', data: { path: { text: './b.py' }, binary_offset: null } }),
    ];
    const whole = lines.flatMap(parseRgLine);
    const text = lines.join('\n') + '\n';
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const s = new RgJsonStream();
        const out: RgEvent[] = [];
        for (let i = 1; i < points.length; i++) out.push(...s.push(text.slice(points[i - 1], points[i])));
        out.push(...s.end());
        assert.deepEqual(out, whole);
      }),
    );
  });

  it('hands a file over when rg is done with it, unless rg found it binary', () => {
    const files = new RgFiles();
    assert.equal(files.take({ kind: 'match', path: './src/a.ts', line: 0, text: '// TODO' }), undefined);
    assert.equal(files.take({ kind: 'match', path: './src/a.ts', line: 4, text: '// FIXME' }), undefined);
    assert.deepEqual(files.take({ kind: 'end', path: './src/a.ts', binary: false }), {
      path: 'src/a.ts',
      hits: [
        { line: 0, text: '// TODO' },
        { line: 4, text: '// FIXME' },
      ],
    });
    files.take({ kind: 'match', path: './bin.ts', line: 0, text: '// TODO' });
    assert.equal(files.take({ kind: 'end', path: './bin.ts', binary: true }), undefined);
    files.take({ kind: 'match', path: '.\\src\\w.ts', line: 0, text: '// TODO' });
    assert.equal(files.take({ kind: 'end', path: '.\\src\\w.ts', binary: false })?.path, 'src/w.ts', 'Windows separators');
    files.take({ kind: 'match', path: './a\\b.ts', line: 0, text: '// TODO' });
    assert.equal(files.take({ kind: 'end', path: './a\\b.ts', binary: false })?.path, 'a\\b.ts', 'a backslash in a POSIX name');
  });

  withRg('finds candidate lines with a real rg, honouring .gitignore and the rules (skipped without rg on the PATH)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-rg-'));
    try {
      for (const d of ['src', 'gen', 'vendor', '.github/workflows']) fs.mkdirSync(path.join(dir, d), { recursive: true });
      fs.writeFileSync(path.join(dir, '.gitignore'), 'gen/\n');
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'const x = 1;\n// TODO(BL-1): a\nconst TODONOW = 2;\n');
      fs.writeFileSync(path.join(dir, 'gen', 'b.ts'), '// TODO: ignored by git\n');
      fs.writeFileSync(path.join(dir, 'vendor', 'c.ts'), '// TODO: excluded by a setting\n');
      fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), '# TODO(BL-21): in a hidden folder\n');
      fs.writeFileSync(path.join(dir, 'src', 'bin.dat'), Buffer.from([0, 1, 2, 84, 79, 68, 79, 10]));
      const pattern = new TodoMatcher({ tags: ['TODO', 'FIXME'], prefixes: ['BL'] }).ripgrepPattern();
      // No .git here: the .gitignore counts all the same (`--no-require-git`), as in the fallback.
      const run = spawnSync('rg', ripgrepArgs(pattern, excludeRules(['**/vendor'])), { cwd: dir, encoding: 'utf8' });
      const s = new RgJsonStream();
      const events = [...s.push(run.stdout), ...s.end()];
      assert.deepEqual(
        events.filter((e) => e.kind === 'match').sort((a, b) => a.path.localeCompare(b.path)),
        [
          { kind: 'match', path: './.github/workflows/ci.yml', line: 0, text: '# TODO(BL-21): in a hidden folder' },
          { kind: 'match', path: './src/a.ts', line: 1, text: '// TODO(BL-1): a' },
        ],
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

  it('leaves out .git always, anchors a glob without a slash to the folder as VS Code does, and drops globs rg would refuse', () => {
    assert.deepEqual(excludeRules(['**/node_modules', 'dist', '*.log', './out', 'src/gen', 'build/', '[oops', '{a,{b}}']), ['.git', '**/node_modules', '/dist', '/*.log', '/out', 'src/gen', '/build/']);
    assert.ok(DEFAULT_EXCLUDES.includes('**/node_modules') && DEFAULT_EXCLUDES.includes('**/.git'));
  });
});

describe('gitignore rules, as ripgrep reads them', () => {
  // From the `ignore` crate's own tests: [patterns, path, is a folder, ignored].
  const cases: [string, string, boolean, boolean][] = [
    ['months', 'months', false, true],
    ['*.lock', 'Cargo.lock', false, true],
    ['*.rs', 'src/main.rs', false, true],
    ['src/*.rs', 'src/main.rs', false, true],
    ['/*.c', 'cat-file.c', false, true],
    ['/src/*.rs', 'src/main.rs', false, true],
    ['!src/main.rs\n*.rs', 'src/main.rs', false, true],
    ['foo/', 'foo', true, true],
    ['**/foo', 'foo', false, true],
    ['**/foo', 'src/foo', false, true],
    ['**/foo/**', 'src/foo/bar', false, true],
    ['**/foo/**', 'wat/src/foo/bar/baz', false, true],
    ['**/foo/bar', 'foo/bar', false, true],
    ['**/foo/bar', 'src/foo/bar', false, true],
    ['abc/**', 'abc/x', false, true],
    ['abc/**', 'abc/x/y/z', false, true],
    ['a/**/b', 'a/b', false, true],
    ['a/**/b', 'a/x/y/b', false, true],
    ['\\!xy', '!xy', false, true],
    ['\\#foo', '#foo', false, true],
    ['target', 'grep/target', false, true],
    ['foo/', 'xyz/foo', true, true],
    ['node_modules/ ', 'node_modules', true, true],
    ['**/', 'foo/bar', true, true],
    ['path1/*', 'path1/foo', false, true],
    ['.a/b', '.a/b', false, true],
    ['\\[', '[', false, true],
    ['\\*', '*', false, true],
    ['s*.rs', 'sfoo.rs', false, true],
    ['**', 'foo.rs', false, true],
    ['**/**/*', 'a/foo.rs', false, true],
    ['amonths', 'months', false, false],
    ['monthsa', 'months', false, false],
    ['/src/*.rs', 'src/grep/src/main.rs', false, false],
    ['/*.c', 'mozilla-sha1/sha1.c', false, false],
    ['*.rs\n!src/main.rs', 'src/main.rs', false, false],
    ['foo/', 'foo', false, false],
    ['**/foo/**', 'wat/src/afoo/bar/baz', false, false],
    ['**/foo/bar', 'foo/src/bar', false, false],
    ['#foo', '#foo', false, false],
    ['\n\n\n', 'foo', false, false],
    ['foo/**', 'foo', true, false],
    ['!/bar', 'foo/bar', false, false],
    ['*\n!**/', 'foo', true, false],
    ['src/*.rs', 'src/grep/src/main.rs', false, false],
    ['path1/*', 'path2/path1/foo', false, false],
    ['s*.rs', 'src/foo.rs', false, false],
    ['*.html', 'foo.HTML', false, false],
    ['{a,b}.ts', 'b.ts', false, true],
    ['[!a].ts', 'b.ts', false, true],
    ['[a-c].ts', 'd.ts', false, false],
    ['a**b', 'axyb', false, true],
    ['a**b', 'ax/yb', false, false],
  ];
  for (const [patterns, p, isDir, ignored] of cases) {
    it(`${JSON.stringify(patterns)} ${ignored ? 'ignores' : 'keeps'} ${p}${isDir ? '/' : ''}`, () => {
      assert.equal(new IgnoreRules(patterns.split('\n')).match(p, isDir) === 'ignore', ignored);
    });
  }

  it('reads a file as rg does: CRLF, a BOM, and nothing after a line that is not UTF-8', () => {
    const rules = IgnoreRules.fromFile(Buffer.concat([Buffer.from('\ufeffa.ts\r\nb.ts\n'), Buffer.from([0xff, 0x0a]), Buffer.from('c.ts\n')]));
    assert.deepEqual(['a.ts', 'b.ts', 'c.ts'].map((p) => rules.match(p, false)), ['ignore', 'ignore', undefined]);
  });

  it('refuses what globset refuses', () => {
    for (const bad of ['[a', '{a,{b}}', '{a', 'a\\', '[z-a]']) assert.equal(isValidGlob(bad), false, bad);
    for (const good of ['**', 'a}b', '{a,}', '[]]', '[!-]']) assert.equal(isValidGlob(good), true, good);
  });

  it('matches in time linear in the path, whatever the pattern', () => {
    const rules = new IgnoreRules(['**/a*/**/*b*c*d*e*/**/f', 'x*x*x*x*x*x*x*x*y', '{a*,*b,**/c*}/**/z']);
    const started = Date.now();
    for (const p of ['a/'.repeat(50_000) + 'g', 'x'.repeat(100_000), 'ab/'.repeat(30_000) + 'bcde/f/g']) rules.match(p, false);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });
});

describe('which files a scan reads', () => {
  const tree = (files: Record<string, string | Uint8Array | null>) => new MemoryScanFs(files);

  it('takes a file rg reports unless it or a folder above it is excluded or skipped, however many files share those folders', () => {
    const name = fc.constantFrom('src', 'node_modules', 'a', '.git', 'backlog', 'x.code-search', 'lib', 'a.ts', 'b.py', 'c.txt');
    const relPath = fc.array(name, { minLength: 1, maxLength: 5 }).map((p) => p.join('/'));
    fc.assert(
      fc.property(fc.array(relPath, { maxLength: 12 }), fc.subarray(['dist', 'a/**', 'src/lib', '**/*.py']), fc.subarray(['backlog', 'src/backlog', 'a']), (paths, globs, skipped) => {
        const scope = new ScanScope(tree({}), [...DEFAULT_EXCLUDES, ...globs], skipped);
        const excludes = new IgnoreRules(excludeRules([...DEFAULT_EXCLUDES, ...globs]).map((r) => `!${r}`));
        // What the scan took before it remembered folders: every prefix checked afresh.
        const expected = (p: string) => {
          if (!commentSyntaxFor(p)) return false;
          const parts = p.split('/');
          for (let i = 1; i <= parts.length; i++) {
            const q = parts.slice(0, i).join('/');
            if (skipped.some((d) => q === d || q.startsWith(`${d}/`)) || excludes.match(q, i < parts.length) === 'whitelist') return false;
          }
          return true;
        };
        // Twice over, so that the second answers come from what the first remembered.
        for (const p of [...paths, ...paths]) assert.equal(scope.takesFromRipgrep(p), expected(p), p);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads hidden folders but not .git, leaves out the settings\' globs, links and backlog folders', async () => {
    const scope = new ScanScope(
      tree({
        '.github/workflows/ci.yml': '# TODO',
        '.git/hooks/pre-commit.sh': '# TODO',
        'node_modules/x/a.js': '// TODO',
        'pkg/node_modules/y.js': '// TODO',
        'dist/a.js': '// TODO',
        'src/dist/a.js': '// TODO',
        'src/a.ts': '// TODO',
        'src/link.ts': null,
        'src/data.json': '{}',
        'backlog/tasks/bl-1.md': '<!-- TODO -->',
      }),
      ['**/node_modules', 'dist'],
      ['backlog'],
    );
    assert.deepEqual((await scope.files()).sort(), ['.github/workflows/ci.yml', 'src/a.ts', 'src/dist/a.js']);
  });

  it('reads .gitignore files as git does: nested ones, negations, folders only, a nested repository on its own', async () => {
    const scope = new ScanScope(
      tree({
        '.gitignore': '*.gen.ts\nbuild/\n!keep.gen.ts\nlogs\n',
        'a.gen.ts': '// TODO',
        'keep.gen.ts': '// TODO',
        'build/x.ts': '// TODO',
        'logs/x.ts': '// TODO',
        'src/build.ts': '// TODO',
        'src/.gitignore': '/local.ts\n!*.gen.ts\n',
        'src/local.ts': '// TODO',
        'src/deep/local.ts': '// TODO',
        'src/b.gen.ts': '// TODO',
        'vendor/lib/.git': 'gitdir: ../../.git/modules/lib',
        'vendor/lib/c.gen.ts': '// TODO',
      }),
      [],
    );
    const files = (await scope.files()).sort();
    assert.deepEqual(files, ['.gitignore', 'keep.gen.ts', 'src/.gitignore', 'src/b.gen.ts', 'src/build.ts', 'src/deep/local.ts', 'vendor/lib/c.gen.ts']);
  });

  it('says of one changed file what the walk says, after reading the folders on its path', async () => {
    const files = {
      '.gitignore': 'gen/\n',
      'src/.gitignore': '*.tmp.ts\n',
      'src/a.ts': '// TODO',
      'src/b.tmp.ts': '// TODO',
      'gen/c.ts': '// TODO',
      '.github/ci.yml': '# TODO',
      '.git/x.ts': '// TODO',
      'node_modules/d.ts': '// TODO',
      'src/link.ts': null,
    };
    const walked = new Set(await new ScanScope(tree(files), ['**/node_modules']).files());
    const scope = new ScanScope(tree(files), ['**/node_modules']);
    assert.equal(scope.includesNow('src/a.ts'), undefined, 'nothing read yet');
    for (const [p, content] of Object.entries(files)) {
      // The rules say nothing of links; reading does (`readText` takes files only).
      if (content === null) continue;
      assert.equal(await scope.includes(p), walked.has(p), p);
      assert.equal(scope.includesNow(p), await scope.includes(p), p);
    }
    assert.equal(await scope.readText('src/link.ts'), undefined);
  });

  it('reads text as rg does: BOMs, UTF-16, bad bytes replaced, a NUL anywhere makes it binary, over the cap it is not read', async () => {
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// TODO: le\n', 'utf16le')]);
    const utf16be = Buffer.from(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('// TODO: be\n', 'utf16le').swap16()]));
    assert.equal(decodeForScan(utf16le), '// TODO: le\n');
    assert.equal(decodeForScan(utf16be), '// TODO: be\n');
    assert.equal(decodeForScan(Buffer.from('\ufeff// TODO')), '// TODO');
    assert.equal(decodeForScan(Buffer.from([0x2f, 0x2f, 0xff])), '//\ufffd');
    const late = Buffer.alloc(300_000, 0x20);
    late[299_000] = 0;
    assert.equal(decodeForScan(late), undefined);
    const matcher = new TodoMatcher({ tags: ['TODO'], prefixes: [] });
    const scope = new ScanScope(tree({ 'big.ts': `// TODO\n${'x'.repeat(MAX_FILE_BYTES)}`, 'edge.ts': `// TODO\n${'x'.repeat(MAX_FILE_BYTES - 8)}` }), []);
    assert.deepEqual(await todosOfFile(scope, matcher, 'big.ts'), []);
    assert.equal((await todosOfFile(scope, matcher, 'edge.ts')).length, 1, 'exactly at the cap is read');
  });

  it('tells a binary file from its bytes as from its text (in UTF-8 only a NUL byte decodes to NUL), and ASCII needs no decoder', () => {
    const byte = fc.oneof(fc.constantFrom(0x00, 0x0a, 0x2f, 0x80, 0xbf, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ max: 0x7f, maxLength: 40 })).chain((a) => fc.array(byte, { maxLength: 40 }).map((b) => Uint8Array.from([...a, ...b]))), (bytes) => {
        if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return;
        const text = new TextDecoder('utf-8').decode(bytes);
        assert.equal(decodeForScan(bytes), text.includes('\0') ? undefined : text);
        // The command line's shortcut for ASCII gives the same text.
        assert.equal(decodeForScan(bytes, asciiText), decodeForScan(bytes));
      }),
      { numRuns: 5000 },
    );
  });
  it('decides a file from its bytes, decoding only its tag lines, as from its whole decoded text', async () => {
    // `readLines` reads UTF-8 as Latin-1 for the comment analysis and decodes the lines with
    // tags alone: accents, bad bytes, a byte-order mark, CRLF, a NUL and texts either side of
    // LINE_BY_LINE_CHARS (one character or three bytes each) must all come out as before.
    const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME'], prefixes: ['BL'] });
    const piece = fc.constantFrom('// ', '/* ', ' */', '# ', '"""', '"', "'", '`', '\\', 'TODO', '// TODO ', 'FIXME(BL-3)', ': fix ', 'x', 'é', '€', '😀', '\n', '\n', '\r\n');
    const raw = fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0x80], [0xef, 0xbb, 0xbf]);
    const chunk = fc.oneof({ weight: 6, arbitrary: piece.map((p) => Array.from(Buffer.from(p))) }, { weight: 1, arbitrary: raw });
    // A NUL byte in one file of ten.
    const nul = fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(40) });
    const padding = fc.constantFrom(0, LINE_BY_LINE_CHARS - 20, LINE_BY_LINE_CHARS + 5, Math.ceil(LINE_BY_LINE_CHARS / 3) + 5, Math.floor(2.5 * LINE_BY_LINE_CHARS), 3 * LINE_BY_LINE_CHARS + 6);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(chunk, { maxLength: 40, size: 'max' }), fc.nat(40), nul, padding, fc.boolean(), fc.constantFrom('a.ts', 'a.py', 'a.c', 'a.html'), async (bom, chunks, split, nulAt, pad, wide, name) => {
        if (nulAt >= 0) chunks.splice(nulAt, 0, [0x00]);
        // A line of padding somewhere: ASCII, or euros (three bytes and one character each).
        const filler = wide ? '€'.repeat(Math.ceil(pad / 3)) : 'x'.repeat(pad);
        const bytes = Buffer.concat([Uint8Array.from(bom ? [0xef, 0xbb, 0xbf] : []), Uint8Array.from(chunks.slice(0, split).flat()), Buffer.from(`\n// ${filler}\n`), Uint8Array.from(chunks.slice(split).flat())]);
        const plain = new ScanScope(new MemoryScanFs({ [name]: bytes }), []);
        const fast = new ScanScope(Object.assign(new MemoryScanFs({ [name]: bytes }), { asciiText, latin1Text, isAscii }), []);
        const text = await plain.readText(name);
        if (text === undefined) return assert.equal(await fast.readLines(name, matcher), undefined);
        const hits = matcher.hitLines(text);
        if (hits.length === 0) return;
        const syntax = commentSyntaxFor(name)!;
        const lines = await fast.readLines(name, matcher);
        assert.deepStrictEqual(todosOnLines(matcher, hits, syntax, lines), todosOnLines(matcher, hits, syntax, text));
      }),
      { numRuns: 800 },
    );
  });
});

describe('the same TODOs with ripgrep and without', () => {
  const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK'], prefixes: ['BL'] });

  /** Writes a tree (null: a symbolic link to the first file) into a new folder. */
  function write(files: Record<string, string | Buffer | null>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-same-'));
    const first = Object.keys(files).find((p) => files[p] !== null);
    for (const [p, content] of Object.entries(files)) {
      const abs = path.join(dir, ...p.split('/'));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      if (content === null) {
        if (first) fs.symlinkSync(path.join(dir, ...first.split('/')), abs);
      } else fs.writeFileSync(abs, content);
    }
    return dir;
  }

  const compare = async (dir: string, skipDirs: string[] = []) => {
    const rg = await scanTodos([dir], matcher, { rg: 'rg', skipDirs });
    const walk = await scanTodos([dir], matcher, { rg: null, skipDirs });
    assert.deepEqual(rg, walk);
    return rg.map((t) => `${path.relative(dir, t.path).split(path.sep).join('/')}:${t.line} ${t.tag}${t.ref ? ` ${t.ref.id}` : ''}`);
  };

  withRg('in hidden folders, Python docstrings, block comments, ignored and excluded places, odd encodings', async () => {
    const dir = write({
      '.github/workflows/ci.yml': 'steps:\n  # TODO(BL-21): cache the tiles\n',
      'src/loader.py': 'def load():\n    """Loads.\n\n    # TODO(BL-42): a comment line in a docstring\n    TODO: prose, not a comment\n    """\n    return 1  # FIXME: retry\n',
      'src/block.ts': '/*\n   HACK: inside a block\n */\nconst s = "TODO";\n',
      'src/crlf.ts': '// TODO: crlf\r\nx\r\n// FIXME: last\r',
      'src/bom.ts': '\ufeff// TODO: bom\n',
      'src/utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// TODO: utf-16\n', 'utf16le')]),
      'src/late-nul.ts': Buffer.concat([Buffer.from('// TODO: binary after all\n' + 'x\n'.repeat(100_000)), Buffer.from([0])]),
      'src/big.ts': '// TODO: too big\n' + 'x'.repeat(MAX_FILE_BYTES),
      'src/long.ts': '/*\n   TODO: inner line of a block, in a long file\n*/\n// FIXME: its own line\n' + 'const pad = 1;\n'.repeat(30_000),
      'src/link.ts': null,
      'node_modules/lib/index.js': '// TODO: excluded\n',
      '.git/hooks/post-commit.sh': '# TODO: git\'s own\n',
      '.gitignore': 'gen/\n*.log.ts\n',
      'gen/out.ts': '// TODO: ignored\n',
      'pkg/.gitignore': '!*.log.ts\n',
      'pkg/keep.log.ts': '// TODO: kept again\n',
      'backlog/tasks/bl-1 - A.md': '<!-- TODO: an item, not code -->\n',
    });
    try {
      assert.deepEqual((await compare(dir, [path.join(dir, 'backlog')])).sort(), [
        '.github/workflows/ci.yml:1 TODO BL-21',
        'pkg/keep.log.ts:0 TODO',
        'src/block.ts:1 HACK',
        'src/bom.ts:0 TODO',
        'src/crlf.ts:0 TODO',
        'src/crlf.ts:2 FIXME',
        'src/loader.py:3 TODO BL-42',
        'src/loader.py:6 FIXME',
        'src/long.ts:3 FIXME',
        'src/utf16.ts:0 TODO',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  withRg('on random trees of .gitignore files, hidden folders and comments', async function () {
    this.timeout(120_000);
    // Few folders, so that files often lie below the .gitignore files and nested repositories.
    const folder = fc.constantFrom('', 'a', 'a/b', 'a/b/c', '.hidden', 'a/.hidden', 'gen', 'node_modules', 'x y', 'é', '[x]');
    const at = (dir: string, name: string) => (dir === '' ? name : `${dir}/${name}`);
    const base = fc.constantFrom('a', 'b', 'm', '.dot', 'gen', 'é');
    const ext = fc.constantFrom('.ts', '.py', '.yml', '.md', '.txt');
    const line = fc.constantFrom('// TODO(BL-1): x', '# FIXME y', '"""', '/*', '*/', '   HACK: z', 'x = "TODO"', '<!-- TODO -->', '', 'code');
    const filePath = fc.tuple(folder, base, ext).map(([dir, b, e]) => at(dir, b + e));
    const pattern = fc.constantFrom('*.py', '/a', 'b/', '!*.py', '!b', '!b.ts', 'gen/**', '**/x y', '.hidden', '!.hidden/', 'a/**/b.ts', 'b/*.ts', '[ab].ts', '{a,b}.yml', 'é*', '\\[x]*', '# c', 'm.*', '!m.md');
    const ignoreFile = fc.oneof(
      fc.tuple(folder, fc.array(pattern, { minLength: 1, maxLength: 5 })).map(([dir, lines]) => [at(dir, '.gitignore'), lines.join('\n') + '\n'] as const),
      // A nested repository (a submodule's `.git` file): outer .gitignore files stop there.
      folder.filter((d) => d !== '').map((dir) => [at(dir, '.git'), 'gitdir: ../.git/modules/x\n'] as const),
    );
    const source = fc.array(line, { maxLength: 6 }).map((l) => l.join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(filePath, source), { maxLength: 16 }), fc.array(ignoreFile, { minLength: 1, maxLength: 5 }), async (files, ignores) => {
        const tree: Record<string, string> = {};
        for (const [p, text] of files) tree[p] = text;
        for (const [p, text] of ignores) if (!Object.keys(tree).some((f) => f.startsWith(`${p}/`))) tree[p] = text;
        // A file and a folder cannot share a name.
        for (const p of Object.keys(tree)) if (Object.keys(tree).some((f) => f.startsWith(`${p}/`))) delete tree[p];
        const dir = write(tree);
        try {
          await compare(dir);
          // The walk's list is rg's list of files, for those with a comment syntax.
          const listed = spawnSync('rg', ['--files', ...ripgrepArgs('x', excludeRules([...DEFAULT_EXCLUDES])).filter((a) => a !== '--json').slice(0, -4)], { cwd: dir, encoding: 'utf8' });
          const fromRg = listed.stdout.split('\n').filter((p) => p !== '' && commentSyntaxFor(p)).map((p) => p.replace(/^\.\//, '')).sort();
          const nodeFs = new MemoryScanFs(Object.fromEntries(Object.entries(tree)));
          assert.deepEqual((await new ScanScope(nodeFs, DEFAULT_EXCLUDES).files()).sort(), fromRg);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('linking a TODO to an item', () => {
  const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK'], prefixes: ['FX'] });
  const cases: [before: string, after: string][] = [
    ['  // HACK: the tokenizer splits on spaces', '  // HACK(FX-4): the tokenizer splits on spaces'],
    ['# TODO evict tiles', '# TODO(FX-4): evict tiles'],
    ['/* FIXME - lazy index */', '/* FIXME(FX-4): lazy index */'],
    ['// TODO(alice): ask Bob', '// TODO(alice, FX-4): ask Bob'],
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
