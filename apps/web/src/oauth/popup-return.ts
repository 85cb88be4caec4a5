import { loadLanguage, translate, type Language, type MessageKey } from '../i18n/index.js';
import { HANDOVER_CHANNEL, handOver } from './handover.js';

/** How long after `window.close()` the page still being there means the browser would not close it. */
const CLOSE_CHECK_MS = 300;

/**
 * The sign-in window's page at its return: it hands the code (or the provider's error) to the tab
 * that opened it and closes itself. Chromium 156 lets it, COOP or not (it was opened by script; checked
 * by e2e oauth.spec); a browser that will not gets "You can close this window". No app starts here:
 * the code is of no use without the verifier, which only the opener has.
 */
export async function runPopupReturn(
  parameters: URLSearchParams,
  root: HTMLElement,
  language: Language,
): Promise<void> {
  await loadLanguage(language).catch(() => {});
  const t = (key: MessageKey) => translate(language, key);
  const show = (key: MessageKey, detail?: MessageKey) => {
    const heading = document.createElement('h1');
    heading.textContent = t(key);
    const note = document.createElement('p');
    note.setAttribute('role', 'status');
    note.textContent = t(detail ?? 'oauthPopup.closeWindow');
    root.className = 'popup-return';
    root.replaceChildren(heading, note);
    document.title = t(key);
  };
  show('oauthPopup.handing', 'oauthPopup.handingDetail');
  const channel = new BroadcastChannel(HANDOVER_CHANNEL);
  const claimed = await handOver(
    {
      origin: location.origin,
      channel,
      opener: window.opener as Window | null,
      window,
    },
    parameters,
  );
  // A channel delivers what was posted before close(); nothing more comes for this page.
  channel.close();
  if (!claimed) return show('oauthPopup.unclaimed');
  window.close();
  setTimeout(() => show(parameters.has('error') ? 'oauthPopup.refused' : 'oauthPopup.done'), CLOSE_CHECK_MS);
}
