// Every call to the server goes through here: same-origin cookies, the CSRF header on writes,
// and the JSON error body {"error", "detail": {zh, en}, "where"} turned into an ApiError whose message is the
// detail in the current language.
import { t, tr } from './i18n.js';

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.detail ? tr(body.detail) : t('error.http', { status }));
    this.status = status;
    this.code = body && body.error ? body.error : 'http_' + status;
    this.where = body ? body.where : undefined;
  }
}

let onUnauthorized = () => {};

/** What to do when the session is gone (the page sends the user to the login page). */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : null;
}

function headersFor(method) {
  const headers = { Accept: 'application/json' };
  const token = csrfToken();
  if (method !== 'GET' && token) headers['X-XSRF-TOKEN'] = token;
  return headers;
}

function parseBody(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function failure(status, text, path) {
  if (status === 401 && !path.startsWith('/login')) onUnauthorized();
  return new ApiError(status, parseBody(text));
}

/** Sends a request; resolves to the response when it succeeded, rejects with ApiError otherwise. */
async function send(path, { method = 'GET', json, form, signal }) {
  const headers = headersFor(method);
  let body = form;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { error: 'network', detail: t('error.network') });
  }
  if (!response.ok) throw failure(response.status, await response.text(), path);
  return response;
}

/**
 * One request. Options: method, json (a body sent as JSON), form (FormData or URLSearchParams), signal.
 * Resolves to the parsed JSON (or null for an empty body); rejects with ApiError.
 */
export async function request(path, options = {}) {
  return parseBody(await (await send(path, options)).text());
}

/** A file from the server (an export): its content as a Blob and the name the server gives it. */
export async function file(path, options = {}) {
  const response = await send(path, options);
  const match = (response.headers.get('Content-Disposition') || '').match(/filename="?([^";]+)"?/);
  return { blob: await response.blob(), name: match ? match[1] : null };
}

export const get = (path, options) => request(path, options);
export const post = (path, json) => request(path, { method: 'POST', json });

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/** A multipart upload with progress (fetch cannot report upload progress). onProgress gets 0…1. */
export function upload(path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(headersFor('POST'))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(parseBody(xhr.responseText));
      else reject(failure(xhr.status, xhr.responseText, path));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { error: 'network', detail: t('error.network') })));
    xhr.send(formData);
  });
}
