// What each example reports about its map, for you (the bar under the map) and for the
// end-to-end tests (window.mapStatus). Nothing here is needed by a real web map.
//
// window.mapStatus = {
//   library,        // 'leaflet' | 'openlayers' | 'maplibre'
//   state,          // 'loading' until the map has settled, then 'ready' (no errors) or 'errors'
//   settled,        // how many times the map has settled (it settles again after a pan or zoom)
//   tilesLoaded,    // tiles that arrived and were drawn
//   tileErrors,     // tiles that failed
//   errors,         // other failures (capabilities, style, sprite, glyphs), as messages
// }

/** @param {string} library */
export function createMapStatus(library) {
  const status = { library, state: 'loading', settled: 0, tilesLoaded: 0, tileErrors: 0, errors: [] };
  window.mapStatus = status;
  const bar = document.getElementById('map-status');
  let lastProblem = '';

  function render() {
    if (!bar) return;
    const counts = `${status.tilesLoaded} tile${status.tilesLoaded === 1 ? '' : 's'} loaded, ${status.tileErrors} failed`;
    const state = status.state === 'loading' ? 'Loading… ' : '';
    bar.textContent = `${state}${counts}.`;
    bar.dataset.state = status.state;
    if (status.tileErrors || status.errors.length) {
      const hint = document.createElement('span');
      hint.className = 'hint';
      hint.textContent =
        ` ${lastProblem} If api.os.uk answered 401, no credential reached it: turn on OS API Keyring and choose a project` +
        ' that has this API (or run `npm run demo`).';
      bar.append(hint);
    }
  }

  render();
  return {
    /** Tiles are being requested (again). */
    busy() {
      status.state = 'loading';
      render();
    },
    tileLoaded() {
      status.tilesLoaded++;
      render();
    },
    /** @param {string} message */
    tileError(message) {
      status.tileErrors++;
      lastProblem = message;
      render();
    },
    /** @param {string} message */
    error(message) {
      status.errors.push(message);
      lastProblem = message;
      render();
    },
    /** Everything requested so far has loaded or failed. */
    settled() {
      status.state = status.tileErrors || status.errors.length ? 'errors' : 'ready';
      status.settled++;
      render();
    },
  };
}
