// 用户 (admins): the accounts and their roles, read-only (accounts are managed through /api/users).
import * as api from './api.js';
import { formatTime, onLangChange, t } from './i18n.js';
import { fill, h, showError } from './ui.js';

export function initUsers(container) {
  const table = h('div', { id: 'users-table' });
  let users = null;
  fill(container, h('section', { class: 'panel-section' }, h('h2', { 'data-i18n': 'tab.users' }),
    h('p', { class: 'hint', 'data-i18n': 'users.hint' }), table));

  const render = () => {
    if (!users) return;
    fill(table, h('table', { class: 'data-table' },
      h('thead', {}, h('tr', {}, ['users.username', 'users.role', 'users.enabled', 'users.created'].map((k) => h('th', { text: t(k) })))),
      h('tbody', {}, users.map((u) => h('tr', { class: u.enabled ? '' : 'disabled' },
        h('td', { text: u.username }), h('td', { text: t(`role.${u.role}`) }),
        h('td', { text: u.enabled ? t('users.yes') : t('users.no') }), h('td', { class: 'nowrap', text: formatTime(u.createdAt) }))))));
  };

  api.get('/api/users').then((list) => {
    users = list;
    render();
  }, (error) => showError(error, table));
  onLangChange(render);
}
