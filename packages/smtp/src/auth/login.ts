import { SmtpOAuthError, SmtpSecurityError, SmtpServerError, SmtpUnsupportedError } from '../errors.js';
import type { Capabilities } from '../capabilities.js';
import { mechanisms, type AuthChannel } from './mechanisms.js';
import {
  methodStrength,
  saslName,
  sendsSecretInClear,
  usesAccessToken,
  type Credentials,
  type SaslMethod,
} from './methods.js';

/** Replies that say the credentials themselves were refused: another mechanism cannot help. */
const credentialsRefused = new Set([535, 454]);

/**
 * The mechanisms to try, in order, for these credentials on this link: the one asked for, or for `auto`
 * every offered mechanism the secret suits, strongest first. Without TLS, a mechanism that puts the
 * secret on the wire is left out unless `allowPlaintext` says otherwise; if nothing is left, that is a
 * security refusal, not a silent downgrade.
 */
export function chooseMechanisms(
  credentials: Credentials,
  capabilities: Capabilities,
  encrypted: boolean,
): SaslMethod[] {
  const offered = new Set(capabilities.authMechanisms);
  if (offered.size === 0) throw new SmtpUnsupportedError('the server offers no AUTH (RFC 4954)');
  const wanted = credentials.method ?? 'auto';
  const suits = (method: SaslMethod) =>
    usesAccessToken(method) ? credentials.accessToken !== undefined : credentials.password !== undefined;
  const candidates =
    wanted === 'auto'
      ? (Object.keys(methodStrength) as SaslMethod[])
          .filter((method) => offered.has(saslName[method]) && suits(method))
          .sort((a, b) => methodStrength[b] - methodStrength[a])
      : [wanted];
  if (wanted !== 'auto' && !offered.has(saslName[wanted])) {
    throw new SmtpUnsupportedError(
      `the server does not offer AUTH ${saslName[wanted]} (it offers ${[...offered].join(', ')})`,
    );
  }
  if (candidates.length === 0) {
    throw new SmtpUnsupportedError(
      `no offered AUTH mechanism suits these credentials (${[...offered].join(', ')})`,
    );
  }
  const clearAllowed = (encrypted && !credentials.unencryptedHop) || credentials.allowPlaintext === true;
  const usable = candidates.filter((method) => clearAllowed || !sendsSecretInClear[method]);
  if (usable.length === 0) {
    throw new SmtpSecurityError(
      'plaintext',
      `AUTH ${saslName[candidates[0]!]} would send the secret readable over a link without TLS: refused (allowPlaintext allows it)`,
    );
  }
  return usable;
}

/**
 * Authenticates with the first mechanism that works. A refusal of the credentials (535) ends it at
 * once; a refusal of the mechanism (504, 534 …) moves on to the next. Returns the mechanism used.
 */
export async function authenticate(
  channel: AuthChannel,
  credentials: Credentials,
  methods: readonly SaslMethod[],
): Promise<SaslMethod> {
  validate(credentials);
  let refusal: SmtpServerError | undefined;
  for (const method of methods) {
    const secret = usesAccessToken(method) ? credentials.accessToken : credentials.password;
    if (secret === undefined)
      throw new SmtpSecurityError('missing-secret', `AUTH ${saslName[method]} needs a secret`);
    const { reply, oauth } = await mechanisms[method](
      channel,
      { username: credentials.username, secret },
      credentials.initialResponse ?? true,
    );
    if (reply.code === 235) return method;
    const refused = new SmtpServerError(
      `AUTH ${saslName[method]}`,
      reply.code,
      reply.enhancedStatus,
      reply.lines.join('\n'),
      'auth',
    );
    refusal = oauth ? new SmtpOAuthError(refused, oauth) : refused;
    if (credentialsRefused.has(reply.code) || reply.code === 421) throw refusal;
  }
  throw refusal!;
}

function validate(credentials: Credentials): void {
  for (const value of [credentials.username, credentials.password, credentials.accessToken]) {
    if (value !== undefined && /[\0\r\n]/.test(value)) {
      throw new SmtpSecurityError('credentials', 'the credentials hold a line break or NUL: refused');
    }
  }
}
