import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD, startTestServer } from './support/server-fixture.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

async function greeted(options: Parameters<typeof startTestServer>[0] = {}) {
  const { server, connect } = await startTestServer(options);
  const client = await connect();
  await client.readLine();
  return { server, client };
}

describe('SASL (RFC 5034)', () => {
  it('AUTH without a mechanism lists the mechanisms', async () => {
    const { client } = await greeted();
    const { body } = await client.multiline('AUTH');
    expect(body.toString()).toBe('PLAIN\r\nLOGIN\r\nCRAM-MD5\r\n');
  });

  it('PLAIN with an initial response', async () => {
    const { server, client } = await greeted();
    expect(await client.command(`AUTH PLAIN ${b64(`\0alice\0${PASSWORD}`)}`)).toMatch(/^\+OK Logged in/);
    expect(server.commandLog.at(-1)?.command).toBe('AUTH PLAIN ***');
  });

  it('PLAIN after an empty challenge, and failures with [AUTH]', async () => {
    const { client } = await greeted();
    expect(await client.command('AUTH PLAIN')).toBe('+ ');
    expect(await client.command(b64('\0alice\0wrong'))).toBe('-ERR [AUTH] Authentication failed');
    expect(await client.command(`AUTH PLAIN ${b64(`bob\0alice\0${PASSWORD}`)}`)).toMatch(/^-ERR \[AUTH\]/);
    expect(await client.command('AUTH PLAIN')).toBe('+ ');
    expect(await client.command(b64(`alice\0alice\0${PASSWORD}`))).toMatch(/^\+OK/);
  });

  it('"=" is an empty initial response, "*" cancels, bad base64 is refused', async () => {
    const { client } = await greeted();
    expect(await client.command('AUTH PLAIN =')).toMatch(/^-ERR/);
    expect(await client.command('AUTH LOGIN')).toBe(`+ ${b64('Username:')}`);
    expect(await client.command('*')).toBe('-ERR Authentication cancelled');
    expect(await client.command('AUTH PLAIN !!!!')).toMatch(/^-ERR .*base64/);
    expect(await client.command('AUTH GSSAPI')).toMatch(/^-ERR/);
  });

  it('LOGIN asks for the username and the password', async () => {
    const { client } = await greeted();
    expect(await client.command('AUTH LOGIN')).toBe('+ VXNlcm5hbWU6');
    expect(await client.command(b64('alice'))).toBe('+ UGFzc3dvcmQ6');
    expect(await client.command(b64(PASSWORD))).toMatch(/^\+OK Logged in/);
  });

  it('CRAM-MD5 checks the HMAC-MD5 of the challenge', async () => {
    const { client } = await greeted();
    const wrong = await client.command('AUTH CRAM-MD5');
    expect(unb64(wrong.slice(2))).toMatch(/^<[0-9a-f]+\.\d+@webpop-testkit>$/);
    expect(await client.command(b64('alice 00000000000000000000000000000000'))).toMatch(/^-ERR \[AUTH\]/);

    const challenge = unb64((await client.command('AUTH CRAM-MD5')).slice(2));
    const digest = createHmac('md5', PASSWORD).update(challenge).digest('hex');
    expect(await client.command(b64(`alice ${digest}`))).toMatch(/^\+OK Logged in/);
  });

  it('XOAUTH2 takes the account password as the bearer token', async () => {
    const { client } = await greeted({ features: { sasl: ['XOAUTH2'] } });
    const token = (bearer: string) => b64(`user=alice\x01auth=Bearer ${bearer}\x01\x01`);
    const failure = await client.command(`AUTH XOAUTH2 ${token('expired')}`);
    expect(JSON.parse(unb64(failure.slice(2)))).toMatchObject({ status: '401' });
    expect(await client.command('')).toMatch(/^-ERR \[AUTH\]/);
    expect(await client.command(`AUTH XOAUTH2 ${token(PASSWORD)}`)).toMatch(/^\+OK Logged in/);
  });

  it('mechanisms that are not enabled are refused', async () => {
    const { client } = await greeted({ features: { sasl: [] } });
    expect(await client.command('AUTH PLAIN')).toMatch(/^-ERR/);
    expect(await client.command('AUTH')).toMatch(/^-ERR/);
  });
});
