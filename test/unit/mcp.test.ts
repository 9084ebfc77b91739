// `backlog-atlas mcp` as an MCP client sees it: the built CLI started over stdio by the official
// SDK's client, on a temporary copy of a fixture backlog.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { backlogMd, requireBacklogMd } from './backlogMd';

const cliJs = path.resolve(__dirname, '../../dist/cli.js');
const fixture = path.resolve(__dirname, '../fixtures/workspace');

/** Every file under `dir` with its bytes: what a refused call must leave exactly as it was. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name))] = (await fs.readFile(path.join(entry.parentPath, entry.name))).toString('base64');
  }
  return out;
}

async function connect(cwd: string): Promise<{ client: Client; stderr: string[] }> {
  const stderr: string[] = [];
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliJs, 'mcp'], cwd, env: { PATH: process.env.PATH ?? '', BACKLOG_ATLAS_NOW: '2026-01-08T10:00Z', BACKLOG_ATLAS_NO_CACHE: '1' }, stderr: 'pipe' });
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const client = new Client({ name: 'backlog-atlas-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr };
}

function text(r: unknown): string {
  const content = (r as { content: { type: string; text: string }[] }).content;
  return content.map((c) => c.text).join('');
}

async function rejects(call: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(call, (e: unknown) => {
    assert.ok(e instanceof McpError, `a JSON-RPC error, not ${String(e)}`);
    assert.strictEqual(e.code, ErrorCode.InvalidParams);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('backlog-atlas mcp', function () {
  this.timeout(30_000);
  let dir: string;
  let client: Client;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-mcp-'));
    await fs.cp(fixture, dir, { recursive: true });
    ({ client } = await connect(dir));
  });

  afterEach(async () => {
    await client.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists the backlog tools, reads marked read-only, and a workflow guide', async () => {
    const { tools } = await client.listTools();
    assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['backlog_create', 'backlog_get', 'backlog_health', 'backlog_list', 'backlog_move', 'backlog_sprint', 'backlog_todos', 'backlog_update']);
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.strictEqual(byName.get('backlog_list')?.annotations?.readOnlyHint, true);
    assert.strictEqual(byName.get('backlog_update')?.annotations?.readOnlyHint, false);
    assert.strictEqual(byName.get('backlog_update')?.annotations?.destructiveHint, true);
    assert.deepStrictEqual(byName.get('backlog_get')?.inputSchema.required, ['id']);
    const guide = await client.readResource({ uri: 'backlog://guide' });
    assert.match(JSON.stringify(guide.contents[0]), /backlog_update/);
    const prompt = await client.getPrompt({ name: 'backlog_workflow' });
    assert.match(JSON.stringify(prompt.messages), /backlog_sprint/);
  });

  it('creates an item, updates it and reads it back, as a tool answer and as a resource', async () => {
    const created = JSON.parse(text(await client.callTool({ name: 'backlog_create', arguments: { title: 'Export routes as GPX', type: 'story', estimate: 3 } }))) as { id: string; files: string[] };
    assert.strictEqual(created.id, 'FX-6');
    assert.deepStrictEqual(created.files, ['backlog/tasks/fx-6 - Export-routes-as-GPX.md (new)']);
    const file = path.join(dir, 'backlog/tasks/fx-6 - Export-routes-as-GPX.md');
    assert.match(await fs.readFile(file, 'utf8'), /^title: Export routes as GPX$/m);

    const updated = await client.callTool({ name: 'backlog_update', arguments: { id: 'FX-6', status: 'in progress', addCriteria: ['The file opens in other map apps'], appendNotes: 'Started with the track points.' } });
    assert.ok(!updated.isError, text(updated));
    const after = await fs.readFile(file, 'utf8');
    assert.match(after, /^status: In Progress$/m);
    assert.match(after, /<!-- AC:BEGIN -->\n- \[ \] #1 The file opens in other map apps\n<!-- AC:END -->/);
    assert.match(after, /## Implementation Notes\n\n<!-- SECTION:NOTES:BEGIN -->\nStarted with the track points.\n<!-- SECTION:NOTES:END -->\n$/);

    await client.callTool({ name: 'backlog_update', arguments: { id: 'FX-6', check: [1] } });
    const checked = await fs.readFile(file, 'utf8');
    assert.strictEqual(checked, after.replace('- [ ] #1', '- [x] #1'), 'only the checkbox changed (updated_date was already today)');

    const got = JSON.parse(text(await client.callTool({ name: 'backlog_get', arguments: { id: 'fx-6' } }))) as { status: string; estimate: number; acceptanceCriteria: unknown[]; implementationNotes: string };
    assert.strictEqual(got.status, 'In Progress');
    assert.strictEqual(got.estimate, 3);
    assert.deepStrictEqual(got.acceptanceCriteria, [{ index: 1, checked: true, text: 'The file opens in other map apps' }]);
    assert.strictEqual(got.implementationNotes, 'Started with the track points.');

    const resource = await client.readResource({ uri: 'backlog://item/fx-6' });
    assert.strictEqual((resource.contents[0] as { text?: string }).text, checked);
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === 'backlog://item/FX-6' && r.title === 'FX-6 Export routes as GPX'));
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepStrictEqual(resourceTemplates.map((t) => t.uriTemplate), ['backlog://item/{id}']);
  });

  it('lists, moves, and reads the sprint, health and TODOs', async () => {
    const listed = JSON.parse(text(await client.callTool({ name: 'backlog_list', arguments: { sprint: 'active' } }))) as { items: { id: string }[] };
    assert.deepStrictEqual(listed.items.map((i) => i.id), ['FX-2', 'FX-3']);
    const moved = JSON.parse(text(await client.callTool({ name: 'backlog_move', arguments: { id: 'FX-4', sprint: 'S-1', position: 'top' } }))) as { files: string[] };
    assert.deepStrictEqual(moved.files, ['backlog/tasks/fx-4 - Results-ignore-accents.md']);
    const sprint = JSON.parse(text(await client.callTool({ name: 'backlog_sprint', arguments: {} }))) as { id: string; goal: string; daysLeft: number; backlog: { id: string }[] };
    assert.deepStrictEqual([sprint.id, sprint.goal, sprint.daysLeft], ['S-1', 'Search works offline', 8]);
    assert.deepStrictEqual(sprint.backlog.map((i) => i.id), ['FX-4', 'FX-2', 'FX-3']);
    const health = JSON.parse(text(await client.callTool({ name: 'backlog_health', arguments: {} }))) as { bands: { band: string }[] };
    assert.strictEqual(health.bands.length, 3);
    const todos = JSON.parse(text(await client.callTool({ name: 'backlog_todos', arguments: { id: 'FX-4' } }))) as { todos: { path: string; item: string }[] };
    assert.ok(todos.todos.length > 0 && todos.todos.every((t) => t.item?.toUpperCase() === 'FX-4' && t.path.startsWith('src/')), JSON.stringify(todos));
  });

  it('tells an agent what is wrong with a value instead of writing what no tool reads back', async () => {
    const refused = async (name: string, args: Record<string, unknown>, pattern: RegExp) => {
      const r = await client.callTool({ name, arguments: args });
      assert.strictEqual(r.isError, true, `${name} ${JSON.stringify(args)}: ${text(r)}`);
      assert.match(text(r), pattern);
    };
    const before = await snapshot(dir);
    await refused('backlog_list', { status: 'Nope' }, /No status "Nope"; the statuses are: To Do, In Progress, Done/);
    await refused('backlog_create', { title: 'Fix \u001b[31merror\u001b[0m in build' }, /control characters/);
    await refused('backlog_create', { title: 'Split', description: 'Intro\n\n## Acceptance Criteria\n- [ ] a' }, /would start another section/);
    await refused('backlog_update', { id: 'FX-3', dependencies: ['FX-999'] }, /No item FX-999 in the backlog to depend on/);
    await refused('backlog_update', { id: 'FX-2', check: [1], uncheck: [1] }, /#1 cannot be checked and unchecked in one change/);
    assert.deepStrictEqual(await snapshot(dir), before, 'nothing was written');

    // A heading of the agent's own stays in the description, as Backlog.md reads it.
    const made = JSON.parse(text(await client.callTool({ name: 'backlog_create', arguments: { title: 'Export', description: 'Intro\n\n## Details\nGPX and KML.' } }))) as { id: string };
    const got = JSON.parse(text(await client.callTool({ name: 'backlog_get', arguments: { id: made.id } }))) as { description: string };
    assert.strictEqual(got.description, 'Intro\n\n## Details\nGPX and KML.');
    // Ids as their items spell them, once.
    const deps = await client.callTool({ name: 'backlog_update', arguments: { id: made.id, dependencies: ['fx-2', 'FX-2', '3'] } });
    assert.ok(!deps.isError, text(deps));
    const reread = JSON.parse(text(await client.callTool({ name: 'backlog_get', arguments: { id: made.id } }))) as { dependencies: { id: string }[] };
    assert.deepStrictEqual(reread.dependencies.map((d) => d.id), ['FX-2', 'FX-3']);
  });

  it('answers malformed arguments with a JSON-RPC error, writes nothing, and keeps serving', async () => {
    const before = await snapshot(dir);
    await rejects(client.callTool({ name: 'backlog_update', arguments: { id: 'FX-2', estimate: 'five' } }), /"estimate" must be a number/);
    await rejects(client.callTool({ name: 'backlog_update', arguments: { id: 'FX-2', estimate: -1 } }), /at least 0/);
    await rejects(client.callTool({ name: 'backlog_update', arguments: { id: 'FX-2', bogus: true } }), /Unknown argument "bogus"/);
    await rejects(client.callTool({ name: 'backlog_create', arguments: {} }), /"title" is required/);
    await rejects(client.callTool({ name: 'backlog_create', arguments: { title: 'x'.repeat(30_000) } }), /longer than/);
    await rejects(client.callTool({ name: 'backlog_drop_table', arguments: {} }), /Unknown tool/);
    await rejects(client.request({ method: 'tools/call', params: { name: 'backlog_move', arguments: { id: ['FX-2'], position: 'top' } } }, CallToolResultSchema), /"id" must be a string/);
    await rejects(client.readResource({ uri: 'backlog://item/%E0%A4%A' }), /Not a backlog resource/);
    // Well-formed but refused by the writer: a tool error, said to the model.
    const refused = await client.callTool({ name: 'backlog_update', arguments: { id: 'FX-2', status: 'Shipped' } });
    assert.strictEqual(refused.isError, true);
    assert.match(text(refused), /not a status of this backlog/);
    const broken = await client.callTool({ name: 'backlog_update', arguments: { id: 'FX-5', estimate: 2 } });
    assert.strictEqual(broken.isError, true, 'fx-5 does not parse, so it is never rewritten');
    assert.deepStrictEqual(await snapshot(dir), before);
    assert.strictEqual((await client.listTools()).tools.length, 8, 'the server still answers');
  });
});

describe('backlog-atlas mcp on a long backlog', function () {
  this.timeout(30_000);

  it('lists the first ids of a long finding and counts the rest, instead of every id', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-mcp-long-'));
    try {
      await fs.mkdir(path.join(dir, 'backlog', 'tasks'), { recursive: true });
      await fs.writeFile(path.join(dir, 'backlog', 'config.yml'), 'project_name: "Long"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n');
      for (let n = 1; n <= 200; n++) await fs.writeFile(path.join(dir, 'backlog', 'tasks', `bl-${n} - Item ${n}.md`), `---\nid: BL-${n}\ntitle: Item ${n}\nstatus: To Do\nrank: a${String(n).padStart(3, '0')}\n---\n`);
      const { client } = await connect(dir);
      try {
        type Ids = string[] | { first: string[]; count: number };
        const health = JSON.parse(text(await client.callTool({ name: 'backlog_health', arguments: {} }))) as { bands: { fallShort: Ids }[]; toGroom: { kind: string; items: Ids }[] };
        // None of the 200 is ready: the top 20% (40 items) fall short, listed from the first in rank.
        const top = { first: Array.from({ length: 25 }, (_, k) => `BL-${k + 1}`), count: 40 };
        assert.deepStrictEqual(health.bands[0].fallShort, top);
        assert.deepStrictEqual(health.toGroom.find((f) => f.kind === 'not-ready')?.items, top);
      } finally {
        await client.close();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('backlog-atlas mcp on a raw pipe', function () {
  this.timeout(30_000);

  it('prints only protocol on stdout, survives garbage, and answers what came before stdin closed', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-mcp-raw-'));
    try {
      await fs.cp(fixture, dir, { recursive: true });
      const lines = [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'backlog_update', arguments: 'not an object' } },
        'garbage{',
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'backlog_list', arguments: { limit: 1 } } },
      ].map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
      const r = spawnSync(process.execPath, [cliJs, 'mcp'], { cwd: dir, input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 20_000 });
      assert.strictEqual(r.status, 0, r.stderr);
      const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; error?: unknown; result?: unknown });
      assert.deepStrictEqual(answers.map((a) => a.id).sort(), [1, 2, 3]);
      assert.ok(answers.find((a) => a.id === 2)?.error, 'arguments that are not an object: a JSON-RPC error');
      assert.match(JSON.stringify(answers.find((a) => a.id === 3)?.result), /FX-1/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('backlog-atlas mcp on a backlog Backlog.md made', function () {
  this.timeout(60_000);
  const theirs = requireBacklogMd();

  it("ticks, adds criteria and notes that Backlog.md's own view then shows", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-mcp-bmd-'));
    try {
      backlogMd(theirs(), ['init', 'Interop', '--no-git', '--defaults', '--integration-mode', 'none'], dir);
      backlogMd(theirs(), ['task', 'create', 'Map tiles', '--ac', 'Tiles load offline', '--ac', 'Old tiles expire', '--notes', 'Cache in IndexedDB.'], dir);
      const { client } = await connect(dir);
      try {
        const r = await client.callTool({ name: 'backlog_update', arguments: { id: 'TASK-1', status: 'In Progress', check: [2], addCriteria: ['Works on a slow phone'], appendNotes: 'Expiry after 30 days.' } });
        assert.ok(!r.isError, text(r));
      } finally {
        await client.close();
      }
      const shown = backlogMd(theirs(), ['task', 'TASK-1', '--plain'], dir);
      assert.match(shown, /^Status: . ?In Progress$|^Status: In Progress$/m);
      assert.match(shown, /- \[ \] #1 Tiles load offline\n- \[x\] #2 Old tiles expire\n- \[ \] #3 Works on a slow phone/);
      assert.match(shown, /Cache in IndexedDB\.\n\nExpiry after 30 days\./);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
