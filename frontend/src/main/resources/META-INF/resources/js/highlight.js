// Draws the features a siting finding or a violation points at, on top of everything else.
import * as api from './api.js';
import { t, tr } from './i18n.js';

let group;

export function initHighlight(map) {
  group = L.featureGroup().addTo(map);
}

/**
 * Replaces the highlighted features with those of `refs` ([{layer, featureId, label}]); resolves to their
 * bounds (invalid when none could be read). A feature that cannot be read is skipped: the list still says which.
 */
export async function highlightFeatures(refs) {
  group.clearLayers();
  const seen = new Set();
  const unique = refs.filter((ref) => {
    const key = `${ref.layer}/${ref.featureId}`;
    if (!ref.layer || ref.featureId === null || ref.featureId === undefined || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const features = await Promise.all(unique.map((ref) => api.get(`/ogc/collections/${ref.layer}/items/${ref.featureId}`)
    .then((feature) => ({ ref, feature }), () => null)));
  for (const item of features.filter(Boolean)) {
    L.geoJSON(item.feature, {
      pane: 'pm-highlight',
      style: () => ({ className: 'highlight', color: '#ff1744', weight: 3, dashArray: '8 5', fillColor: '#ff1744', fillOpacity: 0.12 }),
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 16 }),
    }).bindTooltip(item.ref.label || item.feature.properties.name || t('common.feature'), { sticky: true })
      .addTo(group);
  }
  return group.getBounds();
}

export function clearHighlight() {
  group.clearLayers();
}

/** "饮用水水源保护区 · 城区水源" */
export function featureLabel(layerTitle, name) {
  return [tr(layerTitle), name].filter(Boolean).join(' · ');
}
