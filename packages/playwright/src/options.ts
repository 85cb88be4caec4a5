import type { AuthMethod, LogEntry, Security } from '@webpop/pop3';
import type { SmtpOptions } from './send.js';

/** What `waitForMessage` and the fixture's teardown delete: see README, "Cleanup". */
export type CleanupMode = 'consumed' | 'none' | 'all';

/**
 * Where the mailbox is and how to log in. In `playwright.config.ts` this is `use: { mailbox: … }`;
 * anything left out is taken from the `WEBPOP_POP3_*` environment variables, then from the defaults.
 */
export interface MailboxOptions {
  host?: string;
  /** Default: 995 for `tls`, 110 otherwise. */
  port?: number;
  /** `tls` (default): TLS from the first byte; `starttls`: plain, then STLS; `none`: no encryption. */
  security?: Security;
  username?: string;
  /**
   * The e-mail address that delivers into this mailbox, for `mailbox.address()`'s plus-addresses;
   * default `username` when it is an address.
   */
  address?: string;
  password?: string;
  /** An OAuth 2.0 bearer token, for XOAUTH2 (instead of a password). */
  accessToken?: string;
  /** The login method; `auto` (default) picks the strongest one the server offers. */
  auth?: AuthMethod;
  /** Extra trusted CA certificates (PEM), e.g. a test server's own CA. Verification is always on. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** A PEM file of extra trusted CA certificates (read once, when the mailbox is first used). */
  caFile?: string;
  /** The name the server certificate must carry; default `host`. */
  servername?: string;
  /** Allow a login that shows the password on an unencrypted link (only ever for local test servers). */
  allowPlaintext?: boolean;
  /** What the fixture deletes after each test; default `consumed`. */
  cleanup?: CleanupMode;
  /** Default `timeout` of `waitForMessage`, in ms; default 20 000. */
  timeout?: number;
  /** Default `pollInterval` of `waitForMessage`, in ms; default 1 000. */
  pollInterval?: number;
  /** A POP3 reply that makes no progress for this long fails; default 15 000 ms. */
  commandTimeout?: number;
  /** Receives the POP3 dialogue line by line, secrets redacted. */
  onLog?: (entry: LogEntry) => void;
  /** Where `mailbox.send` submits mail; see SmtpOptions for the defaults (the mailbox's host and login). */
  smtp?: SmtpOptions;
}

/** MailboxOptions with every default applied and the CA file read. */
export interface ResolvedMailboxOptions {
  readonly host: string;
  readonly port: number;
  readonly security: Security;
  readonly username: string;
  readonly address: string | undefined;
  readonly password: string | undefined;
  readonly accessToken: string | undefined;
  readonly auth: AuthMethod;
  readonly ca: Array<string | Buffer> | undefined;
  readonly servername: string | undefined;
  readonly allowPlaintext: boolean;
  readonly cleanup: CleanupMode;
  readonly timeout: number;
  readonly pollInterval: number;
  readonly commandTimeout: number;
  readonly onLog: ((entry: LogEntry) => void) | undefined;
  readonly smtp: SmtpOptions;
}

export const mailboxDefaults = {
  security: 'tls',
  auth: 'auto',
  cleanup: 'consumed',
  timeout: 20_000,
  pollInterval: 1_000,
  commandTimeout: 15_000,
} as const satisfies Partial<MailboxOptions>;

/** `alice@pop.example.org:995`, for messages. */
export function describeMailbox(options: Pick<ResolvedMailboxOptions, 'username' | 'host' | 'port'>): string {
  return `${options.username}@${options.host}:${options.port}`;
}
