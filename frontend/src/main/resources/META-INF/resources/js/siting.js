// 选址研判 (planners): a site drawn on the map or typed in, an industry from GB/T 4754, the project type;
// the verdict with each finding, its rule text and conditions; the features concerned highlighted on the map;
// a batch of sites from a CSV or GeoJSON file.
import * as api from './api.js';
import { parseCoordinates, toDms } from './coords.js';
import { clearHighlight, featureLabel, highlightFeatures } from './highlight.js';
import { formatDistance, formatNumber, onLangChange, t, tr } from './i18n.js';
import { industryOf, layerInfo } from './layers.js';
import { busy, citationView, download, fill, h, options, outcomeBadge, refill, showError } from './ui.js';

const PROJECT_TYPES = ['new', 'expansion', 'relocation'];
const SITE_STYLE = { color: '#212121', weight: 2.5, dashArray: '6 4', fillColor: '#ffeb3b', fillOpacity: 0.25, className: 'siting-site' };

let map;
let siteLayer;
let site = null;
let drawControl = null;

const siteIcon = () => L.divIcon({ className: 'siting-site-marker', html: '<span></span>', iconSize: [30, 30] });

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
  const coords = h('input', { type: 'text', id: 'siting-coords', autocomplete: 'off', 'data-i18n-placeholder': 'siting.coordsPlaceholder' });
  const siteText = h('p', { class: 'site-summary', id: 'siting-site', role: 'status' });
  const industrySearch = h('input', { type: 'search', id: 'siting-industry-search', autocomplete: 'off', 'data-i18n-placeholder': 'siting.industryFilter' });
  const industry = h('select', { id: 'siting-industry', size: 6, required: true });
  const projectType = h('select', { id: 'siting-project-type' });
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
      h('div', { class: 'search-row' }, coords,
        h('button', { type: 'button', class: 'button', id: 'siting-coords-apply', 'data-i18n': 'siting.locate', onclick: applyCoords })),
      h('p', { class: 'hint', 'data-i18n': 'siting.coordsHint' }),
      siteText),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.industry' }), industrySearch, industry),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.projectType' }), projectType),
    formError, run);

  const batch = batchSection();
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.siting' }),
      h('p', { class: 'hint', 'data-i18n': 'siting.intro' }), form),
    result, batch.element);

  function fillIndustries() {
    const filter = industrySearch.value.trim().toLowerCase();
    const chosen = industry.value;
    const matches = context.industries.industries.filter((i) => !filter || i.code.startsWith(filter)
      || i.zh.includes(filter) || i.en.toLowerCase().includes(filter) || i.categories.some((c) => c.includes(filter)));
    industry.replaceChildren(...options(matches.map((i) => [i.code, `${i.code} ${tr(i)}`]), chosen));
    if (!industry.value && matches.length === 1) industry.value = matches[0].code;
  }

  function fillProjectTypes() {
    refill(projectType, PROJECT_TYPES.map((p) => [p, t(`projectType.${p}`)]));
  }

  function showSite() {
    siteText.textContent = siteSummary();
    siteText.classList.toggle('empty', !site);
  }

  function applyCoords() {
    const position = parseCoordinates(coords.value);
    if (!position) {
      showError(new Error(t('siting.badCoords')), formError);
      return;
    }
    fill(formError);
    setSite({ type: 'Point', coordinates: [position.lon, position.lat] },
      L.marker([position.lat, position.lon], { icon: siteIcon() }));
    showSite();
    map.flyTo([position.lat, position.lon], Math.max(map.getZoom(), 14), { duration: 0.6 });
  }

  map.on(L.Draw.Event.CREATED, (e) => {
    const layer = e.layer;
    if (e.layerType === 'marker') {
      const { lat, lng } = layer.getLatLng();
      setSite({ type: 'Point', coordinates: [lng, lat] }, layer);
      coords.value = `${lng.toFixed(6)} ${lat.toFixed(6)}`;
    } else {
      setSite(layer.toGeoJSON().geometry, layer);
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

  industrySearch.addEventListener('input', fillIndustries);
  fillIndustries();
  fillProjectTypes();
  showSite();
  onLangChange(() => {
    addDrawControl();
    fillIndustries();
    fillProjectTypes();
    showSite();
    renderResult();
    batch.render();
  });
}

async function showOnMap(result) {
  clearHighlight();
  const refs = [...result.findings, ...result.notices].filter((f) => f.layer && f.featureId !== null)
    .map((f) => ({ layer: f.layer, featureId: f.featureId, label: featureLabel(f.layerTitle, f.featureName) }));
  const bounds = await highlightFeatures(refs);
  const siteBounds = siteLayer.getBounds();
  const all = bounds.isValid() ? bounds.extend(siteBounds) : siteBounds;
  if (all.isValid()) map.flyToBounds(all, { padding: [60, 60], maxZoom: 15, duration: 0.6 });
}

// ---- the result ----

function resultView(r) {
  const count = (outcome) => r.findings.filter((f) => f.outcome === outcome).length;
  return [
    h('div', { class: `verdict verdict-${r.verdict}`, id: 'siting-verdict', 'data-verdict': r.verdict },
      h('div', { class: 'verdict-word', text: t(`outcome.${r.verdict}`) }),
      h('div', { class: 'verdict-text' },
        h('strong', { text: t(`siting.verdict${r.verdict}`) }),
        h('span', { text: t('siting.counts', { p: count('PROHIBITED'), r: count('RESTRICTED'), n: r.notices.length }) }),
        h('span', { text: [r.name, `${r.industry.code} ${tr(r.industry)}`, t(`projectType.${r.projectType}`)].filter(Boolean).join(' · ') }))),
    h('div', { class: 'button-row' },
      h('a', { class: 'button', id: 'siting-report-link', href: `/api/siting/checks/${r.id}/report`, target: '_blank', rel: 'noopener', text: t('siting.report') }),
      h('span', { class: 'muted small', text: t('siting.checkId', { id: r.id }) })),
    section('siting.findings', r.findings.length, r.findings.map(findingView), 'siting-findings'),
    r.notices.length ? h('details', { class: 'notices', id: 'siting-notices' },
      h('summary', { text: `${t('siting.notices')} (${r.notices.length})` }), r.notices.map(findingView)) : null,
    nearestView(r.nearest),
    r.unchecked.length ? h('details', { class: 'unchecked' },
      h('summary', { text: `${t('siting.unchecked')} (${r.unchecked.length})` }),
      h('ul', { class: 'plain-list' }, r.unchecked.map((u) => h('li', {},
        h('span', { class: 'mono', text: u.ruleId }), ' ', layerTitle(u.layer), ' — ', tr(u.reason))))) : null,
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

function batchSection() {
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
          onclick: () => download('siting-batch.csv', batchCsv(rows), 'text/csv;charset=utf-8') })),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', id: 'siting-batch-table' },
        h('thead', {}, h('tr', {}, ['siting.batchRow', 'siting.batchSite', 'siting.verdict', 'siting.rules']
          .map((k) => h('th', { text: t(k) })))),
        h('tbody', {}, rows.map((r) => h('tr', {},
          h('td', { class: 'num', text: r.row }),
          h('td', {}, h('div', { text: r.name || '—' }), h('div', { class: 'muted small', text: industryLabel(r.industry) })),
          r.verdict
            ? [h('td', {}, outcomeBadge(r.verdict), h('div', {},
              h('a', { class: 'small', href: r.report, target: '_blank', rel: 'noopener', text: t('siting.open') }))),
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

function csvCell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Built here from the results already shown, so downloading does not run (and store) the checks again.
function batchCsv(rows) {
  const header = ['row', 'name', 'industry', 'verdict', 'rules', 'check_id', 'report', 'error'];
  const lines = rows.map((r) => [r.row, r.name, r.industry, r.verdict || 'ERROR', (r.rules || []).join(' '), r.checkId,
    r.report ? new URL(r.report, location.href).href : '', r.error ? tr(r.error.detail) : ''].map(csvCell).join(','));
  return '\uFEFF' + [header.join(','), ...lines].join('\r\n') + '\r\n';
}

