// `npm run bench:race`: how many of another program's saves `backlog-atlas set` undoes. A second
// process saves one item file every 20 ms (BENCH_RACE_EVERY_MS), each save adding its own line
// `saved <n>` to the body, in place (BENCH_RACE_SAVE=inplace, as most editors save) or through
// a file of its own and a rename (BENCH_RACE_SAVE=rename). Before each save it looks whether the
// file still holds its previous line: if not, a set replaced the file with text read before that
// save, and the save was undone. Meanwhile 200 sets (BENCH_RACE_SETS) run one after the other as
// whole processes (`node dist/cli.js set BL-1 estimate <n>`, or BENCH_RACE_CLI=<path to a cli.js>,
// to measure another build). Prints the counts; a set may go ahead or be refused, but never undo
// a save.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

const SETS = Number(process.env.BENCH_RACE_SETS ?? 200);
const EVERY_MS = Number(process.env.BENCH_RACE_EVERY_MS ?? 20);
const SAVE = process.env.BENCH_RACE_SAVE === 'rename' ? 'rename' : 'inplace';
const CLI = path.resolve(process.env.BENCH_RACE_CLI ?? path.join(__dirname, '..', 'dist', 'cli.js'));

/** The other program: saves every EVERY_MS ms, and counts its saves that a set undid. */
const OTHER = `
const fs = require('fs');
const [file, every, how] = process.argv.slice(1);
let saves = 0, undone = 0;
function save() {
  const text = fs.readFileSync(file, 'utf8');
  if (saves > 0 && !text.includes('saved ' + saves + '\\n')) undone++;
  saves++;
  const next = text.replace(/saved \\d+\\n|$/, 'saved ' + saves + '\\n');
  if (how === 'rename') { fs.writeFileSync(file + '.other', next); fs.renameSync(file + '.other', file); }
  else fs.writeFileSync(file, next);
}
const timer = setInterval(save, Number(every));
process.on('message', () => {
  clearInterval(timer);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes('saved ' + saves + '\\n')) undone++;
  process.send({ saves, undone }, () => process.exit(0));
});
`;

async function main(): Promise<void> {
  const top = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-race-'));
  let other: ChildProcess | undefined;
  // The folder goes and the other program stops however the run ends: a set that throws, or the
  // other program dying, leaves neither behind.
  try {
    const tasks = path.join(top, 'backlog', 'tasks');
    await fs.mkdir(tasks, { recursive: true });
    await fs.writeFile(path.join(top, 'backlog', 'config.yml'), 'project_name: "Race"\ntask_prefix: "bl"\nstatuses: ["To Do", "Done"]\n');
    const file = path.join(tasks, 'bl-1 - Raced.md');
    await fs.writeFile(file, '---\nid: BL-1\ntitle: Raced\nstatus: To Do\nestimate: 1\n---\n\n');

    const saver = spawn(process.execPath, ['-e', OTHER, file, String(EVERY_MS), SAVE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    other = saver;
    const codes = new Map<number, number>();
    const started = Date.now();
    for (let k = 1; k <= SETS; k++) {
      const r = spawnSync(process.execPath, [CLI, 'set', 'BL-1', 'estimate', String(100 + k)], { cwd: top, encoding: 'utf8' });
      codes.set(r.status ?? -1, (codes.get(r.status ?? -1) ?? 0) + 1);
    }
    const seconds = (Date.now() - started) / 1000;
    const result = await new Promise<{ saves: number; undone: number }>((resolve, reject) => {
      saver.once('message', (m) => resolve(m as { saves: number; undone: number }));
      // Without these a dead saver would leave the run waiting, or crash it past the finally.
      saver.once('error', reject);
      saver.once('exit', (code) => reject(new Error(`the other program stopped before it was asked to (exit code ${code})`)));
      saver.send('stop');
    });
    const leftovers = (await fs.readdir(tasks)).filter((n) => n.endsWith('.tmp'));

    const pct = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)}%`;
    console.log(`cli: ${CLI}`);
    console.log(`${SETS} sets in ${seconds.toFixed(1)} s: ${codes.get(0) ?? 0} written, ${codes.get(1) ?? 0} refused, ${SETS - (codes.get(0) ?? 0) - (codes.get(1) ?? 0)} failed otherwise`);
    console.log(`another program saved ${result.saves} times (every ${EVERY_MS} ms, ${SAVE}): ${result.undone} of its saves undone (${pct(result.undone, result.saves)}; ${pct(result.undone, codes.get(0) ?? 0)} of the sets written)`);
    console.log(`temporary files left: ${leftovers.length}`);
  } finally {
    other?.kill();
    await fs.rm(top, { recursive: true, force: true });
  }
}

void main();
