/**
 * Whether the whole path browser → bridge → POP3 server is encrypted. The bridge only reports its own
 * leg to the server; a page that reaches the bridge over ws:// to anything but this machine sends the
 * password readable on that first leg even when the second is TLS.
 */
export type LinkLeg = 'browser-bridge' | 'bridge-server';

export type LinkSecurity =
  | { readonly kind: 'encrypted' }
  | { readonly kind: 'unencrypted'; readonly legs: readonly [LinkLeg, ...LinkLeg[]] };

/** The browser's URL to the bridge (or the page's): only its scheme and host matter. */
export interface BridgeLink {
  readonly protocol: string;
  readonly hostname: string;
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1') return true;
  return (
    /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(host) &&
    host.split('.').every((part) => Number(part) <= 255)
  );
}

/** The browser→bridge leg is safe when it is TLS (wss:/https:) or stays on this machine. */
export function browserLegEncrypted(link: BridgeLink): boolean {
  return link.protocol === 'wss:' || link.protocol === 'https:' || isLoopbackHost(link.hostname);
}

/** `browser` null: no browser leg (the engine talks to the bridge from inside this process). */
export function linkSecurity(browser: BridgeLink | null, serverLegEncrypted: boolean): LinkSecurity {
  const legs: LinkLeg[] = [];
  if (browser && !browserLegEncrypted(browser)) legs.push('browser-bridge');
  if (!serverLegEncrypted) legs.push('bridge-server');
  const [first, ...rest] = legs;
  return first === undefined ? { kind: 'encrypted' } : { kind: 'unencrypted', legs: [first, ...rest] };
}

/** The page's own URL: the bridge is reached beside it, ws: from http:, wss: from https:. */
export function pageLink(): BridgeLink | null {
  return typeof location === 'undefined'
    ? null
    : { protocol: location.protocol, hostname: location.hostname };
}
