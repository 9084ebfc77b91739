import { Backlog } from './backlog';
import { BacklogIndex } from './backlogIndex';
import { splitFrontMatter } from './itemFile';
import { formatId, idKey, idNumber, itemFileName } from './naming';
import { freshRanks, isValidRank, rankBetween } from './rank';
import { contentHash, decodeText, DecodedText, encodeText } from './text';
import { Item, SIZES } from './types';
import { applyEdits, FieldValue, PathSegment, setYamlKey, TextEdit } from './yamlEdit';
import { BacklogWorkspace, basename, dirname, joinPath } from './workspace';

/** A change to one file. The core never writes; the extension or CLI applies these. */
export type FileOperation =
  | { kind: 'edit'; path: string; baseHash: string; edits: TextEdit[] }
  | { kind: 'create'; path: string; content: string }
  | { kind: 'rename'; from: string; to: string };

export type WriteResult =
  | { ok: true; operations: FileOperation[]; summary: string; itemId?: string }
  | { ok: false; message: string };

/** The fields a new item may start with. */
export interface NewItem {
  title: string;
  type?: string;
  status?: string;
  priority?: string;
  labels?: string[];
  estimate?: number;
  size?: string;
  sprint?: string;
  release?: string;
  epic?: string;
  theme?: string;
  step?: string;
  parent?: string;
  description?: string;
  /** Where it goes in the product backlog: the bottom unless placed before or after an item. */
  placement?: { before?: string; after?: string; top?: boolean };
}

/** Where a moved item lands in the backlog order. */
export interface MoveTarget {
  before?: string;
  after?: string;
  top?: boolean;
  bottom?: boolean;
}

export type PlanFile = 'sprints.yml' | 'releases.yml' | 'roadmap.yml' | 'storymap.yml' | 'config.yml';

const NUMBER_KEYS = new Set(['estimate', 'ordinal', 'capacity']);
const LIST_KEYS = new Set(['assignee', 'labels', 'dependencies', 'references', 'documentation', 'subtasks']);

/** Refusals are values, not exceptions, so that every caller has to show the message. */
function refuse(message: string): WriteResult {
  return { ok: false, message };
}

/**
 * Turns "set this field" into text edits that change only that value, after checking that the
 * file is the one the index read and that it parses. Everything it returns has been re-parsed
 * and compared: the edited value reads back and every other value is unchanged.
 */
export class BacklogWriter {
  constructor(
    private readonly index: BacklogIndex,
    private readonly ws: BacklogWorkspace,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Sets one front-matter field of an item; `null` removes it. */
  async setField(itemId: string, key: string, value: FieldValue, root?: string): Promise<WriteResult> {
    const item = this.index.item(itemId, root);
    if (!item) return refuse(`No item ${itemId} in the backlog.`);
    const backlog = this.index.backlogFor(item.path)!;
    const check = this.checkValue(backlog, key, value);
    if ('error' in check) return refuse(check.error);
    const checked = check.value;
    const changes: [string, FieldValue][] = [[key, checked]];
    const newStatus = key === 'status' && typeof checked === 'string' ? checked.toLowerCase() : undefined;
    if (newStatus !== undefined) {
      // Burndown needs to know when work finished: stamp it on the way into a done status
      // and clear it on the way out.
      const wasDone = backlog.isDone(item);
      const willBeDone = backlog.config.doneStatuses.some((s) => s.toLowerCase() === newStatus);
      if (willBeDone && !wasDone && item.completedDate === undefined) changes.push(['completed_date', this.today()]);
      if (!willBeDone && wasDone && item.completedDate !== undefined && item.folder === 'tasks') changes.push(['completed_date', null]);
    }
    const r = await this.editItem(item, changes);
    if (!r.ok) return r;
    return { ...r, summary: `${item.id}: ${key} ${checked === null ? 'removed' : `set to ${display(checked)}`}`, itemId: item.id };
  }

  /** Renames an item: the `title` field, and the file name as Backlog.md does. */
  async setTitle(itemId: string, title: string, root?: string): Promise<WriteResult> {
    const item = this.index.item(itemId, root);
    if (!item) return refuse(`No item ${itemId} in the backlog.`);
    const clean = title.trim();
    if (clean === '') return refuse('A title cannot be empty.');
    const r = await this.editItem(item, [['title', clean]]);
    if (!r.ok) return r;
    const to = joinPath(dirname(item.path), itemFileName(item.id, clean));
    if (to !== item.path) {
      if (await this.ws.stat(to)) return refuse(`Cannot rename: ${basename(to)} already exists.`);
      r.operations.push({ kind: 'rename', from: item.path, to });
    }
    return { ...r, summary: `${item.id} renamed to "${clean}"`, itemId: item.id };
  }

  /** Moves an item in the backlog order by writing its rank; only that file changes. */
  async moveItem(itemId: string, target: MoveTarget, root?: string): Promise<WriteResult> {
    const item = this.index.item(itemId, root);
    if (!item) return refuse(`No item ${itemId} in the backlog.`);
    const backlog = this.index.backlogFor(item.path)!;
    const order = backlog.allOrdered().filter((i) => i.key !== item.key);
    let at: number;
    if (target.top) at = 0;
    else if (target.bottom) at = order.length;
    else if (target.before !== undefined || target.after !== undefined) {
      const anchorId = (target.before ?? target.after)!;
      const anchor = order.findIndex((i) => i.key === idKey(anchorId));
      if (idKey(anchorId) === item.key) return refuse('An item cannot be moved next to itself.');
      if (anchor === -1) return refuse(`No item ${anchorId} in the backlog.`);
      at = target.before !== undefined ? anchor : anchor + 1;
    } else return refuse('Say where the item goes: before or after another item, top or bottom.');
    return this.placeAt(item, order, at);
  }

  /** Gives every item of a backlog a fresh, evenly spread rank in its current order. */
  async rebalance(root: string): Promise<WriteResult> {
    const backlog = this.index.roots().find((b) => b.root === root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const items = backlog.allOrdered();
    const ranks = freshRanks(items.length);
    const operations: FileOperation[] = [];
    for (let i = 0; i < items.length; i++) {
      if (items[i].rank === ranks[i]) continue;
      const r = await this.editItem(items[i], [['rank', ranks[i]]]);
      if (!r.ok) return refuse(`${items[i].id}: ${r.message}`);
      operations.push(...r.operations);
    }
    return { ok: true, operations, summary: `Ranks rewritten in ${operations.length} of ${items.length} files.` };
  }

  /** Creates an item with the next free id, Backlog.md's file name and its body template. */
  async createItem(root: string, fields: NewItem): Promise<WriteResult> {
    const backlog = this.index.roots().find((b) => b.root === root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const title = fields.title.replace(/\s+/g, ' ').trim();
    if (title === '') return refuse('A new item needs a title.');
    const cfg = backlog.config;
    let id: string;
    if (fields.parent !== undefined) {
      const parent = backlog.item(fields.parent);
      if (!parent) return refuse(`No item ${fields.parent} to put a subtask under.`);
      id = this.nextSubtaskId(backlog, parent);
    } else {
      id = formatId(cfg.taskPrefix, this.nextNumber(backlog));
    }
    const checks: [string, FieldValue | undefined][] = [
      ['status', fields.status ?? cfg.defaultStatus],
      ['type', fields.type],
      ['priority', fields.priority],
      ['estimate', fields.estimate],
      ['size', fields.size],
    ];
    for (const [k, v] of checks) {
      if (v === undefined) continue;
      const c = this.checkValue(backlog, k, v);
      if ('error' in c) return refuse(c.error);
    }
    const order = backlog.allOrdered();
    let rank: string | undefined;
    const place = fields.placement ?? {};
    const anchorId = place.before ?? place.after;
    if (place.top || anchorId !== undefined) {
      let at = 0;
      if (anchorId !== undefined) {
        const anchor = order.findIndex((i) => i.key === idKey(anchorId));
        if (anchor === -1) return refuse(`No item ${anchorId} in the backlog.`);
        at = place.before !== undefined ? anchor : anchor + 1;
      }
      const prev = order[at - 1]?.rank;
      const next = order[at]?.rank;
      if (order[at] && next === undefined) return refuse(`${order[at].id} has no rank yet; place the new item at the bottom, or move it afterwards.`);
      const r = rankBetween(prev, next);
      if (!r.ok) return refuse(r.message);
      rank = r.rank;
    } else {
      const last = [...order].reverse().find((i) => i.rank !== undefined && isValidRank(i.rank));
      const r = rankBetween(last?.rank, undefined);
      if (!r.ok) return refuse(r.message);
      rank = r.rank;
    }
    const now = this.now();
    const lines = [
      '---',
      `id: ${id}`,
      `title: ${yamlString(title)}`,
      `status: ${yamlString(fields.status ?? cfg.defaultStatus)}`,
      'assignee: []',
      `created_date: '${formatDateTime(now)}'`,
      `labels: [${(fields.labels ?? []).map(yamlString).join(', ')}]`,
      'dependencies: []',
    ];
    const optional: [string, string | number | undefined][] = [
      ['parent_task_id', fields.parent !== undefined ? backlog.item(fields.parent)!.id : undefined],
      ['priority', fields.priority?.toLowerCase()],
      ['type', fields.type?.toLowerCase()],
      ['estimate', fields.estimate],
      ['size', fields.size?.toUpperCase()],
      ['rank', rank],
      ['sprint', fields.sprint],
      ['release', fields.release],
      ['epic', fields.epic],
      ['theme', fields.theme],
      ['step', fields.step],
    ];
    for (const [k, v] of optional) if (v !== undefined) lines.push(`${k}: ${typeof v === 'number' ? v : yamlString(v)}`);
    lines.push('---', '', ...itemBodyTemplate(fields.description ?? ''));
    const path = joinPath(backlog.root, 'tasks', itemFileName(id, title));
    if (await this.ws.stat(path)) return refuse(`${basename(path)} already exists.`);
    return { ok: true, operations: [{ kind: 'create', path, content: lines.join('\n') }], summary: `Created ${id} "${title}"`, itemId: id };
  }

  /**
   * Sets a key in a plan file (`sprints.yml`, `roadmap.yml`, …): `mapPath` picks the mapping,
   * for example `['sprints', { id: 'S-14' }]` and key `state`.
   */
  async setPlanKey(root: string, file: PlanFile, mapPath: PathSegment[], key: string, value: FieldValue): Promise<WriteResult> {
    const path = joinPath(root, file);
    const current = await this.readIndexed(path);
    if ('message' in current) return refuse(current.message);
    const r = setYamlKey(current.decoded.text, mapPath, key, value, current.decoded.eol);
    if (!r.ok) return refuse(`${file}: ${r.message}`);
    return {
      ok: true,
      operations: r.edits.length > 0 ? [{ kind: 'edit', path, baseHash: current.hash, edits: r.edits }] : [],
      summary: `${file}: ${key} ${value === null ? 'removed' : `set to ${display(value)}`}`,
    };
  }

  private async placeAt(item: Item, order: Item[], at: number): Promise<WriteResult> {
    // Items without a rank sort after every ranked one. Landing among them means ranking the
    // unranked items above the landing spot too, in their current order.
    const firstUnranked = order.findIndex((i) => i.rank === undefined);
    const operations: FileOperation[] = [];
    let prevRank = order[at - 1]?.rank;
    if (firstUnranked !== -1 && at > firstUnranked) {
      const toRank = order.slice(firstUnranked, at);
      let last = order[firstUnranked - 1]?.rank;
      for (const other of toRank) {
        const r = rankBetween(last, undefined);
        if (!r.ok) return refuse(r.message);
        const e = await this.editItem(other, [['rank', r.rank]]);
        if (!e.ok) return refuse(`${other.id}: ${e.message}`);
        operations.push(...e.operations);
        last = r.rank;
      }
      prevRank = last;
    }
    const nextRank = at < order.length && (firstUnranked === -1 || at < firstUnranked) ? order[at].rank : undefined;
    if (prevRank === item.rank && nextRank === undefined && at === order.length && item.rank !== undefined && operations.length === 0) {
      return { ok: true, operations: [], summary: `${item.id} is already there.`, itemId: item.id };
    }
    if (item.rank !== undefined && (prevRank === undefined || item.rank > prevRank) && (nextRank === undefined || item.rank < nextRank) && operations.length === 0) {
      return { ok: true, operations: [], summary: `${item.id} is already there.`, itemId: item.id };
    }
    const r = rankBetween(prevRank, nextRank);
    if (!r.ok) return refuse(r.message);
    const e = await this.editItem(item, [['rank', r.rank]]);
    if (!e.ok) return e;
    operations.push(...e.operations);
    const extra = operations.length > 1 ? ` (and ranked ${operations.length - 1} unranked items above it)` : '';
    return { ok: true, operations, summary: `${item.id} moved${extra}`, itemId: item.id };
  }

  /** Applies field changes to an item's front matter, one after another, as one edit. */
  private async editItem(item: Item, changes: [string, FieldValue][]): Promise<WriteResult> {
    const current = await this.readIndexed(item.path);
    if ('message' in current) return refuse(current.message);
    const { text, eol } = current.decoded;
    let updated = text;
    for (const [key, value] of changes) {
      const split = splitFrontMatter(updated);
      if (!split.ok) return refuse(`${basename(item.path)}: ${split.message}`);
      const { yamlStart, yamlEnd } = split.span;
      const r = setYamlKey(updated.slice(yamlStart, yamlEnd), [], key, value, eol);
      if (!r.ok) return refuse(`${basename(item.path)}: ${r.message}`);
      const fm = applyEdits(updated.slice(yamlStart, yamlEnd), r.edits);
      updated = updated.slice(0, yamlStart) + fm + updated.slice(yamlEnd);
    }
    const edit = diffEdit(text, updated);
    return {
      ok: true,
      operations: edit ? [{ kind: 'edit', path: item.path, baseHash: current.hash, edits: [edit] }] : [],
      summary: '',
    };
  }

  /** Reads a file and checks it is the version the index holds and that it parsed. */
  private async readIndexed(path: string): Promise<{ decoded: DecodedText; hash: string } | { message: string }> {
    const record = this.index.file(path);
    if (!record) return { message: `${basename(path)} is not in the backlog index; refresh and try again.` };
    let bytes: Uint8Array;
    try {
      bytes = await this.ws.read(path);
    } catch {
      return { message: `${basename(path)} can no longer be read; it may have been moved or deleted.` };
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) return { message: `${basename(path)}: ${decoded.message}` };
    const hash = contentHash(decoded.value.text);
    if (hash !== record.hash) {
      return { message: `${basename(path)} changed since it was read; nothing was written. Refresh and try again.` };
    }
    // A value of the wrong type can be fixed through the writer; a file that does not parse
    // (or could not be decoded) is never rewritten, because its bytes cannot be vouched for.
    const broken = record.diagnostics.find((d) => (d.severity === 'error' || d.code === 'unquoted-handle') && isParseFailure(d.code));
    if (broken) {
      return { message: `${basename(path)} has a problem on line ${broken.line + 1} (${broken.message}); fix it before changing the file here.` };
    }
    return { decoded: decoded.value, hash };
  }

  /** Normalises a value for a known key, or says what is wrong with it. */
  private checkValue(backlog: Backlog, key: string, value: FieldValue): { value: FieldValue } | { error: string } {
    const bad = (error: string) => ({ error });
    const ok = (v: FieldValue) => ({ value: v });
    if (!/^[A-Za-z_][\w-]*$/.test(key)) return bad(`"${key}" is not a field name.`);
    if (key === 'id') return bad('An id cannot be changed here: other items and code comments refer to it.');
    if (key === 'title' && value === null) return bad('Every item needs a title.');
    if (value === null) return ok(null);
    const cfg = backlog.config;
    if (NUMBER_KEYS.has(key)) {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n) || n < 0) return bad(`${key} must be a number of zero or more, not "${display(value)}".`);
      return ok(n);
    }
    if (LIST_KEYS.has(key)) {
      if (Array.isArray(value)) return ok(value.map(String));
      if (typeof value === 'string') return ok(value.split(',').map((s) => s.trim()).filter((s) => s !== ''));
      return bad(`${key} must be a list.`);
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return bad(`${key} must be a single value.`);
    const s = String(value).trim();
    const pick = (found: string | undefined, error: string) => (found !== undefined ? ok(found) : bad(error));
    switch (key) {
      case 'status':
        return pick(cfg.statuses.find((x) => x.toLowerCase() === s.toLowerCase()), `"${s}" is not a status of this backlog: ${cfg.statuses.join(', ')}.`);
      case 'size':
        return pick((SIZES as readonly string[]).find((x) => x === s.toUpperCase()), `Size must be one of ${SIZES.join(', ')}.`);
      case 'type':
        return pick(cfg.types.find((x) => x === s.toLowerCase()), `"${s}" is not a type: ${cfg.types.join(', ')}.`);
      case 'priority':
        return pick(cfg.priorities.find((x) => x === s.toLowerCase()), `Priority must be one of ${cfg.priorities.join(', ')}.`);
      case 'rank':
        return pick(isValidRank(s) ? s : undefined, `"${s}" is not a fractional-index rank.`);
      case 'sprint':
        return pick(backlog.sprint(s)?.id, `No sprint ${s} in sprints.yml.`);
      case 'release':
        return pick(backlog.release(s)?.id, `No release ${s} in releases.yml or milestones/.`);
      case 'title':
        return pick(s === '' ? undefined : s, 'Every item needs a title.');
      default:
        return ok(typeof value === 'string' ? s : value);
    }
  }

  private nextNumber(backlog: Backlog): number {
    let max = 0;
    const prefix = backlog.config.taskPrefix;
    for (const item of backlog.items()) max = Math.max(max, idNumber(item.id.split('.')[0], prefix) ?? 0);
    // Files that do not parse still own the id in their name: never hand it out again.
    for (const path of backlog.files.keys()) {
      const m = /^([A-Za-z][\w]*-\d+)/.exec(basename(path));
      if (m) max = Math.max(max, idNumber(m[1], prefix) ?? 0);
    }
    return max + 1;
  }

  private nextSubtaskId(backlog: Backlog, parent: Item): string {
    let max = 0;
    const prefix = parent.key + '.';
    for (const item of backlog.items()) {
      if (item.key.startsWith(prefix)) max = Math.max(max, Number(item.key.slice(prefix.length).split('.')[0]) || 0);
    }
    return `${parent.id}.${String(max + 1).padStart(2, '0')}`;
  }

  private today(): string {
    return formatDate(this.now());
  }
}

const PARSE_FAILURES = ['binary', 'encoding', 'too-large', 'front-matter', 'unquoted-handle'];

/** True for the diagnostics that mean a file's text could not be read as YAML at all. */
export function isParseFailure(code: string): boolean {
  return code.startsWith('yaml-') || PARSE_FAILURES.includes(code);
}

/** One edit that turns `before` into `after`: the span between their common prefix and suffix. */
export function diffEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { offset: start, length: before.length - end - start, newText: after.slice(start, after.length - end) };
}

/**
 * Applies an edit operation to a file's bytes: checks the content is the one the edit was made
 * for and keeps the BOM. Returns undefined when the file changed (a conflict).
 */
export function applyEditToBytes(bytes: Uint8Array, op: Extract<FileOperation, { kind: 'edit' }>): Uint8Array | undefined {
  const decoded = decodeText(bytes);
  if (!decoded.ok || contentHash(decoded.value.text) !== op.baseHash) return undefined;
  return encodeText({ ...decoded.value, text: applyEdits(decoded.value.text, op.edits) });
}

/** Backlog.md's item body: the sections it writes for a new task. */
export function itemBodyTemplate(description: string): string[] {
  return [
    '## Description',
    '',
    '<!-- SECTION:DESCRIPTION:BEGIN -->',
    ...(description.trim() === '' ? [] : [description.trim()]),
    '<!-- SECTION:DESCRIPTION:END -->',
    '',
    '## Acceptance Criteria',
    '<!-- AC:BEGIN -->',
    '<!-- AC:END -->',
    '',
  ];
}

function yamlString(s: string): string {
  return /^[A-Za-z][\w .()/-]*$/.test(s) && !/[:#]|\s$/.test(s) && !/^(?:null|true|false|yes|no|on|off|y|n|~)$/i.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

function display(v: FieldValue): string {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : String(v);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Backlog.md's timestamp shape, `YYYY-MM-DD HH:mm` in UTC. */
export function formatDateTime(d: Date): string {
  return `${formatDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
