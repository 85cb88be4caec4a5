import type { StoredAccount } from '../mailstore/index.js';
import type { SignInParams } from '../session/types.js';
import type { Identity } from './fields.js';

/**
 * Who the account writes as: the identity saved in Account settings, else the username when it is an
 * address (most providers sign in with it), else the username at the server's mail domain (the
 * bridge's `mailDomain`), else no address yet (sending asks for one).
 */
export function identityOf(
  account: StoredAccount | undefined,
  credentials: SignInParams | undefined,
  mailDomain: string | undefined,
): Identity {
  const saved = account?.settings.identity;
  if (saved && saved.address !== '') return saved;
  const username = account?.username ?? credentials?.username ?? '';
  return {
    name: saved?.name ?? '',
    address: username.includes('@') ? username : username && mailDomain ? `${username}@${mailDomain}` : '',
    replyTo: saved?.replyTo ?? '',
    signature: saved?.signature ?? '',
  };
}
