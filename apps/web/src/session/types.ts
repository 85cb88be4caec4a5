import type {
  AuthMethod,
  Capabilities,
  ConsoleOptions,
  ConsoleOutcome,
  FetchEachOptions,
  FetchEachResult,
  LoginMethod,
  MessageEntry,
  QuitOptions,
  Security,
  Stat,
  TlsInfo,
  TransferOptions,
} from '@webpop/pop3';
import type { OAuthProvider } from '../oauth/types.js';

/** The part of the engine's Pop3Client the app uses (tests pass a fake with the same shape). */
export interface MailClient {
  stat(): Promise<Stat>;
  messages(): Promise<MessageEntry[]>;
  fetchEach(options: FetchEachOptions): Promise<FetchEachResult>;
  retr(number: number, options?: TransferOptions): Promise<Uint8Array>;
  dele(number: number): Promise<void>;
  rset(): Promise<void>;
  noop(): Promise<void>;
  quit(options?: QuitOptions): Promise<void>;
  /** A line typed in the command line under the protocol log (judged, sent, explained by the engine). */
  consoleCommand(input: string, options?: ConsoleOptions): Promise<ConsoleOutcome>;
  close(): void;
  readonly notes: readonly string[];
  readonly capabilities: Capabilities | null | undefined;
  readonly loginMethod: LoginMethod | undefined;
  readonly tls: TlsInfo | null;
  /** `ended` once the connection is gone. */
  readonly state: 'authorization' | 'transaction' | 'ended';
  /** Why the session ended, once it has. */
  readonly closeReason: Error | undefined;
}

/** A server from the bridge's configuration (GET /api/servers). */
export interface ServerInfo {
  readonly id: string;
  readonly label: string;
  readonly security: Security;
  /** The bridge has a submission server beside this one (absent: it cannot send). */
  readonly submission?: boolean;
  /** Sign-in with OAuth 2.0 ("Sign in with <label>"), when the bridge configures it for this server. */
  readonly oauth?: OAuthProvider;
  /** The domain of its addresses: a bare username `demo` writes as `demo@<mailDomain>` by default. */
  readonly mailDomain?: string;
}

export interface ServerList {
  readonly servers: ServerInfo[];
  readonly allowAnyTarget: boolean;
  /** How sessions end on this bridge (its `session` configuration); the defaults where it says nothing. */
  readonly sessionPolicy?: SessionPolicy;
}

/** The operator's rules for sessions (bridge configuration `session`). */
export interface SessionPolicy {
  /** Minutes without user activity after which the app forgets the password and locks; 0: never. */
  readonly idleMinutes: number;
  /** "This is a shared computer" ticked on the sign-in page at first. */
  readonly sharedComputerDefault: boolean;
  /**
   * The sign-in page may offer "Remember the password in this browser" (the browser's password store,
   * session/password-credentials.ts); absent: it does not.
   */
  readonly rememberPasswords?: boolean;
}

export const defaultSessionPolicy: SessionPolicy = { idleMinutes: 30, sharedComputerDefault: false };

export type ServerChoice =
  | { readonly kind: 'configured'; readonly id: string; readonly label: string }
  | { readonly kind: 'custom'; readonly host: string; readonly port: number; readonly security: Security };

export interface SignInParams {
  readonly server: ServerChoice;
  readonly username: string;
  /** Held in memory only (the store's closure), never in state, storage or the URL. */
  readonly password: string;
  readonly method: AuthMethod;
  /** Let USER/PASS, PLAIN and LOGIN send the password over a link without TLS. */
  readonly allowPlaintext: boolean;
  /** With `auto`: the method that worked last time for this account, tried first. */
  readonly preferredMethod?: LoginMethod | undefined;
  /**
   * "This is a shared computer": nothing of this account is kept on the device (no mail store, no
   * remembered account or login method, no preferences written).
   */
  readonly sharedComputer?: boolean;
  /**
   * "Remember the password in this browser" was ticked: after the login works, the password goes to
   * the browser's own password store (never the app's storage); ignored on a shared computer or where
   * the bridge does not allow it.
   */
  readonly rememberPassword?: boolean;
  /** Signed in with OAuth 2.0: the tokens (in memory, beside the password's place) instead of a password. */
  readonly oauth?: OAuthSignIn;
}

/** An account session's OAuth sign-in: the provider's label and the session's token holder. */
export interface OAuthSignIn {
  readonly label: string;
  readonly tokens: AccessTokenSource;
}

/** Where a login gets its access token (a TokenHolder: refreshed when due); forget() drops it. */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  forget(): void;
}

/** What connect gets: the sign-in, and for OAuth the access token to present (fresh for this login). */
export interface ConnectParams extends SignInParams {
  readonly accessToken?: string;
}

export interface UiLogEntry {
  readonly direction: 'client' | 'server' | 'info';
  readonly text: string;
}

export interface ConnectHooks {
  /** `connecting`: reaching the mail server through the bridge; `authenticating`: greeting to login. */
  onStage(stage: 'connecting' | 'authenticating'): void;
  /** The POP3 dialogue, secrets already redacted by the engine, plus the app's own notes. */
  onLog(entry: UiLogEntry): void;
  /** The link ended (after the session was opened: a drop, unless the app ended it). */
  onClosed(error: Error | undefined): void;
  /**
   * The login has started: commands issued on `client` here wait for it and, where the server
   * pipelines, leave with its last line (the mailbox's first listing, a round trip sooner).
   */
  onLoggingIn?(client: MailClient): void;
}

/** Opens a POP3 session in the transaction state (logged in). */
export type Connect = (
  params: ConnectParams,
  hooks: ConnectHooks,
  signal: AbortSignal,
) => Promise<MailClient>;

export function accountKey(params: Pick<SignInParams, 'server' | 'username'>): string {
  const { server } = params;
  const where = server.kind === 'configured' ? `server:${server.id}` : `${server.host}:${server.port}`;
  return `${where}|${params.username}`;
}

export function serverLabel(server: ServerChoice): string {
  return server.kind === 'configured' ? server.label : `${server.host}:${server.port}`;
}
