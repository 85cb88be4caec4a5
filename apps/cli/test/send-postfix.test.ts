// `webpop send` through a real Postfix (testkit's: STARTTLS, AUTH checked by Dovecot against its
// users) into Dovecot's maildir; skipped without Debian's postfix and root.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import {
  postfixAvailable,
  startSubmissionServers,
  type RunningPostfix,
  type RunningSubmissionServers,
} from '@webpop/testkit';
import { webpop, withTempDir } from './helpers.js';

const alice = { username: 'alice', password: 'cli-postfix-secret' };
let servers: RunningSubmissionServers;
let postfix: RunningPostfix;

describe.skipIf(!postfixAvailable())('webpop send through Postfix', () => {
  beforeAll(async () => {
    servers = await startSubmissionServers({ users: [alice] });
    ({ postfix } = servers);
  }, 60_000);

  afterAll(async () => {
    await servers?.stop();
  });

  it('delivers a built message with an attachment to the maildir; a foreign domain is refused at RCPT', async () => {
    await withTempDir(async (dir) => {
      const ca = join(dir, 'ca.pem');
      await writeFile(ca, postfix.caPem);
      const attachment = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31) % 256));
      await writeFile(join(dir, 'data.bin'), attachment);
      const to = postfix.address('alice');
      const connection = [
        '--host',
        '127.0.0.1',
        '--port',
        String(postfix.submissionPort),
        '--security',
        'starttls',
        '--ca',
        ca,
        '--user',
        alice.username,
      ];
      const env = { WEBPOP_PASSWORD: alice.password };
      const message = [
        '--from',
        to,
        '--subject',
        'through Postfix',
        '--body',
        'hello',
        '--attach',
        join(dir, 'data.bin'),
      ];

      const refused = await webpop(
        ['send', ...connection, ...message, '--to', to, '--to', 'someone@example.org'],
        { env },
      );
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^refused +someone@example\.org: 5\d\d /m);

      const sent = await webpop(['send', ...connection, ...message, '--to', to], { env });
      expect(sent.stderr).toBe('');
      expect(sent.code).toBe(0);
      expect(sent.stdout).toMatch(/^server: 250 .*queued as/m);

      const [file] = await servers.delivered('alice');
      const parsed = await simpleParser(await readFile(file!));
      expect(parsed.subject).toBe('through Postfix');
      expect(Buffer.compare(parsed.attachments[0]!.content, attachment)).toBe(0);
    });
  }, 60_000);
});
