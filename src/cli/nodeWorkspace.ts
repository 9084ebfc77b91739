import { BacklogWorkspace, DirEntry, Disposable, FileStat, ReadOptions } from '../core/workspace';
import { listFolder, readRegularFile, readRegularFileSync, statPath } from '../node/safeRead';
import { checkOperation, checkOperations, CurrentFiles, Refusal, VerifiedWrite } from '../core/apply';
import { FileOperation } from '../core/writer';
import { createFile, placeRefusal, renameFile, replaceFile, SafeWriteResult, WriteHooks } from '../node/safeWrite';

/** The workspace over the local disk, for the command line. */
export class NodeWorkspace implements BacklogWorkspace {
  /** The files as the core's check sees them: the disk, and no editors. */
  private readonly files: CurrentFiles = {
    read: async (path) => {
      try {
        // Never a plain readFile: a FIFO or device planted at a target must not block the check.
        return await readRegularFile(path);
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
    // would fill the memory: only regular files are read, never past the limit. Synchronously:
    // the command line has nothing else to do meanwhile, and the thread pool's round trips per
    // file cost more than the reads.
    try {
      return Promise.resolve(readRegularFileSync(path, options.maxBytes));
    } catch (e) {
      return Promise.reject(e as Error);
    }
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
   * outside `within`) leaves every file as it was. Each file is then written through
   * src/node/safeWrite.ts: only regular files in folders inside `within` once links are
   * resolved, through a temporary file and a rename, and only while the file still holds what
   * the check read. `hooks` let tests act at the moments another program could.
   */
  async apply(operations: readonly FileOperation[], within: readonly string[], hooks: WriteHooks = {}): Promise<{ ok: true } | ({ ok: false } & Refusal)> {
    const checked = await checkOperations(operations, this.files, within);
    if (!checked.ok) return checked;
    // Where each file goes, links resolved, before any is written: one refusal refuses them all.
    for (const write of checked.writes) {
      const refused =
        write.kind === 'rename'
          ? ((await placeRefusal(write.from, 'file', within)) ?? (await placeRefusal(write.to, 'absent', within)))
          : await placeRefusal(write.path, write.kind === 'create' ? 'absent' : 'file', within);
      if (refused) return { ok: false, ...refused };
    }
    let written = 0;
    for (const write of checked.writes) {
      const r = await this.applyOne(write, within, hooks);
      if (!r.ok) return written === 0 ? r : { ...r, message: `${r.message} ${written} file operation(s) before it were done.` };
      written++;
    }
    return { ok: true };
  }

  private async applyOne(write: VerifiedWrite, within: readonly string[], hooks: WriteHooks): Promise<SafeWriteResult> {
    switch (write.kind) {
      case 'edit': {
        // Checked again right before writing, so that the bytes come from the file as it is now.
        const again = await checkOperation(write.op, this.files, within);
        if (!again.ok) return again;
        if (again.write.kind !== 'edit' || again.write.target !== 'disk') throw new Error(`${write.path} was checked as something other than a file on disk.`);
        return replaceFile(write.path, again.write.base, again.write.bytes, within, hooks);
      }
      case 'create':
        return createFile(write.path, write.bytes, within, hooks);
      case 'rename':
        return renameFile(write.from, write.to, within);
    }
  }
}
