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
