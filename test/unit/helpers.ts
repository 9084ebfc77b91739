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

/** A small backlog with an epic, three sprints (closed, active, planned), a release and a milestone: what the tree tests plan against. */
export const PLANNING_FILES: Record<string, string> = {
  'backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n',
  'backlog/sprints.yml': [
    'sprints:',
    "  - {id: S-1, name: Sprint 1, state: closed}",
    "  - {id: S-2, name: Sprint 2, state: active, capacity: 5, end: '2026-11-25'}",
    "  - {id: S-3, name: Sprint 3, state: planned, start: '2026-11-30'}",
    '',
  ].join('\n'),
  'backlog/releases.yml': "releases:\n  - {id: R-1, name: One, date: '2027-01-01'}\n",
  'backlog/milestones/m-1 - beta.md': '---\nid: m-1\ntitle: Beta\n---\n',
  'backlog/tasks/bl-1 - A.md': itemText({ id: 'BL-1', title: 'Epic A', type: 'epic', rank: 'a0' }),
  'backlog/tasks/bl-2 - B.md': itemText({ id: 'BL-2', title: 'B', type: 'story', epic: 'BL-1', estimate: 3, sprint: 'S-2', rank: 'a1', status: 'Done' }),
  'backlog/tasks/bl-3 - C.md': itemText({ id: 'BL-3', title: 'C', type: 'bug', size: 'S', sprint: 'S-2', rank: 'a2', labels: '[ui]' }),
  'backlog/tasks/bl-4 - D.md': itemText({ id: 'BL-4', title: 'Offline D', type: 'story', rank: 'a3', milestone: 'm-1' }),
  'backlog/tasks/bl-5 - E.md': itemText({ id: 'BL-5', title: 'E', type: 'opportunity', rank: 'a4' }),
};
