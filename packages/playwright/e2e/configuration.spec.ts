// The fixture's options: `use.mailbox` from playwright.config.ts, with `mailboxOptions` on top.
import { test, expect, user } from './dovecot-fixtures.js';

test('merges use.mailbox from the config with mailboxOptions from the Dovecot fixture', async ({
  mailbox,
  dovecot,
}) => {
  const settings = await mailbox.settings();
  expect(settings).toMatchObject({
    // from playwright.config.ts
    cleanup: 'consumed',
    pollInterval: 500,
    // from e2e/dovecot-fixtures.ts
    host: dovecot.host,
    port: dovecot.pop3sPort,
    security: 'tls',
    username: user,
    // defaults
    auth: 'auto',
    timeout: 20_000,
  });
});
