import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppDeps, AppState, Runtime } from './app-state.js';
import { createComposeSlice } from '../compose/compose-slice.js';
import { createConversationsSlice } from '../conversations/conversations-slice.js';
import { createOAuthSlice } from '../oauth/oauth-slice.js';
import { createDeviceSlice } from './device-slice.js';
import { createConsoleSlice } from './console-slice.js';
import { HeaderCacheWriter } from './header-cache.js';
import { createLogSlice, LogBuffer, logState } from './log-slice.js';
import { createMailboxSlice } from './mailbox-slice.js';
import { createNoticesSlice } from './notices-slice.js';
import { createPreferencesSlice } from './preferences-slice.js';
import { createReaderSlice } from './reader-slice.js';
import { createSearchSlice } from '../search/search-slice.js';
import { createSavedSlice } from './saved-slice.js';
import { createSessionSlice } from './session-slice.js';
import { createTransferSlice } from './transfer-slice.js';
import { memorySettingsStorage } from './settings.js';
import { currentAccount } from '../newmail/account-target.js';
import { createNewMailSlice, watchNewMail } from '../newmail/newmail-slice.js';

export type { AppActions, AppDeps, AppState } from './app-state.js';

/**
 * The app's store, in zustand's slices pattern: session, mailbox, reader, protocol log, preferences
 * and notices, each with its own state and actions (merged into one `actions` object). What is not
 * state — the session's client, the password, buffers — lives in one Runtime object beside it.
 */
export function createAppStore(deps: AppDeps): StoreApi<AppState> {
  return createStore<AppState>()((set, get, api) => {
    const flushMs = deps.flushMs ?? 60;
    const deviceHeaderCache = new HeaderCacheWriter(deps.cache);
    const runtime: Runtime = {
      deps,
      settingsStorage: deps.settingsStorage ?? memorySettingsStorage(),
      keepaliveMs: deps.keepaliveMs ?? 60_000,
      flushMs,
      now: deps.now ?? Date.now,
      credentials: undefined,
      lockedAs: undefined,
      lastActivity: 0,
      idleTimer: undefined,
      sharedComputer: false,
      blank: undefined,
      session: undefined,
      attempt: undefined,
      opening: undefined,
      uncommitted: new Set(),
      headerCache: deviceHeaderCache,
      deviceHeaderCache,
      get mailStore() {
        if (runtime.sharedComputer) return Promise.resolve(undefined);
        return deps.mailStore?.() ?? Promise.resolve(undefined);
      },
      download: undefined,
      log: new LogBuffer(flushMs, (lines) => set(logState(lines))),
      keepaliveTimer: undefined,
      newMail: undefined,
    };
    const slices = [
      createSessionSlice(runtime)(set, get, api),
      createMailboxSlice(runtime)(set, get, api),
      createReaderSlice(runtime)(set, get, api),
      createLogSlice(runtime)(set, get, api),
      createPreferencesSlice(runtime)(set, get, api),
      createNoticesSlice(set, get, api),
      createSavedSlice(runtime)(set, get, api),
      createTransferSlice(runtime)(set, get, api),
      createDeviceSlice(runtime)(set, get, api),
      createConsoleSlice(runtime)(set, get, api),
      createSearchSlice(runtime)(set, get, api),
      createComposeSlice(runtime, deps.submit)(set, get, api),
      createNewMailSlice(runtime)(set, get, api),
      createOAuthSlice(runtime)(set, get, api),
      createConversationsSlice(runtime)(set, get, api),
    ] as const;
    const [
      session,
      mailbox,
      reader,
      log,
      preferences,
      notices,
      saved,
      transfer,
      device,
      commandLine,
      search,
      compose,
      newMail,
      oauth,
      conversations,
    ] = slices;
    const state: AppState = {
      ...session,
      ...mailbox,
      ...reader,
      ...log,
      ...preferences,
      ...notices,
      ...saved,
      ...transfer,
      ...device,
      ...commandLine,
      ...search,
      ...compose,
      ...newMail,
      ...oauth,
      ...conversations,
      actions: {
        ...session.actions,
        ...mailbox.actions,
        ...reader.actions,
        ...log.actions,
        ...preferences.actions,
        ...notices.actions,
        ...saved.actions,
        ...transfer.actions,
        ...device.actions,
        ...commandLine.actions,
        ...search.actions,
        ...compose.actions,
        ...newMail.actions,
        ...oauth.actions,
        ...conversations.actions,
      },
    };
    runtime.blank = state;
    runtime.newMail = watchNewMail(api, currentAccount({ set, get }, runtime), deps.notifier, runtime.now);
    return state;
  });
}
