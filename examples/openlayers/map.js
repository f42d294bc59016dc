// OpenLayers with the OS Maps API WMTS in British National Grid (EPSG:27700), configured from the
// service's GetCapabilities. There is no API key in this file: the OS API Keyring extension
// attaches the active project's key to the capabilities request and to every tile request.
/* global ol, proj4 -- the OpenLayers and proj4 browser builds, loaded by index.html */
import { createMapStatus } from '../shared/map-status.js';

const status = createMapStatus('openlayers');

const WMTS = 'https://api.os.uk/maps/raster/v1/wmts';
const attribution = `Contains OS data &copy; Crown copyright and database rights ${new Date().getFullYear()}`;

// British National Grid, for OpenLayers through proj4.
proj4.defs(
  'EPSG:27700',
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
    '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs',
);
ol.proj.proj4.register(proj4);

async function start() {
  status.busy();
  const response = await fetch(`${WMTS}?service=WMTS&request=GetCapabilities&version=2.0.0`);
  if (!response.ok) {
    status.error(`GetCapabilities answered ${response.status}.`);
    status.settled();
    return;
  }
  const capabilities = new ol.format.WMTSCapabilities().read(await response.text());
  const options = ol.source.WMTS.optionsFromCapabilities(capabilities, { layer: 'Road_27700', matrixSet: 'EPSG:27700' });
  const source = new ol.source.WMTS({ ...options, attributions: attribution });
  source.on('tileloadstart', () => status.busy());
  source.on('tileloadend', () => status.tileLoaded());
  source.on('tileloaderror', (e) => status.tileError(`Tile ${e.tile.getTileCoord().join('/')} did not load.`));

  const map = new ol.Map({
    target: 'map',
    layers: [new ol.layer.Tile({ source })],
    view: new ol.View({
      projection: 'EPSG:27700',
      // The OS grid: origin (-238375, 1376256), 896 m per pixel at zoom 0, halving per level.
      extent: [-238375, 0, 900000, 1376256],
      resolutions: options.tileGrid.getResolutions(),
      center: ol.proj.fromLonLat([-1.4044, 50.9097], 'EPSG:27700'), // Southampton
      zoom: 4,
    }),
  });
  map.on('rendercomplete', () => status.settled());

  // For debugging in the console (and for the end-to-end tests).
  window.map = map;
}

start().catch((err) => {
  status.error(`Could not start the map: ${err instanceof Error ? err.message : String(err)}`);
  status.settled();
});
