import { render } from 'preact';
import { pageBrowser } from '../lib/page-browser';
import { Panel, type DevtoolsSource } from './panel';

const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
const root = document.getElementById('app');
if (root) {
  const source: DevtoolsSource = {
    tabId: ext.devtools.inspectedWindow.tabId,
    onRequestFinished: ext.devtools.network.onRequestFinished as unknown as DevtoolsSource['onRequestFinished'],
    onNavigated: ext.devtools.network.onNavigated,
    copy: (text) => copyText(text),
  };
  render(<Panel source={source} runtime={pageBrowser().runtime} />, root);
}

/**
 * DevTools panels have no clipboard permission for navigator.clipboard in Chrome (the panel's
 * frame is not focused as a document); execCommand on a throwaway textarea works in both browsers.
 */
function copyText(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- a DevTools panel has no clipboard permission; execCommand is the only way there
  const ok = document.execCommand('copy');
  area.value = '';
  area.remove();
  return ok;
}
