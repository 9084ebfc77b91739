import * as assert from 'assert';
import { TodoMatcher, commentSyntaxFor } from '../../src/core/todo/todo';
import { addRefEdit, descriptionFromTodo, removeRefEdit, titleFromTodo } from '../../src/core/todo/todoEditText';

const matcher = new TodoMatcher({ tags: ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'], prefixes: ['BL'] });
const first = (line: string) => matcher.findInLine(line, 0, commentSyntaxFor('a.ts')!)[0];
const apply = (line: string, e: { start: number; end: number; newText: string }) => line.slice(0, e.start) + e.newText + line.slice(e.end);

describe('rewriting TODO comments for the quick fixes', () => {
  const removals: [string, string][] = [
    ['// TODO(BL-9): x', '// TODO: x'],
    ['// FIXME [BL-9] x', '// FIXME x'],
    ['// TODO BL-9: x', '// TODO: x'],
    ['// TODO( BL-9 ): x', '// TODO: x'],
    ['// TODO(BL-9)x', '// TODO x'],
    ['const a = 1; /* HACK(BL-12.01) y */', 'const a = 1; /* HACK y */'],
  ];
  for (const [before, after] of removals) {
    it(`removes the reference from ${before}`, () => {
      const todo = first(before);
      assert.ok(todo?.ref);
      const out = apply(before, removeRefEdit(before, { ...todo, ref: todo.ref }));
      assert.equal(out, after);
      // What is left is still a TODO, now without a reference.
      assert.equal(first(out)?.ref, undefined);
    });
  }

  for (const [before, after] of [
    ['// TODO: x', '// TODO(BL-50): x'],
    ['# XXX remove it', '# XXX(BL-50) remove it'],
  ] as const) {
    it(`writes an id into ${before}`, () => {
      const todo = matcher.findInLine(before, 0, commentSyntaxFor(before.startsWith('#') ? 'a.py' : 'a.ts')!)[0];
      const out = apply(before, addRefEdit(todo, 'BL-50'));
      assert.equal(out, after);
      assert.equal(matcher.findInLine(out, 0, commentSyntaxFor(before.startsWith('#') ? 'a.py' : 'a.ts')!)[0].ref?.id, 'BL-50');
    });
  }

  it('titles a new item from the comment, capitalised and cut at a word near 80 characters', () => {
    assert.equal(titleFromTodo({ tag: 'TODO', text: 'debounce map redraws' }, 'a.ts:3'), 'Debounce map redraws');
    const long = titleFromTodo({ tag: 'TODO', text: 'word '.repeat(40) }, 'a.ts:3');
    assert.ok(long.length <= 80, long);
    assert.match(long, /^Word( word)+…$/);
    assert.equal(titleFromTodo({ tag: 'FIXME', text: '  ' }, 'src/a.ts:3'), 'FIXME in src/a.ts:3');
    assert.equal(titleFromTodo({ tag: 'TODO', text: '(' }, 'src/a.ts:3'), 'TODO in src/a.ts:3');
  });

  it('describes where the comment is', () => {
    assert.equal(descriptionFromTodo({ tag: 'TODO', text: 'x  y' }, 'src/a_b.ts:3'), 'From a TODO comment at `src/a_b.ts:3`.\n\n> x y');
  });
});
