// The map: our own layers drawn on a plain background (it must work with no internet), an optional online
// basemap, the layer switcher with its legend, popups titled by the layer's field titles, and the river
// control distances drawn on demand.
import * as api from './api.js';
import { formatNumber, lang, onLangChange, t, tr, valueLabel } from './i18n.js';
import { fill, h } from './ui.js';

const PAGE = 10000;
/** Zoom at which enterprises stop clustering and a search result is shown. */
const FOCUS_ZOOM = 16;

// Panes, bottom to top; markers (600), tooltips and popups stay above them.
const PANES = {
  'pm-boundaries': 360, 'pm-areas': 380, 'pm-zones': 400, 'pm-buffers': 405, 'pm-water': 410, 'pm-lines': 420,
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

// Enterprise symbols by industry category (from /api/industries); the first category that matches wins.
const ENTERPRISE_CATEGORIES = [
  { key: 'coke', match: ['焦化'], glyph: '焦' },
  { key: 'chem', match: ['化工'], glyph: '化' },
  { key: 'steel', match: ['钢铁', '铸造'], glyph: '钢' },
  { key: 'nonferrous', match: ['有色金属冶炼'], glyph: '冶' },
  { key: 'kiln', match: ['水泥', '建材窑炉'], glyph: '窑' },
  { key: 'mining', match: ['采矿', '洗煤'], glyph: '矿' },
  { key: 'power', match: ['火电'], glyph: '电' },
  { key: 'livestock', match: ['畜禽养殖'], glyph: '牧' },
  { key: 'other', match: [], glyph: '企' },
];

// River control distances (metres) drawn around the rivers: 岸线管控范围 and the 生态缓冲带 of 吕梁's plan.
const RIVER_BANDS = [
  { metres: 1000, color: '#90caf9', opacity: 0.35 },
  { metres: 50, color: '#42a5f5', opacity: 0.45 },
  { metres: 30, color: '#1565c0', opacity: 0.45 },
];

let map;
let catalogue = [];
let industryByCode = new Map();
const state = { layers: {}, data: {}, markers: new Map(), riverBands: null, basemaps: {}, basemap: 'none' };

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
  industryByCode = new Map();
  for (const industry of industries.industries) {
    industryByCode.set(industry.code, industry);
    industry.formerCodes.forEach((code) => industryByCode.set(code, industry));
  }
  catalogue = sortByStyleOrder(await api.get('/api/layers'));
  return catalogue;
}

/** Draws every layer that has features and fits the map to the data. */
export async function drawLayers() {
  const ids = catalogue.filter((layer) => layer.count > 0).map((layer) => layer.id);
  const fetched = await Promise.all(ids.map(fetchFeatures));
  // Added bottom to top, so that overlapping layers of one pane always stack the same way.
  ids.map((id, i) => [id, fetched[i]]).reverse().forEach(([id, features]) => drawLayer(id, features));
  fitToData();
  renderSwitcher();
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

async function fetchFeatures(id) {
  const features = [];
  // pages are found by the server's next links (key-based), never by offset
  for (let url = `/ogc/collections/${id}/items?limit=${PAGE}`; url;) {
    const page = await api.get(url);
    features.push(...page.features);
    const next = page.links.find((link) => link.rel === 'next');
    url = next ? next.href : null;
  }
  return features;
}

function drawLayer(id, features) {
  state.data[id] = features;
  let layer = state.layers[id];
  if (!layer) {
    layer = id === 'enterprises' ? enterpriseLayer() : L.geoJSON(null, geoJsonOptions(id));
    state.layers[id] = layer;
    layer.addTo(map);
  }
  layer.clearLayers();
  if (id === 'enterprises') addEnterprises(layer, features);
  else layer.addData(id === 'water_source_zones' ? [...features].sort(byGradeOutermostFirst) : features);
  if (id === 'rivers' && state.riverBands) drawRiverBands();
}

/** Fits the map to the features an import brought into a layer. */
export function showImport(id, importId) {
  const features = (state.data[id] || []).filter((f) => f.properties.import_id === importId);
  if (!features.length) return;
  const bounds = L.geoJSON(features).getBounds();
  map.flyToBounds(bounds, { padding: [60, 60], maxZoom: 14, duration: 0.6 });
}

/** Reloads one layer after an import or a rollback (its count and extent may have changed too). */
export async function reloadLayer(id) {
  const fresh = await api.get(`/api/layers/${id}`);
  const index = catalogue.findIndex((layer) => layer.id === id);
  if (index >= 0) catalogue[index] = fresh;
  if (fresh.count > 0) {
    drawLayer(id, await fetchFeatures(id));
  } else if (state.layers[id]) {
    state.layers[id].clearLayers();
    state.data[id] = [];
  }
  renderSwitcher();
}

function gradeRank(grade) {
  const index = WATER_GRADES.findIndex((g) => g.value === grade);
  return index < 0 ? WATER_GRADES.length : index;
}

function byGradeOutermostFirst(a, b) {
  return gradeRank(b.properties.grade) - gradeRank(a.properties.grade);
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
      layer.bindPopup(() => popupContent(id, feature), { maxWidth: 380 });
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

function enterpriseLayer() {
  return L.markerClusterGroup({
    disableClusteringAtZoom: FOCUS_ZOOM,
    maxClusterRadius: 45,
    showCoverageOnHover: false,
    chunkedLoading: true,
    iconCreateFunction: (cluster) => {
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 100 ? 36 : 42;
      return L.divIcon({ html: `<span>${n}</span>`, className: 'layer-enterprises enterprise-cluster', iconSize: [size, size] });
    },
  });
}

/** The symbol category of an industry code (焦化, 化工, ... or 其他). */
export function categoryOf(industryCode) {
  const industry = industryByCode.get(industryCode);
  const categories = industry ? industry.categories : [];
  return ENTERPRISE_CATEGORIES.find((c) => c.match.some((m) => categories.includes(m))) || ENTERPRISE_CATEGORIES.at(-1);
}

export function industryOf(code) {
  return industryByCode.get(code);
}

function enterpriseIcon(properties) {
  const category = categoryOf(properties.industry_code);
  const classes = ['layer-enterprises', 'enterprise-marker', `cat-${category.key}`];
  if (properties.key_unit && properties.key_unit.length) classes.push('key-unit');
  if (properties.status === '关闭') classes.push('is-closed');
  return L.divIcon({ className: classes.join(' '), html: `<span>${category.glyph}</span>`, iconSize: [24, 24] });
}

function addEnterprises(group, features) {
  state.markers.clear();
  const markers = features.map((feature) => {
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.marker([lat, lon], { icon: enterpriseIcon(feature.properties), title: feature.properties.name });
    marker.bindPopup(() => popupContent('enterprises', feature), { maxWidth: 380 });
    state.markers.set(feature.id, marker);
    return marker;
  });
  group.addLayers(markers);
}

/** Flies to an enterprise and opens its popup; false when it is not on the map. */
export function showEnterprise(id) {
  const marker = state.markers.get(id);
  if (!marker) return false;
  setVisible('enterprises', true);
  map.once('moveend', () => state.layers.enterprises.zoomToShowLayer(marker, () => marker.openPopup()));
  map.flyTo(marker.getLatLng(), Math.max(map.getZoom(), FOCUS_ZOOM), { duration: 0.6 });
  return true;
}

// ---- popups ----

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

function popupContent(id, feature) {
  const info = layerInfo(id);
  const properties = feature.properties;
  const rows = info.fields.map((field) => h('tr', {},
    h('th', { text: tr(field.title) }), h('td', { text: formatValue(field, properties[field.name]) })));
  const heading = [h('div', { class: 'popup-layer', text: tr(info.title) }),
    h('h3', { class: 'popup-title', text: properties.name || tr(info.title) })];
  if (id === 'enterprises') {
    const category = categoryOf(properties.industry_code);
    heading.push(h('div', { class: 'popup-tags' },
      h('span', { class: `tag cat-${category.key}`, text: t(`cat.${category.key}`) }),
      properties.status ? h('span', { class: `tag status-${properties.status === '关闭' ? 'closed' : 'open'}`, text: valueLabel(properties.status) }) : null,
      properties.key_unit && properties.key_unit.length ? h('span', { class: 'tag key-unit', text: t('legend.keyUnit') }) : null));
  }
  const flags = properties.quality || [];
  if (flags.length) heading.push(h('div', { class: 'popup-tags' }, h('span', { class: 'tag quality', text: t('popup.quality') })));
  return h('div', { class: `popup popup-${id}`, 'data-feature-id': feature.id },
    heading, h('table', { class: 'popup-fields' }, h('tbody', {}, rows)),
    flags.length ? h('ul', { class: 'popup-quality' }, flags.map((f) => h('li', { text: tr(f.issue) }))) : null,
    h('div', { class: 'popup-foot', text: t('popup.import', { id: properties.import_id ?? '—' }) }));
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
    state.riverBands.addLayer(L.geoJSON(state.data.rivers || [], {
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

/** The online basemaps the server is configured with; the plain background is always there. */
export function setUpBasemaps(config) {
  const basemap = config.basemap || {};
  if (basemap.tiandituKey) {
    const key = encodeURIComponent(basemap.tiandituKey);
    const wmts = (layer) => `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0`
      + `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${key}`;
    const options = { subdomains: '01234567', maxZoom: 18, attribution: '天地图 Tianditu' };
    state.basemaps.tianditu = L.layerGroup([L.tileLayer(wmts('vec'), options), L.tileLayer(wmts('cva'), options)]);
  }
  if (basemap.xyzUrl) {
    state.basemaps.xyz = L.tileLayer(basemap.xyzUrl, { maxZoom: 18, attribution: basemap.xyzAttribution || '' });
  }
  const saved = localStorage.getItem('pollumap.basemap');
  const configured = Object.keys(state.basemaps)[0];
  selectBasemap(saved && (saved === 'none' || state.basemaps[saved]) ? saved : configured || 'none');
}

function selectBasemap(id) {
  Object.values(state.basemaps).forEach((layer) => layer.remove());
  if (state.basemaps[id]) state.basemaps[id].addTo(map);
  state.basemap = id;
  map.getContainer().classList.toggle('no-basemap', id === 'none');
  localStorage.setItem('pollumap.basemap', id);
}

// ---- initial view ----

function fitToData() {
  const primary = layerInfo('enterprises');
  const extents = primary && primary.extent ? [primary.extent] : catalogue.filter((l) => l.extent).map((l) => l.extent);
  if (!extents.length) return;
  const bounds = L.latLngBounds(extents.flatMap(([w, s, e, n]) => [[s, w], [n, e]]));
  map.fitBounds(bounds, { padding: [20, 20] });
}

// ---- switcher and legend ----

let switcher;

function setVisible(id, visible) {
  const layer = state.layers[id];
  if (!layer) return;
  if (visible) map.addLayer(layer);
  else map.removeLayer(layer);
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
      ENTERPRISE_CATEGORIES.map((c) => h('li', {}, h('span', { class: `swatch-marker enterprise-marker cat-${c.key}` }, h('span', { text: c.glyph })), t(`cat.${c.key}`))),
      h('li', {}, h('span', { class: 'swatch-marker enterprise-marker cat-other key-unit' }, h('span', { text: '企' })), t('legend.keyUnit')),
      h('li', {}, h('span', { class: 'swatch-marker enterprise-marker cat-other is-closed' }, h('span', { text: '企' })), t('legend.closed')),
      h('li', {}, h('span', { class: 'swatch-marker enterprise-cluster' }, h('span', { text: '12' })), t('legend.cluster')));
  }
  return null;
}

function renderSwitcher() {
  if (!switcher) return;
  fill(switcher, catalogue.map((layer) => {
    const empty = layer.count === 0 || !state.layers[layer.id];
    const box = h('input', { type: 'checkbox', id: `layer-toggle-${layer.id}`, disabled: empty,
      checked: !empty && map.hasLayer(state.layers[layer.id]), onchange: (e) => setVisible(layer.id, e.target.checked) });
    return h('li', { class: `layer-row${empty ? ' empty' : ''}`, 'data-layer': layer.id },
      h('label', { class: 'layer-label' }, box, swatch(layer.id),
        h('span', { class: 'layer-name', text: tr(layer.title) }),
        h('span', { class: 'layer-count', text: empty ? t('layers.empty') : formatNumber(layer.count) })),
      empty ? null : subLegend(layer.id));
  }));
}

function basemapChoices() {
  const choices = [['none', t('basemap.none')]];
  if (state.basemaps.tianditu) choices.push(['tianditu', t('basemap.tianditu')]);
  if (state.basemaps.xyz) choices.push(['xyz', t('basemap.xyz')]);
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
    Object.keys(state.basemaps).length ? null : h('p', { class: 'hint', 'data-i18n': 'basemap.noneConfigured' }),
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
