import { demoAccount } from '@webpop/testkit';
import { describe, expect, it } from 'vitest';
import { FallbackTextDecoder } from '../src/mime/charset.js';
import { parseMessage } from '../src/mime/parse.js';

/** Bytes of a string in a single-byte charset, from a table of the characters used. */
function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

const latin1 = (text: string) => new Uint8Array([...text].map((char) => char.charCodeAt(0)));

function b64(data: Uint8Array): string {
  return btoa(String.fromCharCode(...data));
}

// "Привет" in KOI8-R.
const privetKoi8 = bytes(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4);

// Charsets, encoded words, addresses and dates are the engine's (packages/pop3/test/mail-headers.test.ts);
// display rules are in mime-limits.test.ts; here: the worker's decoding of whole messages.
describe("the worker's TextDecoder", () => {
  it('FallbackTextDecoder keeps TextDecoder behaviour for labels and streaming', () => {
    expect(() => new FallbackTextDecoder('nonsense')).toThrow(RangeError);
    expect(new FallbackTextDecoder('utf-8').decode(latin1('caf\u00e9'))).toBe('café');
    expect(new FallbackTextDecoder('koi8-r').decode(privetKoi8)).toBe('Привет');
    expect(new FallbackTextDecoder().decode(new TextEncoder().encode('ok'), { stream: true })).toBe('ok');
  });
});

describe('parsing whole messages (postal-mime, as in the worker)', () => {
  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

  it('decodes a declared legacy charset', async () => {
    const head = new TextEncoder().encode(
      crlf(
        `From: a@b\nSubject: =?KOI8-R?B?${b64(privetKoi8)}?=\nContent-Type: text/plain; charset=koi8-r\n\n`,
      ),
    );
    const message = await parseMessage(new Uint8Array([...head, ...privetKoi8, 0x0d, 0x0a]));
    expect(message.subject).toBe('Привет');
    expect(message.text?.trim()).toBe('Привет');
  });

  it('reads an undeclared non-UTF-8 body as windows-1252 instead of replacement characters', async () => {
    const head = latin1(
      crlf('From: a@b\nSubject: x\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n'),
    );
    const message = await parseMessage(new Uint8Array([...head, ...latin1('caf\u00e9 '), 0x80, 0x0d, 0x0a]));
    expect(message.text?.trim()).toBe('café €');
  });

  it('reads a body mislabelled as UTF-8 through the fallback', async () => {
    const head = latin1(crlf('From: a@b\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n'));
    const message = await parseMessage(new Uint8Array([...head, ...latin1('Gr\u00fc\u00dfe'), 0x0d, 0x0a]));
    expect(message.text?.trim()).toBe('Grüße');
  });

  it('parses every demo message; subjects, attachments and inline parts come out right', async () => {
    const account = await demoAccount();
    const parsed = await Promise.all(account.messages.map((bytes) => parseMessage(bytes)));
    const subjects = parsed.map((message) => message.subject);
    expect(subjects).toContain('Привет из Москвы: встреча в пятницу');
    expect(subjects).toContain('Rechnung über 42,00 €');
    const koi8 = parsed.find((message) => message.subject.startsWith('Привет'))!;
    expect(koi8.from?.name).toBe('Иван Петров');
    expect(koi8.text).toContain('памятника Пушкину');
    const newsletter = parsed.find((message) => message.subject.startsWith('Garden Weekly'))!;
    expect(newsletter.html).toContain('cid:logo.20251110@garden.example');
    expect(newsletter.attachments.some((part) => part.contentId === 'logo.20251110@garden.example')).toBe(
      true,
    );
    const withFiles = parsed.find((message) => message.subject === 'Report and invoice attached')!;
    expect(withFiles.attachments.length).toBeGreaterThanOrEqual(2);
    for (const attachment of withFiles.attachments) {
      expect(attachment.content.byteLength).toBe(attachment.size);
    }
  });
});
