// Lint: TypeScript rules + React hooks, and the one-way import rule of the design:
// src/domain imports nothing from the app, the SDK or the local cloud; pages never call the cloud directly.
import fs from 'node:fs';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Deployed functions: every folder of cloudfunctions/ but the shared runtime, test support and declarations. */
const FUNCTIONS = fs
  .readdirSync('cloudfunctions', { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_') && d.name !== 'database')
  .map((d) => d.name);

/** Function code: what is bundled and deployed (tests, fixtures and test support run only here). */
const TEST_ONLY = [
  '**/*.test.ts',
  '**/*.test.tsx',
  '**/fixtures.ts',
  'cloudfunctions/_test-support/**',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-h5/**',
      'dist-functions/**',
      'data/**',
      'node_modules/**',
      'coverage/**',
      '.temp/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Boundaries between layers (DESIGN.md "imports flow one way"), by path, so a relative import
    // across a layer is refused as well as an alias.
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/domain',
              from: './',
              except: ['./src/domain', './node_modules'],
              message:
                'src/domain holds pure rules: it imports only src/domain and pure libraries.',
            },
            {
              target: './src',
              from: ['./cloudfunctions', './local', './e2e', './scripts'],
              message: 'The app never imports function, local-cloud, test or script code.',
            },
          ],
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Function code is bundled and deployed: it never reaches the local cloud, tests or the app's
    // impure layers.
    files: ['cloudfunctions/**/*.ts'],
    ignores: TEST_ONLY,
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './cloudfunctions',
              from: [
                './local',
                './e2e',
                './scripts',
                './src/cloud',
                './src/stores',
                './src/components',
                './src/pages',
                './src/packages',
              ],
              message:
                'Function code never imports local/, tests, scripts or the app outside src/domain.',
            },
            {
              target: './cloudfunctions/_shared',
              from: FUNCTIONS.map((fn) => `./cloudfunctions/${fn}`),
              message: 'cloudfunctions/_shared is below every function: it imports none of them.',
            },
            ...FUNCTIONS.map((fn) => ({
              target: `./cloudfunctions/${fn}`,
              from: FUNCTIONS.filter((other) => other !== fn).map(
                (other) => `./cloudfunctions/${other}`,
              ),
              message:
                'A cloud function never imports another function: what two share lives in cloudfunctions/_shared.',
            })),
          ],
        },
      ],
    },
  },
  {
    // A handler reads load → domain rule → write; one that grows past this holds a rule or a
    // data-access helper that belongs elsewhere.
    files: ['cloudfunctions/*/handlers/**/*.ts', 'cloudfunctions/*/index.ts'],
    ignores: TEST_ONLY,
    rules: {
      'max-lines-per-function': ['error', { max: 25, skipBlankLines: true, skipComments: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/stores/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'Taro',
          property: 'cloud',
          message: 'Stores call the cloud client (src/cloud), never Taro.cloud.',
        },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@tarojs/*',
                'react',
                'react-dom',
                'zustand',
                'wx-server-sdk',
                '@/cloud/*',
                '@/stores/*',
                '@/components/*',
                '@/pages/*',
                '@/packages/*',
                'node:*',
                'fs',
                'path',
                'os',
                'crypto',
                'child_process',
              ],
              message:
                'src/domain holds pure rules: no Taro, React, store, cloud, SDK or Node imports (it runs in the mini-program too).',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/pages/**/*.{ts,tsx}',
      'src/packages/**/*.{ts,tsx}',
      'src/components/**/*.{ts,tsx}',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/cloud/*', '@/cloud'],
              message:
                'Pages and components go through a store; only stores call the cloud client.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Taro', property: 'cloud', message: 'Only src/cloud calls Taro.cloud.' },
      ],
    },
  },
  {
    // Production answers a conflict at a transactional write without its code, so the SDK's own
    // retry never runs: every function transaction goes through transact() and its explicit retry.
    files: ['cloudfunctions/**/*.ts'],
    ignores: ['cloudfunctions/_shared/transact.ts', 'cloudfunctions/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'runTransaction',
          message:
            'Use transact(db, work) from cloudfunctions/_shared: it retries write conflicts, which the SDK does not.',
        },
        {
          property: 'startTransaction',
          message: 'Use transact(db, work) from cloudfunctions/_shared.',
        },
      ],
    },
  },
);
