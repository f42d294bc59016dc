// Lint config. Besides typescript-eslint's strict type-checked rules (src/; tests keep the
// recommended type-checked set), this file turns the project's architecture into lint errors:
//   - each folder under src/ may import only the folders listed for it in MAY_IMPORT below:
//     src/core is pure (no other src/ folder, no node builtins, no browser or clock globals: time
//     and ids are passed in); src/lib holds the browser adapters over core; the background and the
//     pages (popup, options, devtools, viewer) never import each other, and what the popup and the
//     options page share lives in src/ui.
//   - pages wire only their own browser adapter (lib/page-browser), and only in their entry file;
//     lib/browser (webextension-polyfill) is the background's, wired by background/index.ts.
//   - production code never imports tests/.
//   - no import cycle under src/ (import-x/no-cycle) and no production file under src/ over 300 lines
//     of code (tests are tables of cases and may be longer).
//
// Zones use the built-in `no-restricted-imports`. In a flat config a later block that sets the same
// rule *replaces* the earlier options for the files it matches, so every zone block below lists the
// full set of restrictions for its files (built with `restrictImports(...)`). Limitation: the rule
// sees import/export-from statements, not `import()` expressions or `require`.
import { builtinModules } from 'node:module';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative import whose path climbs out (`../`, `../../`, ...) into one of `folders`. */
const climbsInto = (...folders) => `^(?:\\./)?(?:\\.\\./)+(?:src/)?(?:${folders.join('|')})(?:/|$)`;

// ---- typescript-eslint's strict type-checked set, with these choices --------------------------------
const STRICT_RULE_OPTIONS = {
  // Numbers in messages ("3 requests", "HTTP 500") are what templates are for; objects, arrays,
  // null and undefined are still refused (they print "[object Object]" or "undefined" to users).
  '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
  // `() => void x()` and `(e) => setValue(e)` shorthands are the idiom of handlers and listeners.
  '@typescript-eslint/no-confusing-void-expression': [
    'error',
    { ignoreArrowShorthand: true, ignoreVoidOperator: true },
  ],
  // tsconfig has noUncheckedIndexedAccess: an index read is `T | undefined`, and `list[i]!` inside a
  // bounds-checked loop is the honest way to say "checked above". The rule would push those to `as T`.
  '@typescript-eslint/no-non-null-assertion': 'off',
  // Tokens, statuses and pins are JSON records keyed by id (what storage holds); `delete` is how a
  // key leaves one. A Map would need converting at every read and write.
  '@typescript-eslint/no-dynamic-delete': 'off',
};

// ---- Import restrictions, one group per rule of the house style ------------------------------------

const POLYFILL = {
  paths: [
    {
      name: 'webextension-polyfill',
      message:
        'Only src/lib/browser.ts imports webextension-polyfill (the single browser seam); elsewhere take a BrowserApi.',
    },
  ],
  patterns: [
    {
      group: ['webextension-polyfill/*'],
      message:
        'Only src/lib/browser.ts imports webextension-polyfill (the single browser seam); elsewhere take a BrowserApi.',
    },
  ],
};

const NO_TESTS = {
  patterns: [
    {
      regex: '^(?:\\./)?(?:\\.\\./)+tests(?:/|$)',
      message: 'Production code under src/ must not import from tests/.',
    },
  ],
};

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_')).map(escapeRegex);

const NODE_BUILTINS = {
  patterns: [
    {
      regex: `^(?:node:.*|(?:${nodeBuiltins.join('|')})(?:/.*)?)$`,
      message: 'src/core is pure logic and runs in any context: no Node built-in modules.',
    },
  ],
};

// Which src/ folders each src/ folder may import (besides itself), and why the rest are out.
const AREAS = ['core', 'lib', 'background', 'ui', 'popup', 'options', 'devtools', 'viewer'];
const MAY_IMPORT = {
  core: { may: [], why: 'src/core is pure logic: the shell calls core, never the reverse.' },
  lib: { may: ['core'], why: 'src/lib adapts the browser to core types; it knows no page and no background.' },
  background: {
    may: ['core', 'lib'],
    why: 'The background never imports page code: pages are clients that talk to it through messages.',
  },
  ui: { may: ['core', 'lib'], why: 'src/ui is shared by the pages: it imports none of them and never the background.' },
  popup: {
    may: ['core', 'lib', 'ui'],
    why: 'A page talks to the background through lib/messaging and shares code through src/ui.',
  },
  options: {
    may: ['core', 'lib', 'ui'],
    why: 'A page talks to the background through lib/messaging and shares code through src/ui.',
  },
  devtools: {
    may: ['core', 'lib', 'ui'],
    why: 'A page talks to the background through lib/messaging and shares code through src/ui.',
  },
  viewer: {
    may: ['core', 'lib', 'ui'],
    why: 'A page talks to the background through lib/messaging and shares code through src/ui.',
  },
};

function areaImports(area) {
  const banned = AREAS.filter((a) => a !== area && !MAY_IMPORT[area].may.includes(a));
  const may = MAY_IMPORT[area].may.length ? MAY_IMPORT[area].may.join(', ') : 'no other src/ folder';
  return {
    patterns: [{ regex: climbsInto(...banned), message: `src/${area} may import ${may}. ${MAY_IMPORT[area].why}` }],
  };
}

/** lib/browser (the polyfill) or lib/page-browser, from anywhere under src/. */
const adapter = (name) => `^(?:\\./)?(?:\\.\\./)+(?:src/)?lib/${name}(?:\\.[cm]?[jt]sx?)?$`;

const NO_BACKGROUND_ADAPTER = {
  patterns: [
    {
      regex: adapter('browser'),
      message:
        "lib/browser (webextension-polyfill) is the background's adapter; a page wires lib/page-browser in its entry file.",
    },
  ],
};

const NO_PAGE_ADAPTER = {
  patterns: [
    {
      regex: adapter('page-browser'),
      message:
        "Only a page's entry file wires the real browser (lib/page-browser); other modules receive a BrowserApi/KeyringClient so tests can pass the fake.",
    },
  ],
};

function restrictImports(...groups) {
  return [
    'error',
    {
      paths: groups.flatMap((g) => g.paths ?? []),
      patterns: groups.flatMap((g) => g.patterns ?? []),
    },
  ];
}

/** The registered storage keys (core/storage-registry.ts), but 'settings', which is also a page name. */
const STORAGE_KEY_LITERAL =
  '/^(keyring|keyring[.]backup[.].*|oauthTokens|oauthStatus|unlockedLock|tabPins|monitorState|monitorAlerts|dailyUsage|activityLog([.][0-9]+)?)$/';

// ---- Globals banned in src/core --------------------------------------------------------------------

const PURE = 'src/core is pure: it never touches the browser, the network or the clock.';
const CORE_GLOBALS = [
  { name: 'chrome', message: `${PURE} Browser APIs belong in src/lib.` },
  { name: 'browser', message: `${PURE} Browser APIs belong in src/lib.` },
  { name: 'fetch', message: `${PURE} Network access belongs in src/lib.` },
  { name: 'Date', message: `${PURE} Time is passed in as a parameter (e.g. \`now: number\`).` },
  { name: 'setTimeout', message: `${PURE} Scheduling belongs in the background (alarms), not core.` },
  { name: 'setInterval', message: `${PURE} Scheduling belongs in the background (alarms), not core.` },
  { name: 'localStorage', message: `${PURE} Storage belongs in src/lib.` },
  { name: 'document', message: `${PURE} The DOM belongs in src/popup.` },
  { name: 'window', message: `${PURE} The DOM belongs in src/popup.` },
  // Escape hatches and other impure globals (not in the house-style list, added so the list above
  // cannot be bypassed with `globalThis.chrome` and so ids stay injected like the clock).
  { name: 'globalThis', message: `${PURE} Reaching globals through globalThis bypasses this rule.` },
  { name: 'self', message: `${PURE} Reaching globals through self bypasses this rule.` },
  { name: 'crypto', message: `${PURE} Randomness/ids are passed in (e.g. \`newId()\`), like the clock.` },
  { name: 'performance', message: `${PURE} Time is passed in as a parameter.` },
  { name: 'process', message: `${PURE} No Node globals in core.` },
];

const TS_FILES = ['src/**/*.{ts,tsx}', 'tests/**/*.{ts,tsx}', '*.config.ts'];
const JS_FILES = ['scripts/**/*.mjs', 'eslint.config.js'];
const TEST_FILES = ['tests/**/*.{ts,tsx}', 'src/**/*.test.{ts,tsx}', 'src/**/*.test-helpers.ts'];

// scripts/*.mjs run in Node; listed by hand to avoid a dependency on the `globals` package.
const NODE_GLOBALS = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'test-results/', 'coverage/', 'reports/', '.stryker-tmp/']), // the last two: npm run mutate's output and sandbox

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // TypeScript sources, tests and the root vite/vitest configs: type-aware recommended rules.
  {
    name: 'project/typescript',
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  // Production code: the strict type-checked set (tests keep the recommended one: they probe
  // untyped and deliberately wrong data, where "unnecessary" conditions are the point).
  {
    name: 'project/strict-src',
    files: ['src/**/*.{ts,tsx}'],
    ignores: TEST_FILES,
    extends: [tseslint.configs.strictTypeChecked],
    rules: STRICT_RULE_OPTIONS,
  },

  // Node scripts and this file: recommended rules without type information (not in tsconfig).
  {
    name: 'project/node-scripts',
    files: JS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: NODE_GLOBALS },
  },

  // Tests: vitest's asymmetric matchers (`expect.any(...)`, `expect.stringMatching(...)`) are typed
  // `any`, so no-unsafe-assignment fires on every `toMatchObject({ x: expect.any(String) })`; and
  // in-memory fakes implement the async BrowserApi synchronously, so `async` without `await` is the
  // point there. Both are relaxed for test code only.
  {
    name: 'project/tests',
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Every eslint-disable must say why: `// eslint-disable-next-line rule -- reason`.
  comments.recommended,
  {
    name: 'project/eslint-comments',
    rules: { '@eslint-community/eslint-comments/require-description': 'error' },
  },

  // ---- Boundary zones (each block repeats the groups that still apply to its files) -----------------
  {
    name: 'zones/everywhere',
    files: [...TS_FILES, ...JS_FILES],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL) },
  },
  {
    name: 'zones/src',
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS) },
  },
  {
    name: 'zones/core',
    // Includes core's own *.test.ts: they may import vitest but are otherwise held to the same rules.
    files: ['src/core/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, areaImports('core'), NODE_BUILTINS),
      'no-restricted-globals': ['error', ...CORE_GLOBALS],
    },
  },
  {
    name: 'zones/lib',
    files: ['src/lib/**/*.{ts,tsx}'],
    ignores: ['src/lib/browser.ts'],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, areaImports('lib')) },
  },
  // Storage: every key is declared in src/core/storage-registry.ts (area, secret or not, when it is
  // cleared) and every read and write goes through src/lib/storage.ts. Elsewhere under src/, a call
  // to `<...>.local|session.get|set|remove|clear(...)` or a registered key written as a literal is an
  // error. ('settings' is also an options-page name, so as a bare literal it is caught only in an
  // `in` test of a change event; its reads and writes are caught by the call rule.)
  {
    name: 'zones/storage',
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/lib/storage.ts', 'src/core/storage-registry.ts', 'src/core/storage-registry.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(get|set|remove|clear)$/][callee.object.type='MemberExpression'][callee.object.property.name=/^(local|session)$/]",
          message:
            'Read and write storage through src/lib/storage.ts (keyedStorage) with an entry of core/storage-registry.ts.',
        },
        {
          selector: `Literal[value=${STORAGE_KEY_LITERAL}]`,
          message:
            'Storage keys are declared once, in core/storage-registry.ts: use STORAGE.<name> (and touches() for change events).',
        },
        {
          selector: "BinaryExpression[operator='in'] > Literal.left[value='settings']",
          message:
            'Storage keys are declared once, in core/storage-registry.ts: use touches(changes, area, STORAGE.settings).',
        },
      ],
    },
  },
  {
    name: 'zones/browser-seam',
    files: ['src/lib/browser.ts'],
    rules: { 'no-restricted-imports': restrictImports(NO_TESTS, areaImports('lib')) },
  },
  {
    name: 'zones/background',
    files: ['src/background/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, areaImports('background'), NO_PAGE_ADAPTER) },
  },
  // Pages: everything but the entry file receives its browser; the entry wires lib/page-browser.
  ...[
    ['ui', []],
    ['popup', ['src/popup/main.tsx']],
    ['options', ['src/options/main.tsx']],
    ['devtools', ['src/devtools/panel-main.tsx', 'src/devtools/devtools.ts']],
    ['viewer', ['src/viewer/content.ts']],
  ].flatMap(([area, entries]) => [
    {
      name: `zones/${area}`,
      files: [`src/${area}/**/*.{ts,tsx}`],
      ignores: entries,
      rules: {
        'no-restricted-imports': restrictImports(
          POLYFILL,
          NO_TESTS,
          areaImports(area),
          NO_BACKGROUND_ADAPTER,
          NO_PAGE_ADAPTER,
        ),
      },
    },
    ...(entries.length
      ? [
          {
            name: `zones/${area}-entry`,
            files: entries,
            rules: {
              'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, areaImports(area), NO_BACKGROUND_ADAPTER),
            },
          },
        ]
      : []),
  ]),

  // ---- Structure: no import cycle, small files ---------------------------------------------------
  {
    name: 'structure/src',
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      // Type-only imports count too: a type cycle is still two modules that must be read together.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Lines of code: comments say why (house style) and should never push a file to be split.
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests are tables of cases: their length follows the cases, not the structure of the code.
    name: 'structure/tests-any-length',
    files: TEST_FILES,
    rules: { 'max-lines': 'off' },
  },
);
