// One Dovecot for every worker of the run (started by the global setup), so parallel tests share one
// mailbox the way a real suite does; each test keeps to its own mail with mailbox.address().
import { randomBytes } from 'node:crypto';
import { chown, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test as mailboxTest } from '@webpop/playwright';

/** What the global setup hands the workers (in WEBPOP_E2E_SHARED_DOVECOT). */
export interface SharedDovecot {
  readonly host: string;
  readonly pop3sPort: number;
  readonly caPem: string;
  readonly username: string;
  readonly password: string;
  /** The user's maildir. */
  readonly maildir: string;
}

export const sharedDovecotVariable = 'WEBPOP_E2E_SHARED_DOVECOT';
export const sharedAddress = 'team@example.test';

export function sharedDovecot(): SharedDovecot {
  const value = process.env[sharedDovecotVariable];
  if (!value) throw new Error(`${sharedDovecotVariable} is not set: the global setup did not run`);
  return JSON.parse(value) as SharedDovecot;
}

let deliveries = 0;

/** Delivers into the shared maildir from any worker: tmp/, then rename into new/ (maildir's rule). */
export async function deliverShared(message: Uint8Array): Promise<void> {
  const { maildir } = sharedDovecot();
  const owner = await stat(maildir);
  const name = `${Date.now()}.P${process.pid}Q${++deliveries}R${randomBytes(4).toString('hex')}.e2e`;
  const temporary = join(maildir, 'tmp', name);
  await writeFile(temporary, message, { mode: 0o600 });
  await chown(temporary, owner.uid, owner.gid);
  await rename(temporary, join(maildir, 'new', name));
}

export const test = mailboxTest.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from it
  mailboxOptions: async ({}, use) => {
    const shared = sharedDovecot();
    await use({
      host: shared.host,
      port: shared.pop3sPort,
      security: 'tls',
      ca: shared.caPem,
      username: shared.username,
      password: shared.password,
      address: sharedAddress,
    });
  },
});

export { expect } from '@webpop/playwright';
