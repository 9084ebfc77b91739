import { Backlog } from './backlog';
import { systemClock } from './clock';
import { dateProblem, isDay } from './dates';
import { BacklogIndex } from './backlogIndex';
import { CONFLICT_CODE } from './format/conflicts';
import { ATLAS_KEYS, ATLAS_SETTINGS_FILE, parseAtlasSettings, parseConfig } from './format/config';
import { parseYamlSafe } from './format/yamlSafe';
import { isMap, isScalar } from 'yaml';
import { parseItemFile, splitFrontMatter } from './format/itemFile';
import { BodyChange, descriptionProblem, editBody } from './format/bodyEdit';
import { idKey, idNumber, idOfFileName, idProblem, itemFileName, nextItemId, nextSubtaskId } from './naming';
import { canonicalStatus, sameStatus } from './statuses';
import { horizonLabel, horizonProblem, normalizeHorizon } from './rules/horizon';
import { compareIds, freshRanks, hasOwnPlace, isValidRank, ORDINAL_STEP, Place, placeBetween, rankBetween, spreadEqualRanks } from './rules/rank';
import { contentHash, decodeText, DecodedText, encodeText, lineStarts, positionAt } from './text';
import { parseStoryMap } from './format/plans';
import { BacklogConfig, CheckItem, Item, ItemFolder, MAX_POINTS, Release, SIZES, StoryMap } from './types';
import { appendToList, applyEdits, EditResult, FieldValue, PathSegment, ScalarValue, setYamlKey, TextEdit } from './format/yamlEdit';
import { BacklogWorkspace, basename, dirname, joinPath } from './workspace';

/** A change to one file. The core never writes; the extension or CLI applies these. */
export type FileOperation =
  | { kind: 'edit'; path: string; baseHash: string; edits: TextEdit[] }
  | { kind: 'create'; path: string; content: string }
  | { kind: 'rename'; from: string; to: string };

export type WriteResult =
  /** `label` names the change to the user (for undo) where `summary`, written for the log, would not read well. */
  | { ok: true; operations: FileOperation[]; summary: string; itemId?: string; label?: string }
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

export interface NewSprint {
  name: string;
  start?: string;
  end?: string;
  goal?: string;
  capacity?: number;
}

export interface NewRelease {
  name: string;
  date?: string;
  goal?: string;
}

/** One key change in a plan file: which mapping, which key, the new value (null removes it). */
type PlanChange = [PathSegment[], string, FieldValue];

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
/** Keys that say only where an item sits in the order: changing them is not an edit of the item. */
const ORDER_KEYS = new Set(['rank', 'ordinal']);
/** Keys whose value is one of the backlog's own (config, sprints, releases, ranks, horizons). */
const LOOKED_UP_KEYS = new Set(['status', 'size', 'type', 'priority', 'rank', 'sprint', 'release', 'horizon']);

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
    private readonly now: () => Date = () => systemClock.now(),
    /** Ids taken outside the working tree (the ids on other active branches): new ids skip them too. */
    private readonly idsElsewhere?: (backlog: Backlog) => Promise<Iterable<string>>,
  ) {}

  /** Sets one front-matter field of an item; `null` removes it. */
  async setField(itemId: string, key: string, value: FieldValue, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    const backlog = this.index.backlogFor(item.path)!;
    const check = this.checkValue(backlog, key, value);
    if ('error' in check) return refuse(check.error);
    const checked = check.value;
    const self = selfReference(item, key, checked);
    if (self) return refuse(self);
    const r = await this.editItem(item, [[key, checked], ...this.statusStamps(backlog, item, key, checked), ...releaseCompanions(backlog, item, key, checked)]);
    if (!r.ok) return r;
    // Nothing written says so: "size removed" for an item without a size misleads whoever asked.
    if (r.operations.length === 0) return { ...r, summary: `${item.id}: ${key} ${checked === null ? 'was not set' : `is already ${display(checked)}`}; nothing changed`, itemId: item.id };
    return { ...r, summary: `${item.id}: ${key} ${checked === null ? 'removed' : `set to ${display(checked)}`}`, itemId: item.id };
  }

  /**
   * Changes several things of one item in one edit of its file: front-matter fields (`title`
   * included), acceptance criteria ticked, unticked or added, a note appended to its
   * Implementation Notes. Each value is checked as `setField` and `setTitle` check it; the result
   * is parsed again and must say exactly what was asked, or nothing is written.
   */
  async updateItem(itemId: string, update: { fields?: readonly (readonly [string, FieldValue])[]; body?: BodyChange }, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    const backlog = this.index.backlogFor(item.path)!;
    const changes: [string, FieldValue][] = [];
    const said: string[] = [];
    for (const [key, value] of update.fields ?? []) {
      if (changes.some(([k]) => k === key)) return refuse(`${key} is given twice.`);
      if (key === 'title' && typeof value === 'string' && value.trim() !== '' && value.trim() !== value) return refuse(edgeSpaces('title', value));
      const check = this.checkValue(backlog, key, value);
      if ('error' in check) return refuse(check.error);
      const self = selfReference(item, key, check.value);
      if (self) return refuse(self);
      changes.push([key, check.value], ...this.statusStamps(backlog, item, key, check.value), ...releaseCompanions(backlog, item, key, check.value));
      said.push(`${key} ${check.value === null ? 'removed' : `set to ${display(check.value)}`}`);
    }
    const body = update.body ?? {};
    const both = (body.check ?? []).filter((n) => body.uncheck?.includes(n));
    if (both.length > 0) return refuse(`Criterion ${both.map((n) => `#${n}`).join(', ')} cannot be checked and unchecked in one change; give ${both.length === 1 ? 'it' : 'each'} once.`);
    const ticked = [...(body.check ?? []).map((n) => `#${n} checked`), ...(body.uncheck ?? []).map((n) => `#${n} unchecked`)];
    if (ticked.length > 0) said.push(`criteria ${ticked.join(', ')}`);
    if ((body.addCriteria ?? []).length > 0) said.push(`${body.addCriteria!.length} criteria added`);
    if (body.appendNotes !== undefined) said.push('note appended');
    if (said.length === 0) return refuse('Nothing to change: give fields to set, criteria to check, uncheck or add, or a note.');
    const hasBody = ticked.length > 0 || said.some((s) => s.endsWith('added') || s === 'note appended');
    const r = await this.editItem(item, changes, hasBody ? (text) => this.editVerifiedBody(item, backlog, text, body) : undefined);
    if (!r.ok) return r;
    if (r.operations.length === 0) return { ...r, summary: `${item.id}: already as asked (${said.join('; ')}); nothing changed`, itemId: item.id };
    return { ...r, summary: `${item.id}: ${said.join('; ')}`, itemId: item.id };
  }

  /** The body change applied to a file's text, parsed again: the criteria and notes must read back as asked, the rest as it was. */
  private editVerifiedBody(item: Item, backlog: Backlog, text: string, body: BodyChange): { text: string } | { message: string } {
    const edited = editBody(text, item, body);
    if ('message' in edited) return edited;
    const reread = parseItemFile(item.path, new TextEncoder().encode(edited.text), { root: item.root, folder: item.folder, config: backlog.config }).item;
    const shape = (list: readonly CheckItem[]) => list.map((c) => ({ index: c.index, checked: c.checked, text: c.text }));
    const expected = shape(item.acceptanceCriteria).map((c) => ({ ...c, checked: body.check?.includes(c.index) ? true : body.uncheck?.includes(c.index) ? false : c.checked }));
    let next = expected.reduce((max, c) => Math.max(max, c.index), 0);
    for (const t of body.addCriteria ?? []) expected.push({ index: ++next, checked: false, text: t.replace(/\s+/g, ' ').trim() });
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const ok =
      reread !== undefined &&
      same(shape(reread.acceptanceCriteria), expected) &&
      reread.description === item.description &&
      same(shape(reread.definitionOfDone), shape(item.definitionOfDone)) &&
      (body.appendNotes === undefined ? reread.implementationNotes === item.implementationNotes : (reread.implementationNotes ?? '').endsWith(body.appendNotes.trim()));
    if (!ok) return { message: `${basename(item.path)} could not be changed so that it reads back exactly; nothing was written. Edit the file by hand.` };
    return edited;
  }

  /**
   * What a status change brings along: burndown needs to know when work finished, so
   * `completed_date` is stamped on the way into a done status and cleared on the way out.
   */
  private statusStamps(backlog: Backlog, item: Item, key: string, value: FieldValue): [string, FieldValue][] {
    if (key !== 'status' || typeof value !== 'string') return [];
    const wasDone = backlog.isDone(item);
    const willBeDone = backlog.config.doneStatuses.some((s) => sameStatus(s, value));
    if (willBeDone && !wasDone && item.completedDate === undefined) return [['completed_date', this.today()]];
    if (!willBeDone && wasDone && item.completedDate !== undefined && item.folder === 'tasks') return [['completed_date', null]];
    return [];
  }

  /**
   * Sets an item's title. The file keeps its path, as in Backlog.md since #603/#606: its name
   * records the title the item was created with, and links, git history and open editors follow it.
   */
  async setTitle(itemId: string, title: string, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    const clean = title.trim();
    if (clean === '') return refuse('A title cannot be empty.');
    if (clean !== title) return refuse(edgeSpaces('title', title));
    const check = checkFieldValue(this.index.backlogFor(item.path)!, 'title', clean);
    if ('error' in check) return refuse(check.error);
    const r = await this.editItem(item, [['title', clean]]);
    if (!r.ok) return r;
    return { ...r, summary: `${item.id} renamed to "${clean}"`, itemId: item.id };
  }

  /** Moves an item in the backlog order by writing its rank; only that file changes. */
  moveItem(itemId: string, target: MoveTarget, root?: string): Promise<WriteResult> {
    return this.moveItems([itemId], target, undefined, root);
  }

  /**
   * Moves items, in the given order, to one place in the backlog order, and sets `alsoSet`
   * (`{ sprint: 'S-2' }`, `{ sprint: null }`) in the same edit of each file: one drop, one edit
   * per file. A rank that already fits is left alone, so moving an item to another sprint whose
   * list it already sorts into changes only the `sprint` line.
   */
  async moveItems(itemIds: string[], target: MoveTarget, alsoSet: Record<string, FieldValue> = {}, root?: string): Promise<WriteResult> {
    if (itemIds.length === 0) return refuse('Nothing to move.');
    const items: Item[] = [];
    for (const id of itemIds) {
      const item = this.target(id, root ?? (items[0] ? items[0].root : undefined));
      if (typeof item === 'string') return refuse(item);
      if (!items.some((i) => i.key === item.key)) items.push(item);
    }
    const backlog = this.index.backlogFor(items[0].path)!;
    if (items.some((i) => this.index.backlogFor(i.path) !== backlog)) return refuse('Items of different backlogs cannot be moved together.');
    const fields: [string, FieldValue][] = [];
    for (const [key, value] of Object.entries(alsoSet)) {
      const check = this.checkValue(backlog, key, value);
      if ('error' in check) return refuse(check.error);
      fields.push([key, check.value]);
    }
    const moving = new Set(items.map((i) => i.key));
    const order = backlog.allOrdered().filter((i) => !moving.has(i.key));
    let at: number;
    if (target.top) at = 0;
    else if (target.bottom) {
      // The very end when the moved items can go there; when the order ends in items without a
      // place of their own (completed ones Backlog.md never ranked, say), the end of those that
      // have one, as a new item goes: only then does the move change the moved files alone.
      const end = placeBetween(order, order.length, items, backlog.config.priorities);
      if (end.ok) return this.applyMoves(items, end.places, fields);
      let last = order.length;
      while (last > 0 && !hasOwnPlace(order[last - 1])) last--;
      const r = await this.placeAt(items, order, last, fields);
      const after = order.length - last;
      return r.ok && r.operations.length > 0 ? { ...r, summary: `${r.summary}, below every item with a rank or ordinal; ${order[last].id}${after > 1 ? ` and the ${after - 1} after it have` : ' has'} neither and follow${after > 1 ? '' : 's'} priority, then id` } : r;
    }
    else if (target.before !== undefined || target.after !== undefined) {
      const anchorId = (target.before ?? target.after)!;
      // As the moved item is looked up: `12` is the backlog's BL-12.
      const anchorKey = backlog.item(anchorId)?.key ?? idKey(anchorId);
      if (moving.has(anchorKey)) return refuse('An item cannot be moved next to itself.');
      const anchor = order.findIndex((i) => i.key === anchorKey);
      if (anchor === -1) return refuse(`No item ${anchorId} in the backlog.`);
      at = target.before !== undefined ? anchor : anchor + 1;
    } else if (fields.length > 0) {
      // Only fields to change (a drop onto a sprint whose list the items already sort into).
      return this.applyMoves(items, undefined, fields);
    } else return refuse('Say where the item goes: before or after another item, top or bottom.');
    return this.placeAt(items, order, at, fields);
  }

  /**
   * Gives every item of a backlog a fresh, evenly spread rank and Backlog.md's ordinal (1000,
   * 2000, …) in its current order: the one change that may rewrite every file, asked for by name.
   */
  async rebalance(root: string): Promise<WriteResult> {
    const backlog = this.index.roots().find((b) => b.root === root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const items = backlog.allOrdered();
    const ranks = freshRanks(items.length);
    const operations: FileOperation[] = [];
    for (let i = 0; i < items.length; i++) {
      const changes: [string, FieldValue][] = [];
      if (items[i].rank !== ranks[i]) changes.push(['rank', ranks[i]]);
      if (items[i].ordinal !== ORDINAL_STEP * (i + 1)) changes.push(['ordinal', ORDINAL_STEP * (i + 1)]);
      if (changes.length === 0) continue;
      const r = await this.editItem(items[i], changes);
      if (!r.ok) return refuse(`${items[i].id}: ${r.message}`);
      operations.push(...r.operations);
    }
    return { ok: true, operations, summary: `Ranks and ordinals rewritten in ${operations.length} of ${items.length} files.` };
  }

  /**
   * Spreads apart the ranks that neighbours share after a merge (`spreadEqualRanks`): the first of
   * each run keeps its rank, the others get ranks up to the next item's, in the order they show.
   * Only those items' `rank` lines change.
   */
  async spreadEqualRanks(root: string): Promise<WriteResult> {
    const backlog = this.index.roots().find((b) => b.root === root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const ties = spreadEqualRanks(backlog.allOrdered());
    if (ties.length === 0) return refuse('No two neighbouring items share a rank.');
    const operations: FileOperation[] = [];
    for (const { item, rank } of ties) {
      const r = await this.editItem(item, [['rank', rank]]);
      if (!r.ok) return refuse(`${item.id}: ${r.message}`);
      operations.push(...r.operations);
    }
    const ids = ties.map((t) => t.item.id);
    return { ok: true, operations, summary: `Spread the equal ranks of ${ids.join(', ')} apart`, label: `Spread equal ranks (${ids.length} item${ids.length === 1 ? '' : 's'})` };
  }

  /** Creates an item with the next free id, Backlog.md's file name and its body template. */
  async createItem(root: string, fields: NewItem): Promise<WriteResult> {
    const backlog = this.index.roots().find((b) => b.root === root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const title = fields.title.replace(/\s+/g, ' ').trim();
    if (title === '') return refuse('A new item needs a title.');
    const titleCheck = checkFieldValue(backlog, 'title', title);
    if ('error' in titleCheck) return refuse(titleCheck.error);
    const descriptionIssue = fields.description !== undefined ? descriptionProblem(fields.description) : undefined;
    if (descriptionIssue) return refuse(descriptionIssue);
    const cfg = backlog.config;
    let id: string;
    let parentId: string | undefined;
    if (fields.parent !== undefined) {
      const parent = this.target(fields.parent, root);
      if (typeof parent === 'string') return refuse(parent.startsWith('No item') ? `No item ${fields.parent} to put a subtask under.` : parent);
      // A subtask of a draft would be named after the draft (`draft-1.1`) in tasks/, where
      // neither Backlog.md nor this index reads such a name: Backlog.md refuses it too.
      if (parent.folder === 'drafts') return refuse(`${parent.id} is a draft; promote it to a task before giving it subtasks.`);
      if (parent.folder === 'archive') return refuse(`${parent.id} is archived; subtasks go under an item in tasks/ or completed/.`);
      parentId = parent.id;
      id = nextSubtaskId(await this.takenIds(backlog), parent.id, cfg.zeroPaddedIds);
    } else {
      id = nextItemId(await this.takenIds(backlog), cfg.taskPrefix, cfg.zeroPaddedIds);
    }
    const checks: [string, FieldValue | undefined][] = [
      ['status', fields.status ?? cfg.defaultStatus],
      ['type', fields.type],
      ['priority', fields.priority],
      ['estimate', fields.estimate],
      ['size', fields.size],
      // As `set` checks them, and written as sprints.yml and the releases spell their ids.
      ['sprint', fields.sprint],
      ['release', fields.release],
    ];
    const checked = new Map<string, FieldValue>();
    for (const [k, v] of checks) {
      if (v === undefined) continue;
      const c = this.checkValue(backlog, k, v);
      if ('error' in c) return refuse(c.error);
      checked.set(k, c.value);
    }
    // The config's own spelling of a status given as `in progress`, as `set` writes it.
    const status = String(checked.get('status') ?? cfg.defaultStatus);
    const order = backlog.allOrdered();
    let rank: string | undefined;
    let ordinal: number | undefined;
    const place = fields.placement ?? {};
    const anchorId = place.before ?? place.after;
    if (place.top || anchorId !== undefined) {
      let at = 0;
      if (anchorId !== undefined) {
        const anchorKey = backlog.item(anchorId)?.key ?? idKey(anchorId);
        const anchor = order.findIndex((i) => i.key === anchorKey);
        if (anchor === -1) return refuse(`No item ${anchorId} in the backlog.`);
        at = place.before !== undefined ? anchor : anchor + 1;
      }
      const placed = placeBetween(order, at, [{ id, priority: fields.priority?.toLowerCase() }], cfg.priorities);
      if (!placed.ok) return refuse(placed.message);
      rank = placed.places[0].rank ?? undefined;
      ordinal = placed.places[0].ordinal ?? undefined;
    } else {
      // The bottom of what we rank: after the highest rank, with no ordinal (Backlog.md too puts
      // items without one after those with one).
      let last: string | undefined;
      for (const i of order) if (i.rank !== undefined && isValidRank(i.rank) && (last === undefined || i.rank > last)) last = i.rank;
      const r = rankBetween(last, undefined);
      if (!r.ok) return refuse(r.message);
      rank = r.rank;
    }
    const now = this.now();
    const lines = [
      '---',
      `id: ${id}`,
      `title: ${yamlString(title)}`,
      `status: ${yamlString(status)}`,
      // Backlog.md's `default_assignee` for a new task, as its `task create` applies it.
      `assignee: [${backlog.config.defaultAssignee.map(yamlString).join(', ')}]`,
      `created_date: '${formatDateTime(now)}'`,
      `labels: [${(fields.labels ?? []).map(yamlString).join(', ')}]`,
      'dependencies: []',
    ];
    // Done from the start: completed the day it was made, as `set status` stamps it.
    const done = cfg.doneStatuses.some((d) => sameStatus(d, status));
    const optional: [string, string | number | undefined][] = [
      ['parent_task_id', parentId],
      ['priority', fields.priority?.toLowerCase()],
      ['type', fields.type?.toLowerCase()],
      ['estimate', fields.estimate],
      ['size', fields.size?.toUpperCase()],
      ['rank', rank],
      ['ordinal', ordinal],
      ['sprint', checked.get('sprint') as string | undefined],
      ['release', checked.get('release') as string | undefined],
      ['completed_date', done ? this.today() : undefined],
      ['epic', fields.epic],
      ['theme', fields.theme],
      ['step', fields.step],
    ];
    for (const [k, v] of optional) if (v !== undefined) lines.push(`${k}: ${typeof v === 'number' ? v : yamlString(v)}`);
    lines.push('---', '', ...itemBodyTemplate(fields.description ?? '', backlog.config.definitionOfDone));
    const name = itemFileName(id, title);
    if (!name.ok) return refuse(`Cannot create the item: ${name.message}`);
    const path = joinPath(backlog.root, 'tasks', name.name);
    if (await this.ws.stat(path)) return refuse(`${basename(path)} already exists.`);
    return { ok: true, operations: [{ kind: 'create', path, content: lines.join('\n') }], summary: `Created ${id} "${title}"`, itemId: id };
  }

  /**
   * Moves Backlog Atlas's keys out of config.yml, which Backlog.md rewrites without them, into
   * `atlas.yml`, which it never touches: each key's lines go over as they are written (comments
   * on them included), and config.yml loses only those lines. A key already in `atlas.yml` wins
   * there, as it does when read, and its config.yml copy is dropped. One change, two files.
   */
  async moveSettingsOutOfConfig(root: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const configPath = joinPath(root, 'config.yml');
    if (!backlog.files.has(configPath)) return refuse('This backlog has no config.yml.');
    const config = await this.readIndexed(configPath);
    if ('message' in config) return refuse(config.message);
    const { text, eol } = config.decoded;
    const parsed = parseYamlSafe(text);
    const map = parsed.doc?.contents;
    if (!isMap(map)) return refuse('config.yml is not a mapping of keys; fix it before moving settings.');
    const settingsPath = joinPath(root, ATLAS_SETTINGS_FILE);
    const existing = backlog.files.has(settingsPath) ? await this.readIndexed(settingsPath) : undefined;
    if (existing && 'message' in existing) return refuse(existing.message);
    if (!existing && (await this.ws.stat(settingsPath))) return refuse(`${ATLAS_SETTINGS_FILE} changed since it was read; refresh and try again.`);
    const inSettings = existing ? parseYamlSafe(existing.decoded.text).value : undefined;
    const taken = new Set(inSettings && typeof inSettings === 'object' ? Object.keys(inSettings) : []);
    const starts = lineStarts(text);
    const lineOf = (offset: number) => positionAt(starts, offset).line;
    const blocks: { from: number; to: number; key: string }[] = [];
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(ATLAS_KEYS as readonly string[]).includes(key)) continue;
      const start = (pair.key as { range?: [number, number, number] }).range?.[0];
      const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? (pair.key as { range?: [number, number, number] }).range?.[1];
      if (start === undefined || valueEnd === undefined) continue;
      const first = lineOf(start);
      // Whole lines: from the key's line to the end of the value's last line (and its comment).
      const last = lineOf(Math.max(start, valueEnd - 1));
      const to = last + 1 < starts.length ? starts[last + 1] : text.length;
      blocks.push({ from: starts[first], to, key });
    }
    if (blocks.length === 0) return { ok: true, operations: [], summary: 'config.yml holds no Backlog Atlas settings; nothing to move.' };
    let remaining = text;
    for (const b of [...blocks].reverse()) remaining = remaining.slice(0, b.from) + remaining.slice(b.to);
    const moved = blocks
      .filter((b) => !taken.has(b.key))
      .map((b) => text.slice(b.from, b.to).replace(/\r?\n$/, ''))
      .join(eol);
    const settingsEol = existing?.decoded.eol ?? eol;
    const base = existing ? existing.decoded.text : `# Backlog Atlas's settings. Backlog.md neither reads nor rewrites this file, so they and${settingsEol}# their comments stay as written (config.yml loses keys it does not know whenever Backlog.md saves it).${settingsEol}`;
    const joined = moved === '' ? base : `${base}${base === '' || base.endsWith('\n') ? '' : settingsEol}${moved.replace(/\r?\n/g, settingsEol)}${settingsEol}`;
    // What each file reads as afterwards must be what the backlog reads now.
    const before = backlog.config;
    const reConfig = parseConfig(configPath, encodeText({ ...config.decoded, text: remaining }), before.projectName);
    const reSettings = parseAtlasSettings(settingsPath, new TextEncoder().encode(joined), reConfig.config);
    const same = (c: BacklogConfig) => JSON.stringify([c.doneStatuses, c.estimateScale, c.sizePoints, c.todoTags, c.statuses, c.taskPrefix]);
    if (same(reSettings.config) !== same(before) || reSettings.diagnostics.some((d) => d.severity === 'error') || reConfig.diagnostics.some((d) => d.severity === 'error')) {
      return refuse('The settings could not be moved so that they read back the same; nothing was written. Move them by hand.');
    }
    const operations: FileOperation[] = [];
    const configEdit = diffEdit(text, remaining);
    if (configEdit) operations.push({ kind: 'edit', path: configPath, baseHash: config.hash, edits: [configEdit] });
    if (!existing) operations.push({ kind: 'create', path: settingsPath, content: joined });
    else {
      const e = diffEdit(existing.decoded.text, joined);
      if (e) operations.push({ kind: 'edit', path: settingsPath, baseHash: existing.hash, edits: [e] });
    }
    const keys = blocks.map((b) => b.key).join(', ');
    return { ok: true, operations, summary: `Moved ${keys} from config.yml to ${ATLAS_SETTINGS_FILE}`, label: `Moved Backlog Atlas settings to ${ATLAS_SETTINGS_FILE}` };
  }

  /**
   * Completes a done item as Backlog.md's `task complete` does: its file moves, as it is, from
   * `tasks/` to `completed/` under the same name.
   */
  async completeItem(itemId: string, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    if (item.folder !== 'tasks') return refuse(`${item.id} is in ${folderName(item.folder)}; only items in tasks/ are completed.`);
    // Backlog.md completes only finished work (`task complete` refuses anything else); so do we.
    const backlog = this.index.backlogFor(item.path)!;
    if (!backlog.isDone(item)) return refuse(`${item.id} is not done (its status is "${item.status}"); set a done status (${backlog.config.doneStatuses.join(', ')}) before moving it to completed/.`);
    const moved = await this.moveFile(item, 'completed');
    if (!moved.ok) return moved;
    return { ...moved, summary: `Completed ${item.id}: moved to completed/`, label: `Completed ${item.id}`, itemId: item.id };
  }

  /**
   * Archives an item as Backlog.md does ("will not be done"): its file moves, as it is, to
   * `archive/tasks/`, and its id leaves the `dependencies` (and `references`) of the items in
   * `tasks/`. One change: the move and each of those edits.
   */
  async archiveItem(itemId: string, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    if (item.folder !== 'tasks') return refuse(`${item.id} is in ${folderName(item.folder)}; only items in tasks/ are archived.`);
    const backlog = this.index.backlogFor(item.path)!;
    const moved = await this.moveFile(item, 'archive/tasks');
    if (!moved.ok) return moved;
    const operations = [...moved.operations];
    const unlinked: string[] = [];
    for (const other of backlog.items()) {
      if (other.folder !== 'tasks' || other.key === item.key) continue;
      const changes: [string, FieldValue][] = [];
      for (const key of ['dependencies', 'references'] as const) {
        const list = listField(other.fields[key]);
        if (list === undefined) continue;
        const kept = list.filter((id) => idKey(id) !== item.key);
        if (kept.length !== list.length) changes.push([key, kept]);
      }
      if (changes.length === 0) continue;
      const e = await this.editItem(other, changes);
      if (!e.ok) return refuse(`${other.id}: ${e.message}`);
      operations.push(...e.operations);
      unlinked.push(other.id);
    }
    const also = unlinked.length > 0 ? `; no longer a dependency of ${unlinked.join(', ')}` : '';
    return { ok: true, operations, summary: `Archived ${item.id}${also}`, label: `Archived ${item.id}`, itemId: item.id };
  }

  /**
   * Promotes a draft to a task as Backlog.md does: the next task id (a subtask's if the draft has
   * a parent), the default status when the draft's is empty or "Draft", and the file moved from
   * `drafts/` to `tasks/` under its new id.
   */
  async promoteDraft(draftId: string, root?: string): Promise<WriteResult> {
    const draft = this.target(draftId, root, 'draft');
    if (typeof draft === 'string') return refuse(draft);
    if (draft.folder !== 'drafts') return refuse(`${draft.id} is not a draft (it is in ${folderName(draft.folder)}).`);
    const backlog = this.index.backlogFor(draft.path)!;
    const parent = draft.parent !== undefined ? backlog.item(draft.parent) : undefined;
    const cfg = backlog.config;
    const id = parent ? nextSubtaskId(await this.takenIds(backlog), parent.id, cfg.zeroPaddedIds) : nextItemId(await this.takenIds(backlog), cfg.taskPrefix, cfg.zeroPaddedIds);
    const changes: [string, FieldValue][] = [['id', id]];
    if (draft.status.trim() === '' || draft.status.trim().toLowerCase() === 'draft') changes.push(['status', backlog.config.defaultStatus]);
    const r = await this.reidentify(draft, changes, id, 'tasks');
    return r.ok ? { ...r, summary: `Promoted ${draft.id} to ${id}`, label: `Promoted ${draft.id} to ${id}`, itemId: id } : r;
  }

  /** Demotes a task to a draft as Backlog.md does: the next `DRAFT-n` id, the file moved to `drafts/`. */
  async demoteItem(itemId: string, root?: string): Promise<WriteResult> {
    const item = this.target(itemId, root);
    if (typeof item === 'string') return refuse(item);
    if (item.folder !== 'tasks') return refuse(`${item.id} is in ${folderName(item.folder)}; only items in tasks/ become drafts.`);
    const backlog = this.index.backlogFor(item.path)!;
    // Drafts are numbered and padded as tasks are (Backlog.md's `generateNextId` for drafts).
    const id = nextItemId(await this.takenIds(backlog), 'draft', backlog.config.zeroPaddedIds);
    const r = await this.reidentify(item, [['id', id]], id, 'drafts');
    return r.ok ? { ...r, summary: `Demoted ${item.id} to ${id}`, label: `Demoted ${item.id} to draft ${id}`, itemId: id } : r;
  }

  /**
   * Repairs a duplicate id after a merge: the item in `path` takes the next free id (after those on
   * other branches too), in its front matter and in its file name (only the id part of the name
   * changes). With `moveReferences`, the other items' dependencies, subtasks, parent and epic that
   * name the old id name the new one instead; without, they stay with the item that keeps the id.
   * One change: undone in one step.
   */
  async renumberItem(path: string, options: { moveReferences?: boolean } = {}): Promise<WriteResult> {
    const backlog = this.index.backlogFor(path);
    const key = backlog?.files.get(path)?.itemKey;
    const same = key !== undefined ? (backlog?.byKey.get(key) ?? []) : [];
    const item = same.find((i) => i.path === path);
    if (!backlog || !item) return refuse(`No item in ${basename(path)}.`);
    const twins = same.filter((i) => i !== item);
    if (twins.length === 0) return refuse(`${item.id} is the only item with its id; nothing to repair.`);
    const cfg = backlog.config;
    const parent = item.parent !== undefined ? backlog.item(item.parent) : undefined;
    const taken = await this.takenIds(backlog);
    const prefix = /^([A-Za-z][\w]*)-\d/.exec(item.id)?.[1] ?? cfg.taskPrefix;
    const id = item.id.includes('.') && parent ? nextSubtaskId(taken, parent.id, cfg.zeroPaddedIds) : nextItemId(taken, prefix, cfg.zeroPaddedIds);
    const e = await this.editItem(item, [['id', id]]);
    if (!e.ok) return e;
    const oldName = basename(item.path);
    const named = idOfFileName(oldName);
    let fileName: string;
    if (named !== undefined && idKey(named) === item.key) fileName = `${id.toLowerCase()}${oldName.slice(named.length)}`;
    else {
      const n = itemFileName(id, item.title);
      if (!n.ok) return refuse(`Cannot name the file: ${n.message}`);
      fileName = n.name;
    }
    const to = joinPath(dirname(item.path), fileName);
    if (await this.ws.stat(to)) return refuse(`Cannot rename ${oldName}: ${basename(to)} already exists.`);
    const operations: FileOperation[] = [...e.operations, { kind: 'rename', from: item.path, to }];
    const moved: string[] = [];
    if (options.moveReferences) {
      for (const other of backlog.items()) {
        if (other.key === item.key) continue;
        const changes: [string, FieldValue][] = [];
        for (const key of ['dependencies', 'subtasks'] as const) {
          const list = listField(other.fields[key]);
          if (list?.some((x) => idKey(x) === item.key)) changes.push([key, list.map((x) => (idKey(x) === item.key ? id : x))]);
        }
        for (const key of ['parent_task_id', 'parent', 'epic'] as const) {
          const v = other.fields[key];
          if (typeof v === 'string' && idKey(v) === item.key) changes.push([key, id]);
        }
        if (changes.length === 0) continue;
        const r = await this.editItem(other, changes);
        if (!r.ok) return refuse(`${other.id}: ${r.message}`);
        operations.push(...r.operations);
        moved.push(other.id);
      }
    }
    moved.sort(compareIds);
    const also = moved.length > 0 ? `; ${moved.join(', ')} now name${moved.length === 1 ? 's' : ''} ${id}` : '';
    return { ok: true, operations, summary: `Renumbered ${item.id} "${item.title}" to ${id}${also}`, label: `Renumbered ${item.id} to ${id}`, itemId: id };
  }

  /** An item's file moved, as it is, to another folder of its backlog under the same name. */
  private async moveFile(item: Item, folder: string): Promise<WriteResult> {
    const idIssue = idProblem(item.id);
    if (idIssue) return refuse(`${basename(item.path)}: ${idIssue} Fix the id in the file first.`);
    const current = await this.readIndexed(item.path);
    if ('message' in current) return refuse(current.message);
    const to = joinPath(item.root, folder, basename(item.path));
    if (await this.ws.stat(to)) return refuse(`Cannot move ${item.id}: ${folder}/${basename(to)} already exists.`);
    return { ok: true, operations: [{ kind: 'rename', from: item.path, to }], summary: '' };
  }

  /**
   * Adds a Backlog.md milestone as `backlog milestone add` writes it: `milestones/m-<n> - <title>.md`
   * with the next number after every active and archived milestone (from m-0), its title quoted,
   * an optional due date and a Description section.
   */
  async addMilestone(root: string, title: string, options: { description?: string; dueDate?: string } = {}): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const name = title.trim();
    if (name === '' || /[\r\n]/.test(name)) return refuse('A milestone needs a title of one line.');
    const clash = activeMilestones(backlog).find((m) => m.name.trim().toLowerCase() === name.toLowerCase());
    if (clash) return refuse(`There is already a milestone "${clash.name}" (${clash.id}).`);
    const due = options.dueDate?.trim();
    if (due !== undefined && due !== '' && !isDay(due)) return refuse(`The due date should be a day like 2027-01-15, not "${due}".`);
    let next = 0;
    for (const path of backlog.files.keys()) {
      const m = /^m-(\d+)/i.exec(basename(path));
      if (m && /\/(archive\/)?milestones\/[^/]*$/.test(path)) next = Math.max(next, Number(m[1]) + 1);
    }
    for (const m of backlog.milestones.values()) {
      const n = /^m-(\d+)$/i.exec(m.id.trim());
      if (n) next = Math.max(next, Number(n[1]) + 1);
    }
    const id = `m-${next}`;
    const path = joinPath(backlog.root, 'milestones', milestoneFileName(id, name));
    if (await this.ws.stat(path)) return refuse(`milestones/${basename(path)} already exists.`);
    const description = options.description?.trim() || `Milestone: ${name}`;
    const content = ['---', `id: ${id}`, `title: ${JSON.stringify(name)}`, ...(due ? [`due_date: "${due}"`] : []), '---', '', '## Description', '', description, ''].join('\n');
    return { ok: true, operations: [{ kind: 'create', path, content }], summary: `Added milestone ${id} "${name}"`, label: `Added milestone ${name}`, itemId: id };
  }

  /**
   * Renames a milestone as `backlog milestone rename` does: its title (only those bytes), its file
   * name, and the items in tasks/ that named it by its old title, which then name it by id.
   */
  async renameMilestone(root: string, ref: string, title: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const milestone = findMilestone(backlog, ref);
    if (!milestone) return refuse(`No milestone ${ref} in milestones/.`);
    const name = title.trim();
    if (name === '' || /[\r\n]/.test(name)) return refuse('A milestone needs a title of one line.');
    if (name === milestone.name.trim()) return { ok: true, operations: [], summary: `${milestone.id} is already named "${name}".` };
    const clash = activeMilestones(backlog).find((m) => m !== milestone && m.name.trim().toLowerCase() === name.toLowerCase());
    if (clash) return refuse(`There is already a milestone "${clash.name}" (${clash.id}).`);
    const edit = await this.editFrontMatter(milestone.path, [['title', name]]);
    if (!edit.ok) return edit;
    const operations = [...edit.operations];
    const to = joinPath(dirname(milestone.path), milestoneFileName(milestone.id, name));
    if (to !== milestone.path) {
      if (await this.ws.stat(to)) return refuse(`Cannot rename the file: milestones/${basename(to)} already exists.`);
      operations.push({ kind: 'rename', from: milestone.path, to });
    }
    const renamed: string[] = [];
    for (const item of milestoneItems(backlog, milestone)) {
      if (item.milestone?.trim().toLowerCase() !== milestone.name.trim().toLowerCase()) continue;
      const e = await this.editItem(item, [['milestone', milestone.id]]);
      if (!e.ok) return refuse(`${item.id}: ${e.message}`);
      operations.push(...e.operations);
      renamed.push(item.id);
    }
    const also = renamed.length > 0 ? `; ${renamed.join(', ')} now name it by id` : '';
    return { ok: true, operations, summary: `Renamed milestone ${milestone.id} "${milestone.name}" to "${name}"${also}`, label: `Renamed milestone ${milestone.name} to ${name}`, itemId: milestone.id };
  }

  /**
   * Removes a milestone as `backlog milestone remove` does: the items in tasks/ that name it are
   * cleared (`clear`, the default), moved to another active milestone (`reassign`) or left as they
   * are (`keep`), and its file goes to archive/milestones/.
   */
  async removeMilestone(root: string, ref: string, handling: 'clear' | 'keep' | 'reassign' = 'clear', reassignTo?: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const milestone = findMilestone(backlog, ref);
    if (!milestone) return refuse(`No milestone ${ref} in milestones/.`);
    let target: Release | undefined;
    if (handling === 'reassign') {
      target = reassignTo !== undefined ? findMilestone(backlog, reassignTo) : undefined;
      if (!target) return refuse(reassignTo === undefined ? 'Say which milestone its items move to.' : `No milestone ${reassignTo} in milestones/ to move its items to.`);
      if (target === milestone) return refuse('Its items must move to another milestone.');
    }
    const operations: FileOperation[] = [];
    const changed: string[] = [];
    if (handling !== 'keep') {
      for (const item of milestoneItems(backlog, milestone)) {
        const e = await this.editItem(item, [['milestone', target ? target.id : null]]);
        if (!e.ok) return refuse(`${item.id}: ${e.message}`);
        operations.push(...e.operations);
        changed.push(item.id);
      }
    }
    const archived = await this.archiveMilestoneFile(backlog, milestone);
    if (!archived.ok) return archived;
    operations.push(...archived.operations);
    const what = changed.length === 0 ? '' : target ? `; ${changed.join(', ')} moved to ${target.name}` : `; cleared from ${changed.join(', ')}`;
    return { ok: true, operations, summary: `Removed milestone ${milestone.id} "${milestone.name}"${what}`, label: `Removed milestone ${milestone.name}`, itemId: milestone.id };
  }

  /** Archives a milestone as `backlog milestone archive` does: its file moves to archive/milestones/; items keep naming it. */
  async archiveMilestone(root: string, ref: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const milestone = findMilestone(backlog, ref);
    if (!milestone) return refuse(`No milestone ${ref} in milestones/.`);
    const r = await this.archiveMilestoneFile(backlog, milestone);
    return r.ok ? { ...r, summary: `Archived milestone ${milestone.id} "${milestone.name}"`, label: `Archived milestone ${milestone.name}`, itemId: milestone.id } : r;
  }

  private async archiveMilestoneFile(backlog: Backlog, milestone: Release): Promise<WriteResult> {
    const current = await this.readIndexed(milestone.path);
    if ('message' in current) return refuse(current.message);
    const to = joinPath(backlog.root, 'archive', 'milestones', basename(milestone.path));
    if (await this.ws.stat(to)) return refuse(`Cannot archive ${milestone.id}: archive/milestones/${basename(to)} already exists.`);
    return { ok: true, operations: [{ kind: 'rename', from: milestone.path, to }], summary: '' };
  }

  /** Sets keys in a file's front matter (a milestone's), changing only their bytes. */
  private async editFrontMatter(path: string, changes: [string, FieldValue][]): Promise<WriteResult> {
    const current = await this.readIndexed(path);
    if ('message' in current) return refuse(current.message);
    const { text, eol } = current.decoded;
    let updated = text;
    for (const [key, value] of changes) {
      const split = splitFrontMatter(updated);
      if (!split.ok) return refuse(`${basename(path)}: ${split.message}`);
      const { yamlStart, yamlEnd } = split.span;
      const r = setYamlKey(updated.slice(yamlStart, yamlEnd), [], key, value, eol);
      if (!r.ok) return refuse(`${basename(path)}: ${r.message}`);
      updated = updated.slice(0, yamlStart) + applyEdits(updated.slice(yamlStart, yamlEnd), r.edits) + updated.slice(yamlEnd);
    }
    const edit = diffEdit(text, updated);
    return { ok: true, operations: edit ? [{ kind: 'edit', path, baseHash: current.hash, edits: [edit] }] : [], summary: '' };
  }

  /** Gives an item a new id (and other changes) and moves its file to `folder` under the name the new id makes. */
  private async reidentify(item: Item, changes: [string, FieldValue][], id: string, folder: ItemFolder): Promise<WriteResult> {
    const e = await this.editItem(item, changes);
    if (!e.ok) return e;
    const name = itemFileName(id, item.title);
    if (!name.ok) return refuse(`Cannot name the file: ${name.message}`);
    const to = joinPath(item.root, folder, name.name);
    if (await this.ws.stat(to)) return refuse(`Cannot move ${item.id}: ${folder}/${name.name} already exists.`);
    return { ok: true, operations: [...e.operations, { kind: 'rename', from: item.path, to }], summary: '' };
  }

  /** Adds a planned sprint to `sprints.yml` (created if missing) with the next `S-n` id. */
  async createSprint(root: string, fields: NewSprint): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const name = fields.name.trim();
    if (name === '') return refuse('A sprint needs a name.');
    for (const [key, date] of [['start', fields.start], ['end', fields.end]] as const) {
      if (date !== undefined && !isDay(date)) return refuse(`The ${key} date should be a day like 2026-11-30, not "${date}".`);
    }
    if (fields.start && fields.end && fields.end < fields.start) return refuse('The sprint would end before it starts.');
    if (fields.capacity !== undefined && !(Number.isFinite(fields.capacity) && fields.capacity >= 0)) return refuse('Capacity is a number of points, zero or more.');
    const id = `S-${nextNumber(backlog.sprints.map((x) => x.id), 'S')}`;
    const entry: Record<string, ScalarValue> = { id, name };
    if (fields.start) entry.start = fields.start;
    if (fields.end) entry.end = fields.end;
    if (fields.goal?.trim()) entry.goal = fields.goal.trim();
    if (fields.capacity !== undefined) entry.capacity = fields.capacity;
    entry.state = 'planned';
    const r = await this.appendPlanEntry(backlog, 'sprints.yml', 'sprints', entry, '# Sprints. Backlog Atlas reads and writes this file; comments are kept.\n');
    return r.ok ? { ...r, summary: `Created ${id} "${name}"`, itemId: id } : r;
  }

  /** Adds a release to `releases.yml` (created if missing) with the next `R-n` id. */
  async createRelease(root: string, fields: NewRelease): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const name = fields.name.trim();
    if (name === '') return refuse('A release needs a name.');
    if (fields.date !== undefined && !isDay(fields.date)) return refuse(`The date should be a day like 2027-01-15, not "${fields.date}".`);
    const id = `R-${nextNumber(backlog.releasesFile.map((x) => x.id), 'R')}`;
    const entry: Record<string, ScalarValue> = { id, name };
    if (fields.date) entry.date = fields.date;
    if (fields.goal?.trim()) entry.goal = fields.goal.trim();
    const r = await this.appendPlanEntry(backlog, 'releases.yml', 'releases', entry, '# Releases. Backlog Atlas reads and writes this file; comments are kept.\n');
    return r.ok ? { ...r, summary: `Created ${id} "${name}"`, itemId: id } : r;
  }

  /**
   * Starts a planned sprint: it becomes active and records what was committed, each item with
   * its estimate at this moment, so that the burndown can tell scope changes from progress.
   */
  async startSprint(root: string, sprintId: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const sprint = backlog.sprint(sprintId);
    if (!sprint) return refuse(`No sprint ${sprintId} in sprints.yml.`);
    if (sprint.state === 'active') return refuse(`${sprint.name} has already started.`);
    if (sprint.state === 'closed') return refuse(`${sprint.name} is closed; plan a new sprint instead.`);
    const active = backlog.activeSprint();
    if (active) return refuse(`${active.name} is still active; complete it first.`);
    const committed = backlog
      .sprintBacklog(sprint.id)
      .filter((i) => !backlog.isDone(i))
      .map((i) => ({ id: i.id, estimate: backlog.points(i) }));
    const at: PathSegment[] = ['sprints', { id: sprint.id }];
    const changes: PlanChange[] = [[at, 'state', 'active'], [at, 'committed', committed]];
    if (!sprint.start) changes.push([at, 'start', this.today()]);
    const r = await this.editPlan(backlog, 'sprints.yml', changes);
    if (!r.ok) return r;
    const points = committed.reduce((n, c) => n + c.estimate, 0);
    return { ...r, summary: `${sprint.name} started with ${committed.length} items, ${points} points committed`, itemId: sprint.id };
  }

  /**
   * Closes the active sprint. Unfinished items move to `moveUnfinishedTo` (a planned or the
   * next sprint) or, with null, back to the product backlog; done items stay with the sprint.
   */
  async completeSprint(root: string, sprintId: string, moveUnfinishedTo: string | null): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const sprint = backlog.sprint(sprintId);
    if (!sprint) return refuse(`No sprint ${sprintId} in sprints.yml.`);
    if (sprint.state !== 'active') return refuse(`${sprint.name} is not active; only the active sprint can be completed.`);
    let target: string | null = null;
    if (moveUnfinishedTo !== null) {
      const next = backlog.sprint(moveUnfinishedTo);
      if (!next) return refuse(`No sprint ${moveUnfinishedTo} in sprints.yml.`);
      if (next.id === sprint.id || next.state === 'closed') return refuse(`Unfinished items cannot move to ${next.name}; pick a planned sprint.`);
      target = next.id;
    }
    const at: PathSegment[] = ['sprints', { id: sprint.id }];
    const changes: PlanChange[] = [[at, 'state', 'closed']];
    if (!sprint.end) changes.push([at, 'end', this.today()]);
    const plan = await this.editPlan(backlog, 'sprints.yml', changes);
    if (!plan.ok) return plan;
    const operations = [...plan.operations];
    const unfinished = backlog.sprintBacklog(sprint.id).filter((i) => !backlog.isDone(i));
    for (const item of unfinished) {
      const e = await this.editItem(item, [['sprint', target]]);
      if (!e.ok) return refuse(`${item.id}: ${e.message}`);
      operations.push(...e.operations);
    }
    const where = target ? `moved to ${backlog.sprint(target)!.name}` : 'returned to the product backlog';
    return { ok: true, operations, summary: `${sprint.name} completed; ${unfinished.length} unfinished item(s) ${where}`, itemId: sprint.id };
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

  /**
   * Moves a theme or initiative of `roadmap.yml` to a horizon (`null` unschedules it). The key the
   * theme already uses (`horizon` or `quarter`) is the one written, so the file keeps its style.
   */
  async setThemeHorizon(root: string, themeId: string, horizon: string | null): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const theme = backlog.roadmap.themes.find((t) => t.id.toUpperCase() === themeId.toUpperCase());
    if (!theme) return refuse(`No theme or initiative ${themeId} in roadmap.yml.`);
    const value = horizon === null ? null : normalizeHorizon(horizon);
    if (value === undefined) return refuse(horizonProblem(horizon ?? ''));
    // A horizon that did not parse (`soon`) still has its key: removing it is a change.
    if ((theme.horizon ?? null) === value && !(value === null && theme.horizonKey !== undefined)) return { ok: true, operations: [], summary: `${theme.title} is already there.` };
    const key = theme.horizonKey ?? 'horizon';
    const r = await this.setPlanKey(root, 'roadmap.yml', ['themes', { id: theme.id }], key, value);
    if (!r.ok) return r;
    return { ...r, summary: value === null ? `${theme.title} is unscheduled` : `${theme.title} moved to ${horizonLabel(value)}` };
  }

  /** Appends an activity (with no steps yet) to `storymap.yml`, creating the file when the backlog has none. */
  async addStoryMapActivity(root: string, title: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const clean = oneLineTitle(title, 'An activity');
    if ('error' in clean) return refuse(clean.error);
    return this.editStoryMap(backlog, (map) => {
      const id = uniqueSlug(clean.title, 'activity', storyMapIds(map));
      const expected = storyMapShape(map);
      expected.push({ id, title: clean.title, steps: [] });
      return {
        changes: [(text, eol) => appendToList(text, [], 'activities', { id, title: clean.title, steps: [] }, eol, 'block')],
        expected,
        summary: `Activity "${clean.title}" added`,
        itemId: id,
      };
    });
  }

  /** Appends a step to the end of an activity's `steps` in `storymap.yml`, creating `steps:` if needed. */
  async addStoryMapStep(root: string, activityId: string, title: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const clean = oneLineTitle(title, 'A step');
    if ('error' in clean) return refuse(clean.error);
    if (!backlog.files.has(joinPath(backlog.root, 'storymap.yml'))) return refuse('This backlog has no storymap.yml yet; add an activity first.');
    return this.editStoryMap(backlog, (map) => {
      const activity = map.activities.find((a) => a.id.toUpperCase() === activityId.toUpperCase());
      if (!activity) return { message: `No activity ${activityId} in storymap.yml; refresh the story map and try again.` };
      const id = uniqueSlug(clean.title, 'step', storyMapIds(map));
      const expected = storyMapShape(map);
      expected.find((a) => a.id === activity.id)!.steps.push({ id, title: clean.title });
      return {
        changes: [(text, eol) => appendToList(text, ['activities', { id: activity.id }], 'steps', { id, title: clean.title }, eol, 'block')],
        expected,
        summary: `Step "${clean.title}" added to ${activity.title}`,
        itemId: id,
      };
    });
  }

  /** Sets the title of an activity or a step in `storymap.yml`; nothing is written when it is unchanged. */
  async renameStoryMapNode(root: string, kind: 'step' | 'activity', id: string, title: string): Promise<WriteResult> {
    const backlog = this.backlogAt(root);
    if (!backlog) return refuse(`No backlog at ${root}.`);
    const what = kind === 'step' ? 'A step' : 'An activity';
    const clean = oneLineTitle(title, what);
    if ('error' in clean) return refuse(clean.error);
    if (!backlog.files.has(joinPath(backlog.root, 'storymap.yml'))) return refuse(`No ${kind} ${id}: this backlog has no storymap.yml.`);
    return this.editStoryMap(backlog, (map) => {
      const key = id.toUpperCase();
      const expected = storyMapShape(map);
      let path: PathSegment[] | undefined;
      let node: { id: string; title: string } | undefined;
      for (const [k, a] of map.activities.entries()) {
        if (kind === 'activity' && a.id.toUpperCase() === key) {
          path = ['activities', { id: a.id }];
          node = expected[k];
        }
        const s = a.steps.findIndex((x) => x.id.toUpperCase() === key);
        if (kind === 'step' && s !== -1) {
          path = ['activities', { id: a.id }, 'steps', { id: a.steps[s].id }];
          node = expected[k].steps[s];
        }
        if (path) break;
      }
      if (!path || !node) return { message: `No ${kind} ${id} in storymap.yml; refresh the story map and try again.` };
      const name = kind === 'step' ? 'Step' : 'Activity';
      if (node.title === clean.title) return { changes: [], expected, summary: `${name} "${clean.title}" is unchanged.`, itemId: node.id };
      node.title = clean.title;
      const at = path;
      return {
        changes: [(text, eol) => setYamlKey(text, at, 'title', clean.title, eol)],
        expected,
        summary: `${name} renamed to "${clean.title}"`,
        itemId: node.id,
      };
    });
  }

  /**
   * Reads `storymap.yml` (or starts one from a comment line when the backlog has none), lets
   * `plan` decide the changes against the indexed map, applies them as one operation and re-parses
   * the result: it must hold exactly the activities and steps `plan` expected, in order.
   */
  private async editStoryMap(backlog: Backlog, plan: (map: StoryMap) => StoryMapPlan | { message: string }): Promise<WriteResult> {
    const path = joinPath(backlog.root, 'storymap.yml');
    let base: { text: string; eol: string; hash?: string };
    if (!backlog.files.has(path)) {
      if (await this.ws.stat(path)) return refuse('storymap.yml changed since it was read; refresh and try again.');
      base = { text: STORY_MAP_HEADER, eol: '\n' };
    } else {
      const current = await this.readIndexed(path);
      if ('message' in current) return refuse(current.message);
      base = { text: current.decoded.text, eol: current.decoded.eol, hash: current.hash };
    }
    const p = plan(base.hash === undefined ? { activities: [] } : backlog.storyMap);
    if ('message' in p) return refuse(p.message);
    let text = base.text;
    for (const change of p.changes) {
      const r = change(text, base.eol);
      if (!r.ok) return refuse(`storymap.yml: ${r.message}`);
      text = applyEdits(text, r.edits);
    }
    const reread = parseStoryMap(path, new TextEncoder().encode(text));
    if (JSON.stringify(storyMapShape(reread.value)) !== JSON.stringify(p.expected)) {
      return refuse('storymap.yml could not be changed so that it reads back exactly; nothing was written. Edit the file by hand.');
    }
    const done = { summary: p.summary, itemId: p.itemId };
    if (base.hash === undefined) return { ok: true, operations: [{ kind: 'create', path, content: text }], ...done };
    const edit = diffEdit(base.text, text);
    return { ok: true, operations: edit ? [{ kind: 'edit', path, baseHash: base.hash, edits: [edit] }] : [], ...done };
  }

  /** Writes where the moved items land, and their fields, into their own files only: one edit per file. */
  private async placeAt(items: Item[], order: Item[], at: number, fields: [string, FieldValue][]): Promise<WriteResult> {
    const backlog = this.index.backlogFor(items[0].path)!;
    const placed = placeBetween(order, at, items, backlog.config.priorities);
    if (!placed.ok) return refuse(placed.message);
    return this.applyMoves(items, placed.places, fields);
  }

  /** Writes the new places (if any) and fields of moved items, one edit per file. */
  private async applyMoves(items: Item[], places: Place[] | undefined, fields: [string, FieldValue][]): Promise<WriteResult> {
    const operations: FileOperation[] = [];
    for (let k = 0; k < items.length; k++) {
      const changes: [string, FieldValue][] = [];
      const place = places?.[k];
      if (place?.rank !== undefined && place.rank !== (items[k].rank ?? null)) changes.push(['rank', place.rank]);
      if (place?.ordinal !== undefined && place.ordinal !== (items[k].ordinal ?? null)) changes.push(['ordinal', place.ordinal]);
      changes.push(...fields);
      const backlog = this.index.backlogFor(items[k].path)!;
      for (const [key, value] of fields) changes.push(...releaseCompanions(backlog, items[k], key, value));
      if (changes.length === 0) continue;
      const e = await this.editItem(items[k], changes);
      if (!e.ok) return refuse(`${items[k].id}: ${e.message}`);
      operations.push(...e.operations);
    }
    const names = items.length === 1 ? items[0].id : `${items.length} items`;
    const what = fields.length > 0 ? fields.map(([k, v]) => (v === null ? `${k} cleared` : `${k} ${display(v)}`)).join(', ') : 'moved';
    const summary = operations.length === 0 ? `${names} already there.` : `${names}: ${what}`;
    return { ok: true, operations, summary, itemId: items[0].id, label: moveLabel(this.index.backlogFor(items[0].path), items, fields) };
  }

  private backlogAt(root: string): Backlog | undefined {
    return this.index.roots().find((b) => b.root === root);
  }

  /** Applies several key changes to one plan file, one after another, as one edit. */
  private async editPlan(backlog: Backlog, file: PlanFile, changes: PlanChange[]): Promise<WriteResult> {
    const path = joinPath(backlog.root, file);
    const current = await this.readIndexed(path);
    if ('message' in current) return refuse(current.message);
    let text = current.decoded.text;
    for (const [mapPath, key, value] of changes) {
      const r = setYamlKey(text, mapPath, key, value, current.decoded.eol);
      if (!r.ok) return refuse(`${file}: ${r.message}`);
      text = applyEdits(text, r.edits);
    }
    const edit = diffEdit(current.decoded.text, text);
    return { ok: true, operations: edit ? [{ kind: 'edit', path, baseHash: current.hash, edits: [edit] }] : [], summary: '' };
  }

  /** Appends an entry to a plan file's list, creating the file when the backlog has none. */
  private async appendPlanEntry(backlog: Backlog, file: PlanFile, key: string, entry: Record<string, ScalarValue>, header: string): Promise<WriteResult> {
    const path = joinPath(backlog.root, file);
    if (!backlog.files.has(path)) {
      if (await this.ws.stat(path)) return refuse(`${file} changed since it was read; refresh and try again.`);
      const r = appendToList(header, [], key, entry, '\n');
      if (!r.ok) return refuse(`${file}: ${r.message}`);
      return { ok: true, operations: [{ kind: 'create', path, content: applyEdits(header, r.edits) }], summary: '' };
    }
    const current = await this.readIndexed(path);
    if ('message' in current) return refuse(current.message);
    const r = appendToList(current.decoded.text, [], key, entry, current.decoded.eol);
    if (!r.ok) return refuse(`${file}: ${r.message}`);
    return { ok: true, operations: r.edits.length > 0 ? [{ kind: 'edit', path, baseHash: current.hash, edits: r.edits }] : [], summary: '' };
  }

  /** Applies field changes to an item's front matter, one after another, as one edit. */
  private async editItem(item: Item, changes: [string, FieldValue][], body?: (text: string, eol: string) => { text: string } | { message: string }): Promise<WriteResult> {
    // The file says so too (an `unsafe-id` error): an id that is not fit for a file name is fixed
    // by hand, not carried into renames, subtasks and summaries.
    const idIssue = idProblem(item.id);
    if (idIssue) return refuse(`${basename(item.path)}: ${idIssue} Fix the id in the file first.`);
    const current = await this.readIndexed(item.path);
    if ('message' in current) return refuse(current.message);
    const { text, eol } = current.decoded;
    const set = (from: string, [key, value]: [string, FieldValue]): { text: string } | { message: string } => {
      const r = setFrontMatterKey(from, key, value, eol);
      return 'message' in r ? { message: `${basename(item.path)}: ${r.message}` } : r;
    };
    // The body first: its line numbers are the ones the index read, before any front-matter line moves.
    let updated = text;
    if (body) {
      const r = body(text, eol);
      if ('message' in r) return refuse(r.message);
      updated = r.text;
    }
    for (const change of changes) {
      const r = set(updated, change);
      if ('message' in r) return refuse(r.message);
      updated = r.text;
    }
    // Backlog.md stamps `updated_date` whenever an edit changes what a task says, but not when
    // only its place in the order changes; so do we, so that Backlog Health's "stale" sees grooming.
    if (updated !== text && (body !== undefined || changes.some(([key]) => !ORDER_KEYS.has(key)))) {
      const r = set(updated, ['updated_date', formatDateTime(this.now())]);
      if ('message' in r) return refuse(r.message);
      updated = r.text;
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
    // A merge in progress is said as such: the YAML errors its markers cause are its symptoms.
    const conflict = record.diagnostics.find((d) => d.code === CONFLICT_CODE);
    if (conflict) {
      return { message: `${basename(path)} has unresolved merge-conflict markers (line ${conflict.line + 1}); resolve the conflict before changing the file here. Nothing was written.` };
    }
    const broken = record.diagnostics.find((d) => (d.severity === 'error' || d.code === 'unquoted-handle') && isParseFailure(d.code));
    if (broken) {
      return { message: `${basename(path)} has a problem on line ${broken.line + 1} (${broken.message}); fix it before changing the file here.` };
    }
    return { decoded: decoded.value, hash };
  }

  private checkValue(backlog: Backlog, key: string, value: FieldValue): { value: FieldValue } | { error: string } {
    return checkFieldValue(backlog, key, value);
  }

  /**
   * The one item an id names, or why there is none. An id that two files share (a merge of two
   * branches) names neither: Backlog.md refuses it too, and guessing would change the wrong file.
   */
  private target(itemId: string, root?: string, what = 'item'): Item | string {
    const item = this.index.item(itemId, root);
    if (!item) return `No ${what} ${itemId} in the backlog.`;
    const backlog = this.index.backlogFor(item.path)!;
    const same = backlog.byKey.get(item.key) ?? [];
    if (same.length > 1) {
      const files = same.map((i) => i.path.slice(backlog.root.length + 1)).join(', ');
      return `${item.id} is the id of ${same.length} files (${files}); give one of them a new id first ("Give Item a New Id", or backlog-atlas renumber ${item.id} --file <path>).`;
    }
    return item;
  }

  /**
   * Every id in use: items', those in the names of files that do not parse (which still own
   * theirs), and those the adapter found elsewhere (on other active branches), so that two
   * branches never take the same next id.
   */
  private async takenIds(backlog: Backlog): Promise<string[]> {
    const ids = backlog.items().map((i) => i.id);
    for (const path of backlog.files.keys()) {
      const id = idOfFileName(basename(path));
      if (id) ids.push(id);
    }
    if (this.idsElsewhere) ids.push(...(await this.idsElsewhere(backlog)));
    return ids;
  }

  private today(): string {
    return formatDate(this.now());
  }
}

/** Normalises a value of an item field for this backlog (a status as config.yml spells it…), or says what is wrong with it. */
export function checkFieldValue(backlog: Backlog, key: string, value: FieldValue): { value: FieldValue } | { error: string } {
  const bad = (error: string) => ({ error });
  const ok = (v: FieldValue) => ({ value: v });
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return bad(`"${key}" is not a field name.`);
  if (key === 'id') return bad('An id cannot be changed here: other items and code comments refer to it.');
  if (key === 'title' && value === null) return bad('Every item needs a title.');
  // Backlog.md reads the description from the body; a front-matter key of that name shows nowhere.
  if (key === 'description') return bad('The description is the "## Description" section of the file, not a field: edit it in the item editor or in the file.');
  if (value === null) return ok(null);
  const cfg = backlog.config;
  if (NUMBER_KEYS.has(key)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < 0) return bad(`${key} must be a number of zero or more, not "${display(value)}".`);
    if (key !== 'ordinal' && n > MAX_POINTS) return bad(`${key} must be at most ${MAX_POINTS.toLocaleString('en')}, not "${display(value)}".`);
    return ok(n);
  }
  if (LIST_KEYS.has(key)) {
    const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
    if (list === undefined) return bad(`${key} must be a list.`);
    if (key !== 'dependencies') return ok(list);
    // As Backlog.md's task edit: every dependency is an item that exists, written as its id is
    // (`12` and `bl-12` are BL-12), once.
    const missing = list.filter((id) => backlog.item(id) === undefined);
    if (missing.length > 0) return bad(`No item ${missing.join(', ')} in the backlog to depend on.`);
    return ok([...new Set(list.map((id) => backlog.item(id)!.id))]);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return bad(`${key} must be a single value.`);
  const s = String(value).trim();
  // Text is written as given: spaces at its ends would be lost when the file is read back, so a
  // value with them is refused rather than quietly trimmed. Values looked up in the backlog
  // (a status, a sprint…) are matched ignoring case and spaces; their own spelling is written.
  if (typeof value === 'string' && s !== value && !LOOKED_UP_KEYS.has(key)) return bad(s === '' ? `${key} cannot be only spaces; give "" to remove it.` : edgeSpaces(key, value));
  const pick = (found: string | undefined, error: string) => (found !== undefined ? ok(found) : bad(error));
  switch (key) {
    case 'status':
      // As Backlog.md's `task edit -s todo`: any case and spacing, written as config.yml spells it.
      return pick(canonicalStatus(cfg.statuses, s), `"${s}" is not a status of this backlog: ${cfg.statuses.join(', ')}.`);
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
      if (/[\r\n\u2028\u2029]/.test(s)) return bad('A title is one line; remove the line breaks.');
      // eslint-disable-next-line no-control-regex
      if (/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s)) return bad('A title cannot hold control characters (terminal colour codes pasted with it, say); remove them.');
      return pick(s === '' ? undefined : s, 'Every item needs a title.');
    case 'created_date':
    case 'updated_date':
    case 'completed_date':
    case 'due_date': {
      // Backlog.md skips a task whose due date is not a real one: it would vanish from its board.
      const problem = dateProblem(key, s);
      return problem === undefined ? ok(s) : bad(problem);
    }
    case 'horizon':
      return pick(normalizeHorizon(s), horizonProblem(s));
    case 'epic':
    case 'parent_task_id':
      return pick(backlog.item(s)?.id, `No item ${s} in the backlog to be the ${key === 'epic' ? 'epic' : 'parent'}.`);
    default:
      return ok(typeof value === 'string' ? s : value);
  }
}

/**
 * Sets (or, with `null`, removes) one key of an item file's front matter, changing only that
 * value's bytes (verified by `setYamlKey`); the body is untouched.
 */
export function setFrontMatterKey(text: string, key: string, value: FieldValue, eol: string): { text: string } | { message: string } {
  const split = splitFrontMatter(text);
  if (!split.ok) return { message: split.message };
  const { yamlStart, yamlEnd } = split.span;
  const r = setYamlKey(text.slice(yamlStart, yamlEnd), [], key, value, eol);
  if (!r.ok) return { message: r.message };
  return { text: text.slice(0, yamlStart) + applyEdits(text.slice(yamlStart, yamlEnd), r.edits) + text.slice(yamlEnd) };
}

/** The first line of a `storymap.yml` that Backlog Atlas starts. */
const STORY_MAP_HEADER = "# Story map: the user's journey as activities, left to right, each with its steps. Stories point to a step with `step:`.\n";

/** Activities and steps without line numbers: what a story-map edit must leave (or make) in the file. */
type StoryMapShape = { id: string; title: string; steps: { id: string; title: string }[] }[];

/** The edits of one story-map change, applied in turn, and what the file must read as afterwards. */
interface StoryMapPlan {
  changes: ((text: string, eol: string) => EditResult)[];
  expected: StoryMapShape;
  summary: string;
  itemId: string;
}

function storyMapShape(map: StoryMap): StoryMapShape {
  return map.activities.map((a) => ({ id: a.id, title: a.title, steps: a.steps.map((s) => ({ id: s.id, title: s.title })) }));
}

/** Every activity and step id of a story map, upper-cased: new ids must differ from all of them. */
function storyMapIds(map: StoryMap): Set<string> {
  return new Set(map.activities.flatMap((a) => [a.id, ...a.steps.map((s) => s.id)]).map((id) => id.toUpperCase()));
}

/** A trimmed title on one line, or what is wrong with it. */
function oneLineTitle(title: string, what: string): { title: string } | { error: string } {
  const clean = title.trim();
  if (clean === '') return { error: `${what} needs a title.` };
  if (/[\r\n]/.test(clean)) return { error: 'A title has to fit on one line; remove the line breaks.' };
  return { title: clean };
}

/** `Plan a hike!` → `plan-a-hike`: a-z, 0-9 and `-`, at most 40 characters, then `-2`, `-3`… until unused. */
function uniqueSlug(title: string, fallback: string, taken: Set<string>): string {
  const slug = (s: string, max: number) =>
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, max)
      .replace(/-+$/, '');
  const base = slug(title, 40) || fallback;
  if (!taken.has(base.toUpperCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, 40 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(id.toUpperCase())) return id;
  }
}

/** The next free number of ids like `S-3`, `R-12`; ids of other shapes are ignored. */
function nextNumber(ids: string[], prefix: string): number {
  return ids.reduce((max, id) => Math.max(max, idNumber(id, prefix) ?? 0), 0) + 1;
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
export function itemBodyTemplate(description: string, definitionOfDone: readonly string[] = []): string[] {
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
    // config.yml's `definition_of_done`: every new task starts with these to tick, numbered and
    // marked as Backlog.md's `task create` writes them.
    ...(definitionOfDone.length === 0
      ? []
      : ['## Definition of Done', '<!-- DOD:BEGIN -->', ...definitionOfDone.map((text, i) => `- [ ] #${i + 1} ${text.replace(/\s+/g, ' ').trim()}`), '<!-- DOD:END -->', '']),
  ];
}

function yamlString(s: string): string {
  return /^[A-Za-z][\w .()/-]*$/.test(s) && !/[:#]|\s$/.test(s) && !/^(?:null|true|false|yes|no|on|off|y|n|~)$/i.test(s) ? s : `'${s.replace(/'/g, "''")}'`;
}

/**
 * What else changes with an item's release when the item also names a Backlog.md `milestone`,
 * which stands for a release too (an item naming both is in the one `release` names): cleared
 * with the release, or made the new release's own milestone, so that Backlog.md and every view
 * here put the item in the same release afterwards.
 */
function releaseCompanions(backlog: Backlog, item: Item, key: string, value: FieldValue): [string, FieldValue][] {
  if (key !== 'release' || item.milestone === undefined) return [];
  if (value === null) return [['milestone', null]];
  const target = typeof value === 'string' ? backlog.release(value) : undefined;
  const linked = target?.source === 'milestone' ? target.id : target?.milestone;
  if (linked === undefined) return [['milestone', null]];
  return backlog.release(item.milestone) === target ? [] : [['milestone', linked]];
}

/** Why an item cannot depend on, or be the parent of, itself; undefined when it does not. */
function selfReference(item: Item, key: string, value: FieldValue): string | undefined {
  if (key === 'dependencies' && Array.isArray(value) && value.some((v) => typeof v === 'string' && idKey(v) === item.key)) return `${item.id} cannot depend on itself.`;
  if (key === 'parent_task_id' && typeof value === 'string' && idKey(value) === item.key) return `${item.id} cannot be its own parent.`;
  return undefined;
}

/** Why a text with spaces at its start or end is refused. */
function edgeSpaces(key: string, value: string): string {
  return `The ${key} ${JSON.stringify(value)} starts or ends with spaces, which reading the file would drop; nothing was written. Give it without them.`;
}

/**
 * The words that name a move to the user, as a notification offering to undo it says them:
 * "Moved BL-13 to Sprint 15", "Moved BL-4 and BL-5 out of Sprint 14", "Moved BL-2 in the backlog
 * order". Sprints and releases are named by their names, as the views show them.
 */
export function moveLabel(backlog: Backlog | undefined, items: readonly Pick<Item, 'id' | 'sprint' | 'release'>[], fields: readonly [string, FieldValue][]): string {
  const ids = items.map((i) => i.id);
  const names = ids.length === 1 ? ids[0] : ids.length <= 3 ? `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}` : `${ids.length} items`;
  const places: string[] = [];
  const others: string[] = [];
  for (const [key, value] of fields) {
    if (key === 'sprint' || key === 'release') {
      const named = (id: string | undefined) => (id === undefined ? undefined : key === 'sprint' ? backlog?.sprint(id)?.name : backlog?.release(id)?.name) ?? id;
      const kind = key === 'release' ? 'release ' : '';
      const from = named(items[0][key]);
      if (value === null) places.push(from === undefined ? `out of its ${key}` : `out of ${kind}${from}`);
      else places.push(`to ${kind}${named(display(value))}`);
    } else others.push(value === null ? `${key} cleared` : `${key} ${display(value)}`);
  }
  if (places.length === 0 && others.length === 0) return `Moved ${names} in the backlog order`;
  return `Moved ${names}${places.length > 0 ? ` ${places.join(' and ')}` : ''}${others.length > 0 ? `: ${others.join(', ')}` : ''}`;
}

/** Where an item lives, as a person names the folder. */
function folderName(folder: ItemFolder): string {
  return folder === 'archive' ? 'archive/tasks/' : `${folder}/`;
}

/** A front-matter list as text ids; a single value or `a, b` text counts as a list, as when read. */
function listField(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return undefined;
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

/**
 * A milestone's file name as Backlog.md makes it (`buildMilestoneFilename`): the title without
 * the characters file systems refuse, spaces as dashes, lower case, at most 50 characters. Control,
 * bidi and zero-width characters are left out too, as in every name Backlog Atlas makes.
 */
export function milestoneFileName(id: string, title: string): string {
  let safe = '';
  let space = false;
  for (const ch of title) {
    const code = ch.codePointAt(0)!;
    if ('<>:"/\\|?*'.includes(ch) || code < 0x20 || code === 0x7f || (code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff) continue;
    if (/\s/.test(ch)) {
      space = true;
      continue;
    }
    if (space) safe += '-';
    space = false;
    safe += ch.toLowerCase();
  }
  if (space) safe += '-';
  return `${id} - ${[...safe].slice(0, 50).join('')}.md`;
}

/** The milestones in milestones/ (not archived), in the index's order. */
function activeMilestones(backlog: Backlog): Release[] {
  return [...backlog.milestones.values()].filter((m) => !m.archived);
}

/** An active milestone by id (`m-1`), number (`1`) or title, as Backlog.md finds one. */
function findMilestone(backlog: Backlog, ref: string): Release | undefined {
  const active = activeMilestones(backlog);
  const key = idKey(ref);
  return (
    active.find((m) => idKey(m.id) === key) ??
    active.find((m) => idKey(m.id) === `M-${key}`) ??
    active.find((m) => m.name.trim().toLowerCase() === ref.trim().toLowerCase())
  );
}

/** The items in tasks/ whose `milestone` names this milestone, by id, number or title. */
function milestoneItems(backlog: Backlog, milestone: Release): Item[] {
  return backlog.items().filter((i) => i.folder === 'tasks' && i.milestone !== undefined && findMilestoneOf(i.milestone, milestone));
}

function findMilestoneOf(ref: string, milestone: Release): boolean {
  const key = idKey(ref);
  return key === idKey(milestone.id) || `M-${key}` === idKey(milestone.id) || ref.trim().toLowerCase() === milestone.name.trim().toLowerCase();
}
