/** How an agent should work with the backlog: the MCP server's `backlog://guide` resource and `backlog_workflow` prompt. */
export const WORKFLOW_GUIDE = `# Working with the Backlog Atlas backlog

The backlog is Markdown files (Backlog.md's format) in backlog/. Never edit them by hand: use the
tools, which change only the bytes of the values they set, keep comments and order, and refuse a
file that changed since it was read.

1. Orient: backlog_sprint (the active sprint, its goal and figures), then backlog_list
   (sprint: "active", or a status, label or text) to find the work. The list is in rank order:
   the first open item is the most important.
2. Before starting an item: backlog_get it. Read its description, acceptance criteria (numbered)
   and dependencies; blockedBy must be empty. backlog_todos with its id shows the code that
   names it.
3. Start: backlog_update with status "In Progress" (a status of the backlog's config).
4. While working: backlog_update appendNotes with what you decided and why; check the
   acceptance criteria you met, by number; addCriteria when you discover one.
5. Done: every criterion checked, then backlog_update status "Done" (this stamps completed_date).
6. New work found (a bug, a TODO, debt): backlog_create with a type, an estimate if you can,
   and a description; backlog_move to place it (before/after an item, or into a sprint).
7. Grooming: backlog_health lists what to refine (the top 20% should be ready: estimate and
   acceptance criteria) and what is stale, too big or untraceable.

Ids look like BL-42 (the backlog's prefix). Resources: backlog://item/BL-42 is an item's file.
`;
