import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A key Dovecot checks JWT access tokens with (the provider's signing key). */
export interface OAuth2ValidationKey {
  readonly kid: string;
  /** JWS algorithm, e.g. `RS256`. */
  readonly alg: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  readonly publicKeyPem: string;
}

export interface DovecotOAuth2Options {
  /** Accepted `iss` values (Dovecot's `issuers`). */
  readonly issuer: string;
  readonly keys: readonly OAuth2ValidationKey[];
  /** The token claim that must equal the login name. Default `sub`. */
  readonly usernameAttribute?: string;
}

/**
 * Writes the key dictionary and the `oauth2` passdb's settings for local JWT validation
 * (`introspection_mode = local`): Dovecot 2.3 looks each key up as `shared/<azp>/<alg>/<kid>`, `azp`
 * being `default` when the token has none; the `fs:posix` dict drops the `shared/` prefix. Returns the
 * dovecot.conf lines that enable OAUTHBEARER and XOAUTH2 against it.
 */
export async function writeOAuth2Passdb(dir: string, options: DovecotOAuth2Options): Promise<string> {
  const keyDir = join(dir, 'oauth2-keys');
  for (const key of options.keys) {
    if (!/^[A-Za-z0-9_-]+$/.test(key.kid) || !/^[A-Z]{2}\d{3}$/.test(key.alg))
      throw new Error(`unsupported key id or algorithm ${JSON.stringify([key.kid, key.alg])}`);
    const algDir = join(keyDir, 'default', key.alg);
    await mkdir(algDir, { recursive: true, mode: 0o755 });
    await writeFile(join(algDir, key.kid), key.publicKeyPem, { mode: 0o644 });
  }
  await chmod(keyDir, 0o755);
  const settingsFile = join(dir, 'dovecot-oauth2.conf.ext');
  await writeFile(
    settingsFile,
    [
      `introspection_mode = local`,
      `local_validation_key_dict = fs:posix:prefix=${keyDir}/`,
      `issuers = ${options.issuer}`,
      `username_attribute = ${options.usernameAttribute ?? 'sub'}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return [
    `auth_mechanisms = plain login cram-md5 apop oauthbearer xoauth2`,
    `passdb {`,
    `  driver = oauth2`,
    `  mechanisms = oauthbearer xoauth2`,
    `  args = ${settingsFile}`,
    `}`,
  ].join('\n');
}
