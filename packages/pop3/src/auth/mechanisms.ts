import { base64Decode, base64Encode, toHex, utf8 } from '../bytes.js';
import { Pop3OAuthError, Pop3ProtocolError, Pop3SecurityError, Pop3ServerError } from '../errors.js';
import { limits } from '../limits.js';
import type { StatusLine } from '../protocol/status-line.js';
import { hmacMd5, md5 } from './md5.js';
import type { LoginMethod } from './methods.js';
import { gs2SaslName, isBearerToken, parseOAuthFailure } from './oauth-failure.js';

/** What a login method needs from the client: one command at a time, each answered before the next. */
export interface AuthChannel {
  /**
   * Sends a line and returns the reply's status line; `-ERR` rejects with Pop3ServerError. `last`: the
   * server answers this line with `+OK` or `-ERR` only, never a challenge (what follows may go with it).
   */
  exchange(line: string, name: string, logText: string, last?: boolean, ahead?: boolean): Promise<StatusLine>;
  readonly apopTimestamp: string | undefined;
  /**
   * The server pipelines (CAPA says PIPELINING) and no other method follows this one: a line sent
   * `ahead` leaves without waiting for its answer, in the same write as the next.
   */
  readonly mayPipeline: boolean;
}

export interface Secret {
  readonly username: string;
  readonly secret: string;
}

type Mechanism = (channel: AuthChannel, secret: Secret) => Promise<void>;

export const mechanisms: Readonly<Record<LoginMethod, Mechanism>> = {
  async user(channel, { username, secret }) {
    if (!channel.mayPipeline) {
      await expectOk(channel, `USER ${username}`, 'USER', `USER ${username}`, false);
      await expectOk(channel, `PASS ${secret}`, 'PASS', 'PASS ***');
      return;
    }
    // Under PIPELINING (RFC 2449, section 6.6) USER and PASS leave in one write, a round trip sooner:
    // USER has no challenge to wait for. An -ERR to USER makes the server refuse the PASS that follows
    // it (RFC 1939: PASS only after a successful USER), and USER's refusal is the one reported. Nothing
    // is sent that waiting would not have sent: the password goes to the same server either way.
    const [user, pass] = await Promise.allSettled([
      expectOk(channel, `USER ${username}`, 'USER', `USER ${username}`, false, true),
      expectOk(channel, `PASS ${secret}`, 'PASS', 'PASS ***'),
    ]);
    if (user.status === 'rejected') throw user.reason;
    if (pass.status === 'rejected') throw pass.reason;
  },

  async apop(channel, { username, secret }) {
    const timestamp = channel.apopTimestamp;
    if (!timestamp) throw new Pop3ProtocolError('APOP needs a timestamp in the greeting, and there is none');
    const digest = toHex(md5(utf8(timestamp + secret)));
    await expectOk(channel, `APOP ${username} ${digest}`, 'APOP', `APOP ${username} ***`);
  },

  async plain(channel, { username, secret }) {
    await saslResponse(channel, 'PLAIN', base64Encode(utf8(`\0${username}\0${secret}`)));
  },

  async login(channel, { username, secret }) {
    const name = 'AUTH LOGIN';
    await expectContinuation(channel, name, name, name);
    await expectContinuation(channel, base64Encode(utf8(username)), name, base64Encode(utf8(username)));
    await expectOk(channel, base64Encode(utf8(secret)), name, '***');
  },

  async 'cram-md5'(channel, { username, secret }) {
    const name = 'AUTH CRAM-MD5';
    const challengeLine = await expectContinuation(channel, name, name, name);
    const challenge = base64Decode(challengeLine.text);
    if (!challenge) throw await cancel(channel, name, 'the CRAM-MD5 challenge is not base64');
    const response = `${username} ${toHex(hmacMd5(utf8(secret), challenge))}`;
    await expectOk(channel, base64Encode(utf8(response)), name, '***');
  },

  async xoauth2(channel, { username, secret }) {
    assertOAuthArguments(username, secret);
    const response = base64Encode(utf8(`user=${username}\x01auth=Bearer ${secret}\x01\x01`));
    // Always the two-step form: Microsoft's POP3 takes no initial response for XOAUTH2, Gmail takes
    // both, and bearer tokens (1-2 KB) rarely fit RFC 5034's 255-octet AUTH line anyway.
    // Google's XOAUTH2 acknowledges the error challenge with an empty response.
    await saslResponse(channel, 'XOAUTH2', response, { initialResponse: false, failureAck: '' });
  },

  async oauthbearer(channel, { username, secret }) {
    assertOAuthArguments(username, secret);
    // RFC 7628 section 3.1: a GS2 header naming the user (no channel binding), then key-value pairs.
    const message = `n,a=${gs2SaslName(username)},\x01auth=Bearer ${secret}\x01\x01`;
    // Section 3.2.3: after the error challenge the client sends a single %x01, and the server fails.
    await saslResponse(channel, 'OAUTHBEARER', base64Encode(utf8(message)), {
      initialResponse: true,
      failureAck: base64Encode(Uint8Array.of(0x01)),
    });
  },
};

interface ResponseOptions {
  readonly initialResponse: boolean;
  /**
   * OAuth mechanisms only: a `+` after the response is the server's error challenge (JSON); this line
   * answers it so that the server sends its final -ERR, which becomes a Pop3OAuthError.
   */
  readonly failureAck?: string;
}

/**
 * One SASL response, on the AUTH line (RFC 5034's initial response) where that line stays within 255
 * octets and `initialResponse` allows, otherwise after the server's empty challenge. A server that
 * answers the AUTH line with an empty `+` ignored the initial response (RFC 1734 servers, such as
 * Thunderbird's test server, take none): it gets the response again on the next line.
 */
async function saslResponse(
  channel: AuthChannel,
  mechanism: string,
  response: string,
  options: ResponseOptions = { initialResponse: true },
): Promise<void> {
  const name = `AUTH ${mechanism}`;
  const oneLine = `${name} ${response || '='}`;
  let status: StatusLine;
  if (options.initialResponse && utf8(oneLine).length + 2 <= limits.maxAuthLineBytes) {
    status = await channel.exchange(oneLine, name, `${name} ***`);
    if (status.indicator === '+' && status.text.trim() === '') {
      status = await channel.exchange(response, name, '***');
    }
  } else {
    await expectContinuation(channel, name, name, name);
    status = await channel.exchange(response, name, '***');
  }
  if (status.indicator !== '+') return;
  if (options.failureAck === undefined) {
    await channel.exchange('', name, '');
    throw new Pop3ProtocolError(`${name}: the server accepted the last response with neither +OK nor -ERR`);
  }
  const failure = parseOAuthFailure(status.text);
  try {
    await channel.exchange(options.failureAck, name, options.failureAck);
  } catch (error) {
    if (error instanceof Pop3ServerError) throw new Pop3OAuthError(error, failure);
    throw error;
  }
  throw new Pop3ProtocolError(`${name}: the server answered +OK after its error challenge`);
}

function assertOAuthArguments(username: string, token: string): void {
  if (username.includes('\x01'))
    throw new Pop3SecurityError('credentials', 'the user name contains the SASL separator %x01');
  if (!isBearerToken(token))
    throw new Pop3SecurityError('credentials', 'the access token holds characters no bearer token has');
}

/** A line answered with +OK or -ERR; `last` (unless it is USER's): the login is over when it is answered. */
async function expectOk(
  channel: AuthChannel,
  line: string,
  name: string,
  logText: string,
  last = true,
  ahead = false,
): Promise<void> {
  const status = await channel.exchange(line, name, logText, last, ahead);
  if (status.indicator === '+')
    throw await cancel(channel, name, 'the server asked for more than this mechanism has');
}

async function expectContinuation(
  channel: AuthChannel,
  line: string,
  name: string,
  logText: string,
): Promise<StatusLine> {
  const status = await channel.exchange(line, name, logText);
  if (status.indicator !== '+') {
    throw new Pop3ProtocolError(`${name}: the server answered +OK where a challenge belongs`);
  }
  return status;
}

/** Cancels a SASL exchange with `*` (RFC 5034) and returns the error to throw. */
async function cancel(channel: AuthChannel, name: string, reason: string): Promise<Error> {
  await channel.exchange('*', name, '*').catch(() => undefined);
  return new Pop3ProtocolError(`${name}: ${reason}`);
}
