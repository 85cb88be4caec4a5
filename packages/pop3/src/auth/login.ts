import type { Capabilities } from '../capabilities.js';
import {
  isLoginRefusal,
  Pop3Error,
  Pop3LoginError,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3UnsupportedError,
} from '../errors.js';
import { mechanisms, type AuthChannel } from './mechanisms.js';
import {
  methodStrength,
  saslName,
  sendsSecretInClear,
  usesAccessToken,
  type Credentials,
  type LoginMethod,
} from './methods.js';

export interface LoginContext {
  readonly channel: AuthChannel;
  /** null when the server has no CAPA. */
  readonly capabilities: Capabilities | null;
  /** The link is encrypted (TLS or STLS). */
  readonly secure: boolean;
}

/**
 * Logs in with the chosen method, or for `auto` with each method the server offers and the connection
 * allows, strongest first, falling back method by method as Thunderbird does; returns the method used.
 * When every method is refused, rejects with Pop3LoginError naming them (one method: its own error).
 */
export async function login(context: LoginContext, credentials: Credentials): Promise<LoginMethod> {
  const candidates = chooseMethods(context, credentials);
  const secret = credentials.accessToken ?? credentials.password;
  if (secret === undefined)
    throw new Pop3SecurityError('missing-secret', 'no password (or access token) was given');
  assertSafeArgument(credentials.username, 'user name');
  assertSafeArgument(secret, 'password');

  const attempts: Array<{ method: LoginMethod; error: Pop3ServerError }> = [];
  for (const [index, method] of candidates.entries()) {
    if (sameSecretAlreadyRefused(method, attempts)) continue;
    // Only the last method's last line carries the commands held for after the login (see
    // Pop3Connection.holdUntilLoggedIn). Behind a method another may follow, their -ERRs count as bad
    // commands: Dovecot disconnects after three, and the fallback (PLAIN after a CRAM-MD5 the server
    // cannot check) never gets its turn — seen in the e2e suite as "closed while waiting for STAT".
    const channel = index === candidates.length - 1 ? context.channel : withoutLastStep(context.channel);
    try {
      await mechanisms[method](channel, { username: credentials.username, secret });
      return method;
    } catch (error) {
      if (!mayFallBack(error)) throw error;
      attempts.push({ method, error });
    }
  }
  if (attempts.length === 1) throw attempts[0]!.error;
  throw new Pop3LoginError(attempts);
}

/**
 * The channel with no line marked as the login's last, and none sent ahead: nothing held leaves with
 * it, and a refused method leaves no more -ERRs behind it than its own lines.
 */
function withoutLastStep(channel: AuthChannel): AuthChannel {
  return {
    ...channel,
    mayPipeline: false,
    exchange: (line, name, logText) => channel.exchange(line, name, logText, false),
  };
}

/**
 * Whether another method may still succeed. Not after a refusal code that is about the login itself
 * (`[IN-USE]`, `[LOGIN-DELAY]`, `[SYS/*]`); `[AUTH]` is about the credentials as this method presented
 * them: a server says it to APOP when the user has no APOP secret, and to a CRAM-MD5 it only pretends
 * to implement, while PLAIN over TLS works (Thunderbird falls back then).
 */
function mayFallBack(error: unknown): error is Pop3ServerError {
  if (!(error instanceof Pop3ServerError)) return false;
  const code = error.code?.toUpperCase();
  return code === 'AUTH' || !isLoginRefusal(code);
}

/**
 * PLAIN, LOGIN and USER/PASS hand the server the same password to check the same way: once one of
 * them got `[AUTH]` (the credentials are wrong), the others would only repeat the refusal (and its
 * delay: 2 s each on Dovecot). Without a code the refusal may be the mechanism's, so the next is tried.
 */
function sameSecretAlreadyRefused(
  method: LoginMethod,
  attempts: ReadonlyArray<{ method: LoginMethod; error: Pop3ServerError }>,
): boolean {
  return (
    sendsSecretInClear[method] &&
    attempts.some(
      (attempt) => sendsSecretInClear[attempt.method] && attempt.error.code?.toUpperCase() === 'AUTH',
    )
  );
}

/** The methods to try, in order. Throws when none is both offered and safe. */
export function chooseMethods(context: LoginContext, credentials: Credentials): LoginMethod[] {
  const requested = credentials.method ?? 'auto';
  const clearAllowed =
    (context.secure && credentials.unencryptedHop !== true) || credentials.allowPlaintext === true;
  if (requested !== 'auto') {
    if (sendsSecretInClear[requested] && !clearAllowed) throw plaintextRefusal(requested);
    if (requested === 'apop' && !context.channel.apopTimestamp) {
      throw new Pop3UnsupportedError('the server does not offer APOP (its greeting has no timestamp)');
    }
    return [requested];
  }

  const offered = offeredMethods(context).filter((method) =>
    credentials.accessToken !== undefined ? usesAccessToken(method) : !usesAccessToken(method),
  );
  const safe = offered.filter((method) => clearAllowed || !sendsSecretInClear[method]);
  if (safe.length === 0) {
    if (offered.length > 0) throw plaintextRefusal(offered[0]!);
    throw new Pop3UnsupportedError('the server offers no login method this client can use');
  }
  const preferred = credentials.preferredMethod;
  return safe.sort(
    (a, b) => Number(b === preferred) - Number(a === preferred) || methodStrength[b] - methodStrength[a],
  );
}

function offeredMethods({ capabilities, channel }: LoginContext): LoginMethod[] {
  const methods: LoginMethod[] = [];
  const sasl = capabilities?.saslMechanisms ?? [];
  for (const method of ['oauthbearer', 'xoauth2', 'cram-md5', 'plain', 'login'] as const) {
    if (sasl.includes(saslName[method]!)) methods.push(method);
  }
  if (channel.apopTimestamp) methods.push('apop');
  // USER/PASS is RFC 1939's baseline: servers commonly leave USER out of CAPA (RFC 2449 defines it) and
  // take it all the same (CPython's and Thunderbird's test servers do), so it is always the last resort.
  methods.push('user');
  return methods;
}

function plaintextRefusal(method: LoginMethod): Pop3Error {
  return new Pop3SecurityError(
    'plaintext',
    `refusing to send the password in clear (${method.toUpperCase()}) over a connection without TLS; ` +
      'use TLS or STLS, or allow plaintext explicitly',
  );
}

function assertSafeArgument(value: string, what: string): void {
  if (/[\r\n\0]/.test(value))
    throw new Pop3SecurityError('credentials', `the ${what} contains a line break or NUL`);
}
