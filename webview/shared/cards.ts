// What the pages with cards (the story map, the sprint board, the roadmap) share: the icon of
// each item type, and a drop target that takes cards dragged within the page.

/** The codicon of each item type; others get a small circle. */
const TYPE_ICONS = new Map<string, string>([['story', 'bookmark'], ['task', 'tasklist'], ['bug', 'bug'], ['spike', 'beaker'], ['debt', 'tools'], ['improvement', 'arrow-up'], ['epic', 'layers']]);

export function typeIcon(type: string | undefined): string {
  return TYPE_ICONS.get(type ?? 'story') ?? 'circle-small';
}

/** Where a drop landed next to a card: before it (its upper half) or after it (its lower half). */
export type DropPlace = { before: string } | { after: string };

/**
 * Makes `el` take drops of `dragType` (only this page's own drags): it is marked while a card is
 * over it, and `onDrop` gets the dragged data and, when the drop was on a card that `skip` does
 * not exclude, which side of it. Elsewhere in `el` the place is undefined.
 */
export function dropTarget(el: HTMLElement, dragType: string, onDrop: (data: string, place: DropPlace | undefined) => void, skip: (id: string, data: string) => boolean = () => false): void {
  el.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes(dragType)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    el.classList.add('drop-target');
  });
  el.addEventListener('dragleave', (e) => {
    if (!el.contains(e.relatedTarget as Node | null)) el.classList.remove('drop-target');
  });
  el.addEventListener('drop', (e) => {
    el.classList.remove('drop-target');
    const data = e.dataTransfer?.getData(dragType);
    if (!data) return;
    e.preventDefault();
    const onto = (e.target as HTMLElement).closest<HTMLElement>('.card');
    const id = onto?.dataset.id;
    let place: DropPlace | undefined;
    if (onto && id && !skip(id, data)) {
      const box = onto.getBoundingClientRect();
      place = e.clientY < box.top + box.height / 2 ? { before: id } : { after: id };
    }
    onDrop(data, place);
  });
}

/** JSON from a drag's data, or undefined when it is not JSON. */
export function parseDragData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** How long a drag may go without an event on this page before a held state is drawn anyway. */
const DRAG_QUIET_MS = 1500;

/**
 * Wraps a page's `draw` so that a state arriving while the user drags one of the page's cards is
 * drawn once the drag ends: drawn at once, it would replace the card and the column under the
 * pointer, and the browser would then drop nothing (a drop lost to a file saved meanwhile).
 * `forgetHeld` drops a held state that a drop made stale (the host answers a move with a new
 * one). Should a drag end where this page cannot see it (its card taken out of the page), the
 * state is drawn after DRAG_QUIET_MS without a drag event.
 */
export function drawnAfterDrags(draw: () => void): { draw(): void; forgetHeld(): void } {
  let dragging = false;
  let held = false;
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const finished = () => {
    dragging = false;
    if (quiet !== undefined) clearTimeout(quiet);
    quiet = undefined;
    if (!held) return;
    held = false;
    draw();
  };
  const active = () => {
    if (!dragging) return;
    if (quiet !== undefined) clearTimeout(quiet);
    quiet = setTimeout(finished, DRAG_QUIET_MS);
  };
  document.addEventListener(
    'dragstart',
    () => {
      dragging = true;
      active();
    },
    true,
  );
  document.addEventListener('drag', active, true);
  document.addEventListener('dragover', active, true);
  // After the drop target's own handler has run (and posted the move).
  document.addEventListener('drop', () => setTimeout(finished), true);
  document.addEventListener('dragend', finished, true);
  return {
    draw: () => {
      if (dragging) held = true;
      else draw();
    },
    forgetHeld: () => {
      held = false;
    },
  };
}
