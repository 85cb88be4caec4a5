import { demoAccount } from '@webpop/testkit';
import { describe, expect, it } from 'vitest';
import {
  decodeText,
  decodeTextDetailed,
  FallbackTextDecoder,
  normalizeCharset,
} from '../src/mime/charset.js';
import { decodeEncodedWords } from '../src/mime/encoded-words.js';
import { parseAddress, parseMailDate, summarizeHeaders } from '../src/mime/headers.js';
import { parseMessage } from '../src/mime/parse.js';

/** Bytes of a string in a single-byte charset, from a table of the characters used. */
function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values);
}

const latin1 = (text: string) => new Uint8Array([...text].map((char) => char.charCodeAt(0)));

function b64(data: Uint8Array): string {
  return btoa(String.fromCharCode(...data));
}

// "Привет" in KOI8-R and in windows-1251; "Grüße 5 €" in ISO-8859-15 (€ = 0xA4 there).
const privetKoi8 = bytes(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4);
const privet1251 = bytes(0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2);
const euro15 = bytes(0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x35, 0x20, 0xa4);

describe('encoded words in subjects (RFC 2047)', () => {
  it('decodes KOI8-R, windows-1251 and ISO-8859-15, B and Q', () => {
    expect(decodeEncodedWords(`=?KOI8-R?B?${b64(privetKoi8)}?=`)).toBe('Привет');
    expect(decodeEncodedWords(`=?windows-1251?B?${b64(privet1251)}?=`)).toBe('Привет');
    expect(decodeEncodedWords('=?ISO-8859-15?Q?Gr=FC=DFe_5_=A4?=')).toBe('Grüße 5 €');
    expect(decodeEncodedWords('=?koi8-r?q?=F0=D2=C9=D7=C5=D4?= world')).toBe('Привет world');
  });

  it('joins adjacent words (dropping the space between) and keeps split UTF-8 characters whole', () => {
    // "€" is E2 82 AC: split across two encoded words.
    expect(decodeEncodedWords('=?UTF-8?Q?=E2=82?= =?UTF-8?Q?=AC_100?=')).toBe('€ 100');
    expect(decodeEncodedWords('=?utf-8?B?SGVs?=\r\n =?utf-8?B?bG8=?=')).toBe('Hello');
    expect(decodeEncodedWords('a =?utf-8?Q?b?= c')).toBe('a b c');
  });

  it('survives unknown charsets and malformed words', () => {
    expect(decodeEncodedWords('=?x-unknown?Q?caf=E9?=')).toBe('café');
    expect(decodeEncodedWords('=?utf-8?B?***?=')).toBe('');
    expect(decodeEncodedWords('plain =?broken')).toBe('plain =?broken');
  });

  it('summarizes TOP headers: folded, encoded, raw 8-bit', () => {
    const top = new TextEncoder().encode(
      [
        `From: =?KOI8-R?B?${b64(privetKoi8)}?= <ivan@example.ru>`,
        'Subject: =?windows-1251?B?' + b64(privet1251) + '?=',
        '  =?ISO-8859-15?Q?=A4?=',
        'Date: Fri, 14 Nov 2025 11:23:05 +0300 (MSK)',
        'Message-ID: <x@y>',
        '',
        '',
      ].join('\r\n'),
    );
    const summary = summarizeHeaders(top);
    expect(summary.subject).toBe('Привет€');
    expect(summary.from).toEqual({ name: 'Привет', address: 'ivan@example.ru' });
    expect(summary.date).toBe(Date.UTC(2025, 10, 14, 8, 23, 5));
    expect(summary.messageId).toBe('<x@y>');

    const raw = new Uint8Array([...latin1('Subject: caf'), 0xe9, ...latin1('\r\nFrom: x@y\r\n\r\n')]);
    expect(summarizeHeaders(raw).subject).toBe('café'); // not UTF-8: windows-1252
    const utf8 = new TextEncoder().encode('Subject: Grüße\r\n\r\n');
    expect(summarizeHeaders(utf8).subject).toBe('Grüße');
  });

  it('parses addresses and dates', () => {
    expect(parseAddress('"Doe, Jane" <jane@example.org>')).toEqual({
      name: 'Doe, Jane',
      address: 'jane@example.org',
    });
    expect(parseAddress('jane@example.org (Jane Doe)')).toEqual({
      name: 'Jane Doe',
      address: 'jane@example.org',
    });
    expect(parseAddress('<x@y>')).toEqual({ name: '', address: 'x@y' });
    expect(parseMailDate('Tue, 1 Jul 2003 10:52:37 +0200')).toBe(Date.UTC(2003, 6, 1, 8, 52, 37));
    expect(parseMailDate('not a date')).toBeUndefined();
  });
});

describe('body text: declared charset, then strict UTF-8, then windows-1252', () => {
  it('uses the declared charset when the bytes fit it', () => {
    expect(decodeTextDetailed(privetKoi8, 'koi8-r')).toEqual({
      text: 'Привет',
      encoding: 'koi8-r',
      fellBack: false,
    });
    expect(decodeText(privet1251, 'cp1251')).toBe('Привет');
    expect(decodeText(euro15, 'latin9')).toBe('Grüße 5 €');
  });

  it('falls back to strict UTF-8 when the declared charset is unknown or wrong', () => {
    const utf8 = new TextEncoder().encode('Grüße');
    expect(decodeTextDetailed(utf8, 'x-made-up')).toEqual({
      text: 'Grüße',
      encoding: 'utf-8',
      fellBack: true,
    });
    expect(decodeText(utf8, 'us-ascii')).toBe('Grüße'); // 8-bit bytes under an ASCII label
    expect(decodeText(utf8, undefined)).toBe('Grüße');
  });

  it('falls back to windows-1252 when the bytes are not UTF-8', () => {
    const text = new Uint8Array([0x93, ...latin1('quoted'), 0x94, 0x20, 0x80]);
    expect(decodeTextDetailed(text, 'utf-8')).toEqual({
      text: '“quoted” €',
      encoding: 'windows-1252',
      fellBack: true,
    });
    expect(decodeText(latin1('caf\u00e9'), undefined)).toBe('café');
    // ISO-8859-1 is windows-1252 in every browser (WHATWG), including 0x80–0x9F.
    expect(decodeText(bytes(0x80, 0x96, 0x99), 'iso-8859-1')).toBe('€–™');
  });

  it('normalizes charset labels', () => {
    expect(normalizeCharset('KOI8-R')).toBe('koi8-r');
    expect(normalizeCharset('"ISO-8859-15"')).toBe('iso-8859-15');
    expect(normalizeCharset('cp-1251')).toBe('windows-1251');
    expect(normalizeCharset('utf8')).toBe('utf-8');
    expect(normalizeCharset('nonsense')).toBeUndefined();
  });

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
