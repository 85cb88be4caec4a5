// OAUTHBEARER (RFC 7628) and XOAUTH2 at the byte level: the GS2 header and key-value pairs as sent,
// the initial response against the 255-octet AUTH line, and the failure continuation (an error
// challenge of JSON, answered with %x01 or an empty line, then -ERR) with the server's replies cut at
// every byte boundary.
import { describe, expect, it } from 'vitest';
import { chooseMethods } from '../src/auth/login.js';
import { mechanisms, type AuthChannel } from '../src/auth/mechanisms.js';
import { gs2SaslName, isBearerToken, parseOAuthFailure } from '../src/auth/oauth-failure.js';
import { Capabilities } from '../src/capabilities.js';
import { Pop3Client } from '../src/client.js';
import { Pop3OAuthError, Pop3SecurityError, Pop3ServerError } from '../src/errors.js';
import type { StatusLine } from '../src/protocol/status-line.js';
import { ScriptedTransport, multiline } from './support/scripted-transport.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const ok: StatusLine = { indicator: '+OK', text: '', code: undefined };

function recordingChannel(answers: StatusLine[]): AuthChannel & { lines: string[]; logs: string[] } {
  const lines: string[] = [];
  const logs: string[] = [];
  return {
    lines,
    logs,
    apopTimestamp: undefined,
    mayPipeline: false,
    async exchange(line, _name, logText) {
      lines.push(line);
      logs.push(logText);
      return answers.shift() ?? ok;
    },
  };
}

describe('OAUTHBEARER messages', () => {
  it('sends the GS2 header and the bearer token as the initial response when the line fits', async () => {
    const c = recordingChannel([ok]);
    await mechanisms.oauthbearer(c, { username: 'alice@example.org', secret: 'tok-1.2_3~4+5/6=' });
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]).toMatch(/^AUTH OAUTHBEARER [A-Za-z0-9+/]+=*$/);
    expect(unb64(c.lines[0]!.slice('AUTH OAUTHBEARER '.length))).toBe(
      'n,a=alice@example.org,\x01auth=Bearer tok-1.2_3~4+5/6=\x01\x01',
    );
    expect(c.logs).toEqual(['AUTH OAUTHBEARER ***']);
  });

  it('escapes = and , in the authorization identity (RFC 7628 saslname)', () => {
    expect(gs2SaslName('a=b,c')).toBe('a=3Db=2Cc');
    expect(gs2SaslName('plain@example.org')).toBe('plain@example.org');
  });

  it('waits for the empty challenge when a JWT (about 1 KB) makes the AUTH line longer than 255 octets', async () => {
    const jwt = `${'a'.repeat(400)}.${'b'.repeat(500)}.${'c'.repeat(342)}`;
    const c = recordingChannel([{ indicator: '+', text: '', code: undefined }, ok]);
    await mechanisms.oauthbearer(c, { username: 'alice', secret: jwt });
    expect(c.lines[0]).toBe('AUTH OAUTHBEARER');
    expect(unb64(c.lines[1]!)).toBe(`n,a=alice,\x01auth=Bearer ${jwt}\x01\x01`);
    expect(c.logs).toEqual(['AUTH OAUTHBEARER', '***']);
  });

  it('refuses a token with characters no bearer token has, or a user name with %x01, sending nothing', async () => {
    for (const secret of ['a b', 'a\x01b', 'a"b', '', '=abc']) {
      const c = recordingChannel([]);
      await expect(mechanisms.oauthbearer(c, { username: 'alice', secret })).rejects.toBeInstanceOf(
        Pop3SecurityError,
      );
      await expect(mechanisms.xoauth2(c, { username: 'alice', secret })).rejects.toBeInstanceOf(
        Pop3SecurityError,
      );
      expect(c.lines).toEqual([]);
    }
    const c = recordingChannel([]);
    await expect(mechanisms.oauthbearer(c, { username: 'a\x01b', secret: 't' })).rejects.toThrow(/%x01/);
    expect(c.lines).toEqual([]);
    expect(isBearerToken('eyJ.eyJ.sig-_')).toBe(true);
  });
});

describe('reading an OAuth error challenge', () => {
  it('takes status, scope and openid-configuration from the JSON', () => {
    const json = { status: 'invalid_token', scope: 'mail', 'openid-configuration': 'https://id/.well-known' };
    expect(parseOAuthFailure(b64(JSON.stringify(json)))).toEqual({
      status: 'invalid_token',
      scope: 'mail',
      openidConfiguration: 'https://id/.well-known',
    });
  });

  it('says unknown for anything that is not base64 of a JSON object with a status', () => {
    for (const junk of ['', '!!!', b64('not json'), b64('[1]'), b64('"x"'), b64('{"status":5}')]) {
      expect(parseOAuthFailure(junk).status).toBe('unknown');
    }
    expect(parseOAuthFailure(Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')).status).toBe('unknown');
  });
});

/** A server offering OAUTHBEARER and XOAUTH2 that refuses every token the way Dovecot 2.3 does. */
function refusingServer(sent: string[]) {
  const challenge = b64(JSON.stringify({ status: 'invalid_token', scope: 'mail' }));
  let awaitingAck = false;
  return (line: string) => {
    sent.push(line);
    if (line === 'CAPA') return multiline('SASL OAUTHBEARER XOAUTH2\r\nUSER');
    if (line === 'QUIT') return ['+OK\r\n', { close: true } as const];
    if (awaitingAck) {
      awaitingAck = false;
      return '-ERR [AUTH] Authentication failed.\r\n';
    }
    if (line.startsWith('AUTH OAUTHBEARER ') || line === 'AUTH OAUTHBEARER') {
      if (line === 'AUTH OAUTHBEARER') return '+ \r\n';
      awaitingAck = true;
      return `+ ${challenge}\r\n`;
    }
    if (line.startsWith('bi')) {
      awaitingAck = true;
      return `+ ${challenge}\r\n`;
    }
    return '-ERR unexpected\r\n';
  };
}

describe('the failure continuation through the client, replies cut at every byte boundary', () => {
  for (const chunkSize of [1, 2, 3, 5, 8, 13, 64, Infinity]) {
    it(`answers the error challenge with %x01 and ends in Pop3OAuthError (chunks of ${chunkSize})`, async () => {
      const sent: string[] = [];
      const transport = new ScriptedTransport('+OK ready\r\n', refusingServer(sent), chunkSize);
      const client = await Pop3Client.connect(transport, { timeoutMs: 2000 });
      const error = await client
        .login({ username: 'alice', accessToken: 'expired.jwt.token', allowPlaintext: true })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Pop3OAuthError);
      expect(error).toBeInstanceOf(Pop3ServerError);
      expect(error).toMatchObject({
        code: 'AUTH',
        command: 'AUTH OAUTHBEARER',
        oauth: { status: 'invalid_token', scope: 'mail' },
      });
      // OAUTHBEARER first (RFC 7628), its %x01 acknowledgement, and no XOAUTH2 with the refused token.
      const auth = sent.filter((line) => line !== 'CAPA');
      expect(auth).toHaveLength(2);
      expect(auth[0]).toMatch(/^AUTH OAUTHBEARER bixh/);
      expect(auth[1]).toBe('AQ==');
      expect(transport.unterminated).toBe('');
      transport.close();
    });
  }

  it('XOAUTH2 answers its error challenge with an empty line and ends in Pop3OAuthError', async () => {
    const c = recordingChannel([
      { indicator: '+', text: '', code: undefined },
      { indicator: '+', text: b64('{"status":"401","schemes":"bearer"}'), code: undefined },
    ]);
    c.exchange = async (line, name, logText) => {
      c.lines.push(line);
      c.logs.push(logText);
      if (c.lines.length === 3) throw new Pop3ServerError(name, 'Authentication failed', 'AUTH', 'login');
      return c.lines.length === 1
        ? { indicator: '+', text: '', code: undefined }
        : { indicator: '+', text: b64('{"status":"401","schemes":"bearer"}'), code: undefined };
    };
    const error = await mechanisms.xoauth2(c, { username: 'a', secret: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Pop3OAuthError);
    expect((error as Pop3OAuthError).oauth.status).toBe('401');
    expect(c.lines[2]).toBe('');
  });

  it('an +OK after the error challenge is a protocol error, not a login', async () => {
    const c = recordingChannel([
      { indicator: '+', text: b64('{"status":"invalid_token"}'), code: undefined },
      ok,
    ]);
    await expect(mechanisms.oauthbearer(c, { username: 'a', secret: 't' })).rejects.toThrow(
      /\+OK after its error challenge/,
    );
    expect(c.lines[1]).toBe('AQ==');
  });
});

describe('choosing an OAuth method', () => {
  const context = (sasl: string) => ({
    channel: recordingChannel([]),
    capabilities: new Capabilities([`SASL ${sasl}`]),
    secure: true,
  });

  it('with a token: OAUTHBEARER before XOAUTH2, and never a password method', () => {
    expect(chooseMethods(context('PLAIN XOAUTH2 OAUTHBEARER'), { username: 'a', accessToken: 't' })).toEqual([
      'oauthbearer',
      'xoauth2',
    ]);
    expect(chooseMethods(context('PLAIN OAUTHBEARER'), { username: 'a', password: 'p' })).toEqual([
      'plain',
      'user',
    ]);
  });

  it('refuses to send a token over a link without TLS unless allowed', () => {
    const insecure = { ...context('OAUTHBEARER'), secure: false };
    expect(() => chooseMethods(insecure, { username: 'a', accessToken: 't' })).toThrow(Pop3SecurityError);
  });
});
