// Building big pages as they scroll into view: a block (a story map cell, a run of a board
// column's cards) that is far from the window waits, holding roughly its height, and is built
// when it comes near, or at once when something needs one of its cards (the keyboard, a drop).
// Every card is a handful of DOM nodes, and a thousand of them built at once stall the page for
// a third of a second; the browser then also has a thousand cards to style and lay out.

/** Blocks waiting to be built, the cards each will hold, and the observer that builds them. */
export class LazyBlocks {
  private readonly pending = new Map<HTMLElement, () => void>();
  private readonly blockOfCard = new Map<string, HTMLElement>();
  private observer: IntersectionObserver | undefined;

  /** How far outside the window, in pixels, a block is built before it shows. */
  constructor(private readonly margin = 600) {}

  /** Forgets every waiting block: the page is about to be drawn again. */
  reset(): void {
    this.observer?.disconnect();
    this.observer = undefined;
    this.pending.clear();
    this.blockOfCard.clear();
  }

  /**
   * Lets `block` wait: it keeps `height` pixels until `build` fills it (or replaces it). `ids`
   * are the cards `build` draws, so that `ensure` can find them.
   */
  defer(block: HTMLElement, height: number, ids: readonly string[], build: () => void): void {
    block.style.setProperty('min-height', `${height}px`);
    this.pending.set(block, build);
    for (const id of ids) this.blockOfCard.set(id, block);
  }

  /** Builds a waiting block now; nothing when it is built already. */
  build(block: HTMLElement | null | undefined): void {
    const build = block ? this.pending.get(block) : undefined;
    if (!block || !build) return;
    this.pending.delete(block);
    this.observer?.unobserve(block);
    build();
    block.style.removeProperty('min-height');
  }

  /** Builds the block that holds card `id`, if it waits. */
  ensure(id: string): void {
    this.build(this.blockOfCard.get(id));
  }

  /** Builds every waiting block inside `container` (a column the keyboard walks through). */
  buildWithin(container: Element): void {
    for (const block of [...this.pending.keys()]) if (container.contains(block)) this.build(block);
  }

  /**
   * Builds the waiting blocks near the window now, so that the first paint has them, and the
   * others as they come near. Call once the page is in the document. With `firstMargin` smaller
   * than the margin (0: only what shows in the window), the first paint has fewer cards to lay
   * out, and the rest of the margin is built just after it.
   */
  start(firstMargin = this.margin): void {
    if (this.pending.size === 0) return;
    const m = this.margin;
    const near = (r: DOMRect, d: number) => r.bottom > -d && r.top < window.innerHeight + d && r.right > -d && r.left < window.innerWidth + d;
    // One layout of the page with its blocks waiting, then no more: rectangles first, building after.
    const rects = [...this.pending.keys()].map((block) => [block, block.getBoundingClientRect()] as const);
    for (const [block, r] of rects) if (near(r, firstMargin)) this.build(block);
    const soon = rects.filter(([block, r]) => this.pending.has(block) && near(r, m)).map(([block]) => block);
    // Once the first ones are on screen (the frame after their paint has begun): a block the page
    // has since dropped is not built.
    if (soon.length > 0) requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => soon.forEach((block) => this.build(block)))));
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) this.build(e.target as HTMLElement);
      },
      // Against the window: a block inside a sideways-scrolling grid is still seen as it comes near.
      { root: null, rootMargin: `${m}px` },
    );
    for (const block of this.pending.keys()) this.observer.observe(block);
  }
}
