/**
 * The extension's DevTools page (manifest `devtools_page`): it only adds the "OS API" panel. It
 * runs while DevTools is open on a tab and does nothing else, so the panel costs nothing while
 * DevTools is closed (issue 17).
 */
const ext: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

// Chrome wants the icon and page as extension-relative paths; Firefox accepts the same.
void ext.devtools.panels.create('OS API', 'icons/icon-32.png', 'src/devtools/panel.html');
