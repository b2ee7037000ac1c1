// 查询: find enterprises by name or credit code and filter them; a result flies the map to the firm.
import * as api from './api.js';
import { filterSelect } from './filters.js';
import { formatNumber, onLangChange, t, tr, valueLabel } from './i18n.js';
import { categoryOf, industryOf, showEnterprise } from './layers.js';
import { debounce, fill, h, showError } from './ui.js';

const LIMIT = 100;

export function initSearch(container, context) {
  const input = h('input', { type: 'search', id: 'search-input', autocomplete: 'off', 'data-i18n-placeholder': 'search.placeholder' });
  const filters = ['industry', 'town', 'keyUnit', 'status', 'quality']
    .map((name) => filterSelect(name, `search-${name}`, context, () => run(false)));
  const summary = h('div', { class: 'result-summary', id: 'search-summary', role: 'status' });
  const list = h('ul', { class: 'result-list', id: 'search-results' });
  const form = h('form', { class: 'stack', id: 'search-form', role: 'search' },
    h('div', { class: 'search-row' }, input,
      h('button', { type: 'submit', class: 'button primary', id: 'search-submit', 'data-i18n': 'search.submit' })),
    h('div', { class: 'filter-grid' }, filters.map((f) => f.label)),
    h('button', { type: 'button', class: 'text-button', id: 'search-reset', 'data-i18n': 'common.reset', onclick: reset }));
  fill(container, h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.search' }), form), summary, list);

  let last = null;
  let controller = null;

  function params() {
    const values = { q: input.value.trim(), limit: LIMIT };
    filters.forEach((f) => { values[f.select.name] = f.select.value; });
    return values;
  }

  // zoom: fit the map to the results (on an explicit search, not on every keystroke).
  async function run(zoom) {
    if (controller) controller.abort();
    controller = new AbortController();
    summary.textContent = t('common.loading');
    try {
      last = await api.get('/api/enterprises' + api.query(params()), { signal: controller.signal });
      render();
      if (zoom) zoomToResults();
    } catch (error) {
      if (error.name !== 'AbortError') showError(error, summary);
    }
  }

  function zoomToResults() {
    if (last.items.length === 1) {
      showEnterprise(last.items[0].id);
    } else if (last.items.length > 1) {
      context.map.flyToBounds(L.latLngBounds(last.items.map((e) => [e.lat, e.lon])), { padding: [40, 40], maxZoom: 15, duration: 0.6 });
    }
  }

  function render() {
    if (!last) return;
    summary.textContent = last.total > last.items.length
      ? t('search.someOf', { shown: formatNumber(last.items.length), total: formatNumber(last.total) })
      : t('search.count', { total: formatNumber(last.total) });
    fill(list, last.items.map((e) => {
      const industry = industryOf(e.industryCode);
      const category = categoryOf(e.industryCode);
      return h('li', {},
        h('button', { type: 'button', class: 'result', 'data-enterprise-id': e.id, onclick: () => { context.focusMap(); showEnterprise(e.id); } },
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
  });
  document.addEventListener('pollumap:data-changed', (e) => {
    if (e.detail.layer === 'enterprises') run(false);
  });
  run(false);
}
