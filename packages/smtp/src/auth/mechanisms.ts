import {
  base64Decode,
  base64Encode,
  gs2SaslName,
  hmacMd5,
  isBearerToken,
  parseOAuthFailure,
  toHex,
  utf8,
  type OAuthFailure,
} from '@webpop/pop3/codec';
import { SmtpProtocolError, SmtpSecurityError } from '../errors.js';
import { limits } from '../limits.js';
import type { Reply } from '../protocol/reply.js';
import { saslName, type SaslMethod } from './methods.js';

/** What a mechanism needs from the client: one line at a time, each answered before the next. */
export interface AuthChannel {
  /** Sends a line and returns the reply, whatever its code. */
  exchange(line: string, logText: string): Promise<Reply>;
}

export interface Secret {
  readonly username: string;
  readonly secret: string;
}

/**
 * The end of an exchange: 235 (authenticated) or the refusal the caller turns into an error; for the
 * OAuth mechanisms, what the server's error challenge said before that refusal.
 */
export interface AuthEnd {
  readonly reply: Reply;
  readonly oauth?: OAuthFailure;
}

type Mechanism = (channel: AuthChannel, secret: Secret, initialResponse: boolean) => Promise<AuthEnd>;

const CONTINUE = 334;

export const mechanisms: Readonly<Record<SaslMethod, Mechanism>> = {
  plain: (channel, { username, secret }, initial) =>
    oneResponse(channel, 'PLAIN', base64Encode(utf8(`\0${username}\0${secret}`)), initial),

  async login(channel, { username, secret }, initial) {
    const user = base64Encode(utf8(username));
    // RFC 4616 does not define LOGIN; its draft allows the user name as an initial response.
    let reply = initial
      ? await channel.exchange(`AUTH LOGIN ${user}`, `AUTH LOGIN ${user}`)
      : await channel.exchange('AUTH LOGIN', 'AUTH LOGIN');
    if (reply.code !== CONTINUE) return { reply };
    if (!initial || isUsernamePrompt(reply)) {
      reply = await channel.exchange(user, user);
      if (reply.code !== CONTINUE) return { reply };
    }
    return finish(channel, await channel.exchange(base64Encode(utf8(secret)), '***'), 'LOGIN');
  },

  async 'cram-md5'(channel, { username, secret }) {
    const reply = await channel.exchange('AUTH CRAM-MD5', 'AUTH CRAM-MD5');
    if (reply.code !== CONTINUE) return { reply };
    const challenge = base64Decode(reply.lines[0] ?? '');
    if (!challenge || challenge.length === 0) {
      await channel.exchange('*', '*').catch(() => undefined);
      throw new SmtpProtocolError('AUTH CRAM-MD5: the challenge is not base64');
    }
    const response = `${username} ${toHex(hmacMd5(utf8(secret), challenge))}`;
    return finish(channel, await channel.exchange(base64Encode(utf8(response)), '***'), 'CRAM-MD5');
  },

  async xoauth2(channel, { username, secret }, initial) {
    assertOAuthArguments(username, secret);
    // Google's XOAUTH2 acknowledges its error challenge with an empty line.
    return oneResponse(
      channel,
      'XOAUTH2',
      base64Encode(utf8(`user=${username}\x01auth=Bearer ${secret}\x01\x01`)),
      initial,
      '',
    );
  },

  async oauthbearer(channel, { username, secret }, initial) {
    assertOAuthArguments(username, secret);
    // RFC 7628 section 3.1: a GS2 header naming the user (no channel binding), then key-value pairs;
    // section 3.2.3: the error challenge is answered with a single %x01, and the server then fails.
    return oneResponse(
      channel,
      'OAUTHBEARER',
      base64Encode(utf8(`n,a=${gs2SaslName(username)},\x01auth=Bearer ${secret}\x01\x01`)),
      initial,
      base64Encode(Uint8Array.of(0x01)),
    );
  },
};

/** %x01 separates the key-value pairs: neither the user name nor the token may hold it (or more). */
function assertOAuthArguments(username: string, token: string): void {
  if (username.includes('\x01'))
    throw new SmtpSecurityError('credentials', 'the user name contains the SASL separator %x01');
  if (!isBearerToken(token))
    throw new SmtpSecurityError('credentials', 'the access token holds characters no bearer token has');
}

/**
 * A mechanism of one response: on the AUTH line when `initial` allows and the line fits RFC 4954's
 * 12,288 octets, else after the server's empty 334. An empty 334 to the AUTH line with the response on
 * it means the server ignored it: it gets the response again.
 */
async function oneResponse(
  channel: AuthChannel,
  mechanism: string,
  response: string,
  initial: boolean,
  oauthFailureAck?: string,
): Promise<AuthEnd> {
  const name = `AUTH ${mechanism}`;
  const oneLine = `${name} ${response || '='}`;
  let reply: Reply;
  if (initial && utf8(oneLine).length + 2 <= limits.maxAuthLineBytes) {
    reply = await channel.exchange(oneLine, `${name} ***`);
    if (reply.code === CONTINUE && (reply.lines[0] ?? '').trim() === '') {
      reply = await channel.exchange(response, '***');
    }
  } else {
    reply = await channel.exchange(name, name);
    if (reply.code !== CONTINUE) return { reply };
    reply = await channel.exchange(response, '***');
  }
  return finish(channel, reply, mechanism, oauthFailureAck);
}

/**
 * A 334 after the last response. The OAuth mechanisms report a failure so (a base64 JSON challenge,
 * RFC 7628 section 3.2.2): `oauthFailureAck` answers it and the server sends its 5xx, returned with
 * what the challenge said. Any other mechanism asking for more is cancelled with `*`.
 */
async function finish(
  channel: AuthChannel,
  reply: Reply,
  mechanism: string,
  oauthFailureAck?: string,
): Promise<AuthEnd> {
  if (reply.code !== CONTINUE) return { reply };
  const ack = oauthFailureAck ?? '*';
  const last = await channel.exchange(ack, ack);
  if (last.code === 235) {
    throw new SmtpProtocolError(
      `AUTH ${mechanism}: the server accepted ${oauthFailureAck === undefined ? 'a cancelled exchange' : 'after its error challenge'}`,
    );
  }
  return oauthFailureAck === undefined
    ? { reply: last }
    : { reply: last, oauth: parseOAuthFailure(reply.lines[0] ?? '') };
}

/** LOGIN servers prompt `VXNlcm5hbWU6` ("Username:") or `UGFzc3dvcmQ6` ("Password:"). */
function isUsernamePrompt(reply: Reply): boolean {
  const text = base64Decode(reply.lines[0] ?? '');
  return text !== undefined && /^user/i.test(new TextDecoder().decode(text));
}

export { saslName };
