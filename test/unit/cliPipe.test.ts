import * as assert from 'assert';
import { spawn } from 'child_process';
import * as path from 'path';

const demo = path.resolve(__dirname, '../../examples/demo');
const cliJs = path.resolve(__dirname, '../../dist/cli.js');

describe('the command line in a pipe', () => {
  it('ends quietly when the reader stops early, as in `backlog-atlas list --all | head -1`', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, [cliJs, 'list', '--all'], { cwd: demo, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader goes away before the first line is written: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.strictEqual(stderr, '', 'no stack trace on the terminal');
    assert.strictEqual(code, 0);
  });
});
