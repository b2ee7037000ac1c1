// 审计日志 (admins): who did what, when (Beijing time), from where and with what outcome, filtered by who did it, to
// what, the action, the outcome and the days, in pages; the filtered list exported as CSV in the reader's language.
import * as api from './api.js';
import { beijingTime, formatNumber, onLangChange, t, tr } from './i18n.js';
import { allLayers, industryOf, layerInfo } from './layers.js';
import { loadDivisions } from './pickers.js';
import { busy, csvText, download, fill, h, refill, showError, toast } from './ui.js';

const SIZE = 50;
// What the server records (AuditActionWordsTest keeps this list and the words in i18n.js complete).
const ACTIONS = ['login', 'user_create', 'user_enable', 'user_disable', 'user_password', 'user_role', 'import',
  'rollback', 'coverage_declare', 'coverage_withdraw', 'siting_check', 'siting_batch'];
const OUTCOMES = ['OK', 'REFUSED', 'FAILED'];
const LAYER_ACTIONS = ['import', 'rollback', 'coverage_declare', 'coverage_withdraw'];
const REASONS = { BadCredentialsException: 'badCredentials', DisabledException: 'disabled', LockedException: 'locked',
  'too many failed attempts': 'throttled' };

let divisionNames = {};

const actionName = (action) => (ACTIONS.includes(action) ? t(`audit.action.${action}`) : action);
const outcomeName = (outcome) => t(`audit.outcome.${outcome}`);

/** What an entry was done to, in words: a layer by its title; a batch of checks has no name of its own. */
function targetName(entry) {
  if (LAYER_ACTIONS.includes(entry.action)) {
    const layer = layerInfo(entry.target);
    return layer ? tr(layer.title) : entry.target;
  }
  return entry.action === 'siting_batch' ? '' : entry.target || '';
}

/** The entry's detail in words. */
function detailText(entry) {
  const d = entry.detail || {};
  const parts = [];
  const add = (key, params) => parts.push(t(`audit.detail.${key}`, params));
  switch (entry.action) {
    case 'login':
      if (entry.outcome !== 'OK') parts.push(t(`audit.reason.${REASONS[d.reason] || 'other'}`));
      break;
    case 'user_create':
      if (d.role) add('role', { role: t(`role.${d.role}`) });
      if (d.firstStart) add('firstStart');
      break;
    case 'user_role':
      add('roleChange', { from: t(`role.${d.from}`), to: t(`role.${d.to}`) });
      break;
    case 'import':
    case 'rollback':
      if (d.import) add('import', { id: d.import });
      if (d.mode) parts.push(t(`imports.mode.${String(d.mode).toLowerCase()}`));
      if (d.file) add('file', { file: d.file });
      if (d.loaded !== undefined) add('counts', { loaded: formatNumber(d.loaded), rejected: formatNumber(d.rejected || 0) });
      if (d.detail) parts.push(tr(d.detail));
      break;
    case 'coverage_declare': {
      const area = d.coverage && d.coverage.wholeArea ? t('coverage.all')
        : ((d.coverage && d.coverage.adcodes) || []).map((code) => divisionNames[code] || code).join('、');
      add('coverage', { area });
      if (d.note) add('note', { note: d.note });
      break;
    }
    case 'coverage_withdraw':
      add('declaration', { id: d.declaration });
      break;
    case 'siting_check':
      if (d.check) add('check', { id: d.check });
      if (d.industry) {
        const industry = industryOf(d.industry);
        add('industry', { industry: industry ? `${d.industry} ${tr(industry)}` : d.industry });
      }
      if (d.verdict) add('verdict', { verdict: t(`outcome.${d.verdict}`) });
      break;
    case 'siting_batch':
      add('batch', { rows: d.rows, checked: d.checked });
      break;
    default:
  }
  return parts.join(' · ');
}

/** A part of a file name: no characters a file system refuses, no spaces. */
const filePart = (text) => String(text).replace(/[\\/:*?"<>|\s]+/g, '-');

export function initAudit(container) {
  const user = h('input', { type: 'text', id: 'audit-user', name: 'user', list: 'audit-users', autocomplete: 'off' });
  const target = h('input', { type: 'text', id: 'audit-target', name: 'target', list: 'audit-targets', autocomplete: 'off',
    'data-i18n-placeholder': 'audit.targetPlaceholder' });
  const users = h('datalist', { id: 'audit-users' });
  const targets = h('datalist', { id: 'audit-targets' });
  const action = h('select', { id: 'audit-action', name: 'action' });
  const outcome = h('select', { id: 'audit-outcome', name: 'outcome' });
  const from = h('input', { type: 'date', id: 'audit-from', name: 'from' });
  const to = h('input', { type: 'date', id: 'audit-to', name: 'to' });
  const search = h('button', { type: 'submit', class: 'button primary', id: 'audit-search', 'data-i18n': 'audit.search' });
  const exportButton = h('button', { type: 'button', class: 'button small', id: 'audit-export', 'data-i18n': 'audit.export' });
  const listHead = h('div', { class: 'list-head', id: 'audit-head' });
  const table = h('div', { class: 'table-scroll', id: 'audit-table' });
  const pager = h('div', { class: 'pager', id: 'audit-pager' });
  let accounts = [];
  let page = null;
  // the filters of the list shown, and the object as it was typed (for the export's file name)
  let shown = {};
  let shownTarget = '';

  const labelled = (key, input) => h('label', { class: 'field' }, h('span', { 'data-i18n': key }), input);
  const form = h('form', { class: 'filter-grid', id: 'audit-filters' },
    labelled('audit.user', user), labelled('audit.target', target), labelled('audit.action', action),
    labelled('audit.outcome', outcome), labelled('audit.from', from), labelled('audit.to', to),
    h('p', { class: 'hint span-2', 'data-i18n': 'audit.daysHint' }),
    h('div', { class: 'button-row span-2' }, search,
      h('button', { type: 'reset', class: 'text-button', 'data-i18n': 'common.reset' })),
    users, targets);
  fill(container,
    h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.audit' }),
      h('p', { class: 'hint', 'data-i18n': 'audit.intro' }), form),
    listHead, table, pager);

  function fillChoices() {
    refill(action, [['', t('audit.anyAction')], ...ACTIONS.map((a) => [a, actionName(a)])]);
    refill(outcome, [['', t('audit.anyOutcome')], ...OUTCOMES.map((o) => [o, outcomeName(o)])]);
    fill(users, accounts.map((u) => h('option', { value: u.username })));
    fill(targets, accounts.map((u) => h('option', { value: u.username })),
      allLayers().map((l) => h('option', { value: tr(l.title) })));
  }

  /** The filters as the server takes them: a layer typed by its title is asked for by its id. */
  function filters() {
    const typed = target.value.trim();
    const layer = allLayers().find((l) => [tr(l.title), l.title.zh, l.title.en].includes(typed));
    return { user: user.value.trim(), target: layer ? layer.id : typed, action: action.value, outcome: outcome.value,
      from: from.value, to: to.value };
  }

  async function load(number) {
    shown = filters();
    shownTarget = target.value.trim();
    fill(listHead, t('common.loading'));
    try {
      page = await api.get('/api/audit' + api.query({ ...shown, page: number, size: SIZE }));
      render();
    } catch (error) {
      page = null;
      fill(table);
      fill(pager);
      showError(error, listHead);
    }
  }

  function render() {
    if (!page) return;
    fill(listHead, h('span', { id: 'audit-total', text: t('audit.total', { n: formatNumber(page.total) }) }), exportButton);
    exportButton.disabled = page.total === 0;
    fill(table, page.items.length ? h('table', { class: 'data-table audit-table' },
      h('thead', {}, h('tr', {}, ['audit.time', 'audit.user', 'audit.action', 'audit.outcome'].map((k) => h('th', { text: t(k) })))),
      h('tbody', {}, page.items.map((e) => {
        const [day, time] = beijingTime(e.at, true).split(' ');
        const detail = detailText(e);
        return h('tr', { class: 'audit-row', 'data-id': e.id, 'data-action': e.action, 'data-outcome': e.outcome },
          h('td', { class: 'nowrap' }, day, h('br'), h('span', { class: 'muted', text: time })),
          h('td', {}, e.username, h('div', { class: 'muted small', text: t('audit.fromAddress', { address: e.address }) })),
          h('td', {}, h('span', { class: 'audit-action', text: actionName(e.action) }),
            targetName(e) ? [' ', h('strong', { class: 'audit-target', text: targetName(e) })] : null,
            detail ? h('div', { class: 'muted small audit-detail', text: detail }) : null),
          h('td', {}, h('span', { class: `badge audit-${e.outcome}`, text: outcomeName(e.outcome) })));
      }))) : h('p', { class: 'muted empty-state', text: t('audit.none') }));
    const pages = Math.max(1, Math.ceil(page.total / page.size));
    fill(pager, pages === 1 ? null : [
      h('button', { type: 'button', class: 'button small', id: 'audit-previous', disabled: page.page <= 1, text: t('common.previous'), onclick: () => load(page.page - 1) }),
      h('span', { text: t('common.pageOf', { page: page.page, pages }) }),
      h('button', { type: 'button', class: 'button small', id: 'audit-next', disabled: page.page >= pages, text: t('common.next'), onclick: () => load(page.page + 1) })]);
  }

  /** The export's file name: what was filtered on and the day (Beijing time) it was made. */
  function fileName(f) {
    const parts = [
      f.user && t('audit.file.user', { v: f.user }),
      f.target && t('audit.file.target', { v: shownTarget }),
      f.action && actionName(f.action),
      f.outcome && outcomeName(f.outcome),
      f.from && t('audit.file.from', { v: f.from }),
      f.to && t('audit.file.to', { v: f.to }),
    ].filter(Boolean);
    const today = beijingTime(new Date().toISOString()).slice(0, 10);
    return [t('audit.fileName'), ...(parts.length ? parts : [t('audit.file.all')]), t('audit.file.exported', { v: today })]
      .map(filePart).join('_') + '.csv';
  }

  // The filters of the list shown, read page by page below the newest entry then, so entries that arrive meanwhile
  // neither shift the pages nor slip in.
  async function exportCsv() {
    const f = shown;
    const rows = [];
    let before;
    for (;;) {
      const batch = await api.get('/api/audit' + api.query({ ...f, before, size: 1000 }));
      rows.push(...batch.items.map((e) => [e.id, beijingTime(e.at, true), e.username, e.address, actionName(e.action),
        targetName(e), outcomeName(e.outcome), detailText(e)]));
      exportButton.textContent = t('audit.exporting', { n: formatNumber(rows.length), total: formatNumber(rows.length - batch.items.length + batch.total) });
      if (batch.items.length < batch.size) break;
      before = batch.items[batch.items.length - 1].id;
    }
    const header = ['audit.id', 'audit.time', 'audit.user', 'audit.address', 'audit.action', 'audit.target', 'audit.outcome',
      'audit.detail'].map((k) => t(k));
    download(fileName(f), csvText(header, rows), 'text/csv;charset=utf-8');
    toast(t('audit.exported', { n: formatNumber(rows.length) }), 'success');
  }

  exportButton.addEventListener('click', async () => {
    try {
      await busy(exportButton, exportCsv);
    } catch (error) {
      showError(error);
    } finally {
      exportButton.textContent = t('audit.export');
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load(1);
  });
  form.addEventListener('change', (e) => {
    if (e.target.tagName === 'SELECT') load(1);
  });
  form.addEventListener('reset', () => setTimeout(() => load(1)));
  onLangChange(() => {
    fillChoices();
    render();
  });

  fillChoices();
  load(1);
  api.get('/api/users').then((list) => {
    accounts = list;
    fillChoices();
  }, (error) => showError(error));
  loadDivisions().then((list) => {
    divisionNames = Object.fromEntries(list.map((d) => [d.adcode, d.name]));
    render();
  }, (error) => showError(error));
}
