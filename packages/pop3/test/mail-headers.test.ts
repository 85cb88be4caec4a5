import { describe, expect, it } from 'vitest';
import {
  decodeEncodedWords,
  decodeHeaderFields,
  decodeText,
  decodeTextDetailed,
  formatAddress,
  headerEnd,
  headerText,
  normalizeCharset,
  parseAddress,
  parseMailDate,
  senderLabel,
  summarizeHeaders,
} from '../src/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);
const latin1 = (text: string) => new Uint8Array([...text].map((char) => char.charCodeAt(0)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const b64 = (data: Uint8Array) => btoa(String.fromCharCode(...data));

// "Привет" in KOI8-R and in windows-1251; "Grüße 5 €" in ISO-8859-15 (€ = 0xA4 there).
const privetKoi8 = bytes(0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4);
const privet1251 = bytes(0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2);
const euro15 = bytes(0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0x35, 0x20, 0xa4);

describe('encoded words (RFC 2047)', () => {
  it('decodes KOI8-R, windows-1251 and ISO-8859-15, B and Q', () => {
    expect(decodeEncodedWords(`=?KOI8-R?B?${b64(privetKoi8)}?=`)).toBe('Привет');
    expect(decodeEncodedWords(`=?windows-1251?B?${b64(privet1251)}?=`)).toBe('Привет');
    expect(decodeEncodedWords('=?ISO-8859-15?Q?Gr=FC=DFe_5_=A4?=')).toBe('Grüße 5 €');
    expect(decodeEncodedWords('=?koi8-r?q?=F0=D2=C9=D7=C5=D4?= world')).toBe('Привет world');
  });

  it('joins adjacent words, dropping the space between, and keeps split UTF-8 characters whole', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?=E2=82?= =?UTF-8?Q?=AC_100?=')).toBe('€ 100');
    expect(decodeEncodedWords('=?utf-8?B?SGVs?=\r\n =?utf-8?B?bG8=?=')).toBe('Hello');
    expect(decodeEncodedWords('a =?utf-8?Q?b?= c')).toBe('a b c');
  });

  it('survives unknown charsets and malformed words', () => {
    expect(decodeEncodedWords('=?x-unknown?Q?caf=E9?=')).toBe('café');
    expect(decodeEncodedWords('=?utf-8?B?***?=')).toBe('');
    expect(decodeEncodedWords('plain =?broken')).toBe('plain =?broken');
  });
});

describe('text: declared charset, then strict UTF-8, then windows-1252', () => {
  it('uses the declared charset when the bytes fit it', () => {
    expect(decodeTextDetailed(privetKoi8, 'koi8-r')).toEqual({
      text: 'Привет',
      encoding: 'koi8-r',
      fellBack: false,
    });
    expect(decodeText(privet1251, 'cp1251')).toBe('Привет');
    expect(decodeText(euro15, 'latin9')).toBe('Grüße 5 €');
  });

  it('falls back to strict UTF-8, then to windows-1252 with its 0x80–0x9F characters', () => {
    expect(decodeTextDetailed(utf8('Grüße'), 'x-made-up')).toEqual({
      text: 'Grüße',
      encoding: 'utf-8',
      fellBack: true,
    });
    expect(decodeText(utf8('Grüße'), 'us-ascii')).toBe('Grüße');
    expect(decodeText(new Uint8Array([0x93, ...latin1('quoted'), 0x94, 0x20, 0x80]), 'utf-8')).toBe(
      '“quoted” €',
    );
    expect(decodeText(bytes(0x80, 0x96, 0x99), 'iso-8859-1')).toBe('€–™');
  });

  it('normalizes charset labels', () => {
    expect(normalizeCharset('KOI8-R')).toBe('koi8-r');
    expect(normalizeCharset('"ISO-8859-15"')).toBe('iso-8859-15');
    expect(normalizeCharset('cp-1251')).toBe('windows-1251');
    expect(normalizeCharset('utf8')).toBe('utf-8');
    expect(normalizeCharset('nonsense')).toBeUndefined();
  });
});

describe('header blocks', () => {
  it('ends at the first empty line, CRLF or bare LF; an opening empty line means no headers', () => {
    expect(headerEnd(utf8('A: 1\r\nB: 2\r\n\r\nbody\r\n\r\n'))).toBe(12);
    expect(headerEnd(utf8('A: 1\n\nbody'))).toBe(5);
    expect(headerEnd(utf8('\r\nNot: a header\r\n\r\n'))).toBe(0);
    expect(headerEnd(utf8('A: 1\r\n'))).toBe(6);
  });

  it('reads raw 8-bit headers as UTF-8 where valid, else windows-1252 (not Latin-1)', () => {
    expect(headerText(utf8('Subject: Grüße\r\n\r\nx'))).toBe('Subject: Grüße\r\n');
    expect(headerText(new Uint8Array([...latin1('Subject: '), 0x80, 0x0d, 0x0a]))).toBe('Subject: €\r\n');
  });

  it('decodes each field on its own (RFC 6532): a stray Latin-1 byte leaves a UTF-8 Subject intact', () => {
    const block = new Uint8Array([
      ...utf8('Subject: Grüße\r\nX-Junk: caf'),
      0xe9,
      ...utf8('\r\n folded \u00fc\r\nFrom: "Jörg" <j@x>\r\n\r\nbody \xff'),
    ]);
    expect(headerText(block)).toBe('Subject: Grüße\r\nX-Junk: café\r\n folded Ã¼\r\nFrom: "Jörg" <j@x>\r\n');
    expect(summarizeHeaders(block)).toMatchObject({
      subject: 'Grüße',
      from: { name: 'Jörg', address: 'j@x' },
    });
    const fields = decodeHeaderFields(block);
    expect(fields.get('subject')).toEqual(['Grüße']);
    expect(fields.get('x-junk')).toEqual(['café folded Ã¼']);
  });

  it('summarizes TOP headers: folded, encoded, raw 8-bit', () => {
    const top = utf8(
      [
        `From: =?KOI8-R?B?${b64(privetKoi8)}?= <ivan@example.ru>`,
        `Subject: =?windows-1251?B?${b64(privet1251)}?=`,
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
    expect(summarizeHeaders(raw).subject).toBe('café');
  });

  it('lists every field by name, repeated ones in order, values decoded', () => {
    const fields = decodeHeaderFields(
      utf8(
        'Received: one\r\nreceived: two\r\nTo: =?utf-8?Q?J=C3=B6rg?= <j@x>\r\n\tcontinued\r\n\r\nBody: no\r\n',
      ),
    );
    expect(fields.get('received')).toEqual(['one', 'two']);
    expect(fields.get('to')).toEqual(['Jörg <j@x> continued']);
    expect(fields.has('body')).toBe(false);
  });

  it('parses, formats and labels addresses; parses dates', () => {
    const quoted = parseAddress('"Doe, Jane" <jane@example.org>');
    expect(quoted).toEqual({ name: 'Doe, Jane', address: 'jane@example.org' });
    expect(parseAddress('jane@example.org (Jane Doe)')).toEqual({
      name: 'Jane Doe',
      address: 'jane@example.org',
    });
    expect(formatAddress(quoted)).toBe('Doe, Jane <jane@example.org>');
    expect(formatAddress(parseAddress('<x@y>'))).toBe('x@y');
    expect(senderLabel(quoted)).toBe('Doe, Jane');
    expect(senderLabel(undefined)).toBe('');
    expect(parseMailDate('Tue, 1 Jul 2003 10:52:37 +0200')).toBe(Date.UTC(2003, 6, 1, 8, 52, 37));
    expect(parseMailDate('not a date')).toBeUndefined();
  });
});
