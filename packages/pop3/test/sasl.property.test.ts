// Property-based tests (fast-check) of the login steps (USER/PASS, APOP and the SASL mechanisms) against
// a server that answers anything: any challenge, base64 junk, bytes that are not text, codes, or
// nothing it should. Whatever it sends, login succeeds or fails with one of the engine's typed errors
// (never a TypeError or the like), and every command line it sends is one line: no CR, LF or NUL
// inside, ended by CRLF. Runs: fuzzRuns() (fixed in CI; `pnpm fuzz` for long runs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns } from '@webpop/testkit';
import { Pop3Client } from '../src/client.js';
import { Pop3Error } from '../src/errors.js';
import { authMethods, type AuthMethod } from '../src/auth/methods.js';
import { ScriptedTransport, multiline } from './support/scripted-transport.js';

/** Text of a status line: no CR or LF (they end it), anything else, including bytes that are not text. */
const lineText = fc
  .oneof(
    fc.string({ maxLength: 80 }),
    fc.base64String({ maxLength: 120 }),
    fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.constantFrom('', '=', '*', 'VXNlcm5hbWU6', 'PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+'),
  )
  .map((text) => text.replace(/[\r\n]/g, ''));

/** One reply of the server's, as raw text (latin1), often several lines or a bare LF. */
const reply = fc.oneof(
  lineText.map((t) => `+ ${t}\r\n`),
  fc.constant('+\r\n'),
  lineText.map((t) => `+OK ${t}\r\n`),
  fc
    .tuple(fc.constantFrom('AUTH', 'IN-USE', 'LOGIN-DELAY', 'SYS/TEMP', 'SYS/PERM', 'X'), lineText)
    .map(([code, t]) => `-ERR [${code}] ${t}\r\n`),
  lineText.map((t) => `-ERR ${t}\r\n`),
  lineText.map((t) => `${t}\r\n`),
  lineText.map((t) => `+ ${t}\n`),
  fc.tuple(lineText, lineText).map(([a, b]) => `+ ${a}\r\n+OK ${b}\r\n`),
  fc.constant({ close: true } as const),
);

const method = fc.constantFrom<AuthMethod>(...authMethods);
const secret = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('p\r\nDELE 1', 'a\0b', 'pässwörd'));

describe('login against a server that answers anything', () => {
  it('succeeds or fails with a Pop3Error, and sends nothing but whole, single command lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        lineText,
        fc.subarray(['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2', 'OAUTHBEARER']),
        fc.array(reply, { maxLength: 6 }),
        method,
        fc.string({ maxLength: 20 }),
        secret,
        async (greetingText, mechanisms, replies, chosen, username, password) => {
          const queue = [...replies];
          const transport = new ScriptedTransport(`+OK ${greetingText}\r\n`, (line) => {
            if (line === 'CAPA') return multiline(['USER', `SASL ${mechanisms.join(' ')}`].join('\r\n'));
            if (line === 'QUIT') return ['+OK\r\n', { close: true }];
            return queue.shift() ?? '-ERR no more answers\r\n';
          });
          const outcome = await (async () => {
            const client = await Pop3Client.connect(transport, { timeoutMs: 1000 });
            await client.login({
              username,
              method: chosen,
              allowPlaintext: true,
              ...(chosen === 'xoauth2' || chosen === 'oauthbearer'
                ? { accessToken: password }
                : { password }),
            });
            return 'ok';
          })().catch((error: unknown) => error);
          if (outcome !== 'ok') {
            expect(outcome, String(outcome)).toBeInstanceOf(Pop3Error);
          }
          for (const line of transport.sent) expect(line).not.toMatch(/[\r\n\0]/);
          // Every command went out whole: nothing is left without its CRLF.
          expect(transport.sent.length).toBe(transport.writes.flat().length);
          expect(transport.unterminated).toBe('');
          transport.close();
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });
});
