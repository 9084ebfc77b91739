import { dateProblem } from '../dates';
import { conflictDiagnostics } from './conflicts';
import { decodeText, lineStarts, positionAt } from '../text';
import { fileDiag, splitFrontMatter } from './itemFile';
import {
  Activity,
  CommittedEntry,
  MAX_POINTS,
  Diagnostic,
  Goal,
  Milestone,
  Release,
  Roadmap,
  Sprint,
  SprintState,
  StoryMap,
  Theme,
} from '../types';
import { horizonProblem, normalizeHorizon } from '../rules/horizon';
import { MapReader, rootMap } from './yamlFields';
import { parseYamlSafe, toDiagnostics, YamlProblem } from './yamlSafe';

/** Plan files may be longer than an item, but not without bound. */
export const MAX_PLAN_BYTES = 4 * 1024 * 1024;

interface PlanContext {
  path: string;
  text: string;
  starts: number[];
  problems: YamlProblem[];
  root: MapReader;
}

export interface PlanResult<T> {
  value: T;
  diagnostics: Diagnostic[];
}

/**
 * Decodes and parses a plan file, then lets `read` pull typed values out. Whatever goes wrong
 * becomes a diagnostic and `read` still sees an empty mapping, so a broken file yields an empty
 * plan instead of an exception.
 */
function readPlan<T>(path: string, bytes: Uint8Array, what: string, read: (ctx: PlanContext) => T): PlanResult<T> {
  const decoded = decodeText(bytes);
  const problems: YamlProblem[] = [];
  if (!decoded.ok) {
    const value = read({ path, text: '', starts: [0], problems, root: new MapReader(undefined, problems, what) });
    return { value, diagnostics: [fileDiag(path, decoded.code, decoded.message, decoded.line, decoded.column)] };
  }
  const text = decoded.value.text;
  const parsed = parseYamlSafe(text, MAX_PLAN_BYTES);
  problems.push(...parsed.problems);
  const map = parsed.doc && parsed.value !== undefined ? rootMap(parsed.doc.contents, problems, what) : undefined;
  const starts = lineStarts(text);
  const value = read({ path, text, starts, problems, root: new MapReader(map, problems, what) });
  return { value, diagnostics: [...toDiagnostics(problems, path, text, 0, starts), ...conflictDiagnostics(path, text)] };
}

function lineOf(ctx: PlanContext, offset: number): number {
  return positionAt(ctx.starts, offset).line;
}

function checkDate(r: MapReader, key: string): string | undefined {
  const d = r.string(key);
  const problem = d === undefined ? undefined : dateProblem(key, d);
  if (problem !== undefined) {
    r.report(r.node(key), 'bad-date', problem, 'error');
    return undefined;
  }
  return d;
}

/** Flags a second entry with an id already used in the same list. */
function uniqueIds<T extends { id: string }>(entries: { value: T; reader: MapReader }[], what: string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const { value, reader } of entries) {
    const key = value.id.toUpperCase();
    if (seen.has(key)) {
      reader.report(reader.node('id'), 'duplicate-id', `Another ${what} already has the id ${value.id}.`, 'error');
      continue;
    }
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** `sprints.yml`: `sprints:` with id, name, start, end, goal, capacity, state, committed. */
export function parseSprints(path: string, bytes: Uint8Array): PlanResult<Sprint[]> {
  return readPlan(path, bytes, 'sprints.yml', (ctx) => {
    const entries: { value: Sprint; reader: MapReader }[] = [];
    for (const { reader: r, offset } of ctx.root.mapList('sprints', 'sprint')) {
      const id = r.string('id', true);
      if (id === undefined) continue;
      const stateText = (r.string('state') ?? 'planned').toLowerCase();
      let state: SprintState = 'planned';
      if (stateText === 'planned' || stateText === 'active' || stateText === 'closed') state = stateText;
      else r.report(r.node('state'), 'wrong-type', `Sprint state should be planned, active or closed, not "${stateText}".`, 'error');
      const committed: CommittedEntry[] = [];
      const committedNode = r.node('committed');
      for (const entry of r.mapList('committed', 'committed item')) {
        const cid = entry.reader.string('id', true);
        if (cid !== undefined) committed.push({ id: cid, estimate: entry.reader.number('estimate', MAX_POINTS) });
      }
      const start = checkDate(r, 'start');
      const end = checkDate(r, 'end');
      if (start && end && end < start) r.report(r.node('end'), 'bad-date', 'The sprint ends before it starts.', 'error');
      entries.push({
        reader: r,
        value: {
          id,
          name: r.string('name') ?? id,
          start,
          end,
          goal: r.string('goal'),
          capacity: r.number('capacity', MAX_POINTS),
          state,
          committed,
          hasCommitted: committedNode !== undefined,
          line: lineOf(ctx, offset),
        },
      });
    }
    const sprints = uniqueIds(entries, 'sprint');
    const active = sprints.filter((s) => s.state === 'active');
    if (active.length > 1) {
      const second = entries.find((e) => e.value === active[1]);
      second?.reader.report(second.reader.node('state'), 'two-active', `Only one sprint can be active; ${active[0].id} already is.`, 'warning');
    }
    return sprints;
  });
}

/** `releases.yml`: `releases:` with id, name, date, goal, and the Backlog.md milestone it stands for. */
export function parseReleases(path: string, bytes: Uint8Array): PlanResult<Release[]> {
  return readPlan(path, bytes, 'releases.yml', (ctx) =>
    uniqueIds(
      ctx.root.mapList('releases', 'release').flatMap(({ reader: r, offset }) => {
        const id = r.string('id', true);
        if (id === undefined) return [];
        const value: Release = {
          id,
          name: r.string('name') ?? id,
          date: checkDate(r, 'date'),
          goal: r.string('goal'),
          milestone: r.string('milestone'),
          source: 'releases',
          path,
          line: lineOf(ctx, offset),
        };
        return [{ value, reader: r }];
      }),
      'release',
    ),
  );
}

/** A Backlog.md milestone file (`milestones/m-1 - Beta.md`), which acts as a release. */
export function parseMilestoneFile(path: string, bytes: Uint8Array): PlanResult<Release | undefined> {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return { value: undefined, diagnostics: [fileDiag(path, decoded.code, decoded.message, decoded.line, decoded.column)] };
  const text = decoded.value.text;
  const conflicts = conflictDiagnostics(path, text);
  const split = splitFrontMatter(text);
  if (!split.ok) return { value: undefined, diagnostics: [fileDiag(path, 'front-matter', split.message), ...conflicts] };
  const yamlText = text.slice(split.span.yamlStart, split.span.yamlEnd);
  const parsed = parseYamlSafe(yamlText);
  const problems: YamlProblem[] = [...parsed.problems];
  const r = new MapReader(parsed.doc && parsed.value !== undefined ? rootMap(parsed.doc.contents, problems, 'Front matter') : undefined, problems, 'This milestone');
  const id = r.map ? r.string('id', true) : undefined;
  const title = r.map ? r.string('title') : undefined;
  const date = r.map ? checkDate(r, 'due_date') ?? checkDate(r, 'date') : undefined;
  const body = text.slice(split.span.bodyStart).replace(/^#+ .*$/m, '').trim();
  const diagnostics = [...toDiagnostics(problems, path, text, split.span.yamlStart), ...conflicts];
  if (id === undefined) return { value: undefined, diagnostics };
  return {
    value: { id, name: title ?? id, date, goal: body.split(/\r?\n\r?\n/)[0] || undefined, source: 'milestone', path, line: 0 },
    diagnostics,
  };
}

/** `roadmap.yml`: vision, goals, themes/initiatives with horizons, milestones. */
export function parseRoadmap(path: string, bytes: Uint8Array): PlanResult<Roadmap> {
  return readPlan(path, bytes, 'roadmap.yml', (ctx) => {
    const r = ctx.root;
    const goals = uniqueIds(
      r.mapList('goals', 'goal').flatMap(({ reader: g, offset }) => {
        const id = g.string('id', true);
        if (id === undefined) return [];
        const value: Goal = { id, title: g.string('title') ?? id, description: g.string('description'), line: lineOf(ctx, offset) };
        return [{ value, reader: g }];
      }),
      'goal',
    );
    const goalIds = new Set(goals.map((g) => g.id.toUpperCase()));
    const themes = uniqueIds(
      r.mapList('themes', 'theme').flatMap(({ reader: t, offset }) => {
        const id = t.string('id', true);
        if (id === undefined) return [];
        let horizon = t.string('horizon') ?? t.string('quarter');
        if (horizon !== undefined) {
          const normal = normalizeHorizon(horizon);
          if (normal !== undefined) horizon = normal;
          else {
            t.report(t.node('horizon') ?? t.node('quarter'), 'bad-horizon', horizonProblem(horizon), 'error');
            horizon = undefined;
          }
        }
        const goal = t.string('goal');
        if (goal !== undefined && !goalIds.has(goal.toUpperCase())) {
          t.report(t.node('goal'), 'unknown-goal', `No goal with the id ${goal} in this roadmap.`, 'warning');
        }
        const kindText = (t.string('kind') ?? 'theme').toLowerCase();
        if (kindText !== 'theme' && kindText !== 'initiative') {
          t.report(t.node('kind'), 'wrong-type', `Kind should be theme or initiative, not "${kindText}".`, 'error');
        }
        const value: Theme = {
          id,
          title: t.string('title') ?? id,
          kind: kindText === 'initiative' ? 'initiative' : 'theme',
          goal,
          horizon,
          horizonKey: t.string('horizon') !== undefined ? 'horizon' : t.string('quarter') !== undefined ? 'quarter' : undefined,
          description: t.string('description'),
          line: lineOf(ctx, offset),
        };
        return [{ value, reader: t }];
      }),
      'theme',
    );
    const milestones = uniqueIds(
      r.mapList('milestones', 'milestone').flatMap(({ reader: m, offset }) => {
        const id = m.string('id', true);
        if (id === undefined) return [];
        const value: Milestone = { id, title: m.string('title') ?? id, date: checkDate(m, 'date'), description: m.string('description'), line: lineOf(ctx, offset) };
        return [{ value, reader: m }];
      }),
      'milestone',
    );
    return { vision: r.string('vision'), goals, themes, milestones };
  });
}

/** `storymap.yml`: `activities:`, each with ordered `steps:`. Step ids are unique in the map. */
export function parseStoryMap(path: string, bytes: Uint8Array): PlanResult<StoryMap> {
  return readPlan(path, bytes, 'storymap.yml', (ctx) => {
    const stepIds = new Set<string>();
    const activities = uniqueIds(
      ctx.root.mapList('activities', 'activity').flatMap(({ reader: a, offset }) => {
        const id = a.string('id', true);
        if (id === undefined) return [];
        const steps = a.mapList('steps', 'step').flatMap(({ reader: s, offset: stepOffset }) => {
          const sid = s.string('id', true);
          if (sid === undefined) return [];
          if (stepIds.has(sid.toUpperCase())) {
            s.report(s.node('id'), 'duplicate-id', `Another step already has the id ${sid}; items name steps by id.`, 'error');
            return [];
          }
          stepIds.add(sid.toUpperCase());
          return [{ id: sid, title: s.string('title') ?? sid, line: lineOf(ctx, stepOffset) }];
        });
        const value: Activity = { id, title: a.string('title') ?? id, steps, line: lineOf(ctx, offset) };
        return [{ value, reader: a }];
      }),
      'activity',
    );
    return { activities };
  });
}
