// The data model of a backlog, as the index holds it. Every position is zero-based; the CLI and
// the VS Code adapter translate to what their users expect.

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a user file, precise enough to put a squiggle on it. */
export interface Diagnostic {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  message: string;
  /** A stable code, so that tests and quick fixes need not match on message text. */
  code: string;
}

/** The folder an item file lives in; Backlog.md gives each a meaning. */
export type ItemFolder = 'tasks' | 'drafts' | 'completed' | 'archive';

export const ITEM_TYPES = [
  'epic',
  'story',
  'task',
  'bug',
  'spike',
  'debt',
  'improvement',
  'opportunity',
] as const;
export type KnownItemType = (typeof ITEM_TYPES)[number];

export const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;

/**
 * The largest estimate, capacity or size in points that is read. Points are summed (sprints,
 * releases, stats), and a million items of a billion points each still sum to an exact integer
 * below 2^53; a larger value (`1e308`) would make the sums infinite.
 */
export const MAX_POINTS = 1e9;
export type Size = (typeof SIZES)[number];

/** One `- [x] #1 text` line of an acceptance-criteria or definition-of-done list. */
export interface CheckItem {
  index: number;
  checked: boolean;
  text: string;
  /** Line in the file (not the body). */
  line: number;
}

/** A `## Heading` section of an item body. */
export interface Section {
  title: string;
  /** Line of the heading in the file. */
  line: number;
  /** The section's Markdown with Backlog.md's marker comments removed, trimmed. */
  content: string;
}

/** One comment of Backlog.md's `## Comments` section. */
export interface Comment {
  author?: string;
  created?: string;
  text: string;
}

export interface Item {
  /** The id as written in the file. */
  id: string;
  /** The id as compared (see `idKey`): `task-01` and `TASK-1` are one id. */
  key: string;
  title: string;
  status: string;
  type?: string;
  assignee: string[];
  labels: string[];
  dependencies: string[];
  priority?: string;
  parent?: string;
  milestone?: string;
  ordinal?: number;
  rank?: string;
  estimate?: number;
  size?: Size;
  sprint?: string;
  release?: string;
  epic?: string;
  theme?: string;
  step?: string;
  /** An epic's own horizon (now, next, later or a quarter), when it differs from its theme's. */
  horizon?: string;
  createdDate?: string;
  updatedDate?: string;
  completedDate?: string;
  /** Backlog.md's `due_date`. */
  dueDate?: string;
  /** Backlog.md's `reporter`. */
  reporter?: string;
  /** Backlog.md's `references`, `documentation` and `modified_files`: URLs and paths, as written. */
  references: string[];
  documentation: string[];
  modifiedFiles: string[];
  folder: ItemFolder;
  path: string;
  /** The backlog root folder this item belongs to. */
  root: string;
  description: string;
  acceptanceCriteria: CheckItem[];
  definitionOfDone: CheckItem[];
  implementationPlan?: string;
  implementationNotes?: string;
  finalSummary?: string;
  comments: Comment[];
  sections: Section[];
  /** Every front-matter key as parsed, unknown keys included. */
  fields: Readonly<Record<string, unknown>>;
  /** Line of each front-matter key, for diagnostics and "go to field". */
  fieldLines: Readonly<Record<string, number>>;
}

export type SprintState = 'planned' | 'active' | 'closed';

/** An item and its estimate as they stood when the sprint started. */
export interface CommittedEntry {
  id: string;
  estimate?: number;
}

export interface Sprint {
  id: string;
  name: string;
  start?: string;
  end?: string;
  goal?: string;
  capacity?: number;
  state: SprintState;
  committed: CommittedEntry[];
  /** Whether the sprint records a committed scope at all (started sprints do). */
  hasCommitted: boolean;
  line: number;
}

export interface Release {
  id: string;
  name: string;
  date?: string;
  goal?: string;
  /** `releases.yml` or a Backlog.md milestone file. */
  source: 'releases' | 'milestone';
  /**
   * In `releases.yml`: the Backlog.md milestone this release stands for (`m-1`, its number or
   * title). The two are one release: items naming either are in it, and the milestone is not
   * listed apart.
   */
  milestone?: string;
  /**
   * A milestone in archive/milestones/: not listed among the releases (Backlog.md hides it from
   * its milestone lanes too), but items naming it still resolve to it.
   */
  archived?: boolean;
  path: string;
  line: number;
}

export interface Goal {
  id: string;
  title: string;
  description?: string;
  line: number;
}

export type ThemeKind = 'theme' | 'initiative';

export interface Theme {
  id: string;
  title: string;
  kind: ThemeKind;
  goal?: string;
  /** `now`, `next`, `later`, a quarter such as `2027-Q2`, or absent (unscheduled). */
  horizon?: string;
  /** The key the horizon was read from, so that a move writes the same one. */
  horizonKey?: 'horizon' | 'quarter';
  description?: string;
  line: number;
}

export interface Milestone {
  id: string;
  title: string;
  date?: string;
  description?: string;
  line: number;
}

export interface Roadmap {
  vision?: string;
  goals: Goal[];
  themes: Theme[];
  milestones: Milestone[];
}

export interface Step {
  id: string;
  title: string;
  line: number;
}

export interface Activity {
  id: string;
  title: string;
  steps: Step[];
  line: number;
}

export interface StoryMap {
  activities: Activity[];
}

/** `config.yml`: Backlog.md's keys and ours, with defaults filled in. */
export interface BacklogConfig {
  projectName: string;
  taskPrefix: string;
  statuses: string[];
  defaultStatus: string;
  doneStatuses: string[];
  labels: string[];
  types: string[];
  priorities: string[];
  estimateScale: number[];
  sizePoints: Record<Size, number>;
  todoTags: string[];
  /** Backlog.md's `zero_padded_ids`: digits new ids are padded to (`TASK-008`); undefined or 0 for none. */
  zeroPaddedIds?: number;
  /** Backlog.md's `default_assignee`: who a new item is assigned to when nobody is named. */
  defaultAssignee: string[];
  /** Backlog.md's `default_reporter`. */
  defaultReporter?: string;
  /** Backlog.md's `definition_of_done`: the checklist every new item's Definition of Done starts with. */
  definitionOfDone: string[];
  /** Backlog.md's `hide_empty_columns`: the board leaves out status columns without cards. */
  hideEmptyColumns: boolean;
  /**
   * Backlog.md's `check_active_branches` (true unless `false`, and false in a `filesystem_only`
   * project): new ids also skip those taken on branches updated in the last `activeBranchDays`.
   */
  checkActiveBranches: boolean;
  /** Backlog.md's `active_branch_days` (30): how recently a branch must have moved to count. */
  activeBranchDays: number;
  /** Backlog.md's `remote_operations` (true): remote-tracking branches count as well as local ones. */
  remoteOperations: boolean;
  /** Ours, `wip_limits`: the most cards each status column of the board should hold, by status as config.yml spells it. */
  wipLimits: Readonly<Record<string, number>>;
  /** Every key as parsed, unknown keys included. */
  raw: Readonly<Record<string, unknown>>;
}
