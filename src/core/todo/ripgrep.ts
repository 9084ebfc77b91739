// Where VS Code keeps its ripgrep, the arguments the TODO scan passes it and the parsing of its
// `--json` output. No `vscode` import, so that unit tests run it in plain Node.

/** Files larger than this are not searched (rg's `--max-filesize`, the JS fallback's stat check). */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Every place a VS Code installation has kept its ripgrep, most recent layout first. The path
 * moved between versions (`vscode-ripgrep` → `@vscode/ripgrep`, then the per-platform folders of
 * `@vscode/ripgrep-universal`), and Todo Tree's users saw "failed to find ripgrep" each time it
 * did; so every known place is tried, and the caller falls back to `rg` on the PATH.
 */
export function ripgrepCandidates(appRoot: string, platform: string, arch: string): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const root = appRoot.replace(/[\\/]+$/, '');
  const out: string[] = [];
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    out.push(`${root}/${modules}/@vscode/ripgrep-universal/bin/${platform}-${arch}/${exe}`);
    out.push(`${root}/${modules}/@vscode/ripgrep/bin/${exe}`);
    out.push(`${root}/${modules}/vscode-ripgrep/bin/${exe}`);
  }
  return out;
}

/** The arguments of one scan: rg runs in the workspace folder and searches `.`. */
export function ripgrepArgs(pattern: string, excludes: readonly string[]): string[] {
  const args = [
    '--json',
    // A user's RIPGREP_CONFIG_PATH could add flags that change what is found or how it prints.
    '--no-config',
    '--max-filesize',
    '1M',
    // VS Code's search includes dot-files (.github/workflows holds TODOs too); `.git` itself is
    // in files.exclude's defaults and comes in as a glob below.
    '--hidden',
    '--no-messages',
  ];
  for (const glob of excludes) args.push('--glob', `!${glob}`);
  args.push('-e', pattern, '--', '.');
  return args;
}

/** What the scan needs from rg's JSON lines. Lines are zero-based, text without its line break. */
export type RgEvent = { kind: 'match'; path: string; line: number; text: string } | { kind: 'end'; path: string; bytes: number };

/**
 * Turns rg's `--json` output, in chunks as the pipe delivers them, into events. A chunk can end
 * in the middle of a line, so the tail is kept for the next one.
 */
export class RgJsonStream {
  private tail = '';

  push(chunk: string): RgEvent[] {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    return lines.flatMap((l) => parseRgLine(l));
  }

  end(): RgEvent[] {
    const rest = this.tail;
    this.tail = '';
    return parseRgLine(rest);
  }
}

/** One line of rg's JSON output; anything unexpected is skipped, never thrown. */
export function parseRgLine(line: string): RgEvent[] {
  if (line.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return [];
  }
  if (!isRecord(value) || !isRecord(value.data)) return [];
  const data = value.data;
  const path = textOf(data.path);
  if (path === undefined) return [];
  if (value.type === 'match') {
    const text = textOf(data.lines);
    if (text === undefined || typeof data.line_number !== 'number') return [];
    return [{ kind: 'match', path, line: data.line_number - 1, text: text.replace(/\r?\n$/, '') }];
  }
  if (value.type === 'end') {
    const stats = isRecord(data.stats) ? data.stats : {};
    return [{ kind: 'end', path, bytes: typeof stats.bytes_searched === 'number' ? stats.bytes_searched : 0 }];
  }
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** rg writes `{text}` for UTF-8 and `{bytes}` (base64) for anything else. */
function textOf(v: unknown): string | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v.text === 'string') return v.text;
  if (typeof v.bytes === 'string') return Buffer.from(v.bytes, 'base64').toString('utf8');
  return undefined;
}
