// Starts the Dovecot that the parallel tests share (e2e/shared-dovecot.ts) and stops it at the end.
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { startDovecot } from '@webpop/testkit';
import { sharedDovecotVariable, type SharedDovecot } from './shared-dovecot.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const username = 'team';
  const dovecot = await startDovecot({ users: [{ username, password: randomBytes(12).toString('hex') }] });
  // Mail already there when the tests start; its path also tells where the maildir is.
  const seeded = await dovecot.deliver(username, new TextEncoder().encode(oldMail));
  const shared: SharedDovecot = {
    host: dovecot.host,
    pop3sPort: dovecot.pop3sPort,
    caPem: dovecot.caPem,
    username,
    password: dovecot.users[0]!.password,
    maildir: dirname(dirname(seeded)),
  };
  process.env[sharedDovecotVariable] = JSON.stringify(shared);
  return () => dovecot.stop();
}

const oldMail = [
  'From: App <noreply@app.test>',
  'To: team+old@example.test',
  'Subject: Your code',
  'Date: Mon, 01 Jan 2024 10:00:00 +0000',
  '',
  'Your code is 000000.',
  '',
].join('\r\n');
