import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BacklogHealth, DEFAULT_HEALTH_OPTIONS, FindingKind, HealthOptions, backlogHealth, refinementOf } from '../../src/views/backlogHealth';
import { itemText, memoryBacklog } from './helpers';

const TODAY = '2026-11-21';
const OPTIONS: HealthOptions = { today: TODAY, ...DEFAULT_HEALTH_OPTIONS };
const config = 'project_name: "Trailmap"\ntask_prefix: "bl"\nstatuses: ["To Do", "In Progress", "Done"]\n';
const AC = '## Acceptance Criteria\n<!-- AC:BEGIN -->\n- [ ] #1 Works offline\n<!-- AC:END -->\n';

type Fields = Record<string, string | number>;

/** One item file: `n` makes the id BL-n; `ac` gives it an acceptance criterion. */
function file(n: number, fields: Fields = {}, opts: { ac?: boolean; folder?: string } = {}): [string, string] {
  const text = itemText({ id: `BL-${n}`, title: `Item ${n}`, status: 'To Do', type: 'task', ...fields }, opts.ac ? AC : '');
  return [`backlog/${opts.folder ?? 'tasks'}/bl-${n} - item.md`, text];
}

function backlogFiles(items: [string, string][], extra: Record<string, string> = {}): Record<string, string> {
  return { 'backlog/config.yml': config, ...Object.fromEntries(items), ...extra };
}

async function health(items: [string, string][], extra: Record<string, string> = {}, options: Partial<HealthOptions> = {}): Promise<BacklogHealth> {
  const { backlog } = await memoryBacklog(backlogFiles(items, extra));
  return backlogHealth(backlog(), { ...OPTIONS, ...options });
}

function findings(h: BacklogHealth, kind: FindingKind) {
  return h.findings.filter((f) => f.kind === kind);
}

const ready = { estimate: 3 };

describe('backlog health', () => {
  describe('refinement', () => {
    const cases: { name: string; fields: Fields; ac: boolean; expected: string }[] = [
      { name: 'estimate and acceptance criteria: ready', fields: { estimate: 3 }, ac: true, expected: 'ready' },
      { name: 'an estimate of 0 still counts as estimated', fields: { estimate: 0 }, ac: true, expected: 'ready' },
      { name: 'estimate only: partial', fields: { estimate: 3 }, ac: false, expected: 'partial' },
      { name: 'acceptance criteria only: partial', fields: {}, ac: true, expected: 'partial' },
      { name: 'size only: partial', fields: { size: 'M' }, ac: false, expected: 'partial' },
      { name: 'size and criteria but no estimate: still partial', fields: { size: 'M' }, ac: true, expected: 'partial' },
      { name: 'nothing: coarse', fields: {}, ac: false, expected: 'coarse' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { backlog } = await memoryBacklog(backlogFiles([file(1, c.fields, { ac: c.ac })]));
        const b = backlog();
        assert.equal(refinementOf(b, b.item('BL-1')!), c.expected);
      });
    }
  });

  describe('the 20/30/50 rule', () => {
    it('splits 10 items 2/3/5 and names the shortfalls of the top and middle', async () => {
      // Top: BL-1 ready, BL-2 partial. Middle: BL-3 coarse, BL-4 partial, BL-5 ready. Rest: all coarse.
      const items = [
        file(1, ready, { ac: true }),
        file(2, { size: 'S' }),
        file(3),
        file(4, { estimate: 2 }),
        file(5, ready, { ac: true }),
        ...[6, 7, 8, 9, 10].map((n) => file(n)),
      ];
      const h = await health(items);
      assert.equal(h.total, 10);
      assert.deepEqual(
        h.bands.map((b) => [b.name, b.label, b.expected, b.items.length, b.ready, b.partial, b.coarse, b.shortfall]),
        [
          ['top', 'Top 20%', 'ready', 2, 1, 1, 0, ['BL-2']],
          ['middle', 'Next 30%', 'partial', 3, 1, 1, 1, ['BL-3']],
          ['rest', 'Remaining 50%', 'coarse', 5, 0, 0, 5, []],
        ],
      );
      assert.deepEqual(h.bands[0].items[1], { id: 'BL-2', title: 'Item 2', refinement: 'partial' });
      const [notReady] = findings(h, 'not-ready');
      assert.deepEqual(notReady.itemIds, ['BL-2']);
      assert.equal(notReady.message, '1 of the top 2 items is not ready: give it an estimate and acceptance criteria.');
    });

    it('follows rank order, not id order', async () => {
      const h = await health([file(1, { rank: 'a2' }), file(2, { rank: 'a0' }), file(3, { rank: 'a1' })]);
      assert.deepEqual(h.bands.map((b) => b.items.map((i) => i.id)), [['BL-2'], ['BL-3'], ['BL-1']]);
      assert.deepEqual(findings(h, 'not-ready')[0].itemIds, ['BL-2']);
    });

    it('leaves epics, opportunities, drafts and done items out of the bands', async () => {
      const h = await health([
        file(1, { type: 'epic' }),
        file(2, { type: 'opportunity' }),
        file(3, {}, { folder: 'drafts' }),
        file(4, { status: 'Done' }),
        file(5, {}, { folder: 'completed' }),
        file(6, ready, { ac: true }),
      ]);
      assert.equal(h.total, 1);
      assert.deepEqual(h.bands.map((b) => b.items.map((i) => i.id)), [['BL-6'], [], []]);
      assert.deepEqual(findings(h, 'not-ready'), []);
    });

    it('puts a single item in the top band', async () => {
      const h = await health([file(1)]);
      assert.deepEqual(h.bands.map((b) => b.items.length), [1, 0, 0]);
      assert.deepEqual(findings(h, 'not-ready'), [{ kind: 'not-ready', itemIds: ['BL-1'], message: 'The top item is not ready: give it an estimate and acceptance criteria.' }]);
    });

    it('gives an empty backlog three empty bands and no findings', async () => {
      const h = await health([]);
      assert.equal(h.total, 0);
      assert.deepEqual(h.bands.map((b) => [b.name, b.items.length, b.shortfall]), [['top', 0, []], ['middle', 0, []], ['rest', 0, []]]);
      assert.deepEqual(h.findings, []);
    });

    it('counts several unready items in the top band', async () => {
      const h = await health(Array.from({ length: 25 }, (_, k) => file(k + 1, k < 2 ? ready : {}, { ac: k < 2 })));
      assert.deepEqual(h.bands.map((b) => b.items.length), [5, 8, 12]);
      assert.equal(findings(h, 'not-ready')[0].message, '3 of the top 5 items are not ready: give them an estimate and acceptance criteria.');
    });
  });

  describe('traceability', () => {
    const roadmap = 'themes:\n  - {id: T-1, title: Offline maps, horizon: now}\n';
    const withRoadmap = { 'backlog/roadmap.yml': roadmap };
    const items = () => [
      file(1, { type: 'epic', theme: 'T-1' }),
      file(2, { type: 'epic' }),
      file(3, { type: 'story', epic: 'BL-1' }),
      file(4, { type: 'story', theme: 't-1' }),
      file(5, { type: 'story' }),
      file(6, { type: 'improvement', epic: 'BL-7' }),
      file(7, { type: 'bug' }),
      file(8, { type: 'task' }),
      file(9, { type: 'debt' }),
      file(10, { type: 'spike' }),
      file(11, { type: 'story', theme: 'T-9' }),
      file(12, { type: 'story', status: 'Done' }),
      file(13, { type: 'story' }, { folder: 'drafts' }),
      file(14, { type: 'opportunity' }),
    ];

    const cases: { name: string; items: [string, string][]; extra: Record<string, string>; expected: string[] }[] = [
      {
        name: 'with a roadmap: stories and improvements naming no known epic or theme, and epics naming no known theme',
        items: items(),
        extra: withRoadmap,
        // BL-6 names a bug as its epic; BL-11 a theme the roadmap lacks. Bugs, tasks, debt and spikes are exempt.
        expected: ['BL-2', 'BL-5', 'BL-6', 'BL-11'],
      },
      {
        name: 'with epics but no roadmap: stories must name an epic, and epics have no theme to name',
        items: items(),
        extra: {},
        expected: ['BL-4', 'BL-5', 'BL-6', 'BL-11'],
      },
      {
        name: 'with a roadmap but no epics: stories must name a theme',
        items: [file(1, { type: 'story', theme: 'T-1' }), file(2, { type: 'story' })],
        extra: withRoadmap,
        expected: ['BL-2'],
      },
      {
        name: 'with neither a roadmap nor epics: nothing to trace to',
        items: [file(1, { type: 'story' }), file(2, { type: 'improvement' })],
        extra: {},
        expected: [],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = await health(c.items, c.extra);
        const found = findings(h, 'untraceable');
        assert.deepEqual(found.flatMap((f) => f.itemIds), c.expected);
        if (found.length > 0) assert.match(found[0].message, /^\d+ items? traces? to no epic or roadmap theme: link /);
      });
    }
  });

  describe('staleness', () => {
    const cases: { name: string; fields: Fields; stale: boolean }[] = [
      { name: 'exactly 90 days old is not stale', fields: { updated_date: "'2026-08-23'" }, stale: false },
      { name: '91 days old is stale', fields: { updated_date: "'2026-08-22'" }, stale: true },
      { name: 'a time of day is ignored', fields: { updated_date: "'2026-08-22 23:59'" }, stale: true },
      { name: 'a recent update outweighs an old creation', fields: { created_date: "'2024-01-01'", updated_date: "'2026-11-01'" }, stale: false },
      { name: 'the creation date counts when there is no update', fields: { created_date: "'2025-11-21'" }, stale: true },
      { name: 'an item with neither date is not judged', fields: {}, stale: false },
      { name: 'an unreadable date is not judged', fields: { updated_date: 'someday' }, stale: false },
      { name: 'epics can go stale too', fields: { type: 'epic', updated_date: "'2026-01-01'" }, stale: true },
      { name: 'opportunities wait in their own list', fields: { type: 'opportunity', updated_date: "'2026-01-01'" }, stale: false },
      { name: 'done items are never stale', fields: { status: 'Done', updated_date: "'2026-01-01'" }, stale: false },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = await health([file(1, c.fields)]);
        assert.deepEqual(findings(h, 'stale').flatMap((f) => f.itemIds), c.stale ? ['BL-1'] : []);
      });
    }

    it('counts across a leap day and mentions the threshold', async () => {
      const h = await health([file(1, { updated_date: "'2024-02-28'" }), file(2, { updated_date: "'2024-02-29'" })], {}, { today: '2024-03-01', staleDays: 1 });
      const [f] = findings(h, 'stale');
      assert.deepEqual(f.itemIds, ['BL-1']);
      assert.equal(f.message, '1 item has not changed in over 1 day: check it still matters, refresh or drop it.');
      const h2 = await health([file(1, { updated_date: "'2026-01-01'" }), file(2, { updated_date: "'2026-02-01'" })]);
      assert.match(findings(h2, 'stale')[0].message, /^2 items have not changed in over 90 days/);
    });
  });

  describe('sprint items too big', () => {
    const sprints = [
      'sprints:',
      '  - {id: S-1, name: Sprint 1, state: closed}',
      '  - {id: S-2, name: Sprint 2, state: active}',
      '  - {id: S-3, name: Sprint 3, state: planned}',
      '',
    ].join('\n');
    const cases: { name: string; fields: Fields; big: boolean; folder?: string }[] = [
      { name: '8 points is fine', fields: { sprint: 'S-2', estimate: 8 }, big: false },
      { name: '13 points is too big', fields: { sprint: 'S-2', estimate: 13 }, big: true },
      { name: 'a planned sprint counts too', fields: { sprint: 's-3', estimate: 13 }, big: true },
      { name: 'size L without an estimate is too big', fields: { sprint: 'S-2', size: 'L' }, big: true },
      { name: 'size XL without an estimate is too big', fields: { sprint: 'S-3', size: 'XL' }, big: true },
      { name: 'size L with a small estimate is fine', fields: { sprint: 'S-2', size: 'L', estimate: 5 }, big: false },
      { name: 'size M is fine', fields: { sprint: 'S-2', size: 'M' }, big: false },
      { name: 'closed sprints are history', fields: { sprint: 'S-1', estimate: 20 }, big: false },
      { name: 'outside a sprint nothing is judged', fields: { estimate: 20 }, big: false },
      { name: 'an unknown sprint is not judged', fields: { sprint: 'S-9', estimate: 20 }, big: false },
      { name: 'done items are never flagged', fields: { sprint: 'S-2', estimate: 20, status: 'Done' }, big: false },
      { name: 'completed items are never flagged', fields: { sprint: 'S-2', estimate: 20 }, big: false, folder: 'completed' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = await health([file(1, c.fields, { folder: c.folder })], { 'backlog/sprints.yml': sprints });
        assert.deepEqual(findings(h, 'too-big').flatMap((f) => f.itemIds), c.big ? ['BL-1'] : []);
      });
    }

    it('lists every big item in rank order and suggests splitting', async () => {
      const h = await health([file(1, { sprint: 'S-2', estimate: 13, rank: 'a1' }), file(2, { sprint: 'S-3', size: 'XL', rank: 'a0' })], { 'backlog/sprints.yml': sprints });
      const [f] = findings(h, 'too-big');
      assert.deepEqual(f.itemIds, ['BL-2', 'BL-1']);
      assert.match(f.message, /^2 items in open sprints are too big \(over 8 points.*split them into smaller stories\.$/);
    });
  });

  describe('duplicate titles', () => {
    it('groups titles that differ only in case, spacing and trailing punctuation', async () => {
      const h = await health([
        file(1, { title: "'Sign in.'" }),
        file(2, { title: "' sign  in'" }, { folder: 'drafts' }),
        file(3, { title: 'Sign out' }),
        file(4, { title: "'Sign in!'", type: 'opportunity' }),
        file(5, { title: 'Sign out' }),
        file(6, { title: 'Sign out', status: 'Done' }),
        file(7, { title: 'Sign in' }, { folder: 'completed' }),
        file(8, { title: 'Sign-in' }),
      ]);
      assert.deepEqual(
        findings(h, 'duplicate-title').map((f) => f.itemIds),
        [
          ['BL-1', 'BL-2', 'BL-4'],
          ['BL-3', 'BL-5'],
        ],
      );
      assert.equal(findings(h, 'duplicate-title')[1].message, '2 open items are titled "Sign out": merge them, or retitle them to say how they differ.');
    });

    it('says nothing when every title is distinct', async () => {
      const h = await health([file(1), file(2)]);
      assert.deepEqual(findings(h, 'duplicate-title'), []);
    });
  });

  describe('backlog length', () => {
    it('names the tail beyond the limit', async () => {
      const items = Array.from({ length: 13 }, (_, k) => file(k + 1, ready, { ac: true }));
      const h = await health([...items, file(14, { status: 'Done' })], {}, { maxBacklogLength: 10 });
      assert.deepEqual(findings(h, 'too-long'), [
        { kind: 'too-long', itemIds: ['BL-11', 'BL-12', 'BL-13'], message: 'The product backlog has 13 items, 3 over 10: archive or drop what will not be done.' },
      ]);
    });

    it('accepts a backlog exactly at the limit', async () => {
      const h = await health(Array.from({ length: 10 }, (_, k) => file(k + 1)), {}, { maxBacklogLength: 10 });
      assert.deepEqual(findings(h, 'too-long'), []);
    });
  });

  it('never flags done items, whatever is wrong with them', async () => {
    const sprints = 'sprints:\n  - {id: S-2, name: Sprint 2, state: active}\n';
    const bad: Fields = { type: 'story', title: 'Same', sprint: 'S-2', size: 'XL', updated_date: "'2020-01-01'" };
    const h = await health(
      [file(1, { ...bad, status: 'Done' }), file(2, bad, { folder: 'completed' }), file(3, bad, { folder: 'archive' }), file(4, { type: 'epic' })],
      { 'backlog/sprints.yml': sprints },
      { maxBacklogLength: 0 },
    );
    // Only the open epic is left: it is too long a backlog of one, but never not-ready (epics are not banded).
    assert.deepEqual(
      h.findings.map((f) => [f.kind, f.itemIds]),
      [['too-long', ['BL-4']]],
    );
  });

  it('property: the bands partition the product backlog in order, sized ceil(20%), ceil(30%), the rest', async () => {
    const itemArb = fc.record({
      type: fc.constantFrom('story', 'task', 'bug', 'epic', 'opportunity', 'improvement'),
      folder: fc.constantFrom('tasks', 'tasks', 'tasks', 'drafts', 'completed'),
      done: fc.boolean(),
      estimate: fc.option(fc.integer({ min: 0, max: 13 }), { nil: undefined }),
      size: fc.option(fc.constantFrom('XS', 'S', 'M', 'L', 'XL'), { nil: undefined }),
      ac: fc.boolean(),
      rank: fc.option(fc.stringMatching(/^a[0-9a-z]{1,3}$/), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(itemArb, { minLength: 0, maxLength: 60 }), async (specs) => {
        const items = specs.map((s, k) => {
          const fields: Fields = { type: s.type, status: s.done ? 'Done' : 'To Do' };
          if (s.estimate !== undefined) fields.estimate = s.estimate;
          if (s.size !== undefined) fields.size = s.size;
          if (s.rank !== undefined) fields.rank = s.rank;
          return file(k + 1, fields, { ac: s.ac, folder: s.folder });
        });
        const { backlog } = await memoryBacklog(backlogFiles(items));
        const b = backlog();
        const h = backlogHealth(b, OPTIONS);
        const expected = b
          .productBacklog()
          .filter((i) => i.type !== 'epic')
          .map((i) => i.id);
        const n = expected.length;
        assert.equal(h.total, n);
        assert.deepEqual(
          h.bands.flatMap((band) => band.items.map((i) => i.id)),
          expected,
        );
        const top = Math.ceil(n / 5);
        const middle = Math.min(Math.ceil((3 * n) / 10), n - top);
        assert.deepEqual(
          h.bands.map((band) => band.items.length),
          [top, middle, n - top - middle],
        );
        for (const band of h.bands) assert.equal(band.ready + band.partial + band.coarse, band.items.length);
        assert.deepEqual(h.bands[2].shortfall, []);
      }),
      { numRuns: 40 },
    );
  });
});
