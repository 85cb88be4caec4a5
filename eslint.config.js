import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // The engine's core runs in browsers and Node alike: no Node modules, no DOM, no Buffer.
    files: ['packages/pop3/src/**/*.ts'],
    ignores: ['packages/pop3/src/node/**'],
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
