// Backlog.md's file naming, so that files we create look like the ones it creates.

/** Backlog.md's sanitising of a title for a file name. */
export function sanitizeTitle(title: string): string {
  return title
    .replace(/[<>:"/\\|?*]/g, '-')
    .replace(/['(),!@#$%^&+=[\]{};]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);
}

/** `<id lower-cased> - <sanitised title>.md` */
export function itemFileName(id: string, title: string): string {
  const t = sanitizeTitle(title);
  return `${id.toLowerCase()}${t === '' ? '' : ` - ${t}`}.md`;
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
