import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './apop.js';
import type { SaslMechanism } from './types.js';

export type SaslOutcome =
  | { kind: 'success'; username: string }
  | { kind: 'failure' }
  | { kind: 'cancelled' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'disconnected' };

export interface SaslExchange {
  /** Sends "+ <challenge>" and resolves with the client's next line, or null when the connection ended. */
  challenge(base64Challenge: string): Promise<string | null>;
  passwordOf(username: string): string | undefined;
}

type Step =
  { kind: 'value'; value: Buffer } | Exclude<SaslOutcome, { kind: 'success' } | { kind: 'failure' }>;

const XOAUTH2_ERROR = Buffer.from(
  JSON.stringify({ status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' }),
).toString('base64');

/** Runs one RFC 5034 AUTH exchange. `initialResponse` is the optional second AUTH argument. */
export async function runSasl(
  mechanism: SaslMechanism,
  initialResponse: string | undefined,
  exchange: SaslExchange,
): Promise<SaslOutcome> {
  const ask = async (challenge: string): Promise<Step> =>
    decodeClientLine(await exchange.challenge(challenge));
  const credentialsMatch = (username: string, password: string): boolean => {
    const expected = exchange.passwordOf(username);
    return expected !== undefined && safeEqual(expected, password);
  };

  switch (mechanism) {
    case 'PLAIN': {
      const step = initialResponse !== undefined ? decodeClientLine(initialResponse) : await ask('');
      if (step.kind !== 'value') return step;
      const parts = step.value.toString('utf8').split('\0');
      if (parts.length !== 3)
        return { kind: 'malformed', reason: 'PLAIN expects authzid\\0authcid\\0password' };
      const [authzid = '', username = '', password = ''] = parts;
      if (authzid !== '' && authzid !== username) return { kind: 'failure' };
      return credentialsMatch(username, password) ? { kind: 'success', username } : { kind: 'failure' };
    }
    case 'LOGIN': {
      const user =
        initialResponse !== undefined ? decodeClientLine(initialResponse) : await ask(b64('Username:'));
      if (user.kind !== 'value') return user;
      const pass = await ask(b64('Password:'));
      if (pass.kind !== 'value') return pass;
      const username = user.value.toString('utf8');
      return credentialsMatch(username, pass.value.toString('utf8'))
        ? { kind: 'success', username }
        : { kind: 'failure' };
    }
    case 'CRAM-MD5': {
      if (initialResponse !== undefined) {
        return { kind: 'malformed', reason: 'CRAM-MD5 does not take an initial response' };
      }
      const challenge = `<${randomBytes(8).toString('hex')}.${Date.now()}@webpop-testkit>`;
      const step = await ask(b64(challenge));
      if (step.kind !== 'value') return step;
      const response = step.value.toString('utf8');
      const space = response.lastIndexOf(' ');
      if (space <= 0) return { kind: 'malformed', reason: 'CRAM-MD5 expects "user digest"' };
      const username = response.slice(0, space);
      const password = exchange.passwordOf(username);
      if (password === undefined) return { kind: 'failure' };
      const expected = createHmac('md5', password).update(challenge).digest('hex');
      return safeEqual(expected, response.slice(space + 1).toLowerCase())
        ? { kind: 'success', username }
        : { kind: 'failure' };
    }
    case 'XOAUTH2': {
      const step = initialResponse !== undefined ? decodeClientLine(initialResponse) : await ask('');
      if (step.kind !== 'value') return step;
      const fields = new Map<string, string>();
      for (const field of step.value.toString('utf8').split('\x01')) {
        const equals = field.indexOf('=');
        if (equals > 0) fields.set(field.slice(0, equals), field.slice(equals + 1));
      }
      const username = fields.get('user') ?? '';
      const token = /^Bearer (.+)$/.exec(fields.get('auth') ?? '')?.[1] ?? '';
      if (credentialsMatch(username, token)) return { kind: 'success', username };
      // Like Gmail: an error challenge the client must acknowledge before the final -ERR.
      const ack = await exchange.challenge(XOAUTH2_ERROR);
      return ack === null ? { kind: 'disconnected' } : { kind: 'failure' };
    }
  }
}

function decodeClientLine(line: string | null): Step {
  if (line === null) return { kind: 'disconnected' };
  if (line === '*') return { kind: 'cancelled' };
  if (line === '=') return { kind: 'value', value: Buffer.alloc(0) };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line) || line.length % 4 !== 0) {
    return { kind: 'malformed', reason: 'invalid base64' };
  }
  return { kind: 'value', value: Buffer.from(line, 'base64') };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
