// HAR entries for a page's api.os.uk requests, recorded over the Chrome DevTools Protocol's Network
// domain the way DevTools builds its own: the request headers actually sent (the ...ExtraInfo event,
// after the extension's rules), the response, its size and its timing. The DevTools panel's e2e
// test and its benchmark both feed these entries to the panel as `devtools.network` would.

/** HAR's header list from CDP's header object. */
const pairs = (headers) => Object.entries(headers ?? {}).map(([name, value]) => ({ name, value }));

/**
 * Listen on `cdp` (the caller enables the Network domain) and call `onEntry(entry, requestId)` as
 * each api.os.uk request finishes. Requests that start while `recording()` is false are ignored.
 * @param {import('playwright-core').CDPSession} cdp
 * @param {(entry: Record<string, unknown>, requestId: string) => void} onEntry
 * @param {() => boolean} [recording]
 */
export function recordApiRequests(cdp, onEntry, recording = () => true) {
  const seen = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (recording() && e.request.url.startsWith('https://api.os.uk/'))
      seen.set(e.requestId, {
        url: e.request.url,
        method: e.request.method,
        wallTime: e.wallTime,
        headers: e.request.headers,
        start: e.timestamp,
      });
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.extra = e.headers;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = seen.get(e.requestId);
    if (r)
      Object.assign(r, {
        status: e.response.status,
        statusText: e.response.statusText,
        resHeaders: e.response.headers,
        mimeType: e.response.mimeType,
      });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = seen.get(e.requestId);
    if (!r) return;
    seen.delete(e.requestId);
    const ms = (e.timestamp - r.start) * 1000;
    onEntry(
      {
        startedDateTime: new Date(r.wallTime * 1000).toISOString(),
        time: ms,
        request: { method: r.method, url: r.url, headers: pairs(r.extra ?? r.headers) },
        response: {
          status: r.status,
          statusText: r.statusText,
          headers: pairs(r.resHeaders),
          content: { size: e.encodedDataLength, mimeType: r.mimeType },
          _transferSize: e.encodedDataLength,
        },
        timings: { wait: ms },
      },
      e.requestId,
    );
  });
}
