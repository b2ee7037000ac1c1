// Reads a typed position: decimal degrees ("111.7817 37.1414") or 度分秒 ("111°46′54″ 37°08′29″",
// "东经111度46分54秒 北纬37度8分29秒", ASCII ' and " too).

const ANGLE = /(\d+(?:\.\d+)?)\s*(?:°|º|度)?\s*(?:(\d+(?:\.\d+)?)\s*(?:′|'|’|分)\s*)?(?:(\d+(?:\.\d+)?)\s*(?:″|"|”|''|秒)\s*)?/g;

function toDegrees(match) {
  const [, deg, min = '0', sec = '0'] = match;
  const minutes = Number(min);
  const seconds = Number(sec);
  if (minutes >= 60 || seconds >= 60) return NaN;
  return Number(deg) + minutes / 60 + seconds / 3600;
}

/**
 * Returns {lon, lat} or null when the text is not two angles. In China every longitude (73–135°E) is larger
 * than every latitude (3–54°N), so the order the user typed them in does not matter.
 */
export function parseCoordinates(text) {
  const angles = [...String(text).matchAll(ANGLE)].map(toDegrees);
  if (angles.length !== 2 || angles.some(Number.isNaN)) return null;
  return { lon: Math.max(...angles), lat: Math.min(...angles) };
}

/** 111.781667 → 111°46′54″ */
export function toDms(value) {
  let seconds = Math.round(value * 3600);
  const deg = Math.floor(seconds / 3600);
  seconds -= deg * 3600;
  const min = Math.floor(seconds / 60);
  return `${deg}°${String(min).padStart(2, '0')}′${String(seconds - min * 60).padStart(2, '0')}″`;
}
