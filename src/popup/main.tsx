import { render } from 'preact';
import { realBrowser, realHostAccess } from '../lib/browser';
import { App } from './app';
import { createKeyringClient } from './keyring-client';

const root = document.getElementById('app');
if (root) render(<App client={createKeyringClient(realBrowser())} hostAccess={realHostAccess()} />, root);
