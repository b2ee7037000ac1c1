// The login page: POST /login with the CSRF header, then on to the map.
import * as api from './api.js';
import { applyI18n, lang, setLang, t } from './i18n.js';
import { busy, showError } from './ui.js';

const form = document.getElementById('login-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const error = document.getElementById('login-error');

applyI18n();
document.getElementById('lang-toggle').addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));

// Also gives the page its XSRF-TOKEN cookie before the first POST.
api.get('/api/config').then((config) => {
  document.getElementById('login-demo').hidden = !config.demo;
  document.getElementById('login-browse').hidden = !config.publicRead;
}, (e) => showError(e, error));

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.replaceChildren();
  if (!username.value.trim() || !password.value) {
    showError(new Error(t('login.needBoth')), error);
    return;
  }
  try {
    await busy(document.getElementById('login-submit'), () => api.request('/login', {
      method: 'POST', form: new URLSearchParams({ username: username.value.trim(), password: password.value }),
    }));
    location.replace('/');
  } catch (failure) {
    showError(failure, error);
    password.select();
  }
});
