import { oauthLimits } from './limits.js';

/**
 * The popup's return handed to the tab that opened it. The popup comes back to the app's own address
 * (the one redirect URI) with the code (or the provider's error) and the state; the tab that sent it
 * holds the verifier and state in memory and is the only one that can use the code. Two ways across:
 *
 * - a BroadcastChannel: the app sends `Cross-Origin-Opener-Policy: same-origin`, so once the popup
 *   reaches the provider Chromium severs it from its opener (its `window.opener` is null when it comes
 *   back, and the opener's handle reads `closed: true` from then on). A BroadcastChannel reaches every
 *   document of the app's own origin (the browser admits no other), whatever the browsing context group;
 * - `postMessage` to `window.opener`, where there still is one (no COOP in front of the app), with the
 *   app's own origin as the target and checked on arrival.
 *
 * A message is taken only by the waiter whose state it carries (the state is 32 random bytes, in this
 * tab's memory only); anything else (another origin, another shape, a state nobody waits for, a second
 * copy of one already taken) is ignored. The taker answers "claimed", so the popup can close itself.
 */

export const HANDOVER_CHANNEL = 'webpop.oauth';

export interface ReturnMessage {
  readonly type: 'webpop.oauth.return';
  readonly state: string;
  /** The return's query (code or error, state …) as the provider sent it. */
  readonly parameters: string;
}

export interface ClaimMessage {
  readonly type: 'webpop.oauth.claimed';
  readonly state: string;
}

/** What of a BroadcastChannel the handover uses (the page's own; tests a real one too). */
export interface HandoverChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** The window's `message` events (postMessage from the popup, when it still has an opener). */
export interface MessageTarget {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A well-formed return: its own state repeated in its parameters, with a code or an error. */
export function parseReturnMessage(
  data: unknown,
): { state: string; parameters: URLSearchParams } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.type !== 'webpop.oauth.return' || !nonEmpty(m.state) || typeof m.parameters !== 'string')
    return undefined;
  if (m.parameters.length > oauthLimits.returnMaxChars) return undefined;
  const parameters = new URLSearchParams(m.parameters);
  if (parameters.get('state') !== m.state || !(parameters.has('code') || parameters.has('error')))
    return undefined;
  return { state: m.state, parameters };
}

function isClaim(data: unknown, state: string): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return m.type === 'webpop.oauth.claimed' && m.state === state;
}

export class HandoverAborted extends Error {
  override name = 'AbortError';
}

export interface HubPorts {
  /** The app's own origin: a postMessage from any other is ignored. */
  readonly origin: string;
  /** Opens the page's channel (at the first sign-in that waits; open from then on). */
  readonly channel: () => HandoverChannel;
  readonly window: MessageTarget;
}

/**
 * The opener's side: one per page, shared by every account's sign-in. `expect(state)` waits for the
 * return that carries `state`; two sign-ins at once (two accounts, each with its popup) each get theirs.
 */
export class HandoverHub {
  readonly #waiting = new Map<string, (parameters: URLSearchParams) => void>();
  #channel: HandoverChannel | undefined;

  constructor(private readonly ports: HubPorts) {}

  /** How many sign-ins wait (for tests and the channel's life). */
  get waiting(): number {
    return this.#waiting.size;
  }

  expect(state: string, signal: AbortSignal): Promise<URLSearchParams> {
    if (signal.aborted) return Promise.reject(new HandoverAborted('the sign-in was cancelled'));
    if (this.#waiting.has(state)) return Promise.reject(new Error('this state is already awaited'));
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.#drop(state);
        reject(new HandoverAborted('the sign-in was cancelled'));
      };
      signal.addEventListener('abort', abort, { once: true });
      this.#waiting.set(state, (parameters) => {
        signal.removeEventListener('abort', abort);
        resolve(parameters);
      });
      this.#listen();
    });
  }

  readonly #onChannel = (event: MessageEvent) => {
    // A BroadcastChannel carries only this origin's messages (the browser's guarantee).
    this.#take(event.data, undefined);
  };

  readonly #onWindow = (event: MessageEvent) => {
    if (event.origin !== this.ports.origin) return;
    this.#take(event.data, event.source as { postMessage?: unknown } | null);
  };

  #take(data: unknown, source: { postMessage?: unknown } | null | undefined): void {
    const message = parseReturnMessage(data);
    const resolve = message && this.#waiting.get(message.state);
    if (!message || !resolve) return;
    this.#drop(message.state);
    const claim: ClaimMessage = { type: 'webpop.oauth.claimed', state: message.state };
    // Told on both ways: the popup listens on whichever it has.
    this.#channel?.postMessage(claim);
    if (source && typeof source.postMessage === 'function')
      (source as Window).postMessage(claim, this.ports.origin);
    resolve(message.parameters);
  }

  #listen(): void {
    if (this.#channel) return;
    this.#channel = this.ports.channel();
    this.#channel.addEventListener('message', this.#onChannel);
    this.ports.window.addEventListener('message', this.#onWindow);
  }

  #drop(state: string): void {
    // The channel stays open once opened: a claim posted just before close() is lost (Node 20 drops
    // it), and one idle channel costs nothing.
    this.#waiting.delete(state);
  }
}

export interface PopupPorts {
  readonly origin: string;
  readonly channel: HandoverChannel;
  /** `window.opener` (null once COOP has severed it: the usual case). */
  readonly opener: { postMessage(message: unknown, targetOrigin: string): void } | null;
  readonly window: MessageTarget;
  readonly timeoutMs?: number;
}

/**
 * The popup's side: sends the return both ways and waits for the opener's claim. True when a tab
 * claimed it (the popup may close), false after `timeoutMs` (no tab waits for this sign-in any more:
 * cancelled, or its tab closed).
 */
export function handOver(ports: PopupPorts, parameters: URLSearchParams): Promise<boolean> {
  const state = parameters.get('state') ?? '';
  const message: ReturnMessage = { type: 'webpop.oauth.return', state, parameters: parameters.toString() };
  return new Promise((resolve) => {
    const done = (claimed: boolean) => {
      clearTimeout(timer);
      ports.channel.removeEventListener('message', onChannel);
      ports.window.removeEventListener('message', onWindow);
      resolve(claimed);
    };
    const onChannel = (event: MessageEvent) => {
      if (isClaim(event.data, state)) done(true);
    };
    const onWindow = (event: MessageEvent) => {
      if (event.origin === ports.origin && isClaim(event.data, state)) done(true);
    };
    const timer = setTimeout(() => done(false), ports.timeoutMs ?? oauthLimits.handoverTimeoutMs);
    ports.channel.addEventListener('message', onChannel);
    ports.window.addEventListener('message', onWindow);
    ports.channel.postMessage(message);
    ports.opener?.postMessage(message, ports.origin);
  });
}
