import type { Capabilities } from '../capabilities.js';
import {
  isLoginRefusal,
  Pop3Error,
  Pop3SecurityError,
  Pop3ServerError,
  Pop3UnsupportedError,
} from '../errors.js';
import { mechanisms, type AuthChannel } from './mechanisms.js';
import {
  methodStrength,
  saslName,
  sendsSecretInClear,
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

/** Logs in with the chosen method, or with the strongest offered one for `auto`; returns the method used. */
export async function login(context: LoginContext, credentials: Credentials): Promise<LoginMethod> {
  const candidates = chooseMethods(context, credentials);
  const secret = credentials.accessToken ?? credentials.password;
  if (secret === undefined)
    throw new Pop3SecurityError('missing-secret', 'no password (or access token) was given');
  assertSafeArgument(credentials.username, 'user name');
  assertSafeArgument(secret, 'password');

  let lastError: unknown;
  let failedStrength = Infinity;
  for (const method of candidates) {
    if (lastError !== undefined && methodStrength[method] < failedStrength) break;
    try {
      await mechanisms[method](context.channel, { username: credentials.username, secret });
      return method;
    } catch (error) {
      lastError = error;
      failedStrength = methodStrength[method];
      if (!mayFallBack(error)) throw error;
    }
  }
  throw lastError;
}

function mayFallBack(error: unknown): boolean {
  if (!(error instanceof Pop3ServerError)) return false;
  return !isLoginRefusal(error.code?.toUpperCase());
}

/** The methods to try, strongest first. Throws when none is both offered and safe. */
export function chooseMethods(context: LoginContext, credentials: Credentials): LoginMethod[] {
  const requested = credentials.method ?? 'auto';
  const clearAllowed = context.secure || credentials.allowPlaintext === true;
  if (requested !== 'auto') {
    if (sendsSecretInClear[requested] && !clearAllowed) throw plaintextRefusal(requested);
    if (requested === 'apop' && !context.channel.apopTimestamp) {
      throw new Pop3UnsupportedError('the server does not offer APOP (its greeting has no timestamp)');
    }
    return [requested];
  }

  const offered = offeredMethods(context).filter((method) =>
    credentials.accessToken !== undefined ? method === 'xoauth2' : method !== 'xoauth2',
  );
  const safe = offered.filter((method) => clearAllowed || !sendsSecretInClear[method]);
  if (safe.length === 0) {
    if (offered.length > 0) throw plaintextRefusal(offered[0]!);
    throw new Pop3UnsupportedError('the server offers no login method this client can use');
  }
  return safe.sort((a, b) => methodStrength[b] - methodStrength[a]);
}

function offeredMethods({ capabilities, channel }: LoginContext): LoginMethod[] {
  const methods: LoginMethod[] = [];
  const sasl = capabilities?.saslMechanisms ?? [];
  for (const method of ['xoauth2', 'cram-md5', 'plain', 'login'] as const) {
    if (sasl.includes(saslName[method]!)) methods.push(method);
  }
  if (channel.apopTimestamp) methods.push('apop');
  // RFC 1939 servers without CAPA still take USER/PASS; with CAPA, USER must be listed.
  if (!capabilities || capabilities.has('USER')) methods.push('user');
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
