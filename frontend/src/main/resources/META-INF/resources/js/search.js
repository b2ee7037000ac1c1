// 查询: find enterprises by any part of their name, credit code or address (every word must match) and filter them;
// the firms found are picked out on the map, the others dimmed, and the map fits them; a result flies to the firm;
// the result list is exported as a table or a map data file.
import * as api from './api.js';
import { filterSelect } from './filters.js';
import { formatNumber, lang, onLangChange, t, tr, valueLabel } from './i18n.js';
import { categoryOf, focusEnterprises, frame, industryOf, showEnterprise } from './layers.js';
import { debounce, fill, h, showError } from './ui.js';

/** Firms listed in the panel; the map picks out up to FETCH of them. */
const SHOWN = 100;
const FETCH = 1000;

export function initSearch(container, context) {
  const input = h('input', { type: 'search', id: 'search-input', autocomplete: 'off', 'data-i18n-placeholder': 'search.placeholder' });
  const filters = ['industry', 'town', 'keyUnit', 'status', 'quality']
    .map((name) => filterSelect(name, `search-${name}`, context, () => run(true)));
  const summary = h('div', { class: 'result-summary', id: 'search-summary', role: 'status' });
  const exports = h('div', { class: 'button-row export-row', id: 'search-export', hidden: true });
  const list = h('ul', { class: 'result-list', id: 'search-results' });
  const form = h('form', { class: 'stack', id: 'search-form', role: 'search' },
    h('div', { class: 'search-row' }, input,
      h('button', { type: 'submit', class: 'button primary', id: 'search-submit', 'data-i18n': 'search.submit' })),
    h('p', { class: 'hint', 'data-i18n': 'search.hint' }),
    h('div', { class: 'filter-grid' }, filters.map((f) => f.label)),
    h('button', { type: 'button', class: 'text-button', id: 'search-reset', 'data-i18n': 'common.reset', onclick: reset }));
  fill(container, h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.search' }), form), summary, exports, list);
  const banner = focusBanner(context.map, reset);

  let last = null;
  let controller = null;

  function params() {
    const values = { q: input.value.trim() };
    filters.forEach((f) => { values[f.select.name] = f.select.value; });
    return values;
  }

  const active = (values) => Object.values(values).some(Boolean);

  // zoom: fit the map to the results (on a search or a filter chosen, not on every keystroke).
  async function run(zoom) {
    if (controller) controller.abort();
    controller = new AbortController();
    summary.textContent = t('common.loading');
    const values = params();
    try {
      last = await api.get('/api/enterprises' + api.query({ ...values, limit: FETCH }), { signal: controller.signal });
      last.params = values;
      last.active = active(values);
      render();
      showOnMap(zoom);
    } catch (error) {
      if (error.name !== 'AbortError') showError(error, summary);
    }
  }

  /** The firms found picked out on the map (the others dimmed) while a search or filter is set. */
  function showOnMap(zoom) {
    if (!last.active) {
      focusEnterprises(null);
      banner.show(null);
      return;
    }
    focusEnterprises(last.items.map((e) => e.id));
    banner.show(last);
    if (!zoom || !last.items.length) return;
    if (last.items.length === 1) {
      showEnterprise(last.items[0].id, L.latLng(last.items[0].lat, last.items[0].lon));
    } else {
      frame(L.latLngBounds(last.items.map((e) => [e.lat, e.lon])), 15);
    }
  }

  function exportLink(format, key) {
    return h('a', { class: 'button small', id: `search-export-${format}`, download: '', text: t(key), title: t(`${key}Title`),
      href: '/api/enterprises' + api.query({ ...last.params, format, lang: lang() }) });
  }

  function render() {
    if (!last) return;
    const parts = [t('search.count', { total: formatNumber(last.total) })];
    if (last.total > SHOWN) parts.push(t('search.listed', { shown: formatNumber(Math.min(SHOWN, last.items.length)) }));
    if (last.active && last.total > last.items.length) parts.push(t('search.mapped', { n: formatNumber(last.items.length) }));
    summary.textContent = parts.join(lang() === 'en' ? '; ' : '，');
    exports.hidden = last.total === 0;
    fill(exports, h('span', { class: 'muted small', text: t('search.export') }),
      exportLink('csv', 'export.table'), exportLink('geojson', 'export.mapData'));
    fill(list, last.items.slice(0, SHOWN).map((e) => {
      const industry = industryOf(e.industryCode);
      const category = categoryOf(e.industryCode);
      return h('li', {},
        h('button', { type: 'button', class: 'result', 'data-enterprise-id': e.id, onclick: () => { context.focusMap(); showEnterprise(e.id, L.latLng(e.lat, e.lon)); } },
          h('span', { class: `swatch-marker enterprise-marker cat-${category.key}${e.status === '关闭' ? ' is-closed' : ''}` },
            h('span', { text: category.glyph })),
          h('span', { class: 'result-main' },
            h('span', { class: 'result-title', text: e.name }),
            h('span', { class: 'result-meta', text: [industry ? tr(industry) : e.industryName, e.town, valueLabel(e.status)].filter(Boolean).join(' · ') }),
            e.creditCode ? h('span', { class: 'result-meta mono', text: e.creditCode }) : null,
            e.quality.length ? h('span', { class: 'result-meta quality-note', text: e.quality.map((f) => tr(f.issue)).join('；') }) : null)));
    }));
  }

  function reset() {
    input.value = '';
    filters.forEach((f) => { f.select.value = ''; });
    run(false);
  }

  const typing = debounce(() => run(false));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    typing.cancel();
    run(true);
  });
  input.addEventListener('input', typing);
  onLangChange(() => {
    filters.forEach((f) => f.refill());
    render();
    if (last && last.active) banner.show(last);
  });
  document.addEventListener('pollumap:data-changed', (e) => {
    if (e.detail.layer === 'enterprises') run(false);
  });
  run(false);
}

/** The line on the map that says a search is picking firms out, with the way to clear it. */
function focusBanner(map, clear) {
  const box = h('div', { class: 'map-banner', id: 'search-focus', hidden: true });
  const control = L.control({ position: 'topright' });
  control.onAdd = () => {
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  control.addTo(map);
  return {
    show(result) {
      box.hidden = !result;
      if (!result) return;
      fill(box, h('span', { text: t('search.onMap', { n: formatNumber(result.total) }) }),
        h('button', { type: 'button', class: 'text-button small', id: 'search-focus-clear', text: t('search.clearFocus'), onclick: clear }));
    },
  };
}
