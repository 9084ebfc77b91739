import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { checkOperations } from '../../src/core/apply';
import { BacklogWriter, FileOperation } from '../../src/core/writer';

export const ROOT = '/ws/backlog';

/** An item file in Backlog.md's layout, from front-matter lines and an optional body. */
export function itemText(fields: Record<string, string | number>, body = ''): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${v}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** An index and writer over an in-memory workspace holding `files` under /ws. */
export async function memoryBacklog(files: Record<string, string | Uint8Array>, now = new Date('2026-11-21T09:30:00Z')) {
  const ws = new MemoryWorkspace(Object.fromEntries(Object.entries(files).map(([p, c]) => [`/ws/${p}`, c])));
  const index = new BacklogIndex(ws, { folders: ['/ws'] });
  await index.build();
  const writer = new BacklogWriter(index, ws, () => now);
  /**
   * Applies operations as the extension and the CLI do: every one checked by the core's rule
   * first (a refusal throws, and nothing is written), then written, then seen by the index.
   */
  const apply = async (ops: FileOperation[]) => {
    const checked = await checkOperations(ops, { read: async (p) => (ws.has(p) ? ws.read(p) : undefined), exists: async (p) => (await ws.stat(p)) !== undefined }, ['/ws']);
    if (!checked.ok) throw new Error(checked.message);
    for (const w of checked.writes) {
      if (w.kind === 'rename') ws.rename(w.from, w.to);
      else if (w.kind === 'create' || w.target === 'disk') ws.write(w.path, w.bytes);
      else throw new Error(`${w.path}: no editor holds files in memory`);
      await index.applyChanges([{ kind: 'changed', path: w.kind === 'rename' ? w.to : w.path }, ...(w.kind === 'rename' ? [{ kind: 'deleted' as const, path: w.from }] : [])]);
    }
  };
  return { ws, index, writer, apply, backlog: () => index.roots()[0] };
}
