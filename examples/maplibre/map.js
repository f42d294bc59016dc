// MapLibre GL JS with the OS Vector Tile API's own style. There is no API key in this file: the
// OS API Keyring extension attaches the active project's key to the style request and to every
// request the style leads to (service metadata, tiles, sprite, glyphs).
import * as maplibregl from 'maplibre-gl';
import { createMapStatus } from '../shared/map-status.js';

const status = createMapStatus('maplibre');

const VTS = 'https://api.os.uk/maps/vector/v1/vts';

const map = new maplibregl.Map({
  container: 'map',
  style: `${VTS}/resources/styles`,
  center: [-1.4044, 50.9097], // Southampton
  zoom: 9,
  maxZoom: 16,
  attributionControl: { customAttribution: `Contains OS data &copy; Crown copyright and database rights ${new Date().getFullYear()}` },
  // The service defaults to EPSG:27700 and does not pass `srs` on to the URLs inside its style
  // and metadata, so every request needs srs=3857 added for MapLibre's Web Mercator tiles.
  transformRequest: (url) => {
    if (url.startsWith(VTS) && !/[?&]srs=/.test(url)) {
      return { url: `${url}${url.includes('?') ? '&' : '?'}srs=3857` };
    }
    return undefined;
  },
});
map.addControl(new maplibregl.NavigationControl());

map.on('dataloading', (e) => {
  if (e.dataType === 'source' && e.tile) status.busy();
});
map.on('data', (e) => {
  if (e.dataType === 'source' && e.tile) status.tileLoaded();
});
map.on('error', (e) => {
  const code = e.error?.status ? ` (${e.error.status})` : '';
  const message = `${e.error?.message ?? 'Unknown error'}${code}`;
  if (e.tile) status.tileError(`Tile ${e.tile.tileID.canonical.z}/${e.tile.tileID.canonical.x}/${e.tile.tileID.canonical.y}: ${message}`);
  else status.error(message);
  // A style that cannot load leaves the map empty: nothing more will happen.
  if (!map.isStyleLoaded()) status.settled();
});
map.on('styleimagemissing', (e) => status.error(`Icon "${e.id}" is missing from the sprite.`));
map.on('idle', () => status.settled());

// For debugging in the console (and for the end-to-end tests).
window.map = map;
