// `backlog-atlas mcp`: the agent tools (src/agent) as a Model Context Protocol server on stdio, for
// Claude Code, Codex, Cursor, Gemini CLI and any other MCP client. The tools are the same
// definitions the VS Code extension registers; writes go through the command line's own path
// (the writer's operations, checked by apply, written by safeWrite). stdout is the protocol:
// nothing else is ever printed there; problems go to stderr.
import * as nodePath from 'path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  CallToolResult,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, AgentContext, checkToolArgs, inputSchema, ToolOutcome, writtenAnswer } from '../agent/agentTools';
import { WORKFLOW_GUIDE } from '../agent/agentGuide';
import { BacklogIndex } from '../core/backlogIndex';
import { Clock } from '../core/clock';
import { Backlog } from '../core/backlog';
import { decodeText } from '../core/text';
import { TodoMatcher } from '../core/todo/todo';
import { todoOptionsFor } from '../core/todo/todoLinks';
import { BacklogWriter, formatDate } from '../core/writer';
import { DEFAULT_HEALTH_OPTIONS } from '../views/backlogHealth';
import { NodeWorkspace } from './nodeWorkspace';
import { scanTodos } from './todoScan';

export interface McpOptions {
  ws: NodeWorkspace;
  /** Reads the backlogs afresh: every call sees the files as they are now. */
  load(): Promise<BacklogIndex>;
  /** The project folder: paths are shown relative to it and TODOs are scanned in it. */
  cwd: string;
  clock: Clock;
  /** The ids on the backlog's active branches, so that a created item takes none of them. */
  idsElsewhere?: (backlog: Backlog) => Promise<string[]>;
  version: string;
  /** A line for stderr. */
  err(line: string): void;
}

const ITEM_URI = /^backlog:\/\/item\/([^/?#]{1,200})$/;
const GUIDE_URI = 'backlog://guide';

/** Serves until stdin closes. */
export async function runMcpServer(o: McpOptions): Promise<number> {
  const server = new McpServer({ name: 'backlog-atlas', version: o.version }, { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: WORKFLOW_GUIDE });
  const raw = server.server;
  // One request at a time: a write must see the files as the previous one left them.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  const contextFor = (index: BacklogIndex): AgentContext => ({
    index,
    writer: new BacklogWriter(index, o.ws, () => o.clock.now(), o.idsElsewhere),
    today: () => formatDate(o.clock.now()),
    health: DEFAULT_HEALTH_OPTIONS,
    showPath: (p) => nodePath.relative(o.cwd, p).split(nodePath.sep).join('/') || '.',
    resolvePath: (p) => nodePath.resolve(o.cwd, p).split(nodePath.sep).join('/'),
    todos: () => scanTodos([o.cwd], new TodoMatcher(todoOptionsFor(index)), { skipDirs: index.roots().map((b) => b.root), onUnnamed: (p) => o.err(`warning: ${p}: not scanned for TODOs, its name is not valid UTF-8.`) }),
  });

  raw.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: AGENT_TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: inputSchema(t),
      annotations: { title: t.title, readOnlyHint: t.kind === 'read', destructiveHint: t.kind === 'write' && t.destructive, idempotentHint: t.kind === 'read', openWorldHint: false },
    })),
  }));

  raw.setRequestHandler(CallToolRequestSchema, (request) =>
    serial(async (): Promise<CallToolResult> => {
      const tool = AGENT_TOOLS.find((t) => t.name === request.params.name);
      if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool "${request.params.name.slice(0, 80)}"; the tools are: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`);
      const args = checkToolArgs(tool, request.params.arguments);
      if (!args.ok) throw new McpError(ErrorCode.InvalidParams, `${tool.name}: ${args.message}`);
      const ctx = contextFor(await o.load());
      let outcome: ToolOutcome;
      if (tool.kind === 'read') outcome = await tool.run(ctx, args.value);
      else {
        const r = await tool.compute(ctx, args.value);
        // The writer changes files only inside the backlogs it read.
        const applied = r.ok ? await o.ws.apply(r.operations, ctx.index.roots().map((b) => b.root)) : r;
        outcome = !applied.ok ? { ok: false, message: `Nothing was written: ${applied.message}` } : r.ok ? writtenAnswer(ctx, r) : { ok: false, message: 'Nothing was written.' };
      }
      return outcome.ok ? { content: [{ type: 'text', text: outcome.text }] } : { content: [{ type: 'text', text: outcome.message }], isError: true };
    }),
  );

  raw.setRequestHandler(ListResourcesRequestSchema, () =>
    serial(async () => {
      const index = await o.load();
      const items = index.roots().flatMap((b) => b.allOrdered().map((i) => ({ uri: `backlog://item/${encodeURIComponent(i.id)}`, name: i.id, title: `${i.id} ${i.title}`, description: `${i.status}${i.type ? `, ${i.type}` : ''}`, mimeType: 'text/markdown' })));
      return { resources: [{ uri: GUIDE_URI, name: 'guide', title: 'How to work with this backlog', mimeType: 'text/markdown' }, ...items] };
    }),
  );
  raw.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: 'backlog://item/{id}', name: 'item', title: 'A backlog item by id (e.g. BL-42)', mimeType: 'text/markdown' }],
  }));
  raw.setRequestHandler(ReadResourceRequestSchema, (request) =>
    serial(async () => {
      const uri = request.params.uri;
      if (uri === GUIDE_URI) return { contents: [{ uri, mimeType: 'text/markdown', text: WORKFLOW_GUIDE }] };
      const m = ITEM_URI.exec(uri);
      let id: string | undefined;
      try {
        id = m ? decodeURIComponent(m[1]) : undefined;
      } catch {
        id = undefined;
      }
      if (id === undefined) throw new McpError(ErrorCode.InvalidParams, `Not a backlog resource: ${uri.slice(0, 200)}. Items are backlog://item/<id>.`);
      const item = (await o.load()).item(id);
      if (!item) throw new McpError(ErrorCode.InvalidParams, `No item ${id} in the backlog.`);
      const decoded = decodeText(await o.ws.read(item.path));
      if (!decoded.ok) throw new McpError(ErrorCode.InternalError, `${item.id}: ${decoded.message}`);
      return { contents: [{ uri, mimeType: 'text/markdown', text: decoded.value.text }] };
    }),
  );
  raw.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: [{ name: 'backlog_workflow', title: 'Work through the backlog', description: 'How to pick, start, track and finish backlog items with the backlog tools.' }],
  }));
  raw.setRequestHandler(GetPromptRequestSchema, async (request) => {
    if (request.params.name !== 'backlog_workflow') throw new McpError(ErrorCode.InvalidParams, `Unknown prompt "${request.params.name.slice(0, 80)}".`);
    return { description: 'How to work with this backlog', messages: [{ role: 'user', content: { type: 'text', text: WORKFLOW_GUIDE } }] };
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (raw.onclose = resolve));
  // When the client closes stdin, nothing more can arrive: the process ends once the requests
  // already read are answered (closing the transport at 'end' would drop their answers).
  await server.connect(transport);
  await closed;
  return 0;
}
