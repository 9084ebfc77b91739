// `backlog-atlas report`: the Reports panel's figures for scripts, CI and pull-request comments.
// The same models as the panel (src/views/reports/reports.ts) over the same timeline rule
// (src/core/history/history.ts); only the history differs: the command line never starts git, so
// the figures come from the files as they are (each item's created, completed and sprint fields),
// as the panel's are in a workspace without git history.
import { Backlog } from '../core/backlog';
import { timelineOf } from '../core/history/history';
import { ReportUnit, ScopeChange } from '../protocol/reportsProtocol';
import { releaseForecastText } from '../views/reports/reportCharts';
import { burndownCsv, releaseCsv, velocityCsv } from '../views/reports/reportExport';
import { defaultRelease, defaultSprint, releaseBurn, sprintBurndown, velocityReport } from '../views/reports/reports';
import { forTerminal, jsonText } from './terminal';

export const REPORTS = ['velocity', 'burndown', 'release'] as const;
export type ReportName = (typeof REPORTS)[number];

export interface ReportRequest {
  report: ReportName;
  format: 'text' | 'json' | 'csv';
  unit: ReportUnit;
  sprint?: string;
  release?: string;
  today: string;
}

/** What to print: lines for stdout, or a message for stderr and the exit code. */
export type ReportOutput = { ok: true; out: string } | { ok: false; error: string; code: number };

/** A number as a person reads it: 20.5, 21, never 20.500000001. */
function n(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : String(Math.round(value * 100) / 100);
}

/** The changes behind the days' +n and -n, each with its item, as the panel lists them. */
function changeLines(changes: readonly ScopeChange[], heading: string): string[] {
  if (changes.length === 0) return [];
  return [
    `${heading}:`,
    ...changes.map((c) => `  ${c.dateKnown ? c.date : `date unknown (known from ${c.date})`}  ${c.delta > 0 ? '+' : c.delta < 0 ? '-' : ''}${n(Math.abs(c.delta))}  ${c.kind}  ${c.id} ${c.title}`),
  ];
}

function unitWord(unit: ReportUnit): string {
  return unit === 'items' ? 'items' : 'points';
}

export function runReport(backlog: Backlog, req: ReportRequest): ReportOutput {
  const timeline = timelineOf(backlog, undefined, req.today);
  const options = { today: req.today, unit: req.unit, hasHistory: false };
  switch (req.report) {
    case 'velocity': {
      const v = velocityReport(backlog, timeline, options);
      if (req.format === 'csv') return { ok: true, out: velocityCsv(v) };
      if (req.format === 'json') {
        return {
          ok: true,
          out: jsonText({
            unit: unitWord(v.unit),
            sprints: v.sprints.map((s) => ({ id: s.sprintId, name: s.name, start: s.start, end: s.end, state: s.state, committed: s.committed, completed: s.completed })),
            average: v.average ?? null,
            averageOver: v.averageOver,
            notes: v.notes,
          }),
        };
      }
      const lines = [
        v.average === undefined
          ? `Velocity (${unitWord(v.unit)}): no sprint has closed yet.`
          : `Velocity (${unitWord(v.unit)}): ${n(v.average)} a sprint, the average of ${v.averageOver.join(', ')}.`,
        ...v.sprints.map((s) => `  ${s.name}  ${s.start}..${s.end}  ${s.state}  committed ${n(s.committed)}  completed ${n(s.completed)}`),
        ...v.notes.map((note) => `Note: ${note}`),
      ];
      return { ok: true, out: lines.map(forTerminal).join('\n') };
    }
    case 'burndown': {
      const sprint = req.sprint !== undefined ? backlog.sprint(req.sprint) : defaultSprint(backlog, req.today);
      if (!sprint) return { ok: false, code: 1, error: req.sprint !== undefined ? `There is no sprint ${req.sprint} in sprints.yml.` : 'This backlog has no sprints.' };
      const b = sprintBurndown(backlog, sprint.id, timeline, options);
      if ('empty' in b) return { ok: false, code: 1, error: b.empty };
      if (req.format === 'csv') return { ok: true, out: burndownCsv(b) };
      if (req.format === 'json') return { ok: true, out: jsonText(b) };
      const lines = [
        `${b.name} (${b.sprintId}), ${b.start}..${b.end}, ${b.state}${b.goal ? `: ${b.goal}` : ''}`,
        `Committed ${n(b.committed)} ${unitWord(b.unit)}; now ${n(b.completedNow)} done of ${n(b.scopeNow)}, ${n(b.remainingNow)} remaining.`,
        ...b.days.filter((d) => d.remaining !== null).map((d) => `  ${d.date}${d.workday ? '' : ' (off)'}  remaining ${n(d.remaining)}  done ${n(d.completed)}  scope ${n(d.scope)}  ideal ${n(d.ideal)}${d.added ? `  +${n(d.added)}` : ''}${d.removed ? `  -${n(d.removed)}` : ''}`),
        ...changeLines(b.changes, 'Scope changes since the start'),
        ...b.notes.map((note) => `Note: ${note}`),
      ];
      return { ok: true, out: lines.map(forTerminal).join('\n') };
    }
    case 'release': {
      const release = req.release !== undefined ? backlog.release(req.release) : defaultRelease(backlog, req.today);
      if (!release) return { ok: false, code: 1, error: req.release !== undefined ? `There is no release ${req.release} in releases.yml or milestones/.` : 'This backlog has no releases.' };
      const r = releaseBurn(backlog, release.id, timeline, options);
      if ('empty' in r) return { ok: false, code: 1, error: r.empty };
      if (req.format === 'csv') return { ok: true, out: releaseCsv(r) };
      if (req.format === 'json') return { ok: true, out: jsonText({ ...r, forecast: releaseForecastText(r) }) };
      const lines = [
        `${r.name} (${r.releaseId})${r.date ? `, ${r.date}` : ''}${r.goal ? `: ${r.goal}` : ''}`,
        releaseForecastText(r),
        ...r.columns.map((c) => `  ${c.name}  ${c.date}  ${c.state}  scope ${n(c.scope)}  done ${n(c.completed)}  remaining ${n(c.remaining)}${c.added ? `  +${n(c.added)}` : ''}${c.removed ? `  -${n(c.removed)}` : ''}`),
        ...changeLines(r.changes, 'Scope changes, by the end of the sprint (or today) they were seen by'),
        ...r.notes.map((note) => `Note: ${note}`),
      ];
      return { ok: true, out: lines.map(forTerminal).join('\n') };
    }
  }
}
