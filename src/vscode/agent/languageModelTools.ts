import * as vscode from 'vscode';
import { AGENT_TOOLS, AgentContext, AgentTool, checkToolArgs, confirmation, WriteTool, writtenAnswer } from '../../agent/agentTools';
import { formatDate } from '../../core/writer';
import { CommandDeps } from '../commands/backlogCommands';
import { HealthOptions } from '../../views/backlogHealth';
import { Disposable } from '../platform/lifecycle';
import { TodoIndex } from '../todos/todoIndex';

export interface AgentToolDeps extends CommandDeps {
  todos: TodoIndex;
  health(): HealthOptions;
}

type Input = Record<string, unknown>;

/**
 * The agent tools (src/agent) as VS Code language-model tools, for Copilot's agent mode and any
 * chat participant: reads answer at once; a write first shows what it will change (files and
 * fields) and waits for the user, then goes through EditApplier as one undo step. In Restricted
 * Mode only the reads are registered (package.json hides the writes with `when` too); the writes
 * arrive when the workspace is trusted.
 */
export class LanguageModelTools extends Disposable {
  private writesRegistered = false;

  constructor(private readonly deps: AgentToolDeps) {
    super();
    for (const tool of AGENT_TOOLS) if (tool.kind === 'read') this.registerTool(tool);
    if (vscode.workspace.isTrusted) this.registerWrites();
    else this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.registerWrites()));
  }

  private registerWrites(): void {
    if (this.writesRegistered) return;
    this.writesRegistered = true;
    for (const tool of AGENT_TOOLS) if (tool.kind === 'write') this.registerTool(tool);
  }

  private registerTool(tool: AgentTool): void {
    this.register(
      vscode.lm.registerTool<Input>(tool.name, {
        prepareInvocation: (options) => this.prepare(tool, options.input),
        invoke: (options) => this.invoke(tool, options.input),
      }),
    );
  }

  /** The context of one call: the same index, writer and TODOs as the views, settings as they are now. */
  private context(): AgentContext {
    const { index, writer, ws, clock, todos } = this.deps;
    return {
      index,
      writer,
      // The settings as they are now (the tool's own clock gives today).
      health: this.deps.health(),
      today: () => formatDate(clock.now()),
      showPath: (path) => vscode.workspace.asRelativePath(ws.toUri(path), (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
      resolvePath: (path) => this.resolvePath(path),
      todos: async () => {
        await todos.ready();
        return todos.all().flatMap((t) => {
          const path = ws.toPath(t.uri);
          return path === undefined ? [] : [{ ...t, path }];
        });
      },
    };
  }

  /** A path an agent gave: absolute, relative to the (first) workspace folder, or `folder/…` in a multi-root workspace. */
  private resolvePath(path: string): string | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (path.startsWith('/')) return this.deps.ws.toPath(vscode.Uri.file(path));
    const [first, ...rest] = path.split('/');
    const named = folders.length > 1 ? folders.find((f) => f.name === first) : undefined;
    const base = named ?? folders[0];
    if (!base) return undefined;
    return this.deps.ws.toPath(vscode.Uri.joinPath(base.uri, ...(named ? rest : [path])));
  }

  /**
   * What VS Code shows before a call runs (its confirmation, for writes), as prepareInvocation
   * answers it. For tests: VS Code answers confirmations itself in an extension test run.
   */
  prepareByName(name: string, input: unknown): Promise<vscode.PreparedToolInvocation> {
    const tool = AGENT_TOOLS.find((t) => t.name === name);
    if (!tool) throw new Error(`No tool ${name}.`);
    return this.prepare(tool, input);
  }

  private async prepare(tool: AgentTool, input: unknown): Promise<vscode.PreparedToolInvocation> {
    if (tool.kind === 'read') return { invocationMessage: `${tool.title}…` };
    const args = checkToolArgs(tool, input);
    // A malformed call is refused by invoke, before anything is computed or asked.
    if (!args.ok) return { invocationMessage: `${tool.title}…` };
    await this.deps.scheduler.whenIdle();
    const ctx = this.context();
    const r = await tool.compute(ctx, args.value);
    const said = confirmation(ctx, tool, args.value, r);
    // Plain text: appendText would turn every space into &nbsp; in the dialog's plain-text detail.
    return { invocationMessage: `${tool.title}…`, confirmationMessages: { title: said.title, message: said.message } };
  }

  private async invoke(tool: AgentTool, input: unknown): Promise<vscode.LanguageModelToolResult> {
    const args = checkToolArgs(tool, input);
    // Thrown errors reach the model as the tool's answer, so it can correct its call.
    if (!args.ok) throw new Error(`${tool.name}: ${args.message}`);
    const outcome = tool.kind === 'read' ? await tool.run(this.context(), args.value) : await this.write(tool, args.value);
    if (!outcome.ok) throw new Error(outcome.message);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.text)]);
  }

  private async write(tool: WriteTool, args: Input) {
    await this.deps.scheduler.whenIdle();
    const ctx = this.context();
    const r = await tool.compute(ctx, args);
    if (!r.ok) return { ok: false as const, message: `Nothing was written: ${r.message}` };
    // The writer changes files only inside the backlogs; one undo step, named as the user sees it.
    const applied = await this.deps.applier.apply(r.operations, this.deps.index.roots().map((b) => b.root), r.label ?? r.summary);
    if (!applied) return { ok: false as const, message: 'Nothing was written: the change was refused (the file changed or could not be written); read the item again and retry.' };
    this.deps.log.info(`${tool.name}: ${r.summary}`);
    return writtenAnswer(ctx, r);
  }
}
