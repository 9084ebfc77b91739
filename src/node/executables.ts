// Which program file to start for a name (`git`, `rg`): found on the PATH, but never through a
// relative entry (`.`, an empty one, `bin`), which names the folder the process runs in, and
// never inside the repository being read, which anyone who wrote it controls (npm puts its
// node_modules/.bin first on the PATH, and a repository can ship one). Starting the absolute path
// found also keeps Windows from trying the current folder first.
import * as fs from 'fs';
import * as path from 'path';

export interface FindOptions {
  /** The PATH to search; the process's by default. */
  searchPath?: string;
  /** Folders whose programs are never run: the repository, the workspace folders. */
  untrusted?: readonly string[];
}

/** The first `name` on the PATH that this process may run, outside `untrusted`; undefined when none is. */
export function findExecutable(name: string, options: FindOptions = {}): string | undefined {
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of (options.searchPath ?? process.env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, file);
    if (isTrustedExecutable(candidate, options.untrusted ?? [])) return candidate;
  }
  return undefined;
}

/** True for an absolute path to a file this process may run that lies outside `untrusted`, links resolved. */
export function isTrustedExecutable(file: string, untrusted: readonly string[]): boolean {
  if (!path.isAbsolute(file)) return false;
  let real: string;
  try {
    real = fs.realpathSync(file);
    if (!fs.statSync(real).isFile()) return false;
    fs.accessSync(real, fs.constants.X_OK);
  } catch {
    return false;
  }
  return !untrusted.some((dir) => isInside(file, dir) || isInside(real, dir));
}

/**
 * The folders a scan of `dirs` must not run programs from: each folder, and the repository it
 * is in (the nearest folder above it that holds `.git`).
 */
export function untrustedFolders(dirs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const dir of dirs.map((d) => path.resolve(d))) {
    out.add(dir);
    for (let d = dir; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, '.git'))) {
        out.add(d);
        break;
      }
      if (path.dirname(d) === d) break;
    }
  }
  return [...out];
}

function isInside(file: string, dir: string): boolean {
  const candidates = [path.resolve(dir)];
  try {
    candidates.push(fs.realpathSync(dir));
  } catch {
    // A folder that is gone holds nothing to run.
  }
  return candidates.some((d) => {
    const rel = path.relative(d, file);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  });
}
