// Real Dovecot killed (SIGKILL, a crash) or restarted (SIGTERM) in the middle of a session in which
// every message was marked deleted: the engine reports the closed connection, and after the restart a
// new session sees every message (deletions happen only at QUIT).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMessages, startDovecot, type RunningDovecot } from '@webpop/testkit';
import { connectPop3 } from '../src/node/index.js';
import { Pop3ClosedError } from '../src/errors.js';

let dovecot: RunningDovecot;
const password = `pw-${Math.random().toString(36).slice(2)}`;
const messages = generateMessages(8, { seed: 21 });

beforeAll(async () => {
  dovecot = await startDovecot({ users: [{ username: 'alice', password }], messages: { alice: messages } });
});

afterAll(async () => {
  await dovecot?.stop();
});

const connect = () =>
  connectPop3({
    host: dovecot.host,
    port: dovecot.pop3sPort,
    security: 'tls',
    ca: dovecot.caPem,
    servername: 'localhost',
    timeoutMs: 5000,
    credentials: { username: 'alice', password },
  });

describe('Dovecot going away mid-session', () => {
  for (const crash of [true, false]) {
    it(`${crash ? 'killed (SIGKILL)' : 'restarted (SIGTERM)'} after DELE of every message: a closed error, then every message is still there`, async () => {
      const client = await connect();
      const before = (await client.messages()).map((m) => m.uid);
      expect(before).toHaveLength(messages.length);
      for (let n = 1; n <= before.length; n++) await client.dele(n);

      await dovecot.restart({ crash });
      const error = await client.noop().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Pop3ClosedError);
      expect(String(error)).toMatch(/closed/);
      expect(client.state).toBe('ended');

      const again = await connect();
      expect((await again.messages()).map((m) => m.uid)).toEqual(before);
      expect(Buffer.from(await again.retr(1)).toString('latin1')).toBe(
        Buffer.from(messages[0]!).toString('latin1'),
      );
      await again.quit();
    });
  }
});
