// The choices a planner makes before any rule is read, shared by the siting check and the suitability map:
// the industry (GB/T 4754-2017, filtered by code, name or category), the project type, the administrative
// division.
import * as api from './api.js';
import { t, tr } from './i18n.js';
import { h, options, refill } from './ui.js';

const PROJECT_TYPES = ['new', 'expansion', 'rebuild', 'relocation'];

/** A filter box over a list of industries; `element` holds both, `select.value` is the chosen code. */
export function industryPicker(industries, id) {
  const search = h('input', { type: 'search', id: `${id}-search`, autocomplete: 'off', 'data-i18n-placeholder': 'siting.industryFilter' });
  const select = h('select', { id, size: 6, required: true });

  function render() {
    const filter = search.value.trim().toLowerCase();
    const chosen = select.value;
    const matches = industries.industries.filter((i) => !filter || i.code.startsWith(filter)
      || i.zh.includes(filter) || i.en.toLowerCase().includes(filter) || i.categories.some((c) => c.includes(filter)));
    select.replaceChildren(...options(matches.map((i) => [i.code, `${i.code} ${tr(i)}`]), chosen));
    if (!select.value && matches.length === 1) select.value = matches[0].code;
  }

  /** Selects an industry by code, clearing a filter that would hide it. */
  function choose(code) {
    if (![...select.options].some((o) => o.value === code)) {
      search.value = '';
      render();
    }
    select.value = code;
  }

  search.addEventListener('input', render);
  render();
  return { element: [search, select], select, render, choose };
}

/** 新建 / 扩建 / 改建 / 搬迁. */
export function projectTypePicker(id) {
  const select = h('select', { id });
  const render = () => refill(select, PROJECT_TYPES.map((p) => [p, t(`projectType.${p}`)]));
  render();
  return { select, render };
}

let divisions = null;

/** The administrative divisions loaded (adcode, name), by code; read once, again after the boundaries change. */
export function loadDivisions() {
  if (!divisions) {
    divisions = api.get('/ogc/collections/admin_boundaries/items?limit=1000')
      .then((fc) => fc.features.map((f) => ({ adcode: f.properties.adcode, name: f.properties.name }))
        .filter((d) => d.adcode).sort((a, b) => a.adcode.localeCompare(b.adcode)))
      .catch((error) => {
        divisions = null;
        throw error;
      });
  }
  return divisions;
}

document.addEventListener('pollumap:data-changed', ({ detail }) => {
  if (detail.layer === 'admin_boundaries') divisions = null;
});
