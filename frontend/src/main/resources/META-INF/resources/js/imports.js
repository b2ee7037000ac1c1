// 数据导入 (GIS staff): upload a file into a layer with a field mapping suggested by the server's preview,
// a progress bar, the import report, the import history with rollback, and the layers' coverage: where each is
// declared complete (an empty answer there means "none", not "not loaded").
import * as api from './api.js';
import { formatNumber, formatTime, lang, onLangChange, t, tr } from './i18n.js';
import { allLayers, layerInfo } from './layers.js';
import { loadDivisions } from './pickers.js';
import { busy, fill, h, options, refill, showError, toast } from './ui.js';

const ACCEPT = '.zip,.geojson,.json,.gpkg,.kml,.kmz';
const COUNTS = ['read', 'loaded', 'repaired', 'rejected', 'flagged', 'replaced'];

/** Tells the map, the search and the violation list that a layer's features changed (importId: show them). */
function dataChanged(layer, importId) {
  document.dispatchEvent(new CustomEvent('pollumap:data-changed', { detail: { layer, importId } }));
}

export function initImports(container) {
  const file = h('input', { type: 'file', id: 'import-file', accept: ACCEPT, required: true });
  const layer = h('select', { id: 'import-layer', required: true });
  const modes = ['append', 'replace'].map((mode) => h('input', { type: 'radio', name: 'mode', value: mode, id: `import-mode-${mode}`, checked: mode === 'append' }));
  const srid = h('input', { type: 'text', id: 'import-srid', inputmode: 'numeric', 'data-i18n-placeholder': 'imports.sridPlaceholder' });
  const encoding = h('select', { id: 'import-encoding' });
  const sourceLayer = h('input', { type: 'text', id: 'import-source-layer', 'data-i18n-placeholder': 'imports.sourceLayerPlaceholder' });
  const coverage = h('select', { id: 'import-coverage' });
  const coverageLayer = h('select', { id: 'coverage-layer' });
  const coverageArea = h('select', { id: 'coverage-area' });
  const coverageNote = h('input', { type: 'text', id: 'coverage-note', maxlength: 500, 'data-i18n-placeholder': 'coverage.notePlaceholder' });
  const coverageList = h('div', { id: 'coverage-list' });
  let divisions = [];
  const previewBox = h('div', { id: 'import-preview', class: 'preview' });
  const progress = h('div', { class: 'progress', id: 'import-progress', hidden: true },
    h('div', { class: 'progress-bar' }), h('span', { class: 'progress-text' }));
  const submit = h('button', { type: 'submit', class: 'button primary wide', id: 'import-submit', 'data-i18n': 'imports.submit' });
  const reportBox = h('div', { id: 'import-report' });
  const historyLayer = h('select', { id: 'import-history-layer' });
  const history = h('div', { id: 'import-history' });
  let preview = null;
  let report = null;
  let reports = [];

  const form = h('form', { class: 'stack', id: 'import-form', novalidate: true },
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.file' }), file, h('span', { class: 'hint', 'data-i18n': 'imports.fileHint' })),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.layer' }), layer),
    h('fieldset', { class: 'field' }, h('legend', { 'data-i18n': 'imports.mode' }),
      modes.map((radio) => h('label', { class: 'check' }, radio, h('span', { 'data-i18n': `imports.mode.${radio.value}` }))),
      h('p', { class: 'hint', 'data-i18n': 'imports.replaceHint' })),
    h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.coverage' }), coverage,
      h('span', { class: 'hint', 'data-i18n': 'imports.coverageHint' })),
    h('details', { class: 'advanced' }, h('summary', { 'data-i18n': 'imports.advanced' }),
      h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.srid' }), srid),
      h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.encoding' }), encoding),
      h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.sourceLayer' }), sourceLayer)),
    previewBox, progress, submit);
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.imports' }), form),
    reportBox,
    h('section', { class: 'panel-section' }, h('h3', { 'data-i18n': 'imports.history' }),
      h('p', { class: 'hint', 'data-i18n': 'common.beijingTimes' }),
      h('label', { class: 'field inline' }, h('span', { 'data-i18n': 'imports.layer' }), historyLayer), history),
    h('section', { class: 'panel-section', id: 'coverage-section' }, h('h3', { 'data-i18n': 'coverage.title' }),
      h('p', { class: 'hint', 'data-i18n': 'coverage.hint' }),
      h('form', { class: 'stack', id: 'coverage-form' },
        h('label', { class: 'field' }, h('span', { 'data-i18n': 'imports.layer' }), coverageLayer),
        h('label', { class: 'field' }, h('span', { 'data-i18n': 'coverage.area' }), coverageArea),
        h('label', { class: 'field' }, h('span', { 'data-i18n': 'coverage.note' }), coverageNote),
        h('button', { type: 'submit', class: 'button', id: 'coverage-declare', 'data-i18n': 'coverage.declare' })),
      coverageList));

  function fillSelects() {
    const layerPairs = allLayers().map((l) => [l.id, tr(l.title)]);
    refill(layer, [['', t('imports.chooseLayer')], ...layerPairs]);
    refill(historyLayer, [['', t('imports.allLayers')], ...layerPairs]);
    refill(encoding, [['', t('imports.encodingAuto')], ['GBK', 'GBK / GB18030'], ['UTF-8', 'UTF-8'],
      ['ISO-8859-1', 'ISO-8859-1 (Latin-1)']]);
    const areas = [['all', t('coverage.all')], ...divisions.map((d) => [d.adcode, `${d.name}（${d.adcode}）`])];
    refill(coverage, [['', t('imports.coverageNone')], ...areas]);
    refill(coverageLayer, layerPairs.filter(([id]) => id !== 'admin_boundaries' && id !== 'enterprises'));
    refill(coverageArea, areas);
  }

  // ---- coverage ----

  async function showDivisions() {
    try {
      divisions = await loadDivisions();
      fillSelects();
    } catch (error) {
      showError(error, coverageList);
    }
  }

  async function loadCoverage() {
    if (!coverageLayer.value) return;
    try {
      renderCoverage(await api.get(`/api/layers/${coverageLayer.value}/coverage`));
    } catch (error) {
      showError(error, coverageList);
    }
  }

  function renderCoverage(list) {
    const current = list.filter((d) => !d.endedAt);
    fill(coverageList, current.length ? h('ul', { class: 'plain-list', id: 'coverage-current' }, current.map((d) => {
      const withdraw = h('button', { type: 'button', class: 'text-button small', text: t('coverage.withdraw') });
      withdraw.addEventListener('click', async () => {
        try {
          renderCoverage(await busy(withdraw, () => api.request(`/api/layers/${d.layer}/coverage/${d.id}`, { method: 'DELETE' })));
          dataChanged(d.layer);
        } catch (error) {
          showError(error, coverageList);
        }
      });
      const area = d.adcode ? (d.divisions.join('、') || d.adcode) : t('coverage.all');
      return h('li', { 'data-declaration': d.id }, h('strong', { text: area }), ' ',
        h('span', { class: 'muted small', text: [d.importId ? t('coverage.byImport', { id: d.importId }) : d.declaredBy,
          formatTime(d.declaredAt), d.note].filter(Boolean).join(' · ') }), ' ', withdraw);
    })) : h('p', { class: 'notice warn small', text: t('coverage.none') }));
  }

  container.querySelector('#coverage-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const list = await api.post(`/api/layers/${coverageLayer.value}/coverage`,
        { coverage: coverageArea.value, note: coverageNote.value.trim() || null });
      coverageNote.value = '';
      renderCoverage(list);
      toast(t('coverage.declared'), 'success');
      dataChanged(coverageLayer.value);
    } catch (error) {
      showError(error, coverageList);
    }
  });

  // ---- preview and field mapping ----

  /** The file and how to read it: what both the preview and the import are sent. */
  function fileForm() {
    const data = new FormData();
    data.append('file', file.files[0]);
    data.append('layer', layer.value);
    if (srid.value.trim()) data.append('srid', srid.value.trim());
    if (encoding.value) data.append('encoding', encoding.value);
    if (sourceLayer.value.trim()) data.append('sourceLayer', sourceLayer.value.trim());
    return data;
  }

  // Only the answer to the latest preview counts (the user may pick another file while one is read).
  let previewRun = 0;
  async function runPreview() {
    const run = ++previewRun;
    preview = null;
    if (!file.files.length || !layer.value) {
      fill(previewBox);
      return;
    }
    fill(previewBox, h('div', { class: 'loading-line' }, h('span', { class: 'spinner' }), t('imports.reading')));
    try {
      const answer = await api.request('/api/imports/preview', { method: 'POST', form: fileForm() });
      if (run !== previewRun) return;
      preview = answer;
      renderPreview();
    } catch (error) {
      if (run === previewRun) showError(error, previewBox);
    }
  }

  function renderPreview() {
    if (!preview) return;
    const previous = mappingChoices();
    const info = layerInfo(preview.layer);
    const missing = new Set(preview.missingRequired || []);
    const rows = info.fields.map((field) => {
      const select = h('select', { class: 'mapping-select', 'data-field': field.name, id: `import-map-${field.name}` },
        options([['', t('imports.notMapped')], ...preview.fields.map((f) => [f, f])],
          field.name in previous ? previous[field.name] : preview.suggestedMapping[field.name] || ''));
      return h('tr', { class: missing.has(field.name) ? 'missing' : '' },
        h('th', {}, tr(field.title), field.required ? h('span', { class: 'required', title: t('imports.required'), text: ' *' }) : null),
        h('td', {}, select));
    });
    fill(previewBox,
      h('dl', { class: 'facts' },
        fact('imports.features', formatNumber(preview.features)),
        fact('imports.geometry', geometryWords(preview.geometryTypes)),
        fact('imports.crs', preview.sourceSrid ? `EPSG:${preview.sourceSrid} ${preview.sourceCrs || ''}` : preview.sourceCrs || '—'),
        fact('imports.encodingFound', preview.encoding || '—')),
      warnings(preview.warnings),
      missing.size ? h('p', { class: 'notice error small', text: t('imports.missingRequired') }) : null,
      h('h4', { text: t('imports.mapping') }),
      h('table', { class: 'data-table mapping', id: 'import-mapping' },
        h('thead', {}, h('tr', {}, h('th', { text: t('imports.canonicalField') }), h('th', { text: t('imports.sourceField') }))),
        h('tbody', {}, rows)));
  }

  function mappingChoices() {
    const chosen = {};
    previewBox.querySelectorAll('.mapping-select').forEach((select) => { chosen[select.dataset.field] = select.value; });
    return chosen;
  }

  // ---- upload ----

  function setProgress(fraction) {
    progress.hidden = false;
    progress.classList.toggle('indeterminate', fraction === null);
    progress.querySelector('.progress-bar').style.width = fraction === null ? '100%' : `${Math.round(fraction * 100)}%`;
    progress.querySelector('.progress-text').textContent = fraction === null || fraction >= 1
      ? t('imports.processing') : t('imports.uploading', { percent: Math.round(fraction * 100) });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files.length) return showError(new Error(t('imports.needFile')), reportBox);
    if (!layer.value) return showError(new Error(t('imports.needLayer')), reportBox);
    const mode = modes.find((radio) => radio.checked).value;
    if (mode === 'replace' && !confirm(t('imports.confirmReplace', { layer: tr(layerInfo(layer.value).title) }))) return;
    const data = fileForm();
    data.append('mode', mode);
    if (preview) data.append('mapping', JSON.stringify(mappingChoices()));
    if (coverage.value) data.append('coverage', coverage.value);
    fill(reportBox);
    setProgress(0);
    try {
      report = await busy(submit, () => api.upload('/api/imports', data, (fraction) => setProgress(fraction >= 1 ? null : fraction)));
      renderReport();
      toast(t('imports.done', { n: report.counts.loaded }), 'success');
      // The file is in; clearing it keeps a second click from importing it twice.
      file.value = '';
      preview = null;
      fill(previewBox);
      reportBox.scrollIntoView({ block: 'start' });
      dataChanged(report.layer, report.id);
      loadHistory();
    } catch (error) {
      showError(error, reportBox);
      // a refused or failed import is in the history too, with its reason
      loadHistory();
    } finally {
      progress.hidden = true;
    }
  });

  function renderReport() {
    if (!report) return;
    fill(reportBox, h('section', { class: 'panel-section report', 'data-import-id': report.id },
      h('h3', { text: t('imports.report', { id: report.id }) }),
      h('p', { class: 'small', text: `${tr(layerInfo(report.layer).title)} · ${report.fileName} · ${t(`imports.mode.${report.mode.toLowerCase()}`)}` }),
      h('div', { class: 'stats' }, COUNTS.map((key) => h('div', { class: `stat count-${key}`, 'data-count': report.counts[key] },
        h('span', { class: 'stat-value', text: formatNumber(report.counts[key]) }), h('span', { class: 'stat-label', text: t(`imports.count.${key}`) })))),
      h('dl', { class: 'facts' },
        fact('imports.crs', report.sourceSrid ? `EPSG:${report.sourceSrid} ${report.sourceCrs || ''}` : '—'),
        fact('imports.encodingFound', report.encoding || '—'),
        fact('imports.sha256', report.sha256 ? report.sha256.slice(0, 16) + '…' : '—')),
      warnings(report.warnings),
      featureTable('import-rejections', 'imports.rejections', 'imports.reasons', report.rejections, (r) => r.reasons.map(tr)),
      featureTable('import-flagged', 'imports.flagged', 'imports.flags', report.flagged, (f) => f.flags.map((flag) => tr(flag.issue)))));
  }

  /** The features of a report that did not load, or loaded with flags: number, name, and why. */
  function featureTable(id, caption, column, rows, why) {
    return rows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', id },
      h('caption', { text: t(caption) }),
      h('thead', {}, h('tr', {}, ['imports.featureNo', 'imports.featureName', column].map((k) => h('th', { text: t(k) })))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('td', { class: 'num', text: r.feature }), h('td', { text: r.name || '' }), h('td', { text: why(r).join('；') })))))) : null;
  }

  // ---- history and rollback ----

  async function loadHistory() {
    try {
      reports = await api.get('/api/imports' + api.query({ layer: historyLayer.value, limit: 50 }));
      renderHistory();
    } catch (error) {
      showError(error, history);
    }
  }

  async function rollback(item, button) {
    if (!confirm(t('imports.confirmRollback', { id: item.id, file: item.fileName }))) return;
    try {
      const undone = await busy(button, () => api.request(`/api/imports/${item.id}/rollback`, { method: 'POST' }));
      toast(t('imports.rolledBack', { id: undone.id }), 'success');
      dataChanged(undone.layer);
      loadHistory();
    } catch (error) {
      showError(error);
    }
  }

  /** What an import came to: counts when it loaded, the reason when it did not, the step while it runs. */
  function outcome(item) {
    if (item.status === 'LOADED' || item.status === 'ROLLED_BACK') {
      return [`${t('imports.count.loaded')} ${formatNumber(item.counts.loaded)}`,
        item.counts.flagged ? `${t('imports.count.flagged')} ${formatNumber(item.counts.flagged)}` : null,
        item.counts.rejected ? `${t('imports.count.rejected')} ${formatNumber(item.counts.rejected)}` : null,
        item.counts.replaced ? `${t('imports.count.replaced')} ${formatNumber(item.counts.replaced)}` : null];
    }
    return [item.status === 'RUNNING' && item.phase ? t('imports.phase', { phase: t(`imports.phase.${item.phase}`) }) : null];
  }

  function renderHistory() {
    fill(history, reports.length ? h('ul', { class: 'history-list', id: 'import-history-list' }, reports.map((item) => {
      const info = layerInfo(item.layer);
      // Offered only where the server would do it; a loaded import that cannot be rolled back says why.
      const undo = item.rollback && item.rollback.allowed
        ? h('button', { type: 'button', class: 'button small import-rollback', 'data-import-id': item.id, text: t('imports.rollback') }) : null;
      if (undo) undo.addEventListener('click', () => rollback(item, undo));
      return h('li', { class: `history-item status-${item.status}${item.rolledBackAt ? ' rolled-back' : ''}`, 'data-import-id': item.id,
        'data-status': item.status },
        h('div', { class: 'history-main' },
          h('span', { class: 'history-title' }, `#${item.id} ${info ? tr(info.title) : item.layer} · ${t(`imports.mode.${item.mode.toLowerCase()}`)} `,
            h('span', { class: `badge import-status status-${item.status}`, text: t(`imports.status.${item.status}`) })),
          h('span', { class: 'result-meta file-name', title: item.fileName, text: item.fileName }),
          h('span', { class: 'result-meta', text: [formatTime(item.createdAt), item.user, ...outcome(item)].filter(Boolean).join(' · ') }),
          item.errorDetail ? h('span', { class: 'result-meta import-error', text: tr(item.errorDetail) }) : null,
          item.rolledBackAt ? h('span', { class: 'result-meta rolled-back-note', text: t('imports.rolledBackBy', { user: item.rolledBackBy, time: formatTime(item.rolledBackAt) }) }) : null,
          item.status === 'LOADED' && item.rollback && !item.rollback.allowed
            ? h('span', { class: 'result-meta muted rollback-refused', text: rollbackRefusal(item.rollback) }) : null),
        undo);
    })) : h('p', { class: 'muted', text: t('imports.noHistory') }));
  }

  file.addEventListener('change', runPreview);
  layer.addEventListener('change', runPreview);
  srid.addEventListener('change', runPreview);
  encoding.addEventListener('change', runPreview);
  sourceLayer.addEventListener('change', runPreview);
  historyLayer.addEventListener('change', loadHistory);
  coverageLayer.addEventListener('change', loadCoverage);
  document.addEventListener('pollumap:data-changed', (e) => {
    if (e.detail.layer === 'admin_boundaries') showDivisions();
    if (e.detail.layer === coverageLayer.value) loadCoverage();
  });
  onLangChange(() => {
    fillSelects();
    renderPreview();
    renderReport();
    renderHistory();
  });
  fillSelects();
  loadHistory();
  showDivisions().then(loadCoverage);
}

/** Why an import cannot be rolled back, in the panel's words. */
function rollbackRefusal(rollback) {
  if (rollback.refusal === 'later_import') {
    return t('imports.rollbackLater', { ids: rollback.laterImports.map((id) => `#${id}`).join(lang() === 'en' ? ', ' : '、') });
  }
  return rollback.refusal === 'archive_pruned' ? t('imports.archivePruned') : tr(rollback.reason);
}

// PostGIS's geometry type names, as the map's users say them.
const GEOMETRY_WORDS = { POINT: 'point', MULTIPOINT: 'point', LINESTRING: 'line', MULTILINESTRING: 'line', POLYGON: 'polygon',
  MULTIPOLYGON: 'polygon' };

function geometryWords(types) {
  if (!types) return '—';
  const words = types.split(/,\s*/).map((type) => (GEOMETRY_WORDS[type] ? t(`imports.geometry.${GEOMETRY_WORDS[type]}`) : type));
  return [...new Set(words)].join(lang() === 'en' ? ', ' : '、');
}

function fact(key, value) {
  return [h('dt', { text: t(key) }), h('dd', { text: value })];
}

function warnings(list) {
  return list && list.length ? h('ul', { class: 'notice warn small plain-list' }, list.map((w) => h('li', { text: tr(w) }))) : null;
}
