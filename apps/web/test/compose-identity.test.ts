// Who a new message is from: the identity saved in Account settings, else the username when it is an
// address, else the username at the server's mail domain (the bridge's `mailDomain`), else nothing.
import { describe, expect, it } from 'vitest';
import { identityOf } from '../src/compose/identity.js';
import { defaultAccountSettings } from '../src/mailstore/settings.js';
import type { StoredAccount } from '../src/mailstore/index.js';

const server = { kind: 'configured', id: 'demo', label: 'Demo' } as const;
const account = (username: string, identity?: StoredAccount['settings']['identity']): StoredAccount => ({
  key: `demo|${username}`,
  server,
  username,
  settings: { ...defaultAccountSettings, ...(identity ? { identity } : {}) },
  lastSignIn: 0,
});

describe('identityOf', () => {
  it('a bare username writes from <username>@<mailDomain>', () => {
    expect(identityOf(account('demo'), undefined, 'demo.invalid').address).toBe('demo@demo.invalid');
  });

  it('a username that is an address is used as it is, whatever the mail domain', () => {
    expect(identityOf(account('ana@example.org'), undefined, 'demo.invalid').address).toBe('ana@example.org');
  });

  it('without a mail domain a bare username gives no address (sending asks for one)', () => {
    expect(identityOf(account('demo'), undefined, undefined).address).toBe('');
  });

  it('the saved identity wins; its name and signature stay when only the address is missing', () => {
    const saved = { name: 'Dé Mo', address: 'me@example.org', replyTo: '', signature: '--\nDé' };
    expect(identityOf(account('demo', saved), undefined, 'demo.invalid')).toEqual(saved);
    const nameOnly = { ...saved, address: '' };
    expect(identityOf(account('demo', nameOnly), undefined, 'demo.invalid')).toEqual({
      ...nameOnly,
      address: 'demo@demo.invalid',
    });
  });
});
