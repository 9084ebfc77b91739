// Backlog.md's file naming, so that files we create look like the ones it creates.

/**
 * What makes an id unfit to be part of a file name or to be shown: a path separator or `..`
 * (the id could climb out of the folder), a control character (NUL, a line break, a terminal
 * escape), a bidirectional control (the id reads as another one) or a zero-width character
 * (two ids look the same). Undefined when the id has none of these.
 */
export function idProblem(id: string): string | undefined {
  if (id.includes('..')) return `The id ${visibleId(id)} contains "..": an id becomes part of a file name, so it may not name a parent folder.`;
  for (const ch of id) {
    const what = unsafeCharKind(ch);
    if (what) return `The id ${visibleId(id)} contains ${what}: an id becomes part of a file name and is shown as text, so it may not hold slashes, control, bidirectional or zero-width characters.`;
  }
  return undefined;
}

type UnsafeKind = 'a slash' | 'a backslash' | 'a control character' | 'a bidirectional control character' | 'a zero-width character';

/** Why one character may not be in an id (or a file name made from one), or undefined. */
function unsafeCharKind(ch: string): UnsafeKind | undefined {
  const c = ch.codePointAt(0)!;
  if (ch === '/') return 'a slash';
  if (ch === '\\') return 'a backslash';
  // C0 (NUL, tab, line breaks, ESC), DEL and C1, and the Unicode line and paragraph separators.
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return 'a control character';
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c) return 'a bidirectional control character';
  if ((c >= 0x200b && c <= 0x200d) || c === 0xfeff || c === 0x2060) return 'a zero-width character';
  return undefined;
}

/** True for a character that must never reach a file name: see `idProblem`. */
export function isUnsafeNameChar(ch: string): boolean {
  return unsafeCharKind(ch) !== undefined;
}

/** The id quoted, its invisible characters written as `\u202E`, so that a message shows what is there. */
export function visibleId(id: string): string {
  let out = '';
  for (const ch of id) out += unsafeCharKind(ch) && ch !== '/' && ch !== '\\' ? `\\u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : ch;
  return `"${out.length > 60 ? `${out.slice(0, 60)}…` : out}"`;
}

/** Backlog.md's sanitising of a title for a file name, without the characters `idProblem` names. */
export function sanitizeTitle(title: string): string {
  return [...title]
    .filter((ch) => ch === '/' || ch === '\\' || /\s/.test(ch) || !isUnsafeNameChar(ch))
    .join('')
    .replace(/[<>:"/\\|?*]/g, '-')
    .replace(/['(),!@#$%^&+=[\]{};]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The longest file name (in UTF-8 bytes) ext4, APFS and NTFS all accept. */
const MAX_NAME_BYTES = 255;

/**
 * `<id lower-cased> - <sanitised title>.md`, or why the id cannot be part of a file name: the
 * name is then never made, whatever the id holds (see `idProblem`).
 */
export function itemFileName(id: string, title: string): { ok: true; name: string } | { ok: false; message: string } {
  const problem = idProblem(id);
  if (problem) return { ok: false, message: problem };
  const t = sanitizeTitle(title);
  const name = `${id.toLowerCase()}${t === '' ? '' : ` - ${t}`}.md`;
  // Backlog.md keeps the whole title in the name; past what file systems allow it cannot be made.
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_NAME_BYTES) return { ok: false, message: `The file name would be ${bytes} bytes long, more than file systems allow (${MAX_NAME_BYTES}); shorten the title.` };
  return { ok: true, name };
}

/**
 * The id a file's name starts with (`bl-12 - Title.md` gives `bl-12`, `task-3.1.md` gives
 * `task-3.1`), or undefined. A file owns the id of its name even when its front matter is broken.
 */
export function idOfFileName(name: string): string | undefined {
  return /^([A-Za-z][\w]*-\d+(?:\.\d+)*)/.exec(name)?.[1];
}

/** The number of a `<PREFIX>-<n>` id with the given prefix, or undefined for other ids. */
export function idNumber(id: string, prefix: string): number | undefined {
  const m = /^([A-Za-z][\w]*)-(\d+)$/.exec(id);
  if (!m || m[1].toLowerCase() !== prefix.toLowerCase()) return undefined;
  return Number(m[2]);
}

/** Backlog.md's convention: ids are written upper case in front matter. */
export function formatId(prefix: string, n: number): string {
  return `${prefix.toUpperCase()}-${n}`;
}

/**
 * The form ids are compared in. Backlog.md compares case-insensitively and number by number,
 * so `task-1`, `TASK-01` and `Task-1` are one id, as are `BL-12.01` and `bl-12.1`.
 */
export function idKey(id: string): string {
  return id.trim().toUpperCase().replace(/\d+/g, (n) => String(Number(n)));
}

/**
 * The leading number of an id with the given prefix (`TASK-12` and `task-12.3` give 12), or
 * undefined for ids with another prefix or none. A BigInt, so that a hand-typed `TASK-99999999999999999999`
 * is still exceeded by the next id instead of colliding with it.
 */
function leadingNumber(id: string, prefix: string): bigint | undefined {
  const text = id.trim();
  const head = `${prefix}-`;
  if (text.length <= head.length || text.slice(0, head.length).toLowerCase() !== head.toLowerCase()) return undefined;
  let end = head.length;
  while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
  return end === head.length ? undefined : BigInt(text.slice(head.length, end));
}

/** `digits` with zeros in front up to `width` (Backlog.md's `zero_padded_ids`). */
function padded(digits: string, width: number | undefined): string {
  return width !== undefined && width > 0 ? digits.padStart(width, '0') : digits;
}

/**
 * The id of a new top-level item, as Backlog.md names it (`generateNextId`): one past the highest
 * number in `ids` with the prefix, upper case, padded to `zero_padded_ids` digits (`TASK-008`).
 * A subtask's number counts for its parent's (`TASK-7.1` keeps `TASK-7` taken even when that
 * file is gone), so that no new item ever takes an id that already has children.
 */
export function nextItemId(ids: Iterable<string>, prefix: string, zeroPaddedIds?: number): string {
  let max = 0n;
  for (const id of ids) {
    const n = leadingNumber(id, prefix);
    if (n !== undefined && n > max) max = n;
  }
  return `${prefix.toUpperCase()}-${padded((max + 1n).toString(), zeroPaddedIds)}`;
}

/**
 * The id of a new subtask of `parentId`, as Backlog.md names it (`generateNextSubtaskId`): the
 * parent's id, a dot, and one past its highest child: `TASK-3.1`, or `TASK-003.01` in a
 * backlog with `zero_padded_ids` (Backlog.md pads subtask numbers to two digits then).
 */
export function nextSubtaskId(ids: Iterable<string>, parentId: string, zeroPaddedIds?: number): string {
  const parentKey = `${idKey(parentId)}.`;
  let max = 0n;
  for (const id of ids) {
    const key = idKey(id);
    if (!key.startsWith(parentKey)) continue;
    let end = parentKey.length;
    while (end < key.length && key.charCodeAt(end) >= 0x30 && key.charCodeAt(end) <= 0x39) end++;
    if (end === parentKey.length) continue;
    const n = BigInt(key.slice(parentKey.length, end));
    if (n > max) max = n;
  }
  const child = (max + 1n).toString();
  return `${parentId.trim().toUpperCase()}.${zeroPaddedIds !== undefined && zeroPaddedIds > 0 ? child.padStart(2, '0') : child}`;
}
