import { render } from 'preact';
import { openOptionsPage, pageBrowser, pageHostAccess, popupTargetTab } from '../lib/page-browser';
import { App } from './app';
import { createKeyringClient } from '../ui/keyring-client';

const root = document.getElementById('app');
if (root) {
  const client = createKeyringClient(pageBrowser());
  const hostAccess = pageHostAccess();
  // The tab is looked up before the first render, so the page's controls never flicker in.
  void popupTargetTab(location.search)
    .catch(() => null)
    .then((tab) =>
      render(<App client={client} hostAccess={hostAccess} tab={tab} openOptions={openOptionsPage} />, root),
    );
}
