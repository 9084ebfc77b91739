import type { Viewport } from "./MapView";

const TILE_SIZE = 256;

/** A decoded raster tile, placed on the canvas. */
export interface Tile {
  z: number;
  col: number;
  row: number;
  /** Top-left corner on the canvas, in pixels. */
  x: number;
  y: number;
  bitmap: ImageBitmap;
}

/** Decoded tiles from offline regions and earlier downloads; missing ones are fetched in the background. */
export class TileStore {
  readonly attribution = "© OpenStreetMap contributors";
  private readonly cache = new Map<string, ImageBitmap>();
  private readonly loading = new Set<string>();

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly tileUrl = (z: number, col: number, row: number) =>
      `https://tiles.example.com/v1/raster/${z}/${col}/${row}.png`,
  ) {}

  put(z: number, col: number, row: number, bitmap: ImageBitmap): void {
    this.cache.set(key(z, col, row), bitmap);
  }

  /** The cached tiles that cover the viewport; tiles not cached yet show up on a later redraw. */
  *visible(viewport: Viewport): Iterable<Tile> {
    const z = Math.round(viewport.zoom);
    const [cx, cy] = project(viewport.lat, viewport.lon, z);
    const left = cx - this.width / 2 / TILE_SIZE;
    const top = cy - this.height / 2 / TILE_SIZE;
    for (let row = Math.floor(top); row < top + this.height / TILE_SIZE; row++) {
      for (let col = Math.floor(left); col < left + this.width / TILE_SIZE; col++) {
        const bitmap = this.cache.get(key(z, col, row));
        if (!bitmap) {
          this.download(z, col, row);
          continue;
        }
        yield { z, col, row, bitmap, x: Math.round((col - left) * TILE_SIZE), y: Math.round((row - top) * TILE_SIZE) };
      }
    }
  }

  private download(z: number, col: number, row: number): void {
    const k = key(z, col, row);
    if (this.loading.has(k)) return;
    this.loading.add(k);
    fetch(this.tileUrl(z, col, row))
      .then((res) => (res.ok ? res.blob() : Promise.reject(new Error(`tile ${k}: HTTP ${res.status}`))))
      .then((blob) => createImageBitmap(blob))
      .then((bitmap) => this.put(z, col, row, bitmap))
      .catch(() => undefined) // offline: the tile stays blank until the next redraw asks again
      .finally(() => this.loading.delete(k));
  }
}

function key(z: number, col: number, row: number): string {
  return `${z}/${col}/${row}`;
}

/** Web Mercator: latitude and longitude to tile coordinates (fractional) at zoom z. */
function project(lat: number, lon: number, z: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [((lon + 180) / 360) * n, ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n];
}
