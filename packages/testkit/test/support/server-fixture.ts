import { afterEach } from 'vitest';
import { startPop3Server } from '../../src/pop3-server/start-pop3-server.js';
import type { Pop3ServerOptions, RunningPop3Server } from '../../src/pop3-server/types.js';
import { RawClient, type TlsOptions } from './raw-client.js';

export const PASSWORD = 'correct horse battery';

export const MESSAGES = [
  'From: a@example.com\r\nSubject: one\r\n\r\nfirst body\r\nsecond line\r\n',
  // Bare LF on purpose: the server must serve it as CRLF.
  'From: b@example.com\nSubject: two\n\n.starts with a dot\n..two dots\nlast\n',
  'From: c@example.com\r\nSubject: three\r\n\r\nno final newline',
].map((text) => Buffer.from(text, 'latin1'));

const running: Array<{ server: RunningPop3Server; clients: RawClient[] }> = [];

afterEach(async () => {
  for (const { server, clients } of running.splice(0)) {
    for (const client of clients) client.close();
    await server.close();
  }
});

/** A server with one account "alice" (three messages), closed after each test. */
export async function startTestServer(options: Partial<Pop3ServerOptions> = {}) {
  const server = await startPop3Server({
    accounts: [{ username: 'alice', password: PASSWORD, messages: MESSAGES }],
    ...options,
  });
  const clients: RawClient[] = [];
  running.push({ server, clients });
  const connect = async (tls?: TlsOptions): Promise<RawClient> => {
    const client = await RawClient.connect(server.port, tls ? { tls } : {});
    clients.push(client);
    return client;
  };
  /** Connects, reads the greeting, logs in with USER/PASS. */
  const login = async (username = 'alice', password = PASSWORD): Promise<RawClient> => {
    const client = await connect();
    await client.readLine();
    await client.command(`USER ${username}`);
    const reply = await client.command(`PASS ${password}`);
    if (!reply.startsWith('+OK')) throw new Error(`login failed: ${reply}`);
    return client;
  };
  return { server, connect, login };
}
