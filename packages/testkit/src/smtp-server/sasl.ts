import { createHmac } from 'node:crypto';

/** What the server's AUTH needs: the accounts, and one line read from the client at a time. */
export interface SaslContext {
  readonly accounts: Readonly<Record<string, string>>;
  readonly accessTokens: Readonly<Record<string, string>>;
  /** Sends `334 <challenge>` and returns the client's next line. */
  challenge(text: string): Promise<string>;
  readonly connection: number;
}

const decode = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Runs one AUTH exchange (RFC 4954); returns the user, or undefined when the client was refused or cancelled. */
export async function authenticate(
  mechanism: string,
  initial: string | undefined,
  context: SaslContext,
): Promise<{ user: string } | { refused: string }> {
  const read = async (challenge: string) => {
    const line = await context.challenge(challenge);
    if (line === '*') throw new Cancelled();
    return line;
  };
  try {
    switch (mechanism) {
      case 'PLAIN': {
        const response = initial === undefined ? await read('') : initial === '=' ? '' : initial;
        const [, user = '', password] = decode(response).split('\0');
        return check(context, user, password);
      }
      case 'LOGIN': {
        const user = decode(initial ?? (await read(encode('Username:'))));
        const password = decode(await read(encode('Password:')));
        return check(context, user, password);
      }
      case 'CRAM-MD5': {
        const challenge = `<${context.connection}.${Date.now()}@webpop-testkit>`;
        const [user = '', digest] = decode(await read(encode(challenge))).split(' ');
        const password = context.accounts[user];
        const expected = password && createHmac('md5', password).update(challenge).digest('hex');
        return expected && digest === expected ? { user } : { refused: '535 5.7.8 authentication failed' };
      }
      case 'XOAUTH2': {
        const response = decode(initial ?? (await read('')));
        const [userPart = '', authPart = '', ...end] = response.split('\x01');
        const claimed = userPart.replace(/^user=/, '');
        const token = authPart.replace(/^auth=Bearer /, '');
        const wellFormed = end.join('|') === '|' && userPart.startsWith('user=');
        const user = wellFormed && context.accessTokens[token] === claimed ? claimed : undefined;
        if (user) return { user };
        // Google's way: a JSON challenge, then 535 after the client's empty line.
        await read(encode('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}'));
        return { refused: '535 5.7.8 invalid credentials' };
      }
      case 'OAUTHBEARER': {
        // RFC 7628: `n,a=<user>,` then %x01-separated pairs ending in %x01%x01.
        const response = decode(initial ?? (await read('')));
        const [gs2 = '', ...pairs] = response.split('\x01');
        const header = /^n,a=([^,]*),$/.exec(gs2);
        const wellFormed = header !== null && pairs.length >= 3 && pairs.slice(-2).join('') === '';
        const claimed = wellFormed ? header[1]!.replace(/=2C/g, ',').replace(/=3D/g, '=') : undefined;
        const auth = pairs.find((pair) => pair.startsWith('auth='));
        const token = auth?.replace(/^auth=Bearer /, '');
        if (claimed && token && context.accessTokens[token] === claimed) return { user: claimed };
        // Section 3.2.2: the error as a JSON challenge; the client must answer a single %x01.
        const ack = await read(
          encode(
            '{"status":"invalid_token","scope":"mail","openid-configuration":"https://id.example.test/.well-known/openid-configuration"}',
          ),
        );
        return ack === encode('\x01')
          ? { refused: '535 5.7.8 invalid token' }
          : { refused: '501 5.5.2 the error challenge is answered with %x01 (RFC 7628)' };
      }
      default:
        return { refused: '504 5.5.4 unrecognized authentication type' };
    }
  } catch (error) {
    if (error instanceof Cancelled) return { refused: '501 5.7.0 authentication cancelled' };
    throw error;
  }
}

class Cancelled extends Error {}

function check(context: SaslContext, user: string, password: string | undefined) {
  return password !== undefined && context.accounts[user] === password
    ? { user }
    : { refused: '535 5.7.8 authentication failed' };
}
