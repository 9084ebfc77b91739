// Dependency cycles, found in time linear in items and dependencies: an iterative Tarjan, so that
// a chain of 100,000 items neither recurses past the stack nor revisits a node.

/**
 * The groups of nodes that depend on each other in a cycle (strongly connected components of more
 * than one node, or one node that depends on itself), each with one cycle through its first node
 * that shows how. `edges(n)` gives the nodes `n` depends on; nodes it names that are not in
 * `nodes` are ignored.
 */
export function dependencyCycles(nodes: readonly string[], edges: (node: string) => readonly string[]): { members: string[]; cycle: string[] }[] {
  const known = new Set(nodes);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: { members: string[]; cycle: string[] }[] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: a node and the position of the next of its edges to follow.
    const frames: { node: string; next: number; targets: readonly string[] }[] = [];
    const enter = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      frames.push({ node, next: 0, targets: edges(node) });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.next < frame.targets.length) {
        const target = frame.targets[frame.next++];
        if (!known.has(target)) continue;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== frame.node);
      const selfLoop = members.length === 1 && edges(members[0]).includes(members[0]);
      if (members.length > 1 || selfLoop) out.push({ members: members.reverse(), cycle: cycleThrough(members, edges) });
    }
  }
  return out;
}

/**
 * One cycle inside a group that depends on itself: from its first node, each step takes the first
 * dependency still inside the group until a node comes round again (every node of such a group has
 * one, so the walk ends within the group's size). The cycle starts and ends at that node.
 */
function cycleThrough(members: readonly string[], edges: (node: string) => readonly string[]): string[] {
  const inGroup = new Set(members);
  const seenAt = new Map<string, number>();
  const path: string[] = [];
  let node = members[0];
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    node = edges(node).find((t) => inGroup.has(t))!;
  }
  return [...path.slice(seenAt.get(node)), node];
}
