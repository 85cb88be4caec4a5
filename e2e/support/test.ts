// The suite's test object: the servers (once per worker) and the bridge as baseURL.
import { test as base, expect } from '@playwright/test';
import { startServers, type Servers } from './servers.js';

export const test = base.extend<object, { servers: Servers }>({
  servers: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from it
    async ({}, use) => {
      const servers = await startServers();
      try {
        await use(servers);
      } finally {
        await servers.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ servers }, use) => use(servers.url),
});

export { expect };
