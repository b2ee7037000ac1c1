// The enterprise filters that the search and the violation list share: industry (a category or a GB/T 4754
// code), town, key discharge unit, status and data quality, with the counts from /api/enterprises/facets.
import { formatNumber, t, tr, valueLabel } from './i18n.js';
import { layerInfo } from './layers.js';
import { h, options } from './ui.js';

const KEY_UNITS = ['water', 'air', 'soil', 'noise'];

function counted(label, count) {
  return count === undefined ? label : `${label} (${formatNumber(count)})`;
}

/** The option elements of each filter, in the current language. */
function filterOptions(name, { industries, facets }) {
  switch (name) {
    case 'industry': {
      const categories = Object.entries(industries.categories)
        .map(([zh, category]) => [zh, tr({ zh, en: category.en })]);
      const present = facets.industries.map((i) => [i.value, counted(`${i.value} ${tr(i)}`, i.count)]);
      return [h('option', { value: '', text: t('filters.allIndustries') }),
        h('optgroup', { label: t('filters.categories') }, options(categories)),
        h('optgroup', { label: t('filters.industries') }, options(present))];
    }
    case 'town':
      return [h('option', { value: '', text: t('filters.allTowns') }),
        ...options(facets.towns.map((town) => [town.value, counted(town.value, town.count)]))];
    case 'keyUnit':
      return [h('option', { value: '', text: t('filters.anyKeyUnit') }),
        ...options(KEY_UNITS.map((k) => [k, t(`keyUnit.${k}`)]))];
    case 'status':
      return [h('option', { value: '', text: t('filters.anyStatus') }),
        ...options(facets.statuses.map((s) => [s.value, counted(valueLabel(s.value), s.count)]))];
    case 'quality': {
      const field = (name) => tr(layerInfo('enterprises').fields.find((f) => f.name === name).title);
      return [h('option', { value: '', text: t('filters.anyQuality') }),
        ...options([['flagged', t('filters.flagged')], ['clean', t('filters.clean')],
          ...facets.quality.map((q) => [q.value, counted(t('filters.flaggedField', { field: field(q.value) }), q.count)])])];
    }
    default:
      throw new Error('unknown filter ' + name);
  }
}

/**
 * A labelled select for one filter (onChange optional); `refill()` rebuilds its options in the current language,
 * keeping the choice.
 */
export function filterSelect(name, id, data, onChange) {
  const select = h('select', { id, name, onchange: onChange });
  const refill = () => {
    const value = select.value;
    select.replaceChildren(...filterOptions(name, data));
    select.value = value;
  };
  refill();
  const label = h('label', { class: 'field' }, h('span', { 'data-i18n': `filters.${name}` }), select);
  return { label, select, refill };
}
