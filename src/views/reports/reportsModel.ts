// The Reports panel's model: the figures of the report the options name, laid out as a chart.

import { Backlog } from '../../core/backlog';
import { Timeline } from '../../core/history/history';
import { burndownChart, releaseChart, releaseForecastText, velocityChart } from './reportCharts';
import { defaultRelease, defaultSprint, releaseBurnSteps, sprintBurndown, velocityReportSteps } from './reports';
import { finish, Slices, Steps } from '../../core/steps';
import { HistoryStatus, ReportsModel, ReportsOptions } from '../../protocol/reportsProtocol';

export interface ReportsContext {
  today: string;
  roots: string[];
  root: string;
  /** Every item's versions: the history (when one was read) and the files now (`timelineOf`). */
  timeline: Timeline;
  /** Whether the timeline holds versions from git, not only the files as they are now. */
  hasHistory: boolean;
  historyStatus: HistoryStatus;
  nonWorkingDays: number[];
}

export function buildReportsModel(backlog: Backlog, options: ReportsOptions, ctx: ReportsContext): ReportsModel {
  return finish(reportsModelSteps(backlog, options, ctx));
}

/**
 * `buildReportsModel` in steps (core/steps.ts): the Reports panel gives each its own turn, since
 * a release's burn-up over 10,000 items is too long for one while the code is still cold.
 */
export function* reportsModelSteps(backlog: Backlog, options: ReportsOptions, ctx: ReportsContext, slices = new Slices()): Steps<ReportsModel> {
  const { timeline } = ctx;
  const reportOptions = { today: ctx.today, unit: options.unit, nonWorkingDays: ctx.nonWorkingDays, hasHistory: ctx.hasHistory };
  const model: ReportsModel = {
    roots: ctx.roots,
    root: ctx.root,
    projectName: backlog.config.projectName,
    sprints: [...backlog.sprints].sort((a, b) => (a.start ?? '\uffff').localeCompare(b.start ?? '\uffff')).map((s) => ({ id: s.id, name: s.name, state: s.state })),
    releases: backlog.releases().map((r) => ({ id: r.id, name: r.name, date: r.date })),
    history: ctx.historyStatus,
  };
  switch (options.report) {
    case 'burndown': {
      const sprint = (options.sprint ? backlog.sprint(options.sprint) : undefined) ?? defaultSprint(backlog, ctx.today);
      if (!sprint) return { ...model, empty: 'This backlog has no sprints yet. Plan one with "Backlog: New Sprint", then its burndown shows here.' };
      const b = sprintBurndown(backlog, sprint.id, timeline, reportOptions);
      return 'empty' in b ? { ...model, empty: b.empty } : { ...model, burndown: b, chart: burndownChart(b) };
    }
    case 'release': {
      const release = (options.release ? backlog.release(options.release) : undefined) ?? defaultRelease(backlog, ctx.today);
      if (!release) return { ...model, empty: 'This backlog has no releases yet. Add one with "Backlog: New Release", then its burn-up shows here.' };
      const r = yield* releaseBurnSteps(backlog, release.id, timeline, reportOptions, slices);
      return 'empty' in r ? { ...model, empty: r.empty } : { ...model, release: { ...r, forecast: releaseForecastText(r) }, chart: releaseChart(r, options.releaseMode) };
    }
    case 'velocity': {
      const v = yield* velocityReportSteps(backlog, timeline, reportOptions);
      if (v.sprints.length === 0) return { ...model, velocity: v, empty: 'No sprint with dates has started yet, so there is no velocity to show.' };
      return { ...model, velocity: v, chart: velocityChart(v) };
    }
  }
}
