import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCrlf } from '../src/bytes/crlf.js';
import { generateMessages } from '../src/demo/generate-messages.js';
import { startDovecot, type RunningDovecot } from '../src/dovecot/start-dovecot.js';
import { RawClient } from './support/raw-client.js';

const initial = generateMessages(3, { seed: 11 });
let dovecot: RunningDovecot;
const clients: RawClient[] = [];

async function connect(secure = false): Promise<RawClient> {
  const client = secure
    ? await RawClient.connect(dovecot.pop3sPort, { tls: { ca: dovecot.caPem, servername: 'localhost' } })
    : await RawClient.connect(dovecot.pop3Port);
  clients.push(client);
  return client;
}

async function login(user = 'alice'): Promise<RawClient> {
  const client = await connect(true);
  await client.readLine();
  await client.command(`USER ${user}`);
  const password = dovecot.users.find((u) => u.username === user)!.password;
  expect(await client.command(`PASS ${password}`)).toMatch(/^\+OK/);
  return client;
}

describe('startDovecot', () => {
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [
        { username: 'alice', password: `pw-${Math.random().toString(36).slice(2)}` },
        { username: 'bob', password: 'bobs password' },
      ],
      messages: { alice: initial },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await dovecot?.stop();
  });

  it('greets on the plain port with an APOP timestamp and offers STLS and SASL', async () => {
    const client = await connect();
    expect(await client.readLine()).toMatch(/^\+OK .*<[^>]+@[^>]+>$/);
    const capa = (await client.multiline('CAPA')).body.toString();
    expect(capa).toContain('STLS\r\n');
    expect(capa).toContain('SASL PLAIN LOGIN CRAM-MD5\r\n');
    expect(await client.command('STLS')).toMatch(/^\+OK/);
    await client.upgradeToTls({ ca: dovecot.caPem, servername: 'localhost' });
    expect(client.isEncrypted).toBe(true);
    expect((await client.multiline('CAPA')).body.toString()).not.toContain('STLS');
  });

  it('greets on the pop3s port over TLS verified with caPem', async () => {
    const client = await connect(true);
    expect(client.isEncrypted).toBe(true);
    expect(await client.readLine()).toMatch(/^\+OK /);
  });

  it('serves the messages given at start, CRLF, with %08Xu%08Xv UIDs', async () => {
    const client = await login();
    expect(await client.command('STAT')).toMatch(/^\+OK 3 /);
    const uidl = (await client.multiline('UIDL')).body.toString().trim().split('\r\n');
    // Dovecot's %X expands to lowercase hex.
    for (const line of uidl) expect(line).toMatch(/^\d+ [0-9a-f]{16}$/);
    const retrieved: Buffer[] = [];
    for (const n of [1, 2, 3]) retrieved.push((await client.multiline(`RETR ${n}`)).body);
    const expected = initial.map((m) => Buffer.from(toCrlf(m)).toString('hex')).sort();
    expect(retrieved.map((body) => body.toString('hex')).sort()).toEqual(expected);
    await client.command('QUIT');
  });

  it('delivers a message that RETR returns with CRLF line ends', async () => {
    const message = Buffer.from('From: x@example.com\nSubject: delivered\n\n.dot line\nbody\n');
    const path = await dovecot.deliver('bob', message);
    expect(path).toContain('/mail/bob/new/');
    expect(await dovecot.maildirFiles('bob')).toEqual([path]);
    expect((await readFile(path)).equals(message)).toBe(true);

    const client = await login('bob');
    const { body } = await client.multiline('RETR 1');
    expect(body.equals(Buffer.from(toCrlf(message)))).toBe(true);
    await client.command('QUIT');
    expect(await client.closesWithin(2000)).toBe(true);
    // Dovecot moved it to cur/ once seen.
    expect((await dovecot.maildirFiles('bob'))[0]).toContain('/mail/bob/cur/');
  });

  it('accepts APOP and refuses a wrong password with [AUTH]', async () => {
    const client = await connect();
    const timestamp = /<[^>]+>/.exec(await client.readLine())![0];
    await client.command('USER alice');
    expect(await client.command('PASS wrong')).toMatch(/^-ERR \[AUTH\]/);
    const password = dovecot.users[0]!.password;
    const digest = createHash('md5')
      .update(timestamp + password)
      .digest('hex');
    const started = Date.now();
    expect(await client.command(`APOP alice ${digest}`)).toMatch(/^\+OK/);
    // No auth penalty after the failure.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keeps a log', async () => {
    expect(await dovecot.logTail()).toMatch(/starting up for pop3/);
  });
});

describe('startDovecot lifecycle', () => {
  it('stop() leaves no process, no listener and no temp dir', async () => {
    const instance = await startDovecot();
    expect(instance.users).toEqual([
      { username: 'alice', password: expect.stringMatching(/^[0-9a-f]{24}$/) },
    ]);
    expect(instance.processes().length).toBeGreaterThan(1);
    await instance.stop();
    expect(instance.processes()).toEqual([]);
    expect(existsSync(instance.dir)).toBe(false);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(instance.pop3Port, '127.0.0.1');
      socket.once('connect', () => resolve(false));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    await instance.stop();
  });

  it("reports a failed start with Dovecot's own error and cleans up", async () => {
    const error = await startDovecot({ extraConfig: 'no_such_setting_here = 1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Dovecot did not start[\s\S]*no_such_setting_here/);
  });
});
