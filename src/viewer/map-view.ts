/**
 * The viewer's map (issue 18), loaded only when a response has features: Leaflet drawing OS Maps
 * API raster tiles (Light, EPSG:3857) with the features over them. The tile URLs carry no key: the
 * tiles are requested by this api.os.uk page, and the extension's rules attach the active
 * project's credential to requests from api.os.uk pages like any other.
 *
 * Leaflet lives in the viewer's shadow root, so its stylesheet is put there too; its images are
 * inlined by the build as data: URLs (nothing is fetched from the extension, so no
 * web_accessible_resources are needed). Features are drawn as vector circle markers, paths and
 * polygons: no marker images at all.
 */
import L from 'leaflet';
import leafletCss from 'leaflet/dist/leaflet.css?inline';
import { geometryToLonLat } from '../core/coordinates';
import type { FeatureSet, Geometry } from '../core/viewer-features';

/** Performance marks: the features are on the map; the first view's tiles have all loaded (Leaflet's `load`). */
export const MARK_FEATURES_DRAWN = 'os-api-keyring-viewer:features-drawn';
export const MARK_TILES_LOADED = 'os-api-keyring-viewer:tiles-loaded';
export const TILE_URL = 'https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png';
/** OS Maps API 3857 zooms 7–16 are OpenData; 17–20 need Premium (os-apis.md). */
const MIN_ZOOM = 7;
const MAX_ZOOM = 16;

export interface DrawnFeature {
  title: string;
  /** Where the feature's first position landed, WGS84. */
  lat: number;
  lng: number;
  open(): void;
}

function firstPosition(g: Geometry): [number, number] {
  let c: unknown = g.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  const p = c as [number, number];
  return [p[0], p[1]];
}

function propertiesTable(title: string, properties: Record<string, unknown>): HTMLElement {
  // Built with textContent only: property values come from the response and are never HTML.
  const wrap = document.createElement('div');
  wrap.className = 'feature-popup';
  const h = document.createElement('strong');
  h.textContent = title;
  const table = document.createElement('table');
  for (const [k, v] of Object.entries(properties)) {
    const tr = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = k;
    tr.append(th);
    tr.insertCell().textContent = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  }
  wrap.append(h, table);
  return wrap;
}

/**
 * The tile layer, with one change to Leaflet's: in Firefox, an image whose `src` a content script
 * sets is requested with the content script's own principal, not the page's, so the extension's
 * rules (which add the credential to requests *from api.os.uk pages*) do not apply and OS answers
 * 401. Setting `src` through the page's side of the element (`wrappedJSObject`, Firefox only)
 * makes the page the requester, as for any tile a page draws. Chrome has no wrappedJSObject and
 * already treats the page as the initiator. See
 * https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Content_scripts#content_script_environment
 */
/** Leaflet's own (private) tile callbacks, as its createTile uses them. */
interface LeafletTileHandlers {
  _tileOnLoad(done: L.DoneCallback, tile: HTMLElement): void;
  _tileOnError(done: L.DoneCallback, tile: HTMLElement, e: unknown): void;
}

const PageTileLayer = L.TileLayer.extend({
  createTile(this: L.TileLayer & LeafletTileHandlers, coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const tile = document.createElement('img');
    L.DomEvent.on(tile, 'load', () => this._tileOnLoad(done, tile));
    L.DomEvent.on(tile, 'error', (e) => this._tileOnError(done, tile, e));
    tile.alt = '';
    tile.setAttribute('role', 'presentation');
    const url = this.getTileUrl(coords);
    const pageSide = (tile as HTMLImageElement & { wrappedJSObject?: HTMLImageElement }).wrappedJSObject;
    if (pageSide) pageSide.setAttribute('src', url);
    else tile.src = url;
    return tile;
  },
}) as unknown as new (url: string, options: L.TileLayerOptions) => L.TileLayer;

/** Draw `set` on a new map in `container`; `shadow` receives Leaflet's stylesheet. */
export function drawMap(
  shadow: ShadowRoot,
  container: HTMLElement,
  set: FeatureSet,
): { features: DrawnFeature[]; skipped: number } {
  if (!shadow.querySelector('style[data-leaflet]')) {
    const style = document.createElement('style');
    style.dataset.leaflet = '';
    style.textContent = leafletCss;
    shadow.prepend(style);
  }
  const map = L.map(container, { minZoom: MIN_ZOOM, maxZoom: MAX_ZOOM, zoomControl: true, keyboard: true });
  map.attributionControl.setPrefix(false);
  const tiles = new PageTileLayer(TILE_URL, {
    minZoom: MIN_ZOOM,
    maxZoom: MAX_ZOOM,
    attribution: `Contains OS data © Crown copyright and database rights ${new Date().getFullYear()}`,
  }).addTo(map);
  // The benchmark's "time to a drawn map" (bench/benches/viewer.mjs) reads these marks: the
  // document's performance timeline is shared with the page, and a mark costs nothing.
  tiles.once('load', () => performance.mark(MARK_TILES_LOADED));

  const drawn: DrawnFeature[] = [];
  const group = L.featureGroup().addTo(map);
  let skipped = 0;
  for (const f of set.features) {
    const geometry = geometryToLonLat(set.crs, f.geometry);
    if (!geometry) {
      skipped++;
      continue;
    }
    const layer = L.geoJSON({ type: 'Feature', geometry, properties: {} } as GeoJSON.Feature, {
      pointToLayer: (_feature, latlng) =>
        L.circleMarker(latlng, { radius: 6, weight: 2, color: '#1d4f91', fillColor: '#f5a623', fillOpacity: 0.9 }),
      style: () => ({ color: '#1d4f91', weight: 2, fillColor: '#f5a623', fillOpacity: 0.3 }),
    });
    layer.bindPopup(() => propertiesTable(f.title, f.properties), { maxWidth: 360 });
    layer.addTo(group);
    const [lng, lat] = firstPosition(geometry);
    drawn.push({ title: f.title, lat, lng, open: () => layer.openPopup() });
  }
  const bounds = group.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: MAX_ZOOM });
  else map.setView([54.5, -2.5], MIN_ZOOM);
  performance.mark(MARK_FEATURES_DRAWN);
  return { features: drawn, skipped };
}
