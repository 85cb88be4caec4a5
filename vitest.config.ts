import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "@webpop/source" export condition),
// so tests never run against a stale build.
export default defineConfig({
  resolve: { conditions: ['@webpop/source', 'import', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@webpop/source', 'import', 'module', 'node', 'default'] } },
  test: {
    include: [
      'apps/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.tsx',
      'packages/*/test/**/*.test.ts',
      'e2e/install/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
