/** The sign-in window, opened empty in the click and sent to the provider once the request is ready. */
export interface SignInWindow {
  navigate(url: URL): void;
  /** Closes it where the page still can (before COOP has severed it; afterwards it closes itself). */
  close(): void;
}

/** Opens the sign-in window, or null when the browser blocked it. */
export type OpenSignInWindow = () => SignInWindow | null;

/** The popup's size: the provider's login and consent pages (Google's and Microsoft's fit 500 × 650). */
const FEATURES = 'popup,width=500,height=650';

/**
 * The browser's: `window.open` inside the click (the request needs a discovery fetch and a hash, and
 * a window opened after an await may be blocked for want of the click's activation), on about:blank,
 * which keeps it in this page's browsing context group until `navigate` sends it to the provider.
 */
export function browserSignInWindow(host: Pick<Window, 'open'>): OpenSignInWindow {
  return () => {
    const opened = host.open('about:blank', '_blank', FEATURES);
    if (!opened) return null;
    return {
      navigate: (url) => opened.location.assign(url.href),
      close: () => {
        if (!opened.closed) opened.close();
      },
    };
  };
}
