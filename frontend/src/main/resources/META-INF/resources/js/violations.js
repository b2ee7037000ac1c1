// 违规清单 (inspectors): enterprises that breach a siting rule where they stand: the summary counts, filters,
// the list with paging (a row flies to the firm and outlines the zone it breaches), CSV/GeoJSON export, and
// red rings on the map around the firms in the list.
import * as api from './api.js';
import { filterSelect } from './filters.js';
import { featureLabel, highlightFeatures } from './highlight.js';
import { formatDistance, formatNumber, formatTime, onLangChange, t, tr, valueLabel } from './i18n.js';
import { allLayers, industryOf, showEnterprise } from './layers.js';
import { citationView, fill, h, outcomeBadge, refill, showError } from './ui.js';

const SIZE = 50;
const RECHECK_MS = 3000;
// Up to this many breaches the map rings them all; past it (a province holds hundreds of thousands), those of the page.
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

/** One ring per firm (its worst outcome), under the enterprise symbols, so it shows through clusters too. */
function drawMarks(group, collection) {
  group.clearLayers();
  const byFirm = new Map();
  for (const feature of collection.features) {
    const id = feature.properties.enterpriseId;
    const firm = byFirm.get(id) || { feature, rules: [], prohibited: false, breach: false };
    firm.rules.push(feature.properties.ruleId);
    const breach = feature.properties.binding === 'EXISTING';
    firm.breach ||= breach;
    firm.prohibited ||= breach && feature.properties.outcome === 'PROHIBITED';
    byFirm.set(id, firm);
  }
  for (const [id, firm] of byFirm) {
    const [lon, lat] = firm.feature.geometry.coordinates;
    const outcome = firm.prohibited ? 'PROHIBITED' : 'RESTRICTED';
    L.marker([lat, lon], {
      pane: 'pm-marks',
      icon: L.divIcon({ className: `violation-mark outcome-${outcome}${firm.breach ? '' : ' binding-NEW_PROJECTS'}`,
        iconSize: [38, 38] }),
      keyboard: false,
    }).bindTooltip(`${firm.feature.properties.name} — ${firm.rules.join(' ')}`, { direction: 'top', offset: [0, -16] })
      .on('click', () => showEnterprise(id))
      .addTo(group);
  }
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
  const csv = h('a', { class: 'button small', id: 'violations-export-csv', download: '', text: 'CSV' });
  const geojson = h('a', { class: 'button small', id: 'violations-export-geojson', download: '', text: 'GeoJSON' });
  const marks = L.featureGroup().addTo(context.map);
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

  // A page by number, or (turning pages) by the key of the page before or after it, which costs the same at any depth.
  async function load(number, from) {
    const current = filters();
    csv.href = '/api/violations' + api.query({ ...current, format: 'csv' });
    geojson.href = '/api/violations' + api.query({ ...current, format: 'geojson' });
    listHead.textContent = t('common.loading');
    try {
      page = await api.get('/api/violations' + api.query({ ...current, page: number, size: SIZE, ...from }));
      renderList();
      if (page.total > MARK_ALL || number === 1) await loadMarks(current);
    } catch (error) {
      showError(error, listHead);
    }
  }

  async function loadMarks(current) {
    if (!showMarks.checked) {
      marks.clearLayers();
      return;
    }
    drawMarks(marks, page.total > MARK_ALL ? pageFeatures(page)
      : await api.get('/api/violations' + api.query({ ...current, format: 'geojson' })));
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
    const open = async () => {
      details.hidden = !details.hidden;
      context.focusMap();
      showEnterprise(e.id);
      await highlightFeatures([{ layer: item.feature.layer, featureId: item.feature.id, label: featureLabel(item.feature.layerTitle, item.feature.name) }]);
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
  context.map.on('moveend', () => {
    if (inView.checked) load(1);
  });
  document.addEventListener('pollumap:data-changed', () => {
    loadSummary();
    load(1);
  });
  onLangChange(() => {
    fillSelects();
    renderSummary();
    renderList();
  });

  fillSelects();
  api.get('/api/rules').then((list) => {
    rules = list;
    fillSelects();
  }, (error) => showError(error));
  loadSummary();
  load(1);
}
