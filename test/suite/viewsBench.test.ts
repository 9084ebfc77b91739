// The first render of the three backlog views, measured in the extension host. Run by
// bench/viewsBench.ts on a generated 10,000-item workspace; skipped in the normal suite,
// which has no such workspace and no place to put the figures.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ViewKind, ViewNode } from '../../src/vscode/trees/backlogTreeProvider';
import { extensionApi } from './helpers';

const OUT = process.env.BACKLOG_ATLAS_BENCH_OUT;
const RUNS = 7;

/** What the workbench asks of a fresh tree: the top level, each row's TreeItem, and the children of expanded rows. */
function render(api: ExtensionApi, view: ViewKind): { ms: number; rows: number } {
  const provider = api.views.providers[view];
  provider.refresh();
  const started = performance.now();
  let rows = 0;
  const walk = (node: ViewNode | undefined) => {
    for (const child of provider.getChildren(node)) {
      rows++;
      if (provider.getTreeItem(child).collapsibleState === vscode.TreeItemCollapsibleState.Expanded) walk(child);
    }
  };
  walk(undefined);
  return { ms: performance.now() - started, rows };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

describe('views benchmark', () => {
  before(function () {
    if (!OUT) this.skip(); // Only bench/viewsBench.ts sets BACKLOG_ATLAS_BENCH_OUT.
  });

  it('renders the three views of a large backlog', async function () {
    this.timeout(300_000);
    const api = await extensionApi();
    const items = api.index.roots().reduce((n, b) => n + b.items().length, 0);
    const figures: Record<string, { medianMs: number; minMs: number; maxMs: number; rows: number }> = {};
    const measure = (name: string, view: ViewKind) => {
      const runs = Array.from({ length: RUNS }, () => render(api, view));
      const times = runs.map((r) => r.ms);
      figures[name] = { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), rows: runs[0].rows };
    };
    // The very first render after the index is ready pays for the product backlog's order too.
    const first = { sprints: render(api, 'sprints'), releases: render(api, 'releases'), product: render(api, 'product') };
    measure('sprints', 'sprints');
    measure('releases', 'releases');
    measure('product', 'product');
    const { limit } = api.views.options;
    api.views.options.update({ limit: Number.MAX_SAFE_INTEGER });
    try {
      measure('productAll', 'product');
    } finally {
      api.views.options.update({ limit });
    }
    api.views.options.update({ groupBy: 'epic' });
    try {
      measure('productByEpic', 'product');
    } finally {
      api.views.options.update({ groupBy: 'none' });
    }
    const result = { items, pageSize: limit, first, figures };
    console.log(JSON.stringify(result));
    fs.writeFileSync(OUT!, JSON.stringify(result, null, 2));
  });
});
