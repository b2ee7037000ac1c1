// 选址适宜性 (planners): for an industry and a project type, where in a county (or the view, or a drawn area) it
// may go at all. The server tiles the region into the four verdict classes from the same rule checks as the
// siting check; here they are shaded on the map with a legend and their areas, and a click anywhere runs the
// full check there.
import * as api from './api.js';
import { formatNumber, onLangChange, t, tr } from './i18n.js';
import { industryPicker, loadDivisions, projectTypePicker } from './pickers.js';
import { checkSiteAt } from './siting.js';
import { VERDICT_COLOURS, busy, download, fill, h, outcomeBadge, refill, showError } from './ui.js';

// The check's precedence, most binding first; the legend follows it.
const CLASSES = ['PROHIBITED', 'INCOMPLETE', 'RESTRICTED', 'ALLOWED'];
const COLOURS = VERDICT_COLOURS;
const FILL_OPACITY = 0.45;
const REGION_STYLE = { color: '#263238', weight: 2, dashArray: '4 4', fill: false, purpose: 'suitability-region' };

let map;

export function initSuitability(container, context) {
  map = context.map;
  map.createPane('pm-suitability').style.zIndex = 440;
  const shading = L.geoJSON(null, { pane: 'pm-suitability', style: classStyle, onEachFeature: bindArea });
  const drawnRegion = L.featureGroup().addTo(map);
  const mapLegend = L.control({ position: 'bottomright' });
  mapLegend.onAdd = () => h('div', { class: 'map-legend suitability-map-legend', id: 'suitability-map-legend' });
  shading.on('add', () => {
    mapLegend.addTo(map);
    renderMapLegend();
  });
  shading.on('remove', () => mapLegend.remove());

  const industries = industryPicker(context.industries, 'suitability-industry');
  const projectTypes = projectTypePicker('suitability-project-type');
  const region = h('select', { id: 'suitability-region' });
  const drawButton = h('button', { type: 'button', class: 'button', id: 'suitability-draw', 'data-i18n': 'suitability.drawRegion' });
  const run = h('button', { type: 'submit', class: 'button primary wide', id: 'suitability-run', 'data-i18n': 'suitability.run' });
  const formError = h('div', { id: 'suitability-form-error' });
  const result = h('div', { id: 'suitability-result' });
  let divisions = [];
  let drawn = null;
  let shown = null;

  const form = h('form', { class: 'stack', id: 'suitability-form', novalidate: true },
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.industry' }), industries.element),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'siting.projectType' }), projectTypes.select),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'suitability.region' }), region),
    h('div', { class: 'button-row' }, drawButton),
    formError, run);
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.suitability' }),
      h('p', { class: 'hint', 'data-i18n': 'suitability.intro' }), form),
    result);

  function fillRegions() {
    const choices = divisions.map((d) => [d.adcode, `${d.name}（${d.adcode}）`]);
    choices.push(['view', t('suitability.regionView')]);
    if (drawn) choices.push(['drawn', t('suitability.regionDrawn')]);
    refill(region, choices);
  }

  /** What the server is asked for: the region as a division code, the view's box or the drawn polygon. */
  function request(format) {
    const choice = { industry: industries.select.value, projectType: projectTypes.select.value };
    if (region.value === 'drawn') {
      return { path: `/api/suitability${api.query({ format })}`, options: { method: 'POST', json: { ...choice, geometry: drawn } } };
    }
    const where = region.value === 'view' ? { bbox: map.getBounds().toBBoxString() } : { region: region.value };
    return { path: `/api/suitability${api.query({ ...choice, ...where, format })}`, options: {} };
  }

  drawButton.addEventListener('click', () => {
    new L.Draw.Polygon(map, { allowIntersection: false, showArea: false, shapeOptions: REGION_STYLE }).enable();
    context.focusMap();
  });
  map.on(L.Draw.Event.CREATED, (e) => {
    if (e.layer.options.purpose !== REGION_STYLE.purpose) return;
    drawnRegion.clearLayers();
    e.layer.addTo(drawnRegion);
    drawn = e.layer.toGeoJSON().geometry;
    fillRegions();
    region.value = 'drawn';
    context.showTab('suitability');
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fill(formError);
    if (!industries.select.value) return showError(new Error(t('siting.needIndustry')), formError);
    const { path, options } = request();
    fill(result, h('div', { class: 'loading-line' }, h('span', { class: 'spinner' }), t('suitability.computing')));
    try {
      shown = await busy(run, () => api.request(path, options));
      shown.choice = { industry: shown.industry.code, projectType: shown.projectType.value };
      shown.exports = { geojson: request('geojson'), gpkg: request('gpkg') };
      shading.clearLayers().addData(shown);
      shading.addTo(map);
      renderResult();
      renderMapLegend();
      result.scrollIntoView({ block: 'start' });
      if (shading.getBounds().isValid()) map.flyToBounds(shading.getBounds(), { padding: [30, 30], duration: 0.6 });
    } catch (error) {
      showError(error, result);
    }
  });

  function renderResult() {
    if (!shown) return;
    const byClass = new Map(shown.features.map((f) => [f.properties.class, f.properties]));
    const total = shown.areaKm2 || 1;
    const visible = h('input', { type: 'checkbox', id: 'suitability-visible', checked: map.hasLayer(shading),
      onchange: (e) => (e.target.checked ? shading.addTo(map) : shading.remove()) });
    fill(result,
      h('section', { class: 'panel-section suitability-summary', id: 'suitability-summary', 'data-region': shown.region },
        h('h3', { text: t('suitability.title', { industry: `${shown.industry.code} ${tr(shown.industry)}`, type: tr(shown.projectType.label) }) }),
        h('p', { class: 'small muted', text: t('suitability.meta', {
          day: shown.asOf, area: formatNumber(shown.areaKm2, 1), version: shown.catalogueVersion,
          how: shown.cached ? t('suitability.cached') : t('suitability.computed', { s: formatNumber(shown.durationMs / 1000, 1) }),
        }) }),
        h('table', { class: 'data-table suitability-legend', id: 'suitability-legend' },
          h('thead', {}, h('tr', {}, ['suitability.class', 'suitability.area', 'suitability.share', 'siting.rules']
            .map((k) => h('th', { text: t(k) })))),
          h('tbody', {}, CLASSES.map((c) => {
            const p = byClass.get(c);
            return h('tr', { 'data-class': c, 'data-km2': p ? String(p.areaKm2) : '0', class: p ? null : 'muted' },
              h('td', {}, h('span', { class: 'swatch', style: `background:${COLOURS[c]};opacity:.8` }), ' ', outcomeBadge(c)),
              h('td', { class: 'num', text: p ? formatNumber(p.areaKm2, 2) : '0' }),
              h('td', { class: 'num', text: p ? `${formatNumber((100 * p.areaKm2) / total, 1)} %` : '—' }),
              h('td', { class: 'rule-list' }, p ? p.rules.map((r) => h('span', { class: 'rule-id', title: tr(r.title), text: r.id })) : null));
          }))),
        byClass.has('INCOMPLETE') ? h('p', { class: 'notice info small', id: 'suitability-incomplete', 'data-i18n': 'suitability.incompleteHint' }) : null,
        h('p', { class: 'hint', 'data-i18n': 'suitability.clickHint' }),
        h('label', { class: 'check' }, visible, h('span', { 'data-i18n': 'suitability.show' })),
        h('div', { class: 'button-row' },
          exportButton('geojson', 'suitability.exportGeojson'),
          exportButton('gpkg', 'suitability.exportGpkg'))));
  }

  /** The classes' colours and areas on the map itself, for a glance (and a picture) without the panel. */
  function renderMapLegend() {
    const box = mapLegend.getContainer();
    if (!box || !shown) return;
    const byClass = new Map(shown.features.map((f) => [f.properties.class, f.properties]));
    fill(box, h('strong', { text: `${shown.industry.code} ${tr(shown.industry)} · ${tr(shown.projectType.label)}` }),
      CLASSES.filter((c) => byClass.has(c) && byClass.get(c).areaKm2 > 0).map((c) => h('div', { class: 'map-legend-row' },
        h('span', { class: 'swatch', style: `background:${COLOURS[c]};opacity:.75` }),
        h('span', { text: t(`outcome.${c}`) }),
        h('span', { class: 'num', text: `${formatNumber(byClass.get(c).areaKm2, 1)} km²` }))));
  }

  function exportButton(format, label) {
    const button = h('button', { type: 'button', class: 'button', id: `suitability-export-${format}`, 'data-i18n': label });
    button.addEventListener('click', async () => {
      const { path, options } = shown.exports[format];
      try {
        const file = await busy(button, () => api.file(path, options));
        download(file.name || `suitability.${format}`, file.blob, file.blob.type);
      } catch (error) {
        showError(error);
      }
    });
    return button;
  }

  /** A click inside the shading: the class there, its rules, and the full check at that spot. */
  function bindArea(feature, layer) {
    layer.on('click', (e) => {
      const p = feature.properties;
      const { lat, lng } = e.latlng;
      const check = h('button', { type: 'button', class: 'button primary', id: 'suitability-check-here', text: t('suitability.checkHere'),
        onclick: () => {
          map.closePopup();
          checkSiteAt(lng, lat, shown.choice);
        } });
      L.popup({ maxWidth: 320 }).setLatLng(e.latlng).setContent(h('div', { class: 'suitability-popup', 'data-class': p.class },
        h('div', {}, outcomeBadge(p.class), ' ', h('span', { class: 'small muted', text: t('suitability.classArea', { area: formatNumber(p.areaKm2, 2) }) })),
        p.rules.length ? h('ul', { class: 'plain-list small' }, p.rules.map((r) => h('li', {},
          h('span', { class: 'rule-id', text: r.id }), ' ', tr(r.title)))) : h('p', { class: 'small', text: t('suitability.noRules') }),
        check)).openOn(map);
    });
  }

  async function loadRegions() {
    try {
      divisions = await loadDivisions();
    } catch (error) {
      showError(error, formError);
    }
    fillRegions();
  }

  document.addEventListener('pollumap:data-changed', ({ detail }) => {
    if (detail.layer === 'admin_boundaries') loadRegions();
    // The map it shows may now be out of date: the server computes it again on the next run.
    if (shown) fill(formError, h('p', { class: 'notice warn small', id: 'suitability-stale', text: t('suitability.stale') }));
  });
  loadRegions();
  onLangChange(() => {
    industries.render();
    projectTypes.render();
    fillRegions();
    renderResult();
    renderMapLegend();
  });
}

function classStyle(feature) {
  const colour = COLOURS[feature.properties.class];
  return { color: colour, weight: 0.8, fillColor: colour, fillOpacity: FILL_OPACITY, className: `suitability-${feature.properties.class}` };
}
