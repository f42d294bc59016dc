// Lint config. Besides typescript-eslint's recommended type-checked rules, this file turns the
// project's architecture boundaries into lint errors:
//   - src/core is pure: no lib/background/popup imports, no polyfill, no node builtins, and no
//     browser or clock globals (time and ids are passed in).
//   - the popup and the options page never import the background, and only their main.tsx wires
//     the real browser.
//   - the background never imports the popup.
//   - webextension-polyfill is imported only by src/lib/browser.ts.
//   - production code never imports tests/.
//
// Zones use the built-in `no-restricted-imports`. In a flat config a later block that sets the same
// rule *replaces* the earlier options for the files it matches, so every zone block below lists the
// full set of restrictions for its files (built with `restrictImports(...)`), ordered from the
// broadest glob to the narrowest. Limitation: the rule sees import/export-from statements, not
// `import()` expressions or `require`.
import { builtinModules } from 'node:module';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative import whose path climbs out (`../`, `../../`, ...) into one of `folders`. */
const climbsInto = (...folders) => `^(?:\\./)?(?:\\.\\./)+(?:src/)?(?:${folders.join('|')})(?:/|$)`;

// ---- Import restrictions, one group per rule of the house style ------------------------------------

const POLYFILL = {
  paths: [
    {
      name: 'webextension-polyfill',
      message: 'Only src/lib/browser.ts imports webextension-polyfill (the single browser seam); elsewhere take a BrowserApi.',
    },
  ],
  patterns: [
    {
      group: ['webextension-polyfill/*'],
      message: 'Only src/lib/browser.ts imports webextension-polyfill (the single browser seam); elsewhere take a BrowserApi.',
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

const CORE = {
  patterns: [
    {
      regex: climbsInto('lib', 'background', 'popup'),
      message: 'src/core is pure logic: it may not import lib/, background/ or popup/. The shell calls core, never the reverse.',
    },
    {
      regex: `^(?:node:.*|(?:${nodeBuiltins.join('|')})(?:/.*)?)$`,
      message: 'src/core is pure logic and runs in any context: no Node built-in modules.',
    },
  ],
};

const POPUP_NOT_BACKGROUND = {
  patterns: [
    {
      regex: climbsInto('background'),
      message: 'The popup is a client of the background: talk to it through lib/messaging, never import it.',
    },
  ],
};

const POPUP_NOT_REAL_BROWSER = {
  patterns: [
    {
      regex: '^(?:\\./)?(?:\\.\\./)+(?:src/)?lib/browser(?:\\.[cm]?[jt]sx?)?$',
      message: 'Only src/popup/main.tsx wires the real browser; other popup modules receive a BrowserApi/KeyringClient so tests can pass the fake.',
    },
  ],
};

const BACKGROUND_NOT_POPUP = {
  patterns: [
    {
      regex: climbsInto('popup'),
      message: 'The background must not import popup code; the popup is a client that talks to it through messages.',
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

  // ---- Boundary zones (broadest first; each block repeats the groups that still apply) ------------
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
      'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, CORE),
      'no-restricted-globals': ['error', ...CORE_GLOBALS],
    },
  },
  {
    // The options page is an extension page like the popup, under the same rules.
    name: 'zones/popup',
    files: ['src/popup/**/*.{ts,tsx}', 'src/options/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, POPUP_NOT_BACKGROUND, POPUP_NOT_REAL_BROWSER),
    },
  },
  {
    name: 'zones/popup-entry',
    files: ['src/popup/main.tsx', 'src/options/main.tsx'],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, POPUP_NOT_BACKGROUND) },
  },
  {
    name: 'zones/background',
    files: ['src/background/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': restrictImports(POLYFILL, NO_TESTS, BACKGROUND_NOT_POPUP) },
  },
  {
    name: 'zones/browser-seam',
    files: ['src/lib/browser.ts'],
    rules: { 'no-restricted-imports': restrictImports(NO_TESTS) },
  },
);
