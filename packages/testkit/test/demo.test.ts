import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { toCrlf } from '../src/bytes/crlf.js';
import { corpusDirectory, corpusMessages } from '../src/demo/corpus.js';
import { demoAccount } from '../src/demo/demo-account.js';
import { generateMessages } from '../src/demo/generate-messages.js';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const headerSection = (bytes: Uint8Array) => latin1(bytes).split('\r\n\r\n')[0]!;
const subjectOf = (bytes: Uint8Array) => /^Subject: (.*)$/m.exec(headerSection(bytes))?.[1]?.trim() ?? '';

/** Decodes RFC 2047 encoded words (enough for these tests). */
function decodeWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi,
    (_, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      return new TextDecoder(charset).decode(bytes);
    },
  );
}

describe('toCrlf', () => {
  it('turns bare LF into CRLF and leaves CRLF alone', () => {
    expect(latin1(toCrlf(Buffer.from('a\nb\r\nc\n\n')))).toBe('a\r\nb\r\nc\r\n\r\n');
    const already = Buffer.from('x\r\n');
    expect(toCrlf(already)).toBe(already);
  });
});

describe('corpus', () => {
  it('returns every .eml file as it is on disk', async () => {
    const names = (await readdir(corpusDirectory())).filter((name) => name.endsWith('.eml')).sort();
    const corpus = await corpusMessages();
    expect(corpus.map((message) => message.name)).toEqual(names);
    expect(corpus.length).toBeGreaterThanOrEqual(15);
    expect(corpus.some((message) => latin1(message.bytes).includes('\r\n'))).toBe(true);
    expect(corpus.some((message) => /[^\r]\n/.test(latin1(message.bytes)))).toBe(true);
  });
});

describe('demoAccount', () => {
  it('holds the corpus (CRLF) plus the hand-built messages', async () => {
    const account = await demoAccount();
    const corpus = await corpusMessages();
    expect(account.username).toBe('demo');
    expect(account.password).toBe('demo');
    expect(account.messages).toHaveLength(corpus.length + 6);
    corpus.forEach((message, index) => {
      expect(Buffer.from(account.messages[index]!).equals(Buffer.from(toCrlf(message.bytes)))).toBe(true);
    });
    for (const message of account.messages) expect(/(^|[^\r])\n/.test(latin1(message))).toBe(false);
  });

  it('has the promised messages, with well-formed headers', async () => {
    const built = (await demoAccount()).messages.slice(-6);
    const subjects = built.map((message) => decodeWords(subjectOf(message)));
    expect(subjects).toEqual([
      'Build log with a 20000-byte line',
      'Report and invoice attached',
      'Garden Weekly: plant your tulips now',
      'Rechnung über 42,00 €',
      'Привет из Москвы: встреча в пятницу',
      'Welcome to webpop',
    ]);
    for (const message of built) {
      const headers = headerSection(message);
      for (const name of ['From', 'To', 'Subject', 'Date', 'Message-ID'])
        expect(headers).toMatch(new RegExp(`^${name}: `, 'm'));
      expect(Number.isNaN(Date.parse(/^Date: (.*)$/m.exec(headers)![1]!))).toBe(false);
    }
    const [longLine = '', attachments = '', newsletter = '', euro = '', russian = ''] = built.map(latin1);
    expect(subjectOf(built[3]!)).toMatch(/^=\?ISO-8859-15\?Q\?.*=A4\?=$/);
    expect(subjectOf(built[4]!)).toMatch(/^=\?KOI8-R\?B\?/);
    expect(euro).toContain('=A4');
    expect(russian).toContain('charset=koi8-r');
    expect(newsletter).toContain('multipart/alternative');
    expect(newsletter).toContain('http://example.invalid/');
    expect(newsletter).toMatch(/Content-ID: <logo\.20251110@garden\.example>/);
    expect(newsletter).toContain('cid:logo.20251110@garden.example');
    expect(attachments).toContain('application/pdf');
    expect(attachments).toContain("filename*=UTF-8''Pr%C3%BCfbericht%20%E2%80%93%20M%C3%A4rz%202025.txt");
    expect(Math.max(...longLine.split('\r\n').map((line) => line.length))).toBe(20_000);
  });
});

describe('generateMessages', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateMessages(20, { seed: 42 });
    const b = generateMessages(20, { seed: 42 });
    const c = generateMessages(20, { seed: 43 });
    expect(a.map(latin1)).toEqual(b.map(latin1));
    expect(a.map(latin1)).not.toEqual(c.map(latin1));
  });

  it('makes realistic CRLF messages, some with encoded-word subjects', () => {
    const messages = generateMessages(30, { seed: 1 });
    for (const message of messages) {
      const headers = headerSection(message);
      for (const name of ['From', 'To', 'Subject', 'Date', 'Message-ID'])
        expect(headers).toMatch(new RegExp(`^${name}: `, 'm'));
      expect(/(^|[^\r])\n/.test(latin1(message))).toBe(false);
    }
    const subjects = messages.map(subjectOf);
    expect(subjects.some((subject) => subject.startsWith('=?UTF-8?B?'))).toBe(true);
    expect(subjects.some((subject) => subject.startsWith('=?ISO-8859-15?Q?'))).toBe(true);
    expect(new Set(messages.map((m) => /^Message-ID: (.*)$/m.exec(headerSection(m))?.[1])).size).toBe(30);
  });

  it('honours headerBytes and bodyBytes exactly', () => {
    for (const message of generateMessages(10, { seed: 5, headerBytes: 2048, bodyBytes: 10_000 })) {
      const text = latin1(message);
      const split = text.indexOf('\r\n\r\n') + 2;
      expect(split).toBe(2048);
      expect(message.length - split - 2).toBe(10_000);
    }
  });
});
