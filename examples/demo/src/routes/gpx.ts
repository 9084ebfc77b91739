export interface TrackPoint {
  lat: number;
  lon: number;
  ele?: number;
  time?: Date;
}

const TRKPT = /<trkpt\s+lat="([-\d.]+)"\s+lon="([-\d.]+)"\s*>([\s\S]*?)<\/trkpt>/g;

/* HACK(BL-26): regex-based GPX parsing. Breaks on namespaced extensions and CDATA;
   replace with a streaming XML parser. */
export function parseGpx(xml: string): TrackPoint[] {
  const points: TrackPoint[] = [];
  for (const m of xml.matchAll(TRKPT)) {
    const inner = m[3];
    const ele = /<ele>([-\d.]+)<\/ele>/.exec(inner)?.[1];
    const time = /<time>([^<]+)<\/time>/.exec(inner)?.[1];
    points.push({
      lat: Number(m[1]),
      lon: Number(m[2]),
      ele: ele === undefined ? undefined : Number(ele),
      // TODO: handle leap seconds in GPX timestamps (seen in old Garmin exports)
      time: time ? new Date(time) : undefined,
    });
  }
  return points;
}

export function decode(bytes: Uint8Array): string {
  // TODO: reject files that are not UTF-8 instead of guessing the encoding
  return new TextDecoder("utf-8").decode(bytes);
}
