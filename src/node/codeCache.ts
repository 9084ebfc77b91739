// Starting the command line without compiling it again: V8 can save the bytecode it made for a
// script and take it back on the next start. The command line is one bundle of about 2 MB, and
// compiling it was about a quarter of `list` on the demo (docs/benchmarks.md). Node 22.1 and
// later do this themselves (`module.enableCompileCache`); on older Node the bundle is compiled
// through `vm.Script` with the saved bytes, as Node does inside.
//
// The bytes are kept in the user's cache folder beside the index cache, named by a hash of the
// bundle's text and of Node's version: V8 checks only the length of the source it is given, so a
// changed bundle of the same length must never find the old bytes. V8 refuses bytes of another
// version or other flags, and the bundle is then compiled as usual and the file written again.
// V8 does not check the bytecode itself, so a CRC-32 in front of it does. The file is read as
// any file of ours is (no link, no FIFO, not past a limit), and a failed save only means none.
import { createHash } from 'crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import * as nodeModule from 'module';
import * as nodePath from 'path';
import * as vm from 'vm';
import { crc32 } from 'zlib';
import { readRegularFileSync } from './safeRead';

/** Saved bytecode bigger than this is not read (the command line's is under 1 MB). */
const MAX_CODE_CACHE_BYTES = 64 * 1024 * 1024;
/** What a saved file of ours is called: the key, then `.code`. */
const NAME = /^[0-9a-f]{64}\.code$/;

type WithCompileCache = typeof nodeModule & { enableCompileCache?: (dir: string) => unknown };

/**
 * Loads the CommonJS bundle `file` and gives back its exports, with its bytecode taken from and
 * saved in `dir` (created when missing); without `dir`, a plain `require`.
 */
export function requireWithCodeCache(file: string, dir: string | undefined): unknown {
  const load = nodeModule.createRequire(file);
  if (dir === undefined) return load(file);
  const builtIn = (nodeModule as WithCompileCache).enableCompileCache;
  if (typeof builtIn === 'function') {
    try {
      builtIn(dir);
    } catch {
      // Only slower.
    }
    return load(file);
  }
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(process.version).update('\0').update(source).digest('hex');
  const saved = nodePath.join(dir, `${key}.code`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = checked(readRegularFileSync(saved, MAX_CODE_CACHE_BYTES));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(nodeModule.wrap(source), {
    filename: file,
    cachedData,
    // No dynamic import() is in the bundle; should one come, it loads as it would under require.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Saved when the command ends: the bytecode then includes every function the run compiled.
    process.once('exit', () => save(dir, saved, script));
  }
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, load, mod, file, nodePath.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/**
 * The bytecode in a saved file, when its CRC-32 (the file's first four bytes) holds. V8 itself
 * checks only the header of what it is given, not the bytecode: a flipped byte inside was run
 * as it was (in a test, `list` then printed nothing at all).
 */
function checked(file: Buffer): Buffer | undefined {
  if (file.length <= 4) return undefined;
  const code = file.subarray(4);
  return crc32(code) === file.readUInt32LE(0) ? code : undefined;
}

/** Writes the script's bytecode as `file` in `dir` (through a temporary file), and removes older ones. */
function save(dir: string, file: string, script: vm.Script): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const code = script.createCachedData();
    const head = Buffer.alloc(4);
    head.writeUInt32LE(crc32(code));
    writeFileSync(tmp, Buffer.concat([head, code]), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, file);
    // One bundle's bytes at a time: each update of the program or of Node would leave another.
    for (const name of readdirSync(dir)) if (NAME.test(name) && name !== nodePath.basename(file)) rmSync(nodePath.join(dir, name), { force: true });
  } catch {
    // A cache that cannot be written is only slower.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}
