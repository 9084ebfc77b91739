import { TileStore } from "./TileStore";

export interface Viewport {
  lat: number;
  lon: number;
  zoom: number;
}

/** Renders the route map from the offline tile store, falling back to the network. */
export class MapView {
  private pending = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly tiles: TileStore,
  ) {}

  onZoom(viewport: Viewport): void {
    // TODO(BL-21): debounce map redraws; pinch-zoom fires up to 120 events per second
    this.redraw(viewport);
  }

  onPan(viewport: Viewport): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.redraw(viewport);
    });
  }

  private redraw(viewport: Viewport): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    for (const tile of this.tiles.visible(viewport)) {
      ctx.drawImage(tile.bitmap, tile.x, tile.y);
    }
    // TODO: cache the attribution text width instead of measuring it every frame
    ctx.fillText(this.tiles.attribution, 8, this.canvas.height - 8);
  }
}
