import { lazy, Suspense, useEffect, useMemo } from 'react';
import { useActions, useApp, useI18n } from '../store/context.js';
import { selectAccount, selectCounts } from '../store/selectors.js';
import { Locked } from './Locked.js';
import { loadedMailbox, loadMailbox } from './mailbox-loader.js';
import { SignIn } from './SignIn.js';
import { useBranding } from './Brand.js';
import { showUnreadOnIcon } from '../newmail/icon-badge.js';
import { selectUnreadInbox, titleWithUnread } from '../newmail/unread.js';
import { useAccountsContext } from '../accounts/context.js';

// The mailbox (list, virtualizer, shortcuts) loads after the sign-in page; SignIn prefetches it.
const LazyMailbox = lazy(loadMailbox);
const ProtocolLog = lazy(() => import('./ProtocolLog.js'));

/**
 * Applies the theme and language to the document; the unread count in the title and on the icon for
 * a single store (with the accounts store, accounts/TabStatus.tsx sums every account's).
 */
function useDocumentSettings(own: boolean) {
  const theme = useApp((state) => state.settings.theme);
  const { language, t } = useI18n();
  const { title } = useBranding();
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  const unread = useApp((state) => (state.session.kind === 'locked' ? 0 : selectUnreadInbox(state)));
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    if (own) document.title = titleWithUnread(title ?? t('app.name'), unread, language);
  }, [own, language, t, title, unread]);
  useEffect(() => {
    if (own) showUnreadOnIcon(unread);
  }, [own, unread]);
}

/**
 * Leaving the page ends the session without QUIT, so marked messages stay: say so before leaving
 * (a single store; with the accounts store, TabStatus covers every account).
 */
function useLeaveWarning(own: boolean) {
  const pendingDeletes = useApp((state) => selectCounts(state).deleted > 0);
  useEffect(() => {
    if (!own || !pendingDeletes) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [own, pendingDeletes]);
}

/** What counts as the user being there, for the idle limit: keys, clicks, touches, the wheel. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

function useActivity() {
  const actions = useActions();
  useEffect(() => {
    const onActivity = () => actions.noteActivity();
    const options = { capture: true, passive: true };
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onActivity, options);
    return () => {
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, options);
    };
  }, [actions]);
}

export function App() {
  // The tab's title, icon and leave warning are the accounts store's when there is one.
  const own = useAccountsContext() === null;
  useDocumentSettings(own);
  useLeaveWarning(own);
  useActivity();
  const locked = useApp((state) => state.session.kind === 'locked');
  const signedIn = useApp((state) => selectAccount(state) !== null && state.session.kind !== 'locked');
  const logOpen = useApp((state) => state.logOpen);
  // Chosen once per sign-in, so the mailbox is never remounted as a different component type.
  const Mailbox = useMemo(() => (signedIn ? (loadedMailbox() ?? LazyMailbox) : LazyMailbox), [signedIn]);
  return (
    <div className="app" data-log={logOpen}>
      {locked ? (
        <Locked />
      ) : signedIn ? (
        <Suspense fallback={<div className="placeholder" role="status" aria-busy="true" />}>
          <Mailbox />
        </Suspense>
      ) : (
        <SignIn />
      )}
      {logOpen && (
        <Suspense fallback={null}>
          <ProtocolLog />
        </Suspense>
      )}
    </div>
  );
}
