/** How the engine logs in. `auto` picks the strongest method the server offers. */
/** Every value `method` takes, for option parsers (the CLI's --auth, the Playwright helpers' auth). */
export const authMethods = [
  'auto',
  'user',
  'apop',
  'plain',
  'login',
  'cram-md5',
  'xoauth2',
  'oauthbearer',
] as const;
export type AuthMethod = (typeof authMethods)[number];
export type LoginMethod = Exclude<AuthMethod, 'auto'>;

export interface Credentials {
  readonly username: string;
  /** The password; for `oauthbearer` and `xoauth2` use `accessToken` instead. */
  readonly password?: string;
  /** An OAuth 2.0 bearer token, for OAUTHBEARER (RFC 7628) or XOAUTH2. */
  readonly accessToken?: string;
  readonly method?: AuthMethod;
  /**
   * Allow a method that sends the password (or token) readable on the wire over a link without TLS.
   * Off by default: without TLS only APOP and CRAM-MD5 are used.
   */
  readonly allowPlaintext?: boolean;
  /**
   * Another hop before this transport is not encrypted (e.g. a browser reaching the bridge over ws://):
   * the link then counts as without TLS for `allowPlaintext`, whatever this transport's TLS says.
   */
  readonly unencryptedHop?: boolean;
  /**
   * For `auto`: the method that worked last time for this account (`client.loginMethod`, saved by the
   * caller). It is tried first when the server still offers it and the connection allows it.
   */
  readonly preferredMethod?: LoginMethod;
}

/** Higher is stronger: `auto` tries the offered methods in this order. */
export const methodStrength: Readonly<Record<LoginMethod, number>> = {
  // RFC 7628's standard mechanism before Google's older XOAUTH2 (Dovecot and Gmail offer both).
  oauthbearer: 6,
  xoauth2: 5,
  'cram-md5': 4,
  apop: 3,
  plain: 1,
  login: 1,
  user: 1,
};

/** Methods that put the secret itself on the wire (readable by anyone on an unencrypted link). */
export const sendsSecretInClear: Readonly<Record<LoginMethod, boolean>> = {
  oauthbearer: true,
  xoauth2: true,
  'cram-md5': false,
  apop: false,
  plain: true,
  login: true,
  user: true,
};

export const saslName: Readonly<Partial<Record<LoginMethod, string>>> = {
  plain: 'PLAIN',
  login: 'LOGIN',
  'cram-md5': 'CRAM-MD5',
  xoauth2: 'XOAUTH2',
  oauthbearer: 'OAUTHBEARER',
};

/** Methods that present an OAuth 2.0 bearer token instead of a password. */
export function usesAccessToken(method: LoginMethod): boolean {
  return method === 'xoauth2' || method === 'oauthbearer';
}
