import { promises as fs } from 'fs';
import * as path from 'path';
import { freshRanks } from '../src/core/rules/rank';
import { itemFileName } from '../src/core/naming';

/** Backlog.md's file name of a generated item, whose id is always a plain `BL-<n>`. */
export function benchFileName(id: string, title: string): string {
  const name = itemFileName(id, title);
  if (!name.ok) throw new Error(name.message);
  return name.name;
}

const TYPES = ['story', 'story', 'story', 'task', 'bug', 'debt', 'improvement', 'spike'];
const STATUSES = ['To Do', 'To Do', 'In Progress', 'Done'];
const WORDS = ['route', 'map', 'offline', 'sync', 'group', 'trip', 'gear', 'payment', 'profile', 'search', 'alert', 'weather'];

/** Writes a Backlog.md-compatible backlog of `count` items (with our keys) under `folder/backlog`. */
export async function generateBacklog(folder: string, count: number): Promise<string> {
  const root = path.join(folder, 'backlog');
  await fs.mkdir(path.join(root, 'tasks'), { recursive: true });
  await fs.mkdir(path.join(root, 'completed'), { recursive: true });
  await fs.writeFile(
    path.join(root, 'config.yml'),
    'project_name: "Bench"\ntask_prefix: "bl"\ndefault_status: "To Do"\nstatuses: ["To Do", "In Progress", "Done"]\nlabels: []\ndate_format: yyyy-mm-dd\n',
  );
  const sprints = Math.max(3, Math.floor(count / 50));
  const sprintLines = ['sprints:'];
  for (let s = 1; s <= sprints; s++) sprintLines.push(`  - {id: S-${s}, name: Sprint ${s}, state: ${s < sprints - 1 ? 'closed' : s === sprints - 1 ? 'active' : 'planned'}, capacity: 30}`);
  await fs.writeFile(path.join(root, 'sprints.yml'), sprintLines.join('\n') + '\n');
  const ranks = freshRanks(count);
  const epics = Math.max(1, Math.floor(count / 40));
  const writes: Promise<void>[] = [];
  for (let n = 1; n <= count; n++) {
    const isEpic = n <= epics;
    const type = isEpic ? 'epic' : TYPES[n % TYPES.length];
    const status = STATUSES[n % STATUSES.length];
    const title = `${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]} improvement ${n}`;
    const fm = [
      '---',
      `id: BL-${n}`,
      `title: ${title}`,
      `status: ${status}`,
      'assignee:',
      `  - '@dev${n % 9}'`,
      "created_date: '2026-10-01 09:30'",
      `labels: [${WORDS[n % 5]}, ${WORDS[(n + 3) % 7]}]`,
      'dependencies: []',
      `type: ${type}`,
      `priority: ${['high', 'medium', 'low'][n % 3]}`,
      n % 3 === 0 ? `size: ${['S', 'M', 'L'][n % 3]}` : `estimate: ${[1, 2, 3, 5, 8][n % 5]}`,
      `rank: ${ranks[n - 1]}`,
      ...(isEpic ? [] : [`epic: BL-${1 + (n % epics)}`]),
      ...(n % 4 === 0 ? [`sprint: S-${1 + (n % sprints)}`] : []),
      '---',
      '',
      '## Description',
      '',
      '<!-- SECTION:DESCRIPTION:BEGIN -->',
      `As a hiker I want ${title} so that planning takes less time.`,
      '<!-- SECTION:DESCRIPTION:END -->',
      '',
      '## Acceptance Criteria',
      '<!-- AC:BEGIN -->',
      '- [x] #1 The happy path works',
      '- [ ] #2 Errors are shown in words a person understands',
      '- [ ] #3 Works offline',
      '<!-- AC:END -->',
      '',
    ];
    const dir = status === 'Done' && n % 8 === 0 ? 'completed' : 'tasks';
    writes.push(fs.writeFile(path.join(root, dir, benchFileName(`BL-${n}`, title)), fm.join('\n')));
    if (writes.length >= 256) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  return root;
}
