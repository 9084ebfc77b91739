import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as nodePath from 'path';
import { Backlog } from '../core/backlog';
import { BacklogIndex, ROOT_CONFIG } from '../core/backlogIndex';
import { Clock, clockFromSetting, systemClock } from '../core/clock';
import { Diagnostic, Item } from '../core/types';
import { backlogPoints, releaseFigures, sprintFigures, velocity } from '../core/figures/figures';
import { itemSummary } from '../agent/itemSummary';
import { BacklogWriter, FileOperation, formatDate, WriteResult } from '../core/writer';
import { FieldValue } from '../core/format/yamlEdit';
import { TodoMatcher } from '../core/todo/todo';
import { todoLinkProblem, todoOptionsFor } from '../core/todo/todoLinks';
import { NodeWorkspace } from './nodeWorkspace';
import { cliCacheFile, IndexCacheFile } from '../node/indexCacheFile';
import type { ReportName } from './report';
import { forTerminal, jsonText, LineBuffer } from './terminal';

export { jsonText };
import { FileTodo, scanTodos } from './todoScan';
import { version as VERSION } from '../../package.json';
import { retargetTodoRefs } from '../core/todo/todoEditText';
import { MAX_FILE_BYTES } from '../core/todo/scanScope';
import { readRegularFile } from '../node/safeRead';
import { errorMessage } from '../core/text';
import { idKey } from '../core/naming';

const USAGE = `Usage: backlog-atlas <command> [options]

Commands:
  list [paths] [--json] [--all] [--ready]
                                 the product backlog in order (every item with --all; only
                                 items no open dependency blocks with --ready)
  lint [paths] [--json] [--no-todos]
                                 problems in backlog files, and TODOs that name missing,
                                 done or archived items; exits 1 when there are errors
  todos [paths] [--json]         TODO comments in code and the items they name
  mcp [path]                     a Model Context Protocol server on stdio: the backlog tools
                                 for coding agents (Claude Code, Codex, Cursor…)
  set <id> <key> <value> [--in <path>]
                                 change one field of one item ("" removes it)
  create "<title>" [--type T] [--status S] [--sprint ID] [--release ID] [--estimate N]
         [--parent ID] [--json] [--in <path>]
                                 a new item (a subtask with --parent); prints its id
  move <id> --top|--bottom|--before <id>|--after <id> [--in <path>]
                                 reorder one item; writes its file only, in an order
                                 Backlog.md shows the same way
  rebalance [--in <path>]        give every item a fresh rank and ordinal in its current
                                 order (rewrites every item file whose place changes)
  complete <id>                  move an item to completed/, as Backlog.md does
  archive <id>                   move an item to archive/tasks/ and drop it from the
                                 dependencies of the items in tasks/
  promote <draft-id>             a draft becomes a task with the next task id
  demote <id>                    a task becomes a draft with the next draft id
  milestone add "<title>" [--due-date YYYY-MM-DD] [--description TEXT]
  milestone rename <milestone> "<title>"
  milestone remove <milestone> [--task-handling clear|keep|reassign] [--reassign-to <milestone>]
  milestone archive <milestone>
                                 Backlog.md's milestones, as its own milestone commands
                                 write them (by id, number or title; --in <path> as above)
  renumber <id> [--file <path>] [--move-references]
                                 repair a duplicate id after a merge: the item (the one in
                                 <path> when several share the id) takes the next free id,
                                 in its file and its file name; --move-references makes the
                                 other items' dependencies, subtasks, parent and epic, and
                                 the TODOs in the project's code, follow
  diff <base> [paths] [--json|--markdown]
                                 what this branch did to the backlog since it left <base>
                                 (the merge base against the working tree): items added,
                                 removed, completed, moved, re-estimated, re-ranked, and
                                 the scope per sprint; --markdown for a pull-request comment
  stats [paths] [--json]         counts by type, status and sprint
  report velocity|burndown|release [paths] [--sprint <id>] [--release <id>]
         [--json|--csv] [--items]
                                 the Reports panel's figures, from the files (points;
                                 items with --items); burndown shows the active sprint and
                                 release the next release unless --sprint or --release says

Paths are folders that contain backlog/ or .backlog/, or backlog folders themselves;
they default to the current folder. A folder without a backlog stands for the project
above it that has one, as in git (never above the repository's .git). Options take their value as --in <path> or --in=<path>;
everything after -- is a path or value, even when it starts with --:
  backlog-atlas set BL-12 title -- "--force is not an option"

Every command keeps what it parsed of each item file in $XDG_CACHE_HOME/backlog-atlas
(~/.cache/backlog-atlas without it), never in the repository, and reads again only the
files that changed since; --no-cache, or BACKLOG_ATLAS_NO_CACHE=1, reads every file.

Environment:
  BACKLOG_ATLAS_NO_CACHE         when set, nothing is cached (as --no-cache)
  BACKLOG_ATLAS_NOW              what day it is for dates written: 2026-11-21, 2026-11-21T09:30Z
                                 or whole days from today (+7d, -30d); the system clock without it`;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs the command line and returns the exit code; `main` below wires it to the process. With
 * `options.cache` (the environment it reads `XDG_CACHE_HOME` and `BACKLOG_ATLAS_NO_CACHE` from),
 * parsed item files are kept in the user's cache folder between runs; without it, as in tests,
 * nothing is kept.
 */
export async function runCli(argv: string[], cwd: string, io: Output, clock?: Clock, options: { cache?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const parsed = parseArgs(argv);
  if ('error' in parsed) {
    io.err(`${forTerminal(parsed.error)}\n\n${USAGE}`);
    return 2;
  }
  const { flags, args } = parsed;
  const ws = new NodeWorkspace();
  const inPath = parsed.values.get('--in');
  const [command, ...rest] = args;
  const json = flags.has('--json');
  if (flags.has('--version') || (command === '-v' && rest.length === 0)) {
    io.out(VERSION);
    return 0;
  }
  if (!command || flags.has('--help') || command === 'help' || command === '-h') {
    io.out(USAGE);
    return command || flags.has('--help') ? 0 : 2;
  }
  // An option a command does not use is refused, never parsed and then ignored: `list --in x`
  // would list the current folder, `set BL-1 title two words` would name it "two".
  const allowed = COMMAND_OPTIONS[command];
  if (allowed !== undefined) {
    const unused = [...flags, ...parsed.values.keys()].find((o) => o !== '--no-cache' && !allowed.includes(o));
    if (unused !== undefined) {
      io.err(`${command} does not take ${unused}.${allowed.length > 0 ? ` Its options: ${allowed.join(', ')}.` : ''}`);
      return 2;
    }
  }
  // A path that is not there is a mistake to say, not a folder without a backlog.
  const paths = PATH_COMMANDS.has(command) ? (command === 'report' || command === 'diff' ? rest.slice(1) : rest) : [];
  const missing = await firstMissing(ws, inPath !== undefined ? [...paths, inPath] : paths, cwd);
  if (missing !== undefined) {
    io.err(`No such file or folder: ${forTerminal(missing)}`);
    return 2;
  }
  const env = options.cache;
  const useCache = env !== undefined && !flags.has('--no-cache') && !env.BACKLOG_ATLAS_NO_CACHE;
  const load = async (paths: string[]) => {
    const { folders, extraRoots } = await resolveRoots(ws, paths.length > 0 ? paths : [cwd], cwd);
    const caches = new Map<string, IndexCacheFile | undefined>();
    const cache = (root: string) => {
      if (!caches.has(root)) {
        const file = cliCacheFile(root, env);
        caches.set(root, file === undefined ? undefined : IndexCacheFile.open({ file, root, version: programVersion(), blocking: true }));
      }
      return caches.get(root);
    };
    const index = new BacklogIndex(ws, { folders, extraRoots, cache: useCache ? cache : undefined });
    await index.build();
    for (const c of caches.values()) await c?.save();
    return index;
  };

  /** The one backlog a command works on, or its exit code after saying why there is none, or more than one. */
  const oneRoot = (index: BacklogIndex, what: string): Backlog | number => {
    const roots = index.roots();
    if (roots.length === 1) return roots[0];
    io.err(roots.length === 0 ? 'No backlog/ or .backlog/ folder found.' : `${roots.length} backlogs found (${roots.map((b) => forTerminal(nodePath.relative(cwd, b.root) || '.')).join(', ')}): name the one to ${what}.`);
    return roots.length === 0 ? 1 : 2;
  };

  /** Says that no backlog was found where the command looked; exit code 1, as for a failed lint. */
  const noBacklog = (): number => {
    io.err('No backlog/ or .backlog/ folder found here or above (up to the repository\'s top); name the folder that holds one.');
    return 1;
  };

  /** Writes what the writer decided, only inside the backlogs read; on a refusal says why and gives exit code 1. */
  const write = async (r: WriteResult, roots: string[]): Promise<number | undefined> => {
    const applied = r.ok ? await ws.apply(r.operations, roots) : r;
    if (applied.ok) return undefined;
    io.err(forTerminal(applied.message));
    return 1;
  };

  switch (command) {
    case 'list': {
      const index = await load(rest);
      // --ready keeps what can start now, as Backlog.md's `task list --ready` does.
      const items = index.roots().flatMap((b) => (flags.has('--all') ? b.allOrdered() : b.productBacklog()).filter((i) => !flags.has('--ready') || b.isReady(i)).map((i) => ({ b, i })));
      if (index.roots().length === 0) return noBacklog();
      if (json) io.out(jsonText(items.map(({ b, i }) => itemJson(b, i, cwd))));
      else for (const { b, i } of items) io.out(listLine(b, i));
      return 0;
    }
    case 'lint': {
      const isFile = (p: string) => p.endsWith('.md') || p.endsWith('.yml');
      const dirs = rest.filter((p) => !isFile(p));
      // A file is linted in its own backlog, wherever that is: the folder it sits in stands for it.
      const index = await load([...dirs, ...rest.filter(isFile).map((p) => nodePath.dirname(nodePath.resolve(cwd, p)))]);
      if (index.roots().length === 0) return noBacklog();
      const only = rest.filter(isFile).map((p) => toPosix(nodePath.resolve(cwd, p)));
      const all = [...index.diagnostics().values()].flat().filter((d) => only.length === 0 || only.includes(d.path));
      if (!flags.has('--no-todos') && only.length === 0) all.push(...(await staleTodoLinks(index, dirs.length > 0 ? dirs.map((d) => nodePath.resolve(cwd, d)) : [cwd], unnamedWarning(io, cwd))));
      all.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
      if (json) io.out(jsonText(all.map((d) => ({ ...d, path: nodePath.relative(cwd, d.path), line: d.line + 1, column: d.column + 1 }))));
      else for (const d of all) io.out(lintLine(d, cwd));
      const errors = all.filter((d) => d.severity === 'error').length;
      if (!json) io.err(`${errors} error(s), ${all.length - errors} warning(s) in ${index.roots().length} backlog(s).`);
      return errors > 0 ? 1 : 0;
    }
    case 'set': {
      const [id, key, value, ...extra] = rest;
      if (id === undefined || key === undefined || value === undefined) {
        io.err('Usage: backlog-atlas set <id> <key> <value>');
        return 2;
      }
      if (extra.length > 0) {
        io.err(forTerminal(`set takes one value, and was given ${extra.length + 1}; quote a value of several words: backlog-atlas set ${id} ${key} "${[value, ...extra].join(' ')}"`));
        return 2;
      }
      const index = await load(inPath ? [inPath] : []);
      const writer = new BacklogWriter(index, ws, clock ? () => clock.now() : undefined);
      const r = key === 'title' ? await writer.setTitle(id, value) : await writer.setField(id, key, parseValue(value));
      // The writer changes files only inside the backlog it read.
      const failed = await write(r, index.roots().map((b) => b.root));
      if (failed !== undefined || !r.ok) return failed ?? 1;
      io.out(forTerminal(r.summary));
      return 0;
    }
    case 'create':
    case 'move':
    case 'complete':
    case 'archive':
    case 'promote':
    case 'demote': {
      const [subject, ...extra] = rest;
      if (subject === undefined || extra.length > 0) {
        io.err(`Usage: backlog-atlas ${WRITE_USAGE[command]}`);
        return 2;
      }
      const index = await load(inPath ? [inPath] : []);
      // New ids skip those taken on other active branches (Backlog.md's check_active_branches).
      const writer = new BacklogWriter(index, ws, clock ? () => clock.now() : undefined, (b) => branchIds(b, clock ?? systemClock, io));
      const r = await writeCommand(command, subject, writer, index, parsed);
      if ('usage' in r) {
        io.err(`${forTerminal(r.usage)}\n\nUsage: backlog-atlas ${WRITE_USAGE[command]}`);
        return 2;
      }
      const failed = await write(r, index.roots().map((b) => b.root));
      if (failed !== undefined || !r.ok) return failed ?? 1;
      if (command === 'create') {
        const made = r.operations.find((o) => o.kind === 'create');
        if (json) io.out(jsonText({ id: r.itemId, path: made && made.kind === 'create' ? nodePath.relative(cwd, made.path) : undefined }));
        else io.out(forTerminal(r.itemId ?? ''));
      } else io.out(forTerminal(r.summary));
      return 0;
    }
    case 'rebalance': {
      if (rest.length > 0) {
        io.err('Usage: backlog-atlas rebalance [--in <path>]');
        return 2;
      }
      const index = await load(inPath ? [inPath] : []);
      const backlog = oneRoot(index, 'rebalance (--in <path>)');
      if (typeof backlog === 'number') return backlog;
      const r = await new BacklogWriter(index, ws, clock ? () => clock.now() : undefined).rebalance(backlog.root);
      const failed = await write(r, [backlog.root]);
      if (failed !== undefined || !r.ok) return failed ?? 1;
      io.out(forTerminal(r.summary));
      return 0;
    }
    case 'milestone': {
      const [action, ...args] = rest;
      const usage = MILESTONE_USAGE[action as keyof typeof MILESTONE_USAGE];
      const wanted = action === 'rename' ? 2 : 1;
      if (usage === undefined || args.length !== wanted) {
        io.err(`Usage:\n${Object.values(MILESTONE_USAGE).map((u) => `  backlog-atlas milestone ${u}`).join('\n')}`);
        return 2;
      }
      const index = await load(inPath ? [inPath] : []);
      const roots = index.roots();
      if (roots.length !== 1) {
        io.err(roots.length === 0 ? 'No backlog/ or .backlog/ folder found.' : `${roots.length} backlogs found: name one with --in <path>.`);
        return roots.length === 0 ? 1 : 2;
      }
      const root = roots[0].root;
      const writer = new BacklogWriter(index, ws, clock ? () => clock.now() : undefined);
      const handling = parsed.values.get('--task-handling') ?? 'clear';
      if (handling !== 'clear' && handling !== 'keep' && handling !== 'reassign') {
        io.err(`--task-handling is clear, keep or reassign, not "${forTerminal(handling)}".`);
        return 2;
      }
      const r =
        action === 'add'
          ? await writer.addMilestone(root, args[0], { dueDate: parsed.values.get('--due-date'), description: parsed.values.get('--description') })
          : action === 'rename'
            ? await writer.renameMilestone(root, args[0], args[1])
            : action === 'remove'
              ? await writer.removeMilestone(root, args[0], handling, parsed.values.get('--reassign-to'))
              : await writer.archiveMilestone(root, args[0]);
      const failed = await write(r, [root]);
      if (failed !== undefined || !r.ok) return failed ?? 1;
      io.out(forTerminal(r.summary));
      return 0;
    }
    case 'mcp': {
      if (rest.length > 1) {
        io.err('Usage: backlog-atlas mcp [path]');
        return 2;
      }
      // The project is read afresh for every request, so that the agent sees the files as they are.
      const top = rest[0] !== undefined ? nodePath.resolve(cwd, rest[0]) : ((await projectTop(ws, toPosix(cwd))) ?? cwd);
      const { runMcpServer } = lazy.mcp();
      return runMcpServer({ ws, load: () => load([top]), cwd: top, clock: clock ?? systemClock, idsElsewhere: (b) => branchIds(b, clock ?? systemClock, io), version: VERSION, err: io.err });
    }
    case 'todos': {
      const dirs = rest.length > 0 ? rest.map((d) => nodePath.resolve(cwd, d)) : [cwd];
      const index = await load(rest);
      const todos = await scanTodos(dirs, new TodoMatcher(todoOptionsFor(index)), { skipDirs: backlogRoots(index), onUnnamed: unnamedWarning(io, cwd) });
      if (json) {
        io.out(jsonText(todos.map((t) => ({ path: nodePath.relative(cwd, t.path), line: t.line + 1, column: t.column + 1, tag: t.tag, ref: t.ref?.id, text: t.text, item: t.ref ? index.item(t.ref.id)?.title : undefined }))));
      } else {
        for (const t of todos) io.out(forTerminal(`${nodePath.relative(cwd, t.path)}:${t.line + 1}:${t.column + 1} ${t.tag}${t.ref ? `(${t.ref.id})` : ''} ${t.text}`.trimEnd()));
        const linked = todos.filter((t) => t.ref).length;
        io.err(`${todos.length} TODO(s), ${linked} linked to backlog items, ${todos.length - linked} unlinked.`);
      }
      return 0;
    }
    case 'stats': {
      const index = await load(rest);
      if (index.roots().length === 0) return noBacklog();
      const stats = index.roots().map((b) => statsOf(b, cwd));
      if (json) io.out(jsonText(stats));
      else for (const s of stats) io.out(forTerminal(`${s.root}: ${s.items} items (${s.open} open, ${s.done} done), ${s.points.open} open points, ${s.diagnostics.errors} errors`));
      return 0;
    }
    case 'report': {
      const [name, ...paths] = rest;
      const { REPORTS, runReport } = lazy.report();
      if (!REPORTS.includes(name as ReportName)) {
        io.err(`Usage: backlog-atlas report ${REPORTS.join('|')} [paths] [--sprint <id>] [--release <id>] [--json|--csv] [--items]`);
        return 2;
      }
      if (json && flags.has('--csv')) {
        io.err('--json and --csv: choose one.');
        return 2;
      }
      const backlog = oneRoot(await load(paths), 'report on');
      if (typeof backlog === 'number') return backlog;
      const r = runReport(backlog, {
        report: name as ReportName,
        format: json ? 'json' : flags.has('--csv') ? 'csv' : 'text',
        unit: flags.has('--items') ? 'items' : 'points',
        sprint: parsed.values.get('--sprint'),
        release: parsed.values.get('--release'),
        today: formatDate((clock ?? systemClock).now()),
      });
      if (!r.ok) {
        io.err(forTerminal(r.error));
        return r.code;
      }
      // CSV rows end in CRLF (RFC 4180); the last line's ending is the output's own.
      io.out(r.out.replace(/\r\n$/, ''));
      return 0;
    }
    case 'renumber': {
      const [id, ...extra] = rest;
      if (id === undefined || extra.length > 0) {
        io.err('Usage: backlog-atlas renumber <id> [--file <path>] [--move-references]');
        return 2;
      }
      const index = await load(inPath ? [inPath] : []);
      // `13` is the backlog's BL-13, as for the other commands.
      const same = index.roots().flatMap((b) => b.byKey.get(b.item(id)?.key ?? idKey(id)) ?? []);
      const file = parsed.values.get('--file');
      const chosen = file !== undefined ? same.find((i) => i.path === toPosix(nodePath.resolve(cwd, file))) : same.length === 1 ? same[0] : undefined;
      if (!chosen) {
        const files = same.map((i) => `  ${forTerminal(nodePath.relative(cwd, i.path))}`);
        if (same.length === 0) io.err(`No item ${forTerminal(id)} in the backlog.`);
        else if (file !== undefined) io.err(`${forTerminal(file)} is not a file with the id ${forTerminal(same[0].id)}; ${same.length === 1 ? 'it is in' : 'those are'}:\n${files.join('\n')}`);
        else io.err(`${same.length} files have the id ${forTerminal(same[0].id)}; name the one to renumber with --file:\n${files.join('\n')}`);
        return same.length === 0 ? 1 : 2;
      }
      const writer = new BacklogWriter(index, ws, clock ? () => clock.now() : undefined, (b) => branchIds(b, clock ?? systemClock, io));
      const r = await writer.renumberItem(chosen.path, { moveReferences: flags.has('--move-references') });
      const owner = index.backlogFor(chosen.path)!;
      // The TODOs in the project's code that name the id follow it too, when the references do.
      const todoOps = r.ok && flags.has('--move-references') ? await todoRefMoves(index, owner.folder, chosen.id, r.itemId!, unnamedWarning(io, cwd)) : [];
      const failed = await write(r.ok ? { ...r, operations: [...r.operations, ...todoOps] } : r, [...index.roots().map((b) => b.root), ...(todoOps.length > 0 ? [owner.folder] : [])]);
      if (failed !== undefined || !r.ok) return failed ?? 1;
      io.out(forTerminal(todoOps.length > 0 ? `${r.summary}; TODOs in ${todoOps.length} file(s) too` : r.summary));
      return 0;
    }
    case 'diff': {
      const [baseName, ...paths] = rest;
      if (baseName === undefined) {
        io.err('Usage: backlog-atlas diff <base> [paths] [--json|--markdown]');
        return 2;
      }
      if (json && flags.has('--markdown')) {
        io.err('--json and --markdown: choose one.');
        return 2;
      }
      const backlog = oneRoot(await load(paths), 'compare');
      if (typeof backlog === 'number') return backlog;
      const [{ runDiff }, { cliGitRun }] = [lazy.diff(), lazy.git()];
      const r = await runDiff(backlog, baseName, json ? 'json' : flags.has('--markdown') ? 'markdown' : 'text', cliGitRun(backlog.root));
      if (!r.ok) {
        io.err(forTerminal(r.error));
        return r.code;
      }
      if (r.note) io.err(forTerminal(`note: ${r.note}`));
      io.out(r.out);
      return 0;
    }
    default:
      io.err(`Unknown command "${forTerminal(command)}".\n\n${USAGE}`);
      return 2;
  }
}

/**
 * What only some commands need, loaded when one runs: `list` never starts the MCP SDK and its
 * schema libraries (a third of the bundle's start-up) or git. Required, not imported: the
 * bundler keeps a require inside a function lazy, and the unit tests' loader resolves it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const lazy = {
  mcp: () => require('./mcp') as typeof import('./mcp'),
  report: () => require('./report') as typeof import('./report'),
  diff: () => require('./diff') as typeof import('./diff'),
  git: () => require('./git') as typeof import('./git'),
  branchIds: () => require('../core/branches/branchIds') as typeof import('../core/branches/branchIds'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Options that are on or off. */
const FLAGS = new Set(['--move-references', '--markdown', '--json', '--csv', '--items', '--all', '--ready', '--no-todos', '--help', '--version', '--top', '--bottom', '--no-cache']);
/** Options that take a value: `--in <path>` or `--in=<path>`. */
const VALUED = new Set(['--file', '--in', '--sprint', '--release', '--type', '--status', '--estimate', '--parent', '--before', '--after', '--due-date', '--description', '--task-handling', '--reassign-to']);

/** The options each command takes (`--no-cache` and `--help` go with any). */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  list: ['--json', '--all', '--ready'],
  lint: ['--json', '--no-todos'],
  todos: ['--json'],
  mcp: [],
  set: ['--in'],
  create: ['--type', '--status', '--sprint', '--release', '--estimate', '--parent', '--json', '--in'],
  move: ['--top', '--bottom', '--before', '--after', '--in'],
  complete: ['--in'],
  archive: ['--in'],
  promote: ['--in'],
  demote: ['--in'],
  rebalance: ['--in'],
  milestone: ['--due-date', '--description', '--task-handling', '--reassign-to', '--in'],
  renumber: ['--file', '--move-references', '--in'],
  diff: ['--json', '--markdown'],
  stats: ['--json'],
  report: ['--sprint', '--release', '--json', '--csv', '--items'],
};
/** Commands whose arguments are paths (after the report's or diff's first word). */
const PATH_COMMANDS = new Set(['list', 'lint', 'todos', 'mcp', 'stats', 'report', 'diff']);

/** The first of `paths` that names nothing on disk. */
async function firstMissing(ws: NodeWorkspace, paths: readonly string[], cwd: string): Promise<string | undefined> {
  for (const p of paths) if ((await ws.stat(toPosix(nodePath.resolve(cwd, p)))) === undefined) return p;
  return undefined;
}

/**
 * Splits the arguments into options and the rest. `--` ends the options: what follows is a path
 * or value whatever it looks like, so that a title such as `--force` can be set. An option this
 * command line does not know is refused, not taken for a value or ignored.
 */
export function parseArgs(argv: readonly string[]): { flags: Set<string>; values: Map<string, string>; args: string[] } | { error: string } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      args.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    if (VALUED.has(name)) {
      const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined) {
        const what = name === '--in' || name === '--file' ? '<path>' : ['--type', '--status', '--estimate', '--due-date', '--description', '--task-handling'].includes(name) ? '<value>' : '<id>';
        return { error: `${name} needs a value: ${name} ${what} or ${name}=${what}.` };
      }
      values.set(name, value);
    } else if (FLAGS.has(name) && eq === -1) flags.add(name);
    else if (FLAGS.has(name)) return { error: `${name} takes no value.` };
    else return { error: `Unknown option ${a}. A value that starts with -- goes after --: set BL-1 title -- ${a}` };
  }
  return { flags, values, args };
}

const MILESTONE_USAGE = {
  add: 'add "<title>" [--due-date YYYY-MM-DD] [--description TEXT]',
  rename: 'rename <milestone> "<title>"',
  remove: 'remove <milestone> [--task-handling clear|keep|reassign] [--reassign-to <milestone>]',
  archive: 'archive <milestone>',
};

type WriteCommand = 'create' | 'move' | 'complete' | 'archive' | 'promote' | 'demote';

const WRITE_USAGE: Record<WriteCommand, string> = {
  create: 'create "<title>" [--type T] [--status S] [--sprint ID] [--release ID] [--estimate N] [--parent ID] [--json]',
  move: 'move <id> --top|--bottom|--before <id>|--after <id>',
  complete: 'complete <id>',
  archive: 'archive <id>',
  promote: 'promote <draft-id>',
  demote: 'demote <id>',
};

/** The writer's change for one of the commands that write, or what is wrong with the options. */
async function writeCommand(command: WriteCommand, subject: string, writer: BacklogWriter, index: BacklogIndex, parsed: { flags: Set<string>; values: Map<string, string> }): Promise<WriteResult | { usage: string }> {
  const { flags, values } = parsed;
  switch (command) {
    case 'create': {
      const roots = index.roots();
      if (roots.length !== 1) return { ok: false, message: roots.length === 0 ? 'No backlog/ or .backlog/ folder found.' : `${roots.length} backlogs found: name the one to add to with --in <path>.` };
      const estimate = values.get('--estimate');
      const n = estimate === undefined ? undefined : Number(estimate);
      if (n !== undefined && (estimate!.trim() === '' || !Number.isFinite(n))) return { usage: `--estimate takes a number, not "${estimate}".` };
      return writer.createItem(roots[0].root, { title: subject, type: values.get('--type'), status: values.get('--status'), sprint: values.get('--sprint'), release: values.get('--release'), estimate: n, parent: values.get('--parent') });
    }
    case 'move': {
      const places = [flags.has('--top'), flags.has('--bottom'), values.has('--before'), values.has('--after')].filter(Boolean).length;
      if (places !== 1) return { usage: 'Say where the item goes: one of --top, --bottom, --before <id>, --after <id>.' };
      return writer.moveItem(subject, { top: flags.has('--top') || undefined, bottom: flags.has('--bottom') || undefined, before: values.get('--before'), after: values.get('--after') });
    }
    case 'complete':
      return writer.completeItem(subject);
    case 'archive':
      return writer.archiveItem(subject);
    case 'promote':
      return writer.promoteDraft(subject);
    case 'demote':
      return writer.demoteItem(subject);
  }
}

/** The ids on the backlog's active branches, read by git in its folder; a note on stderr when some could not be. */
async function branchIds(b: Backlog, clock: Clock, io: Output): Promise<string[]> {
  const started = performance.now();
  const [{ idsOnActiveBranches }, { cliGitRun }] = [lazy.branchIds(), lazy.git()];
  const r = await idsOnActiveBranches(cliGitRun(b.root), b.config, clock.now().getTime(), () => performance.now() - started);
  if (r.note) io.err(forTerminal(`note: ${r.note}`));
  return r.ids;
}

/** Edits that make the TODOs under `folder` naming `oldId` name `newId`: one per file. */
async function todoRefMoves(index: BacklogIndex, folder: string, oldId: string, newId: string, onUnnamed: (path: string) => void): Promise<FileOperation[]> {
  const todos = await scanTodos([folder], new TodoMatcher(todoOptionsFor(index)), { skipDirs: backlogRoots(index), onUnnamed });
  const byFile = new Map<string, { line: number; ref: NonNullable<FileTodo['ref']> }[]>();
  for (const t of todos) {
    if (!t.ref || idKey(t.ref.id) !== idKey(oldId)) continue;
    const list = byFile.get(t.path) ?? [];
    list.push({ line: t.line, ref: t.ref });
    byFile.set(t.path, list);
  }
  const ops: FileOperation[] = [];
  for (const [path, refs] of byFile) {
    const op = retargetTodoRefs(path, await readRegularFile(path, MAX_FILE_BYTES), refs, newId);
    if (op) ops.push(op);
  }
  return ops;
}

/** Files inside a backlog root hold items, not code: their comments are not scanned. */
function backlogRoots(index: BacklogIndex): string[] {
  return index.roots().map((b) => b.root);
}

/** What the scan says, on stderr, of a file it cannot open because its name is not UTF-8. */
function unnamedWarning(io: Output, cwd: string): (path: string) => void {
  return (path) => io.err(forTerminal(`warning: ${(nodePath.relative(cwd, path) || '.') + (path.endsWith('/') ? '/' : '')}: not scanned for TODOs, because its name is not valid UTF-8; rename it to have it scanned.`));
}

/** TODOs naming items that do not exist, are done or were archived, as lint diagnostics. */
async function staleTodoLinks(index: BacklogIndex, dirs: string[], onUnnamed: (path: string) => void): Promise<Diagnostic[]> {
  const todos = await scanTodos(dirs, new TodoMatcher(todoOptionsFor(index)), { skipDirs: backlogRoots(index), onUnnamed });
  return todos.flatMap((t) => {
    const problem = t.ref ? todoLinkProblem(index, t.ref.id) : undefined;
    if (!t.ref || !problem) return [];
    return [{ path: t.path, line: t.line, column: t.ref.column, endLine: t.line, endColumn: t.ref.endColumn, severity: 'error' as const, code: problem.code, message: problem.message }];
  });
}

/** Sorts paths into workspace folders and backlog roots given directly. */
async function resolveRoots(ws: NodeWorkspace, paths: string[], cwd: string): Promise<{ folders: string[]; extraRoots: string[] }> {
  const folders: string[] = [];
  const extraRoots: string[] = [];
  for (const p of paths) {
    const abs = toPosix(nodePath.resolve(cwd, p));
    const isRoot = (await ws.stat(`${abs}/config.yml`))?.kind === 'file' || (await ws.stat(`${abs}/tasks`))?.kind === 'directory';
    if (isRoot && !['backlog', '.backlog'].includes(nodePath.basename(abs))) {
      folders.push(toPosix(nodePath.dirname(abs)));
      extraRoots.push(abs);
    } else if (isRoot) folders.push(toPosix(nodePath.dirname(abs)));
    else folders.push((await projectTop(ws, abs)) ?? abs);
  }
  return { folders: [...new Set(folders)], extraRoots };
}

/**
 * The project folder above `start` (or `start` itself), as git finds its repository: the nearest
 * folder holding `backlog/`, `.backlog/` or `backlog.config.yml`. The walk stops at the top of the
 * repository (a folder holding `.git`) and at the filesystem root, so a backlog in a parent
 * project or in the home folder is never taken for this one's.
 */
export async function projectTop(ws: NodeWorkspace, start: string): Promise<string | undefined> {
  let dir = start;
  for (;;) {
    const has = async (name: string, kind: 'file' | 'directory') => (await ws.stat(`${dir === '/' ? '' : dir}/${name}`))?.kind === kind;
    if ((await has('backlog', 'directory')) || (await has('.backlog', 'directory')) || (await has(ROOT_CONFIG, 'file'))) return dir;
    if ((await ws.stat(`${dir === '/' ? '' : dir}/.git`)) !== undefined) return undefined;
    const parent = toPosix(nodePath.dirname(dir));
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * What makes a cache written by another build of this program stale: a hash of the program's own
 * file (the bundle), read once per run.
 */
function programVersion(): string {
  programId ??= (() => {
    try {
      return createHash('sha256').update(readFileSync(__filename)).digest('hex');
    } catch {
      return `unknown-${process.pid}`;
    }
  })();
  return programId;
}
let programId: string | undefined;

function toPosix(p: string): string {
  return p.split(nodePath.sep).join('/');
}

function parseValue(v: string): FieldValue {
  return v === '' ? null : v;
}

function estimateText(b: Backlog, i: Item): string {
  if (i.estimate !== undefined) return `${i.estimate}pt`;
  return i.size ?? (b.points(i) ? `${b.points(i)}pt` : '-');
}

/** One item per line; every field is the file's text, escaped so that it cannot drive the terminal. */
function listLine(b: Backlog, i: Item): string {
  const t = forTerminal;
  const plan = [i.sprint, i.release].filter(Boolean).join(' ');
  const blocked = b.blockers(i);
  const by = blocked.length > 0 ? ` (blocked by ${t(blocked.map((x) => x.id).join(', '))})` : '';
  return [t(i.id).padEnd(9), t(i.type ?? 'task').padEnd(11), estimateText(b, i).padEnd(5), t(i.status).padEnd(12), t(plan).padEnd(10), t(i.title) + by].join(' ').trimEnd();
}

function lintLine(d: Diagnostic, cwd: string): string {
  return forTerminal(`${nodePath.relative(cwd, d.path)}:${d.line + 1}:${d.column + 1} ${d.severity} ${d.message}`);
}

/** One item as `list --json` prints it (the agent tools' `backlog_list` too). */
export function itemJson(b: Backlog, i: Item, cwd: string) {
  return itemSummary(b, i, nodePath.relative(cwd, i.path));
}

/** One backlog as `stats --json` prints it. */
export function statsOf(b: Backlog, cwd: string) {
  const items = b.items();
  // Counted in a Map: a status named `__proto__` or `constructor` is a key like any other.
  const count = (key: (i: Item) => string) => {
    const counts = new Map<string, number>();
    for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
    return Object.fromEntries(counts);
  };
  const diagnostics = [...b.files.values()].flatMap((f) => f.diagnostics).concat(b.crossFileDiagnostics());
  const done = items.filter((i) => b.isDone(i)).length;
  const archived = items.filter((i) => i.folder === 'archive').length;
  const pace = velocity(b);
  return {
    root: nodePath.relative(cwd, b.root) || '.',
    project: b.config.projectName,
    items: items.length,
    open: items.length - done - archived,
    done,
    archived,
    byType: count((i) => i.type ?? 'task'),
    byStatus: count((i) => i.status),
    points: backlogPoints(b),
    sprints: b.sprints.map((s) => {
      const f = sprintFigures(b, s);
      return { id: s.id, name: s.name, state: s.state, capacity: s.capacity, ...b.rollup(b.sprintBacklog(s.id)), committed: f.committed, completed: f.completed };
    }),
    velocity: { average: pace.average, over: pace.over.map((s) => s.id) },
    releases: b.releases().map((r) => ({ id: r.id, name: r.name, date: r.date, ...releaseFigures(b, r) })),
    diagnostics: { errors: diagnostics.filter((d) => d.severity === 'error').length, warnings: diagnostics.filter((d) => d.severity !== 'error').length },
  };
}

/**
 * Runs the command line as a program, on this process's arguments, environment and streams:
 * dist/cli.js (`backlog-atlas` where the package is installed) calls it once it has loaded this
 * bundle (src/cli/launch.ts).
 */
export function main(): void {
  const { clock, error } = clockFromSetting(process.env.BACKLOG_ATLAS_NOW);
  if (error) {
    console.error(forTerminal(error.message));
    process.exit(2);
  }
  // A reader that stops early (`| head`, `| grep -m1`) closes the pipe; that is its choice, not
  // our failure: the command ends quietly, with status 0, instead of with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  // Lines go out in blocks: one write per line was a tenth of the time `list` takes on 10,000 items.
  const stdout = new LineBuffer((text) => process.stdout.write(text));
  runCli(process.argv.slice(2), process.cwd(), { out: (l) => stdout.line(l), err: (l) => (stdout.flush(), console.error(l)) }, clock, { cache: process.env }).then(
    (code) => {
      stdout.flush();
      process.exitCode = code;
    },
    (e: unknown) => {
      stdout.flush();
      console.error(forTerminal(errorMessage(e)));
      process.exitCode = 2;
    },
  );
}

// Run directly (`node dist/cli-main.js`), as well as through the launcher.
if (require.main === module) main();
