// ESLint for bugs, not taste: prettier owns the layout, so no stylistic rule is on here.
// Type-aware typescript-eslint (floating and misused promises, unused code, unsafe any), React
// hooks and JSX accessibility for the islands, the Astro plugin for .astro components.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import astro from 'eslint-plugin-astro';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/',
      '.astro/',
      '.cache/',
      '.data/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      // Programs in other languages' clothing: the samples are run by their own toolchains in CI.
      'content/examples/**/*.js',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An unused name is dead code or a bug; a leading underscore says it is unused on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Promises that nobody awaits lose their errors; handlers that return one lose them too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Template literals with numbers are how this code writes messages: not a bug.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Taste, not bugs: an async function without await still returns the promise its interface
      // promises (a Store method, a handler).
      '@typescript-eslint/require-await': 'off',
      // A deprecated API is an error here, not a hint that scrolls by in `astro check` (which shows
      // warnings and errors only). One exception, on purpose: openid-client and oauth4webapi mark
      // allowInsecureRequests deprecated "only to make it stand out" (their docs); the samples and
      // the interop tests call it for a sandbox on plain-HTTP localhost, and only there.
      '@typescript-eslint/no-deprecated': [
        'error',
        {
          allow: [
            { from: 'package', package: 'openid-client', name: 'allowInsecureRequests' },
            { from: 'package', package: 'oauth4webapi', name: 'allowInsecureRequests' },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers as `any` and assert on them; the unsafe-any rules guard the types of
    // the code that ships, and vitest's `expect(object.method)` is not a lost `this`.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The guide's samples print an answer's fields as the server sent them, in the fewest lines a
    // reader copies; a field of the wrong type shows up as what it is, which is the point there.
    files: ['content/examples/**/*.ts'],
    rules: {
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/islands/**/*.tsx'],
    extends: [jsxA11y.flatConfigs.recommended],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The rules of hooks and their dependencies: bugs. The plugin's React Compiler rules
      // (set-state-in-effect, purity, refs) are about what the compiler can optimise; the islands
      // do not use it, and they read browser-only state after hydration on purpose.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // A scrollable region must be reachable by keyboard (WCAG 2.1.1, axe's
      // scrollable-region-focusable): a labelled region may take tabIndex={0}.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'] }],
    },
  },
  ...astro.configs.recommended,
);
