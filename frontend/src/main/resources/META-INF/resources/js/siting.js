// 选址研判 (planners): a site drawn on the map or typed in, an industry from GB/T 4754, the project type;
// the verdict with each finding, its rule text and conditions; the features concerned highlighted on the map;
// a batch of sites from a CSV or GeoJSON file.
import * as api from './api.js';
import { metresAsGaussKruger, toDms, zones } from './coords.js';
import { clearHighlight, featureLabel, highlightFeatures } from './highlight.js';
import { beijingTime, formatDistance, formatNumber, lang, onLangChange, t, tr } from './i18n.js';
import { frame, industryOf, layerInfo } from './layers.js';
import { industryPicker, projectTypePicker } from './pickers.js';
import { VERDICT_COLOURS, busy, citationView, csvText, download, fill, h, outcomeBadge, refill, showError } from './ui.js';

const SYSTEMS = ['lonlat', 'gk3', 'gk6'];
// 孝义 and most of 吕梁 lie in the 3° zone of 111°E, which is also the central meridian of 6° zone 19.
const DEFAULT_CM = 111;
const SITE_STYLE = { color: '#212121', weight: 2.5, dashArray: '6 4', fillColor: '#ffeb3b', fillOpacity: 0.25, className: 'siting-site' };

let map;
let siteLayer;
let site = null;
let drawControl = null;
/** Checks a point with the form's other choices (set when the panel is built). */
let checkPoint = null;

// A ring with a centre dot: what lies under the site (a zone's outline) stays in sight through it.
const siteIcon = () => L.divIcon({ className: 'siting-site-marker', html: '<span></span>', iconSize: [26, 26] });

function drawOptions() {
  return {
    polyline: false, circle: false, circlemarker: false,
    marker: { icon: siteIcon() },
    polygon: { allowIntersection: false, showArea: false, shapeOptions: SITE_STYLE },
    rectangle: { showArea: false, shapeOptions: SITE_STYLE },
  };
}

// leaflet-draw's own labels, in the page's language.
function localizeDraw() {
  const d = L.drawLocal.draw;
  d.toolbar.buttons.marker = t('draw.marker');
  d.toolbar.buttons.polygon = t('draw.polygon');
  d.toolbar.buttons.rectangle = t('draw.rectangle');
  d.toolbar.actions = { title: t('draw.cancelTitle'), text: t('draw.cancel') };
  d.toolbar.finish = { title: t('draw.finishTitle'), text: t('draw.finish') };
  d.toolbar.undo = { title: t('draw.undoTitle'), text: t('draw.undo') };
  d.handlers.marker.tooltip.start = t('draw.markerStart');
  d.handlers.polygon.tooltip = { start: t('draw.polygonStart'), cont: t('draw.polygonCont'), end: t('draw.polygonEnd') };
  d.handlers.polyline.error = t('draw.selfIntersection');
  d.handlers.rectangle.tooltip.start = t('draw.rectangleStart');
  d.handlers.simpleshape.tooltip.end = t('draw.simpleshapeEnd');
}

function addDrawControl() {
  if (drawControl) drawControl.remove();
  localizeDraw();
  drawControl = new L.Control.Draw({ position: 'topleft', draw: drawOptions(), edit: false });
  map.addControl(drawControl);
}

function setSite(geometry, layer) {
  siteLayer.clearLayers();
  layer.addTo(siteLayer);
  site = { geometry };
}

function siteSummary() {
  if (!site) return t('siting.noSite');
  const g = site.geometry;
  if (g.type === 'Point') {
    const [lon, lat] = g.coordinates;
    return t('siting.pointSite', { lon: lon.toFixed(6), lat: lat.toFixed(6), dms: `${toDms(lon)} ${toDms(lat)}` });
  }
  const areaKm2 = L.GeometryUtil.geodesicArea(L.GeoJSON.coordsToLatLngs(g.coordinates[0])) / 1e6;
  return t('siting.polygonSite', { area: formatNumber(areaKm2, 3) });
}

export function initSiting(container, context) {
  map = context.map;
  siteLayer = L.featureGroup().addTo(map);
  addDrawControl();

  const name = h('input', { type: 'text', id: 'siting-name', maxlength: 200, 'data-i18n-placeholder': 'siting.namePlaceholder' });
  const coords = coordinateInput(() => showSite());
  const siteText = h('p', { class: 'site-summary', id: 'siting-site', role: 'status' });
  const industries = industryPicker(context.industries, 'siting-industry');
  const industry = industries.select;
  const projectTypes = projectTypePicker('siting-project-type');
  const projectType = projectTypes.select;
  const run = h('button', { type: 'submit', class: 'button primary wide', id: 'siting-run', 'data-i18n': 'siting.run' });
  const formError = h('div', { id: 'siting-form-error' });
  const result = h('div', { id: 'siting-result', class: 'siting-result' });
  let last = null;

  let drawing = null;
  const startDrawing = (Handler, handlerOptions) => {
    if (drawing) drawing.disable();
    drawing = new Handler(map, handlerOptions);
    drawing.enable();
    context.focusMap();
  };
  const form = h('form', { class: 'stack', id: 'siting-form', novalidate: true },
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.name' }), name),
    h('fieldset', { class: 'field' }, h('legend', { 'data-i18n': 'siting.site' }),
      h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'button', id: 'siting-draw-point', 'data-i18n': 'siting.drawPoint',
          onclick: () => startDrawing(L.Draw.Marker, drawOptions().marker) }),
        h('button', { type: 'button', class: 'button', id: 'siting-draw-polygon', 'data-i18n': 'siting.drawPolygon',
          onclick: () => startDrawing(L.Draw.Polygon, drawOptions().polygon) })),
      coords.element,
      siteText),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.industry' }), industries.element),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.projectType' }), projectType),
    formError, run);

  const batch = batchSection(async (checkId) => {
    try {
      last = await api.get(`/api/siting/checks/${checkId}`);
      renderResult();
      result.scrollIntoView({ block: 'start' });
      context.showTab('siting');
      await showOnMap(last);
    } catch (error) {
      showError(error, result);
    }
  });
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.siting' }),
      h('p', { class: 'hint', 'data-i18n': 'siting.intro' }), form),
    result, batch.element);

  function showSite() {
    siteText.textContent = siteSummary();
    siteText.classList.toggle('empty', !site);
  }

  map.on(L.Draw.Event.CREATED, (e) => {
    const layer = e.layer;
    // other panels draw too (the suitability map's region): only the site is ours
    if (layer.options.purpose) return;
    if (e.layerType === 'marker') {
      const { lat, lng } = layer.getLatLng();
      setSite({ type: 'Point', coordinates: [lng, lat] }, layer);
      coords.showDrawn(lng, lat);
    } else {
      setSite(layer.toGeoJSON().geometry, layer);
      coords.clear();
    }
    fill(formError);
    showSite();
    context.showTab('siting');
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(formError);
    if (!site) return showError(new Error(t('siting.needSite')), formError);
    if (!industry.value) return showError(new Error(t('siting.needIndustry')), formError);
    fill(result, h('div', { class: 'loading-line' }, h('span', { class: 'spinner' }), t('siting.checking')));
    try {
      last = await busy(run, () => api.post('/api/siting/checks', {
        geometry: site.geometry, industry: industry.value, projectType: projectType.value, name: name.value.trim() || null,
      }));
      renderResult();
      result.scrollIntoView({ block: 'start' });
      await showOnMap(last);
    } catch (error) {
      showError(error, result);
    }
  });

  function renderResult() {
    if (last) fill(result, resultView(last));
  }

  checkPoint = (lon, lat, choice) => {
    setSite({ type: 'Point', coordinates: [lon, lat] }, L.marker([lat, lon], { icon: siteIcon() }));
    coords.showDrawn(lon, lat);
    industries.choose(choice.industry);
    projectType.value = choice.projectType;
    showSite();
    context.showTab('siting');
    form.requestSubmit();
  };
  showSite();
  onLangChange(() => {
    addDrawControl();
    industries.render();
    projectTypes.render();
    coords.render();
    showSite();
    renderResult();
    batch.render();
  });
}

/** Runs the full check at a point for an industry and project type, shown in the siting panel. */
export function checkSiteAt(lon, lat, choice) {
  if (checkPoint) checkPoint(lon, lat, choice);
}

// ---- typed coordinates ----

/**
 * The coordinate system, the two numbers (经度/纬度, or 北坐标 X / 东坐标 Y) and, for Gauss-Krüger, the zone. The
 * server reads them (GET /api/coordinates) and the point is placed on the map before any check runs; metres
 * typed as degrees are caught first, with an offer to read them as Gauss-Krüger coordinates.
 */
function coordinateInput(onPlaced) {
  const system = h('select', { id: 'siting-coord-system' });
  const zone = h('select', { id: 'siting-coord-zone', 'data-width': '3' });
  const first = h('input', { type: 'text', id: 'siting-coord-x', autocomplete: 'off', inputmode: 'decimal' });
  const second = h('input', { type: 'text', id: 'siting-coord-y', autocomplete: 'off', inputmode: 'decimal' });
  const firstLabel = h('span');
  const secondLabel = h('span');
  const zoneField = h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.zone' }), zone);
  const hint = h('p', { class: 'hint', id: 'siting-coords-hint' });
  const message = h('div', { id: 'siting-coords-message', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button', id: 'siting-coords-apply', 'data-i18n': 'siting.locate', onclick: locate });
  let reading = null;
  let offer = null;

  const gk = () => system.value !== 'lonlat';
  const width = () => Number(zone.dataset.width);

  function fillZones(newWidth) {
    const chosen = Number(zone.value) || DEFAULT_CM;
    const list = zones(newWidth);
    zone.dataset.width = String(newWidth);
    refill(zone, list.map((z) => [String(z.cm), t('siting.zoneOption', { cm: z.cm, zone: z.zone })]));
    zone.value = String(list.some((z) => z.cm === chosen) ? chosen : DEFAULT_CM);
  }

  function render() {
    refill(system, SYSTEMS.map((s) => [s, t(`siting.system.${s}`)]));
    if (gk()) fillZones(system.value === 'gk6' ? 6 : 3);
    else fillZones(width());
    zoneField.hidden = !gk();
    firstLabel.textContent = t(gk() ? 'siting.northing' : 'siting.lon');
    secondLabel.textContent = t(gk() ? 'siting.easting' : 'siting.lat');
    first.placeholder = t(gk() ? 'siting.northingPlaceholder' : 'siting.lonPlaceholder');
    second.placeholder = t(gk() ? 'siting.eastingPlaceholder' : 'siting.latPlaceholder');
    hint.textContent = t(gk() ? 'siting.gkHint' : 'siting.coordsHint');
    if (offer) showOffer(offer);
    else if (reading) showReading(reading);
  }

  function showReading(r) {
    fill(message, h('p', { class: 'hint', id: 'siting-coords-reading', text: tr(r.interpretation) }),
      r.warnings.map((w) => h('div', { class: 'notice warn', text: tr(w) })));
  }

  function showOffer(o) {
    const z = o.zone;
    const cm = z ? z.cm : Number(zone.value);
    fill(message, h('div', { class: 'notice warn', role: 'alert', id: 'siting-coords-offer' },
      h('p', { text: t('siting.metresAsDegrees', { a: first.value.trim(), b: second.value.trim() }) }),
      h('p', { text: z ? t('siting.prefixZone', { easting: o.easting, zone: z.zone, width: z.width, cm: z.cm })
        : t('siting.noPrefix', { easting: o.easting, width: width(), cm }) }),
      h('button', { type: 'button', class: 'button', id: 'siting-coords-as-gk', text: t('siting.readAsGk'), onclick: () => acceptOffer(o) })));
  }

  function acceptOffer(o) {
    offer = null;
    system.value = `gk${o.zone ? o.zone.width : width()}`;
    render();
    if (o.zone) zone.value = String(o.zone.cm);
    first.value = o.northing;
    second.value = o.easting;
    locate();
  }

  function clear() {
    offer = null;
    reading = null;
    fill(message);
  }

  async function locate() {
    clear();
    if (!first.value.trim() || !second.value.trim()) return showError(new Error(t('siting.coordsMissing')), message);
    const metres = gk() ? null : metresAsGaussKruger(first.value, second.value);
    if (metres) {
      offer = metres;
      return showOffer(metres);
    }
    try {
      reading = await busy(button, () => api.get('/api/coordinates' + api.query({
        x: first.value.trim(), y: second.value.trim(), system: system.value, cm: gk() ? zone.value : null,
      })));
    } catch (error) {
      return showError(error, message);
    }
    showReading(reading);
    setSite({ type: 'Point', coordinates: [reading.lon, reading.lat] },
      L.marker([reading.lat, reading.lon], { icon: siteIcon() }));
    onPlaced();
    map.flyTo([reading.lat, reading.lon], Math.max(map.getZoom(), 14), { duration: 0.6 });
  }

  /** A point drawn on the map, shown in the fields as longitude and latitude. */
  function showDrawn(lon, lat) {
    clear();
    system.value = 'lonlat';
    render();
    first.value = lon.toFixed(6);
    second.value = lat.toFixed(6);
  }

  const onEnter = (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      locate();
    }
  };
  first.addEventListener('keydown', onEnter);
  second.addEventListener('keydown', onEnter);
  system.addEventListener('change', () => {
    clear();
    render();
  });
  render();
  const element = h('div', { class: 'coords', id: 'siting-coords' },
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.coordSystem' }), system),
    zoneField,
    h('div', { class: 'coord-pair' },
      h('label', { class: 'field' }, firstLabel, first),
      h('label', { class: 'field' }, secondLabel, second)),
    h('div', { class: 'button-row' }, button),
    hint, message);
  return { element, render, showDrawn, clear };
}

/** Metres shown around a site at the least, so that a point site inside a zone still shows its surroundings. */
const SITE_MARGIN_M = 300;

/**
 * The features of the findings outlined; the map framed on the site and the nearest of them (the deciding findings
 * first, else the notices, else the nearest feature of any layer), not on every feature found: a large zone or a
 * long river would otherwise shrink the site to a speck. The frame is the site widened by that distance, which
 * holds the constraint's nearest point whatever its size.
 */
async function showOnMap(result) {
  clearHighlight();
  const refs = [...result.findings, ...result.notices].filter((f) => f.layer && f.featureId !== null)
    .map((f) => ({ layer: f.layer, featureId: f.featureId, label: featureLabel(f.layerTitle, f.featureName) }));
  await highlightFeatures(refs);
  const siteBounds = L.geoJSON(result.geometry).getBounds();
  if (!siteBounds.isValid()) return;
  const metres = (f) => (f.inside ? 0 : f.distanceMeters);
  const known = (list) => list.filter((f) => f.layer && metres(f) !== null && metres(f) !== undefined);
  const candidates = [known(result.findings), known(result.notices), Object.values(result.nearest || {})
    .map((n) => ({ distanceMeters: n.distanceMeters, inside: false, layer: 'nearest' }))].find((list) => list.length) || [];
  const distance = candidates.length ? Math.min(...candidates.map(metres)) : 0;
  frame(widen(siteBounds, Math.max(distance * 1.1, SITE_MARGIN_M)));
}

/** Bounds widened by `metres` on every side. */
function widen(bounds, metres) {
  const sw = bounds.getSouthWest().toBounds(2 * metres).getSouthWest();
  const ne = bounds.getNorthEast().toBounds(2 * metres).getNorthEast();
  return L.latLngBounds(sw, ne);
}

// ---- the result ----

/** A check's report, HTML for the screen or PDF to file, in the language the page is shown in. */
function reportUrl(id, format) {
  return `/api/siting/checks/${id}/report${format === 'pdf' ? '.pdf' : ''}?lang=${lang()}`;
}

function resultView(r) {
  const count = (outcome) => r.findings.filter((f) => f.outcome === outcome).length;
  return [
    h('div', { class: `verdict verdict-${r.verdict}`, id: 'siting-verdict', 'data-verdict': r.verdict },
      h('div', { class: 'verdict-word', text: tr(r.verdictLabel) }),
      h('div', { class: 'verdict-text' },
        h('strong', { text: t(`siting.verdict${r.verdict}`) }),
        h('span', { text: t('siting.counts', { p: count('PROHIBITED'), r: count('RESTRICTED'), n: r.notices.length }) }),
        h('span', { text: [r.name, `${r.industry.code} ${tr(r.industry)}`, tr(r.projectType.label)].filter(Boolean).join(' · ') }),
        h('span', { class: 'small', text: t('siting.asOf', { day: r.asOf, places: r.site.divisions.map((d) => d.name).join('、') || '—' }) }))),
    h('div', { class: 'button-row' },
      h('a', { class: 'button', id: 'siting-report-link', href: reportUrl(r.id), target: '_blank', rel: 'noopener', text: t('siting.report') }),
      h('a', { class: 'button', id: 'siting-report-pdf', href: reportUrl(r.id, 'pdf'), download: '', text: t('siting.reportPdf') }),
      h('span', { class: 'muted small', text: t('siting.checkId', { id: r.id }) })),
    r.missing.length ? h('section', { class: 'result-section missing', id: 'siting-missing' },
      h('h3', { text: `${t('siting.missing')} (${r.missing.length})` }),
      r.missing.map((m) => h('article', { class: 'finding outcome-INCOMPLETE', 'data-kind': m.kind, 'data-layer': m.layer },
        h('header', {}, h('span', { class: 'badge outcome-INCOMPLETE', text: tr(m.layerTitle) })),
        h('p', { text: tr(m.message) }),
        h('ul', { class: 'plain-list small' }, m.rules.map((x) => h('li', {},
          h('span', { class: 'rule-id', text: x.id }), ' ', tr(x.title))))))) : null,
    section('siting.findings', r.findings.length, r.findings.map(findingView), 'siting-findings'),
    r.notices.length ? h('details', { class: 'notices', id: 'siting-notices' },
      h('summary', { text: `${t('siting.notices')} (${r.notices.length})` }), r.notices.map(findingView)) : null,
    nearestView(r.nearest),
    r.notApplied.length ? h('details', { class: 'unchecked', id: 'siting-not-applied' },
      h('summary', { text: `${t('siting.notApplied')} (${r.notApplied.length})` }),
      h('ul', { class: 'plain-list' }, r.notApplied.map((u) => h('li', {},
        h('span', { class: 'rule-id', text: u.ruleId }), ' ', tr(u.title), ' — ', tr(u.reason))))) : null,
  ];
}

function section(titleKey, count, items, id) {
  return h('section', { class: 'result-section', id },
    h('h3', { text: `${t(titleKey)} (${count})` }),
    count ? items : h('p', { class: 'muted', text: t('siting.noFindings') }));
}

function layerTitle(id) {
  const info = id ? layerInfo(id) : null;
  return info ? tr(info.title) : id || '';
}

function findingView(f) {
  const where = f.layer
    ? [featureLabel(f.layerTitle, f.featureName),
      f.inside ? t('siting.inside') : f.distanceMeters !== null ? t('siting.distance', { d: formatDistance(f.distanceMeters) }) : null]
      .filter(Boolean).join(' — ')
    : null;
  return h('article', { class: `finding outcome-${f.outcome}`, 'data-rule': f.ruleId },
    h('header', {}, outcomeBadge(f.outcome), h('span', { class: 'finding-title', text: tr(f.title) }), h('span', { class: 'rule-id', text: f.ruleId })),
    where ? h('p', { class: 'finding-where', text: where }) : null,
    f.basisNote ? h('p', { class: 'finding-basis', text: tr(f.basisNote) }) : null,
    f.distanceOrigin ? h('p', { class: 'small muted', text: tr(f.distanceOrigin) }) : null,
    f.conditions ? h('p', { class: 'finding-conditions' }, h('strong', { text: t('siting.conditions') }), tr(f.conditions)) : null,
    citationView(f.citation));
}

function nearestView(nearest) {
  const rows = Object.entries(nearest || {});
  if (!rows.length) return null;
  return h('details', { class: 'nearest' },
    h('summary', { text: t('siting.nearest') }),
    h('table', { class: 'data-table' }, h('tbody', {}, rows.map(([layer, n]) => h('tr', {},
      h('th', { text: layerTitle(layer) }), h('td', { text: n.featureName || `#${n.featureId}` }),
      h('td', { class: 'num', text: formatDistance(n.distanceMeters) }))))));
}

// ---- batch ----

/** The sites of a batch on the map, coloured by verdict; a click opens that row's full result. */
function drawBatch(layer, rows, open) {
  layer.clearLayers();
  for (const r of rows.filter((x) => x.verdict && x.geometry)) {
    const colour = VERDICT_COLOURS[r.verdict];
    const shape = L.geoJSON(r.geometry, {
      pane: 'pm-highlight',
      style: { color: colour, weight: 2.5, fillColor: colour, fillOpacity: 0.35, className: `batch-site outcome-${r.verdict}` },
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { pane: 'pm-marks', radius: 8, color: '#fff', weight: 2,
        fillColor: colour, fillOpacity: 0.95, className: `batch-site outcome-${r.verdict}` }),
    });
    shape.bindTooltip(() => `${t('siting.batchRow')} ${r.row} · ${r.name || industryLabel(r.industry)} · ${t(`outcome.${r.verdict}`)}`);
    shape.on('click', () => open(r.checkId));
    shape.addTo(layer);
  }
  if (layer.getLayers().length) frame(layer.getBounds(), 15);
}

function batchSection(open) {
  const layer = L.featureGroup().addTo(map);
  const file = h('input', { type: 'file', id: 'siting-batch-file', accept: '.csv,.txt,.geojson,.json' });
  const runButton = h('button', { type: 'submit', class: 'button', id: 'siting-batch-run', 'data-i18n': 'siting.batchRun' });
  const out = h('div', { id: 'siting-batch-result' });
  let rows = null;

  const render = () => {
    if (!rows) return;
    const counts = rows.reduce((acc, r) => ({ ...acc, [r.verdict || 'ERROR']: (acc[r.verdict || 'ERROR'] || 0) + 1 }), {});
    fill(out,
      h('div', { class: 'button-row' },
        h('span', { class: 'small', text: Object.entries(counts).map(([k, n]) => `${k === 'ERROR' ? t('siting.batchError') : t(`outcome.${k}`)} ${n}`).join(' · ') }),
        h('button', { type: 'button', class: 'button', id: 'siting-batch-download', 'data-i18n': 'siting.batchDownload',
          onclick: () => download(`${t('siting.batchFile')}_${beijingTime(new Date().toISOString()).slice(0, 10)}.csv`, batchCsv(rows),
            'text/csv;charset=utf-8') })),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', id: 'siting-batch-table' },
        h('thead', {}, h('tr', {}, ['siting.batchRow', 'siting.batchSite', 'siting.verdict', 'siting.rules']
          .map((k) => h('th', { text: t(k) })))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', { class: 'num', text: r.row }),
          h('td', {}, h('div', { text: r.name || '—' }), h('div', { class: 'muted small', text: industryLabel(r.industry) })),
          r.verdict
            ? [h('td', {}, h('button', { type: 'button', class: 'text-button', title: t('siting.batchShow'), onclick: () => open(r.checkId) },
              outcomeBadge(r.verdict)), h('div', {},
              h('a', { class: 'small', href: reportUrl(r.checkId), target: '_blank', rel: 'noopener', text: t('siting.open') }))),
            h('td', { class: 'rule-list' }, (r.rules || []).map((id) => h('span', { class: 'rule-id', text: id })))]
            : h('td', { class: 'error-text', colspan: 2, text: r.error ? tr(r.error.detail) : '' })))))));
  };

  const form = h('form', { class: 'stack', id: 'siting-batch-form' },
    h('p', { class: 'hint', 'data-i18n': 'siting.batchHint' }), file, runButton);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files.length) return showError(new Error(t('siting.batchNeedFile')), out);
    const data = new FormData();
    data.append('file', file.files[0]);
    fill(out, h('div', { class: 'loading-line' }, h('span', { class: 'spinner' }), t('siting.checking')));
    try {
      rows = await busy(runButton, () => api.request('/api/siting/checks/batch', { method: 'POST', form: data }));
      render();
      drawBatch(layer, rows, open);
    } catch (error) {
      showError(error, out);
    }
  });
  const element = h('details', { class: 'panel-section batch', id: 'siting-batch' },
    h('summary', { 'data-i18n': 'siting.batch' }), form, out);
  return { element, render };
}

function industryLabel(code) {
  const industry = code ? industryOf(code) : null;
  return industry ? `${code} ${tr(industry)}` : code || '';
}

// Built here from the results already shown, so downloading does not run (and store) the checks again; the same
// columns as the server's CSV (Accept: text/csv), in the page's language.
function batchCsv(rows) {
  const header = ['siting.csvRow', 'siting.csvName', 'siting.csvIndustry', 'siting.csvVerdict', 'siting.csvVerdictCode',
    'siting.csvRules', 'siting.csvCheck', 'siting.csvReport', 'siting.csvError'].map((k) => t(k));
  return csvText(header, rows.map((r) => [r.row, r.name, r.industry, r.verdict ? t(`outcome.${r.verdict}`) : t('siting.batchError'),
    r.verdict || 'ERROR', (r.rules || []).join(' '), r.checkId,
    r.checkId ? new URL(reportUrl(r.checkId), location.href).href : '', r.error ? tr(r.error.detail) : '']));
}
