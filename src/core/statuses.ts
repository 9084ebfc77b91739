// Statuses as Backlog.md compares them: "todo", "TODO" and "To Do" are one status
// (`getCanonicalStatus` in its src/utils/status.ts lower-cases and drops every space).

/** The form statuses are compared in: lower case, without any whitespace. */
export function statusKey(status: string): string {
  return status.toLowerCase().replace(/\s+/g, '');
}

// One lookup per configured list, made once: every item of a big backlog is checked against it.
const lookups = new WeakMap<readonly string[], Map<string, string>>();

function lookupOf(statuses: readonly string[]): Map<string, string> {
  let map = lookups.get(statuses);
  if (!map) {
    map = new Map();
    // The first spelling of a status wins, as Backlog.md's loop returns the first match.
    for (const s of statuses) {
      const k = statusKey(s);
      if (!map.has(k)) map.set(k, s);
    }
    lookups.set(statuses, map);
  }
  return map;
}

/** The configured spelling of a status typed in any case or spacing, or undefined when it is none of them. */
export function canonicalStatus(statuses: readonly string[], input: string): string | undefined {
  const k = statusKey(input);
  return k === '' ? undefined : lookupOf(statuses).get(k);
}

/** True when two spellings name the same status. */
export function sameStatus(a: string, b: string): boolean {
  return statusKey(a) === statusKey(b);
}
