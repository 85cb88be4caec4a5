import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { indexedDbCache } from './mailstore/mail-cache.js';
import { App } from './components/App.js';
import { parseInWorker } from './mime/mime-client.js';
import { loadLanguage } from './i18n/index.js';
import { loadServers } from './session/servers.js';
import type { Connect } from './session/types.js';
import { createAppStore } from './store/app-store.js';
import { StoreProvider } from './store/context.js';
import { localSettingsStorage } from './store/settings.js';
import './styles.css';

// The POP3 engine loads when it is first needed (the sign-in page prefetches it), not with the shell.
const connect: Connect = async (params, hooks, signal) =>
  (await import('./session/connect.js')).connectThroughBridge(params, hooks, signal);

const store = createAppStore({
  connect,
  cache: indexedDbCache(),
  loadServers: () => loadServers(),
  parseMessage: parseInWorker,
  settingsStorage: localSettingsStorage(),
});

await loadLanguage(store.getState().settings.language).catch(() => {});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
