// The index cache in the workspace storage: a reopened window takes unchanged files from it, reads
// again a file changed behind it (while VS Code was closed), and shows the same backlog whatever
// the cache file holds. A window cannot be reopened inside the test run, so `reopenIndex` builds a
// second index as a new window would: a new cache loaded by the worker from the same storage.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BacklogIndex } from '../../src/core/backlogIndex';
import { isUnder } from '../../src/core/workspace';
import type { ExtensionApi } from '../../src/extension';
import { extensionApi, readDisk, revertAndClose, taskUri, waitFor, writeDisk } from './helpers';

/** What the views show of a backlog: each item's fields and sections, and the Problems. */
function seen(index: BacklogIndex): string {
  const items = index.roots().flatMap((b) => [...b.items()].sort((x, y) => x.path.localeCompare(y.path)).map((i) => ({ ...i, fields: i.fields, sections: i.sections, acceptanceCriteria: i.acceptanceCriteria })));
  return JSON.stringify({ items, diagnostics: [...index.diagnostics()].sort(([a], [b]) => a.localeCompare(b)) });
}

/** The files the cache keeps: every item file, and sprints.yml and releases.yml as parsed. */
function itemFiles(index: BacklogIndex): number {
  return index.roots().reduce((n, b) => n + [...b.files.values()].filter((f) => f.kind === 'item' || f.kind === 'sprints' || f.kind === 'releases').length, 0);
}

describe('the index cache of a reopened window', () => {
  let api: ExtensionApi;
  let cacheFile: string;
  const uri = taskUri('fx-2 - Index-saved-routes.md');
  let original: string;

  before(async () => {
    api = await extensionApi();
    original = await readDisk(uri);
    await api.indexCache.save();
    const counts = api.indexCache.counts();
    assert.equal(counts.length, 1, 'one backlog, one cache');
    cacheFile = counts[0].file;
  });

  after(async () => {
    await writeDisk(uri, original);
    await waitFor('the index to read the file back', () => api.index.item('FX-2')?.title !== 'Changed while closed');
  });

  it('is kept in the workspace storage, outside the workspace', () => {
    assert.ok(fs.statSync(cacheFile).isFile(), `${cacheFile} is written`);
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.ok(!isUnder(cacheFile.split(path.sep).join('/'), folder.split(path.sep).join('/')), `${cacheFile} lies outside ${folder}`);
  });

  it('serves every unchanged file from the cache and shows the same backlog', async () => {
    const { index, counts } = await api.reopenIndex();
    assert.equal(counts[0].hits, itemFiles(api.index), 'every item file from the cache');
    assert.equal(counts[0].misses, 0);
    assert.equal(seen(index), seen(api.index));
  });

  it('reads again a file changed while the window was closed', async () => {
    // The cache as a window closed before the change left it.
    const closed = fs.readFileSync(cacheFile);
    await writeDisk(uri, original.replace(/^title: .*$/m, 'title: Changed while closed'));
    // This window sees the change and writes its cache (a second after the change, or now);
    // the window that was closed did not, so its cache is put back.
    await waitFor('the index to see the change', () => api.index.item('FX-2')?.title === 'Changed while closed');
    await api.indexCache.save();
    fs.writeFileSync(cacheFile, closed);
    const { index, counts } = await api.reopenIndex();
    assert.equal(index.item('FX-2')?.title, 'Changed while closed');
    assert.equal(counts[0].hits, itemFiles(api.index) - 1, 'the changed file is read, the rest are not');
    assert.equal(seen(index), seen(api.index));
    // This window's cache, written after the change, holds the file as it is now.
    await api.indexCache.save(true);
    const after = await api.reopenIndex();
    assert.equal(after.counts[0].hits, itemFiles(api.index));
    assert.equal(seen(after.index), seen(api.index));
  });

  it("takes an editor's unsaved text over the cache, and never keeps it", async () => {
    const dirty = taskUri('fx-3 - Search-box-on-the-map.md');
    const doc = await vscode.workspace.openTextDocument(dirty);
    await vscode.window.showTextDocument(doc);
    const line = doc.getText().split('\n').findIndex((l) => l.startsWith('title: '));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(dirty, doc.lineAt(line).range, 'title: Unsaved in the editor');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      await waitFor('the index to read the unsaved text', () => api.index.item('FX-3')?.title === 'Unsaved in the editor');
      await api.indexCache.save(true);
      const { index, counts } = await api.reopenIndex();
      assert.equal(index.item('FX-3')?.title, 'Unsaved in the editor');
      assert.equal(counts[0].hits, itemFiles(api.index) - 1, 'the edited file is read from the editor');
    } finally {
      await revertAndClose();
    }
    await waitFor('the index to read the file again', () => api.index.item('FX-3')?.title !== 'Unsaved in the editor');
    await api.indexCache.save(true);
    const { index } = await api.reopenIndex();
    assert.equal(seen(index), seen(api.index), 'the unsaved text was not kept');
  });

  it('is read as empty, never wrong, when corrupt, truncated or not a file', async () => {
    const good = fs.readFileSync(cacheFile);
    try {
      const flipped = Buffer.from(good);
      flipped[flipped.length >> 1] ^= 0x20;
      for (const [what, write] of [
        ['corrupt', () => fs.writeFileSync(cacheFile, flipped)],
        ['truncated', () => fs.writeFileSync(cacheFile, good.subarray(0, good.length >> 1))],
        ['a folder', () => (fs.rmSync(cacheFile, { force: true }), fs.mkdirSync(cacheFile))],
      ] as const) {
        write();
        const { index, counts } = await api.reopenIndex();
        assert.equal(counts[0].hits, 0, what);
        assert.equal(seen(index), seen(api.index), what);
        fs.rmSync(cacheFile, { recursive: true, force: true });
      }
    } finally {
      fs.writeFileSync(cacheFile, good);
    }
  });
});
