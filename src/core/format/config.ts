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
  // Backlog.md's one done status is the last one (`getTerminalStatus`); ours may name more.
  const done = r.stringList('done_statuses');
  config.doneStatuses = done.length > 0 ? done.map((s) => canonicalStatus(config.statuses, s) ?? s) : [config.statuses[config.statuses.length - 1]];
  for (const s of config.doneStatuses) {
    if (canonicalStatus(config.statuses, s) === undefined) r.report(r.node('done_statuses'), 'unknown-status', `Done status "${s}" is not one of \`statuses\`.`, 'warning');
  }
  config.labels = r.stringList('labels');
  const types = r.stringList('types').map((t) => t.toLowerCase());
  // Our types always exist; a config's own list replaces Backlog.md's defaults, as it does there.
  if (types.length > 0) config.types = [...new Set([...ITEM_TYPES, ...types])];
  const priorities = r.stringList('priorities').map((p) => p.toLowerCase());
  if (priorities.length > 0) config.priorities = priorities;
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
  // Backlog.md reads `zero_padded_ids` with parseInt and pads only when it is above 0.
  const padding = r.number('zero_padded_ids', MAX_ID_PADDING);
  if (padding !== undefined && Number.isInteger(padding) && padding > 0) config.zeroPaddedIds = padding;
  else if (padding !== undefined && padding !== 0) {
    r.report(r.node('zero_padded_ids'), 'wrong-type', `\`zero_padded_ids\` should be a whole number of digits from 0 to ${MAX_ID_PADDING}.`, 'warning');
  }
  config.defaultAssignee = r.stringList('default_assignee');
  config.defaultReporter = r.string('default_reporter');
  config.definitionOfDone = r.stringList('definition_of_done');
  parseBoardKeys(r, config);
  return { config, diagnostics: [...toDiagnostics(problems, path, text, 0, lineStarts(text)), ...conflicts] };
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
