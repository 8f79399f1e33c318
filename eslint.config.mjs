// Lint: TypeScript rules + React hooks, and the one-way import rule of the design:
// src/domain imports nothing from the app, the SDK or the local cloud; pages never call the cloud directly.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

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
              ],
              message: 'src/domain holds pure rules: no Taro, React, store, cloud or SDK imports.',
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
