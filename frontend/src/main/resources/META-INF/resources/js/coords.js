// Typed coordinates, before the server reads them (GET /api/coordinates): the Gauss-Krüger zones offered in the
// form, and the check that numbers typed as longitude and latitude are really metres.

/** China's Gauss-Krüger zones of a width (3 or 6 degrees): {zone, cm}, 3° zones 25–45 (CM 3n), 6° zones 13–23 (CM 6n − 3). */
export function zones(width) {
  const [first, last] = width === 6 ? [13, 23] : [25, 45];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
    .map((zone) => ({ zone, cm: width === 6 ? 6 * zone - 3 : 3 * zone }));
}

/** The zone named by the leading digits of a prefixed easting (37512345.67 → 3° zone 37, CM 111°E), or null. */
export function zoneOfEasting(value) {
  const number = Math.floor(value / 1e6);
  for (const width of [3, 6]) {
    const found = zones(width).find((z) => z.zone === number);
    if (found) return { width, ...found };
  }
  return null;
}

function plainNumber(text) {
  const compact = String(text).replace(/[\s\u00a0\u2009]/g, '');
  return /^[-+]?\d+(\.\d+)?$/.test(compact) ? Number(compact) : NaN;
}

/**
 * Two numbers typed as longitude and latitude that are both beyond any angle are metres: returns them as
 * Gauss-Krüger {northing, easting, zone} — the easting being the one with a zone prefix or, without prefixes, the
 * one under 1 000 km (a northing in China is 330–5 990 km) — or null when they may well be degrees.
 */
export function metresAsGaussKruger(first, second) {
  const a = plainNumber(first);
  const b = plainNumber(second);
  if (!(Math.abs(a) > 180 && Math.abs(b) > 180)) return null;
  const firstIsEasting = zoneOfEasting(a) !== null
    || (zoneOfEasting(b) === null && Math.abs(a) < 1e6 && Math.abs(b) >= 1e6);
  const easting = firstIsEasting ? a : b;
  return {
    northing: String(firstIsEasting ? second : first).trim(),
    easting: String(firstIsEasting ? first : second).trim(),
    zone: zoneOfEasting(easting),
  };
}

/** 111.781667 → 111°46′54″ */
export function toDms(value) {
  let seconds = Math.round(value * 3600);
  const deg = Math.floor(seconds / 3600);
  seconds -= deg * 3600;
  const min = Math.floor(seconds / 60);
  return `${deg}°${String(min).padStart(2, '0')}′${String(seconds - min * 60).padStart(2, '0')}″`;
}
