/**
 * The viewer's Map tab: the features drawn on an OS basemap, with a table of them. Leaflet and
 * proj4 (map-view.ts) are loaded only when this tab shows a response that has features.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FeatureSet } from '../core/viewer-features';
import type { DrawnFeature } from './map-view';

export function MapPanel({ set, shadow }: { set: FeatureSet; shadow: ShadowRoot }) {
  const ref = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<{ features: DrawnFeature[]; skipped: number } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    // Leaflet and proj4 are loaded only now, for a response that has features.
    void import('./map-view')
      .then(({ drawMap }) => {
        if (!cancelled && ref.current) setDrawn(drawMap(shadow, ref.current, set));
      })
      .catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [set, shadow]);
  return (
    <div class="map-panel">
      <div
        ref={ref}
        class="map"
        role="region"
        aria-label={`Map of ${set.features.length} features`}
        data-drawn={drawn ? String(drawn.features.length) : undefined}
      />
      {failed && <p role="alert">The map could not be drawn: {failed}</p>}
      {drawn && (
        <table class="features">
          <caption>
            {set.source} ({set.crs === 'EPSG:27700' ? 'British National Grid, converted to WGS84' : set.crs})
            {drawn.skipped ? `; ${drawn.skipped} could not be placed` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Latitude</th>
              <th scope="col">Longitude</th>
            </tr>
          </thead>
          <tbody>
            {drawn.features.map((f, i) => (
              <tr key={i}>
                <td>
                  <button type="button" class="link" onClick={() => f.open()}>
                    {f.title}
                  </button>
                </td>
                <td data-lat={f.lat}>{f.lat.toFixed(5)}</td>
                <td data-lng={f.lng}>{f.lng.toFixed(5)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
