// AUTH OAUTHBEARER (RFC 7628) and XOAUTH2 at the reply-reader level: the server's bytes are parsed by
// the ReplyReader, cut at every byte boundary, and the lines the engine sends are checked exactly —
// the GS2 header, the error challenge answered with %x01 (OAUTHBEARER) or an empty line (XOAUTH2),
// the final refusal carrying the challenge's status. Then against testkit's server over a real socket.
import { describe, expect, it } from 'vitest';
import { authenticate, chooseMechanisms } from '../src/auth/login.js';
import type { AuthChannel } from '../src/auth/mechanisms.js';
import type { Credentials } from '../src/auth/methods.js';
import { Capabilities } from '../src/capabilities.js';
import { SmtpOAuthError, SmtpProtocolError } from '../src/errors.js';
import { ReplyReader } from '../src/protocol/reply-reader.js';
import type { Reply } from '../src/protocol/reply.js';
import { smtpServers } from './support/servers.js';

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const challenge = {
  status: 'invalid_token',
  scope: 'mail',
  'openid-configuration': 'https://id.example.test/.well-known/openid-configuration',
};

/** The server's raw reply, cut in two at `cut` and parsed by the engine's reader: exactly one reply. */
function parsed(raw: string, cut: number): Reply {
  const bytes = new TextEncoder().encode(raw);
  const replies: Reply[] = [];
  const reader = new ReplyReader({ expectingReply: () => true, reply: (reply) => replies.push(reply) });
  reader.feed(bytes.subarray(0, cut));
  reader.feed(bytes.subarray(cut));
  expect(replies).toHaveLength(1);
  return replies[0]!;
}

/**
 * A server that answers the client's lines in turn with `answers` (raw bytes); the reply at
 * `cutReply` is cut at `cut`. Records what the client sent.
 */
function scripted(
  answers: readonly string[],
  cutReply = 0,
  cut = 0,
): { channel: AuthChannel; sent: string[] } {
  const sent: string[] = [];
  const channel: AuthChannel = {
    exchange: async (line) => {
      const index = sent.push(line) - 1;
      const raw = answers[index];
      if (raw === undefined) throw new Error(`unexpected line ${JSON.stringify(line)}`);
      return parsed(raw, index === cutReply ? cut : 0);
    },
  };
  return { channel, sent };
}

const bearer = (username = 'alice', initialResponse = true): Credentials => ({
  username,
  accessToken: TOKEN,
  method: 'oauthbearer',
  initialResponse,
});

describe('AUTH OAUTHBEARER (RFC 7628)', () => {
  it('sends the GS2 header and the bearer token on the AUTH line; 235 signs in', async () => {
    const { channel, sent } = scripted(['235 2.7.0 Authentication successful\r\n']);
    await expect(authenticate(channel, bearer(), ['oauthbearer'])).resolves.toBe('oauthbearer');
    expect(sent).toHaveLength(1);
    const [command, response] = sent[0]!.split(' ').slice(1);
    expect(command).toBe('OAUTHBEARER');
    expect(decode(response!)).toBe(`n,a=alice,\x01auth=Bearer ${TOKEN}\x01\x01`);
  });

  it('escapes "," and "=" in the user name (saslname), so it cannot end the header', async () => {
    const { channel, sent } = scripted(['235 2.7.0 ok\r\n']);
    await authenticate(channel, bearer('a,b=c@example.org'), ['oauthbearer']);
    expect(decode(sent[0]!.split(' ')[2]!).startsWith('n,a=a=2Cb=3Dc@example.org,\x01')).toBe(true);
  });

  it('without an initial response: AUTH OAUTHBEARER, the empty 334, then the response', async () => {
    const { channel, sent } = scripted(['334 \r\n', '235 2.7.0 ok\r\n']);
    await authenticate(channel, bearer('alice', false), ['oauthbearer']);
    expect(sent[0]).toBe('AUTH OAUTHBEARER');
    expect(decode(sent[1]!)).toBe(`n,a=alice,\x01auth=Bearer ${TOKEN}\x01\x01`);
  });

  it('answers the error challenge with %x01, then reports the refusal with the status, at every byte boundary', async () => {
    const errorLine = `334 ${encode(JSON.stringify(challenge))}\r\n`;
    for (let cut = 0; cut <= errorLine.length; cut++) {
      const { channel, sent } = scripted([errorLine, '535 5.7.8 Authentication failed\r\n'], 0, cut);
      const error = await authenticate(channel, bearer(), ['oauthbearer']).catch((e: unknown) => e);
      expect(sent[1], `cut at ${cut}`).toBe('AQ==');
      expect(decode(sent[1]!)).toBe('\x01');
      expect(error).toBeInstanceOf(SmtpOAuthError);
      expect(error).toMatchObject({
        kind: 'server',
        code: 535,
        enhancedStatus: '5.7.8',
        phase: 'auth',
        command: 'AUTH OAUTHBEARER',
        oauth: {
          status: 'invalid_token',
          scope: 'mail',
          openidConfiguration: challenge['openid-configuration'],
        },
      });
      expect((error as Error).message).toContain('OAuth status invalid_token');
    }
  });

  it('a challenge that is not base64 JSON still ends in the refusal, its status unknown', async () => {
    const { channel, sent } = scripted(['334 not json at all\r\n', '535 5.7.8 no\r\n']);
    const error = await authenticate(channel, bearer(), ['oauthbearer']).catch((e: unknown) => e);
    expect(sent[1]).toBe('AQ==');
    expect(error).toMatchObject({ code: 535, oauth: { status: 'unknown' } });
  });

  it('a server that accepts after its own error challenge is a protocol error', async () => {
    const { channel } = scripted([`334 ${encode(JSON.stringify(challenge))}\r\n`, '235 2.7.0 ok\r\n']);
    await expect(authenticate(channel, bearer(), ['oauthbearer'])).rejects.toBeInstanceOf(SmtpProtocolError);
  });

  it('refuses a token or user name that would change the message, before sending anything', async () => {
    for (const credentials of [
      { ...bearer(), accessToken: 'two words' },
      { ...bearer(), accessToken: `${TOKEN}\x01auth=Bearer x` },
      { ...bearer(), username: 'al\x01ice' },
    ]) {
      const { channel, sent } = scripted([]);
      await expect(authenticate(channel, credentials, ['oauthbearer'])).rejects.toMatchObject({
        kind: 'security',
        reason: 'credentials',
      });
      expect(sent).toEqual([]);
    }
  });

  it('`auto` with a token prefers OAUTHBEARER to XOAUTH2, and never a password mechanism', () => {
    const offered = new Capabilities(['AUTH PLAIN XOAUTH2 OAUTHBEARER']);
    expect(chooseMechanisms({ username: 'alice', accessToken: TOKEN }, offered, true)).toEqual([
      'oauthbearer',
      'xoauth2',
    ]);
    expect(() => chooseMechanisms({ username: 'alice', accessToken: TOKEN }, offered, false)).toThrow(
      expect.objectContaining({ kind: 'security', reason: 'plaintext' }) as Error,
    );
  });
});

describe('AUTH XOAUTH2', () => {
  it('answers the error challenge with an empty line and reports its status', async () => {
    const gmail = encode('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}');
    const { channel, sent } = scripted([
      `334 ${gmail}\r\n`,
      '535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 Learn more\r\n',
    ]);
    const error = await authenticate(channel, { username: 'alice', accessToken: TOKEN, method: 'xoauth2' }, [
      'xoauth2',
    ]).catch((e: unknown) => e);
    expect(sent[1]).toBe('');
    expect(error).toBeInstanceOf(SmtpOAuthError);
    expect(error).toMatchObject({ code: 535, oauth: { status: '401', scope: 'https://mail.google.com/' } });
  });
});

describe('OAUTHBEARER against testkit’s server', () => {
  const servers = smtpServers();
  const features = { authMechanisms: ['PLAIN', 'XOAUTH2', 'OAUTHBEARER'] };

  it('signs in with a good token, with and without an initial response, and by `auto`', async () => {
    const server = await servers.start({ accessTokens: { [TOKEN]: 'alice' }, features });
    for (const credentials of [
      bearer('alice', true),
      bearer('alice', false),
      { username: 'alice', accessToken: TOKEN },
    ]) {
      const client = await servers.connect(server, { credentials });
      expect(client.authenticated).toBe('oauthbearer');
      await client.quit();
    }
    expect(server.commandLog.map((entry) => entry.line)).toContain('AUTH OAUTHBEARER ***');
  });

  it('a token for another user: the challenge, %x01, then 535 with the status', async () => {
    const server = await servers.start({ accessTokens: { [TOKEN]: 'bob' }, features });
    const error = await servers.connect(server, { credentials: bearer() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpOAuthError);
    expect(error).toMatchObject({ code: 535, enhancedStatus: '5.7.8', oauth: { status: 'invalid_token' } });
  });
});
