// A layer's features for the current view, from the server's GeoJSON tiles (/tiles/{layer}/{z}/{x}/{y}.geojson):
// never a whole layer. Each tile of the view is fetched (again only to check it is current: the server answers 304
// from its ETag); each feature is given to the map once however many tiles hold it (a polygon spans several, a
// point near an edge is in two tiles' buffers), and taken back when no tile of the view holds it any more.

/** Tiles finer than this are not asked for: deeper zooms reuse them (features come whole, simplified to ~1 px). */
const MAX_NATIVE_ZOOM = 16;

/**
 * `handlers.add(key, feature)` draws a feature and `handlers.remove(key, feature)` takes it away; `handlers.keyOf
 * (feature, z)` says which features are the same (default: the id at the tile's zoom, as simplification differs by
 * zoom); `handlers.changed()` is called after each tile's features came or went.
 */
export const TileFeed = L.GridLayer.extend({
  options: { maxNativeZoom: MAX_NATIVE_ZOOM, updateWhenZooming: false, keepBuffer: 1 },

  initialize(layerId, handlers, options) {
    L.setOptions(this, options);
    this.layerId = layerId;
    this.handlers = handlers;
    this.held = new Map(); // feature key -> { feature, tiles: number }
    this.byTile = new Map(); // tile key -> feature keys
    this.dense = new Set(); // tiles of the view with more features than the map draws: zoom in
    this.on('tileunload', (e) => this.release(e.coords, e.tile));
  },

  createTile(coords, done) {
    const tile = document.createElement('div');
    const controller = new AbortController();
    tile.abort = () => controller.abort();
    const { z, x, y } = coords;
    fetch(`/tiles/${this.layerId}/${z}/${x}/${y}.geojson`, { credentials: 'same-origin', signal: controller.signal,
      headers: { Accept: 'application/geo+json' } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`tile ${z}/${x}/${y}: ${response.status}`))))
      .then((collection) => {
        if (collection.dense) this.dense.add(this._tileCoordsToKey(coords));
        this.take(coords, collection.features);
        done(null, tile);
      }, (error) => {
        if (error.name !== 'AbortError') done(error, tile);
      });
    return tile;
  },

  /** The features the view holds now, by key. */
  present() {
    return [...this.held.values()].map((h) => h.feature);
  },

  take(coords, features) {
    const tileKey = this._tileCoordsToKey(coords);
    if (this.byTile.has(tileKey)) return;
    const keys = [];
    for (const feature of features) {
      const key = this.keyOf(feature, coords.z);
      keys.push(key);
      const held = this.held.get(key);
      if (held) {
        held.tiles += 1;
      } else {
        this.held.set(key, { feature, tiles: 1 });
        this.handlers.add(key, feature);
      }
    }
    this.byTile.set(tileKey, keys);
    if ((keys.length || this.dense.has(tileKey)) && this.handlers.changed) this.handlers.changed();
  },

  release(coords, tile) {
    if (tile && tile.abort) tile.abort();
    const tileKey = this._tileCoordsToKey(coords);
    if (this.dense.delete(tileKey) && this.handlers.changed) this.handlers.changed();
    const keys = this.byTile.get(tileKey);
    if (!keys) return;
    this.byTile.delete(tileKey);
    for (const key of keys) {
      const held = this.held.get(key);
      if (held && --held.tiles === 0) {
        this.held.delete(key);
        this.handlers.remove(key, held.feature);
      }
    }
    if (keys.length && this.handlers.changed) this.handlers.changed();
  },

  // Leaflet's own redraw takes the map's zoom unrounded as the tiles' zoom (13.99… after a fitted view): ask for
  // the tiles of the view again through the path that rounds it.
  redraw() {
    if (this._map) {
      this._removeAllTiles();
      this._resetView();
    }
    return this;
  },

  keyOf(feature, z) {
    return this.handlers.keyOf ? this.handlers.keyOf(feature, z) : `${z}/${feature.id}`;
  },

  onRemove(map) {
    L.GridLayer.prototype.onRemove.call(this, map);
    // the tiles went with the layer: so do their features
    for (const [key, held] of this.held) this.handlers.remove(key, held.feature);
    this.held.clear();
    this.byTile.clear();
    this.dense.clear();
    if (this.handlers.changed) this.handlers.changed();
  },
});

/** Resolves once every tile of the view has come (at once when none is still loading). */
export function loaded(feed) {
  return new Promise((resolve) => {
    if (!feed._map || feed.isLoading() === false) {
      resolve();
      return;
    }
    feed.once('load', () => resolve());
  });
}
