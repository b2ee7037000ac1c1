// Draws the features a siting finding or a violation points at, on top of everything else.
import * as api from './api.js';
import { t, tr } from './i18n.js';

let group;

export function initHighlight(map) {
  group = L.featureGroup().addTo(map);
}

const key = (ref) => `${ref.layer}/${ref.featureId}`;

/**
 * Replaces the highlighted features with those of `refs` ([{layer, featureId, label}]); resolves to their bounds,
 * all together (`all`, invalid when none could be read) and each on its own (`of(ref)`, null when it could not be
 * read). A feature that cannot be read is skipped: the list still says which.
 */
export async function highlightFeatures(refs) {
  group.clearLayers();
  const seen = new Set();
  const unique = refs.filter((ref) => {
    if (!ref.layer || ref.featureId === null || ref.featureId === undefined || seen.has(key(ref))) return false;
    seen.add(key(ref));
    return true;
  });
  const features = await Promise.all(unique.map((ref) => api.get(`/ogc/collections/${ref.layer}/items/${ref.featureId}`)
    .then((feature) => ({ ref, feature }), () => null)));
  const each = new Map();
  for (const item of features.filter(Boolean)) {
    const drawn = L.geoJSON(item.feature, {
      pane: 'pm-highlight',
      style: () => ({ className: 'highlight', color: '#ff1744', weight: 3, dashArray: '8 5', fillColor: '#ff1744', fillOpacity: 0.12 }),
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 16 }),
    }).bindTooltip(item.ref.label || item.feature.properties.name || t('common.feature'), { sticky: true })
      .addTo(group);
    each.set(key(item.ref), drawn.getBounds());
  }
  return { all: group.getBounds(), of: (ref) => each.get(key(ref)) || null };
}

/**
 * Rings a place among the highlighted features (a firm in breach), seen even where its marker is in a cluster; it
 * takes no clicks, which go to the marker or cluster under it. Resolves to the bounds of all highlighted.
 */
export function highlightPoint(latlng) {
  L.circleMarker(latlng, { pane: 'pm-highlight', radius: 15, className: 'highlight highlight-point', color: '#ff1744',
    weight: 3, fill: false, interactive: false }).addTo(group);
  return group.getBounds();
}

export function clearHighlight() {
  group.clearLayers();
}

/** "饮用水水源保护区 · 城区水源" */
export function featureLabel(layerTitle, name) {
  return [tr(layerTitle), name].filter(Boolean).join(' · ');
}
