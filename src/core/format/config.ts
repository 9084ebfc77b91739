import { isMap, isScalar, Node } from 'yaml';
import { decodeText, lineStarts } from '../text';
import { BacklogConfig, Diagnostic, ITEM_TYPES, MAX_POINTS, Size, SIZES } from '../types';
import { conflictDiagnostics } from './conflicts';
import { fileDiag } from './itemFile';
import { idProblem } from '../naming';
import { canonicalStatus } from '../statuses';
import { MapReader, rootMap } from './yamlFields';
import { parseYamlSafe, toDiagnostics, YamlProblem } from './yamlSafe';

/** Backlog.md's default `types`; its backlogs use them, so they are never flagged. */
export const BACKLOG_MD_TYPES = ['bug', 'feature', 'enhancement', 'task', 'chore', 'docs', 'spike'];
export const DEFAULT_TODO_TAGS = ['TODO', 'FIXME', 'HACK', 'XXX', 'BUG'];
/** The widest `zero_padded_ids` read: more digits than any backlog will number to, and a bounded pad. */
export const MAX_ID_PADDING = 32;
/** Backlog.md's `active_branch_days` when the config does not say. */
export const DEFAULT_ACTIVE_BRANCH_DAYS = 30;
export const DEFAULT_SIZE_POINTS: Record<Size, number> = { XS: 1, S: 2, M: 5, L: 8, XL: 13 };

/** The configuration of a backlog with no `config.yml`: Backlog.md's defaults plus ours. */
export function defaultConfig(projectName = ''): BacklogConfig {
  return {
    projectName,
    taskPrefix: 'task',
    statuses: ['To Do', 'In Progress', 'Done'],
    defaultStatus: 'To Do',
    doneStatuses: ['Done'],
    labels: [],
    types: [...new Set([...ITEM_TYPES, ...BACKLOG_MD_TYPES])],
    priorities: ['high', 'medium', 'low'],
    estimateScale: [1, 2, 3, 5, 8, 13, 21],
    sizePoints: { ...DEFAULT_SIZE_POINTS },
    todoTags: [...DEFAULT_TODO_TAGS],
    defaultAssignee: [],
    definitionOfDone: [],
    hideEmptyColumns: false,
    checkActiveBranches: true,
    activeBranchDays: DEFAULT_ACTIVE_BRANCH_DAYS,
    remoteOperations: true,
    wipLimits: {},
    raw: {},
  };
}

/** Reads `config.yml`. A broken config falls back to defaults and says why. */
export function parseConfig(path: string, bytes: Uint8Array, projectName = ''): { config: BacklogConfig; diagnostics: Diagnostic[] } {
  const config = defaultConfig(projectName);
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { config, diagnostics: [fileDiag(path, decoded.code, decoded.message, decoded.line, decoded.column)] };
  const text = decoded.value.text;
  const parsed = parseYamlSafe(text);
  const problems: YamlProblem[] = [...parsed.problems];
  const conflicts = conflictDiagnostics(path, text);
  if (!parsed.doc || parsed.value === undefined) {
    return { config, diagnostics: [...toDiagnostics(problems, path, text, 0), ...conflicts] };
  }
  const r = new MapReader(rootMap(parsed.doc.contents, problems, 'config.yml'), problems, 'config.yml');
  config.raw = (parsed.value ?? {}) as Record<string, unknown>;
  config.projectName = r.string('project_name') ?? projectName;
  config.taskPrefix = r.string('task_prefix') ?? config.taskPrefix;
  const prefixIssue = idProblem(config.taskPrefix);
  if (prefixIssue) r.report(r.node('task_prefix'), 'unsafe-id', `task_prefix: ${prefixIssue} No item is created with it.`, 'error');
  const statuses = r.stringList('statuses');
  if (statuses.length > 0) config.statuses = statuses;
  const defaultStatus = r.string('default_status');
  config.defaultStatus = (defaultStatus !== undefined ? canonicalStatus(config.statuses, defaultStatus) : undefined) ?? defaultStatus ?? config.statuses[0];
  // Backlog.md's one done status is the last one (`getTerminalStatus`); `done_statuses` in
  // atlas.yml may name more (readAtlasKeys).
  config.doneStatuses = [config.statuses[config.statuses.length - 1]];
  config.labels = r.stringList('labels');
  const types = r.stringList('types').map((t) => t.toLowerCase());
  // Our types always exist; a config's own list replaces Backlog.md's defaults, as it does there.
  if (types.length > 0) config.types = [...new Set([...ITEM_TYPES, ...types])];
  const priorities = r.stringList('priorities').map((p) => p.toLowerCase());
  if (priorities.length > 0) config.priorities = priorities;
  // Backlog.md reads `zero_padded_ids` with parseInt and pads only when it is above 0.
  const padding = r.number('zero_padded_ids', MAX_ID_PADDING);
  if (padding !== undefined && Number.isInteger(padding) && padding > 0) config.zeroPaddedIds = padding;
  else if (padding !== undefined && padding !== 0) {
    r.report(r.node('zero_padded_ids'), 'wrong-type', `\`zero_padded_ids\` should be a whole number of digits from 0 to ${MAX_ID_PADDING}.`, 'warning');
  }
  config.defaultAssignee = r.stringList('default_assignee');
  config.defaultReporter = r.string('default_reporter');
  config.definitionOfDone = r.stringList('definition_of_done');
  // Backlog.md's own key (its board's toggle), read where Backlog.md keeps it.
  parseBoardKeys(r, config);
  parseBranchKeys(r, config);
  readAtlasKeys(r, config);
  hooksNotRun(r);
  // Ours still count here, but Backlog.md drops them (and every comment) whenever it saves this file.
  for (const key of ATLAS_KEYS) {
    if (r.has(key)) r.report(r.node(key), MOVE_SETTINGS_CODE, `\`${key}\` is a Backlog Atlas setting: Backlog.md rewrites config.yml without it (and without comments) whenever it saves its settings. Move it to ${ATLAS_SETTINGS_FILE} ("Backlog: Move Backlog Atlas Settings out of config.yml").`, 'info');
  }
  return { config, diagnostics: [...toDiagnostics(problems, path, text, 0, lineStarts(text)), ...conflicts] };
}

/** Backlog Atlas's own settings file, beside config.yml: Backlog.md neither reads nor rewrites it. */
export const ATLAS_SETTINGS_FILE = 'atlas.yml';

/** The keys of Backlog Atlas's settings, read from `atlas.yml` (and, for older backlogs, config.yml). */
export const ATLAS_KEYS = ['done_statuses', 'estimate_scale', 'size_points', 'todo_tags', 'wip_limits'] as const;

/** The code of the hint on an Atlas key found in config.yml; its quick fix moves them all. */
export const MOVE_SETTINGS_CODE = 'atlas-setting-in-config';

/**
 * Reads `atlas.yml` over a config read from config.yml: a key set here wins over the same key
 * left in config.yml. A broken file leaves the config as it was and says why.
 */
export function parseAtlasSettings(path: string, bytes: Uint8Array, base: BacklogConfig): { config: BacklogConfig; diagnostics: Diagnostic[] } {
  const config: BacklogConfig = { ...base, doneStatuses: [...base.doneStatuses], estimateScale: [...base.estimateScale], sizePoints: { ...base.sizePoints }, todoTags: [...base.todoTags] };
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { config: base, diagnostics: [fileDiag(path, decoded.code, decoded.message, decoded.line, decoded.column)] };
  const text = decoded.value.text;
  const parsed = parseYamlSafe(text);
  const problems: YamlProblem[] = [...parsed.problems];
  const conflicts = conflictDiagnostics(path, text);
  if (!parsed.doc || parsed.value === undefined) return { config: base, diagnostics: [...toDiagnostics(problems, path, text, 0), ...conflicts] };
  // An empty file (or one of comments only) is no settings at all.
  if (parsed.value !== null) {
    const r = new MapReader(rootMap(parsed.doc.contents, problems, ATLAS_SETTINGS_FILE), problems, ATLAS_SETTINGS_FILE);
    readAtlasKeys(r, config);
  }
  return { config, diagnostics: [...toDiagnostics(problems, path, text, 0, lineStarts(text)), ...conflicts] };
}

/** Backlog Atlas's keys, wherever they are written, checked the same way. */
function readAtlasKeys(r: MapReader, config: BacklogConfig): void {
  const done = r.stringList('done_statuses');
  if (done.length > 0) {
    // In any case and spacing, as statuses are matched; kept in config.yml's spelling.
    config.doneStatuses = done.map((s) => canonicalStatus(config.statuses, s) ?? s);
    for (const s of config.doneStatuses) {
      if (canonicalStatus(config.statuses, s) === undefined) r.report(r.node('done_statuses'), 'unknown-status', `Done status "${s}" is not one of \`statuses\`.`, 'warning');
    }
  }
  const scale = r.stringList('estimate_scale').map(Number);
  if (scale.some((n) => !Number.isFinite(n) || n < 0 || n > MAX_POINTS)) {
    r.report(r.node('estimate_scale'), 'wrong-type', '`estimate_scale` should be a list of numbers such as [1, 2, 3, 5, 8].', 'error');
  } else if (scale.length > 0) config.estimateScale = scale;
  const sizeNode = r.node('size_points');
  if (sizeNode !== undefined) {
    if (!isMap(sizeNode)) {
      r.report(sizeNode, 'wrong-type', '`size_points` should map sizes to points, such as {XS: 1, S: 2, M: 5, L: 8, XL: 13}.', 'error');
    } else {
      for (const pair of sizeNode.items) {
        const k = isScalar(pair.key) ? String(pair.key.value).toUpperCase() : '';
        const v = isScalar(pair.value) ? Number(pair.value.value) : NaN;
        if (!(SIZES as readonly string[]).includes(k) || !Number.isFinite(v) || v < 0 || v > MAX_POINTS) {
          r.report((pair.value ?? pair.key) as Node, 'wrong-type', `\`size_points\` entries are ${SIZES.join('/')}: points.`, 'error');
        } else config.sizePoints[k as Size] = v;
      }
    }
  }
  const tags = r.stringList('todo_tags');
  if (tags.length > 0) config.todoTags = tags;
  readWipLimits(r, config);
}

/**
 * Backlog.md runs `on_status_change` (a shell command) when a status changes and commits each
 * change with `auto_commit`. A repository is untrusted input and Backlog Atlas never runs a
 * command its files name, nor commits for the user: it says so on those keys, so that nobody
 * expects them to fire on a change made here (Backlog.md's own CLI still runs them).
 */
function hooksNotRun(r: MapReader): void {
  for (const key of ['on_status_change', 'onStatusChange']) {
    const node = r.node(key);
    if (node !== undefined && isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') {
      r.report(node, 'hook-not-run', `Backlog Atlas does not run \`${key}\`: a repository's files never make it run a command. Backlog.md's own CLI, board and MCP server still run it on the changes they make.`, 'info');
    }
  }
  const commit = r.node('auto_commit');
  if (commit !== undefined && isScalar(commit) && (commit.value === true || String(commit.value).toLowerCase() === 'true')) {
    r.report(commit, 'auto-commit-not-done', 'Backlog Atlas does not commit its changes (`auto_commit`); commit them yourself. Backlog.md still commits the changes it makes.', 'info');
  }
}

/**
 * The sprint board's keys: Backlog.md's `hide_empty_columns`, and our `wip_limits`, a map from a
 * status (any case and spacing, written as `statuses` spells it) to the most cards its column
 * should hold. Kept apart so that where our own keys are read from can change in one place.
 */
function parseBoardKeys(r: MapReader, config: BacklogConfig): void {
  const hide = r.node('hide_empty_columns');
  if (hide !== undefined) {
    if (isScalar(hide) && typeof hide.value === 'boolean') config.hideEmptyColumns = hide.value;
    else if (!(isScalar(hide) && hide.value === null)) r.report(hide, 'wrong-type', '`hide_empty_columns` should be true or false.', 'warning');
  }
}

/**
 * Backlog.md's cross-branch keys, read as it reads them (a flag is on when it says `true`): whether
 * new ids look at other branches, how many days back a branch counts, and whether remote-tracking
 * branches do. A `filesystem_only` project has no git to ask.
 */
function parseBranchKeys(r: MapReader, config: BacklogConfig): void {
  const flag = (key: string): boolean | undefined => {
    const node = r.node(key);
    if (node === undefined || !isScalar(node) || node.value === null) return undefined;
    return String(node.value).trim().toLowerCase() === 'true';
  };
  config.checkActiveBranches = (flag('check_active_branches') ?? true) && flag('filesystem_only') !== true && flag('filesystemOnly') !== true;
  config.remoteOperations = flag('remote_operations') ?? true;
  const days = r.number('active_branch_days', 36500);
  if (days !== undefined && Number.isFinite(days) && days >= 0) config.activeBranchDays = Math.floor(days);
}

/** The board's work-in-progress limits (ours: `wip_limits` in atlas.yml), keyed by status as config.yml spells it. */
function readWipLimits(r: MapReader, config: BacklogConfig): void {
  const node = r.node('wip_limits');
  if (node === undefined || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    r.report(node, 'wrong-type', '`wip_limits` should map statuses to numbers, such as {In Progress: 3}.', 'warning');
    return;
  }
  const limits: Record<string, number> = {};
  for (const pair of node.items) {
    const status = isScalar(pair.key) ? canonicalStatus(config.statuses, String(pair.key.value)) : undefined;
    const v = isScalar(pair.value) ? Number(pair.value.value) : NaN;
    if (status === undefined) {
      r.report((pair.key ?? node) as Node, 'unknown-status', `\`wip_limits\`: "${isScalar(pair.key) ? String(pair.key.value) : '?'}" is not one of \`statuses\`.`, 'warning');
    } else if (!Number.isInteger(v) || v < 1 || v > MAX_POINTS) {
      r.report((pair.value ?? pair.key) as Node, 'wrong-type', `\`wip_limits\`: the limit of ${status} should be a whole number of 1 or more.`, 'warning');
    } else Object.defineProperty(limits, status, { value: v, enumerable: true, writable: true, configurable: true });
  }
  config.wipLimits = limits;
}
