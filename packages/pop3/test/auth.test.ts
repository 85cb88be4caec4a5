import { describe, expect, it } from 'vitest';
import { hmacMd5, md5 } from '../src/auth/md5.js';
import { mechanisms, type AuthChannel } from '../src/auth/mechanisms.js';
import { chooseMethods } from '../src/auth/login.js';
import { Capabilities } from '../src/capabilities.js';
import { base64Decode, base64Encode, toHex, utf8 } from '../src/bytes.js';
import { Pop3SecurityError } from '../src/errors.js';
import { apopTimestamp, type StatusLine } from '../src/protocol/status-line.js';

const hex = (text: string) => toHex(md5(utf8(text)));

describe('md5 and hmac-md5', () => {
  it('matches the RFC 1321 test suite', () => {
    expect(hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex('message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
    expect(hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it('matches RFC 2104 HMAC-MD5 test vectors', () => {
    expect(toHex(hmacMd5(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe(
      '750c783e6ab0b503eaa86e310a5db738',
    );
    expect(
      toHex(
        hmacMd5(
          new Uint8Array(80).fill(0xaa),
          utf8('Test Using Larger Than Block-Size Key - Hash Key First'),
        ),
      ),
    ).toBe('6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd');
  });
});

describe('base64', () => {
  it('round-trips every length', () => {
    for (let length = 0; length < 20; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37) & 255);
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64Decode(base64Encode(bytes))).toEqual(bytes);
    }
    expect(base64Decode('not base64!')).toBeUndefined();
  });
});

/** A channel that records lines and answers from a list of status lines. */
function channel(
  answers: StatusLine[],
  apopTimestamp?: string,
): AuthChannel & { lines: string[]; logs: string[] } {
  const lines: string[] = [];
  const logs: string[] = [];
  return {
    lines,
    logs,
    apopTimestamp,
    mayPipeline: false,
    async exchange(line, _name, logText) {
      lines.push(line);
      logs.push(logText);
      return answers.shift() ?? { indicator: '+OK', text: '', code: undefined };
    },
  };
}

const ok: StatusLine = { indicator: '+OK', text: '', code: undefined };
const challenge = (text: string): StatusLine => ({ indicator: '+', text, code: undefined });

describe('login mechanisms', () => {
  it('APOP: the RFC 1939 known answer', async () => {
    const c = channel([ok], '<1896.697170952@dbc.mtview.ca.us>');
    await mechanisms.apop(c, { username: 'mrose', secret: 'tanstaaf' });
    expect(c.lines).toEqual(['APOP mrose c4c9334bac560ecc979e58001b3e22fb']);
    expect(c.logs).toEqual(['APOP mrose ***']);
  });

  it('CRAM-MD5: the RFC 2195 known answer', async () => {
    const c = channel([challenge('PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+'), ok]);
    await mechanisms['cram-md5'](c, { username: 'tim', secret: 'tanstaaftanstaaf' });
    expect(c.lines[0]).toBe('AUTH CRAM-MD5');
    expect(Buffer.from(c.lines[1]!, 'base64').toString()).toBe('tim b913a602c7eda7a495b4e6e7334d3890');
    expect(c.logs[1]).toBe('***');
  });

  it('PLAIN sends the initial response on the AUTH line when it fits in 255 octets', async () => {
    const c = channel([ok]);
    await mechanisms.plain(c, { username: 'alice', secret: 'secret' });
    expect(c.lines).toEqual([`AUTH PLAIN ${Buffer.from('\0alice\0secret').toString('base64')}`]);
    expect(c.logs).toEqual(['AUTH PLAIN ***']);
  });

  it('PLAIN waits for the challenge when the line would exceed 255 octets', async () => {
    const c = channel([challenge(''), ok]);
    const longSecret = 'p'.repeat(200);
    await mechanisms.plain(c, { username: 'alice', secret: longSecret });
    expect(c.lines).toEqual(['AUTH PLAIN', Buffer.from(`\0alice\0${longSecret}`).toString('base64')]);
  });

  it('the 255-octet limit counts the CRLF', async () => {
    // "\0" + user + "\0" + "pw": 180 bytes encode to 240 base64 characters, a 251-character line (253 with
    // CRLF); 181 bytes encode to 244, a 255-character line that is 257 octets with CRLF.
    const fits = channel([ok]);
    await mechanisms.plain(fits, { username: 'u'.repeat(176), secret: 'pw' });
    expect(fits.lines).toHaveLength(1);
    expect(fits.lines[0]!.length).toBe(251);
    const over = channel([challenge(''), ok]);
    await mechanisms.plain(over, { username: 'u'.repeat(177), secret: 'pw' });
    expect(over.lines).toEqual(['AUTH PLAIN', expect.any(String)]);
  });

  it('LOGIN answers the username and password prompts', async () => {
    const c = channel([challenge('VXNlcm5hbWU6'), challenge('UGFzc3dvcmQ6'), ok]);
    await mechanisms.login(c, { username: 'alice', secret: 'secret' });
    expect(c.lines).toEqual(['AUTH LOGIN', 'YWxpY2U=', 'c2VjcmV0']);
    expect(c.logs[2]).toBe('***');
  });

  it('XOAUTH2 sends the bearer token after the empty challenge (the two-step form Microsoft requires) and answers an error challenge with an empty line', async () => {
    const c = channel([challenge(''), ok]);
    await mechanisms.xoauth2(c, { username: 'a@example.org', secret: 'tok' });
    expect(c.lines[0]).toBe('AUTH XOAUTH2');
    expect(Buffer.from(c.lines[1]!, 'base64').toString()).toBe(
      'user=a@example.org\x01auth=Bearer tok\x01\x01',
    );
    const failing = channel([challenge(''), challenge(Buffer.from('{"status":"401"}').toString('base64'))]);
    await expect(mechanisms.xoauth2(failing, { username: 'a', secret: 't' })).rejects.toThrow();
    expect(failing.lines[2]).toBe('');
  });

  it('PLAIN answers an empty + to its initial response with the response again (RFC 1734 servers)', async () => {
    const c = channel([challenge(''), ok]);
    await mechanisms.plain(c, { username: 'alice', secret: 'secret' });
    const response = Buffer.from('\0alice\0secret').toString('base64');
    expect(c.lines).toEqual([`AUTH PLAIN ${response}`, response]);
    expect(c.logs).toEqual(['AUTH PLAIN ***', '***']);
  });
});

describe('choosing a login method', () => {
  const caps = new Capabilities(['USER', 'SASL PLAIN LOGIN CRAM-MD5', 'TOP']);
  const context = (secure: boolean, apop?: string, capabilities: Capabilities | null = caps) => ({
    channel: channel([], apop),
    capabilities,
    secure,
  });

  it('auto picks the strongest offered method, strongest first', () => {
    expect(chooseMethods(context(true, '<1@x>'), { username: 'a', password: 'b' })).toEqual([
      'cram-md5',
      'apop',
      'plain',
      'login',
      'user',
    ]);
  });

  it('auto without TLS keeps only methods that do not reveal the password', () => {
    expect(chooseMethods(context(false, '<1@x>'), { username: 'a', password: 'b' })).toEqual([
      'cram-md5',
      'apop',
    ]);
  });

  it('counts an unencrypted hop before a TLS transport as no TLS', () => {
    const viaPlainHop = { username: 'a', password: 'b', unencryptedHop: true };
    expect(chooseMethods(context(true, '<1@x>'), viaPlainHop)).toEqual(['cram-md5', 'apop']);
    expect(() => chooseMethods(context(true), { ...viaPlainHop, method: 'user' })).toThrow(Pop3SecurityError);
    expect(chooseMethods(context(true), { ...viaPlainHop, method: 'user', allowPlaintext: true })).toEqual([
      'user',
    ]);
  });

  it('refuses cleartext without TLS unless allowed', () => {
    const plainOnly = new Capabilities(['USER', 'SASL PLAIN']);
    expect(() =>
      chooseMethods(context(false, undefined, plainOnly), { username: 'a', password: 'b' }),
    ).toThrow(Pop3SecurityError);
    expect(() => chooseMethods(context(false), { username: 'a', password: 'b', method: 'user' })).toThrow(
      /refusing to send the password in clear/,
    );
    expect(
      chooseMethods(context(false, undefined, plainOnly), {
        username: 'a',
        password: 'b',
        allowPlaintext: true,
      }),
    ).toEqual(['plain', 'user']);
  });

  it('tries the method that worked last time first, when it is offered and allowed', () => {
    expect(
      chooseMethods(context(true, '<1@x>'), { username: 'a', password: 'b', preferredMethod: 'plain' }),
    ).toEqual(['plain', 'cram-md5', 'apop', 'login', 'user']);
    expect(
      chooseMethods(context(false, '<1@x>'), { username: 'a', password: 'b', preferredMethod: 'plain' }),
    ).toEqual(['cram-md5', 'apop']);
  });

  it('finds the APOP timestamp as an ASCII msg-id (Thunderbird test_pop3ApopTimestamp)', () => {
    expect(apopTimestamp('hi <\ufffd@x> <1@a.b>')).toBe('<1@a.b>');
    expect(apopTimestamp('ready <1896.697170952@dbc.mtview.ca.us>')).toBe(
      '<1896.697170952@dbc.mtview.ca.us>',
    );
    expect(apopTimestamp('<a@b@c> later <x@y>')).toBe('<a@b@c>');
    for (const none of ['ready', '<@x>', '<x@>', '<a b@c>', '<a@b', 'a@b>', '<<@>>']) {
      expect(apopTimestamp(none)).toBeUndefined();
    }
  });

  it('searches a 65,000-byte <@@@… greeting in linear time: as fast as an ordinary one, within a factor', () => {
    const hostile = `hi <${'@'.repeat(65_000)}`;
    const ordinary = `hi ${'x'.repeat(65_000)} <1@a.b>`;
    // Best of several runs of each, compared with each other: a ratio, not a wall-clock bound. The
    // quadratic regular expression this replaces took 7 s on the hostile one, over 10,000 times longer.
    const best = (text: string) => {
      let fastest = Infinity;
      for (let run = 0; run < 15; run++) {
        const start = performance.now();
        apopTimestamp(text);
        fastest = Math.min(fastest, performance.now() - start);
      }
      return fastest;
    };
    best(ordinary);
    const baseline = Math.max(best(ordinary), 0.01);
    expect(best(hostile) / baseline).toBeLessThan(20);
    // CPython's test_poplib (test_apop_REDOS) greets with a run of '<'.
    expect(best(`hi ${'<'.repeat(65_000)}`) / baseline).toBeLessThan(20);
  });

  it('assumes USER/PASS on a server without CAPA', () => {
    expect(chooseMethods(context(true, undefined, null), { username: 'a', password: 'b' })).toEqual(['user']);
  });

  it('uses XOAUTH2 only with an access token', () => {
    const oauth = new Capabilities(['SASL XOAUTH2 PLAIN']);
    expect(chooseMethods(context(true, undefined, oauth), { username: 'a', accessToken: 't' })).toEqual([
      'xoauth2',
    ]);
    // USER/PASS is the last resort although this CAPA does not list USER (servers commonly omit it).
    expect(chooseMethods(context(true, undefined, oauth), { username: 'a', password: 'p' })).toEqual([
      'plain',
      'user',
    ]);
  });
});
