import { availableParallelism } from 'node:os';
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
    // Vitest runs one file at a time on two cores (its default in a run is the cores less one), and much
    // of a file's time is waiting: Dovecot and Postfix starting, sockets, child processes, the outsider
    // install's npm. Two files at once keep both cores busy; more cores keep vitest's own default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
