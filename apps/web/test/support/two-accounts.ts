import { vi } from 'vitest';
import { createAccountsStore } from '../../src/accounts/accounts-store.js';
import { memoryCache } from '../../src/mailstore/mail-cache.js';
import type { Connect, ServerList } from '../../src/session/types.js';
import type { OAuthProvider } from '../../src/oauth/types.js';
import { createAppStore } from '../../src/store/app-store.js';
import type { AppDeps } from '../../src/store/app-state.js';
import { memorySettingsStorage } from '../../src/store/settings.js';
import { fakeParse, message } from './app.js';
import { fakeConnect, FakeMaildrop } from './fake-client.js';

/** Two users on one server, each with a maildrop of its own, behind an accounts store. */
export function twoUsers(
  idleMinutes = 0,
  {
    oauth,
    provider,
    ...more
  }: Pick<AppDeps, 'mailStore' | 'storage'> & {
    oauth?: AppDeps['oauth'];
    provider?: OAuthProvider;
  } = {},
) {
  const drops = {
    demo: new FakeMaildrop([
      message('d-1', 'For demo', 'Alice <alice@example.org>', 'Mon, 10 Nov 2025 09:00:00 +0000'),
    ]),
    second: new FakeMaildrop([
      message('s-1', 'For second', 'Bob <bob@example.org>', 'Tue, 11 Nov 2025 09:00:00 +0000'),
      message('s-2', 'Also second', 'Bob <bob@example.org>', 'Wed, 12 Nov 2025 09:00:00 +0000'),
    ]),
  };
  const servers = { demo: fakeConnect(drops.demo), second: fakeConnect(drops.second) };
  const connect: Connect = (params, hooks, signal) =>
    servers[params.username as keyof typeof servers].connect(params, hooks, signal);
  const loadServers = async (): Promise<ServerList> => ({
    servers: [
      {
        id: 'demo',
        label: 'Demo mailbox',
        security: 'none',
        ...(provider ? { oauth: provider } : {}),
      },
    ],
    allowAnyTarget: false,
    sessionPolicy: { idleMinutes, sharedComputerDefault: false },
  });
  const settings = memorySettingsStorage({ language: 'en' });
  const forgetDevice = vi.fn(async () => undefined);
  const accounts = createAccountsStore({
    forgetDevice,
    createAccount: (parts) =>
      createAppStore({
        connect,
        cache: memoryCache(),
        loadServers,
        parseMessage: fakeParse,
        settingsStorage: settings,
        flushMs: 1,
        forgetDevice: parts.forgetDevice,
        ...more,
        ...(oauth ? { oauth } : {}),
      }),
  });
  return { accounts, servers, drops, forgetDevice };
}
