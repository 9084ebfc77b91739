// The smaller hostile inputs (issue 16): each class of input, with the rule that now holds for it.
import * as assert from 'assert';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { commentSyntaxFor } from '../../src/core/todo/todo';
import { itemText, memoryBacklog } from './helpers';

/** Runs the CLI in `cwd`, collecting what it prints. */
export async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, cwd, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A temporary folder holding `files` (relative paths), removed after the test. */
export async function tempFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-hostile-'));
  for (const [rel, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Names Object.prototype holds: as plain-object keys they read as something before they are set. */
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('names that Object.prototype also has', () => {
  it('are counted like any other status, type and label by stats', async () => {
    const config = `statuses: [${PROTO_NAMES.map((n) => `'${n}'`).join(', ')}]\ntypes: [${PROTO_NAMES.map((n) => `'${n}'`).join(', ')}]\n`;
    const files: Record<string, string> = { 'backlog/config.yml': config };
    PROTO_NAMES.forEach((name, k) => {
      for (let n = 0; n <= k; n++) {
        const id = `TASK-${k * 10 + n + 1}`;
        files[`backlog/tasks/${id.toLowerCase()}.md`] = itemText({ id, title: `'${name} ${n}'`, status: `'${name}'`, type: `'${name}'`, labels: `['${name}']` });
      }
    });
    const dir = await tempFolder(files);
    const r = await cli(['stats', '--json'], dir);
    assert.strictEqual(r.code, 0, r.err);
    const [stats] = JSON.parse(r.out) as { byStatus: Record<string, number>; byType: Record<string, number>; items: number }[];
    const want = Object.fromEntries(PROTO_NAMES.map((name, k) => [name, k + 1]));
    // JSON.parse defines `__proto__` as an own key, as the CLI printed it.
    assert.deepStrictEqual(Object.fromEntries(Object.entries(stats.byStatus)), want);
    // Types are compared in lower case.
    assert.deepStrictEqual(Object.fromEntries(Object.entries(stats.byType)), Object.fromEntries(PROTO_NAMES.map((name, k) => [name.toLowerCase(), k + 1])));
    assert.strictEqual(stats.items, 15);
  });

  it('count exactly, whatever mix of statuses the items have (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PROTO_NAMES, 'To Do', 'Done'), { minLength: 1, maxLength: 12 }), async (statuses) => {
        const files: Record<string, string> = { 'backlog/config.yml': `statuses: [${[...new Set([...PROTO_NAMES, 'To Do', 'Done'])].map((s) => `'${s}'`).join(', ')}]\n` };
        statuses.forEach((s, k) => (files[`backlog/tasks/task-${k + 1}.md`] = itemText({ id: `TASK-${k + 1}`, title: 'T', status: `'${s}'` })));
        const dir = await tempFolder(files);
        try {
          const [stats] = JSON.parse((await cli(['stats', '--json'], dir)).out) as { byStatus: Record<string, number> }[];
          const want = new Map<string, number>();
          for (const s of statuses) want.set(s, (want.get(s) ?? 0) + 1);
          assert.deepStrictEqual(new Map(Object.entries(stats.byStatus)), want);
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  });

  it('are no comment syntax as file extensions or names', () => {
    for (const name of PROTO_NAMES) {
      assert.strictEqual(commentSyntaxFor(`src/a.${name}`), undefined, name);
      assert.strictEqual(commentSyntaxFor(`src/${name}`), undefined, name);
    }
    assert.ok(commentSyntaxFor('src/a.ts'));
  });

  it('are front-matter keys that read, point to their line and write back', async () => {
    const b = await memoryBacklog({ 'backlog/tasks/task-1 - A.md': itemText({ id: 'TASK-1', title: 'A', status: 'To Do', sprint: 'S-9' }) });
    let item = b.backlog().item('TASK-1')!;
    for (const name of PROTO_NAMES) assert.strictEqual(item.fieldLines[name], undefined, `no line for an absent ${name}`);
    for (const name of PROTO_NAMES) {
      const r = await b.writer.setField('TASK-1', name, `v-${name}`);
      assert.ok(r.ok, r.ok ? '' : r.message);
      await b.apply(r.operations);
    }
    item = b.backlog().item('TASK-1')!;
    PROTO_NAMES.forEach((name, k) => {
      assert.ok(Object.hasOwn(item.fields, name), name);
      assert.strictEqual(item.fields[name], `v-${name}`);
      assert.strictEqual(item.fieldLines[name], 5 + k);
    });
    // The unknown sprint is still reported on the sprint's line.
    const unknown = b.backlog().crossFileDiagnostics().find((d) => d.code === 'unknown-sprint');
    assert.strictEqual(unknown?.line, 4);
  });
});
