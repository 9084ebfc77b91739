import * as assert from 'assert';
import { BacklogIndex } from '../../src/core/backlogIndex';
import { MemoryWorkspace } from '../../src/core/memoryWorkspace';
import { itemText } from './helpers';

// The build runs on the extension host, which must never stall: a plan file (a sprints.yml of 200
// sprints takes the yaml library 10-30 ms) is parsed in a turn of the event loop of its own, not
// in one that item files' parsing already used.

/** A workspace that notes, for each file read, how many turns the event loop had taken by then. */
class TurnWorkspace extends MemoryWorkspace {
  turns = 0;
  readonly readAt = new Map<string, number>();
  override async read(path: string): Promise<Uint8Array> {
    this.readAt.set(path, this.turns);
    return super.read(path);
  }
}

describe('building the index', () => {
  it('parses each plan file in a turn of its own, before the items', async () => {
    const files: Record<string, string> = {
      '/ws/backlog/config.yml': 'project_name: "T"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n',
      '/ws/backlog/sprints.yml': 'sprints:\n  - {id: S-1, name: Sprint 1, state: active}\n',
      '/ws/backlog/releases.yml': 'releases:\n  - {id: R-1, name: One}\n',
    };
    for (let n = 1; n <= 5; n++) files[`/ws/backlog/tasks/bl-${n} - Item ${n}.md`] = itemText({ id: `BL-${n}`, title: `Item ${n}`, status: 'To Do' });
    const ws = new TurnWorkspace(files);
    let running = true;
    const tick = () => {
      ws.turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const index = new BacklogIndex(ws, { folders: ['/ws'] });
    await index.build();
    running = false;
    // What a user sees: the whole backlog, sprints and releases included.
    const b = index.roots()[0];
    assert.deepStrictEqual(b.sprints.map((s) => s.id), ['S-1']);
    assert.deepStrictEqual(b.releasesFile.map((r) => r.id), ['R-1']);
    assert.strictEqual(b.items().length, 5);
    const at = (p: string) => ws.readAt.get(`/ws/backlog/${p}`)!;
    const items = [1, 2, 3, 4, 5].map((n) => at(`tasks/bl-${n} - Item ${n}.md`));
    assert.ok(at('sprints.yml') > at('config.yml'), `sprints.yml read in turn ${at('sprints.yml')}, config.yml in ${at('config.yml')}`);
    assert.ok(at('releases.yml') > at('sprints.yml'), `releases.yml read in turn ${at('releases.yml')}, sprints.yml in ${at('sprints.yml')}`);
    assert.ok(Math.min(...items) > at('releases.yml'), `items read from turn ${Math.min(...items)}, releases.yml in ${at('releases.yml')}`);
  });
});
