import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { BacklogWriter, FileOperation, applyEditToBytes } from '../../src/core/writer';

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
  /** Applies operations as the extension would, then lets the index see the change. */
  const apply = async (ops: FileOperation[]) => {
    for (const op of ops) {
      if (op.kind === 'edit') {
        const next = applyEditToBytes(await ws.read(op.path), op);
        if (!next) throw new Error(`conflict on ${op.path}`);
        ws.write(op.path, next);
      } else if (op.kind === 'create') ws.write(op.path, op.content);
      else ws.rename(op.from, op.to);
      await index.applyChanges([{ kind: 'changed', path: op.kind === 'rename' ? op.to : op.path }, ...(op.kind === 'rename' ? [{ kind: 'deleted' as const, path: op.from }] : [])]);
    }
  };
  return { ws, index, writer, apply, backlog: () => index.roots()[0] };
}
