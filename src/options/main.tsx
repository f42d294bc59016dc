import { render } from 'preact';
import { openTabTitles, pageBrowser, requestPermission } from '../lib/page-browser';
import { createKeyringClient } from '../ui/keyring-client';
import { OptionsApp } from './app';

const root = document.getElementById('app');
if (root)
  render(
    <OptionsApp
      client={createKeyringClient(pageBrowser())}
      requestNotifications={() => requestPermission('notifications')}
      loadTabTitles={openTabTitles}
    />,
    root,
  );
