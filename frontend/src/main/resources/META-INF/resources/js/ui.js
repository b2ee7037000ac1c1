// Small DOM helpers shared by the panels: element building, busy buttons, toasts, outcome badges.
import { localize, t, tr } from './i18n.js';

/**
 * Builds an element. props: class, text, attributes (id, type, href, data-*, aria-*, ...), DOM properties given
 * as non-strings (checked: true, hidden: true), and event handlers as on<event> functions; data-i18n* keys are
 * translated. children: nodes, strings, arrays; null and false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  if (el.dataset.i18n || el.dataset.i18nPlaceholder || el.dataset.i18nTitle) localize(el);
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the content of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** <option> elements from [value, label] pairs; the one whose value is `selected` is selected. */
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', { value, selected: value === selected }, label));
}

/** Replaces the options of a select with [value, label] pairs, keeping the user's choice. */
export function refill(select, pairs) {
  select.replaceChildren(...options(pairs, select.value));
}

/** Runs `task` with the button disabled and spinning; returns what the task returns. */
export async function busy(button, task) {
  button.disabled = true;
  button.classList.add('busy');
  try {
    return await task();
  } finally {
    button.disabled = false;
    button.classList.remove('busy');
  }
}

/** A message at the bottom of the screen; errors stay until closed, others fade. */
export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  if (!box) return;
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('common.close'), text: '×' });
  const item = h('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', { text: message }), close);
  close.addEventListener('click', () => item.remove());
  box.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 5000);
}

/** Shows what went wrong: the server's detail for API errors, the message otherwise. */
export function showError(error, target) {
  const message = error && error.message ? error.message : String(error);
  if (target) fill(target, h('div', { class: 'notice error', role: 'alert', text: message }));
  else toast(message, 'error');
}

/** The colour of each verdict on the map (the badges' colours). */
export const VERDICT_COLOURS = { PROHIBITED: '#c62828', INCOMPLETE: '#4f6d8a', RESTRICTED: '#f0a30a', ALLOWED: '#2e7d32' };

/** The coloured 禁止 / 限制 / 允许 / 提示 label of an outcome or verdict. */
export function outcomeBadge(outcome) {
  return h('span', { class: `badge outcome-${outcome}`, text: t(`outcome.${outcome}`) });
}

/** The quoted rule text with its document and section. */
export function citationView(c) {
  if (!c) return null;
  return h('blockquote', { class: 'citation' },
    h('p', { class: 'citation-text', text: `“${c.text}”` }),
    h('footer', {}, h('cite', { text: tr(c.label) }), ' ', h('span', { class: 'citation-section', text: tr(c.where) })),
    c.caveat ? h('p', { class: 'citation-caveat small', text: tr(c.caveat) }) : null);
}

/** Fires when the user stops typing; cancel() drops a pending call. */
export function debounce(fn, ms = 300) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  // a leading = + - @ would be read by a spreadsheet as a formula
  if (/^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV as Excel in China reads it: UTF-8 with a BOM (so Chinese shows), RFC 4180 quoting, CRLF lines. */
export function csvText(header, rows) {
  return '\uFEFF' + [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Lets the user save text we built in the page (e.g. a CSV of results). */
export function download(fileName, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
