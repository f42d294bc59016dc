// Leaflet with OS Maps API raster tiles (ZXY, EPSG:3857). There is no API key in this file: the
// OS API Keyring extension attaches the active project's key to every request for
// https://api.os.uk made from a page on localhost.
/* global L -- Leaflet's browser build, loaded by index.html */
import { createMapStatus } from '../shared/map-status.js';

const status = createMapStatus('leaflet');

const ZXY = 'https://api.os.uk/maps/raster/v1/zxy';
const attribution = `Contains OS data &copy; Crown copyright and database rights ${new Date().getFullYear()}`;

// EPSG:3857 tiles exist at zooms 7-20; 7-16 are OpenData, 17-20 need a Premium project.
const styles = { Road: 'Road_3857', Outdoor: 'Outdoor_3857', Light: 'Light_3857' };
const layers = Object.fromEntries(
  Object.entries(styles).map(([label, layer]) => [
    label,
    L.tileLayer(`${ZXY}/${layer}/{z}/{x}/{y}.png`, { minZoom: 7, maxZoom: 16, attribution }),
  ]),
);

const map = L.map('map', {
  minZoom: 7,
  maxZoom: 16,
  maxBounds: [
    [49.5, -10.8],
    [61.3, 2.1],
  ],
  layers: [layers.Road],
}).setView([50.9097, -1.4044], 10); // Southampton

L.control.layers(layers).addTo(map);

for (const layer of Object.values(layers)) {
  layer.on('loading', () => status.busy());
  layer.on('tileload', () => status.tileLoaded());
  layer.on('tileerror', (e) => status.tileError(`Tile ${e.coords.z}/${e.coords.x}/${e.coords.y} did not load.`));
  layer.on('load', () => status.settled());
}

// For debugging in the console (and for the end-to-end tests).
window.map = map;
