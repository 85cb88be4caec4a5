import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.tmp/**',
      'apps/bridge/web/**',
      '**/test-results/**',
      '**/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Type-aware: a promise nobody awaits or catches loses its rejection, and one handed to a callback
    // that expects void (an event handler, a timer) is never awaited. Source files only (each is in
    // its package's tsconfig, which the project service finds).
    files: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs['recommended-latest'],
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The engines' cores (and the mailbox formats) run in browsers and Node alike: no Node modules, no DOM, no Buffer.
    files: ['packages/pop3/src/**/*.ts', 'packages/smtp/src/**/*.ts', 'packages/mailfile/src/**/*.ts'],
    ignores: ['packages/pop3/src/node/**', 'packages/smtp/src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'net', 'tls', 'fs', 'crypto', 'buffer', 'stream'] },
      ],
      'no-restricted-globals': ['error', 'Buffer', 'process', 'window', 'document', 'require'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
