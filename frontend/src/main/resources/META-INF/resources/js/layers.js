// The map: our own layers drawn on a plain background (it must work with no internet), a simple basemap drawn from
// the layers or a tiled one, the layer switcher with its legend, popups titled by the layer's field titles,
// the river control distances drawn on demand, and the enterprises a search or the violation list picks out.
// Every layer is drawn from the server's tiles of the view (tiles.js), never whole: a county's data and a
// province's million enterprises load alike.
import * as api from './api.js';
import { formatNumber, lang, onLangChange, t, tr, valueLabel } from './i18n.js';
import { loaded, TileFeed } from './tiles.js';
import { fill, h } from './ui.js';

/** Zoom at which enterprises stop clustering and a search result is shown. */
const FOCUS_ZOOM = 16;
/** The furthest a framed result (a search, a violation, a siting check) zooms in. */
const FRAME_MAX_ZOOM = 16;
/** A popup opened by the page (not by a click) scrolls beyond this height rather than pan the map. */
const POPUP_MAX_HEIGHT = 240;

// Panes, bottom to top; markers (600), tooltips and popups stay above them. pm-base holds the simple basemap.
const PANES = {
  'pm-base': 250, 'pm-boundaries': 360, 'pm-areas': 380, 'pm-zones': 400, 'pm-buffers': 405, 'pm-water': 410, 'pm-lines': 420,
  'pm-highlight': 450, 'pm-marks': 590,
};

// Switcher order (top to bottom) and the style of each layer; a layer the server adds later gets DEFAULT_STYLE.
const STYLES = {
  enterprises: {},
  air_stations: {},
  water_source_zones: { pane: 'pm-water', weight: 1.2 },
  rivers: { pane: 'pm-lines', color: '#1e88e5', weight: 2.5 },
  river_buffers: { pane: 'pm-zones', color: '#4fc3f7', weight: 1, fillColor: '#b3e5fc', fillOpacity: 0.4 },
  red_lines: { pane: 'pm-zones', color: '#c62828', weight: 1.8, fillColor: '#ef9a9a', fillOpacity: 0.3 },
  nature_reserves: { pane: 'pm-zones', color: '#2e7d32', weight: 1.2, fillColor: '#a5d6a7', fillOpacity: 0.4 },
  spring_zones: { pane: 'pm-zones', color: '#00897b', weight: 1.2, fillColor: '#80cbc4', fillOpacity: 0.35 },
  basic_farmland: { pane: 'pm-areas', color: '#9e9d24', weight: 0.8, fillColor: '#e6ee9c', fillOpacity: 0.45 },
  industrial_parks: { pane: 'pm-areas', color: '#7e57c2', weight: 1.5, fillColor: '#d1c4e9', fillOpacity: 0.55 },
  planning_areas: { pane: 'pm-areas', color: '#8d6e63', weight: 1.5, dashArray: '4 4', fill: false },
  built_up_areas: { pane: 'pm-areas', color: '#a1887f', weight: 1, fillColor: '#d7ccc8', fillOpacity: 0.6 },
  admin_boundaries: { pane: 'pm-boundaries', color: '#56606e', weight: 1.6, dashArray: '6 4', fillColor: '#fdfcf7', fillOpacity: 0.75 },
};
const DEFAULT_STYLE = { pane: 'pm-zones', color: '#607d8b', weight: 1.2, fillColor: '#cfd8dc', fillOpacity: 0.35 };
const styleOf = (id) => (STYLES[id] && STYLES[id].pane ? STYLES[id] : DEFAULT_STYLE);

// Drinking-water zones by grade, darkest first; the larger, outer zones are drawn underneath.
const WATER_GRADES = [
  { value: '一级', color: '#0b3d91', fillOpacity: 0.8 },
  { value: '二级', color: '#2f74d0', fillOpacity: 0.55 },
  { value: '准保护区', color: '#8fbdf2', fillOpacity: 0.5 },
];

// The glyph of each enterprise symbol. Which industries a symbol stands for is the server's (/api/industries
// symbols: the first whose categories take the class wins; the tiles carry each firm's symbol).
const GLYPHS = { coke: '焦', chem: '化', steel: '钢', nonferrous: '冶', kiln: '窑', mining: '矿', power: '电', livestock: '牧', other: '企' };

// River control distances (metres) drawn around the rivers: 岸线管控范围 and the 生态缓冲带 of 吕梁's plan.
const RIVER_BANDS = [
  { metres: 1000, color: '#90caf9', opacity: 0.35 },
  { metres: 50, color: '#42a5f5', opacity: 0.45 },
  { metres: 30, color: '#1565c0', opacity: 0.45 },
];

// The simple basemap: what the loaded layers say of the country (divisions, built-up areas, rivers), light and
// labelled, under everything; drawn from the server's own data, so it needs no internet.
const SIMPLE_BASE = [
  { id: 'admin_boundaries', style: { color: '#9aa3ad', weight: 1.2, fillColor: '#f7f5ef', fillOpacity: 1 }, label: 'base-label-area' },
  { id: 'built_up_areas', style: { color: '#d6d0c8', weight: 0.8, fillColor: '#ebe6df', fillOpacity: 1 }, label: 'base-label-place' },
  { id: 'rivers', style: { color: '#9cc7ea', weight: 2.5 }, label: 'base-label-river' },
];

let map;
let catalogue = [];
let industryByCode = new Map();
let symbols = [];
const state = { layers: {}, feeds: {}, markers: new Map(), serverClusters: null, riverBands: null, basemaps: {},
  basemap: 'none', focus: null };

/** The Leaflet layer of each catalogue layer, by id (exposed to tests as pollumap.layers). */
export const layers = state.layers;

export function createMap(element) {
  map = L.map(element, { minZoom: 5, maxZoom: 18, zoomSnap: 0.5, worldCopyJump: false });
  for (const [name, z] of Object.entries(PANES)) map.createPane(name).style.zIndex = z;
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([37.14, 111.78], 10);
  map.on('zoomend', sizeRiverBands);
  // An open popup is rebuilt in the new language.
  let openPopup = null;
  map.on('popupopen', (e) => { openPopup = e.popup; });
  map.on('popupclose', () => { openPopup = null; });
  onLangChange(() => openPopup && openPopup.update());
  return map;
}

/** Reads the layer catalogue (titles, fields, counts, extents); industries give the enterprise symbols. */
export async function loadCatalogue(industries) {
  symbols = industries.symbols;
  industryByCode = new Map();
  for (const industry of industries.industries) {
    industryByCode.set(industry.code, industry);
    industry.formerCodes.forEach((code) => industryByCode.set(code, industry));
  }
  catalogue = sortByStyleOrder(await api.get('/api/layers'));
  return catalogue;
}

/** Fits the map to the data and draws every layer that has features; resolves when the first view is drawn. */
export async function drawLayers() {
  fitToData();
  const ids = catalogue.filter((layer) => layer.count > 0).map((layer) => layer.id);
  // Added bottom to top, so that overlapping layers of one pane always stack the same way.
  [...ids].reverse().forEach(ensureLayer);
  if (state.basemap === 'simple') drawSimpleBase();
  renderSwitcher();
  await Promise.all(ids.map((id) => loaded(state.feeds[id])));
}

function sortByStyleOrder(list) {
  const order = Object.keys(STYLES);
  const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length);
  return list.sort((a, b) => rank(a.id) - rank(b.id));
}

export function layerInfo(id) {
  return catalogue.find((layer) => layer.id === id);
}

export function allLayers() {
  return catalogue;
}

/** The layer `id` on the map, with the feed of tiles that fills it for the view (made once). */
function ensureLayer(id) {
  if (state.layers[id]) return;
  let layer;
  let feed;
  if (id === 'enterprises') {
    layer = enterpriseLayer();
    state.serverClusters = L.layerGroup();
    feed = new TileFeed(id, enterpriseHandlers());
    layer.on('add', () => map.addLayer(state.serverClusters));
    layer.on('remove', () => map.removeLayer(state.serverClusters));
  } else {
    layer = L.geoJSON(null, geoJsonOptions(id));
    feed = new TileFeed(id, featureHandlers(layer, () => {
      if (id === 'water_source_zones') stackByGrade(layer);
      if (id === 'rivers' && state.riverBands && map.hasLayer(state.riverBands)) drawRiverBands();
      showDense(id);
    }));
  }
  // the tiles are fetched while the layer is shown, and only then
  layer.on('add', () => map.addLayer(feed));
  layer.on('remove', () => map.removeLayer(feed));
  state.layers[id] = layer;
  state.feeds[id] = feed;
  layer.addTo(map);
}

/** Draws the features of a feed into a GeoJSON layer and takes them away again; `changed` after each tile. */
function featureHandlers(layer, changed) {
  const drawn = new Map();
  let added = null;
  layer.on('layeradd', (e) => { added = e.layer; });
  let pending = false;
  return {
    add(key, feature) {
      added = null;
      layer.addData(feature);
      if (added) drawn.set(key, added);
    },
    remove(key) {
      const sub = drawn.get(key);
      if (sub) layer.removeLayer(sub);
      drawn.delete(key);
    },
    // once per frame, however many tiles came
    changed() {
      if (pending || !changed) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        changed();
      });
    },
  };
}

/** Says on the layer's row of the switcher when part of the view has more of its features than the map draws. */
function showDense(id) {
  const row = switcher && switcher.querySelector(`.layer-row[data-layer="${id}"]`);
  if (row) row.classList.toggle('dense', !!(state.feeds[id] && state.feeds[id].dense.size));
}

/** Fits the map to the features an import brought into a layer. */
export async function showImport(id, importId) {
  const { extent } = await api.get(`/api/layers/${id}/extent` + api.query({ import: importId }));
  if (!extent) return;
  const [w, s, e, n] = extent;
  frame(L.latLngBounds([[s, w], [n, e]]), 14);
}

/**
 * Flies the map to `bounds` as far in as `maxZoom`, in the part of the map the side panel leaves free: on a narrow
 * screen the open panel lies over the map, and what it shows must not end up under it.
 */
export function frame(bounds, maxZoom = FRAME_MAX_ZOOM, { top = 0 } = {}) {
  if (!bounds || !bounds.isValid()) return;
  const panel = document.getElementById('side-panel');
  const over = panel && getComputedStyle(panel).position === 'absolute' && !document.body.classList.contains('panel-closed');
  const covered = over ? Math.max(0, panel.getBoundingClientRect().right - map.getContainer().getBoundingClientRect().left) : 0;
  map.flyToBounds(bounds, { paddingTopLeft: [covered + 40, 40 + top], paddingBottomRight: [40, 40], maxZoom, duration: 0.6 });
}

/**
 * Room kept at the top of a frame for a popup that opens above what is framed, so that opening it does not push
 * the framed features out of sight (the popup does not pan the map): at most two fifths of the map.
 */
export function popupRoom() {
  return Math.min(POPUP_MAX_HEIGHT + 60, Math.round(map.getSize().y * 0.4));
}

/**
 * Draws one layer again after an import or a rollback (its count and extent may have changed too): its tiles of
 * the view are asked again, and only those that changed come back whole (the others are a 304).
 */
export async function reloadLayer(id) {
  const fresh = await api.get(`/api/layers/${id}`);
  const index = catalogue.findIndex((layer) => layer.id === id);
  if (index >= 0) catalogue[index] = fresh;
  if (fresh.count > 0) {
    if (state.layers[id]) state.feeds[id].redraw();
    else ensureLayer(id);
  } else if (state.layers[id]) {
    map.removeLayer(state.layers[id]);
    delete state.layers[id];
    delete state.feeds[id];
  }
  if (state.basemap === 'simple' && SIMPLE_BASE.some((b) => b.id === id)) drawSimpleBase();
  renderSwitcher();
}

function gradeRank(grade) {
  const index = WATER_GRADES.findIndex((g) => g.value === grade);
  return index < 0 ? WATER_GRADES.length : index;
}

/** Drinking-water zones drawn outermost grade first, so that the inner zones lie on top. */
function stackByGrade(layer) {
  layer.getLayers().sort((a, b) => gradeRank(b.feature.properties.grade) - gradeRank(a.feature.properties.grade))
    .forEach((zone) => zone.bringToFront());
}

function pathStyle(id, feature) {
  const base = { ...styleOf(id), className: `layer-${id}` };
  if (id === 'water_source_zones') {
    const grade = WATER_GRADES[Math.min(gradeRank(feature.properties.grade), WATER_GRADES.length - 1)];
    return { ...base, color: grade.color, fillColor: grade.color, fillOpacity: grade.fillOpacity };
  }
  if (id === 'rivers') return { ...base, weight: feature.properties.level === '干流' ? 3.5 : 2 };
  return base;
}

function geoJsonOptions(id) {
  const options = {
    pane: styleOf(id).pane,
    style: (feature) => pathStyle(id, feature),
    onEachFeature: (feature, layer) => {
      layer.bindPopup(() => popupFor(id, feature), { maxWidth: 380 });
      const name = feature.properties.name;
      if (id === 'admin_boundaries' && name) {
        layer.bindTooltip(name, { permanent: true, direction: 'center', className: 'county-label', interactive: false });
      } else if (name) {
        layer.bindTooltip(name, { sticky: true, className: 'feature-tooltip' });
      }
    },
  };
  if (id === 'air_stations') {
    options.pointToLayer = (feature, latlng) => L.marker(latlng, {
      icon: L.divIcon({ className: 'layer-air_stations air-station-marker', html: '<span></span>', iconSize: [22, 22] }),
    });
  } else {
    options.pointToLayer = (feature, latlng) => L.circleMarker(latlng, { radius: 6 });
  }
  return options;
}

// ---- enterprises ----

// A cluster is coloured by the category most of its firms belong to, and says how many of them the current search
// picked out and how many breach a rule: a breach inside a cluster stays visible. Its icon is built from the
// markers it holds, so this works on whatever markers are on the map, not on a feature list.
function enterpriseLayer() {
  return L.markerClusterGroup({
    disableClusteringAtZoom: FOCUS_ZOOM,
    maxClusterRadius: 60,
    showCoverageOnHover: false,
    chunkedLoading: true,
    iconCreateFunction: clusterIcon,
  });
}

function clusterIcon(cluster) {
  const children = cluster.getAllChildMarkers();
  const byCategory = new Map();
  let focused = 0;
  const breaches = { PROHIBITED: 0, RESTRICTED: 0 };
  for (const marker of children) {
    const key = marker.options.category || 'other';
    byCategory.set(key, (byCategory.get(key) || 0) + 1);
    if (marker.options.focused) focused += 1;
    if (marker.options.breach in breaches) breaches[marker.options.breach] += 1;
  }
  const dominant = [...byCategory].sort((a, b) => b[1] - a[1])[0][0];
  const n = children.length;
  const size = n < 10 ? 32 : n < 100 ? 38 : 44;
  const breached = breaches.PROHIBITED + breaches.RESTRICTED;
  const classes = ['layer-enterprises', 'enterprise-cluster', `cat-${dominant}`];
  if (state.focus && !focused) classes.push('dimmed');
  if (state.focus && focused) classes.push('focused');
  const html = `<span class="cluster-count">${n}</span>`
    + (state.focus && focused ? `<span class="cluster-focus" title="${t('legend.clusterFocus')}">${focused}</span>` : '')
    + (breached ? `<span class="cluster-breaches outcome-${breaches.PROHIBITED ? 'PROHIBITED' : 'RESTRICTED'}" `
      + `title="${t('legend.clusterBreaches')}">${breached}</span>` : '');
  return L.divIcon({ html, className: classes.join(' '), iconSize: [size, size] });
}

/** The symbol of an industry code (焦化, 化工, ... or 其他): the first whose categories take the class. */
export function categoryOf(industryCode) {
  const industry = industryByCode.get(industryCode);
  const categories = industry ? industry.categories : [];
  const symbol = symbols.find((s) => s.categories.some((c) => categories.includes(c)));
  return symbolOf(symbol ? symbol.key : 'other');
}

function symbolOf(key) {
  return { key, glyph: GLYPHS[key] || GLYPHS.other };
}

export function industryOf(code) {
  return industryByCode.get(code);
}

/** A firm's symbol: its category, key unit, closed; picked out by a search (focused) and ringed when in breach. */
function enterpriseIcon(properties, flags = {}) {
  const category = symbolOf(properties.symbol);
  const classes = ['layer-enterprises', 'enterprise-marker', `cat-${category.key}`];
  if (properties.key_unit && properties.key_unit.length) classes.push('key-unit');
  if (properties.status === '关闭') classes.push('is-closed');
  if (flags.focused) classes.push('focused');
  if (flags.breach) classes.push('breach', `breach-${flags.breach}`);
  return L.divIcon({ className: classes.join(' '), html: `<span>${category.glyph}</span>`, iconSize: [24, 24] });
}

/**
 * Puts the firms of the view's tiles on the map, and the server's clusters where a tile holds too many firms to
 * draw one by one. Firms join the cluster group a tile at a time (one by one it would re-cluster each time).
 */
function enterpriseHandlers() {
  const coming = [];
  const going = [];
  const clusters = new Map();
  return {
    keyOf: (feature, z) => (feature.properties.count === undefined ? `e${feature.id}` : `c${z}/${feature.id}`),
    add(key, feature) {
      if (feature.properties.count !== undefined) {
        const marker = serverCluster(feature);
        clusters.set(key, marker);
        state.serverClusters.addLayer(marker);
        return;
      }
      const [lon, lat] = feature.geometry.coordinates;
      // the flags set before the markers came (a search, the violation list) apply to them too
      const flags = { focused: flagOf.focused(feature.id), breach: flagOf.breach(feature.id) };
      const marker = L.marker([lat, lon], { icon: enterpriseIcon(feature.properties, flags), title: feature.properties.name,
        category: feature.properties.symbol, ...flags });
      marker.feature = feature;
      marker.bindPopup(() => popupFor('enterprises', feature), { maxWidth: 400 });
      state.markers.set(feature.id, marker);
      coming.push(marker);
    },
    remove(key, feature) {
      if (clusters.has(key)) {
        state.serverClusters.removeLayer(clusters.get(key));
        clusters.delete(key);
        return;
      }
      const marker = state.markers.get(feature.id);
      if (!marker) return;
      state.markers.delete(feature.id);
      going.push(marker);
    },
    changed() {
      const group = state.layers.enterprises;
      if (going.length) group.removeLayers(going.splice(0));
      if (coming.length) group.addLayers(coming.splice(0));
    },
  };
}

/** A cluster counted by the server: its firms, the breaches among them, their most frequent symbol; a click zooms in. */
function serverCluster(feature) {
  const { count, breaches, symbol } = feature.properties;
  const size = count < 100 ? 38 : count < 1000 ? 44 : 50;
  const html = `<span class="cluster-count">${formatNumber(count)}</span>`
    + (breaches ? `<span class="cluster-breaches outcome-PROHIBITED" title="${t('legend.clusterBreaches')}">${breaches}</span>` : '');
  const [lon, lat] = feature.geometry.coordinates;
  const marker = L.marker([lat, lon], { icon: L.divIcon({ html, iconSize: [size, size],
    className: `layer-enterprises enterprise-cluster server-cluster cat-${symbol}${state.focus ? ' dimmed' : ''}` }) });
  marker.on('click', () => map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, FOCUS_ZOOM)));
  return marker;
}

/** The value of each marker flag for an enterprise id, kept for markers drawn later (a layer reloaded). */
const flagOf = { focused: () => null, breach: () => null };

/**
 * Sets a flag on the enterprise markers present on the map: `wanted(id)` gives its value for each, and only the
 * markers whose value changes get a new icon; the clusters are then redrawn with their counts.
 */
function flagMarkers(flag, wanted) {
  flagOf[flag] = wanted;
  let changed = false;
  for (const [id, marker] of state.markers) {
    const value = wanted(id);
    if ((marker.options[flag] || null) !== (value || null)) {
      marker.options[flag] = value;
      marker.setIcon(enterpriseIcon(marker.feature.properties, marker.options));
      changed = true;
    }
  }
  if (changed && state.layers.enterprises) state.layers.enterprises.refreshClusters();
}

/**
 * Picks out the enterprises whose ids are given (a search result) and dims the others; null picks out none and
 * dims none. Returns how many of them are on the map.
 */
export function focusEnterprises(ids) {
  const wanted = ids ? new Set(ids) : null;
  state.focus = wanted;
  map.getContainer().classList.toggle('has-focus', !!wanted);
  flagMarkers('focused', (id) => (wanted && wanted.has(id)) || null);
  return wanted ? [...wanted].filter((id) => state.markers.has(id)).length : 0;
}

/** Rings the firms in breach: `byId` maps an enterprise id to PROHIBITED, RESTRICTED or CONFLICT (存量冲突). */
export function markBreaches(byId) {
  flagMarkers('breach', (id) => byId.get(id) || null);
}

/**
 * Flies to an enterprise and opens its popup. `latlng` is where it is, for a firm whose tile is not yet loaded:
 * the map flies there and opens it once the view's tiles came. False when it is neither on the map nor placed.
 */
export function showEnterprise(id, latlng) {
  const marker = state.markers.get(id);
  if (!marker && !latlng) return false;
  setVisible('enterprises', true);
  map.once('moveend', async () => {
    await loaded(state.feeds.enterprises);
    const shown = state.markers.get(id);
    if (shown) state.layers.enterprises.zoomToShowLayer(shown, () => shown.openPopup());
  });
  map.flyTo(marker ? marker.getLatLng() : latlng, Math.max(map.getZoom(), FOCUS_ZOOM), { duration: 0.6 });
  return true;
}

/**
 * Opens an enterprise's popup where the map is, without zooming in or panning (what the map was framed on stays in
 * sight): above its marker, or at its place over the cluster that holds it; at `latlng` when its tile has not come.
 */
export function openEnterprisePopup(id, latlng) {
  const marker = state.markers.get(id);
  if (!marker && !latlng) return false;
  const group = state.layers.enterprises;
  const alone = marker && map.hasLayer(group) && group.getVisibleParent(marker) === marker;
  L.popup({ maxWidth: 400, maxHeight: POPUP_MAX_HEIGHT, autoPan: false, offset: [0, alone ? -8 : 0] })
    .setLatLng(marker ? marker.getLatLng() : latlng)
    .setContent(() => popupFor('enterprises', marker ? marker.feature : { id, properties: {} })).openOn(map);
  return true;
}

/** Where an enterprise is, when it is on the map. */
export function enterpriseLatLng(id) {
  const marker = state.markers.get(id);
  return marker ? marker.getLatLng() : null;
}

// ---- popups ----

const popupExtras = [];

/**
 * Adds a part to the popups: `extra(layerId, feature)` returns an element shown under the popup's title (it may
 * fill it later), or null. The violation list adds the rules a firm breaks.
 */
export function addPopupExtra(extra) {
  popupExtras.push(extra);
}

/** The flags a firm's marker carries (breach), for the popup's extras. */
export function markerFlags(id) {
  const marker = state.markers.get(id);
  return marker ? marker.options : {};
}

function formatValue(field, value) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (field.type === 'KEY_UNITS') return value.map((v) => t(`keyUnit.${v}`)).join(lang() === 'en' ? ', ' : '、');
  if (field.type === 'INDUSTRY_CODE') {
    const industry = industryByCode.get(value);
    return industry ? `${value} ${tr(industry)}` : value;
  }
  if (field.type === 'NUMBER') return formatNumber(value);
  return valueLabel(value);
}

/**
 * A feature's popup: drawn at once from what the tile carries, then from the whole record (its data-quality
 * flags, the import that brought it), fetched when the popup opens. The extras (the rules a firm breaks) are
 * made once.
 */
function popupFor(id, feature) {
  const extras = popupExtras.map((extra) => extra(id, feature));
  const box = h('div', { class: `popup popup-${id}`, 'data-feature-id': feature.id });
  const render = (record) => fill(box, popupContent(id, record, extras));
  render(feature);
  api.get(`/ogc/collections/${id}/items/${feature.id}`).then(render, () => {});
  return box;
}

function popupContent(id, feature, extras) {
  const info = layerInfo(id);
  const properties = feature.properties;
  const rows = info.fields.map((field) => h('tr', {},
    h('th', { text: tr(field.title) }), h('td', { text: formatValue(field, properties[field.name]) })));
  const heading = [h('div', { class: 'popup-layer', text: tr(info.title) }),
    h('h3', { class: 'popup-title', text: properties.name || tr(info.title) })];
  if (id === 'enterprises' && properties.name) {
    const category = categoryOf(properties.industry_code);
    heading.push(h('div', { class: 'popup-tags' },
      h('span', { class: `tag cat-${category.key}`, text: t(`cat.${category.key}`) }),
      properties.status ? h('span', { class: `tag status-${properties.status === '关闭' ? 'closed' : 'open'}`, text: valueLabel(properties.status) }) : null,
      properties.key_unit && properties.key_unit.length ? h('span', { class: 'tag key-unit', text: t('legend.keyUnit') }) : null));
  }
  const flags = properties.quality || [];
  if (flags.length || properties.flagged) heading.push(h('div', { class: 'popup-tags' }, h('span', { class: 'tag quality', text: t('popup.quality') })));
  return [heading, extras,
    h('table', { class: 'popup-fields' }, h('tbody', {}, rows)),
    flags.length ? h('ul', { class: 'popup-quality' }, flags.map((f) => h('li', { text: tr(f.issue) }))) : null,
    h('div', { class: 'popup-foot', text: t('popup.import', { id: properties.import_id ?? '—' }) })];
}

// ---- river control distances ----

function metresPerPixel() {
  const lat = map.getCenter().lat * Math.PI / 180;
  return 40075016.686 * Math.cos(lat) / 2 ** (map.getZoom() + 8);
}

// A line stroked with round caps and joins at twice the distance is that distance's buffer, so the bands are
// the rivers drawn again with a width in pixels that follows the zoom.
function drawRiverBands() {
  state.riverBands.clearLayers();
  for (const band of RIVER_BANDS) {
    state.riverBands.addLayer(L.geoJSON(state.feeds.rivers ? state.feeds.rivers.present() : [], {
      pane: 'pm-buffers',
      interactive: false,
      style: () => ({ className: `layer-river-control band-${band.metres}`, color: band.color, opacity: band.opacity,
        lineCap: 'round', lineJoin: 'round', noClip: true, weight: 1 }),
    }));
  }
  sizeRiverBands();
}

function sizeRiverBands() {
  if (!state.riverBands || !map.hasLayer(state.riverBands)) return;
  const mpp = metresPerPixel();
  state.riverBands.getLayers().forEach((group, i) => group.setStyle({ weight: Math.max(1, 2 * RIVER_BANDS[i].metres / mpp) }));
}

function showRiverBands(on) {
  if (!state.riverBands) state.riverBands = L.featureGroup();
  if (on) {
    state.riverBands.addTo(map);
    drawRiverBands();
  } else {
    state.riverBands.remove();
  }
}

// ---- basemaps ----

/**
 * The basemaps: the simple one drawn from the loaded layers is always there; 天地图 with a key and any tile URL
 * (XYZ or WMTS, e.g. a bureau's intranet tiles) when the server is configured with them.
 */
export function setUpBasemaps(config) {
  const basemap = config.basemap || {};
  state.basemaps.simple = L.layerGroup();
  if (basemap.tiandituKey) {
    const key = encodeURIComponent(basemap.tiandituKey);
    const wmts = (layer) => `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0`
      + `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${key}`;
    const options = { subdomains: '01234567', maxZoom: 18, attribution: '天地图 Tianditu' };
    state.basemaps.tianditu = L.layerGroup([L.tileLayer(wmts('vec'), options), L.tileLayer(wmts('cva'), options)]);
  }
  if (basemap.xyzUrl) {
    state.basemaps.xyz = L.tileLayer(basemap.xyzUrl, { maxZoom: 18, attribution: basemap.xyzAttribution || '' });
    state.xyzName = basemap.xyzName;
  }
  const saved = localStorage.getItem('pollumap.basemap');
  const tiled = Object.keys(state.basemaps).find((id) => id !== 'simple');
  selectBasemap(saved && (saved === 'none' || state.basemaps[saved]) ? saved : tiled || 'simple');
}

function selectBasemap(id) {
  Object.values(state.basemaps).forEach((layer) => layer.remove());
  if (state.basemaps[id]) state.basemaps[id].addTo(map);
  state.basemap = id;
  map.getContainer().classList.toggle('no-basemap', id === 'none');
  localStorage.setItem('pollumap.basemap', id);
  if (id === 'simple') drawSimpleBase();
}

/** The simple basemap, drawn from the tiles of the view of its layers like the layers themselves. */
function drawSimpleBase() {
  const group = state.basemaps.simple;
  group.clearLayers();
  for (const base of SIMPLE_BASE.filter((b) => (layerInfo(b.id) || {}).count > 0)) {
    const layer = L.geoJSON(null, {
      pane: 'pm-base',
      interactive: false,
      style: () => ({ ...base.style, className: `simple-base base-${base.id}` }),
      onEachFeature: (feature, drawn) => {
        const name = feature.properties.name;
        if (name) drawn.bindTooltip(name, { permanent: true, direction: 'center', className: `base-label ${base.label}`, interactive: false });
      },
    });
    group.addLayer(layer);
    group.addLayer(new TileFeed(base.id, featureHandlers(layer)));
  }
}

// ---- initial view ----

function fitToData() {
  const primary = layerInfo('enterprises');
  const extents = primary && primary.extent ? [primary.extent] : catalogue.filter((l) => l.extent).map((l) => l.extent);
  if (!extents.length) return;
  const bounds = L.latLngBounds(extents.flatMap(([w, s, e, n]) => [[s, w], [n, e]]));
  // at once, not animated: the tiles are then asked for the view the map will show
  map.fitBounds(bounds, { padding: [20, 20], animate: false });
}

// ---- switcher and legend ----

let switcher;

function setVisible(id, visible) {
  const layer = state.layers[id];
  if (!layer) return;
  if (visible) map.addLayer(layer);
  else map.removeLayer(layer);
  map.getContainer().classList.toggle(`hidden-${id}`, !visible);
  const box = document.getElementById(`layer-toggle-${id}`);
  if (box) box.checked = visible;
}

function swatch(id) {
  if (id === 'enterprises') return h('span', { class: 'swatch-marker enterprise-marker cat-other' }, h('span', { text: '企' }));
  if (id === 'air_stations') return h('span', { class: 'swatch swatch-air' });
  const style = styleOf(id);
  if (id === 'water_source_zones') return h('span', { class: 'swatch', style: `background:${WATER_GRADES[1].color};border-color:${WATER_GRADES[0].color}` });
  if (id === 'rivers') return h('span', { class: 'swatch swatch-line', style: `background:${style.color}` });
  const fillColor = style.fill === false ? 'transparent' : style.fillColor;
  return h('span', { class: 'swatch', style: `background:${fillColor};border-color:${style.color}${style.dashArray ? ';border-style:dashed' : ''}` });
}

function subLegend(id) {
  if (id === 'water_source_zones') {
    return h('ul', { class: 'legend' }, WATER_GRADES.map((g) => h('li', {},
      h('span', { class: 'swatch', style: `background:${g.color};opacity:${Math.max(g.fillOpacity, 0.6)}` }), valueLabel(g.value))));
  }
  if (id === 'enterprises') {
    return h('ul', { class: 'legend legend-grid' },
      Object.entries(GLYPHS).map(([key, glyph]) => h('li', {}, h('span', { class: `swatch-marker enterprise-marker cat-${key}` }, h('span', { text: glyph })), t(`cat.${key}`))),
      h('li', {}, h('span', { class: 'swatch-marker enterprise-marker cat-other key-unit' }, h('span', { text: '企' })), t('legend.keyUnit')),
      h('li', {}, h('span', { class: 'swatch-marker enterprise-marker cat-other is-closed' }, h('span', { text: '企' })), t('legend.closed')),
      h('li', { class: 'legend-wide' }, h('span', { class: 'swatch-marker enterprise-cluster cat-coke' }, h('span', { class: 'cluster-count', text: '12' })), t('legend.cluster')),
      h('li', { class: 'legend-breach legend-wide', id: 'legend-breach-PROHIBITED' },
        h('span', { class: 'swatch-marker enterprise-marker cat-other breach breach-PROHIBITED' }, h('span', { text: '企' })), t('legend.breachProhibited')),
      h('li', { class: 'legend-breach legend-wide', id: 'legend-breach-RESTRICTED' },
        h('span', { class: 'swatch-marker enterprise-marker cat-other breach breach-RESTRICTED' }, h('span', { text: '企' })), t('legend.breachRestricted')),
      h('li', { class: 'legend-breach legend-wide', id: 'legend-breach-CONFLICT' },
        h('span', { class: 'swatch-marker enterprise-marker cat-other breach breach-CONFLICT' }, h('span', { text: '企' })), t('legend.conflict')),
      h('li', { class: 'legend-breach legend-wide', id: 'legend-cluster-breaches' },
        h('span', { class: 'swatch-marker enterprise-cluster cat-other' }, h('span', { class: 'cluster-count', text: '12' }),
          h('span', { class: 'cluster-breaches outcome-PROHIBITED', text: '2' })), t('legend.clusterBreaches')));
  }
  return null;
}

function switcherRow(layer) {
  const empty = layer.count === 0 || !state.layers[layer.id];
  const box = h('input', { type: 'checkbox', id: `layer-toggle-${layer.id}`, disabled: empty,
    checked: !empty && map.hasLayer(state.layers[layer.id]), onchange: (e) => setVisible(layer.id, e.target.checked) });
  return h('li', { class: `layer-row${empty ? ' empty' : ''}`, 'data-layer': layer.id },
    h('label', { class: 'layer-label' }, box, swatch(layer.id),
      h('span', { class: 'layer-name', text: tr(layer.title) }),
      h('span', { class: 'layer-count', text: empty ? t('layers.empty') : formatNumber(layer.count) })),
    empty ? null : h('span', { class: 'layer-dense hint', text: t('layers.zoomIn') }),
    empty ? null : subLegend(layer.id));
}

// The layers with features, then one folded line for those without, so that empty layers do not fill the list.
function renderSwitcher() {
  if (!switcher) return;
  const isEmpty = (layer) => layer.count === 0 || !state.layers[layer.id];
  const empty = catalogue.filter(isEmpty);
  const wasOpen = !!switcher.querySelector('#layers-empty[open]');
  fill(switcher, catalogue.filter((layer) => !isEmpty(layer)).map(switcherRow),
    empty.length ? h('li', { class: 'layer-group' }, h('details', { id: 'layers-empty', class: 'layers-empty', open: wasOpen },
      h('summary', { text: t('layers.emptyGroup', { n: empty.length }) }),
      h('p', { class: 'hint', text: t('layers.emptyHint') }),
      h('ul', { class: 'layer-list' }, empty.map(switcherRow)))) : null);
  catalogue.forEach((layer) => showDense(layer.id));
}

function basemapChoices() {
  const choices = [['simple', t('basemap.simple')], ['none', t('basemap.none')]];
  if (state.basemaps.tianditu) choices.push(['tianditu', t('basemap.tianditu')]);
  if (state.basemaps.xyz) choices.push(['xyz', state.xyzName || t('basemap.xyz')]);
  return choices;
}

/** The 图层 panel: the switcher with its legend, the river control distances, the basemap choice. */
export function renderLayersPanel(container) {
  switcher = h('ul', { class: 'layer-list', id: 'layer-list' });
  const bandsToggle = h('input', { type: 'checkbox', id: 'river-bands-toggle', checked: !!(state.riverBands && map.hasLayer(state.riverBands)),
    onchange: (e) => showRiverBands(e.target.checked) });
  const bands = h('section', { class: 'panel-section' },
    h('h3', { 'data-i18n': 'layers.riverControl' }),
    h('label', { class: 'check' }, bandsToggle, h('span', { 'data-i18n': 'layers.showRiverControl' })),
    h('ul', { class: 'legend' }, RIVER_BANDS.map((band) => h('li', {},
      h('span', { class: 'swatch swatch-line', style: `background:${band.color}` }),
      h('span', { 'data-i18n': `layers.band${band.metres}` })))),
    h('p', { class: 'hint', 'data-i18n': 'layers.riverControlHint' }));
  const basemapList = h('div', { class: 'radio-list', id: 'basemap-choices' });
  const renderBasemaps = () => fill(basemapList, basemapChoices().map(([id, label]) => h('label', { class: 'check' },
    h('input', { type: 'radio', name: 'basemap', value: id, checked: state.basemap === id, onchange: () => selectBasemap(id) }),
    h('span', { text: label }))));
  const basemaps = h('section', { class: 'panel-section' },
    h('h3', { 'data-i18n': 'basemap.title' }), basemapList,
    h('p', { class: 'hint', 'data-i18n': 'basemap.simpleHint' }),
    Object.keys(state.basemaps).length > 1 ? null : h('p', { class: 'hint', 'data-i18n': 'basemap.noneConfigured' }),
    h('p', { class: 'notice warn small', 'data-i18n': 'basemap.gcjWarning' }));
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.layers' }), switcher),
    bands, basemaps);
  renderSwitcher();
  renderBasemaps();
  onLangChange(() => {
    renderSwitcher();
    renderBasemaps();
  });
}
