// The map page: who is signed in, the header, the panels their role may see, the map and its layers.
import * as api from './api.js';
import { initAudit } from './audit.js';
import { initHighlight } from './highlight.js';
import { applyI18n, lang, onLangChange, setLang, t } from './i18n.js';
import { initImports } from './imports.js';
import {
  createMap, drawLayers, layers, loadCatalogue, reloadLayer, renderLayersPanel, setUpBasemaps, showEnterprise, showImport,
} from './layers.js';
import { initSearch } from './search.js';
import { initSiting } from './siting.js';
import { initSuitability } from './suitability.js';
import { h, showError } from './ui.js';
import { initUsers } from './users.js';
import { initViolations } from './violations.js';

const signedIn = (me) => Boolean(me.username);

// Each role sees only its panels (roles nest: ADMIN ⊃ GIS ⊃ PLANNER ⊃ INSPECTOR).
const PANELS = [
  { id: 'layers', allowed: () => true, init: renderLayersPanel },
  { id: 'search', allowed: signedIn, init: initSearch },
  { id: 'siting', allowed: (me) => me.can.siting, init: initSiting },
  { id: 'suitability', allowed: (me) => me.can.siting, init: initSuitability },
  { id: 'violations', allowed: signedIn, init: initViolations },
  { id: 'imports', allowed: (me) => me.can.import, init: initImports },
  { id: 'users', allowed: (me) => me.can.admin, init: initUsers },
  { id: 'audit', allowed: (me) => me.can.admin, init: initAudit },
];

const NARROW = window.matchMedia('(max-width: 820px)');

function selectTab(id) {
  document.querySelectorAll('#tabs .tab').forEach((tab) => {
    const active = tab.dataset.panel === id;
    tab.classList.toggle('active', active);
    tab.setAttribute('aria-selected', String(active));
  });
  document.querySelectorAll('#panels .panel').forEach((panel) => { panel.hidden = panel.id !== `panel-${id}`; });
}

/** On a narrow screen the panel covers the map: closes it when the user turns to the map. */
function focusMap() {
  if (NARROW.matches) setPanelOpen(false);
}

/** Brings a panel forward, opening the side panel if it was closed. */
function showTab(id) {
  selectTab(id);
  setPanelOpen(true);
}

function setPanelOpen(open) {
  document.body.classList.toggle('panel-closed', !open);
  document.getElementById('panel-toggle').setAttribute('aria-expanded', String(open));
  // The map is resized by CSS; Leaflet must re-measure it once the transition is over.
  setTimeout(() => window.pollumap && window.pollumap.map.invalidateSize(), 250);
}

function buildPanels(me, context) {
  const tabs = document.getElementById('tabs');
  const panels = document.getElementById('panels');
  for (const panel of PANELS.filter((p) => p.allowed(me))) {
    tabs.append(h('button', { type: 'button', class: 'tab', role: 'tab', id: `tab-${panel.id}`, 'data-panel': panel.id,
      'aria-controls': `panel-${panel.id}`, 'data-i18n': `tab.${panel.id}`, onclick: () => selectTab(panel.id) }));
    const section = h('section', { class: 'panel', id: `panel-${panel.id}`, role: 'tabpanel', hidden: true });
    panels.append(section);
    panel.init(section, context);
  }
  selectTab('layers');
}

function setUpHeader(config, me) {
  document.getElementById('demo-flag').hidden = !config.demo;
  document.getElementById('about-demo').hidden = !config.demo;
  const about = document.getElementById('about-dialog');
  document.getElementById('about-button').addEventListener('click', () => about.showModal());
  document.getElementById('demo-flag').addEventListener('click', () => about.showModal());
  document.getElementById('lang-toggle').addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  document.getElementById('panel-toggle').addEventListener('click',
    () => setPanelOpen(document.body.classList.contains('panel-closed')));
  const badge = document.getElementById('user-badge');
  const signOut = document.getElementById('sign-out');
  if (signedIn(me)) {
    const showUser = () => { badge.textContent = `${me.username} · ${t(`role.${me.role}`)}`; };
    showUser();
    onLangChange(showUser);
    badge.hidden = false;
    signOut.hidden = false;
    signOut.addEventListener('click', async () => {
      try {
        await api.request('/logout', { method: 'POST' });
      } finally {
        location.assign('/login.html');
      }
    });
  } else {
    document.getElementById('sign-in').hidden = false;
  }
}

async function start() {
  applyI18n();
  api.setUnauthorizedHandler(() => location.assign('/login.html'));
  const [config, me] = await Promise.all([api.get('/api/config'), api.get('/api/me')]);
  setUpHeader(config, me);
  if (NARROW.matches) setPanelOpen(false);

  const map = createMap('map');
  initHighlight(map);
  setUpBasemaps(config);
  // the counts of the filters take a province's database a second: the map does not wait for them
  const facetsLoaded = signedIn(me) ? api.get('/api/enterprises/facets') : Promise.resolve(null);
  const industries = await api.get('/api/industries');
  await loadCatalogue(industries);
  // For scripts and tests: the map, its layers, and whether it is still moving (fly-to animations).
  window.pollumap = { map, layers, me, config, ready: false, moving: false, showTab, showEnterprise };
  map.on('movestart', () => { window.pollumap.moving = true; });
  map.on('moveend', () => { window.pollumap.moving = false; });
  const drawn = drawLayers();
  const context = { map, me, config, industries, facets: await facetsLoaded, showTab, focusMap };
  buildPanels(me, context);

  document.addEventListener('pollumap:data-changed', async ({ detail }) => {
    try {
      await reloadLayer(detail.layer);
      if (detail.importId) showImport(detail.layer, detail.importId);
    } catch (error) {
      showError(error);
    }
  });
  try {
    await drawn;
  } finally {
    document.getElementById('map-loading').hidden = true;
  }
  // when the first view was drawn, in ms from the page's start (bin/benchmark reads it)
  window.pollumap.readyAt = performance.now();
  window.pollumap.ready = true;
}

start().catch((error) => {
  document.getElementById('map-loading').hidden = true;
  if (error.status !== 401) showError(error);
});
