import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { forgetDevice } from './lib/forget-device.js';
import { browserNotifier } from './newmail/browser-notifier.js';
import { browserPasswordStore } from './session/password-credentials.js';
import { DATABASE_NAME, MailStore } from './mailstore/index.js';
import { memoryCache, storeCache } from './mailstore/mail-cache.js';
import { AccountsShell } from './accounts/AccountsShell.js';
import { createAccountsStore } from './accounts/accounts-store.js';
import { BrandingProvider } from './components/Brand.js';
import { parseInWorker } from './mime/mime-client.js';
import { sanitizerInFrame } from './mime/sanitizer-client.js';
import { SanitizerContext } from './components/reader/sanitizer-context.js';
import type { SearchService } from './search/protocol.js';
import { startSearchWorker } from './search/search-client.js';
import { loadLanguage } from './i18n/index.js';
import { loadServers } from './session/servers.js';
import { HANDOVER_CHANNEL, HandoverHub } from './oauth/handover.js';
import { callbackParameters, isOwnReturn } from './oauth/pending.js';
import { browserSignInWindow } from './oauth/popup.js';
import { applyAccent, loadBranding } from './session/branding.js';
import type { Submit } from './compose/submit.js';
import type { Connect } from './session/types.js';
import { loadConnect, loadedConnect } from './session/connect-loader.js';
import { createAppStore } from './store/app-store.js';
import { localSettingsStorage } from './store/settings.js';
import './styles.css';

// The POP3 engine loads when it is first needed (the sign-in page prefetches it), not with the shell;
// once loaded, a sign-in's WebSocket opens in the submit's own task (see connect-loader.ts).
const connect: Connect = (params, hooks, signal) => {
  const loaded = loadedConnect();
  if (loaded) return loaded.connectThroughBridge(params, hooks, signal);
  return loadConnect().then((module) => module.connectThroughBridge(params, hooks, signal));
};

// The SMTP engine loads with the first message sent.
const submit: Submit = async (account, submission, hooks, signal) =>
  (await import('./compose/submit.js')).submitThroughBridge(account, submission, hooks, signal);

const storage = (navigator as { storage?: StorageManager }).storage;

// The app's own address is the OAuth redirect URI. A return from the provider (code or error, and
// state) leaves the address bar at once: the code is single-use, but belongs in no history entry.
const redirectUri = new URL('./', document.baseURI).href;
const oauthReturn = callbackParameters(new URL(location.href));
if (oauthReturn) history.replaceState(history.state, '', redirectUri);

// A return this tab did not send for (its state is not the one in this tab's sessionStorage) is the
// sign-in window's: the page hands it to the tab that opened the window and starts no app here.
if (oauthReturn && !isOwnReturn(sessionStorage, oauthReturn)) {
  const { runPopupReturn } = await import('./oauth/popup-return.js');
  await runPopupReturn(
    oauthReturn,
    document.getElementById('root')!,
    localSettingsStorage().load().language ?? 'en',
  );
} else {
  await startApp(oauthReturn);
}

async function startApp(oauthReturn: URLSearchParams | undefined): Promise<void> {
  // The sign-in windows' returns come back here, for whichever account's sign-in waits for them.
  const handover = new HandoverHub({
    origin: location.origin,
    channel: () => new BroadcastChannel(HANDOVER_CHANNEL),
    window,
  });

  // One local mail store per page (undefined where IndexedDB cannot be used: then headers stay in memory).
  let opened: Promise<MailStore | undefined> | undefined;
  const mailStore = () => (opened ??= MailStore.open().catch(() => undefined));

  // The search worker starts with the first account that has one (it opens the mail store itself).
  let searchService: SearchService | undefined;
  const search = () => (searchService ??= startSearchWorker());

  // The browser's password store (Credential Management API), used only where the bridge allows it.
  const passwords = browserPasswordStore();

  // One notifier for the page: every account's new-mail notifications go through it.
  const notifier = browserNotifier();

  const forgetThisDevice = () =>
    forgetDevice({
      store: mailStore,
      dropStore: () => (opened = undefined),
      databaseName: DATABASE_NAME,
    });

  // Message HTML is sanitized in a sandboxed frame of its own (off this page's main thread in
  // Chromium); composed HTML goes through the same one. The frame loads with its first use.
  const sanitize = sanitizerInFrame(new URL('./sanitizer.html', document.baseURI));

  // One account runtime (a whole app store) per signed-in account, all over the page's one mail
  // store, search worker and settings storage (see accounts/accounts-state.ts).
  const createAccount = (parts: { forgetDevice: () => Promise<void> }) =>
    createAppStore({
      notifier,
      connect,
      submit,
      sanitizeHtml: sanitize,
      cache: storeCache(mailStore, memoryCache()),
      mailStore,
      // navigator.storage exists only in secure contexts (https, localhost).
      ...(storage ? { storage } : {}),
      loadServers: () => loadServers(),
      parseMessage: parseInWorker,
      settingsStorage: localSettingsStorage(),
      search,
      oauth: {
        storage: sessionStorage,
        redirectUri: () => redirectUri,
        navigate: (url) => location.assign(url),
        flow: () => import('./oauth/flow.js'),
        popup: { open: browserSignInWindow(window), handover },
      },
      forgetDevice: parts.forgetDevice,
      passwords,
    });

  const accounts = createAccountsStore({ createAccount, forgetDevice: forgetThisDevice });
  const store = accounts.getState().entries[0]!.store;

  // The operator's branding comes with the language (both before the first render: no flash of the
  // defaults); offline or without a bridge it is simply absent.
  const [branding] = await Promise.all([
    loadBranding(),
    loadLanguage(store.getState().settings.language).catch(() => {}),
  ]);
  applyAccent(document.documentElement, branding.accentColor);

  if (oauthReturn) void store.getState().actions.completeOAuth(oauthReturn);

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <BrandingProvider branding={branding}>
        <SanitizerContext.Provider value={sanitize}>
          <AccountsShell accounts={accounts} />
        </SanitizerContext.Provider>
      </BrandingProvider>
    </StrictMode>,
  );
}
