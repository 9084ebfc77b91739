// The item editor's messages: what a page may send is checked before the host acts on it, and
// whatever passes holds only the keys its type names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseItemOptions, parseItemRequest } from '../../src/protocol/itemProtocol';

describe('item editor protocol', () => {
  it('passes each message the page sends', () => {
    const ok: unknown[] = [
      { type: 'ready' },
      { type: 'setField', key: 'estimate', value: '5' },
      { type: 'setField', key: 'labels', value: ['maps', 'offline'] },
      { type: 'check', list: 'ac', index: 2, checked: true },
      { type: 'checkText', list: 'dod', index: 1, text: 'Docs updated' },
      { type: 'checkAdd', list: 'ac', text: 'Works offline' },
      { type: 'checkRemove', list: 'ac', index: 3 },
      { type: 'checkMove', list: 'ac', index: 3, to: 0 },
      { type: 'setSection', section: 'description', content: 'Two\nlines' },
      { type: 'openText' },
      { type: 'save' },
      { type: 'openItem', id: 'BL-12.01' },
      { type: 'openTodo', ref: 0 },
    ];
    for (const m of ok) assert.deepEqual(parseItemRequest(m), m);
  });

  it('refuses malformed messages', () => {
    const bad: unknown[] = [
      null,
      'check',
      { type: 'check', list: 'ac', index: '1', checked: true },
      { type: 'check', list: 'notes', index: 1, checked: true },
      { type: 'check', list: 'ac', index: -1, checked: true },
      { type: 'check', list: 'ac', index: 1.5, checked: true },
      { type: 'check', list: 'ac', index: 1, checked: 'yes' },
      { type: 'setField', key: 'id', value: 'X' },
      { type: 'setField', key: 'rank', value: 'a0' },
      { type: 'setField', key: 'status', value: { a: 1 } },
      { type: 'setField', key: 'title', value: 'two\nlines' },
      { type: 'setField', key: 'labels', value: ['ok', 3] },
      { type: 'checkText', list: 'ac', index: 1, text: 'a\nb' },
      { type: 'checkAdd', list: 'ac', text: 'x'.repeat(2001) },
      { type: 'checkMove', list: 'ac', index: 1 },
      { type: 'setSection', section: 'comments', content: 'x' },
      { type: 'setSection', section: 'notes', content: 'x'.repeat(100_001) },
      { type: 'openItem', id: '../../etc/passwd' },
      { type: 'openTodo', ref: '0' },
      { type: 'openFile', path: '/etc/passwd' },
    ];
    for (const m of bad) assert.ok('error' in parseItemRequest(m), JSON.stringify(m)?.slice(0, 80));
  });

  it('never throws, and what passes holds only the keys its type names', () => {
    const allowed: Record<string, string[]> = {
      ready: [],
      setOptions: ['options'],
      drawn: ['cards', 'ms'],
      setField: ['key', 'value'],
      check: ['list', 'index', 'checked'],
      checkText: ['list', 'index', 'text'],
      checkAdd: ['list', 'text'],
      checkRemove: ['list', 'index'],
      checkMove: ['list', 'index', 'to'],
      setSection: ['section', 'content'],
      openText: [],
      save: [],
      openItem: ['id'],
      openTodo: ['ref'],
    };
    const types = Object.keys(allowed);
    const arbitrary = fc.oneof(fc.anything(), fc.record({ type: fc.constantFrom(...types), list: fc.anything(), index: fc.anything(), key: fc.anything(), value: fc.anything(), extra: fc.anything() }));
    fc.assert(
      fc.property(arbitrary, (raw) => {
        const r = parseItemRequest(raw);
        if ('error' in r) return;
        for (const k of Object.keys(r)) if (k !== 'type') assert.ok(allowed[r.type].includes(k), `${r.type}.${k}`);
      }),
    );
  });

  it('falls back to the default options for junk', () => {
    assert.deepEqual(parseItemOptions({ root: 7 }), { root: '' });
    assert.deepEqual(parseItemOptions(null), { root: '' });
  });
});
