import { promises as fs } from 'fs';
import * as nodePath from 'path';
import { BacklogWorkspace, DirEntry, Disposable, FileStat, ReadOptions } from '../core/workspace';
import { listFolder, readRegularFile, statPath } from '../node/safeRead';
import { checkOperation, checkOperations, CurrentFiles, Refusal } from '../core/apply';
import { FileOperation } from '../core/writer';

/** The workspace over the local disk, for the command line. */
export class NodeWorkspace implements BacklogWorkspace {
  /** The files as the core's check sees them: the disk, and no editors. */
  private readonly files: CurrentFiles = {
    read: async (path) => {
      try {
        return await fs.readFile(path);
      } catch {
        return undefined;
      }
    },
    exists: async (path) => (await this.stat(path)) !== undefined,
  };

  list(dir: string): Promise<DirEntry[]> {
    return listFolder(dir);
  }

  read(path: string, options: ReadOptions = {}): Promise<Uint8Array> {
    // A FIFO named sprints.yml would block a plain readFile forever, and a link to /dev/zero
    // would fill the memory: only regular files are read, never past the limit.
    return readRegularFile(path, options.maxBytes);
  }

  stat(path: string): Promise<FileStat | undefined> {
    return statPath(path);
  }

  watch(): Disposable {
    // The command line reads once and exits; nothing to watch.
    return { dispose: () => undefined };
  }

  /**
   * Applies operations from the writer, by the core's rule (src/core/apply.ts): every one is
   * checked against the files first, and a refusal (a file changed since it was read, a path
   * outside `within`) leaves every file as it was. Each file is written to a temporary file beside
   * it and renamed over the original, so a crash never leaves a half-written file.
   */
  async apply(operations: readonly FileOperation[], within: readonly string[]): Promise<{ ok: true } | ({ ok: false } & Refusal)> {
    const checked = await checkOperations(operations, this.files, within);
    if (!checked.ok) return checked;
    for (const write of checked.writes) {
      if (write.kind === 'edit') {
        // Checked again right before writing, so that the bytes come from the file as it is now.
        const again = await checkOperation(write.op, this.files, within);
        if (!again.ok) throw new Error(`${nodePath.basename(write.path)} changed while the change was being written and was left alone; the files before it were written.`);
        if (again.write.kind !== 'edit' || again.write.target !== 'disk') throw new Error(`${write.path} was checked as something other than a file on disk.`);
        await writeAtomically(write.path, again.write.bytes);
      } else if (write.kind === 'create') {
        await fs.mkdir(nodePath.dirname(write.path), { recursive: true });
        await fs.writeFile(write.path, write.bytes, { flag: 'wx' });
      } else {
        await fs.rename(write.from, write.to);
      }
    }
    return { ok: true };
  }
}

export async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  const tmp = nodePath.join(nodePath.dirname(path), `.${nodePath.basename(path)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, data);
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
