/** How the engine authenticates (RFC 4954). `auto` picks the strongest mechanism the server offers. */
export type AuthMethod = 'auto' | 'plain' | 'login' | 'cram-md5' | 'xoauth2' | 'oauthbearer';
export type SaslMethod = Exclude<AuthMethod, 'auto'>;

export interface Credentials {
  readonly username: string;
  /** The password; for `oauthbearer` and `xoauth2` use `accessToken` instead. */
  readonly password?: string;
  /** An OAuth 2.0 bearer token, for OAUTHBEARER (RFC 7628) or XOAUTH2. */
  readonly accessToken?: string;
  readonly method?: AuthMethod;
  /**
   * Put the first response on the AUTH line (RFC 4954 section 4's initial response), saving a round
   * trip. Default true; a server that answers it with an empty 334 gets it again on the next line.
   */
  readonly initialResponse?: boolean;
  /**
   * Allow a mechanism that sends the password (or token) readable on the wire over a link without TLS.
   * Off by default: without TLS only CRAM-MD5 is used.
   */
  readonly allowPlaintext?: boolean;
  /** Another hop before this transport is not encrypted (a browser reaching the bridge over ws://). */
  readonly unencryptedHop?: boolean;
}

/** Higher is stronger: `auto` tries the offered mechanisms in this order. */
export const methodStrength: Readonly<Record<SaslMethod, number>> = {
  // RFC 7628's standard mechanism before Google's older XOAUTH2 (Dovecot offers both), as in POP3.
  oauthbearer: 5,
  xoauth2: 4,
  'cram-md5': 3,
  plain: 2,
  login: 1,
};

/** Mechanisms that put the secret itself on the wire. */
export const sendsSecretInClear: Readonly<Record<SaslMethod, boolean>> = {
  oauthbearer: true,
  xoauth2: true,
  'cram-md5': false,
  plain: true,
  login: true,
};

export const saslName: Readonly<Record<SaslMethod, string>> = {
  plain: 'PLAIN',
  login: 'LOGIN',
  'cram-md5': 'CRAM-MD5',
  xoauth2: 'XOAUTH2',
  oauthbearer: 'OAUTHBEARER',
};

/** Mechanisms that present an OAuth 2.0 bearer token instead of a password. */
export function usesAccessToken(method: SaslMethod): boolean {
  return method === 'xoauth2' || method === 'oauthbearer';
}
