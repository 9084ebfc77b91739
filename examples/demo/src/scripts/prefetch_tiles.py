"""Nightly job: build MBTiles packages for popular regions (see BL-7)."""
import sqlite3
import sys
import urllib.request

TILE_URL = "https://tiles.example.com/v1/{z}/{x}/{y}.pbf"


def fetch(z: int, x: int, y: int) -> bytes:
    # FIXME [BL-30] retry on 503 with backoff; today one 503 aborts the whole region
    with urllib.request.urlopen(TILE_URL.format(z=z, x=x, y=y), timeout=10) as resp:
        return resp.read()


def build_region(path: str, tiles: list[tuple[int, int, int]]) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB)")
    for z, x, y in tiles:
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, y, fetch(z, x, y)))
    db.commit()
    # XXX remove once API v2 ships: v1 returns tiles in TMS order, so flip the rows
    db.execute("UPDATE tiles SET tile_row = (1 << zoom_level) - 1 - tile_row")
    db.commit()


if __name__ == "__main__":
    print("TODO list for regions lives in regions.json", file=sys.stderr)
    # TODO: drop tiles fetched before 2026-08, when the provider changed the style
    build_region(sys.argv[1], [])
