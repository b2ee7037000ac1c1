// 违规清单 (inspectors): enterprises that breach a siting rule where they stand: the summary counts, filters,
// the list with paging (a row shows the firm and the zone it breaches together), exports named by the filter, the
// firms of the list ringed on the map (clusters count the breaches they hold), and the rules a firm breaks in its
// popup. 存量冲突 (conflicts with rules for new projects) are marked apart from breaches throughout.
import * as api from './api.js';
import { filterSelect } from './filters.js';
import { featureLabel, highlightFeatures, highlightPoint } from './highlight.js';
import { formatDistance, formatNumber, formatTime, lang, onLangChange, t, tr, valueLabel } from './i18n.js';
import {
  addPopupExtra, allLayers, enterpriseLatLng, frame, industryOf, markBreaches, markerFlags, openEnterprisePopup, popupRoom,
} from './layers.js';
import { citationView, fill, h, outcomeBadge, refill, showError } from './ui.js';

const SIZE = 50;
const RECHECK_MS = 3000;
// Up to this many breaches the map rings those of the view; past it (a province holds hundreds of thousands), those
// of the page.
const MARK_ALL = 2000;
const OUTCOMES = ['PROHIBITED', 'RESTRICTED'];
// existing: breaches of rules that bind existing enterprises; all: also 存量冲突 with rules for new projects
const SCOPES = ['existing', 'all'];

function industryName(enterprise) {
  const industry = industryOf(enterprise.industryCode);
  return industry ? tr(industry) : enterprise.industryName;
}

/** Whether the list is current: a recompute under way, or the last one failed (with the time of the good one). */
function freshness(summary) {
  if (summary.lastFailure) {
    const failure = summary.lastFailure;
    return h('p', { class: 'notice error small', id: 'violations-stale', 'data-state': 'failed',
      text: t('violations.failed', { time: formatTime(failure.at), reason: tr(failure.reason), good: formatTime(summary.computedAt),
        retry: formatTime(failure.retryAt) }) });
  }
  return summary.pending
    ? h('p', { class: 'notice warn small', id: 'violations-stale', 'data-state': 'pending', text: t('violations.pending') }) : null;
}

/**
 * How each firm of the list is ringed: its worst breach (PROHIBITED, else RESTRICTED), or CONFLICT when it only
 * conflicts with rules for new projects (存量冲突, shown with scope=all).
 */
function ringsOf(collection) {
  const byFirm = new Map();
  for (const feature of collection.features) {
    const id = feature.properties.enterpriseId;
    const kind = feature.properties.binding === 'EXISTING' ? feature.properties.outcome : 'CONFLICT';
    const rank = (k) => ['CONFLICT', 'RESTRICTED', 'PROHIBITED'].indexOf(k);
    if (!byFirm.has(id) || rank(kind) > rank(byFirm.get(id))) byFirm.set(id, kind);
  }
  return byFirm;
}

/** The rules a ringed firm breaks (and its conflicts, apart), with their citations, for its popup. */
function breachesOfFirm(layerId, feature) {
  if (layerId !== 'enterprises' || !markerFlags(feature.id).breach) return null;
  const box = h('div', { class: 'popup-breaches', 'data-enterprise-id': feature.id },
    h('div', { class: 'loading-line small' }, h('span', { class: 'spinner' }), t('common.loading')));
  api.get('/api/violations' + api.query({ enterprise: feature.id, scope: 'all', size: 50 })).then((page) => {
    const item = (v) => h('li', { class: `popup-breach binding-${v.binding}`, 'data-rule': v.rule.id },
      h('div', {}, v.binding === 'NEW_PROJECTS'
        ? h('span', { class: 'badge binding-NEW_PROJECTS', title: t('violations.conflictHint'), text: t('violations.conflict') })
        : outcomeBadge(v.outcome), ' ', h('strong', { text: tr(v.rule.title) })),
      h('div', { class: 'small', text: `${featureLabel(v.feature.layerTitle, v.feature.name)} — ${v.inside
        ? t('siting.inside') : t('siting.distance', { d: formatDistance(v.distanceMeters) })}` }),
      h('div', { class: 'small popup-citation' }, h('cite', { text: tr(v.citation.label) }), ' ',
        h('span', { class: 'citation-section', text: tr(v.citation.where) })));
    const breaches = page.items.filter((v) => v.binding === 'EXISTING');
    const conflicts = page.items.filter((v) => v.binding !== 'EXISTING');
    fill(box,
      breaches.length ? [h('div', { class: 'popup-breach-head', text: t('popup.breaches') }), h('ul', { class: 'plain-list' }, breaches.map(item))] : null,
      conflicts.length ? [h('div', { class: 'popup-breach-head conflict', text: t('popup.conflicts') }), h('ul', { class: 'plain-list' }, conflicts.map(item))] : null);
  }, (error) => showError(error, box));
  return box;
}

export function initViolations(container, context) {
  const selects = {
    scope: h('select', { id: 'violations-scope', name: 'scope' }),
    outcome: h('select', { id: 'violations-outcome', name: 'outcome' }),
    rule: h('select', { id: 'violations-rule', name: 'rule' }),
    layer: h('select', { id: 'violations-layer', name: 'layer' }),
  };
  const shared = Object.fromEntries(['industry', 'town', 'keyUnit', 'status', 'quality']
    .map((name) => [name, filterSelect(name, `violations-${name}`, context)]));
  const inView = h('input', { type: 'checkbox', id: 'violations-in-view' });
  const showMarks = h('input', { type: 'checkbox', id: 'violations-marks', checked: true });
  const stats = h('div', { id: 'violations-summary', class: 'summary' });
  const breakdown = h('div', { class: 'breakdown' });
  const listHead = h('div', { class: 'list-head' });
  const list = h('ul', { class: 'result-list', id: 'violations-list' });
  const pager = h('div', { class: 'pager', id: 'violations-pager' });
  const csv = h('a', { class: 'button small', id: 'violations-export-csv', download: '' });
  const geojson = h('a', { class: 'button small', id: 'violations-export-geojson', download: '' });
  let rules = [];
  let summary = null;
  let page = null;

  const labelled = (key, select) => h('label', { class: 'field' }, h('span', { 'data-i18n': key }), select);
  const form = h('form', { class: 'filter-grid', id: 'violations-filters' },
    labelled('violations.scope', selects.scope),
    labelled('violations.outcome', selects.outcome), labelled('violations.rule', selects.rule),
    labelled('violations.layer', selects.layer), Object.values(shared).map((f) => f.label),
    h('label', { class: 'check span-2' }, inView, h('span', { 'data-i18n': 'violations.inView' })),
    h('button', { type: 'reset', class: 'text-button', 'data-i18n': 'common.reset' }));
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.violations' }), stats,
      h('label', { class: 'check' }, showMarks, h('span', { 'data-i18n': 'violations.showMarks' })),
      h('details', { class: 'filters-box', id: 'violations-filter-box' },
        h('summary', { 'data-i18n': 'violations.filters' }), breakdown, form)),
    listHead, list, pager);

  function fillSelects() {
    refill(selects.scope, SCOPES.map((s) => [s, t(`violations.scope.${s}`)]));
    refill(selects.outcome, [['', t('violations.anyOutcome')], ...OUTCOMES.map((o) => [o, t(`outcome.${o}`)])]);
    refill(selects.rule, [['', t('violations.anyRule')], ...rules.map((r) => [r.id, `${r.id} ${tr(r.title)}`])]);
    refill(selects.layer, [['', t('violations.anyLayer')],
      ...allLayers().filter((l) => l.id !== 'enterprises').map((l) => [l.id, tr(l.title)])]);
    Object.values(shared).forEach((f) => f.refill());
  }

  function filters() {
    const values = {};
    [...Object.values(selects), ...Object.values(shared).map((f) => f.select)].forEach((s) => { values[s.name] = s.value; });
    if (inView.checked) values.bbox = context.map.getBounds().toBBoxString();
    return values;
  }

  function exportLinks(current) {
    csv.href = '/api/violations' + api.query({ ...current, format: 'csv', lang: lang() });
    geojson.href = '/api/violations' + api.query({ ...current, format: 'geojson', lang: lang() });
    csv.textContent = t('export.table');
    csv.title = t('export.tableTitle');
    geojson.textContent = t('export.mapData');
    geojson.title = t('export.mapDataTitle');
  }

  // A page by number, or (turning pages) by the key of the page before or after it, which costs the same at any depth.
  async function load(number, from) {
    const current = filters();
    exportLinks(current);
    listHead.textContent = t('common.loading');
    try {
      page = await api.get('/api/violations' + api.query({ ...current, page: number, size: SIZE, ...from }));
      renderList();
      if (page.total > MARK_ALL || number === 1) await loadMarks(current);
    } catch (error) {
      showError(error, listHead);
    }
  }

  // The firms of the list ringed where the map is (and a little around): at a province's scale the whole list
  // would be too many; the clusters count the breaches they hold from the tiles.
  async function loadMarks(current) {
    if (!showMarks.checked) {
      markBreaches(new Map());
      return;
    }
    // a long list rings the page shown; a short one, its firms in the view (before the first page, nothing:
    // whether the list is long is not known yet, and its load rings them)
    if (!page) return;
    if (page.total > MARK_ALL) {
      markBreaches(ringsOf(pageFeatures(page)));
      return;
    }
    const view = context.map.getBounds().pad(0.25);
    const box = [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()]
      .map((v, i) => Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)).toFixed(6)).join(',');
    markBreaches(ringsOf(await api.get('/api/violations' + api.query({ ...current, bbox: current.bbox || box, format: 'geojson' }))));
  }

  // the page's rows as the GeoJSON export gives them
  function pageFeatures(shown) {
    return { features: shown.items.map((item) => ({
      geometry: { coordinates: [item.enterprise.lon, item.enterprise.lat] },
      properties: { enterpriseId: item.enterprise.id, name: item.enterprise.name, ruleId: item.rule.id,
        binding: item.binding, outcome: item.outcome },
    })) };
  }

  // While a recompute is pending the list is the last one computed: say so, and look again until it is current.
  let recheck = null;
  async function loadSummary() {
    clearTimeout(recheck);
    try {
      const wasPending = summary && summary.pending;
      summary = await api.get('/api/violations/summary');
      renderSummary();
      if (summary.pending) {
        recheck = setTimeout(loadSummary, RECHECK_MS);
      } else if (wasPending) {
        load(1);
      }
    } catch (error) {
      showError(error, stats);
    }
  }

  function setFilter(select, value) {
    select.value = value;
    load(1);
  }

  function renderSummary() {
    if (!summary) return;
    const card = (key, value, extra) => h('div', { class: `stat ${extra || ''}` },
      h('span', { class: 'stat-value', text: formatNumber(value) }), h('span', { class: 'stat-label', text: t(key) }));
    fill(stats,
      h('div', { class: 'stats' },
        card('violations.breaches', summary.breaches),
        card('violations.enterprises', summary.enterprises),
        card('outcome.PROHIBITED', summary.byOutcome.PROHIBITED || 0, 'outcome-PROHIBITED'),
        card('outcome.RESTRICTED', summary.byOutcome.RESTRICTED || 0, 'outcome-RESTRICTED'),
        card('violations.unchecked', summary.byVerdict.INCOMPLETE || 0, 'outcome-INCOMPLETE')),
      summary.byVerdict.INCOMPLETE
        ? h('p', { class: 'hint', id: 'violations-unchecked-note', text: t('violations.uncheckedNote', { n: summary.byVerdict.INCOMPLETE }) }) : null,
      summary.closedEnterprisesWithBreaches
        ? h('p', { class: 'hint', text: t('violations.closedNote', { n: summary.closedEnterprisesWithBreaches }) }) : null,
      freshness(summary),
      h('p', { class: 'muted small', text: t('violations.computedAt', { time: formatTime(summary.computedAt), day: summary.asOf }) }));
    fill(breakdown,
      h('h4', { text: t('violations.byRule') }),
      h('ul', { class: 'bars' }, summary.byRule.map((r) => h('li', {},
        h('button', { type: 'button', class: 'bar-button', onclick: () => setFilter(selects.rule, r.ruleId) },
          outcomeBadge(r.outcome), h('span', { class: 'bar-label', text: tr(r.title) }), h('span', { class: 'bar-count', text: r.count }))))),
      h('div', { class: 'chips' }, h('span', { class: 'muted small', text: t('violations.byTown') }),
        Object.entries(summary.byTown).map(([town, n]) => h('button', { type: 'button', class: 'chip',
          onclick: () => setFilter(shared.town.select, town) }, `${town} ${n}`))));
  }

  function renderList() {
    if (!page) return;
    fill(listHead, h('span', { id: 'violations-total', text: t('violations.total', { n: formatNumber(page.total) }) }),
      h('span', { class: 'button-row' }, h('span', { class: 'muted small', text: t('violations.export') }), csv, geojson));
    fill(list, page.items.length ? page.items.map(row) : h('li', { class: 'muted empty-state', text: t('violations.none') }));
    const pages = Math.max(1, Math.ceil(page.total / page.size));
    fill(pager, pages === 1 ? null : [
      h('button', { type: 'button', class: 'button small', disabled: !page.previous, text: t('common.previous'),
        onclick: () => load(page.page - 1, { before: page.previous }) }),
      h('span', { text: t('common.pageOf', { page: page.page, pages }) }),
      h('button', { type: 'button', class: 'button small', disabled: !page.next, text: t('common.next'),
        onclick: () => load(page.page + 1, { after: page.next }) })]);
  }

  function row(item) {
    const e = item.enterprise;
    const place = item.inside ? t('siting.inside') : t('siting.distance', { d: formatDistance(item.distanceMeters) });
    const details = h('div', { class: 'violation-details', hidden: true }, citationView(item.citation));
    // The firm and the zone it breaches together, framed so both show (a large zone is seen whole, with its outline),
    // then the firm's popup, which names the rule and its citation.
    const open = async () => {
      details.hidden = !details.hidden;
      context.focusMap();
      const zone = await highlightFeatures([{ layer: item.feature.layer, featureId: item.feature.id,
        label: featureLabel(item.feature.layerTitle, item.feature.name) }]);
      const firm = enterpriseLatLng(e.id) || L.latLng(e.lat, e.lon);
      const bounds = highlightPoint(firm);
      context.map.once('moveend', () => openEnterprisePopup(e.id, firm));
      frame(zone.all.isValid() ? bounds : L.latLngBounds([firm, firm]), undefined, { top: popupRoom() });
    };
    const conflict = item.binding === 'NEW_PROJECTS';
    return h('li', { class: `violation-row outcome-${item.outcome}${conflict ? ' binding-NEW_PROJECTS' : ''}`, 'data-binding': item.binding },
      h('button', { type: 'button', class: 'result', 'data-enterprise-id': e.id, onclick: open },
        h('span', { class: 'result-main' },
          h('span', { class: 'result-title' }, conflict
            ? h('span', { class: 'badge binding-NEW_PROJECTS', title: t('violations.conflictHint'), text: t('violations.conflict') })
            : outcomeBadge(item.outcome), ' ', e.name),
          h('span', { class: 'result-meta', text: `${item.rule.id} ${tr(item.rule.title)}` }),
          h('span', { class: 'result-meta', text: `${featureLabel(item.feature.layerTitle, item.feature.name)} — ${place}` }),
          h('span', { class: 'result-meta', text: [e.town, industryName(e), valueLabel(e.status)].filter(Boolean).join(' · ') }))),
      details);
  }

  form.addEventListener('change', () => load(1));
  form.addEventListener('reset', () => setTimeout(() => load(1)));
  showMarks.addEventListener('change', () => loadMarks(filters()).catch((error) => showError(error)));
  let marksLater = null;
  context.map.on('moveend', () => {
    clearTimeout(marksLater);
    if (inView.checked) load(1);
    else marksLater = setTimeout(() => loadMarks(filters()).catch((error) => showError(error)), 250);
  });
  document.addEventListener('pollumap:data-changed', () => {
    loadSummary();
    load(1);
  });
  onLangChange(() => {
    fillSelects();
    renderSummary();
    exportLinks(filters());
    renderList();
  });

  addPopupExtra(breachesOfFirm);
  fillSelects();
  api.get('/api/rules').then((list) => {
    rules = list;
    fillSelects();
  }, (error) => showError(error));
  loadSummary();
  load(1);
}
